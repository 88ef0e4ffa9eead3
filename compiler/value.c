/* value.c - construction, lookup and comparison of value trees. */
#include "value.h"
#include "arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *vkind_name(enum vkind k)
{
	switch (k) {
	case V_NULL: return "null";
	case V_BOOL: return "boolean";
	case V_INT: return "integer";
	case V_FLOAT: return "number";
	case V_STRING: return "string";
	case V_SEQ: return "sequence";
	case V_MAP: return "mapping";
	}
	return "?";
}

static struct value *v_new(struct arena *a, enum vkind k, const struct mark *m)
{
	struct value *v = arena_alloc(a, sizeof *v);
	v->kind = k;
	if (m)
		v->mark = *m;
	return v;
}

struct value *v_null(struct arena *a, const struct mark *m) { return v_new(a, V_NULL, m); }

struct value *v_bool(struct arena *a, const struct mark *m, bool b)
{
	struct value *v = v_new(a, V_BOOL, m);
	v->b = b;
	return v;
}

struct value *v_int(struct arena *a, const struct mark *m, long long i)
{
	struct value *v = v_new(a, V_INT, m);
	v->i = i;
	return v;
}

struct value *v_float(struct arena *a, const struct mark *m, double f)
{
	struct value *v = v_new(a, V_FLOAT, m);
	v->f = f;
	return v;
}

struct value *v_strn(struct arena *a, const struct mark *m, const char *s, size_t n)
{
	struct value *v = v_new(a, V_STRING, m);
	v->str.s = arena_strndup(a, s, n);
	v->str.len = n;
	return v;
}

struct value *v_lit(struct arena *a, const struct mark *m, const char *s)
{
	struct value *v = v_new(a, V_STRING, m);
	v->str.s = s;
	v->str.len = strlen(s);
	return v;
}

struct value *v_str(struct arena *a, const struct mark *m, const char *s)
{
	return v_strn(a, m, s, strlen(s));
}

struct value *v_strf(struct arena *a, const struct mark *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = arena_vprintf(a, fmt, ap);
	va_end(ap);
	struct value *v = v_new(a, V_STRING, m);
	v->str.s = s;
	v->str.len = strlen(s);
	return v;
}

struct value *v_seq(struct arena *a, const struct mark *m) { return v_new(a, V_SEQ, m); }
struct value *v_map(struct arena *a, const struct mark *m) { return v_new(a, V_MAP, m); }

/* A count of items as value.h keeps it: 32-bit, so more is out of memory. */
static uint32_t count_ok(size_t n)
{
	if (n > UINT32_MAX)
		die_oom();
	return (uint32_t)n;
}

/* The room a full list or mapping grows to. */
static uint32_t grown(uint32_t cap)
{
	return cap ? count_ok((size_t)cap * 2) : 4;
}

void seq_push(struct arena *a, struct value *seq, struct value *item)
{
	if (seq->seq.n == seq->seq.cap) {
		uint32_t cap = grown(seq->seq.cap);
		seq->seq.items = arena_realloc(a, seq->seq.items, seq->seq.cap * sizeof(item),
					       cap * sizeof(item));
		seq->seq.cap = cap;
	}
	seq->seq.items[seq->seq.n++] = item;
}

void map_put(struct arena *a, struct value *map, struct value *key, struct value *val)
{
	if (map->map.n == map->map.cap) {
		uint32_t cap = grown(map->map.cap);
		map->map.items = arena_realloc(a, map->map.items, map->map.cap * sizeof(struct pair),
					       cap * sizeof(struct pair));
		map->map.cap = cap;
	}
	map->map.items[map->map.n].key = key;
	map->map.items[map->map.n].val = val;
	map->map.n++;
}

void map_reserve(struct arena *a, struct value *map, size_t n)
{
	if (n <= map->map.cap)
		return;
	uint32_t old = map->map.cap;
	map->map.cap = count_ok(n);
	map->map.items = arena_realloc(a, map->map.items, old * sizeof(struct pair), n * sizeof(struct pair));
}

void seq_reserve(struct arena *a, struct value *seq, size_t n)
{
	if (n <= seq->seq.cap)
		return;
	uint32_t old = seq->seq.cap;
	seq->seq.cap = count_ok(n);
	seq->seq.items = arena_realloc(a, seq->seq.items, old * sizeof *seq->seq.items, n * sizeof *seq->seq.items);
}

void map_set(struct arena *a, struct value *map, const char *key, struct value *val)
{
	map_put(a, map, v_str(a, val ? &val->mark : NULL, key), val);
}

void map_set_lit(struct arena *a, struct value *map, const char *key, struct value *val)
{
	map_put(a, map, v_lit(a, val ? &val->mark : NULL, key), val);
}

struct value *v_path(const struct value *root, const char *dotted)
{
	const struct value *v = root;
	while (v && *dotted) {
		/* Each part looked up where it stands (no copy): the model and
		 * the checks walk a path per user. */
		size_t n = strcspn(dotted, ".");
		const struct pair *p = map_get_pairn(v, dotted, n);
		v = p ? p->val : NULL;
		dotted += n + (dotted[n] == '.');
	}
	return (struct value *)v;
}

const char *v_as_str(const struct value *v, const char *dflt)
{
	return v && v->kind == V_STRING ? v->str.s : dflt;
}

long long v_as_int(const struct value *v, long long dflt)
{
	return v && v->kind == V_INT ? v->i : dflt;
}

bool v_as_bool(const struct value *v, bool dflt)
{
	return v && v->kind == V_BOOL ? v->b : dflt;
}

bool v_is_scalar(const struct value *v)
{
	return v && v->kind != V_SEQ && v->kind != V_MAP;
}

bool v_equal(const struct value *a, const struct value *b)
{
	if (a == b)
		return true;
	if (!a || !b || a->kind != b->kind)
		return false;
	switch (a->kind) {
	case V_NULL: return true;
	case V_BOOL: return a->b == b->b;
	case V_INT: return a->i == b->i;
	case V_FLOAT: return a->f == b->f;
	case V_STRING:
		return a->str.len == b->str.len && memcmp(a->str.s, b->str.s, a->str.len) == 0;
	case V_SEQ:
		if (a->seq.n != b->seq.n)
			return false;
		for (size_t i = 0; i < a->seq.n; i++)
			if (!v_equal(a->seq.items[i], b->seq.items[i]))
				return false;
		return true;
	case V_MAP:
		if (a->map.n != b->map.n)
			return false;
		/* Mappings are equal regardless of key order. */
		for (size_t i = 0; i < a->map.n; i++) {
			const struct pair *p = map_get_pair(b, a->map.items[i].key->str.s);
			if (!p || !v_equal(a->map.items[i].val, p->val))
				return false;
		}
		return true;
	}
	return false;
}

struct value *v_copy(struct arena *a, const struct value *v)
{
	if (!v)
		return NULL;
	struct value *c = arena_alloc(a, sizeof *c);
	*c = *v;
	c->flags &= ~VF_SHARED; /* a new node, perhaps in a shorter-lived arena */
	switch (v->kind) {
	case V_SEQ:
		c->seq.items = NULL;
		c->seq.n = c->seq.cap = 0;
		for (size_t i = 0; i < v->seq.n; i++)
			seq_push(a, c, v_copy(a, v->seq.items[i]));
		break;
	case V_MAP:
		c->map.items = NULL;
		c->map.n = c->map.cap = 0;
		for (size_t i = 0; i < v->map.n; i++)
			map_put(a, c, v_copy(a, v->map.items[i].key), v_copy(a, v->map.items[i].val));
		break;
	default:
		break;
	}
	return c;
}
