/* tfvars_merge.h - an output merged into an existing Terraform variable
 * file (a files.yaml entry's `into`): the file's text is kept byte for
 * byte except where the output sets something.
 *
 * For each top-level attribute of the output, in the file:
 *  - a list of objects: each of the output's items replaces the item whose
 *    first attribute (the key field, `name`) has the same value, or is added
 *    after the last item;
 *  - an object: each of the output's entries replaces the value of the
 *    entry with the same key, or is added after the last entry;
 *  - anything else, or an empty list or object: the whole value is replaced;
 *  - an attribute the file lacks is appended at its end.
 * Comments, order, layout and every other item, entry and attribute stay as
 * they are.  Both texts must be the literal HCL read_tfvars reads.
 */
#ifndef ASBGEN_TFVARS_MERGE_H
#define ASBGEN_TFVARS_MERGE_H

#include <stddef.h>

struct arena;
struct buf;
struct diags;

/* base (the file, label names it) with out (what the output's emitter
 * wrote) merged in, into b (reset first).  Returns 0, or -1 after
 * reporting (tfvars-syntax in either text, tfvars-merge). */
int tfvars_merge(struct arena *a, struct diags *d, const char *label, const char *base, size_t nbase,
		 const char *out, size_t nout, struct buf *b);

#endif
