/* diag.h - the one diagnostics type.
 *
 * Every phase reports problems the same way: a position (file, line,
 * column), a severity, a stable rule id, a message saying what is wrong and
 * a hint saying how to fix it.  Diagnostics are collected, not printed on
 * the spot, so a run reports every problem, sorted, in the format asked for.
 */
#ifndef ASBGEN_DIAG_H
#define ASBGEN_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "value.h"

struct arena;

enum severity { SEV_ERROR, SEV_WARNING, SEV_NOTE };

struct diag {
	const char *file; /* NULL: not tied to a file (usage, I/O) */
	int line, col;
	enum severity sev;
	const char *id;   /* stable rule id, e.g. "yaml-syntax", "schema-type" */
	const char *msg;
	const char *hint; /* may be NULL */
	size_t seq;       /* insertion order, keeps sorting stable */
	/* Set: reported for the first spec only of those sharing a template
	 * cache (validate), which keeps the compiled templates and what they
	 * reported: the key is where in the templates (an expression's
	 * site, a template file's first load).  Validate's workers each
	 * have a cache; merging their specs in order drops the repeats. */
	const struct mark *once;
};

/* Source texts of loaded files, for the quoted line under a diagnostic. */
struct source {
	const char *path;
	const char *text;
	size_t len;
};

struct diags {
	struct arena *arena;
	struct diag *items;
	size_t n, cap;
	size_t nerrors, nwarnings;
	struct source *sources;
	size_t nsources, sources_cap;
	/* Where diag_at reports a node that has no position, when set: while
	 * an output is emitted, its template (a value the model computed and
	 * a template inserted has none of its own). */
	const struct mark *fallback;
};

void diags_init(struct diags *d, struct arena *a);
void diags_free(struct diags *d); /* frees the arrays, not the arena */

/* Report at a node's mark (m may be NULL: then at d->fallback, if set, as
 * for a mark without a file).  hint may be NULL. */
void diag_at(struct diags *d, enum severity sev, const struct mark *m,
	     const char *id, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* Report at an explicit position (file may be NULL, line/col 0). */
void diag_pos(struct diags *d, enum severity sev, const char *file, int line, int col,
	      const char *id, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));

/* Key the diagnostics reported since d->n was `from` (those without a key
 * yet) with `once` (struct diag). */
void diags_mark_once(struct diags *d, size_t from, const struct mark *once);
/* Append a copy of g (another diags' item), counted and in order. */
void diags_append(struct diags *d, const struct diag *g);

void diags_add_source(struct diags *d, const char *path, const char *text, size_t len);
const struct source *diags_find_source(const struct diags *d, const char *path);

/* Forget the warnings and notes reported since d->n was `from` (errors
 * stay): `diff --base` renders an old revision whose own warnings are not
 * what the change is about. */
void diags_drop_warnings_since(struct diags *d, size_t from);
/* Forget the warnings reported since `from` for which drop(ctx, w) is
 * true (a spec's acceptWarnings). */
void diags_drop_warnings_if(struct diags *d, size_t from, bool (*drop)(void *ctx, const struct diag *), void *ctx);
/* Forget every diagnostic since d->n was `from`: what `diff` renders only
 * to find a change's cause (a spec with one edit) reports nothing. */
void diags_drop_since(struct diags *d, size_t from);

/* Sort by file, line, column, then insertion order. */
void diags_sort(struct diags *d);

enum diag_format { DIAG_TEXT, DIAG_JSON, DIAG_GITHUB };

/* Print all diagnostics.  color: use ANSI colours (text format only). */
void diags_print(FILE *fp, const struct diags *d, enum diag_format fmt, bool color);

/* Write s with control characters (C0, DEL, C1, bidirectional controls)
 * escaped as \n, \t, \x1b, \u009b, \u202e, as the text format prints
 * messages, hints and file names. */
void diag_escape_text(FILE *fp, const char *s);

/* Should we colour output on this stream?  (a terminal, and NO_COLOR unset) */
bool diag_want_color(FILE *fp);

#endif
