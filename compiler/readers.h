/* readers.h - reading back the non-YAML outputs asbgen writes, for `asbgen
 * diff`: Java .properties (client configs), librdkafka .conf, text (.md)
 * and the HCL subset of .tfvars.
 *
 * Each returns a mapping (text: a sequence; marks at the file's
 * line:column; mappings keep the file's key order), or NULL after reporting
 * at file:line:col with the rule id "properties-syntax", "librdkafka-syntax"
 * or "tfvars-syntax".  label names the file; text
 * need not be NUL-terminated and must outlive the arena's use of marks.
 */
#ifndef ASBGEN_READERS_H
#define ASBGEN_READERS_H

#include <stddef.h>

#include "value.h"

struct arena;
struct diags;

/* java.util.Properties.load: comments (# !), key terminators (= : space),
 * continuation lines, escapes (\t \n \r \f \uXXXX, \x for x).  Values
 * are strings; a key set twice is an error (Java would keep the last). */
struct value *read_properties(struct arena *a, struct diags *d, const char *label,
			      const char *text, size_t len);

/* Terraform variable files: `name = value` attributes, one per line, whose
 * values are literals: strings (with escapes; $${ and %%{ for literal ${
 * and %{), numbers, true, false, null, lists [..] and objects {..}.
 * Comments # // and / * * /.  Anything else (references, function calls,
 * interpolation, heredocs, blocks) is an error. */
struct value *read_tfvars(struct arena *a, struct diags *d, const char *label,
			  const char *text, size_t len);

/* kcat -F's librdkafka configuration lines (read_librdkafka.c): trimmed,
 * '#' comments, key=value at the first '=', \= and \: unescaped, lines of
 * at most 511 bytes.  Values are strings; a key set twice is an error
 * ("librdkafka-syntax"). */
struct value *read_librdkafka(struct arena *a, struct diags *d, const char *label,
			      const char *text, size_t len);

/* A text file as a sequence of its lines (strings), without the lines
 * that are one whole <!-- comment -->; never fails. */
struct value *read_text(struct arena *a, struct diags *d, const char *label, const char *text,
			size_t len);

#endif
