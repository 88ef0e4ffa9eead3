/* loadbench - spec loading alone, for make bench (tests/bench.py).
 *
 *   loadbench FILE RUNS
 *
 * Reads FILE into asbgen's tree RUNS times with each reader, one arena
 * cleared between runs: load_yaml_stream (yaml_fast.c, what asbgen uses)
 * and load_yaml_stream_libfyaml (libfyaml's document builder, what asbgen
 * used when issue 15 was filed).  Prints one line: the median wall time of
 * a run of each, in milliseconds, "FAST LIBFYAML".  Figures only: exit 1
 * when a reader fails or the two trees differ.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "diag.h"
#include "load.h"
#include "value.h"

typedef int (*reader_fn)(struct arena *, struct diags *, const char *, const char *, size_t, struct value ***);

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

/* Median ms of `runs` reads of text; *doc1 gets the first document of the
 * last run (in keep, for the comparison); -1 when a run fails. */
static double median_ms(reader_fn fn, const char *path, const char *text, size_t len, int runs,
			struct arena *keep, struct value **doc1)
{
	double *t = calloc((size_t)runs, sizeof *t);
	struct arena *a = arena_new();
	double m = -1;
	for (int i = 0; t && i < runs; i++) {
		struct diags d;
		diags_init(&d, a);
		struct value **docs = NULL;
		double t0 = now_ms();
		int n = fn(i + 1 == runs ? keep : a, &d, path, text, len, &docs);
		t[i] = now_ms() - t0;
		if (n < 1)
			diags_print(stderr, &d, DIAG_TEXT, false);
		diags_free(&d);
		if (n < 1)
			goto out;
		if (i + 1 == runs)
			*doc1 = docs[0];
		arena_clear(a);
	}
	qsort(t, (size_t)runs, sizeof *t, cmp_double);
	m = t[runs / 2];
out:
	arena_free(a);
	free(t);
	return m;
}

int main(int argc, char **argv)
{
	if (argc != 3 || atoi(argv[2]) < 1) {
		fputs("usage: loadbench FILE RUNS\n", stderr);
		return 2;
	}
	int runs = atoi(argv[2]);
	struct arena *keep = arena_new();
	struct diags d;
	diags_init(&d, keep);
	size_t len;
	const char *text = load_file_text(keep, &d, argv[1], &len);
	if (!text) {
		diags_print(stderr, &d, DIAG_TEXT, false);
		return 1;
	}
	diags_free(&d);
	struct value *fast = NULL, *fy = NULL;
	double f_ms = median_ms(load_yaml_stream, argv[1], text, len, runs, keep, &fast);
	double y_ms = median_ms(load_yaml_stream_libfyaml, argv[1], text, len, runs, keep, &fy);
	int rc = 0;
	if (f_ms < 0 || y_ms < 0 || !v_equal(fast, fy)) {
		fputs("loadbench: a reader failed, or the two trees differ\n", stderr);
		rc = 1;
	} else {
		printf("%.3f %.3f\n", f_ms, y_ms);
	}
	arena_free(keep);
	return rc;
}
