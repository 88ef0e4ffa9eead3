/* cmd_model.c - `asbgen model [--sources] SPEC`: the resolved model, as
 * JSON or as one line per value with where it came from. */
#include "arena.h"
#include "buf.h"
#include "cli.h"
#include "defaults.h"
#include "emit.h"
#include "emit_common.h"
#include "json_value.h"
#include "model.h"

#include <string.h>

static const char help[] =
	"usage: asbgen model [--sources] [--testid ID] SPEC\n"
	"\n"
	"Print the model resolved from SPEC as JSON: every default filled and every\n"
	"derived value computed.  Templates see exactly this tree.  SPEC - reads\n"
	"standard input.\n"
	"\n"
	"  --sources  one line per value instead: PATH = VALUE  # SOURCE, where SOURCE\n"
	"             is the spec position that decided it (FILE:LINE:COL), 'default\n"
	"             SPEC.PATH (FILE:LINE:COL)' for a default of the schema, or\n"
	"             'derived' for a value asbgen computed from no one spec value\n"
	"  --testid ID  the model of the test instance ID (asbgen render --testid)\n";

static void put_source(struct buf *out, const struct defaults *d, const struct value *v)
{
	const char *dp = defaults_path_of(d, v);
	if (dp)
		buf_printf(out, "default %s (%s:%d:%d)", dp, v->mark.file ? v->mark.file : "?", v->mark.line,
			   v->mark.col);
	else if (v->mark.file)
		buf_printf(out, "%s:%d:%d", v->mark.file, v->mark.line, v->mark.col);
	else
		buf_puts(out, "derived");
}

/* Every leaf (scalar, empty list or mapping) of v under path. */
static void sources(struct buf *out, struct buf *path, const struct defaults *d, const struct value *v)
{
	size_t save = path->len;
	if (v->kind == V_MAP && v->map.n) {
		for (size_t i = 0; i < v->map.n; i++) {
			path_put_key(path, v->map.items[i].key->str.s, v->map.items[i].key->str.len);
			sources(out, path, d, v->map.items[i].val);
			path->len = save;
		}
		return;
	}
	if (v->kind == V_SEQ && v->seq.n) {
		for (size_t i = 0; i < v->seq.n; i++) {
			buf_printf(path, "[%zu]", i);
			sources(out, path, d, v->seq.items[i]);
			path->len = save;
		}
		return;
	}
	json_t *j = value_to_json(v);
	char *text = j ? json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
	json_decref(j);
	if (!text)
		die_oom();
	buf_add(out, path->data, path->len);
	buf_printf(out, " = %s  # ", text);
	free(text);
	put_source(out, d, v);
	buf_putc(out, '\n');
}

/* The text of --help, for completion and suggestions (commands.c). */
const char *const cmd_model_help = help;

int cmd_model(int argc, char **argv)
{
	const char *spec_path = NULL, *testid = NULL;
	bool with_sources = false;
	for (int i = 1; i < argc; i++) {
		const char *v;
		int r;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(help, stdout);
			return EXIT_OK;
		}
		if (!strcmp(argv[i], "--sources")) {
			with_sources = true;
			continue;
		}
		if ((r = opt_value(argc, argv, &i, "--testid", &v)) != 0) {
			if (r < 0 || !parse_testid("model", v, &testid)) {
				fprintf(stderr, "\n%s", help);
				return EXIT_USAGE;
			}
			continue;
		}
		if (argv[i][0] == '-' && argv[i][1] && strcmp(argv[i], "--") != 0) {
			unknown_option("model", argv[i], help);
			fprintf(stderr, "\n%s", help);
			return EXIT_USAGE;
		}
		if (!strcmp(argv[i], "--")) {
			if (++i == argc)
				break;
		}
		if (spec_path) {
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
	c.testid = testid;
	struct defaults filled = { 0 };
	if (with_sources)
		c.defaults = &filled; /* the spec paths of the defaults are made only for this */
	int rc = EXIT_INVALID;
	struct value *model = model_load(&c, spec_path);
	if (model) {
		struct buf b = BUF_INIT, path = BUF_INIT;
		if (with_sources) {
			sources(&b, &path, &filled, model);
			rc = EXIT_OK;
		} else if (emit_json(&b, model, &c.diags) == 0) {
			rc = EXIT_OK;
		}
		if (rc == EXIT_OK)
			fwrite(b.data, 1, b.len, stdout);
		buf_free(&b);
		buf_free(&path);
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
