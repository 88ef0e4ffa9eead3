/* buf.h - growable byte buffer for emitted text. */
#ifndef ASBGEN_BUF_H
#define ASBGEN_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

struct buf {
	char *data; /* always NUL-terminated when len > 0 or after buf_cstr */
	size_t len, cap;
};

#define BUF_INIT { NULL, 0, 0 }

void buf_grow(struct buf *b, size_t extra);
void buf_puts(struct buf *b, const char *s);
void buf_indent(struct buf *b, int n); /* n spaces */

/* Inline: the emitters call these for every key, colon and newline of
 * 15 MB of output, and the call cost more than the copy. */
static inline void buf_add(struct buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap)
		buf_grow(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static inline void buf_putc(struct buf *b, char c)
{
	if (b->len + 2 > b->cap)
		buf_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}
/* The UTF-8 encoding of code point cp (at most 0x10FFFF). */
void buf_put_utf8(struct buf *b, unsigned long cp);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const char *buf_cstr(struct buf *b);
void buf_reset(struct buf *b);
void buf_free(struct buf *b);

#endif
