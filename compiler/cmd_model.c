/* cmd_model.c - `asbgen model SPEC`: the resolved model as JSON. */
#include "arena.h"
#include "buf.h"
#include "cli.h"
#include "emit.h"
#include "model.h"

#include <string.h>

static const char help[] =
	"usage: asbgen model SPEC\n"
	"\n"
	"Print the model resolved from SPEC as JSON: every default filled and every\n"
	"derived value computed.  Templates see exactly this tree.\n";

int cmd_model(int argc, char **argv)
{
	const char *spec_path = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(help, stdout);
			return EXIT_OK;
		}
		if (argv[i][0] == '-' || spec_path) {
			fprintf(stderr, "asbgen model: unexpected argument '%s'\n\n%s", argv[i], help);
			return EXIT_USAGE;
		}
		if (!spec_name_usable("model", argv[i]))
			return EXIT_USAGE;
		spec_path = argv[i];
	}
	if (!spec_path) {
		fputs(help, stderr);
		return EXIT_USAGE;
	}
	struct ctx c;
	ctx_init(&c);
	int rc = EXIT_INVALID;
	struct value *spec = spec_load(&c, spec_path);
	struct value *model = spec ? model_build(c.arena, &c.diags, spec, path_base(spec_path)) : NULL;
	if (model) {
		struct buf b = BUF_INIT;
		if (emit_json(&b, model, &c.diags) == 0) {
			fwrite(b.data, 1, b.len, stdout);
			rc = EXIT_OK;
		}
		buf_free(&b);
	}
	ctx_report(&c);
	if (rc != EXIT_OK && c.diags.nerrors == 0)
		rc = EXIT_USAGE;
	/* I/O problems (an unreadable file) are usage errors, not bad input. */
	for (size_t i = 0; i < c.diags.n; i++)
		if (!strcmp(c.diags.items[i].id, "io"))
			rc = EXIT_USAGE;
	ctx_free(&c);
	return rc;
}
