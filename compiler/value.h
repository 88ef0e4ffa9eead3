/* value.h - the one tree type of asbgen.
 *
 * Loaded YAML/JSON documents, the resolved model, and rendered outputs are
 * all trees of struct value, allocated in the compilation's arena.  Every
 * node remembers where it came from (file, line, column) so that any later
 * phase can point a diagnostic at the source that caused it.
 *
 * Mappings keep insertion order (output must be deterministic and follow the
 * template's order).  Keys are string values, so they carry marks too.
 * A node may be shared by several parents (YAML aliases, template
 * substitution); trees are never mutated after a phase hands them on.
 */
#ifndef ASBGEN_VALUE_H
#define ASBGEN_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct arena;

enum vkind { V_NULL, V_BOOL, V_INT, V_FLOAT, V_STRING, V_SEQ, V_MAP };

struct mark {
	const char *file; /* NULL when synthesized by code */
	int line, col;    /* 1-based; 0 when unknown */
};

/* flags */
#define VF_QUOTED 0x1   /* scalar was quoted or a block scalar in the source */
#define VF_MERGED 0x2   /* map entry came from a YAML merge key (<<) */
/* string is valid UTF-8 and emit_yaml writes it plain (see
 * emit_yaml_mark_plain): set once on nodes that thousands of outputs share,
 * so the emitter skips its checks.  Whoever changes a node's text drops it. */
#define VF_YAML_PLAIN 0x4
/* filled in from the schema's default (defaults.c), not written by the user */
#define VF_DEFAULT 0x8
/* string is written as it is, found once by emit_properties.c: as a key
 * part of a .properties or librdkafka file (VF_KV_KEY: printable ASCII
 * without blank, '\\', '=', ':', '#', '!'), as a value (VF_KV_VAL: ASCII
 * 0x20-0x7E without '\\' and without a blank at either end). */
#define VF_KV_KEY 0x10
#define VF_KV_VAL 0x20
/* string is valid UTF-8 without a line break, found once by emit_text.c
 * (the other three say so too): a static line of the clients' README is
 * written once per user. */
#define VF_TEXT_LINE 0x40
/* string is valid UTF-8 without a line break (LF or CR) that emit_yaml
 * cannot write plain ("*", the sync wave "7"), found once: it is
 * double-quoted. */
#define VF_YAML_DQ 0x100
/* The flags that say something about a string's text: a copy with other
 * text must drop them. */
#define VF_TEXT (VF_YAML_PLAIN | VF_KV_KEY | VF_KV_VAL | VF_TEXT_LINE | VF_YAML_DQ)
/* A mapping or sequence that lives as long as the render and that many
 * outputs write at the same place (the model's ACL entries, an include()
 * kept for the render): emit_yaml_shared keeps its text.  Never on a node
 * of one output's arena; a copy (v_copy) does not carry it. */
#define VF_SHARED 0x80

struct pair {
	struct value *key; /* V_STRING */
	struct value *val;
};

struct value {
	enum vkind kind;
	unsigned flags;
	struct mark mark;
	union {
		bool b;
		long long i;
		double f;
		struct {
			const char *s; /* NUL-terminated; may contain NUL only if len says so */
			size_t len;
		} str;
		/* 32-bit counts: a node is 40 bytes, not 48 (a spec or a model
		 * is mostly nodes); no file asbgen reads has 4 billion items. */
		struct {
			struct value **items;
			uint32_t n, cap;
		} seq;
		struct {
			struct pair *items;
			uint32_t n, cap;
		} map;
	};
};

/* A spec or a model is mostly nodes: keep one at 40 bytes (arena.h
 * hands out 8-byte multiples). */
_Static_assert(sizeof(struct value) <= 40, "struct value grew");

const char *vkind_name(enum vkind k); /* "null", "boolean", "integer", ... */

/* Constructors.  m may be NULL (no source position). */
struct value *v_null(struct arena *a, const struct mark *m);
struct value *v_bool(struct arena *a, const struct mark *m, bool b);
struct value *v_int(struct arena *a, const struct mark *m, long long i);
struct value *v_float(struct arena *a, const struct mark *m, double f);
struct value *v_str(struct arena *a, const struct mark *m, const char *s); /* copies */
/* A string that refers to s without copying it: s must outlive the arena
 * (a string literal, or text already in the arena). */
struct value *v_lit(struct arena *a, const struct mark *m, const char *s);
struct value *v_strn(struct arena *a, const struct mark *m, const char *s, size_t n);
struct value *v_strf(struct arena *a, const struct mark *m, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
struct value *v_seq(struct arena *a, const struct mark *m);
struct value *v_map(struct arena *a, const struct mark *m);

void seq_push(struct arena *a, struct value *seq, struct value *item);
/* Room for n items in all (no growing up to n). */
void seq_reserve(struct arena *a, struct value *seq, size_t n);
/* Appends; does not check for duplicates (see map_get). */
void map_put(struct arena *a, struct value *map, struct value *key, struct value *val);
/* Room for n entries in all, so the next puts do not grow the map. */
void map_reserve(struct arena *a, struct value *map, size_t n);
/* Convenience: key given as a C string (copied), key mark = val's mark. */
void map_set(struct arena *a, struct value *map, const char *key, struct value *val);
/* The same with a key that is not copied (see v_lit). */
void map_set_lit(struct arena *a, struct value *map, const char *key, struct value *val);

/* Lookup of key[0..len), which may hold NUL bytes; NULL when absent or
 * when map is not a mapping.  Inline: jdoc.h looks up every schema
 * keyword with it (a call each cost 2% of a small render). */
static inline const struct pair *map_get_pairn(const struct value *map, const char *key, size_t len)
{
	if (!map || map->kind != V_MAP)
		return NULL;
	for (size_t i = 0; i < map->map.n; i++) {
		const struct value *k = map->map.items[i].key;
		if (k->str.len == len && memcmp(k->str.s, key, len) == 0)
			return &map->map.items[i];
	}
	return NULL;
}
/* The same for a NUL-terminated key.  Inline, so that a literal key's
 * length and comparison are made at compile time: the checks look up
 * ACL fields by name a million times for 10,000 users. */
static inline const struct pair *map_get_pair(const struct value *map, const char *key)
{
	return map_get_pairn(map, key, strlen(key));
}
static inline struct value *map_get(const struct value *map, const char *key)
{
	const struct pair *p = map_get_pair(map, key);
	return p ? p->val : NULL;
}
/* Path lookup "a.b.c" through mappings only. */
struct value *v_path(const struct value *root, const char *dotted);

/* Typed accessors with fallbacks for absent or wrongly typed nodes. */
const char *v_as_str(const struct value *v, const char *dflt);
long long v_as_int(const struct value *v, long long dflt);
bool v_as_bool(const struct value *v, bool dflt);

bool v_is_scalar(const struct value *v);
bool v_equal(const struct value *a, const struct value *b); /* deep, ignores marks */
struct value *v_copy(struct arena *a, const struct value *v); /* deep */

#endif
