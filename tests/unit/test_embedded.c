/* test_embedded.c - the built-in templates and schema compiled into the
 * binary (compiler/embedded.h): each table's tree is exactly what loading
 * the file gives (kinds, values, flags, marks, shared nodes; a template's
 * strings flagged VF_YAML_PLAIN as emit_yaml decides it), the tables
 * are used only for the exact bytes they were built from, and every
 * template file of templates/ is in them.  Each template's compiled image
 * (tmpl_image.h) loads as the tree compiling the file at run time gives. */
#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arena.h"
#include "diag.h"
#include "embedded.h"
#include "emit.h"
#include "json_value.h"
#include "kafka_config.h"
#include "expr_ast.h"
#include "load.h"
#include "template.h"
#include "tmpl_compiled.h"
#include "tmpl_image.h"
#include "unit.h"

/* Pairs of nodes seen together: a node shared in one tree (a YAML alias)
 * must be shared the same way in the other. */
struct pairs {
	const struct value **a, **b;
	size_t n, cap;
};

static bool paired(struct pairs *p, const struct value *a, const struct value *b, bool *seen)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->a[i] == a || p->b[i] == b) {
			*seen = true;
			return p->a[i] == a && p->b[i] == b;
		}
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 256;
		p->a = xrealloc(p->a, p->cap * sizeof *p->a);
		p->b = xrealloc(p->b, p->cap * sizeof *p->b);
	}
	p->a[p->n] = a;
	p->b[p->n++] = b;
	*seen = false;
	return true;
}

static bool mark_eq(const struct mark *a, const struct mark *b)
{
	if (!a->file != !b->file || (a->file && strcmp(a->file, b->file) != 0))
		return false;
	return a->line == b->line && a->col == b->col;
}

/* Deep equality with marks, flags and sharing; *why says where not. */
static bool same(struct pairs *p, const struct value *a, const struct value *b, const char **why)
{
	bool seen;
	if (!paired(p, a, b, &seen)) {
		*why = "sharing differs";
		return false;
	}
	if (seen)
		return true;
	if (a->kind != b->kind || a->flags != b->flags || !mark_eq(&a->mark, &b->mark)) {
		*why = "kind, flags or mark differ";
		return false;
	}
	switch (a->kind) {
	case V_NULL:
		return true;
	case V_BOOL:
		return a->b == b->b || (*why = "boolean differs", false);
	case V_INT:
		return a->i == b->i || (*why = "integer differs", false);
	case V_FLOAT:
		return memcmp(&a->f, &b->f, sizeof a->f) == 0 || (isnan(a->f) && isnan(b->f)) ||
		       (*why = "float differs", false);
	case V_STRING:
		return (a->str.len == b->str.len && memcmp(a->str.s, b->str.s, a->str.len) == 0 &&
			b->str.s[b->str.len] == '\0') || (*why = "string differs", false);
	case V_SEQ:
		if (a->seq.n != b->seq.n) {
			*why = "sequence length differs";
			return false;
		}
		for (size_t i = 0; i < a->seq.n; i++)
			if (!same(p, a->seq.items[i], b->seq.items[i], why))
				return false;
		return true;
	case V_MAP:
		if (a->map.n != b->map.n) {
			*why = "mapping size differs";
			return false;
		}
		for (size_t i = 0; i < a->map.n; i++)
			if (!same(p, a->map.items[i].key, b->map.items[i].key, why) ||
			    !same(p, a->map.items[i].val, b->map.items[i].val, why))
				return false;
		return true;
	}
	return false;
}

/* What the build adds to a loaded template: emit_yaml's plain flag on
 * every string it would write as it is.  Counts the strings flagged. */
static size_t mark_plain_all(struct value *v)
{
	size_t n = 0;
	if (v->kind == V_STRING) {
		emit_yaml_mark_plain(v);
		n = (v->flags & VF_YAML_PLAIN) != 0;
	} else if (v->kind == V_SEQ) {
		for (size_t i = 0; i < v->seq.n; i++)
			n += mark_plain_all(v->seq.items[i]);
	} else if (v->kind == V_MAP) {
		for (size_t i = 0; i < v->map.n; i++)
			n += mark_plain_all(v->map.items[i].key) + mark_plain_all(v->map.items[i].val);
	}
	return n;
}

/* One built-in file read back from the source tree, in an arena of its
 * own with its own diagnostics: each table test's loop opens one. */
struct src {
	struct arena *a;
	struct diags d;
	const char *path; /* DIR/REL */
	char *text;       /* NULL when unreadable */
	size_t len;
};

static void src_open(struct src *s, const char *dir, const char *rel)
{
	s->a = arena_new();
	diags_init(&s->d, s->a);
	s->path = arena_printf(s->a, "%s/%s", dir, rel);
	s->text = unit_slurp(s->path, &s->len);
}

static void src_close(struct src *s)
{
	free(s->text);
	diags_free(&s->d);
	arena_free(s->a);
}

static void test_templates(void)
{
	size_t plain = 0;
	int bad = 0;
	for (size_t i = 0; i < emb_templates.nfiles; i++) {
		const struct emb_file *f = &emb_templates.files[i];
		struct src sf;
		src_open(&sf, "templates", f->rel);
		const struct emb_file *found = sf.text ? emb_find(&emb_templates, f->rel, sf.text, sf.len) : NULL;
		struct value *parsed = sf.text ? load_yaml_string(sf.a, &sf.d, sf.path, sf.text, sf.len) : NULL;
		struct value *built = found ? emb_tree(sf.a, &emb_templates, found, sf.path) : NULL;
		if (parsed)
			plain += mark_plain_all(parsed);
		struct pairs p = { 0 };
		const char *why = "not found in the tables (rebuild?)";
		if (!parsed || !built || sf.d.n || !same(&p, parsed, built, &why)) {
			bad++;
			printf("# %s: %s\n", sf.path, why);
		}
		free(p.a);
		free(p.b);
		src_close(&sf);
	}
	CHECK("templates: each embedded tree is what loading its file gives (values, flags with emit_yaml's "
	      "plain flag, marks, sharing)",
	      bad == 0 && emb_templates.nfiles > 0 && plain > 0);
}

/* ---------------------------------------------------------------- compiled images */

static bool str_eq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static bool site_eq(struct pairs *p, const struct expr_site *a, const struct expr_site *b, const char **why)
{
	if (!a || !b)
		return (!a && !b) || (*why = "site missing", false);
	if (!mark_eq(&a->mark, &b->mark) || a->len != b->len || memcmp(a->text, b->text, a->len) != 0 ||
	    a->flags != b->flags || a->exact != b->exact || b->reported) {
		*why = "site differs";
		return false;
	}
	return same(p, a->bools[0], b->bools[0], why) && same(p, a->bools[1], b->bools[1], why);
}

static bool expr_eq(struct pairs *p, const struct expr *a, const struct expr *b, const char **why)
{
	if (!a || !b)
		return (!a && !b) || (*why = "expression missing", false);
	if (a->kind != b->kind || a->fn != b->fn || a->start != b->start || a->end != b->end ||
	    a->namelen != b->namelen || !str_eq(a->name, b->name) || a->nargs != b->nargs || b->hint) {
		*why = "expression differs";
		return false;
	}
	if (!a->lit != !b->lit || (a->lit && !same(p, a->lit, b->lit, why)))
		return a->lit && b->lit ? false : (*why = "literal missing", false);
	if (!expr_eq(p, a->l, b->l, why) || !expr_eq(p, a->r, b->r, why))
		return false;
	for (size_t i = 0; i < a->nargs; i++)
		if (!expr_eq(p, a->args[i], b->args[i], why))
			return false;
	return true;
}

static bool tnode_eq(struct pairs *p, const struct tnode *a, const struct tnode *b, const char **why);

static bool tent_eq(struct pairs *p, const struct tent *a, const struct tent *b, const char **why)
{
	if (a->kind != b->kind || !str_eq(a->v1, b->v1) || !str_eq(a->v2, b->v2)) {
		*why = "entry differs";
		return false;
	}
	return same(p, a->src, b->src, why) && tnode_eq(p, a->key, b->key, why) &&
	       tnode_eq(p, a->val, b->val, why) && tnode_eq(p, a->els, b->els, why) &&
	       site_eq(p, a->site, b->site, why) && expr_eq(p, a->e, b->e, why);
}

/* The two compiled trees are the same, field by field, with the same
 * values (and value sharing) below them. */
static bool tnode_eq(struct pairs *p, const struct tnode *a, const struct tnode *b, const char **why)
{
	if (!a || !b)
		return (!a && !b) || (*why = "node missing", false);
	if (a->kind != b->kind || a->nparts != b->nparts || a->nents != b->nents) {
		*why = "node differs";
		return false;
	}
	if (!same(p, a->src, b->src, why) || !site_eq(p, a->site, b->site, why) || !expr_eq(p, a->e, b->e, why))
		return false;
	for (size_t i = 0; i < a->nparts; i++) {
		const struct tpart *x = &a->parts[i], *y = &b->parts[i];
		if (x->len != y->len || !x->lit != !y->lit || (x->lit && memcmp(x->lit, y->lit, x->len + 1) != 0) ||
		    x->line != y->line || x->kv != y->kv) {
			*why = "interpolation part differs";
			return false;
		}
		if (!expr_eq(p, x->e, y->e, why))
			return false;
	}
	for (size_t i = 0; i < a->nents; i++)
		if (!tent_eq(p, &a->ents[i], &b->ents[i], why))
			return false;
	return true;
}

/* Each relocation lies inside the block, on a pointer's alignment, and a
 * pointer one points into the block. */
static bool relocs_ok(const struct tmpl_image *im)
{
	for (uint32_t i = 0; i < im->nrelocs; i++) {
		uint32_t off = im->relocs[i] >> 1;
		if (off % sizeof(void *) || off + sizeof(uintptr_t) > im->size)
			return false;
		uintptr_t v;
		memcpy(&v, im->bytes + off, sizeof v);
		if (!(im->relocs[i] & TMPL_RELOC_FILE) && v >= im->size)
			return false;
	}
	return true;
}

static void test_images(void)
{
	int bad = 0, images = 0, relocs_bad = 0, layout_refused = 0;
	for (size_t i = 0; i < emb_templates.nfiles; i++) {
		const struct emb_file *f = &emb_templates.files[i];
		const struct tmpl_image *im = &emb_template_images[i];
		if (!im->bytes) {
			/* only the index, which template.c compiles entry by entry */
			if (strcmp(f->rel, TMPL_INDEX) != 0) {
				bad++;
				printf("# %s: no compiled image\n", f->rel);
			}
			continue;
		}
		images++;
		relocs_bad += !relocs_ok(im);
		struct src sf;
		src_open(&sf, "templates", f->rel);
		struct arena *a = sf.a;
		/* Where a site's own copy would be: the marks must name it. */
		const char *path = arena_printf(a, "elsewhere/%s", f->rel);
		struct value *doc = sf.text ? load_yaml_string(a, &sf.d, path, sf.text, sf.len) : NULL;
		if (doc)
			mark_plain_all(doc);
		struct expr_env env = { .a = a, .d = &sf.d };
		const struct tnode *compiled = doc ? tmpl_compile(&env, doc) : NULL;
		const struct tnode *loaded = tmpl_image_load(a, im, path);
		struct pairs p = { 0 };
		const char *why = "not loaded";
		if (!compiled || !loaded || sf.d.n || env.failed || !tnode_eq(&p, compiled, loaded, &why)) {
			bad++;
			printf("# %s: %s\n", f->rel, why);
		}
		struct tmpl_image other = *im;
		other.layout ^= 1;
		layout_refused += tmpl_image_load(a, &other, path) == NULL;
		free(p.a);
		free(p.b);
		src_close(&sf);
	}
	CHECK("images: each built-in template but the index has one, and it loads as compiling its file gives "
	      "(nodes, expressions, sites, values, marks naming the file loaded, sharing)",
	      bad == 0 && images > 0);
	CHECK("images: every relocation is an aligned pointer inside its block", relocs_bad == 0);
	CHECK("images: one laid out with another layout is refused (then compiled at run time)",
	      layout_refused == images);
}

/* Every .yaml file below dir (rel: its path below templates/) is embedded. */
static int count_missing(const char *dir, const char *rel)
{
	DIR *dp = opendir(dir);
	if (!dp)
		return 1;
	int missing = 0;
	struct dirent *e;
	while ((e = readdir(dp))) {
		if (e->d_name[0] == '.')
			continue;
		char path[4096], r[4096];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		snprintf(r, sizeof r, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
		struct stat st;
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			missing += count_missing(path, r);
			continue;
		}
		size_t n = strlen(r);
		if (n < 5 || strcmp(r + n - 5, ".yaml") != 0)
			continue;
		bool found = false;
		for (size_t i = 0; i < emb_templates.nfiles && !found; i++)
			found = !strcmp(emb_templates.files[i].rel, r);
		if (!found) {
			printf("# templates/%s is not embedded\n", r);
			missing++;
		}
	}
	closedir(dp);
	return missing;
}

static void test_content_key(void)
{
	const struct emb_file *f = NULL;
	for (size_t i = 0; i < emb_templates.nfiles && !f; i++)
		if (!strcmp(emb_templates.files[i].rel, "files.yaml"))
			f = &emb_templates.files[i];
	CHECK("tables: files.yaml is embedded", f != NULL);
	if (!f)
		return;
	size_t n = f->text_len;
	char *copy = xmalloc(n + 2);
	memcpy(copy, emb_templates.blob + f->text_off, n);
	CHECK("tables: the exact bytes find the file", emb_find(&emb_templates, "files.yaml", copy, n) == f);
	copy[n / 2] ^= 1;
	CHECK("tables: one byte changed is not the built-in file", !emb_find(&emb_templates, "files.yaml", copy, n));
	copy[n / 2] ^= 1;
	copy[n] = '\n';
	CHECK("tables: one byte more is not the built-in file", !emb_find(&emb_templates, "files.yaml", copy, n + 1));
	CHECK("tables: one byte less is not the built-in file", !emb_find(&emb_templates, "files.yaml", copy, n - 1));
	CHECK("tables: another name is not the built-in file", !emb_find(&emb_templates, "other.yaml", copy, n));
	free(copy);
	CHECK("tables: every templates/**/*.yaml file is embedded", count_missing("templates", "") == 0);
}

static void test_schema(void)
{
	bool ok = emb_schemas.nfiles > 0;
	for (size_t i = 0; i < emb_schemas.nfiles; i++) {
		const struct emb_file *f = &emb_schemas.files[i];
		char path[4096];
		snprintf(path, sizeof path, "schemas/%s", f->rel);
		size_t len;
		char *text = unit_slurp(path, &len);
		json_error_t err;
		json_t *parsed = text ? json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL | JSON_DECODE_ANY,
						   &err) : NULL;
		const struct emb_file *found = text ? emb_find(&emb_schemas, f->rel, text, len) : NULL;
		/* The tree schema.c validates with, written back as JSON. */
		struct arena *a = arena_new();
		json_t *built = found ? value_to_json(emb_tree(a, &emb_schemas, found, path)) : NULL;
		arena_free(a);
		/* Equal, and in the same key order (jansson keeps insertion
		 * order; defaults and messages follow it). */
		char *da = parsed ? json_dumps(parsed, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
		char *db = built ? json_dumps(built, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
		if (!parsed || !built || !json_equal(parsed, built) || !da || !db || strcmp(da, db) != 0) {
			printf("# %s: the embedded document differs from the file\n", path);
			ok = false;
		}
		free(da);
		free(db);
		json_decref(parsed);
		json_decref(built);
		free(text);
	}
	CHECK("schemas: each embedded document is the file's, keys in the same order", ok);
}

static bool strs_eq(const char *const *a, const char *const *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!str_eq(a[i], b[i]))
			return false;
	return true;
}

static bool options_eq(const struct kafka_option *a, const struct kafka_option *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!str_eq(a[i].name, b[i].name) || a[i].type != b[i].type || !str_eq(a[i].min, b[i].min) ||
		    !str_eq(a[i].max, b[i].max) || !str_eq(a[i].alt, b[i].alt) || a[i].nenums != b[i].nenums ||
		    (a[i].enums != NULL) != (b[i].enums != NULL) || (a[i].enums && !strs_eq(a[i].enums, b[i].enums, a[i].nenums)) ||
		    a[i].nonempty != b[i].nonempty || !str_eq(a[i].removed, b[i].removed) ||
		    !str_eq(a[i].instead, b[i].instead) || !str_eq(a[i].broker, b[i].broker))
			return false;
	return true;
}

/* Each built-in Kafka table is what kafka_config.c reads from its file,
 * field by field, and every .tsv file of schemas/kafka is built in. */
static void test_kafka(void)
{
	int bad = 0;
	for (size_t i = 0; i < emb_kafka_src.nfiles; i++) {
		const struct emb_file *f = &emb_kafka_src.files[i];
		struct src sf;
		src_open(&sf, "schemas/kafka", f->rel);
		struct arena *a = sf.a;
		struct kafka_tables t = { .tables = arena_alloc(a, sizeof *t.tables) };
		bool strimzi = false;
		bool read = sf.text && emb_find(&emb_kafka_src, f->rel, sf.text, sf.len) == f &&
			    kafka_file_read(a, &sf.d, sf.path, arena_strndup(a, sf.text, sf.len), &t, &strimzi) &&
			    !sf.d.n;
		const struct emb_kafka *k = &emb_kafka[i];
		bool same;
		if (!read) {
			same = false;
		} else if (strimzi) {
			const struct kafka_strimzi *x = &t.strimzi, *y = k->strimzi;
			same = y && !k->table && x->nforbidden == y->nforbidden && x->nexceptions == y->nexceptions &&
			       x->nlistener == y->nlistener && strs_eq(x->forbidden, y->forbidden, x->nforbidden) &&
			       strs_eq(x->where, y->where, x->nforbidden) &&
			       strs_eq(x->exceptions, y->exceptions, x->nexceptions) &&
			       strs_eq(x->listener, y->listener, x->nlistener);
		} else {
			const struct kafka_table *x = &t.tables[0], *y = k->table;
			same = y && !k->strimzi && t.n == 1 && str_eq(x->version, y->version) && x->nbroker == y->nbroker &&
			       x->ntopic == y->ntopic && options_eq(x->broker, y->broker, x->nbroker) &&
			       options_eq(x->topic, y->topic, x->ntopic) &&
			       strs_eq(x->broker_names, y->broker_names, x->nbroker) &&
			       strs_eq(x->topic_names, y->topic_names, x->ntopic);
		}
		if (!same) {
			bad++;
			printf("# %s: %s\n", sf.path, read ? "the built-in table differs from the file's" : "cannot be read");
		}
		src_close(&sf);
	}
	CHECK("kafka: each built-in table is what reading its file gives", bad == 0 && emb_kafka_src.nfiles >= 3);
	int missing = 0;
	DIR *dp = opendir("schemas/kafka");
	for (struct dirent *e; dp && (e = readdir(dp));) {
		size_t n = strlen(e->d_name);
		if (n < 4 || strcmp(e->d_name + n - 4, ".tsv"))
			continue;
		bool found = false;
		for (size_t i = 0; i < emb_kafka_src.nfiles && !found; i++)
			found = !strcmp(emb_kafka_src.files[i].rel, e->d_name);
		if (!found) {
			printf("# schemas/kafka/%s is not built in\n", e->d_name);
			missing++;
		}
	}
	if (dp)
		closedir(dp);
	CHECK("kafka: every schemas/kafka/*.tsv file is built in", dp && missing == 0);
}

int main(void)
{
	test_templates();
	test_images();
	test_content_key();
	test_schema();
	test_kafka();
	return UNIT_DONE();
}
