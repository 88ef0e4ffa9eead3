/* cmd_validate.c - `asbgen validate`: every problem in the specs, at its line. */
#include "cli.h"
#include "validate_run.h"

#include <stdlib.h>
#include <string.h>

static const char help[] =
	"usage: asbgen validate SPEC... [--format text|json|github] [--strict] [--testid ID] [-j N]\n"
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
	"  -j, --jobs N   check the specs in N threads (default: one per CPU, for\n"
	"                 16 specs or more each); the report is the same for any N\n"
	"\n"
	"exit: 0 valid, 1 errors (or warnings with --strict), 2 usage or I/O error\n";

/* N of --jobs: 1 to 1024. */
static bool parse_jobs(const char *s, unsigned *out)
{
	char *end;
	unsigned long n = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || n < 1 || n > 1024) {
		fprintf(stderr, "asbgen validate: --jobs takes a number from 1 to 1024, not '%s'\n", s);
		return false;
	}
	*out = (unsigned)n;
	return true;
}

/* The text of --help, for completion and suggestions (commands.c). */
const char *const cmd_validate_help = help;

int cmd_validate(int argc, char **argv)
{
	struct ctx c;
	ctx_init(&c);
	bool strict = false, dashdash = false;
	unsigned jobs = 0; /* 0: validate_auto_jobs */
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
		} else if ((r = opt_value(argc, argv, &i, "--jobs", &v)) != 0 ||
			   (r = opt_value(argc, argv, &i, "-j", &v)) != 0) {
			if (r < 0 || !parse_jobs(v, &jobs))
				goto usage;
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
	struct validation *v = validate_specs(&c, specs, n, tdir, jobs ? jobs : validate_auto_jobs(n));
	ctx_report(&c);
	validation_free(v);
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
