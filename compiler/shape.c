/* shape.c - output shapes declared in files.yaml (see shape.h). */
#include "shape.h"
#include "buf.h"

#include <string.h>

#include "arena.h"
#include "diag.h"
#include "expr.h"
#include "load.h"
#include "template.h"

/* A key that is a template directive ($if, $else, $for, ...), whose
 * value's entries or items are inserted where it stands. */
static bool directive(const char *k)
{
	return k[0] == '$' && k[1] != '{' && !(k[1] == '$' && k[2] == '{');
}

/* A scalar that is one ${...} expression: its value could be any tree. */
static bool opaque(const struct value *t)
{
	return t->kind == V_STRING && t->str.len >= 3 && !strncmp(t->str.s, "${", 2) &&
	       t->str.s[t->str.len - 1] == '}';
}

/* Can segs[i..] be reached from the template node t? */
static bool reach(const struct value *t, const char *const *segs, size_t n, size_t i)
{
	if (i == n)
		return true;
	if (opaque(t))
		return true;
	if (t->kind == V_SEQ) {
		for (size_t k = 0; k < t->seq.n; k++)
			if (reach(t->seq.items[k], segs, n, i))
				return true;
		return false;
	}
	if (t->kind != V_MAP)
		return false;
	bool any = !strcmp(segs[i], "**");
	if (any && reach(t, segs, n, i + 1))
		return true;
	for (size_t k = 0; k < t->map.n; k++) {
		const struct value *key = t->map.items[k].key, *val = t->map.items[k].val;
		const char *ks = key->kind == V_STRING ? key->str.s : "";
		if (directive(ks) || any) {
			if (reach(val, segs, n, i))
				return true;
		} else if (!strcmp(ks, segs[i]) || strstr(ks, "${")) {
			if (reach(val, segs, n, i + 1))
				return true;
		}
	}
	return false;
}

/* Split a declared path at '.' (plus one extra segment when last is not
 * NULL: a keyed list's field). */
static size_t split(struct arena *a, const char *path, const char *last, const char ***out)
{
	size_t n = 1;
	for (const char *p = path; *p; p++)
		n += *p == '.';
	const char **segs = arena_alloc(a, (n + 1) * sizeof *segs);
	size_t k = 0;
	for (const char *p = path;; p++) {
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);
		segs[k++] = arena_strndup(a, p, len);
		if (!dot)
			break;
		p = dot;
	}
	if (last)
		segs[k++] = last;
	*out = segs;
	return k;
}

static int check_path(struct arena *a, struct diags *d, const struct value *node, const char *what,
		      const char *key, const struct value *tmpl, const char *tname)
{
	const char *path = node->str.s;
	if (!*path || strstr(path, "..") || path[0] == '.' || path[strlen(path) - 1] == '.') {
		diag_at(d, SEV_ERROR, &node->mark, "tmpl-diff", "write map keys joined with '.', e.g. a.b.c",
			"'%s' is not a path", path);
		return -1;
	}
	const char **segs;
	size_t n = split(a, path, NULL, &segs);
	if (!reach(tmpl, segs, n, 0)) {
		diag_at(d, SEV_ERROR, &node->mark, "tmpl-diff",
			"change the declaration in files.yaml to the path the template writes now, or remove it",
			"the %s '%s' declared for diff is not in the shape of the template %s", what, path, tname);
		return -1;
	}
	if (key && !reach(tmpl, segs, split(a, path, key, &segs), 0)) {
		diag_at(d, SEV_ERROR, &node->mark, "tmpl-diff",
			"name the field that identifies the list's items, as the template writes it",
			"the items of the list '%s' have no field '%s' in the template %s", path, key, tname);
		return -1;
	}
	return 0;
}

static struct list_rule *add_rule(struct arena *a, struct out_shape *s, size_t *cap)
{
	if (s->nlists == *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		s->lists = arena_realloc(a, s->lists, *cap * sizeof *s->lists, nc * sizeof *s->lists);
		*cap = nc;
	}
	return &s->lists[s->nlists++];
}

static int not_string(struct diags *d, const struct value *v, const char *what)
{
	diag_at(d, SEV_ERROR, &v->mark, "tmpl-diff", NULL, "%s must be a string, not %s", what,
		vkind_name(v->kind));
	return -1;
}

int shape_parse(struct arena *a, struct diags *d, const struct value *decl, const struct value *tmpl,
		const char *tname, struct out_shape *out)
{
	memset(out, 0, sizeof *out);
	if (decl->kind != V_MAP) {
		diag_at(d, SEV_ERROR, &decl->mark, "tmpl-diff", "write keyed:, sets: and addresses: under diff:",
			"'diff' must be a mapping, not %s", vkind_name(decl->kind));
		return -1;
	}
	int rc = 0;
	size_t cap = 0;
	for (size_t i = 0; i < decl->map.n; i++) {
		const struct value *k = decl->map.items[i].key, *v = decl->map.items[i].val;
		const char *ks = k->str.s;
		if (!strcmp(ks, "keyed") && v->kind == V_MAP) {
			for (size_t j = 0; j < v->map.n; j++) {
				const struct value *p = v->map.items[j].key, *f = v->map.items[j].val;
				if (f->kind != V_STRING) {
					rc = not_string(d, f, "the field of a keyed list");
					continue;
				}
				if (check_path(a, d, p, "list", f->str.s, tmpl, tname) != 0) {
					rc = -1;
					continue;
				}
				*add_rule(a, out, &cap) = (struct list_rule){ p->str.s, LIST_KEYED, f->str.s };
			}
		} else if (!strcmp(ks, "sets") && v->kind == V_SEQ) {
			for (size_t j = 0; j < v->seq.n; j++) {
				const struct value *p = v->seq.items[j];
				if (p->kind != V_STRING) {
					rc = not_string(d, p, "a set's path");
					continue;
				}
				if (check_path(a, d, p, "list", NULL, tmpl, tname) != 0) {
					rc = -1;
					continue;
				}
				*add_rule(a, out, &cap) = (struct list_rule){ p->str.s, LIST_SET, NULL };
			}
		} else if (!strcmp(ks, "addresses") && v->kind == V_STRING) {
			if (check_path(a, d, v, "address mapping", NULL, tmpl, tname) != 0)
				rc = -1;
			else
				out->addresses = v->str.s;
		} else if (!strcmp(ks, "component") && v->kind == V_STRING && v->str.len) {
			out->component = v->str.s;
		} else if (!strcmp(ks, "keyed") || !strcmp(ks, "sets") || !strcmp(ks, "addresses") ||
			   !strcmp(ks, "component")) {
			diag_at(d, SEV_ERROR, &v->mark, "tmpl-diff",
				"keyed: maps list paths to fields, sets: lists paths, addresses: is one path, component: one name",
				"'%s' cannot be %s", ks, vkind_name(v->kind));
			rc = -1;
		} else {
			static const char *const names[] = { "keyed", "sets", "addresses", "component" };
			const char *h = expr_suggest(a, ks, k->str.len, names, 4);
			diag_at(d, SEV_ERROR, &k->mark, "tmpl-diff", h ? h : "the keys are keyed, sets, addresses and component",
				"unknown key '%s' in a diff declaration", ks);
			rc = -1;
		}
	}
	return rc;
}

int shape_check_entry(struct arena *a, struct diags *d, const struct value *decl, const struct out_shape *s,
		      const struct value *cond)
{
	/* A component's file goes when its switch is off: the entry must be
	 * rendered under that switch. */
	if (!s->component ||
	    (cond && cond->kind == V_STRING && strstr(cond->str.s, arena_printf(a, "%s.enabled", s->component))))
		return 0;
	diag_at(d, SEV_ERROR, &map_get(decl, "component")->mark, "tmpl-diff",
		arena_printf(a, "render the entry only when the component is on (if: %s.enabled), or name the component that switches it",
			     s->component),
		"the entry declares the component '%s', but its if: does not test %s.enabled", s->component, s->component);
	return -1;
}

int shapes_load(struct arena *a, struct diags *d, const char *dir, struct out_shapes *out)
{
	memset(out, 0, sizeof *out);
	struct value *idx = load_yaml_file(a, d, arena_printf(a, "%s/%s", dir, TMPL_INDEX));
	if (!idx)
		return -1;
	if (idx->kind != V_SEQ)
		return 0;
	int rc = 0;
	out->items = arena_alloc(a, (idx->seq.n ? idx->seq.n : 1) * sizeof *out->items);
	for (size_t i = 0; i < idx->seq.n; i++) {
		const struct value *e = idx->seq.items[i];
		const struct value *decl = map_get(e, "diff"), *path = map_get(e, "path"), *tm = map_get(e, "template");
		if (!decl || !path || !tm || path->kind != V_STRING || tm->kind != V_STRING)
			continue;
		const struct value *doc = load_yaml_file(a, d, arena_printf(a, "%s/%s", dir, tm->str.s));
		struct out_shape *s = &out->items[out->n];
		if (!doc || shape_parse(a, d, decl, doc, tm->str.s, s) != 0) {
			rc = -1;
			continue;
		}
		if (shape_check_entry(a, d, decl, s, map_get(e, "if")) != 0) {
			rc = -1;
			continue;
		}
		s->path = path->str.s;
		out->n++;
	}
	return rc;
}

/* The end of the ${...} starting at p (after "${"): its closing brace,
 * past nested braces and quoted strings; NULL when unterminated. */
static const char *expr_end(const char *p)
{
	int depth = 0;
	for (; *p; p++) {
		if (*p == '\'' || *p == '"') {
			char q = *p;
			while (*++p && *p != q)
				if (*p == '\\' && p[1])
					p++;
			if (!*p)
				return NULL;
		} else if (*p == '{') {
			depth++;
		} else if (*p == '}' && depth-- == 0) {
			return p;
		}
	}
	return NULL;
}

/* Does s match the output path pattern p? */
static bool path_match(const char *p, const char *s)
{
	while (*p) {
		if (!strncmp(p, "$${", 3)) {
			if (strncmp(s, "${", 2) != 0)
				return false;
			p += 3;
			s += 2;
		} else if (!strncmp(p, "${", 2)) {
			const char *e = expr_end(p + 2);
			if (!e)
				return false;
			for (const char *t = s; *t && *t != '/'; t++)
				if (path_match(e + 1, t + 1))
					return true;
			return false;
		} else if (*p++ != *s++) {
			return false;
		}
	}
	return !*s;
}

/* Characters of a path pattern outside its ${...}: how specific it is. */
static size_t literal_chars(const char *p)
{
	size_t n = 0;
	while (*p) {
		const char *e = !strncmp(p, "${", 2) ? expr_end(p + 2) : NULL;
		if (e) {
			p = e + 1;
		} else {
			p++;
			n++;
		}
	}
	return n;
}

/* The most specific pattern that matches wins: terraform/${f.name} (a file
 * named by the spec) must not take terraform/dns.tfvars's declaration. */
const struct out_shape *shapes_find(const struct out_shapes *s, const char *rel)
{
	const struct out_shape *best = NULL;
	size_t best_n = 0;
	for (size_t i = 0; s && i < s->n; i++) {
		if (!path_match(s->items[i].path, rel))
			continue;
		size_t n = literal_chars(s->items[i].path);
		if (!best || n > best_n) {
			best = &s->items[i];
			best_n = n;
		}
	}
	return best;
}

/* pattern with each ${a.b} replaced by the model's scalar there; NULL when
 * an expression is anything else or has no such value. */
static const char *expand(struct arena *a, const char *p, const struct value *model)
{
	struct buf b = BUF_INIT;
	bool ok = true;
	while (*p && ok) {
		if (!strncmp(p, "$${", 3)) {
			buf_puts(&b, "${");
			p += 3;
		} else if (!strncmp(p, "${", 2)) {
			const char *e = expr_end(p + 2);
			char *name = e ? arena_strndup(a, p + 2, (size_t)(e - p - 2)) : NULL;
			ok = name && *name && strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.") == strlen(name);
			const struct value *v = ok ? v_path(model, name) : NULL;
			if (v && v->kind == V_STRING)
				buf_puts(&b, v->str.s);
			else if (v && v->kind == V_INT)
				buf_printf(&b, "%lld", v->i);
			else
				ok = false;
			if (ok)
				p = e + 1;
		} else {
			buf_putc(&b, *p++);
		}
	}
	const char *out = ok ? arena_strdup(a, buf_cstr(&b)) : NULL;
	buf_free(&b);
	return out;
}

const char *shapes_component(struct arena *a, const struct out_shapes *s, const char *rel)
{
	for (size_t i = 0; s && s->model && rel && i < s->n; i++) {
		const struct out_shape *o = &s->items[i];
		if (!o->component || !path_match(o->path, rel))
			continue;
		const char *path = expand(a, o->path, s->model);
		if (path && !strcmp(path, rel))
			return o->component;
	}
	return NULL;
}
