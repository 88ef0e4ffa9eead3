/* cmd_validate.c - `asbgen validate`: every problem in the specs, at its line. */
#include "arena.h"
#include "cli.h"
#include "render_check.h"
#include "template.h"

#include <stdlib.h>
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

/* Arenas of specs that reported something, freed after the report. */
struct spec_arenas {
	struct arena **v;
	size_t n, cap;
};

static void keep_arena(struct spec_arenas *k, struct arena *a)
{
	if (k->n == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 8;
		k->v = xrealloc(k->v, k->cap * sizeof *k->v);
	}
	k->v[k->n++] = a;
}

/* Forget the source texts held by a (the spec's, not the templates'
 * that a cache keeps), before a is cleared. */
static void drop_sources_in(struct diags *d, const struct arena *a)
{
	size_t k = 0;
	for (size_t i = 0; i < d->nsources; i++)
		if (!arena_holds(a, d->sources[i].text) && !arena_holds(a, d->sources[i].path))
			d->sources[k++] = d->sources[i];
	d->nsources = k;
}

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
	/* Each spec is compiled in an arena of its own, cleared for the next
	 * one unless a diagnostic points into it (its text, its marks): memory
	 * stays that of one spec, not of all (146 MiB for 1,000 small specs,
	 * every page of it faulted in and zeroed). */
	struct spec_arenas kept = { 0 };
	c.keep = c.arena;
	struct arena *sa = arena_new();
	for (size_t i = 0; i < n; i++) {
		size_t nd = c.diags.n;
		c.arena = sa;
		struct value *model = model_load(&c, specs[i]);
		if (model)
			spec_render_check(&c, model, tdir, tc, scratch);
		c.arena = c.keep;
		if (c.diags.n > nd) {
			keep_arena(&kept, sa);
			sa = arena_new();
		} else {
			drop_sources_in(&c.diags, sa);
			arena_clear(sa);
		}
	}
	arena_free(scratch);
	ctx_report(&c);
	tmpl_cache_free(tc);
	arena_free(sa);
	for (size_t i = 0; i < kept.n; i++)
		arena_free(kept.v[i]);
	free(kept.v);
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
