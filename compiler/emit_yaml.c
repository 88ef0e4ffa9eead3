/* emit_yaml.c - value trees to block-style YAML, written straight into a buf.
 *
 * Layout: 2-space indentation; a sequence under a key is indented by 2
 * (key:\n  - a); a mapping or sequence that is an item of a sequence starts
 * on the item's line (- name: x\n    port: 1, - - a\n    - b).
 *
 * Strings must read back as the same string in YAML 1.1 parsers (PyYAML,
 * libyaml-based, Go yaml.v2) and in YAML 1.2 parsers.  A string is written
 * plain only when yaml_plain_ok() says so: that test is deliberately a
 * superset of every implicit resolver of those schemas (null, bool, int in
 * any base, sexagesimal, float, timestamp, merge, value), so it may quote a
 * string that needs no quotes but never leaves one plain that some parser
 * types.  Multi-line strings become literal block scalars when every line is
 * printable; everything else is double-quoted with escapes.
 */
#include "emit_common.h"
#include "arena.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Implicit keys longer than this are written as explicit keys ("? key"):
 * libyaml and the YAML spec limit implicit keys to 1024 characters. */
#define YAML_MAX_IMPLICIT_KEY 1000

struct yctx {
	struct buf *out;
	struct diags *d;
	struct emit_memo *memo; /* or NULL */
};

/* ---------------------------------------------------------------- shared text */

/* A shared node at one place, and its text once it has been met twice.
 * The table is bounded: most shared nodes of a render are
 * met once per user only (a user's own group ACL), and a slot each for
 * 50,000 of them would cost more than writing them. */
#define MEMO_SLOTS 4096 /* a power of two; at most half used */
struct memo_slot {
	const struct value *v;
	int ind, depth;
	bool inline_first;
	bool seen, kept; /* written once before; its text is text[off, off + len) */
	uint32_t off, len;
};

struct emit_memo {
	struct memo_slot *t; /* MEMO_SLOTS, v NULL: empty */
	size_t n;
	struct buf text;
};

struct emit_memo *emit_memo_new(void)
{
	struct emit_memo *m = xcalloc(1, sizeof *m);
	m->t = xcalloc(MEMO_SLOTS, sizeof *m->t);
	m->text = (struct buf)BUF_INIT;
	return m;
}

void emit_memo_free(struct emit_memo *m)
{
	if (!m)
		return;
	free(m->t);
	buf_free(&m->text);
	free(m);
}

/* The slot of v at this place, added when absent; NULL when the table is
 * full. */
static struct memo_slot *memo_slot(struct emit_memo *m, const struct value *v, int ind, bool inline_first,
				   int depth)
{
	uintptr_t h = ((uintptr_t)v >> 3) * 0x9E3779B97F4A7C15ull ^ (uintptr_t)ind * 31 ^ (uintptr_t)depth ^
		      (uintptr_t)inline_first;
	for (size_t i = (size_t)(h >> 7) & (MEMO_SLOTS - 1);; i = (i + 1) & (MEMO_SLOTS - 1)) {
		struct memo_slot *s = &m->t[i];
		if (!s->v) {
			if (m->n >= MEMO_SLOTS / 2)
				return NULL;
			m->n++;
			*s = (struct memo_slot){ v, ind, depth, inline_first, false, false, 0, 0 };
			return s;
		}
		if (s->v == v && s->ind == ind && s->depth == depth && s->inline_first == inline_first)
			return s;
	}
}

static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

static bool is_hexish(unsigned char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '_';
}

/* Would a YAML 1.1 or 1.2 resolver (PyYAML, yaml.v2, libyaml users, core
 * schema) type this plain scalar as something other than a string? */
static bool yaml_resolves(const char *s, size_t n)
{
	/* Lengths are stored: this runs for every string emitted. */
#define W(s) { s, sizeof s - 1 }
	static const struct { const char *s; size_t n; } words[] = {
		W("~"), W("null"), W("Null"), W("NULL"),
		W("y"), W("Y"), W("yes"), W("Yes"), W("YES"), W("n"), W("N"),
		W("no"), W("No"), W("NO"), W("true"), W("True"), W("TRUE"),
		W("false"), W("False"), W("FALSE"), W("on"), W("On"), W("ON"),
		W("off"), W("Off"), W("OFF"), W("<<"), W("="), W("."),
	};
#undef W
	if (n <= 5) {
		for (size_t w = 0; w < sizeof words / sizeof words[0]; w++)
			if (words[w].n == n && memcmp(words[w].s, s, n) == 0)
				return true;
	}
	const unsigned char *t = (const unsigned char *)s;
	size_t m = n;
	if (m > 1 && (t[0] == '+' || t[0] == '-'))
		t++, m--;
	/* .inf .Inf .INF .nan .NaN .NAN, signed or not */
	if (m == 4 && t[0] == '.') {
		static const char *const special[] = { "inf", "Inf", "INF", "nan", "NaN", "NAN" };
		for (size_t k = 0; k < 6; k++)
			if (memcmp(t + 1, special[k], 3) == 0)
				return true;
	}
	/* 0x1F 0o17 0b101 (and upper-case prefixes, as Go's ParseInt allows) */
	if (m > 2 && t[0] == '0' && strchr("xXoObB", t[1])) {
		size_t k = 2;
		while (k < m && is_hexish(t[k]))
			k++;
		if (k == m)
			return true;
	}
	/* Decimal, octal 0755, 1_000, sexagesimal 190:20:30, floats 1.5 .5 1e3
	 * 1_000.5 6.8523015e+5 685.230_15e+03: digits, '_' and ':' with at most
	 * one '.', then an optional exponent. */
	if (is_digit(t[0]) || (t[0] == '.' && m > 1 && is_digit(t[1]))) {
		size_t k = 0, dots = 0;
		while (k < m && (is_digit(t[k]) || t[k] == '_' || t[k] == ':' || t[k] == '.')) {
			dots += t[k] == '.';
			k++;
		}
		if (k < m && (t[k] == 'e' || t[k] == 'E')) {
			size_t j = k + 1;
			if (j < m && (t[j] == '+' || t[j] == '-'))
				j++;
			size_t j0 = j;
			while (j < m && is_digit(t[j]))
				j++;
			if (j > j0)
				k = j;
		}
		if (k == m && dots <= 1)
			return true;
	}
	/* Timestamps: 2001-12-14, 2001-1-2, 2001-12-14t21:59:43.10-05:00,
	 * 2001-12-14 21:59:43.10 -5: any string that starts like a date and
	 * ends there or goes on with a time separator. */
	if (n >= 8 && is_digit((unsigned char)s[0]) && is_digit((unsigned char)s[1]) &&
	    is_digit((unsigned char)s[2]) && is_digit((unsigned char)s[3]) && s[4] == '-') {
		size_t k = 5, k0;
		k0 = k;
		while (k < n && k < k0 + 2 && is_digit((unsigned char)s[k]))
			k++;
		if (k > k0 && k < n && s[k] == '-') {
			k0 = ++k;
			while (k < n && k < k0 + 2 && is_digit((unsigned char)s[k]))
				k++;
			if (k > k0 && (k == n || strchr("Tt \t", s[k])))
				return true;
		}
	}
	return false;
}

/* A code point that must be escaped: not printable in YAML, or a line break
 * in YAML 1.1 (NEL, LS, PS), or a byte order mark. */
static bool yaml_special_cp(unsigned cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
	       cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF;
}

/* May the character at p[*i] stand unescaped (plain or in a block
 * scalar)?  Not a control character nor a special code point; *i moves to
 * the last byte of a multi-byte character. */
static inline bool yaml_printable_at(const unsigned char *p, size_t n, size_t *i)
{
	unsigned char c = p[*i];
	if (c < 0x20 || c == 0x7F)
		return false;
	if (c >= 0x80) {
		unsigned cp;
		int l = utf8_decode(p + *i, n - *i, &cp);
		if (yaml_special_cp(cp))
			return false;
		*i += (size_t)l - 1;
	}
	return true;
}

/* Can s be written as a plain scalar (as a key or a value, block context)?
 * s is valid UTF-8 here. */
static bool yaml_plain_ok(const char *s, size_t n)
{
	if (n == 0)
		return false;
	const unsigned char *p = (const unsigned char *)s;
	if (strchr("-?:,[]{}#&*!|>'\"%@`", p[0]) || p[0] == ' ' || p[n - 1] == ' ' || p[n - 1] == ':')
		return false;
	if (n >= 3 && memcmp(s, "...", 3) == 0) /* document end marker */
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[i];
		if (c == ':' && i + 1 < n && p[i + 1] == ' ')
			return false;
		if (c == '#' && p[i - 1] == ' ') /* i > 0: p[0] is not '#' */
			return false;
		if (c >= 0x20 && c < 0x7F)
			continue; /* printable ASCII: the common case, without a call */
		if (!yaml_printable_at(p, n, &i))
			return false;
	}
	return !yaml_resolves(s, n);
}

/* Can s (which contains a newline) be a literal block scalar?  Every line
 * printable (no tab, CR or other control), no line of spaces only, and some
 * content besides spaces and newlines.  *indicator: the first line with
 * content starts with a space, so the indentation must be given. */
static bool yaml_literal_ok(const char *s, size_t n, bool *indicator)
{
	const unsigned char *p = (const unsigned char *)s;
	bool content = false, first = true;
	size_t line = 0; /* start of the current line */
	*indicator = false;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || p[i] == '\n') {
			size_t len = i - line;
			bool spaces_only = true;
			for (size_t k = line; k < i; k++)
				if (p[k] != ' ') {
					spaces_only = false;
					break;
				}
			if (len > 0 && spaces_only)
				return false;
			if (len > 0 && first) {
				*indicator = p[line] == ' ';
				first = false;
			}
			if (len > 0)
				content = true;
			line = i + 1;
			continue;
		}
		if (!yaml_printable_at(p, n, &i))
			return false;
	}
	return content;
}

static void put_hex(struct buf *b, const char *prefix, unsigned v, int digits)
{
	static const char hex[] = "0123456789ABCDEF";
	char tmp[16];
	size_t k = strlen(prefix);
	memcpy(tmp, prefix, k);
	for (int sh = (digits - 1) * 4; sh >= 0; sh -= 4)
		tmp[k++] = hex[(v >> sh) & 0xF];
	buf_add(b, tmp, k);
}

static void yaml_double_quoted(struct buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	buf_grow(b, n + 2);
	buf_putc(b, '"');
	size_t run = 0; /* start of bytes not yet copied */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[i];
		unsigned cp = c;
		int l = 1;
		if (c >= 0x80)
			l = utf8_decode(p + i, n - i, &cp);
		else if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7F)
			continue;
		if (c >= 0x80 && !yaml_special_cp(cp)) {
			i += (size_t)l - 1;
			continue;
		}
		buf_add(b, s + run, i - run);
		if (emit_escape_common(b, cp)) {
			run = i + 1; /* one byte: ASCII */
			continue;
		}
		switch (cp) {
		case 0: buf_add(b, "\\0", 2); break;
		default:
			if (cp <= 0xFF)
				put_hex(b, "\\x", cp, 2);
			else
				put_hex(b, "\\u", cp, 4);
		}
		i += (size_t)l - 1;
		run = i + 1;
	}
	buf_add(b, s + run, n - run);
	buf_putc(b, '"');
}

/* Literal block scalar; content lines at column ind + 2, where ind is the
 * column of the enclosing block collection (0 at the top level). */
static void yaml_literal(struct buf *b, const char *s, size_t n, int ind, bool indicator)
{
	size_t trail = 0;
	while (trail < n && s[n - 1 - trail] == '\n')
		trail++;
	buf_putc(b, '|');
	if (indicator)
		buf_putc(b, '2');
	if (trail == 0)
		buf_putc(b, '-');
	else if (trail > 1)
		buf_putc(b, '+');
	buf_putc(b, '\n');
	size_t body = n - trail, line = 0;
	for (size_t i = 0; i <= body; i++) {
		if (i < body && s[i] != '\n')
			continue;
		if (i > line) {
			buf_indent(b, ind + 2);
			buf_add(b, s + line, i - line);
		}
		buf_putc(b, '\n');
		line = i + 1;
	}
	if (trail > 1)
		emit_repeat(b, '\n', trail - 1);
}

/* Write a string scalar.  Block literals end with their own newline and
 * return 1; everything else returns 0 (the caller adds the newline). */
static int yaml_string(struct yctx *c, const struct value *v, int ind, bool key)
{
	const char *s = v->str.s;
	size_t n = v->str.len;
	if (v->flags & VF_YAML_PLAIN) { /* checked once, where the node was built */
		buf_add(c->out, s, n);
		return 0;
	}
	if (v->flags & VF_YAML_DQ) { /* checked once before, here */
		yaml_double_quoted(c->out, s, n);
		return 0;
	}
	size_t bad = utf8_check(s, n);
	if (bad != n)
		return emit_err_utf8(c->d, v, bad);
	bool indicator;
	if (!key && memchr(s, '\n', n) && yaml_literal_ok(s, n, &indicator)) {
		yaml_literal(c->out, s, n, ind, indicator);
		return 1;
	}
	if (yaml_plain_ok(s, n)) {
		buf_add(c->out, s, n);
		/* Remembered on the node (a flag about its own text, as
		 * emit_yaml_mark_plain sets): a model string is emitted by many
		 * outputs (a namespace, a label value in each object). */
		((struct value *)v)->flags |= VF_YAML_PLAIN;
	} else {
		yaml_double_quoted(c->out, s, n);
		/* Not a literal block elsewhere either; and a line emit_text
		 * writes as it is (VF_TEXT). */
		if (!memchr(s, '\n', n) && !memchr(s, '\r', n))
			((struct value *)v)->flags |= VF_YAML_DQ;
	}
	return 0;
}

void emit_yaml_mark_plain(struct value *v)
{
	if (v->kind == V_STRING && utf8_check(v->str.s, v->str.len) == v->str.len &&
	    yaml_plain_ok(v->str.s, v->str.len))
		v->flags |= VF_YAML_PLAIN;
}

/* Write a scalar value (or an empty collection) and its newline. */
static int yaml_scalar_line(struct yctx *c, const struct value *v, int ind)
{
	char num[EMIT_NUM_MAX];
	size_t len;
	switch (v->kind) {
	case V_NULL:
		buf_add(c->out, "null\n", 5);
		return 0;
	case V_BOOL:
		if (v->b)
			buf_add(c->out, "true\n", 5);
		else
			buf_add(c->out, "false\n", 6);
		return 0;
	case V_INT:
		len = emit_fmt_int(num, v->i);
		num[len++] = '\n';
		buf_add(c->out, num, len);
		return 0;
	case V_FLOAT:
		if (isnan(v->f))
			buf_add(c->out, ".nan\n", 5);
		else if (isinf(v->f))
			buf_puts(c->out, v->f < 0 ? "-.inf\n" : ".inf\n");
		else {
			len = emit_fmt_float(num, v->f, true);
			num[len++] = '\n';
			buf_add(c->out, num, len);
		}
		return 0;
	case V_STRING: {
		int r = yaml_string(c, v, ind, false);
		if (r < 0)
			return -1;
		if (r == 0)
			buf_putc(c->out, '\n');
		return 0;
	}
	case V_SEQ:
		buf_add(c->out, "[]\n", 3);
		return 0;
	case V_MAP:
		buf_add(c->out, "{}\n", 3);
		return 0;
	}
	return 0;
}

static bool nonempty_coll(const struct value *v)
{
	return (v->kind == V_MAP && v->map.n) || (v->kind == V_SEQ && v->seq.n);
}

static int yaml_map(struct yctx *c, const struct value *m, int ind, bool inline_first, int depth);
static int yaml_seq(struct yctx *c, const struct value *s, int ind, bool inline_first, int depth);

/* A non-empty mapping or sequence, from the memo when it is a shared one
 * met here before. */
static int yaml_coll(struct yctx *c, const struct value *v, int ind, bool inline_first, int depth)
{
	struct memo_slot *s = c->memo && (v->flags & VF_SHARED) ? memo_slot(c->memo, v, ind, inline_first, depth)
								: NULL;
	if (s && s->kept) {
		buf_add(c->out, c->memo->text.data + s->off, s->len);
		return 0;
	}
	size_t start = c->out->len;
	int r = v->kind == V_MAP ? yaml_map(c, v, ind, inline_first, depth) : yaml_seq(c, v, ind, inline_first, depth);
	if (r == 0 && s) {
		size_t len = c->out->len - start;
		if (s->seen && c->memo->text.len + len < UINT32_MAX) { /* the second time: kept for the third */
			s->off = (uint32_t)c->memo->text.len;
			s->len = (uint32_t)len;
			buf_add(&c->memo->text, c->out->data + start, len);
			s->kept = true;
		}
		s->seen = true;
	}
	return r;
}

/* The value after "key:" of a mapping at column ind. */
static int yaml_after_colon(struct yctx *c, const struct value *v, int ind, int depth)
{
	if (nonempty_coll(v)) {
		buf_putc(c->out, '\n');
		return yaml_coll(c, v, ind + 2, false, depth + 1);
	}
	if (v->kind == V_STRING && (v->flags & VF_YAML_PLAIN)) {
		/* " value\n" in one reservation: the common line of a manifest */
		struct buf *b = c->out;
		size_t n = v->str.len;
		buf_grow(b, n + 2);
		char *w = b->data + b->len;
		*w++ = ' ';
		memcpy(w, v->str.s, n);
		w[n] = '\n';
		w[n + 1] = '\0';
		b->len += n + 2;
		return 0;
	}
	buf_putc(c->out, ' ');
	return yaml_scalar_line(c, v, ind);
}

/* Key k of a mapping at column ind, pad columns of indentation first (0:
 * the line's "- " holds it), and its colon. */
static int yaml_key(struct yctx *c, const struct value *k, size_t pad, int ind)
{
	if ((k->flags & VF_YAML_PLAIN) && k->str.len <= YAML_MAX_IMPLICIT_KEY) {
		/* Indentation, key and colon in one reservation. */
		struct buf *b = c->out;
		size_t n = k->str.len;
		buf_grow(b, pad + n + 1);
		char *w = b->data + b->len;
		memset(w, ' ', pad);
		memcpy(w + pad, k->str.s, n);
		w[pad + n] = ':';
		w[pad + n + 1] = '\0';
		b->len += pad + n + 1;
		return 0;
	}
	buf_indent(c->out, (int)pad);
	size_t start = c->out->len;
	if (yaml_string(c, k, ind, true) < 0)
		return -1;
	if (c->out->len - start > YAML_MAX_IMPLICIT_KEY) {
		/* too long for an implicit key: "? key\n: value" */
		buf_grow(c->out, 2);
		memmove(c->out->data + start + 2, c->out->data + start, c->out->len - start);
		memcpy(c->out->data + start, "? ", 2);
		c->out->len += 2;
		buf_putc(c->out, '\n');
		buf_indent(c->out, ind);
	}
	buf_putc(c->out, ':');
	return 0;
}

static int yaml_map(struct yctx *c, const struct value *m, int ind, bool inline_first, int depth)
{
	if (depth > EMIT_MAX_DEPTH)
		return emit_err_depth(c->d, m);
	for (size_t i = 0; i < m->map.n; i++) {
		const struct pair *p = &m->map.items[i];
		size_t pad = i > 0 || !inline_first ? (size_t)ind : 0;
		if (yaml_key(c, p->key, pad, ind) < 0 || yaml_after_colon(c, p->val, ind, depth) < 0)
			return -1;
	}
	return 0;
}

static int yaml_seq(struct yctx *c, const struct value *s, int ind, bool inline_first, int depth)
{
	if (depth > EMIT_MAX_DEPTH)
		return emit_err_depth(c->d, s);
	for (size_t i = 0; i < s->seq.n; i++) {
		const struct value *v = s->seq.items[i];
		if (i > 0 || !inline_first)
			buf_indent(c->out, ind);
		buf_add(c->out, "- ", 2);
		int r;
		if (nonempty_coll(v))
			r = yaml_coll(c, v, ind + 2, true, depth + 1);
		else
			r = yaml_scalar_line(c, v, ind);
		if (r < 0)
			return -1;
	}
	return 0;
}

int emit_yaml(struct buf *out, const struct value *doc, struct diags *d)
{
	return emit_yaml_shared(out, doc, d, NULL);
}

int emit_yaml_shared(struct buf *out, const struct value *doc, struct diags *d, struct emit_memo *m)
{
	struct yctx c = { out, d, m };
	size_t start = out->len;
	int r;
	if (doc->kind == V_MAP && nonempty_coll(doc))
		r = yaml_map(&c, doc, 0, false, 0);
	else if (doc->kind == V_SEQ && nonempty_coll(doc))
		r = yaml_seq(&c, doc, 0, false, 0);
	else
		r = yaml_scalar_line(&c, doc, 0);
	if (r < 0)
		return emit_fail(out, start);
	return 0;
}

/* ---- a line at a time (emit.h, struct emit_lines) */

/* An entry's key at its indentation; a template's static key. */
static int lines_key(struct buf *b, const struct value *k, int ind, struct diags *d)
{
	if (k->kind != V_STRING)
		return -1;
	struct yctx c = { b, d, NULL };
	size_t start = b->len;
	if (yaml_key(&c, k, (size_t)ind, ind) < 0)
		return emit_fail(b, start);
	return 0;
}

/* The entry: its key as lines_key wrote it, what follows the colon. */
static int lines_line(struct buf *b, const char *key, size_t klen, const struct value *v,
		      const struct emit_place *at, struct diags *d)
{
	struct yctx c = { b, d, at->memo };
	size_t start = b->len;
	buf_add(b, key, klen);
	if (at->depth > EMIT_MAX_DEPTH || yaml_after_colon(&c, v, at->ind, at->depth) < 0)
		return emit_fail(b, start);
	return 0;
}

const struct emit_lines emit_yaml_lines = { lines_key, lines_line, true };
