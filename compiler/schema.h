/* schema.h - JSON Schema (draft-07) validation of value trees.
 *
 * The schema and the instance are struct value trees (the schema read
 * through jdoc.h, converted from jansson once when it is a file), so
 * every violation is reported at the YAML node that caused it, with a stable
 * id (schema-type, schema-required, schema-unknown-key, schema-enum,
 * schema-const, schema-pattern, schema-format, schema-content, schema-range, schema-length,
 * schema-items, schema-unique, schema-properties, schema-dependencies,
 * schema-anyof, schema-oneof, schema-not, schema-false, schema-ref), and a
 * message of the form "<json path>: <what is wrong>", e.g.
 *   kafka.brokers.storage.size: expected a string, got integer 35
 *   unknown key 'replica' in kafka.brokers      (hint: did you mean 'replicas'?)
 *   missing required key 'name' in kafka        (at the mapping's mark)
 *
 * Keywords: type, enum, const, properties, required, additionalProperties,
 * patternProperties, propertyNames, items (both forms), additionalItems,
 * contains, min/maxItems, uniqueItems, minimum, maximum, exclusiveMinimum,
 * exclusiveMaximum, multipleOf, min/maxLength (code points), pattern,
 * min/maxProperties, dependencies, allOf, anyOf, oneOf, not, if/then/else,
 * boolean schemas, $ref/$id/definitions, contentEncoding (base64) and
 * contentMediaType (application/json).  Formats checked: hostname, ipv4,
 * ipv6, uri, regex; other formats pass.  Numbers compare by value (1 == 1.0,
 * "integer" accepts 1.0 unless schema_set_integer_literal).  A pattern
 * longer than 200 characters (a grammar) is not quoted in its message.
 *
 * Regular expressions (pattern, patternProperties, format "regex") are
 * ECMA 262, compiled by PCRE2 (ecma_regex.h) when first used, once per
 * distinct source, and their results remembered per string.  A pattern
 * PCRE2 cannot compile (a lookbehind of variable length) checks nothing:
 * schema_validate warns once per pattern (id schema-regex), and a
 * patternProperties entry then covers every key without checking its
 * value.  A match that gives up (exponential backtracking) is an error at
 * the value (schema-pattern), never a pass.
 *
 * Probing branches (anyOf, oneOf, not, if, contains, propertyNames) reports
 * nothing.  When no anyOf/oneOf branch matches, the branches that cannot
 * apply (wrong type, or a const/enum "discriminator" property that differs)
 * are set aside; if one branch is left its own errors are reported, if none
 * a type error naming the accepted types, otherwise one schema-anyof /
 * schema-oneof error whose hint quotes the closest branch's first problem.
 * Hints: did-you-mean for unknown keys and enum values (edit distance <= 2,
 * case, prefix), the allowed values of an enum, YAML typing surprises
 * (unquoted 4.1 where a string is expected, yes/no for a boolean), else the
 * schema's description.
 *
 * $ref resolves JSON pointers (~0 ~1 and %-escapes) and $id-based URIs
 * inside the documents the schema knows.  Other URIs are asked of the fetch
 * hook (schema_set_fetch), if any; otherwise the $ref is reported
 * (id schema-ref) and fails.  Evaluation depth is bounded and a $ref cycle
 * that does not descend into the instance is reported (id schema-ref), not
 * followed forever.
 *
 * A schema is read-only for callers, but compiles its nodes and resolves
 * remote refs lazily: do not validate against the same schema from two
 * threads at once.
 */
#ifndef ASBGEN_SCHEMA_H
#define ASBGEN_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "value.h"

struct arena;
struct diags;
struct schema;

/* Load a schema file.  JSON syntax errors are reported with file:line:col
 * (id schema-load); returns NULL then.  The schema's base URI is the
 * document's $id, else "file://<absolute path>", and its fetch hook loads
 * other local files by file: URI, so "$ref": "common.json#/x" next to the
 * schema works.  Strings are kept in `a`, which must outlive the schema. */
struct schema *schema_load(struct arena *a, struct diags *d, const char *path);

/* For schema_load's fetch hook: a $ref to `prefix` (when it ends with
 * '/': to any URI below it) is read from `path` (then a directory, the rest
 * of the URI appended).  Both are kept, not copied. */
void schema_map_uri(struct schema *s, const char *prefix, const char *path);

/* Wrap a document already in memory: root is converted into `a` and its
 * reference released (the caller's reference is taken over).
 * `name` is used in warnings about the schema itself (kept, not copied). */
struct schema *schema_from_json(struct arena *a, json_t *root, const char *name);

void schema_free(struct schema *s);

/* The schema's document (read-only, in the schema's arena), for the
 * defaults phase. */
const struct value *schema_document(const struct schema *s);

/* Where defaults.c keeps what it reads from the document once (a
 * schema validates and fills many specs in one validate), and the
 * schema's arena (*a), which holds it as long as the schema lives. */
void **schema_defaults_plan(const struct schema *s, struct arena **a);

/* Fetch hook for $ref URIs outside the known documents: returns a new
 * reference to the document for `uri` (absolute, without fragment) or NULL.
 * Each URI is asked for at most once per schema. */
typedef json_t *(*schema_fetch_fn)(const char *uri, void *ctx);
void schema_set_fetch(struct schema *s, schema_fetch_fn fn, void *ctx);

/* Draft 4 validators (and so Kubernetes CRD checkers built on them) take
 * "integer" to mean an integer as written: 1, not 1.0.  On: a float never
 * matches "integer" (draft-07 default: 1.0 does), and the type error
 * names the integer to write.  Used by crd.c and by environment spec
 * validation (spec.c); `check --schema` keeps the draft-07 default. */
void schema_set_integer_literal(struct schema *s, bool on);

/* A subschema with "x-asbgen-check": "<check id>" states value rules
 * (pattern, format, enum, bounds, lengths) for editors, while one of
 * asbgen's semantic checks owns them.  On: those rules are skipped (type
 * and structure are still checked), so a bad value is reported once, by
 * the check, with its id.  Off (the default, as `asbgen check --schema`
 * uses it): the schema is applied as written. */
void schema_set_defer_checked(struct schema *s, bool on);

/* Validate; every violation is reported to d.  Returns the number of errors
 * reported (0: valid).  Warnings (unsupported regex) are not counted. */
int schema_validate(struct diags *d, const struct schema *s, const struct value *instance);

/* Validate without diagnostics; stops at the first violation. */
bool schema_is_valid(const struct schema *s, const struct value *instance);

/* Is s (len bytes) a valid `format` value?  *known is set to false for a
 * format asbgen does not check (then the result is true).  Checked:
 * hostname, ipv4, ipv6, uri (schema_format.c) and regex (schema.c). */
bool schema_format_valid(const char *format, const char *s, size_t len, bool *known);

/* contentEncoding (base64 checked) and contentMediaType (application/json
 * checked; either may be NULL) of a string: NULL when s[0..len) is what they
 * say, else what is wrong ("is not base64 (contentEncoding)"). */
const char *schema_content_problem(struct arena *a, const char *encoding, const char *media, const char *s,
				   size_t len);

/* The "ipv4" format's parser: s[0..n) as a dotted quad (0-255 each, no
 * leading zeros), its value in *out (host order; out may be NULL). */
bool schema_ipv4_parse(const char *s, size_t n, uint32_t *out);

/* Is src an ECMA 262 regular expression (as PCRE2 compiles it)? */
bool schema_regex_syntax_ok(const char *src);

/* suggest_distance (suggest.h), for the callers that had this name. */
int schema_edit_distance(const char *a, size_t alen, const char *b, size_t blen, int max);

#endif
