/* specedit.h - change a few values of a spec file in place, as a person
 * would with an editor: every other byte (comments, anchors, key order,
 * quoting, blank lines) stays as written.
 *
 * Edits are given at the marks the YAML loader put on the spec's nodes
 * (line and column, in characters).  Only what `asbgen pin` needs:
 * replacing a scalar, and adding a `key: value` pair to a mapping (a flow
 * mapping `{...}` gets it before its `}`; a block mapping gets a line of
 * its own under its first key, at that key's indentation).  The file is
 * replaced atomically (a temporary beside it, renamed over it), keeping
 * its mode.
 */
#ifndef ASBGEN_SPECEDIT_H
#define ASBGEN_SPECEDIT_H

#include <stddef.h>

#include "value.h"

struct arena;

struct specedit {
	struct arena *a;
	const char *text;   /* the spec as read */
	size_t len;
	struct edit {
		size_t at, del;     /* byte range replaced */
		const char *ins;
	} *edits;
	size_t n, cap;
};

void specedit_init(struct specedit *e, struct arena *a, const char *text, size_t len);

/* Replace scalar v's text with `text` (written plain).  Returns 0, or -1
 * with *why set when v is not a single-line scalar at its mark. */
int specedit_set(struct specedit *e, const struct value *v, const char *text, const char **why);

/* Add `key: text` to mapping m.  Returns 0, or -1 with *why set when the
 * mapping's layout is not one this can extend safely. */
int specedit_add(struct specedit *e, const struct value *m, const char *key, const char *text, const char **why);

/* The edited text (edits applied), in the arena. */
char *specedit_result(struct specedit *e, size_t *len);

/* Write text over path atomically (a temporary beside it, renamed over
 * it), keeping path's mode, or 0644 for a new file.  Returns 0, or -1
 * with errno set and *why naming the step. */
int specedit_write(const char *path, const char *text, size_t len, const char **why);

#endif
