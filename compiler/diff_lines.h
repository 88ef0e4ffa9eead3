/* diff_lines.h - what the diff printers show as lines: a whole object as
 * the text its file holds (YAML for Kubernetes objects, the file's own
 * format for Helm values, tfvars and client files), secrets left out, and
 * a unified diff of two multi-line texts. */
#ifndef ASBGEN_DIFF_LINES_H
#define ASBGEN_DIFF_LINES_H

#include <stdbool.h>
#include <stddef.h>

#include "objset.h"

struct arena;

struct line {
	const char *s;
	size_t n;
};

struct lines {
	struct line *items;
	size_t n;
};

/* Split s[0..n) at newlines (a final newline ends the last line). */
void lines_split(struct arena *a, const char *s, size_t n, struct lines *out);

/* o's body as its file would hold it (without the generated header); a
 * Secret's data and stringData values are replaced by "(redacted)". */
void object_body_lines(struct arena *a, const struct object *o, struct lines *out);

/* A value as YAML lines (a structure added or removed inside an object). */
void value_yaml_lines(struct arena *a, const struct value *v, struct lines *out);

/* Is the field at path of o a secret's value (shown as "(redacted)")? */
bool object_field_secret(const struct object *o, const char *path);

/* A unified diff (3 lines of context): fn gets each hunk header
 * ("@@ -1,4 +1,5 @@", mark '@') and each line with its mark (' ', '-',
 * '+').  Lists longer than DIFF_LINES_MAX are shown as all old lines
 * removed, then all new lines added. */
#define DIFF_LINES_MAX 4000
typedef void (*line_fn)(void *arg, char mark, const char *s, size_t n);
void lines_unified(struct arena *a, const struct lines *old, const struct lines *new, line_fn fn,
		   void *arg);

/* A value on one line: compact JSON, so strings, numbers and structures
 * are never confused ("3" and 3 print differently). */
const char *value_compact(struct arena *a, const struct value *v);

/* A string with a newline inside (shown as a unified diff, not as JSON). */
bool value_multiline(const struct value *v);

#endif
