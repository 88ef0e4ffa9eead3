/* readers.h - reading back the non-YAML outputs asbgen writes, for `asbgen
 * diff`: Java .properties (client configs) and the HCL subset of .tfvars.
 *
 * Both return a mapping (keys in file order, marks at the file's
 * line:column), or NULL after reporting at file:line:col with the rule
 * id "properties-syntax" or "tfvars-syntax".  label names the file; text
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

#endif
