/* emit_cases - write the emitters' round-trip cases for the real parsers.
 *
 *   emit_cases DIR
 *
 * Writes, with asbgen's YAML and HCL emitters, the cases of emit_cases.h:
 * every tricky string (as a value, a key and an item), everything in one
 * document, inf and nan (YAML), and files written wrong on purpose:
 *
 *   DIR/yaml/NAME.yaml    DIR/yaml.json   the intended trees
 *   DIR/hcl/NAME.tfvars   DIR/hcl.json
 *
 * Each JSON is {"outputs": {FILE: TREE}, "must_fail": [FILE]} as
 * tests/intended.py reads it (tests/yaml_roundtrip.py DIR/yaml.json
 * DIR/yaml; node tests/hcl_roundtrip.js DIR/hcl.json DIR/hcl).  Prints one
 * line per checker, "yaml N PyYAML" and "hcl N HashiCorp HCL (hcl2json)":
 * how many cases it must report.  Exit 0, 1 when an emitter failed, 2 on
 * a usage or I/O error.
 */
#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "emit.h"
#include "emit_cases.h"
#include "value.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static struct arena *A;
static struct diags D;

/* One checker's cases: the files written and the intended JSON so far. */
struct batch {
	const char *dir, *ext;
	struct buf json, must_fail;
	size_t n;
};

static void make_dir(const char *path)
{
	if (mkdir(path, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "emit_cases: %s: %s\n", path, strerror(errno));
		exit(2);
	}
}

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *fp = fopen(path, "wb");
	if (!fp || fwrite(data, 1, len, fp) != len || fclose(fp) != 0) {
		fprintf(stderr, "emit_cases: cannot write %s\n", path);
		exit(2);
	}
}

/* The JSON text of a value, without the emitter's closing newline. */
static void put_json(struct buf *out, const struct value *v)
{
	struct buf b = BUF_INIT;
	if (emit_json(&b, v, &D) != 0) {
		fprintf(stderr, "emit_cases: the JSON emitter failed\n");
		exit(1);
	}
	buf_add(out, b.data, b.len - 1);
	buf_free(&b);
}

/* A case: FILE is NAME.EXT with TEXT; WANT_JSON the intended tree. */
static void add_text(struct batch *b, const char *name, const char *text, size_t len, const char *want_json,
		     bool must_fail)
{
	char file[256], path[1024];
	snprintf(file, sizeof file, "%s.%s", name, b->ext);
	snprintf(path, sizeof path, "%s/%s", b->dir, file);
	write_file(path, text, len);
	struct value *key = v_str(A, NULL, file);
	buf_puts(&b->json, b->n++ ? ",\n" : "\n");
	put_json(&b->json, key);
	buf_puts(&b->json, ": ");
	buf_puts(&b->json, want_json);
	if (must_fail) {
		buf_puts(&b->must_fail, b->must_fail.len ? ", " : "");
		put_json(&b->must_fail, key);
	}
}

/* A case emitted from DOC with FN. */
static void add_doc(struct batch *b, const char *name, emit_fn fn, const struct value *doc)
{
	struct buf text = BUF_INIT, want = BUF_INIT;
	if (fn(&text, doc, &D) != 0) {
		fprintf(stderr, "emit_cases: the %s emitter failed on %s\n", b->ext, name);
		exit(1);
	}
	put_json(&want, doc);
	add_text(b, name, text.data ? text.data : "", text.len, buf_cstr(&want), false);
	buf_free(&text);
	buf_free(&want);
}

static void finish(struct batch *b, const char *json_path, const char *label)
{
	struct buf out = BUF_INIT;
	buf_printf(&out, "{\"outputs\": {%s},\n\"must_fail\": [%s]}\n", buf_cstr(&b->json), buf_cstr(&b->must_fail));
	write_file(json_path, out.data, out.len);
	printf("%s %zu %s\n", b->ext[0] == 'y' ? "yaml" : "hcl", b->n, label);
	buf_free(&out);
	buf_free(&b->json);
	buf_free(&b->must_fail);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fputs("usage: emit_cases DIR\n", stderr);
		return 2;
	}
	A = arena_new();
	diags_init(&D, A);
	ec_init();
	char ydir[1024], hdir[1024], yjson[1024], hjson[1024];
	snprintf(ydir, sizeof ydir, "%s/yaml", argv[1]);
	snprintf(hdir, sizeof hdir, "%s/hcl", argv[1]);
	snprintf(yjson, sizeof yjson, "%s/yaml.json", argv[1]);
	snprintf(hjson, sizeof hjson, "%s/hcl.json", argv[1]);
	make_dir(argv[1]);
	make_dir(ydir);
	make_dir(hdir);
	struct batch y = { ydir, "yaml", BUF_INIT, BUF_INIT, 0 };
	struct batch h = { hdir, "tfvars", BUF_INIT, BUF_INIT, 0 };

	for (size_t i = 0; i < NTRICKY; i++) {
		add_doc(&y, tricky[i].name, emit_yaml, ec_yaml_doc(A, ec_str(A, &tricky[i])));
		add_doc(&h, tricky[i].name, emit_hcl, ec_hcl_doc(A, ec_str(A, &tricky[i])));
	}
	add_doc(&y, "everything in one document", emit_yaml, ec_yaml_big(A));
	add_doc(&h, "everything in one file", emit_hcl, ec_hcl_big(A));

	struct buf t = BUF_INIT;
	if (emit_yaml(&t, ec_yaml_infnan(A), &D) != 0)
		return 1;
	add_text(&y, "inf and nan", t.data, t.len, "[Infinity, -Infinity, NaN]", false);
	buf_free(&t);

	/* Wrong on purpose: a checker that accepts these reads nothing. */
	add_text(&y, "SELFTEST-must-fail-yes", "- yes\n", 6, "[\"yes\"]", true);
	add_text(&y, "SELFTEST-must-fail-0755", "- 0755\n", 7, "[\"0755\"]", true);
	add_text(&h, "SELFTEST-must-fail-template", "a = \"${x}\"\n", 11, "{\"a\": \"${x}\"}", true);

	finish(&y, yjson, "PyYAML");
	finish(&h, hjson, "HashiCorp HCL (hcl2json)");
	int rc = fflush(stdout) == 0 ? 0 : 2;
	diags_free(&D);
	arena_free(A);
	return rc;
}
