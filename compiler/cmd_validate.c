/* cmd_validate.c - `asbgen validate`: every problem in the specs, at its line. */
#include "arena.h"
#include "cli.h"
#include "render_check.h"
#include "template.h"

#include <string.h>

static const char help[] =
	"usage: asbgen validate SPEC... [--format text|json|github] [--strict] [--testid ID]\n"
	"\n"
	"Check environment specs: YAML syntax, the environment schema\n"
	"(schemas/environment.schema.json), then the semantic checks (README,\n"
	"\"Semantic checks\"); a spec that passes is rendered in memory, so that\n"
	"a spec that validates always renders.  Reports every problem of every\n"
	"file, sorted by file and line, as file:line:column with a hint.\n"
	"SPEC may be a directory (its .yaml and .yml files) or - (standard input);\n"
	"after --, every argument is a SPEC.\n"
	"\n"
	"  --format FMT   text (default; colour on a terminal unless NO_COLOR is set),\n"
	"                 json (an array of diagnostics, see schemas/diagnostics.schema.json)\n"
	"                 or github (workflow commands on standard output, which\n"
	"                 annotate the pull request's lines)\n"
	"  --strict       warnings fail too\n"
	"  --testid ID    check the test instance ID of each spec (asbgen render\n"
	"                 --testid): also that every name it derives fits its limit\n"
	"\n"
	"exit: 0 valid, 1 errors (or warnings with --strict), 2 usage or I/O error\n";

/* The text of --help, for completion and suggestions (commands.c). */
const char *const cmd_validate_help = help;

int cmd_validate(int argc, char **argv)
{
	struct ctx c;
	ctx_init(&c);
	bool strict = false, dashdash = false;
	const char **specs = NULL;
	size_t n = 0, cap = 0;
	for (int i = 1; i < argc; i++) {
		const char *v;
		int r;
		if (dashdash || argv[i][0] != '-' || !argv[i][1]) {
			if (!spec_args_add(&c, "validate", argv[i], &specs, &n, &cap)) {
				ctx_report(&c);
				ctx_free(&c);
				return EXIT_USAGE;
			}
		} else if (!strcmp(argv[i], "--")) {
			dashdash = true;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(help, stdout);
			ctx_free(&c);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--strict")) {
			strict = true;
		} else if ((r = opt_value(argc, argv, &i, "--testid", &v)) != 0) {
			if (r < 0 || !parse_testid("validate", v, &c.testid))
				goto usage;
		} else if ((r = opt_value(argc, argv, &i, "--format", &v)) != 0) {
			if (r < 0 || !parse_format(v, &c.format)) {
				if (r > 0)
					fprintf(stderr, "asbgen validate: unknown format '%s'\n", v);
				goto usage;
			}
		} else {
			unknown_option("validate", argv[i], help);
			goto usage;
		}
	}
	if (!n)
		goto usage;
	/* A valid spec is also rendered in memory: validate promises render. */
	const char *tdir = data_path(&c, "templates");
	struct tmpl_cache *tc = tmpl_cache_new();
	struct arena *scratch = arena_new();
	for (size_t i = 0; i < n; i++) {
		struct value *model = model_load(&c, specs[i]);
		if (model)
			spec_render_check(&c, model, tdir, tc, scratch);
	}
	arena_free(scratch);
	ctx_report(&c);
	tmpl_cache_free(tc);
	int rc = c.diags.nerrors || (strict && c.diags.nwarnings) ? EXIT_INVALID : EXIT_OK;
	for (size_t i = 0; i < c.diags.n; i++)
		if (!strcmp(c.diags.items[i].id, "io") || !strcmp(c.diags.items[i].id, "schema-load"))
			rc = EXIT_USAGE;
	ctx_free(&c);
	return rc;
usage:
	fputs(help, stderr);
	ctx_free(&c);
	return EXIT_USAGE;
}
