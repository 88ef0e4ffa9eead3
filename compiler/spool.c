/* spool.c - bytes held back until a command may print them (see spool.h). */
#define _GNU_SOURCE /* O_TMPFILE */
#include "spool.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include "arena.h"

void spool_init(struct spool *s, size_t limit)
{
	s->mem = (struct buf)BUF_INIT;
	s->fd = -1;
	s->limit = limit;
	s->err = 0;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* An unlinked file in the temporary directory: it disappears with the
 * process, however the process ends.  O_TMPFILE where the file system has
 * it, else a named file removed at once. */
static int temp_file(void)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
#ifdef O_TMPFILE
	int fd = open(dir, O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
#endif
	char *path = xmalloc(strlen(dir) + sizeof "/asbgen-spool-XXXXXX");
	sprintf(path, "%s/asbgen-spool-XXXXXX", dir);
	int f = mkstemp(path);
	if (f >= 0) {
		unlink(path);
		fcntl(f, F_SETFD, FD_CLOEXEC);
	}
	free(path);
	return f;
}

/* The bytes in memory to the file; mem is empty after. */
static void spill(struct spool *s)
{
	if (!s->err && s->mem.len && write_all(s->fd, s->mem.data, s->mem.len) != 0)
		s->err = errno ? errno : EIO;
	s->mem.len = 0;
}

void spool_add(struct spool *s, const void *p, size_t n)
{
	if (s->mem.len + n > s->limit && s->fd < 0) {
		s->fd = temp_file();
		if (s->fd < 0)
			s->limit = (size_t)-1; /* memory it is */
	}
	if (s->fd >= 0 && s->mem.len + n > s->limit) {
		spill(s);
		if (n > s->limit) { /* larger than the buffer: straight through */
			if (!s->err && write_all(s->fd, p, n) != 0)
				s->err = errno ? errno : EIO;
			return;
		}
	}
	/* The whole buffer at once (its pages are touched only as it
	 * fills): growing it by doubling copied it into new pages. */
	if (!s->mem.cap && s->limit != (size_t)-1)
		buf_grow(&s->mem, s->limit);
	buf_add(&s->mem, p, n);
}

/* The file's bytes to fd: in the kernel where it can (sendfile takes any
 * output since Linux 2.6.33), else through a buffer. */
static int copy_file(int in, int out)
{
	if (lseek(in, 0, SEEK_SET) != 0)
		return -1;
	for (;;) {
		ssize_t n = sendfile(out, in, NULL, 1 << 30);
		if (n == 0)
			return 0;
		if (n > 0)
			continue;
		if (errno == EINTR)
			continue;
		if (errno != EINVAL && errno != ENOSYS)
			return -1;
		break;
	}
	char b[1 << 16];
	for (;;) {
		ssize_t n = read(in, b, sizeof b);
		if (n == 0)
			return 0;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (write_all(out, b, (size_t)n) != 0)
			return -1;
	}
}

int spool_flush(struct spool *s, int fd)
{
	if (s->fd >= 0) {
		spill(s);
		if (s->err) {
			errno = s->err;
			return -1;
		}
		return copy_file(s->fd, fd);
	}
	return write_all(fd, s->mem.data, s->mem.len);
}

void spool_free(struct spool *s)
{
	buf_free(&s->mem);
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}
