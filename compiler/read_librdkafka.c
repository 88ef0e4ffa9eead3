/* read_librdkafka.c - librdkafka configurations (.conf) into a mapping of
 * strings, and text outputs (.md) into a sequence of lines (see readers.h).
 * The .conf rules are kcat -F's, the reader asbgen's emitter writes for:
 * lines of at most 511 bytes, trimmed at both ends, empty lines and '#'
 * comments skipped, key=value split at the first '=', \= and \: read as
 * = and :.  A key set twice is an error (librdkafka would keep the last).
 * Text: one string per line, split at \n (a final newline ends the last
 * line rather than starting an empty one); a line that is one whole
 * <!-- comment --> is skipped, as the other readers skip comments. */
#include "readers.h"

#include <string.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"

#define RD_MAX_LINE 511

static bool rd_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\v' || ch == '\f' || ch == '\r';
}

struct value *read_librdkafka(struct arena *a, struct diags *d, const char *label, const char *text,
			      size_t len)
{
	struct value *map = v_map(a, &(struct mark){ label, 1, 1 });
	struct buf val = BUF_INIT;
	int line = 0;
	bool ok = true;
	for (size_t i = 0; i < len && ok;) {
		size_t start = i, s = i, e = i;
		while (e < len && text[e] != '\n')
			e++;
		i = e < len ? e + 1 : e;
		line++;
		if (e - s > RD_MAX_LINE) {
			diag_pos(d, SEV_ERROR, label, line, RD_MAX_LINE + 1, "librdkafka-syntax",
				 "shorten the line: kcat reads at most 511 bytes per line",
				 "line is %zu bytes long", e - s);
			ok = false;
			break;
		}
		while (s < e && rd_space(text[s]))
			s++;
		while (e > s && rd_space(text[e - 1]))
			e--;
		if (s == e || text[s] == '#')
			continue;
		const char *eq = memchr(text + s, '=', e - s);
		struct mark m = { label, line, (int)(s - start) + 1 };
		if (!eq) {
			diag_pos(d, SEV_ERROR, label, line, m.col, "librdkafka-syntax", "write key=value lines",
				 "expected property=value");
			ok = false;
			break;
		}
		buf_reset(&val);
		for (const char *p = eq + 1; p < text + e; p++) {
			if (*p == '\\' && p + 1 < text + e && (p[1] == '=' || p[1] == ':'))
				p++;
			buf_putc(&val, *p);
		}
		struct value *k = v_strn(a, &m, text + s, (size_t)(eq - (text + s)));
		const struct pair *prev = map_get_pair(map, k->str.s);
		if (prev && strlen(k->str.s) == k->str.len) {
			diag_pos(d, SEV_ERROR, label, line, m.col, "librdkafka-syntax", "keep one line per key",
				 "key '%s' is set twice (first at line %d)", k->str.s, prev->key->mark.line);
			ok = false;
			break;
		}
		struct mark vm = { label, line, (int)(eq + 1 - (text + start)) + 1 };
		map_put(a, map, k, v_strn(a, &vm, val.data ? val.data : "", val.len));
	}
	buf_free(&val);
	return ok ? map : NULL;
}

struct value *read_text(struct arena *a, struct diags *d, const char *label, const char *text, size_t len)
{
	(void)d; /* any UTF-8 text is lines (objset checked the encoding) */
	struct value *seq = v_seq(a, &(struct mark){ label, 1, 1 });
	int line = 0;
	for (size_t i = 0; i < len;) {
		size_t e = i;
		while (e < len && text[e] != '\n')
			e++;
		line++;
		size_t n = e - i;
		bool comment = n >= 7 && !memcmp(text + i, "<!--", 4) && !memcmp(text + e - 3, "-->", 3);
		if (!comment)
			seq_push(a, seq, v_strn(a, &(struct mark){ label, line, 1 }, text + i, n));
		i = e < len ? e + 1 : e;
	}
	return seq;
}
