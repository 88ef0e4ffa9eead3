/* json_value.c - conversions between jansson json_t and struct value. */
#include "json_value.h"
#include "arena.h"

#include <math.h>

struct value *value_from_json(struct arena *a, const json_t *j, const char *file)
{
	if (!j)
		return NULL;
	struct mark m = { file, 0, 0 };
	switch (json_typeof(j)) {
	case JSON_NULL: return v_null(a, &m);
	case JSON_TRUE: return v_bool(a, &m, true);
	case JSON_FALSE: return v_bool(a, &m, false);
	case JSON_INTEGER: return v_int(a, &m, json_integer_value(j));
	case JSON_REAL: return v_float(a, &m, json_real_value(j));
	case JSON_STRING: return v_strn(a, &m, json_string_value(j), json_string_length(j));
	case JSON_ARRAY: {
		struct value *s = v_seq(a, &m);
		size_t n = json_array_size(j);
		seq_reserve(a, s, n);
		for (size_t i = 0; i < n; i++)
			s->seq.items[s->seq.n++] = value_from_json(a, json_array_get(j, i), file);
		return s;
	}
	case JSON_OBJECT: {
		struct value *mp = v_map(a, &m);
		size_t n = json_object_size(j);
		map_reserve(a, mp, n);
		const char *k;
		size_t klen;
		json_t *val;
		/* The foreach takes a non-const object; iteration does not modify
		 * it.  A key keeps its length: it may hold a NUL (JSON_ALLOW_NUL). */
		json_object_keylen_foreach((json_t *)j, k, klen, val) {
			struct pair *p = &mp->map.items[mp->map.n++];
			p->key = v_strn(a, &m, k, klen);
			p->val = value_from_json(a, val, file);
		}
		return mp;
	}
	}
	return v_null(a, &m);
}

json_t *value_to_json(const struct value *v)
{
	if (!v)
		return json_null();
	switch (v->kind) {
	case V_NULL: return json_null();
	case V_BOOL: return json_boolean(v->b);
	case V_INT: return json_integer(v->i);
	case V_FLOAT: return isfinite(v->f) ? json_real(v->f) : json_null();
	case V_STRING: return json_stringn_nocheck(v->str.s, v->str.len);
	case V_SEQ: {
		json_t *arr = json_array();
		for (size_t i = 0; i < v->seq.n; i++)
			json_array_append_new(arr, value_to_json(v->seq.items[i]));
		return arr;
	}
	case V_MAP: {
		json_t *obj = json_object();
		for (size_t i = 0; i < v->map.n; i++) {
			const struct value *k = v->map.items[i].key;
			json_object_setn_new_nocheck(obj, k->str.s, k->str.len,
						     value_to_json(v->map.items[i].val));
		}
		return obj;
	}
	}
	return json_null();
}
