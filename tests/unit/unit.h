/* unit.h - the smallest test harness that reports what tests/run.sh counts.
 *
 * Each check prints "ok - NAME" or "not ok - NAME: why"; main() returns 1
 * when any check failed.  tests/run.sh adds the counts of every program.
 */
#ifndef ASBGEN_UNIT_H
#define ASBGEN_UNIT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int unit_failed, unit_passed;

#define CHECK(name, cond) do { \
	if (cond) { unit_passed++; printf("ok - %s\n", (name)); } \
	else { unit_failed++; printf("not ok - %s (%s:%d: %s)\n", (name), __FILE__, __LINE__, #cond); } \
} while (0)

/* Compare two strings and show both when they differ. */
#define CHECK_STR(name, got, want) do { \
	const char *g_ = (got), *w_ = (want); \
	if (g_ && w_ && strcmp(g_, w_) == 0) { unit_passed++; printf("ok - %s\n", (name)); } \
	else { unit_failed++; printf("not ok - %s (%s:%d)\n--- want\n%s\n--- got\n%s\n---\n", (name), \
		__FILE__, __LINE__, w_ ? w_ : "(null)", g_ ? g_ : "(null)"); } \
} while (0)

/* The rest of a stream, NUL-terminated, in malloc'd memory; NULL when it
 * cannot be read.  unit_slurp: a whole file. */
static inline char *unit_read_stream(FILE *fp, size_t *len)
{
	char *s = NULL;
	size_t n = 0, cap = 0, got;
	do {
		if (n + 4096 > cap) {
			char *t = realloc(s, cap = 2 * cap + 4096);
			if (!t) {
				free(s);
				return NULL;
			}
			s = t;
		}
		got = fread(s + n, 1, cap - n - 1, fp);
		n += got;
	} while (got > 0);
	if (ferror(fp)) {
		free(s);
		return NULL;
	}
	s[n] = '\0';
	*len = n;
	return s;
}

static inline char *unit_slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	char *s = unit_read_stream(fp, len);
	fclose(fp);
	return s;
}

#define UNIT_DONE() (printf("# %d passed, %d failed\n", unit_passed, unit_failed), unit_failed ? 1 : 0)

#endif
