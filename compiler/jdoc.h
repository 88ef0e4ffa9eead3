/* jdoc.h - reading a JSON document held as a struct value tree.
 *
 * A schema (schema.c, defaults.c) is a JSON document, but it is held as
 * asbgen's own tree: the built-in one comes straight from the tables
 * compiled into the binary (embedded.h) and other files are converted
 * from jansson once (json_value.h).  These are jansson's accessors over
 * that tree, with jansson's answers: each takes NULL (a missing member)
 * and says false, NULL or 0 for it; objects are mappings (members in
 * document order), arrays sequences, integers V_INT, reals V_FLOAT.
 */
#ifndef ASBGEN_JDOC_H
#define ASBGEN_JDOC_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "value.h"

static inline bool jd_is_object(const struct value *v) { return v && v->kind == V_MAP; }
static inline bool jd_is_array(const struct value *v) { return v && v->kind == V_SEQ; }
static inline bool jd_is_string(const struct value *v) { return v && v->kind == V_STRING; }
static inline bool jd_is_integer(const struct value *v) { return v && v->kind == V_INT; }
static inline bool jd_is_real(const struct value *v) { return v && v->kind == V_FLOAT; }
static inline bool jd_is_number(const struct value *v) { return jd_is_integer(v) || jd_is_real(v); }
static inline bool jd_is_boolean(const struct value *v) { return v && v->kind == V_BOOL; }
static inline bool jd_is_true(const struct value *v) { return jd_is_boolean(v) && v->b; }
static inline bool jd_is_false(const struct value *v) { return jd_is_boolean(v) && !v->b; }
static inline bool jd_is_null(const struct value *v) { return v && v->kind == V_NULL; }

static inline const char *jd_string_value(const struct value *v) { return jd_is_string(v) ? v->str.s : NULL; }
static inline size_t jd_string_length(const struct value *v) { return jd_is_string(v) ? v->str.len : 0; }
static inline long long jd_integer_value(const struct value *v) { return jd_is_integer(v) ? v->i : 0; }
static inline double jd_real_value(const struct value *v) { return jd_is_real(v) ? v->f : 0; }
static inline double jd_number_value(const struct value *v)
{
	return jd_is_integer(v) ? (double)v->i : jd_real_value(v);
}

static inline size_t jd_array_size(const struct value *v) { return jd_is_array(v) ? v->seq.n : 0; }
static inline const struct value *jd_array_get(const struct value *v, size_t i)
{
	return jd_is_array(v) && i < v->seq.n ? v->seq.items[i] : NULL;
}

static inline size_t jd_object_size(const struct value *v) { return jd_is_object(v) ? v->map.n : 0; }

/* The member named key[0..len) (which may hold NUL bytes), or NULL.  A
 * scan (map_get_pairn): a schema's objects have a few dozen members. */
static inline const struct value *jd_object_getn(const struct value *v, const char *key, size_t len)
{
	const struct pair *p = map_get_pairn(v, key, len);
	return p ? p->val : NULL;
}

static inline const struct value *jd_object_get(const struct value *v, const char *key)
{
	return jd_object_getn(v, key, strlen(key));
}

#endif
