/* hashmap.c - open-addressing hash map of byte strings (see hashmap.h). */
#include "hashmap.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

uint32_t hash_fnv1a32(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 16777619u;
	return h;
}

void hashmap_init(struct hashmap *m, struct arena *a)
{
	memset(m, 0, sizeof *m);
	m->a = a;
}

static struct hm_entry *slot(const struct hm_entry *t, size_t cap, const char *key, size_t len,
			     uint64_t h)
{
	size_t i = (size_t)h & (cap - 1);
	while (t[i].key && !(t[i].hash == h && t[i].len == len && memcmp(t[i].key, key, len) == 0))
		i = (i + 1) & (cap - 1);
	return (struct hm_entry *)&t[i];
}

static void resize(struct hashmap *m, size_t cap)
{
	struct hm_entry *t = m->a ? arena_alloc(m->a, cap * sizeof *t) : xcalloc(cap, sizeof *t);
	if (m->a)
		memset(t, 0, cap * sizeof *t);
	for (size_t i = 0; i < m->cap; i++)
		if (m->t[i].key)
			*slot(t, cap, m->t[i].key, m->t[i].len, m->t[i].hash) = m->t[i];
	if (!m->a)
		free(m->t);
	m->t = t;
	m->cap = cap;
}

void hashmap_reserve(struct hashmap *m, size_t n)
{
	size_t cap = m->cap ? m->cap : 16;
	while (cap < 2 * n + 2)
		cap <<= 1;
	if (cap > m->cap)
		resize(m, cap);
}

struct hm_entry *hashmap_get(const struct hashmap *m, const char *key, size_t len)
{
	if (!m->cap)
		return NULL;
	struct hm_entry *e = slot(m->t, m->cap, key, len, hash_fnv1a(key, len));
	return e->key ? e : NULL;
}

struct hm_entry *hashmap_put(struct hashmap *m, const char *key, size_t len, bool *added)
{
	if (2 * (m->n + 1) > m->cap)
		hashmap_reserve(m, m->n + 1);
	uint64_t h = hash_fnv1a(key, len);
	struct hm_entry *e = slot(m->t, m->cap, key, len, h);
	bool fresh = !e->key;
	if (fresh) {
		e->key = key;
		e->len = len;
		e->hash = h;
		e->ptr = NULL;
		e->idx = 0;
		m->n++;
	}
	if (added)
		*added = fresh;
	return e;
}

bool hashmap_add(struct hashmap *m, const char *key, size_t len)
{
	bool added;
	hashmap_put(m, key, len, &added);
	return added;
}

void hashmap_free(struct hashmap *m)
{
	if (!m->a)
		free(m->t);
	m->t = NULL;
	m->cap = m->n = 0;
}

void strset_init(struct strset *s, struct arena *a, size_t n)
{
	assert(n < UINT32_MAX);
	size_t cap = 16;
	while (cap < 2 * n + 2)
		cap <<= 1;
	s->slots = arena_alloc(a, cap * sizeof *s->slots); /* zero-filled: empty */
	s->cap = cap;
	s->n = 0;
	s->most = n;
}

void strset_reserve(struct strset *s, struct arena *a, size_t n,
		    const char *(*str)(const void *ctx, size_t j), const void *ctx)
{
	if (n <= s->most)
		return;
	struct strset t;
	strset_init(&t, a, n > 2 * s->most ? n : 2 * s->most); /* doubling: a set grown often */
	for (size_t k = 0; k < s->cap; k++) {
		uint64_t v = s->slots[k];
		if (!v)
			continue;
		const char *o = str(ctx, (size_t)(v & UINT32_MAX) - 1);
		uint64_t h = hash_fnv1a(o, strlen(o));
		size_t j = (size_t)h & (t.cap - 1);
		while (t.slots[j])
			j = (j + 1) & (t.cap - 1);
		t.slots[j] = (h & ~(uint64_t)UINT32_MAX) | (v & UINT32_MAX);
	}
	t.n = s->n;
	*s = t;
}

size_t strset_add(struct strset *s, const char *key, size_t len, size_t i,
		  const char *(*str)(const void *ctx, size_t j), const void *ctx)
{
	assert(s->n < s->most && i < UINT32_MAX);
	uint64_t h = hash_fnv1a(key, len), tag = h & ~(uint64_t)UINT32_MAX;
	for (size_t k = (size_t)h & (s->cap - 1);; k = (k + 1) & (s->cap - 1)) {
		uint64_t v = s->slots[k];
		if (!v) {
			s->slots[k] = tag | (i + 1);
			s->n++;
			return i;
		}
		size_t j = (size_t)(v & UINT32_MAX) - 1;
		if ((v & ~(uint64_t)UINT32_MAX) == tag) {
			const char *o = str(ctx, j);
			if (!strncmp(o, key, len) && !o[len])
				return j;
		}
	}
}
