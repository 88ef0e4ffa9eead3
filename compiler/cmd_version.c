/* cmd_version.c - `asbgen version`. */
#include "cli.h"
#include "version.h"

#include <string.h>

static const char help[] =
	"usage: asbgen version\n"
	"\n"
	"Print asbgen's version (also: asbgen --version).\n";

const char *const cmd_version_help = help;

int cmd_version(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(help, stdout);
		return EXIT_OK;
	}
	if (argc > 1) {
		fprintf(stderr, "asbgen version: unexpected argument '%s'\n\n%s", argv[1], help);
		return EXIT_USAGE;
	}
	printf("asbgen %s\n", ASBGEN_VERSION);
	return EXIT_OK;
}
