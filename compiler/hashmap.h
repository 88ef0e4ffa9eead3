/* hashmap.h - the one hash map (byte-string keys) and the one string hash.
 *
 * Open addressing with linear probing, power-of-two capacity, at most half
 * full.  Keys are not copied: they must stay valid and unchanged while the
 * map holds them.  Each entry carries one value, a size_t (an index into
 * the caller's array, usually) or a pointer, as the caller likes.
 *
 * Memory: with an arena (hashmap_init(m, a)) tables come from it and
 * hashmap_free is optional; with NULL they come from the heap (xcalloc)
 * and hashmap_free releases them.  A zeroed struct is an empty heap map.
 * Allocation failure is fatal (arena.h).
 *
 *   struct hashmap seen;
 *   hashmap_init(&seen, arena);
 *   bool added;
 *   struct hm_entry *e = hashmap_put(&seen, name, strlen(name), &added);
 *   if (added)
 *           e->idx = i;            // first time: remember where
 *   else
 *           report_duplicate(i, e->idx);
 *
 * Iteration (deterministic for the same insertions, but not in insertion
 * order): for (i = 0; i < m.cap; i++) if (m.t[i].key) ...
 */
#ifndef ASBGEN_HASHMAP_H
#define ASBGEN_HASHMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;

/* FNV-1a, 64 bits (the published offset basis; the hand-written copies
 * had it truncated to 1469598103934665603): hash_fnv1a(p, n) == hash_fnv1a_add(HASH_FNV1A_INIT, p, n);
 * _add continues a hash over several parts. */
#define HASH_FNV1A_INIT 14695981039346656037ull
/* Inline: every key of every instantiated mapping is hashed. */
static inline uint64_t hash_fnv1a_add(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 1099511628211ull;
	return h;
}
static inline uint64_t hash_fnv1a(const void *p, size_t n)
{
	return hash_fnv1a_add(HASH_FNV1A_INIT, p, n);
}
/* FNV-1a, 32 bits (for short stable suffixes in output names). */
uint32_t hash_fnv1a32(const void *p, size_t n);

struct hm_entry {
	const char *key; /* NULL: empty slot */
	size_t len;
	uint64_t hash;
	union {
		size_t idx;
		void *ptr;
	};
};

struct hashmap {
	struct hm_entry *t; /* cap slots */
	size_t cap, n;
	struct arena *a;    /* NULL: the heap */
};

void hashmap_init(struct hashmap *m, struct arena *a);
/* Make room for n keys in all without growing again. */
void hashmap_reserve(struct hashmap *m, size_t n);
/* The entry of key[0..len), or NULL. */
struct hm_entry *hashmap_get(const struct hashmap *m, const char *key, size_t len);
/* The entry of key[0..len), added (value zero) when absent; *added (may be
 * NULL) says which.  The pointer is valid until the next insertion. */
struct hm_entry *hashmap_put(struct hashmap *m, const char *key, size_t len, bool *added);
/* As a set: add key[0..len); true when it was not there. */
bool hashmap_add(struct hashmap *m, const char *key, size_t len);
void hashmap_free(struct hashmap *m);

/* A set of up to n strings the caller holds, by index: a slot is 8 bytes
 * (half the hash and the index), a hashmap's 40.  Pass 1 of a render
 * looks for two outputs with one path among 250,000 at 50,000 users: 4
 * MiB of table instead of 21. */
struct strset {
	uint64_t *slots; /* in the arena; 0: empty, else hash half << 32 | (index + 1) */
	size_t cap, n, most;
};
/* Room for n strings (n < 2^32 - 1), in arena a. */
void strset_init(struct strset *s, struct arena *a, size_t n);
/* Add key[0..len) as string i; str(ctx, j) is string j (NUL-terminated).
 * Returns the index of an equal string added before, else i. */
size_t strset_add(struct strset *s, const char *key, size_t len, size_t i,
		  const char *(*str)(const void *ctx, size_t j), const void *ctx);
/* Room for n strings in all: when the table is too small, a new one in
 * a, at least twice as large, the strings hashed again (through str, as
 * for strset_add). */
void strset_reserve(struct strset *s, struct arena *a, size_t n,
		    const char *(*str)(const void *ctx, size_t j), const void *ctx);

#endif
