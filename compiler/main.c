/* main.c - asbgen's command dispatch (one file per subcommand, as git). */
#include "cli.h"
#include "version.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: asbgen COMMAND [ARGS...]\n"
	"\n"
	"Compile Alert Distribution System environment specs into deployments.\n"
	"\n"
	"commands:\n"
	"  render SPEC... [-o DIR] [--check] [--stdout] [--templates DIR]\n"
	"                  write each environment's manifests, Helm values, tfvars\n"
	"                  and client configs under DIR/<environment>/ (default out/)\n"
	"  validate SPEC... [--format text|json|github] [--strict]\n"
	"                  report every problem in the specs, with file:line:column\n"
	"  model [--sources] SPEC\n"
	"                  print the resolved model (what templates see) as JSON;\n"
	"                  --sources: each value with where it came from\n"
	"  check --schema SCHEMA FILE_OR_DIR...\n"
	"  check --crds DIR [--crds DIR...] FILE_OR_DIR...\n"
	"                  validate YAML/JSON documents against a JSON Schema, or\n"
	"                  Kubernetes manifests against CRDs, at file:line:column\n"
	"  diff SPEC [--against DIR | --base REV | --live] [--format text|json]\n"
	"                  what a sync would change: a fresh render against out/,\n"
	"                  another folder or a git revision; dangerous changes flagged\n"
	"                  (--live: against the cluster, see asbgen diff --help)\n"
	"  status SPEC --live [--format text|json]\n"
	"                  what is wrong in the cluster with what SPEC renders,\n"
	"                  each finding with the operator manual's fix\n"
	"  pin SPEC --live [--dry-run]\n"
	"                  write the addresses the load balancers got into the\n"
	"                  spec (external.bootstrap.ip, external.brokers[].ip)\n"
	"  version         print the version\n"
	"  help [COMMAND]  this text, or a command's\n"
	"\n"
	"exit codes: 0 success, 1 invalid input or differences found,\n"
	"            2 usage or I/O error, 3 diff: a dangerous change;\n"
	"            status: 0 healthy, 1 degraded, 2 the cluster could not be read\n"
	"See README.md for the spec format and templates/README.md for templates.\n";

struct command {
	const char *name;
	int (*fn)(int, char **);
};

static const struct command commands[] = {
	{ "render", cmd_render },
	{ "validate", cmd_validate },
	{ "model", cmd_model },
	{ "check", cmd_check },
	{ "diff", cmd_diff },
	{ "status", cmd_status },
	{ "pin", cmd_pin },
};

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		if (argc > 2 && strcmp(cmd, "help") == 0) {
			for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
				if (!strcmp(argv[2], commands[i].name)) {
					char *args[] = { argv[2], "--help", NULL };
					return commands[i].fn(2, args);
				}
			fprintf(stderr, "asbgen: no such command '%s'\n", argv[2]);
			return EXIT_USAGE;
		}
		fputs(usage, stdout);
		return EXIT_OK;
	}
	if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
		printf("asbgen %s\n", ASBGEN_VERSION);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(cmd, commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "asbgen: no such command '%s'\n\n%s", cmd, usage);
	return EXIT_USAGE;
}
