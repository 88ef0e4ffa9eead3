/* spool.h - bytes held back until a command knows it may print them.
 *
 * render --stdout prints all or nothing: a template that fails on the last
 * environment must not leave the first half of a stream in a pipe to
 * `kubectl apply -f -`.  Keeping every output's text in memory until then
 * was most of a large render's peak (50 MB of text for 10,000 users).  A
 * spool keeps up to `limit` bytes in memory and the rest in an unlinked
 * temporary file: the kernel's page cache, which it can write out, so the
 * process's own memory stays the same however long the stream.
 */
#ifndef ASBGEN_SPOOL_H
#define ASBGEN_SPOOL_H

#include <stddef.h>

#include "buf.h"

struct spool {
	struct buf mem;  /* the bytes not yet in the file (all, without one) */
	int fd;          /* the temporary file, -1 until the first spill */
	size_t limit;    /* what mem holds before the file is used */
	int err;         /* errno of the first failed write to the file, or 0 */
};

/* An empty spool; the file, if one is needed, goes to $TMPDIR (else /tmp). */
void spool_init(struct spool *s, size_t limit);
/* Hold n more bytes.  A temporary file that cannot be made leaves the
 * bytes in memory (only the peak suffers); one that cannot be written is
 * remembered in s->err and reported by spool_flush. */
void spool_add(struct spool *s, const void *p, size_t n);
/* Everything held, in order, to fd.  Returns 0, or -1 with errno set (a
 * failed spill's errno when that came first: nothing was written then). */
int spool_flush(struct spool *s, int fd);
void spool_free(struct spool *s);

#endif
