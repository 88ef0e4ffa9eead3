/* yaml11.h - plain scalars typed as YAML 1.1 readers type them.
 *
 * asbgen reads YAML 1.2 (core schema).  The Kubernetes tooling that
 * `asbgen check --crds` must agree with reads YAML 1.1: crdcheck.py uses
 * PyYAML's SafeLoader, where yes/no/on/off are booleans, 0755 is octal,
 * 1_000 and 1:20 (base 60) are integers, and 1e3 or 0o10 are strings.
 * yaml11_retype gives a tree whose plain scalars carry PyYAML's types,
 * with the same marks, so the schema engine judges what those tools see.
 *
 * Not converted: timestamps (2001-12-14 stays a string; PyYAML makes it a
 * date, which no JSON Schema type accepts) and mapping keys.
 */
#ifndef ASBGEN_YAML11_H
#define ASBGEN_YAML11_H

#include "value.h"

struct arena;
struct diags;
struct yaml11;

struct yaml11 *yaml11_new(void); /* NULL if the patterns do not compile */
void yaml11_free(struct yaml11 *y);

/* v with its plain scalars re-typed; unchanged subtrees are shared, not
 * copied.  Scalars typed by the YAML 1.2 loader (integers, floats) are
 * re-read from their source text, found through d's sources by mark. */
const struct value *yaml11_retype(struct yaml11 *y, struct arena *a, const struct diags *d,
				  const struct value *v);

/* Is v a plain scalar PyYAML reads as a timestamp (2001-12-14)? */
bool yaml11_is_timestamp(struct yaml11 *y, const struct value *v);

struct diag;
/* The hint for diagnostic g (made by the schema engine on a retyped tree):
 * its own, or, for a value whose YAML 1.1 type surprised (yes read as a
 * boolean, 0o10 as a string), one that quotes the text as written. */
const char *yaml11_hint(struct yaml11 *y, struct arena *a, const struct diags *d, const struct diag *g);

#endif
