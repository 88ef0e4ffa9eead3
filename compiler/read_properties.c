/* read_properties.c - Java .properties files into a mapping of strings
 * (see readers.h).  Follows java.util.Properties.load's line rules, but
 * decodes bytes above 0x7F as UTF-8 (what editors write) and rejects a
 * key set twice rather than keeping the last silently. */
#include "readers.h"

#include <string.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"

struct preader {
	struct arena *a;
	struct diags *d;
	const char *label;
	const char *s;
	size_t n, i;
	int line;          /* line of s[i] */
	size_t line_start; /* offset of that line's first byte */
};

#define PROP_HINT "write key=value lines; escape a backslash as \\\\ and a character as \\uXXXX (4 hex digits)"

static int col_of(const struct preader *r, size_t at)
{
	return (int)(at - r->line_start) + 1;
}

static bool is_ws(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\f';
}

static bool is_eol(char ch)
{
	return ch == '\n' || ch == '\r';
}

/* Step over a line break at r->i (\n, \r or \r\n). */
static void skip_eol(struct preader *r)
{
	if (r->s[r->i] == '\r' && r->i + 1 < r->n && r->s[r->i + 1] == '\n')
		r->i++;
	r->i++;
	r->line++;
	r->line_start = r->i;
}

/* Four hex digits at r->i; -1 when malformed (reported). */
static long read_u4(struct preader *r, size_t esc_at)
{
	unsigned u = 0;
	for (int k = 0; k < 4; k++) {
		char ch = r->i + (size_t)k < r->n ? r->s[r->i + (size_t)k] : '\0';
		int h = ch >= '0' && ch <= '9' ? ch - '0'
			: ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
			: ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
		if (h < 0) {
			diag_pos(r->d, SEV_ERROR, r->label, r->line, col_of(r, esc_at), "properties-syntax",
				 PROP_HINT, "malformed \\uXXXX escape: four hex digits expected");
			return -1;
		}
		u = u * 16 + (unsigned)h;
	}
	r->i += 4;
	return (long)u;
}

/* Read a key (stop_at_sep) or a value up to the end of the logical line,
 * unescaping into b.  Returns -1 after reporting. */
static int read_part(struct preader *r, struct buf *b, bool stop_at_sep)
{
	while (r->i < r->n && !is_eol(r->s[r->i])) {
		char ch = r->s[r->i];
		if (stop_at_sep && (ch == '=' || ch == ':' || is_ws(ch)))
			return 0;
		if (ch != '\\') {
			buf_putc(b, ch);
			r->i++;
			continue;
		}
		size_t esc_at = r->i++;
		if (r->i >= r->n)
			return 0; /* a lone backslash at the end of the file: dropped, as Java does */
		ch = r->s[r->i];
		if (is_eol(ch)) {
			/* continuation: the next line's leading blanks are skipped */
			skip_eol(r);
			while (r->i < r->n && is_ws(r->s[r->i]))
				r->i++;
			continue;
		}
		r->i++;
		switch (ch) {
		case 't': buf_putc(b, '\t'); break;
		case 'n': buf_putc(b, '\n'); break;
		case 'r': buf_putc(b, '\r'); break;
		case 'f': buf_putc(b, '\f'); break;
		case 'u': {
			long u = read_u4(r, esc_at);
			if (u < 0)
				return -1;
			if (u >= 0xD800 && u <= 0xDBFF && r->i + 1 < r->n && r->s[r->i] == '\\' &&
			    r->s[r->i + 1] == 'u') {
				size_t at2 = r->i;
				r->i += 2;
				long lo = read_u4(r, at2);
				if (lo < 0)
					return -1;
				if (lo < 0xDC00 || lo > 0xDFFF) {
					diag_pos(r->d, SEV_ERROR, r->label, r->line, col_of(r, esc_at),
						 "properties-syntax", PROP_HINT,
						 "\\u%04lX starts a UTF-16 surrogate pair that \\u%04lX does not end", u, lo);
					return -1;
				}
				buf_put_utf8(b, 0x10000 + (((unsigned)u - 0xD800) << 10) + ((unsigned)lo - 0xDC00));
			} else if (u >= 0xD800 && u <= 0xDFFF) {
				diag_pos(r->d, SEV_ERROR, r->label, r->line, col_of(r, esc_at), "properties-syntax",
					 PROP_HINT, "\\u%04lX is half of a UTF-16 surrogate pair", u);
				return -1;
			} else {
				buf_put_utf8(b, (unsigned)u);
			}
			break;
		}
		default: buf_putc(b, ch); break;
		}
	}
	return 0;
}

struct value *read_properties(struct arena *a, struct diags *d, const char *label,
			      const char *text, size_t len)
{
	struct preader r = { a, d, label, text, len, 0, 1, 0 };
	struct value *map = v_map(a, &(struct mark){ label, 1, 1 });
	struct buf key = BUF_INIT, val = BUF_INIT;
	bool ok = true;
	while (r.i < r.n && ok) {
		while (r.i < r.n && is_ws(r.s[r.i]))
			r.i++;
		if (r.i >= r.n)
			break;
		if (is_eol(r.s[r.i])) {
			skip_eol(&r);
			continue;
		}
		if (r.s[r.i] == '#' || r.s[r.i] == '!') {
			while (r.i < r.n && !is_eol(r.s[r.i]))
				r.i++;
			continue;
		}
		struct mark m = { label, r.line, col_of(&r, r.i) };
		buf_reset(&key);
		buf_reset(&val);
		if (read_part(&r, &key, true) != 0) {
			ok = false;
			break;
		}
		while (r.i < r.n && is_ws(r.s[r.i]))
			r.i++;
		if (r.i < r.n && (r.s[r.i] == '=' || r.s[r.i] == ':'))
			r.i++;
		while (r.i < r.n && is_ws(r.s[r.i]))
			r.i++;
		struct mark vm = { label, r.line, col_of(&r, r.i) };
		if (read_part(&r, &val, false) != 0) {
			ok = false;
			break;
		}
		struct value *k = v_strn(a, &m, key.data ? key.data : "", key.len);
		const struct pair *prev = map_get_pair(map, k->str.s);
		if (prev && strlen(k->str.s) == k->str.len) {
			diag_pos(d, SEV_ERROR, label, m.line, m.col, "properties-syntax",
				 "keep one line per key", "key '%s' is set twice (first at line %d)", k->str.s,
				 prev->key->mark.line);
			ok = false;
			break;
		}
		map_put(a, map, k, v_strn(a, &vm, val.data ? val.data : "", val.len));
	}
	buf_free(&key);
	buf_free(&val);
	return ok ? map : NULL;
}
