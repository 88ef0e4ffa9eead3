/* json_value.h - conversions between jansson json_t and struct value.
 *
 * JSON objects become mappings (member order kept), arrays sequences,
 * integers V_INT, reals V_FLOAT.  Marks carry `file` (kept, not copied) and
 * line/column 0: jansson does not record node positions.
 */
#ifndef ASBGEN_JSON_VALUE_H
#define ASBGEN_JSON_VALUE_H

#include <jansson.h>

#include "value.h"

struct arena;

/* Deep conversion into the arena.  j == NULL gives NULL. */
struct value *value_from_json(struct arena *a, const json_t *j, const char *file);

/* Deep conversion to a new jansson reference (caller json_decref's it).
 * Non-finite floats (.inf, .nan) become JSON null, as JSON has no spelling
 * for them. */
json_t *value_to_json(const struct value *v);

#endif
