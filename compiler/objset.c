/* objset.c - object sets from a render in memory or from a rendered folder.
 *
 * Both sides of `asbgen diff` are parsed from the files' text, the render
 * too: the bytes a render would write are exactly what is compared with
 * the bytes on disk, so an up-to-date out/ gives an empty diff whatever
 * the emitters do with types or key order.
 */
#include "objset.h"
#include "kinds.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "cli.h"
#include "emit_common.h"
#include "load.h"
#include "format.h"
#include "outdir.h"
#include "readers.h"
#include "render.h"
#include "template.h"
#include "write.h"

void objset_add(struct arena *a, struct objset *s, const struct object *o)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		s->items = arena_realloc(a, s->items, s->cap * sizeof *s->items, cap * sizeof *s->items);
		s->cap = cap;
	}
	s->items[s->n++] = *o;
}

int object_cmp(const struct object *x, const struct object *y)
{
	int r = strcmp(x->group, y->group);
	if (!r)
		r = strcmp(x->kind, y->kind);
	if (!r)
		r = strcmp(x->ns, y->ns);
	if (!r)
		r = strcmp(x->name, y->name);
	return r;
}

static int object_qcmp(const void *x, const void *y)
{
	return object_cmp(x, y);
}

/* Identity, then where it was read: the order of objects defined twice
 * must not depend on qsort. */
static int object_sort_cmp(const void *x, const void *y)
{
	const struct object *a = x, *b = y;
	int r = object_cmp(a, b);
	if (!r)
		r = strcmp(a->source ? a->source : "", b->source ? b->source : "");
	if (!r && a->v && b->v)
		r = (a->v->mark.line > b->v->mark.line) - (a->v->mark.line < b->v->mark.line);
	return r;
}

void objset_sort(struct objset *s)
{
	if (s->n > 1)
		qsort(s->items, s->n, sizeof *s->items, object_sort_cmp);
}

const struct object *objset_find(const struct objset *s, const char *group, const char *kind,
				 const char *ns, const char *name)
{
	struct object key = { .group = group, .kind = kind, .ns = ns, .name = name };
	return s->n ? bsearch(&key, s->items, s->n, sizeof *s->items, object_qcmp) : NULL;
}

bool object_from_k8s(struct arena *a, struct value *doc, const char *source, struct object *o)
{
	const char *api = v_as_str(map_get(doc, "apiVersion"), NULL);
	const char *kind = v_as_str(map_get(doc, "kind"), NULL);
	const char *name = v_as_str(v_path(doc, "metadata.name"), NULL);
	if (!api || !kind || !name || !*kind || !*name)
		return false;
	const char *slash = strrchr(api, '/');
	o->group = slash ? arena_strndup(a, api, (size_t)(slash - api)) : "";
	o->version = slash ? slash + 1 : api;
	o->kind = kind;
	o->ns = v_as_str(v_path(doc, "metadata.namespace"), "");
	o->name = name;
	o->source = source;
	o->v = doc;
	return true;
}

const char *object_label(struct arena *a, const struct object *o)
{
	if (!strcmp(o->kind, OBJ_FILE_KIND) && !*o->group)
		return arena_printf(a, "File %s", o->name);
	return arena_printf(a, "%s %s%s%s", o->kind, o->ns, *o->ns ? "/" : "", o->name);
}

static void add_file_object(struct ctx *c, struct objset *s, const char *label, const char *rel,
			    struct value *v)
{
	struct object o = { .group = "", .version = "", .kind = OBJ_FILE_KIND, .ns = "",
			    .name = rel, .source = label, .v = v, .rel = rel };
	objset_add(c->arena, s, &o);
}

/* YAML: every document that is a Kubernetes object by itself; a file of
 * other documents (Helm values, a kustomization) is one File object. */
static int add_yaml(struct ctx *c, struct objset *s, const char *label, const char *rel,
		    const char *text, size_t len)
{
	struct value **docs = NULL;
	int n = load_yaml_stream(c->arena, &c->diags, label, text, len, &docs);
	if (n < 0)
		return -1;
	bool all_k8s = n > 0 && !kinds_is_kustomization(rel);
	struct object *objs = arena_alloc(c->arena, (size_t)(n ? n : 1) * sizeof *objs);
	for (int i = 0; i < n && all_k8s; i++)
		all_k8s = object_from_k8s(c->arena, docs[i], label, &objs[i]);
	if (all_k8s) {
		for (int i = 0; i < n; i++) {
			objs[i].rel = rel;
			objset_add(c->arena, s, &objs[i]);
		}
		return 0;
	}
	struct value *v;
	if (n == 1) {
		v = docs[0];
	} else {
		v = v_seq(c->arena, NULL);
		for (int i = 0; i < n; i++)
			seq_push(c->arena, v, docs[i]);
	}
	add_file_object(c, s, label, rel, v);
	return 0;
}

/* Text other than YAML must be UTF-8 too (the YAML loader checks its own),
 * so every value can be printed and put in JSON. */
static bool utf8_ok(struct ctx *c, const char *label, const char *text, size_t len)
{
	size_t bad = utf8_check(text, len);
	if (bad == len)
		return true;
	int line = 1;
	size_t start = 0;
	for (size_t i = 0; i < bad; i++)
		if (text[i] == '\n') {
			line++;
			start = i + 1;
		}
	diag_pos(&c->diags, SEV_ERROR, label, line, (int)(bad - start) + 1, "diff-encoding",
		 "asbgen writes UTF-8 text; render the file again", "the file is not UTF-8 text (byte 0x%02X)",
		 (unsigned char)text[bad]);
	return false;
}

int objset_add_file(struct ctx *c, struct objset *s, const char *label, const char *rel,
		    const char *text, size_t len)
{
	const struct out_format *f = format_for_path(rel);
	if (f && f->yaml_stream)
		return add_yaml(c, s, label, rel, text, len);
	if (!utf8_ok(c, label, text, len))
		return -1;
	struct value *v = f ? f->read(c->arena, &c->diags, label, text, len) : v_strn(c->arena, NULL, text, len);
	if (!v)
		return -1;
	add_file_object(c, s, label, rel, v);
	return 0;
}

/* Sort, and warn about an identity defined twice: the diff compares the
 * first and ignores the others (Kubernetes would keep only one). */
static void sort_and_check(struct ctx *c, struct objset *s)
{
	objset_sort(s);
	for (size_t i = 1; i < s->n; i++) {
		const struct object *x = &s->items[i - 1], *y = &s->items[i];
		if (object_cmp(x, y) != 0)
			continue;
		const struct mark *m = &y->v->mark;
		diag_pos(&c->diags, SEV_WARNING, y->source, m->line, m->col, "diff-duplicate",
			 "define each object once", "%s is defined again (first in %s); only the first is compared",
			 object_label(c->arena, y), x->source);
	}
}

int objset_from_out_set(struct ctx *c, const struct out_set *set, struct objset *out)
{
	int rc = 0;
	for (size_t i = 0; i < set->n; i++) {
		const struct out_file *f = &set->files[i];
		const char *label = arena_printf(c->arena, "%s/%s", set->dir, f->path);
		diags_add_source(&c->diags, label, f->data, f->len);
		if (objset_add_file(c, out, label, f->path, f->data, f->len) != 0)
			rc = -1;
	}
	sort_and_check(c, out);
	return rc;
}

int objset_from_dir(struct ctx *c, const char *dir, struct objset *out)
{
	/* Below dir, no symbolic link is followed (outdir.h): a recorded file
	 * must not be read, and quoted in messages, from outside the folder. */
	struct outdir od;
	int r = outdir_open(&od, c->arena, &c->diags, dir, false, true);
	if (r < 0)
		return -1;
	if (r > 0) {
		diag_pos(&c->diags, SEV_ERROR, dir, 0, 0, "diff-folder",
			 "render the environment first (asbgen render SPEC -o DIR), or name an existing folder",
			 "no rendered environment folder %s", dir);
		return -1;
	}
	const char *record = arena_printf(c->arena, "%s/%s", dir, RECORD_NAME);
	size_t len;
	bool missing;
	char *text = outdir_read(&od, RECORD_NAME, record, &len, &missing);
	if (missing)
		diag_pos(&c->diags, SEV_ERROR, dir, 0, 0, "diff-folder",
			 "compare with a folder asbgen rendered (out/<environment>/, which holds " RECORD_NAME ")",
			 "%s has no %s record, so it is not an asbgen output folder", dir, RECORD_NAME);
	if (!text) {
		outdir_close(&od);
		return -1;
	}
	int rc = 0;
	for (char *line = text, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		/* as write.c: a line that is not a safe relative path is not one of
		 * asbgen's files, and nothing outside the folder is read */
		if (!*line || *line == '#' || !tmpl_path_ok(line, strlen(line)))
			continue;
		const char *path = arena_printf(c->arena, "%s/%s", dir, line);
		size_t flen;
		char *ftext = outdir_read(&od, line, path, &flen, &missing);
		if (missing)
			continue; /* deleted by hand: the render's side shows it added */
		if (!ftext || objset_add_file(c, out, path, line, ftext, flen) != 0)
			rc = -1;
	}
	outdir_close(&od);
	sort_and_check(c, out);
	return rc;
}

static int path_cmp(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

bool objset_dir_same(const char *dir, const struct out_set *set)
{
	struct arena *a = arena_new();
	struct diags quiet;
	diags_init(&quiet, a);
	struct outdir od;
	bool same = outdir_open(&od, a, &quiet, dir, false, true) == 0;
	size_t len = 0, n = 0;
	bool missing;
	char *text = same ? outdir_read(&od, RECORD_NAME, RECORD_NAME, &len, &missing) : NULL;
	/* The record's paths, as objset_from_dir takes them, sorted. */
	const char **rec = arena_alloc(a, (set->n + 1) * sizeof *rec);
	for (char *line = text, *next; same && line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!*line || *line == '#' || !tmpl_path_ok(line, strlen(line)))
			continue;
		if (n == set->n)
			same = false; /* more files than the render's */
		else
			rec[n++] = line;
	}
	same = same && text && n == set->n;
	const char **fresh = arena_alloc(a, (set->n + 1) * sizeof *fresh);
	for (size_t i = 0; same && i < set->n; i++)
		fresh[i] = set->files[i].path;
	if (same) {
		qsort(rec, n, sizeof *rec, path_cmp);
		qsort(fresh, n, sizeof *fresh, path_cmp);
		for (size_t i = 0; same && i < n; i++)
			same = !strcmp(rec[i], fresh[i]) && (i == 0 || strcmp(rec[i - 1], rec[i]));
	}
	/* Then the bytes, a file at a time in one buffer. */
	struct buf b = BUF_INIT;
	for (size_t i = 0; same && i < set->n; i++) {
		const struct out_file *f = &set->files[i];
		int fd = outdir_open_file(&od, f->path);
		struct stat st;
		same = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == f->len;
		if (same) {
			buf_reset(&b);
			buf_grow(&b, f->len + 1);
			size_t got = 0;
			ssize_t r;
			while (got <= f->len && ((r = read(fd, b.data + got, f->len + 1 - got)) > 0 ||
						 (r < 0 && errno == EINTR)))
				if (r > 0)
					got += (size_t)r;
			same = got == f->len && !memcmp(b.data, f->data, f->len);
		}
		if (fd >= 0)
			close(fd);
	}
	buf_free(&b);
	outdir_close(&od);
	diags_free(&quiet);
	arena_free(a);
	return same;
}

int objset_from_model(struct ctx *c, const struct value *model, const char *spec_name, const char *tdir,
		      struct objset *out, const char **env)
{
	struct out_set set = { 0 };
	if (!model || render_spec(c, model, spec_name, tdir, "(render)", &set) != 0)
		return -1;
	if (env)
		*env = path_base(set.dir);
	return objset_from_out_set(c, &set, out);
}

int objset_from_spec(struct ctx *c, const char *spec_path, const char *tdir, struct objset *out,
		     const char **env)
{
	return objset_from_model(c, model_load(c, spec_path), spec_display_name(c->arena, spec_path), tdir, out, env);
}

int objset_from_spec_text(struct ctx *c, const char *label, const char *spec_name,
			  const char *text, size_t len, const char *tdir, struct objset *out,
			  const char **env)
{
	return objset_from_model(c, model_load_text(c, label, spec_name, text, len), spec_name, tdir, out, env);
}
