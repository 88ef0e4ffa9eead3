/* yaml_fast.h - parser events, and a fast reader for plain block YAML.
 *
 * load.c builds its trees from `struct yaml_ev`, whichever parser made
 * them: libfyaml's event parser (any YAML), or yaml_fast_parse, which
 * reads the subset environment specs and most hand-written files are in
 * several times faster.  yaml_fast_parse gives exactly the events (and
 * marks) libfyaml would, or declines: the caller then parses the text
 * with libfyaml.  It never reports anything itself.
 *
 * The subset: one document without directives or "---"; block mappings
 * and sequences indented with spaces; keys that are plain or quoted
 * scalars on one line; plain scalars on one line; single-quoted scalars,
 * and double-quoted ones without escapes, on one line; flow sequences and
 * mappings on one line, without anchors; anchors and aliases; comments.
 * No tags, block scalars (| >), "?" keys, tabs, carriage returns, empty
 * sequence items or multi-line scalars: each of these declines.
 */
#ifndef ASBGEN_YAML_FAST_H
#define ASBGEN_YAML_FAST_H

#include <stdbool.h>
#include <stddef.h>

#include "value.h"

struct arena;

enum yev_type {
	YEV_DOC_START,
	YEV_DOC_END,
	YEV_SCALAR,
	YEV_ALIAS,
	YEV_SEQ_START,
	YEV_SEQ_END,
	YEV_MAP_START,
	YEV_MAP_END,
	YEV_OTHER, /* stream start and end: nothing to build */
};

/* One event.  Marks are where the user sees the node: a quoted scalar's
 * opening quote, an alias's '*', an empty value's key. */
struct yaml_ev {
	enum yev_type type;
	struct mark m;
	const char *s; /* scalar text (escapes resolved), or alias name */
	size_t n;
	bool plain; /* a plain scalar (typed by the core schema), not quoted */
	const char *anchor; /* NULL: none */
	size_t alen;
	const char *tag; /* NULL: none (yaml_fast_parse never has one) */
	size_t tlen;
	struct mark tag_mark;
};

/* Called for each event; false stops the parse (the build failed). */
typedef bool (*yaml_ev_fn)(void *ctx, const struct yaml_ev *e);

/* Parse text[0..len) (checked UTF-8, as load.c checks it), calling fn
 * for every event.  Returns 0 when the whole text was read, 1 when it
 * declined (the events so far must be thrown away), -1 when fn stopped
 * it.  Unquoted text points into `text`; a scalar with '' is resolved in
 * a.  Marks name `path`. */
int yaml_fast_parse(struct arena *a, const char *path, const char *text, size_t len, yaml_ev_fn fn, void *ctx);

#endif
