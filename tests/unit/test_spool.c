/* test_spool.c - bytes held back, in memory and in a temporary file
 * (compiler/spool.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spool.h"
#include "unit.h"

/* What spool_flush wrote, read back from a temporary file. */
static char *flushed(struct spool *s, size_t *n, int *rc)
{
	FILE *f = tmpfile();
	if (!f)
		return NULL;
	*rc = spool_flush(s, fileno(f));
	char *p = lseek(fileno(f), 0, SEEK_SET) == 0 ? unit_read_stream(f, n) : NULL;
	fclose(f);
	return p;
}

/* The same pieces, whatever the limit: in memory, spilled part way, and
 * larger than the buffer in one piece. */
static void test_order(size_t limit, bool in_memory, const char *name)
{
	struct spool s;
	spool_init(&s, limit);
	char want[4096];
	size_t wn = 0;
	for (int i = 0; i < 200; i++) {
		char piece[32];
		int k = snprintf(piece, sizeof piece, "piece %d;", i);
		spool_add(&s, piece, (size_t)k);
		memcpy(want + wn, piece, (size_t)k);
		wn += (size_t)k;
	}
	char large[600];
	memset(large, 'x', sizeof large);
	spool_add(&s, large, sizeof large);
	memcpy(want + wn, large, sizeof large);
	wn += sizeof large;
	spool_add(&s, "end", 3);
	memcpy(want + wn, "end", 3);
	wn += 3;
	size_t n = 0;
	int rc = -1;
	char *got = flushed(&s, &n, &rc);
	CHECK(name, got && rc == 0 && n == wn && !memcmp(got, want, wn) && in_memory == (s.fd < 0));
	free(got);
	spool_free(&s);
}

int main(void)
{
	setenv("TMPDIR", "/tmp", 1);
	test_order((size_t)1 << 20, true, "spool: what fits stays in memory, flushed in order");
	test_order(64, false, "spool: past the limit, through a temporary file, flushed in order");

	/* No temporary directory: the bytes stay in memory, nothing lost. */
	setenv("TMPDIR", "/nonexistent-asbgen-spool-dir", 1);
	test_order(64, true, "spool: without a temporary directory, all in memory");

	/* A stream that cannot be written is an error, with errno. */
	setenv("TMPDIR", "/tmp", 1);
	struct spool s;
	spool_init(&s, 8);
	spool_add(&s, "0123456789abcdef", 16);
	errno = 0;
	CHECK("spool: a flush to a closed descriptor fails with EBADF",
	      spool_flush(&s, -1) == -1 && errno == EBADF);
	spool_free(&s);
	return UNIT_DONE();
}
