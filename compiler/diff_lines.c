/* diff_lines.c - objects and values as lines, and unified diffs of lines
 * (see diff_lines.h). */
#include "diff_lines.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "cli.h"
#include "diag.h"
#include "emit.h"
#include "json_value.h"

#include <jansson.h>

#define CONTEXT 3

void lines_split(struct arena *a, const char *s, size_t n, struct lines *out)
{
	size_t count = 0;
	for (size_t i = 0; i < n; i++)
		count += s[i] == '\n';
	out->items = arena_alloc(a, (count + 1) * sizeof *out->items);
	out->n = 0;
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && s[i] != '\n')
			continue;
		if (i == n && start == n)
			break; /* after a final newline */
		out->items[out->n++] = (struct line){ s + start, i - start };
		start = i + 1;
	}
}

static bool is_secret_kind(const struct object *o)
{
	return !*o->group && !strcmp(o->kind, "Secret");
}

static bool under(const char *path, const char *key)
{
	size_t n = strlen(key);
	return !strncmp(path, key, n) && (path[n] == '.' || path[n] == '[' || !path[n]);
}

bool object_field_secret(const struct object *o, const char *path)
{
	return is_secret_kind(o) && (under(path, "data") || under(path, "stringData"));
}

const char *value_compact(struct arena *a, const struct value *v)
{
	json_t *j = value_to_json(v);
	char *s = j ? json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	const char *r = arena_strdup(a, s ? s : "(not printable)");
	free(s);
	json_decref(j);
	return r;
}

/* A Secret with every data and stringData value replaced. */
static const struct value *redacted(struct arena *a, const struct value *v)
{
	if (v->kind != V_MAP)
		return v;
	struct value *copy = arena_alloc(a, sizeof *copy);
	*copy = *v;
	copy->map.items = arena_alloc(a, (v->map.n ? v->map.n : 1) * sizeof *copy->map.items);
	for (size_t i = 0; i < v->map.n; i++) {
		struct pair p = v->map.items[i];
		if ((!strcmp(p.key->str.s, "data") || !strcmp(p.key->str.s, "stringData")) && p.val->kind == V_MAP) {
			struct value *m = v_map(a, &p.val->mark);
			for (size_t k = 0; k < p.val->map.n; k++)
				map_put(a, m, p.val->map.items[k].key, v_lit(a, NULL, "(redacted)"));
			p.val = m;
		}
		copy->map.items[i] = p;
	}
	return copy;
}

/* v written by emit (YAML when NULL), as lines; a value the emitter
 * refuses (it was read from a file, so it should not happen) as JSON-ish
 * text of its kind. */
static void emitted_lines(struct arena *a, emit_fn emit, const struct value *v, struct lines *out)
{
	struct diags d;
	diags_init(&d, a);
	struct buf b = BUF_INIT;
	if ((emit ? emit : emit_yaml)(&b, v, &d) != 0) {
		buf_reset(&b);
		buf_printf(&b, "(%s that cannot be written)\n", vkind_name(v->kind));
	}
	const char *text = arena_strndup(a, b.data ? b.data : "", b.len);
	lines_split(a, text, b.len, out);
	buf_free(&b);
	diags_free(&d);
}

void object_body_lines(struct arena *a, const struct object *o, struct lines *out)
{
	bool file = !strcmp(o->kind, OBJ_FILE_KIND) && !*o->group;
	emit_fn emit = file ? emit_for_path(o->name) : NULL;
	if (file && o->v->kind == V_STRING) {
		lines_split(a, o->v->str.s, o->v->str.len, out);
		return;
	}
	emitted_lines(a, emit, is_secret_kind(o) ? redacted(a, o->v) : o->v, out);
}

void value_yaml_lines(struct arena *a, const struct value *v, struct lines *out)
{
	emitted_lines(a, NULL, v, out);
}

bool value_multiline(const struct value *v)
{
	return v && v->kind == V_STRING && memchr(v->str.s, '\n', v->str.len) != NULL;
}

/* ---------------------------------------------------------------- unified diff */

static bool line_eq(const struct line *x, const struct line *y)
{
	return x->n == y->n && !memcmp(x->s, y->s, x->n);
}

struct op {
	char mark;
	const struct line *l;
	size_t oi, ni; /* 1-based line numbers after this op (old, new) */
};

/* The edit script through a longest common subsequence. */
static struct op *script(struct arena *a, const struct lines *o, const struct lines *w, size_t *nops)
{
	size_t n = o->n, m = w->n;
	struct op *ops = arena_alloc(a, (n + m + 1) * sizeof *ops);
	size_t k = 0;
	bool small = n <= DIFF_LINES_MAX && m <= DIFF_LINES_MAX;
	uint32_t *t = small ? calloc((n + 1) * (m + 1), sizeof *t) : NULL;
	if (small && !t)
		die_oom();
	if (!t) {
		for (size_t i = 0; i < n; i++)
			ops[k++] = (struct op){ '-', &o->items[i], i + 1, 0 };
		for (size_t j = 0; j < m; j++)
			ops[k++] = (struct op){ '+', &w->items[j], n, j + 1 };
		*nops = k;
		return ops;
	}
#define T(i, j) t[(size_t)(i) * (m + 1) + (j)]
	for (size_t i = n; i-- > 0;)
		for (size_t j = m; j-- > 0;)
			T(i, j) = line_eq(&o->items[i], &w->items[j]) ? T(i + 1, j + 1) + 1
				  : T(i + 1, j) >= T(i, j + 1) ? T(i + 1, j) : T(i, j + 1);
	size_t i = 0, j = 0;
	while (i < n || j < m) {
		if (i < n && j < m && line_eq(&o->items[i], &w->items[j])) {
			ops[k++] = (struct op){ ' ', &o->items[i], i + 1, j + 1 };
			i++, j++;
		} else if (i < n && (j == m || T(i + 1, j) >= T(i, j + 1))) {
			ops[k++] = (struct op){ '-', &o->items[i], i + 1, j };
			i++;
		} else {
			ops[k++] = (struct op){ '+', &w->items[j], i, j + 1 };
			j++;
		}
	}
#undef T
	free(t);
	*nops = k;
	return ops;
}

void lines_unified(struct arena *a, const struct lines *old, const struct lines *new, line_fn fn, void *arg)
{
	size_t nops;
	struct op *ops = script(a, old, new, &nops);
	size_t i = 0;
	while (i < nops) {
		while (i < nops && ops[i].mark == ' ')
			i++;
		if (i == nops)
			break;
		/* a hunk: from CONTEXT lines before this change to CONTEXT after
		 * the last change that is within 2*CONTEXT of the next */
		size_t start = i >= CONTEXT ? i - CONTEXT : 0, end = i;
		for (size_t k = i; k < nops; k++) {
			if (ops[k].mark != ' ')
				end = k;
			else if (k - end > 2 * CONTEXT)
				break;
		}
		size_t stop = end + CONTEXT + 1 < nops ? end + CONTEXT + 1 : nops;
		size_t ostart = 0, ocount = 0, nstart = 0, ncount = 0;
		for (size_t k = start; k < stop; k++) {
			if (ops[k].mark != '+') {
				if (!ocount)
					ostart = ops[k].oi;
				ocount++;
			}
			if (ops[k].mark != '-') {
				if (!ncount)
					nstart = ops[k].ni;
				ncount++;
			}
		}
		/* an empty side starts at the line before it (as diff -u does) */
		if (!ocount)
			ostart = ops[start].oi;
		if (!ncount)
			nstart = ops[start].ni;
		char head[96];
		int hn = snprintf(head, sizeof head, "@@ -%zu,%zu +%zu,%zu @@", ostart, ocount, nstart, ncount);
		fn(arg, '@', head, (size_t)hn);
		for (size_t k = start; k < stop; k++)
			fn(arg, ops[k].mark, ops[k].l->s, ops[k].l->n);
		i = stop;
	}
}
