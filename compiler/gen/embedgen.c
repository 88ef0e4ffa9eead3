/* embedgen.c - build step: the built-in templates and schema as C tables.
 *
 *   embedgen OUT.c TDIR REL... -- SDIR REL... -- KDIR REL...
 *
 * Loads each TDIR/REL with asbgen's own YAML loader (load.c) and each
 * SDIR/REL with jansson as schema.c reads it, and writes their trees, with
 * the exact source bytes they came from, as the tables of embedded.h
 * (emb_templates, emb_schemas).  A file the loader reports anything about
 * is left out: at run time it is then parsed, and reported, as before.
 * A template's strings carry VF_YAML_PLAIN where emit_yaml would write
 * them as they are, decided here once instead of at every start-up.
 * Each template but the index is also compiled here (tmpl_compile.c) and
 * written as a relocatable image (tmpl_image.h, emb_template_images), so
 * a start-up copies it instead of compiling; one the compiler reports
 * anything about gets none.
 * Each KDIR/REL (schemas/kafka) is read by kafka_config.c as asbgen reads
 * it, and written as the C structs of kafka_config.h (emb_kafka), beside
 * its bytes (emb_kafka_src); a file it reports anything about is left out.
 * The output depends only on the files' bytes and the order given.
 */
#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "embedded.h"
#include "emit.h"
#include "expr.h"
#include "kafka_config.h"
#include "load.h"
#include "template.h"
#include "tmpl_compiled.h"
#include "tmpl_image.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct bytes {
	char *p;
	size_t n, cap;
};

static void put(struct bytes *b, const void *p, size_t n)
{
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2 + 4096;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
}

/* Growable arrays of the table being built. */
struct table {
	struct emb_node *nodes;
	size_t nn, capn;
	uint32_t *kids;
	size_t nk, capk;
	struct bytes blob;
	/* Strings already in the blob: open addressing, offsets + 1. */
	uint32_t *soff, *slen;
	size_t scap, sn;
	struct emb_file *files;
	const char **rels;
	size_t nf, capf;
	/* Per file (templates only): its compiled image, or none (size 0). */
	struct compiled *imgs;
};

/* A template's compiled tree as tmpl_image.h lays it out. */
struct compiled {
	struct buf bytes;
	uint32_t *relocs;
	size_t nrelocs;
};

static uint64_t fnv(const char *s, size_t n)
{
	uint64_t h = 14695981039346656037ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

static uint32_t blob_raw(struct table *t, const char *s, size_t n)
{
	if (t->blob.n + n + 1 > UINT32_MAX) {
		fputs("embedgen: the tables exceed 4 GiB\n", stderr);
		exit(1);
	}
	uint32_t off = (uint32_t)t->blob.n;
	put(&t->blob, s, n);
	put(&t->blob, "", 1);
	return off;
}

static void strings_grow(struct table *t)
{
	size_t oc = t->scap;
	uint32_t *oo = t->soff, *ol = t->slen;
	t->scap = oc ? oc * 2 : 4096;
	t->soff = xcalloc(t->scap, sizeof *t->soff);
	t->slen = xcalloc(t->scap, sizeof *t->slen);
	for (size_t i = 0; i < oc; i++) {
		if (!oo[i])
			continue;
		size_t j = fnv(t->blob.p + oo[i] - 1, ol[i]) & (t->scap - 1);
		while (t->soff[j])
			j = (j + 1) & (t->scap - 1);
		t->soff[j] = oo[i];
		t->slen[j] = ol[i];
	}
	free(oo);
	free(ol);
}

/* A string in the blob, once however often it occurs. */
static uint32_t blob_str(struct table *t, const char *s, size_t n)
{
	if ((t->sn + 1) * 2 > t->scap)
		strings_grow(t);
	size_t j = fnv(s, n) & (t->scap - 1);
	for (; t->soff[j]; j = (j + 1) & (t->scap - 1))
		if (t->slen[j] == n && memcmp(t->blob.p + t->soff[j] - 1, s, n) == 0)
			return t->soff[j] - 1;
	uint32_t off = blob_raw(t, s, n);
	t->soff[j] = off + 1;
	t->slen[j] = (uint32_t)n;
	t->sn++;
	return off;
}

static uint32_t new_node(struct table *t)
{
	if (t->nn == t->capn) {
		t->capn = t->capn ? t->capn * 2 : 1024;
		t->nodes = xrealloc(t->nodes, t->capn * sizeof *t->nodes);
	}
	memset(&t->nodes[t->nn], 0, sizeof t->nodes[0]);
	return (uint32_t)t->nn++;
}

static uint32_t new_kids(struct table *t, size_t n)
{
	while (t->nk + n > t->capk) {
		t->capk = t->capk ? t->capk * 2 : 1024;
		t->kids = xrealloc(t->kids, t->capk * sizeof *t->kids);
	}
	uint32_t at = (uint32_t)t->nk;
	t->nk += n;
	return at;
}

/* ---------------------------------------------------------------- value trees */

/* Nodes already written for this file (shared ones are written once). */
struct seen {
	const struct value **v;
	uint32_t *idx;
	size_t cap, n;
};

static size_t seen_slot(const struct seen *s, const struct value *v)
{
	uint64_t x = (uint64_t)(uintptr_t)v;
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	size_t i = (size_t)x & (s->cap - 1);
	while (s->v[i] && s->v[i] != v)
		i = (i + 1) & (s->cap - 1);
	return i;
}

static void seen_put(struct seen *s, const struct value *v, uint32_t idx)
{
	if ((s->n + 1) * 2 > s->cap) {
		struct seen old = *s;
		s->cap = old.cap ? old.cap * 2 : 1024;
		s->n = 0;
		s->v = xcalloc(s->cap, sizeof *s->v);
		s->idx = xcalloc(s->cap, sizeof *s->idx);
		for (size_t i = 0; i < old.cap; i++)
			if (old.v[i])
				seen_put(s, old.v[i], old.idx[i]);
		free(old.v);
		free(old.idx);
	}
	size_t i = seen_slot(s, v);
	if (!s->v[i])
		s->n++;
	s->v[i] = v;
	s->idx[i] = idx;
}

/* The node of v (relative to first), written with its subtree; false when
 * a mark names another file than path (then the file is left out). */
static bool put_value(struct table *t, struct seen *s, size_t first, const struct value *v, const char *path,
		      uint32_t *out)
{
	if (s->cap) {
		size_t i = seen_slot(s, v);
		if (s->v[i]) {
			*out = s->idx[i];
			return true;
		}
	}
	uint32_t me = new_node(t);
	*out = (uint32_t)(me - first);
	seen_put(s, v, *out);
	struct emb_node n = { 0 };
	n.kind = (uint8_t)v->kind;
	n.flags = (uint8_t)v->flags;
	if (v->flags > 0xff)
		return false;
	if (!v->mark.file) {
		n.nomark = 1;
		if (v->mark.line || v->mark.col)
			return false;
	} else if (strcmp(v->mark.file, path) != 0) {
		return false;
	}
	n.line = v->mark.line;
	n.col = v->mark.col;
	switch (v->kind) {
	case V_NULL:
		break;
	case V_BOOL:
		n.num.i = v->b;
		break;
	case V_INT:
		n.num.i = v->i;
		break;
	case V_FLOAT:
		n.num.f = v->f;
		break;
	case V_STRING:
		n.off = blob_str(t, v->str.s, v->str.len);
		n.len = (uint32_t)v->str.len;
		break;
	case V_SEQ: {
		uint32_t at = new_kids(t, v->seq.n);
		n.off = at;
		n.len = (uint32_t)v->seq.n;
		for (size_t i = 0; i < v->seq.n; i++) {
			uint32_t k;
			if (!put_value(t, s, first, v->seq.items[i], path, &k))
				return false;
			t->kids[at + i] = k;
		}
		break;
	}
	case V_MAP: {
		uint32_t at = new_kids(t, 2 * v->map.n);
		n.off = at;
		n.len = (uint32_t)v->map.n;
		for (size_t i = 0; i < v->map.n; i++) {
			uint32_t k, x;
			if (!put_value(t, s, first, v->map.items[i].key, path, &k) ||
			    !put_value(t, s, first, v->map.items[i].val, path, &x))
				return false;
			t->kids[at + 2 * i] = k;
			t->kids[at + 2 * i + 1] = x;
		}
		break;
	}
	}
	t->nodes[me] = n;
	return true;
}

/* ---------------------------------------------------------------- JSON documents */

static uint32_t put_json(struct table *t, size_t first, const json_t *j)
{
	uint32_t me = new_node(t);
	struct emb_node n = { 0 };
	n.nomark = 1;
	switch (json_typeof(j)) {
	case JSON_NULL:
		n.kind = V_NULL;
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		n.kind = V_BOOL;
		n.num.i = json_is_true(j);
		break;
	case JSON_INTEGER:
		n.kind = V_INT;
		n.num.i = json_integer_value(j);
		break;
	case JSON_REAL:
		n.kind = V_FLOAT;
		n.num.f = json_real_value(j);
		break;
	case JSON_STRING:
		n.kind = V_STRING;
		n.off = blob_str(t, json_string_value(j), json_string_length(j));
		n.len = (uint32_t)json_string_length(j);
		break;
	case JSON_ARRAY: {
		n.kind = V_SEQ;
		n.len = (uint32_t)json_array_size(j);
		uint32_t at = new_kids(t, n.len);
		n.off = at;
		for (size_t i = 0; i < n.len; i++) {
			uint32_t k = put_json(t, first, json_array_get(j, i));
			t->kids[at + i] = k;
		}
		break;
	}
	case JSON_OBJECT: {
		n.kind = V_MAP;
		n.len = (uint32_t)json_object_size(j);
		uint32_t at = new_kids(t, 2 * (size_t)n.len);
		n.off = at;
		size_t i = 0;
		const char *key;
		size_t klen;
		json_t *val;
		json_object_keylen_foreach((json_t *)j, key, klen, val) {
			uint32_t k = new_node(t);
			t->nodes[k].kind = V_STRING;
			t->nodes[k].nomark = 1;
			t->nodes[k].off = blob_str(t, key, klen);
			t->nodes[k].len = (uint32_t)klen;
			t->kids[at + 2 * i] = (uint32_t)(k - first);
			uint32_t x = put_json(t, first, val);
			t->kids[at + 2 * i + 1] = x;
			i++;
		}
		break;
	}
	}
	t->nodes[me] = n;
	return (uint32_t)(me - first);
}

/* ---------------------------------------------------------------- files */

static char *read_all(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		perror(path);
		exit(1);
	}
	struct bytes b = { 0 };
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
		put(&b, buf, n);
	if (ferror(fp)) {
		perror(path);
		exit(1);
	}
	fclose(fp);
	put(&b, "", 1);
	*len = b.n - 1;
	return b.p;
}

static void add_file(struct table *t, const char *rel, const char *text, size_t len, size_t first)
{
	if (t->nf == t->capf) {
		t->capf = t->capf ? t->capf * 2 : 64;
		t->files = xrealloc(t->files, t->capf * sizeof *t->files);
		t->rels = xrealloc(t->rels, t->capf * sizeof *t->rels);
		t->imgs = xrealloc(t->imgs, t->capf * sizeof *t->imgs);
	}
	t->imgs[t->nf] = (struct compiled){ BUF_INIT, NULL, 0 };
	struct emb_file *f = &t->files[t->nf];
	t->rels[t->nf++] = rel;
	f->text_off = blob_raw(t, text, len);
	f->text_len = (uint32_t)len;
	f->first = (uint32_t)first;
	f->nnodes = (uint32_t)(t->nn - first);
}

/* Every string of v (keys too) flagged as emit_yaml_mark_plain flags it:
 * the flag says something of the string's own text only, so a node the
 * template never outputs as it is carries it harmlessly. */
static void mark_plain_all(struct value *v, int depth)
{
	if (depth > 4096)
		return;
	if (v->kind == V_STRING) {
		emit_yaml_mark_plain(v);
	} else if (v->kind == V_SEQ) {
		for (size_t i = 0; i < v->seq.n; i++)
			mark_plain_all(v->seq.items[i], depth + 1);
	} else if (v->kind == V_MAP) {
		for (size_t i = 0; i < v->map.n; i++) {
			mark_plain_all(v->map.items[i].key, depth + 1);
			mark_plain_all(v->map.items[i].val, depth + 1);
		}
	}
}

/* Compile a template as tf_load (template.c) compiles the tree emb_tree
 * gives it at run time, and lay it out.  A template the compiler reports
 * anything about gets no image: at run time it is compiled, and
 * reported, as before. */
static void compile_file(struct compiled *out, struct arena *a, const struct value *doc, const char *path)
{
	struct diags d;
	diags_init(&d, a);
	struct expr_env env = { .a = a, .d = &d };
	const struct tnode *root = tmpl_compile(&env, doc);
	if (!env.failed && d.n == 0 &&
	    !tmpl_image_build(root, path, &out->bytes, &out->relocs, &out->nrelocs)) {
		free(out->relocs);
		buf_free(&out->bytes);
		*out = (struct compiled){ BUF_INIT, NULL, 0 };
	}
	diags_free(&d);
}

static void add_yaml(struct table *t, const char *dir, const char *rel)
{
	struct arena *a = arena_new();
	struct diags d;
	diags_init(&d, a);
	size_t len;
	const char *path = arena_printf(a, "%s/%s", dir, rel);
	char *text = read_all(path, &len);
	struct value *doc = load_yaml_string(a, &d, path, text, len);
	size_t first = t->nn, firstk = t->nk;
	struct seen s = { 0 };
	uint32_t root;
	if (doc && d.n == 0)
		mark_plain_all(doc, 0);
	if (doc && d.n == 0 && put_value(t, &s, first, doc, path, &root)) {
		add_file(t, rel, text, len, first);
		if (strcmp(rel, TMPL_INDEX) != 0)
			compile_file(&t->imgs[t->nf - 1], a, doc, path);
	} else
		t->nn = first, t->nk = firstk; /* left out: parsed at run time */
	free(s.v);
	free(s.idx);
	free(text);
	diags_free(&d);
	arena_free(a);
}

/* As schema.c's load_json_any. */
static void add_json(struct table *t, const char *dir, const char *rel)
{
	size_t len;
	char *path = xmalloc(strlen(dir) + strlen(rel) + 2);
	sprintf(path, "%s/%s", dir, rel);
	char *text = read_all(path, &len);
	size_t flags = JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL | JSON_DECODE_ANY;
	json_error_t err;
	json_t *j = json_loadb(text, len, flags, &err);
	if (!j && json_error_code(&err) == json_error_numeric_overflow)
		j = json_loadb(text, len, flags | JSON_DECODE_INT_AS_REAL, &err);
	if (j && (json_is_object(j) || json_is_boolean(j))) {
		size_t first = t->nn;
		put_json(t, first, j);
		add_file(t, rel, text, len, first);
	}
	json_decref(j);
	free(text);
	free(path);
}

/* ---------------------------------------------------------------- output */

static void write_blob(FILE *out, const char *p, size_t n)
{
	fputs("\t\"", out);
	int col = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '?') {
			fputc(c, out);
			col++;
		} else {
			fprintf(out, "\\%03o", c); /* three digits: never joins the next */
			col += 4;
		}
		if (col >= 100 || c == '\n') {
			fputs("\"\n\t\"", out);
			col = 0;
		}
	}
	fputs("\"", out);
}

/* A C string literal for s, or NULL. */
static void write_cstr(FILE *out, const char *s)
{
	if (!s) {
		fputs("NULL", out);
		return;
	}
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\' && *p != '?')
			fputc(*p, out);
		else
			fprintf(out, "\\%03o", *p);
	fputc('"', out);
}

/* kafka<file>_<what>: an array of C strings. */
static void write_strings(FILE *out, size_t file, const char *what, const char *const *v, size_t n)
{
	fprintf(out, "static const char *const kafka%zu_%s[] = {", file, what);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ", " : " ", out);
		write_cstr(out, v[i]);
	}
	fputs(n ? " };\n" : " NULL };\n", out);
}

/* kafka<file>_<what>: one scope's options (and kafka<file>_<what>_e<i>,
 * option i's valid values). */
static void write_options(FILE *out, size_t file, const char *what, const struct kafka_option *o, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (o[i].enums) {
			char en[96];
			snprintf(en, sizeof en, "%s_e%zu", what, i);
			write_strings(out, file, en, o[i].enums, o[i].nenums);
		}
	fprintf(out, "static const struct kafka_option kafka%zu_%s[] = {\n", file, what);
	for (size_t i = 0; i < n; i++) {
		fputs("\t{ ", out);
		write_cstr(out, o[i].name);
		fprintf(out, ", (enum kafka_type)%d, ", (int)o[i].type);
		write_cstr(out, o[i].min);
		fputs(", ", out);
		write_cstr(out, o[i].max);
		fputs(", ", out);
		write_cstr(out, o[i].alt);
		if (o[i].enums)
			fprintf(out, ", kafka%zu_%s_e%zu, %zu, ", file, what, i, o[i].nenums);
		else
			fputs(", NULL, 0, ", out);
		fputs(o[i].nonempty ? "true, " : "false, ", out);
		write_cstr(out, o[i].removed);
		fputs(", ", out);
		write_cstr(out, o[i].instead);
		fputs(", ", out);
		write_cstr(out, o[i].broker);
		fputs(" },\n", out);
	}
	fputs(n ? "};\n" : "\t{ 0 }\n};\n", out);
}

/* The Kafka tables: t's files hold their bytes, k[i] what file i reads as. */
static void write_kafka(FILE *out, const struct table *t, const struct kafka_tables *k, const int *which)
{
	fputs("#include \"kafka_config.h\"\n\n", out);
	for (size_t i = 0; i < t->nf; i++) {
		if (which[i] < 0) {
			const struct kafka_strimzi *s = &k->strimzi;
			write_strings(out, i, "forbidden", s->forbidden, s->nforbidden);
			write_strings(out, i, "where", s->where, s->nforbidden);
			write_strings(out, i, "exceptions", s->exceptions, s->nexceptions);
			write_strings(out, i, "listener", s->listener, s->nlistener);
			fprintf(out, "static const struct kafka_strimzi kafka%zu = { kafka%zu_forbidden, kafka%zu_where, %zu, "
				"kafka%zu_exceptions, %zu, kafka%zu_listener, %zu };\n\n",
				i, i, i, s->nforbidden, i, s->nexceptions, i, s->nlistener);
			continue;
		}
		const struct kafka_table *kt = &k->tables[which[i]];
		write_options(out, i, "broker", kt->broker, kt->nbroker);
		write_options(out, i, "topic", kt->topic, kt->ntopic);
		write_strings(out, i, "bnames", kt->broker_names, kt->nbroker);
		write_strings(out, i, "tnames", kt->topic_names, kt->ntopic);
		fprintf(out, "static const struct kafka_table kafka%zu = { ", i);
		write_cstr(out, kt->version);
		fprintf(out, ", kafka%zu_broker, kafka%zu_topic, %zu, %zu, kafka%zu_bnames, kafka%zu_tnames };\n\n",
			i, i, kt->nbroker, kt->ntopic, i, i);
	}
	fputs("const struct emb_kafka emb_kafka[] = {\n", out);
	for (size_t i = 0; i < t->nf; i++)
		fprintf(out, which[i] < 0 ? "\t{ NULL, &kafka%zu },\n" : "\t{ &kafka%zu, NULL },\n", i);
	fputs(t->nf ? "};\n" : "\t{ NULL, NULL }\n};\n", out);
}

/* One Kafka table file, parsed into k (its strings in a); which: the
 * table's index in k, -1 for strimzi.tsv. */
static void add_kafka(struct table *t, struct arena *a, struct kafka_tables *k, int *which, const char *dir,
		      const char *rel)
{
	struct diags d;
	diags_init(&d, a);
	size_t len;
	const char *path = arena_printf(a, "%s/%s", dir, rel);
	char *text = read_all(path, &len);
	char *copy = arena_strndup(a, text, len);
	size_t before = k->n;
	bool strimzi = false;
	if (kafka_file_read(a, &d, path, copy, k, &strimzi) && d.n == 0 && (strimzi || k->n > before)) {
		which[t->nf] = strimzi ? -1 : (int)before;
		add_file(t, rel, text, len, t->nn);
	} else {
		k->n = before; /* left out: parsed, and reported, at run time */
	}
	free(text);
	diags_free(&d);
}

static void write_table(FILE *out, const char *name, const struct table *t)
{
	fprintf(out, "static const struct emb_node %s_nodes[] = {\n", name);
	for (size_t i = 0; i < t->nn; i++) {
		const struct emb_node *n = &t->nodes[i];
		fprintf(out, "\t{ %u, %u, %u, %d, %d, %u, %u, ", n->kind, n->flags, n->nomark, n->line, n->col,
			n->off, n->len);
		if (n->kind == V_FLOAT)
			fprintf(out, "{ .f = %a } },\n", n->num.f);
		else
			fprintf(out, "{ .i = %lldLL } },\n", n->num.i);
	}
	if (!t->nn)
		fputs("\t{ 0 },\n", out);
	fprintf(out, "};\n\nstatic const uint32_t %s_kids[] = {", name);
	for (size_t i = 0; i < t->nk; i++)
		fprintf(out, "%s%u,", i % 16 ? " " : "\n\t", t->kids[i]);
	if (!t->nk)
		fputs("\n\t0,", out);
	fprintf(out, "\n};\n\nstatic const char %s_blob[] =\n", name);
	write_blob(out, t->blob.p, t->blob.n);
	fprintf(out, ";\n\nstatic const struct emb_file %s_files[] = {\n", name);
	for (size_t i = 0; i < t->nf; i++) {
		const struct emb_file *f = &t->files[i];
		fputs("\t{ ", out);
		write_cstr(out, t->rels[i]);
		fprintf(out, ", %u, %u, %u, %u },\n", f->text_off, f->text_len, f->first, f->nnodes);
	}
	if (!t->nf)
		fputs("\t{ \"\", 0, 0, 0, 0 },\n", out);
	fprintf(out, "};\n\nconst struct emb_table emb_%s = { %s_files, %zu, %s_nodes, %s_kids, %s_blob };\n\n",
		name, name, t->nf, name, name, name);
}

/* emb_template_images: one per file of emb_templates. */
static void write_images(FILE *out, const struct table *t)
{
	for (size_t i = 0; i < t->nf; i++) {
		const struct compiled *c = &t->imgs[i];
		if (!c->bytes.len)
			continue;
		fprintf(out, "static const unsigned char image_%zu[] =\n", i);
		write_blob(out, c->bytes.data, c->bytes.len);
		fprintf(out, ";\n\nstatic const uint32_t image_%zu_relocs[] = {", i);
		for (size_t j = 0; j < c->nrelocs; j++)
			fprintf(out, "%s%u,", j % 12 ? " " : "\n\t", c->relocs[j]);
		fputs("\n};\n\n", out);
	}
	fputs("const struct tmpl_image emb_template_images[] = {\n", out);
	for (size_t i = 0; i < t->nf; i++) {
		const struct compiled *c = &t->imgs[i];
		if (c->bytes.len)
			fprintf(out, "\t{ image_%zu, %zu, image_%zu_relocs, %zu, %uu },\n", i, c->bytes.len, i,
				c->nrelocs, tmpl_image_layout());
		else
			fputs("\t{ NULL, 0, NULL, 0, 0 },\n", out);
	}
	if (!t->nf)
		fputs("\t{ NULL, 0, NULL, 0, 0 },\n", out);
	fputs("};\n\n", out);
}

/* The table's own allocations (rels point into argv). */
static void table_free(struct table *t)
{
	free(t->nodes);
	free(t->kids);
	free(t->blob.p);
	free(t->soff);
	free(t->slen);
	free(t->files);
	free(t->rels);
	for (size_t i = 0; t->imgs && i < t->nf; i++) {
		buf_free(&t->imgs[i].bytes);
		free(t->imgs[i].relocs);
	}
	free(t->imgs);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fputs("usage: embedgen OUT.c TDIR REL... -- SDIR REL... -- KDIR REL...\n", stderr);
		return 2;
	}
	struct table tt = { 0 }, st = { 0 }, kt = { 0 };
	int i = 3;
	for (; i < argc && strcmp(argv[i], "--") != 0; i++)
		add_yaml(&tt, argv[2], argv[i]);
	if (i + 1 < argc) {
		const char *sdir = argv[i + 1];
		for (i += 2; i < argc && strcmp(argv[i], "--") != 0; i++)
			add_json(&st, sdir, argv[i]);
	}
	struct arena *ka = arena_new();
	struct kafka_tables k = { 0 };
	int *which = xcalloc((size_t)argc, sizeof *which);
	k.tables = arena_alloc(ka, (size_t)argc * sizeof *k.tables);
	if (i + 1 < argc) {
		const char *kdir = argv[i + 1];
		for (i += 2; i < argc; i++)
			add_kafka(&kt, ka, &k, which, kdir, argv[i]);
	}
	char *tmp = xmalloc(strlen(argv[1]) + 5);
	sprintf(tmp, "%s.tmp", argv[1]);
	FILE *out = fopen(tmp, "w");
	if (!out) {
		perror(tmp);
		return 1;
	}
	fputs("/* Generated by compiler/gen/embedgen.c from templates/ and schemas/: do not edit. */\n"
	      "#include \"embedded.h\"\n#include \"tmpl_image.h\"\n\n#include <stddef.h>\n\n", out);
	write_table(out, "templates", &tt);
	write_images(out, &tt);
	write_table(out, "schemas", &st);
	write_table(out, "kafka_src", &kt);
	write_kafka(out, &kt, &k, which);
	if (fclose(out) != 0 || rename(tmp, argv[1]) != 0) {
		perror(argv[1]);
		return 1;
	}
	free(tmp);
	table_free(&tt);
	table_free(&st);
	table_free(&kt);
	free(which);
	arena_free(ka); /* so LeakSanitizer, which runs it in make san, finds nothing */
	return 0;
}
