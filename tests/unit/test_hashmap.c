/* test_hashmap.c - the one hash map and string hash (compiler/hashmap.h). */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "hashmap.h"
#include "unit.h"

static void test_hashes(void)
{
	/* reference values of FNV-1a (the published test vectors) */
	CHECK("fnv1a64: empty", hash_fnv1a("", 0) == 0xcbf29ce484222325ull);
	CHECK("fnv1a64: 'a'", hash_fnv1a("a", 1) == 0xaf63dc4c8601ec8cull);
	CHECK("fnv1a64: 'foobar'", hash_fnv1a("foobar", 6) == 0x85944171f73967e8ull);
	CHECK("fnv1a64: in parts", hash_fnv1a_add(hash_fnv1a("foo", 3), "bar", 3) == hash_fnv1a("foobar", 6));
	CHECK("fnv1a32: 'a'", hash_fnv1a32("a", 1) == 0xe40c292cu);
	CHECK("fnv1a32: 'foobar'", hash_fnv1a32("foobar", 6) == 0xbf9cf968u);
}

static void test_map(struct arena *a)
{
	enum { N = 5000 };
	struct hashmap m;
	hashmap_init(&m, a);
	char **keys = arena_alloc(a, N * sizeof *keys);
	bool ok = true;
	for (size_t i = 0; i < N; i++) {
		keys[i] = arena_printf(a, "user-%zu", i);
		bool added;
		struct hm_entry *e = hashmap_put(&m, keys[i], strlen(keys[i]), &added);
		ok &= added && e->idx == 0;
		e->idx = i;
	}
	CHECK("map: 5000 distinct keys added", ok && m.n == N && m.cap >= 2 * N);
	ok = true;
	for (size_t i = 0; i < N; i++) {
		const struct hm_entry *e = hashmap_get(&m, keys[i], strlen(keys[i]));
		ok &= e && e->idx == i;
	}
	CHECK("map: each found with its value after growing", ok);
	bool added = true;
	struct hm_entry *e = hashmap_put(&m, "user-7", 6, &added);
	CHECK("map: a key again is not added, keeps its value", !added && e->idx == 7 && m.n == N);
	CHECK("map: absent keys", !hashmap_get(&m, "user-", 5) && !hashmap_get(&m, "user-70000", 10));
	CHECK("map: length counts, not NUL", hashmap_get(&m, "user-12", 6) &&
						   hashmap_get(&m, "user-12", 6)->idx == 1);
	struct hashmap empty = { 0 };
	CHECK("map: a zeroed map is empty", !hashmap_get(&empty, "x", 1));
	CHECK("set: add is true once", hashmap_add(&empty, "x", 1) && !hashmap_add(&empty, "x", 1) &&
					   hashmap_add(&empty, "", 0) && !hashmap_add(&empty, "", 0) && empty.n == 2);
	hashmap_free(&empty);
	CHECK("set: freed", !empty.t && !empty.n);
}

static const char *nth(const void *ctx, size_t j)
{
	return ((const char *const *)ctx)[j];
}

/* The set pass 1 finds two outputs with one path by. */
static void test_strset(struct arena *a)
{
	enum { N = 3000 };
	const char **s = arena_alloc(a, 2 * N * sizeof *s);
	for (size_t i = 0; i < N; i++)
		s[i] = arena_printf(a, "clients/user-%05zu.conf", i);
	for (size_t i = 0; i < N; i++) /* the same texts, other pointers */
		s[N + i] = arena_printf(a, "clients/user-%05zu.conf", (i * 7) % N);
	struct strset set;
	strset_init(&set, a, 2 * N);
	bool ok = true;
	for (size_t i = 0; i < N; i++)
		ok &= strset_add(&set, s[i], strlen(s[i]), i, nth, s) == i;
	CHECK("strset: distinct strings are new", ok && set.n == N && set.cap >= 4 * N);
	ok = true;
	for (size_t i = N; i < 2 * N; i++)
		ok &= strset_add(&set, s[i], strlen(s[i]), i, nth, s) == ((i - N) * 7) % N;
	CHECK("strset: an equal string gives the index of the first", ok && set.n == N);
	const char *t[] = { "ab", "a", "abc", "" };
	struct strset p;
	strset_init(&p, a, 4);
	CHECK("strset: a prefix is another string",
	      strset_add(&p, "ab", 2, 0, nth, t) == 0 && strset_add(&p, "a", 1, 1, nth, t) == 1 &&
		      strset_add(&p, "abc", 3, 2, nth, t) == 2 && strset_add(&p, "", 0, 3, nth, t) == 3);
	/* Grown as a mapping's keys come in parts (template.c): room for 16,
	 * then for each part's 512 more, what was added still found. */
	struct strset g;
	strset_init(&g, a, 16);
	ok = true;
	for (size_t i = 0; i < N; i++) {
		if (i % 512 == 0)
			strset_reserve(&g, a, i + 512, nth, s);
		ok &= strset_add(&g, s[i], strlen(s[i]), i, nth, s) == i;
	}
	for (size_t i = N; i < 2 * N; i++)
		ok &= strset_add(&g, s[i], strlen(s[i]), i, nth, s) == ((i - N) * 7) % N;
	CHECK("strset_reserve: grown part by part, doubling, every string found again",
	      ok && g.n == N && g.most >= N && g.most < 4 * N && g.cap >= 2 * g.most);
	size_t cap = g.cap;
	strset_reserve(&g, a, N, nth, s);
	CHECK("strset_reserve: room enough is no new table", g.cap == cap);
}

int main(void)
{
	struct arena *a = arena_new();
	test_hashes();
	test_map(a);
	test_strset(a);
	arena_free(a);
	return UNIT_DONE();
}
