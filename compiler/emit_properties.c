/* emit_properties.c - a mapping to a key=value file: a Java .properties
 * file, or a librdkafka configuration (.conf) as kcat -F reads it.
 *
 * Nested mappings are flattened with '.' (ssl: {truststore: {type: PEM}} ->
 * ssl.truststore.type=PEM); one key=value line per scalar, in tree order.
 * The two dialects differ only in how a key and a value are written.
 *
 * Java: escaping is what java.util.Properties.load(InputStream) expects: it reads
 * ISO-8859-1, so every code point above U+007E is written as \uXXXX (UTF-16
 * surrogate pairs above U+FFFF).  Keys escape '\', space, '=', ':', '#', '!';
 * values escape '\', a leading space, and line breaks, tab and form feed,
 * and nothing else: '=', '"', ';' stay as they are, so a JAAS config line
 * remains readable.  Sequences and nulls have no .properties form and are
 * errors, as are two entries that flatten to the same key.
 *
 * librdkafka: kcat -F (1.7) reads lines of at most 511 bytes, trims blanks
 * (isspace) at both ends, skips empty lines and '#' comments, splits at the
 * first '=' and turns \= and \: into = and :; librdkafka has no reader of
 * its own, and applications split lines the same way.  There is no escape
 * for anything else, so a string that cannot be written as it is (a line
 * break or other control character, blanks at an end, a backslash before
 * '=' or ':', in a key also '=', a blank or a leading '#') is an error, as
 * is a line too long for kcat.
 *
 * Whether a string is written as it is is remembered on its node
 * (VF_KV_KEY, VF_KV_VAL; value.h), as emit_yaml does: the same keys and
 * the model's strings are written in three client files per user.
 */
#include "emit_common.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "hashmap.h"

struct pctx;

#define PROP_FEW_KEYS 32

/* How one dialect writes a key part (appended to the key path) and a
 * string value; each returns -1 after reporting. */
struct dialect {
	const char *ext; /* ".properties", ".conf": for messages */
	int (*key)(struct pctx *c, struct buf *b, const struct value *v);
	int (*str)(struct pctx *c, struct buf *b, const struct value *v);
	size_t max_line; /* longest line a reader takes, without its newline; 0: any */
};

struct pctx {
	const struct dialect *dl;
	struct buf *out;
	struct diags *d;
	struct buf key; /* the escaped key path being built */
	/* The keys emitted, to refuse a second one: a client file has a
	 * dozen, found in the output by offset; past PROP_FEW_KEYS they go
	 * into a hash set (an arena and a table per file cost more than a
	 * dozen comparisons). */
	size_t nkeys;
	struct { size_t off, len; } few[PROP_FEW_KEYS];
	struct hashmap set; /* copies of the keys, in keys */
	struct arena *keys; /* made past PROP_FEW_KEYS keys */
	struct mark at; /* the last template position met: a key's, else the document's */
};

/* Where to report a problem with v: its own position, else (a value the
 * model computed has none) the last template position met. */
static const struct mark *where(const struct pctx *c, const struct value *v)
{
	return v->mark.file && v->mark.line ? &v->mark : &c->at;
}

static void put_u(struct buf *b, unsigned u)
{
	static const char hex[] = "0123456789ABCDEF";
	char t[6] = { '\\', 'u', hex[(u >> 12) & 0xF], hex[(u >> 8) & 0xF], hex[(u >> 4) & 0xF], hex[u & 0xF] };
	buf_add(b, t, 6);
}

/* The bytes Java's escaping changes (prop_escape), by table: most of a
 * client file is plain text, skipped a byte per step.  A value's leading
 * space is the one case the table cannot say. */
#define PROP_ESC_VAL(ch) ((ch) < 0x20 || (ch) >= 0x7F || (ch) == '\\')
#define PROP_ESC_KEY(ch) \
	(PROP_ESC_VAL(ch) || (ch) == ' ' || (ch) == '=' || (ch) == ':' || (ch) == '#' || (ch) == '!')
#define PROP_ROW(M, b)                                                                                      \
	M(b), M(b + 1), M(b + 2), M(b + 3), M(b + 4), M(b + 5), M(b + 6), M(b + 7), M(b + 8), M(b + 9),      \
		M(b + 10), M(b + 11), M(b + 12), M(b + 13), M(b + 14), M(b + 15)
#define PROP_TABLE(M)                                                                                      \
	{ PROP_ROW(M, 0),   PROP_ROW(M, 16),  PROP_ROW(M, 32),  PROP_ROW(M, 48),  PROP_ROW(M, 64),           \
	  PROP_ROW(M, 80),  PROP_ROW(M, 96),  PROP_ROW(M, 112), PROP_ROW(M, 128), PROP_ROW(M, 144),          \
	  PROP_ROW(M, 160), PROP_ROW(M, 176), PROP_ROW(M, 192), PROP_ROW(M, 208), PROP_ROW(M, 224),          \
	  PROP_ROW(M, 240) }
static const bool prop_esc_val[256] = PROP_TABLE(PROP_ESC_VAL);
static const bool prop_esc_key[256] = PROP_TABLE(PROP_ESC_KEY);

/* Does w hold a byte equal to c? */
static inline uint64_t has_byte(uint64_t w, unsigned char c)
{
	const uint64_t ones = 0x0101010101010101ull;
	uint64_t x = w ^ (c * ones);
	return (x - ones) & ~x & (0x80 * ones);
}

/* The first i' >= i from which s's bytes may need escaping, eight bytes a
 * step (a client file is nearly all plain ASCII): a byte below 0x20, at
 * or above 0x7F or a backslash stops the step, and for a key also ' ',
 * '!', '#', '=' and ':' (below 0x24 covers the first three).  The table
 * loop then decides byte by byte. */
static size_t prop_plain_run(const unsigned char *p, size_t i, size_t n, bool is_key, const bool *esc)
{
	const uint64_t ones = 0x0101010101010101ull, high = 0x80 * ones;
	const uint64_t below = (is_key ? 0x24 : 0x20) * ones;
	for (; n - i >= 8; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		uint64_t stop = ((w - below) & ~w & high) | (w & high) | has_byte(w, 0x7F) | has_byte(w, '\\');
		if (is_key)
			stop |= has_byte(w, '=') | has_byte(w, ':');
		if (stop)
			break;
	}
	/* The rest (or the step that stopped) byte by byte, here: most
	 * strings are short, and a call per byte was most of the cost. */
	while (i < n && !esc[p[i]])
		i++;
	return i;
}

/* Remember on v (its text is not changed) that it is written as it is. */
static void kv_plain(const struct value *v, unsigned flags)
{
	((struct value *)v)->flags |= flags;
}

/* Escape s into b.  is_key: also escape the key terminators and comment
 * starters; otherwise only a leading space. */
static int prop_escape(struct pctx *c, struct buf *b, const struct value *v, bool is_key)
{
	const char *s = v->str.s;
	size_t n = v->str.len;
	const unsigned char *p = (const unsigned char *)s;
	const bool *esc = is_key ? prop_esc_key : prop_esc_val;
	buf_grow(b, n);
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		/* A value's leading space is not in the table: decide it below. */
		if ((is_key || i > 0) && (i = prop_plain_run(p, i, n, is_key, esc)) == n)
			break;
		unsigned char ch = p[i];
		if (!esc[ch] && !(ch == ' ' && i == 0))
			continue;
		buf_add(b, s + run, i - run);
		switch (ch) {
		case '\t': buf_add(b, "\\t", 2); break;
		case '\n': buf_add(b, "\\n", 2); break;
		case '\r': buf_add(b, "\\r", 2); break;
		case '\f': buf_add(b, "\\f", 2); break;
		default:
			if (ch >= 0x20 && ch < 0x7F) {
				buf_putc(b, '\\');
				buf_putc(b, (char)ch);
			} else if (ch < 0x80) {
				put_u(b, ch);
			} else {
				unsigned cp;
				int l = utf8_decode(p + i, n - i, &cp);
				if (!l)
					return emit_err_utf8(c->d, v, i);
				if (cp > 0xFFFF) {
					cp -= 0x10000;
					put_u(b, 0xD800 + (cp >> 10));
					put_u(b, 0xDC00 + (cp & 0x3FF));
				} else {
					put_u(b, cp);
				}
				i += (size_t)l - 1;
			}
		}
		run = i + 1;
	}
	buf_add(b, s + run, n - run);
	/* Nothing escaped (run 0): a key has none of the bytes VF_KV_KEY
	 * excludes, and so is a value too; a value, with no blank at its
	 * end, is a VF_KV_VAL. */
	if (run == 0 && (is_key || !n || s[n - 1] != ' '))
		kv_plain(v, is_key ? VF_KV_KEY | VF_KV_VAL : VF_KV_VAL);
	return 0;
}

static int java_key(struct pctx *c, struct buf *b, const struct value *v)
{
	return prop_escape(c, b, v, true);
}

static int java_str(struct pctx *c, struct buf *b, const struct value *v)
{
	return prop_escape(c, b, v, false);
}

static int rd_unwritable(struct pctx *c, const struct value *v, const char *what, size_t off)
{
	diag_at(c->d, SEV_ERROR, where(c, v), "emit-librdkafka-text",
		"librdkafka configuration lines have no escapes: change the value in the spec or the template",
		"cannot write %s in a librdkafka configuration (at byte %zu of '%.*s')", what, off,
		(int)(v->str.len > 60 ? 60 : v->str.len), v->str.s);
	return -1;
}

/* A key part: printable ASCII other than '=' and '\', not starting the
 * key with '#' (a comment). */
static int rd_key(struct pctx *c, struct buf *b, const struct value *v)
{
	bool kv = true; /* none of ':', '#', '!' either: a VF_KV_KEY */
	for (size_t i = 0; i < v->str.len; i++) {
		unsigned char ch = (unsigned char)v->str.s[i];
		kv = kv && ch != ':' && ch != '#' && ch != '!';
		if (ch <= 0x20 || ch >= 0x7F || ch == '=' || ch == '\\')
			return rd_unwritable(c, v, ch == '=' ? "'=' in a key" : ch == '\\' ? "a backslash in a key"
							     : "a blank or non-ASCII character in a key", i);
		if (ch == '#' && b->len == 0 && i == 0)
			return rd_unwritable(c, v, "a key starting with '#'", i);
	}
	buf_add(b, v->str.s, v->str.len);
	if (kv)
		kv_plain(v, VF_KV_KEY | VF_KV_VAL);
	return 0;
}

/* A value as it is: UTF-8 without control characters, no blank at either
 * end (trimmed), no backslash before '=' or ':' (read as an escape). */
static int rd_str(struct pctx *c, struct buf *b, const struct value *v)
{
	const unsigned char *p = (const unsigned char *)v->str.s;
	size_t n = v->str.len, bad = utf8_check(v->str.s, n);
	if (bad < n)
		return emit_err_utf8(c->d, v, bad);
	bool kv = true; /* ASCII without a backslash: a VF_KV_VAL */
	for (size_t i = 0; i < n; i++) {
		kv = kv && p[i] < 0x80 && p[i] != '\\';
		if (p[i] < 0x20 || p[i] == 0x7F)
			return rd_unwritable(c, v, "a control character", i);
		if (p[i] == '\\' && i + 1 < n && (p[i + 1] == '=' || p[i + 1] == ':'))
			return rd_unwritable(c, v, "a backslash before '=' or ':'", i);
	}
	if (n && (p[0] == ' ' || p[n - 1] == ' '))
		return rd_unwritable(c, v, "a blank at the start or end of a value", p[0] == ' ' ? 0 : n - 1);
	buf_add(b, v->str.s, n);
	if (kv)
		kv_plain(v, VF_KV_VAL);
	return 0;
}

static const struct dialect java = { ".properties", java_key, java_str, 0 };
/* kcat's line buffer is 512 bytes with the newline and the NUL: a longer
 * line is read as two. */
static const struct dialect librdkafka = { ".conf", rd_key, rd_str, 511 };

static void prop_key_hash(struct pctx *c, const char *key, size_t len)
{
	hashmap_put(&c->set, arena_strndup(c->keys, key, len), len, NULL);
}

/* Remember the key just written at offset off of the output; false if
 * seen before. */
static bool prop_key_new(struct pctx *c, size_t off, size_t len)
{
	const char *key = c->out->data ? c->out->data + off : "";
	if (c->keys) {
		if (hashmap_get(&c->set, key, len))
			return false;
		prop_key_hash(c, key, len);
		return true;
	}
	for (size_t i = 0; i < c->nkeys; i++)
		if (c->few[i].len == len && (!len || !memcmp(c->out->data + c->few[i].off, key, len)))
			return false;
	if (c->nkeys < PROP_FEW_KEYS) {
		c->few[c->nkeys].off = off;
		c->few[c->nkeys++].len = len;
		return true;
	}
	c->keys = arena_new();
	hashmap_init(&c->set, c->keys);
	for (size_t i = 0; i < c->nkeys; i++)
		prop_key_hash(c, c->out->data + c->few[i].off, c->few[i].len);
	prop_key_hash(c, key, len);
	return true;
}

/* The rest of the line whose key (key, klen: escaped) starts at offset
 * line of the output: '=', v's text, the newline. */
static int prop_value(struct pctx *c, size_t line, const char *key, size_t klen, const struct value *v)
{
	char num[EMIT_NUM_MAX];
	struct buf *b = c->out;
	buf_putc(b, '=');
	switch (v->kind) {
	case V_BOOL:
		buf_puts(b, v->b ? "true" : "false");
		break;
	case V_INT:
		buf_add(b, num, emit_fmt_int(num, v->i));
		break;
	case V_FLOAT:
		if (!isfinite(v->f)) {
			diag_at(c->d, SEV_ERROR, where(c, v), "emit-properties-number",
				"use a finite number or a string",
				"cannot write %s in a %s file", isnan(v->f) ? "NaN" : "infinity", c->dl->ext);
			return -1;
		}
		buf_add(b, num, emit_fmt_float(num, v->f, false));
		break;
	case V_STRING:
		if (v->flags & VF_KV_VAL)
			buf_add(b, v->str.s, v->str.len);
		else if (c->dl->str(c, b, v) < 0)
			return -1;
		break;
	default:
		diag_at(c->d, SEV_ERROR, where(c, v), "emit-properties-type",
			v->kind == V_NULL ? "give the key a value, or leave it out of the template"
					  : "join the items into one string in the template (e.g. comma-separated)",
			"a %s value cannot be a %s (key '%.*s')", c->dl->ext, vkind_name(v->kind),
			(int)(klen > 200 ? 200 : klen), key);
		return -1;
	}
	if (c->dl->max_line && b->len - line > c->dl->max_line) {
		diag_at(c->d, SEV_ERROR, where(c, v), "emit-librdkafka-line",
			"shorten the value; kcat reads a longer line as two",
			"the line for key '%.*s' is %zu bytes, longer than the %zu a %s file allows",
			(int)(klen > 200 ? 200 : klen), key, b->len - line, c->dl->max_line, c->dl->ext);
		return -1;
	}
	buf_putc(b, '\n');
	return 0;
}

static int prop_line(struct pctx *c, const struct pair *p)
{
	struct buf *b = c->out;
	size_t line = b->len;
	const char *key = c->key.data ? c->key.data : "";
	buf_add(b, key, c->key.len);
	if (!prop_key_new(c, line, c->key.len)) {
		diag_at(c->d, SEV_ERROR, where(c, p->key), "emit-properties-duplicate",
			"two entries flatten to the same dotted key; rename one of them",
			"duplicate %s key '%.*s'", c->dl->ext, (int)(c->key.len > 200 ? 200 : c->key.len), key);
		return -1;
	}
	return prop_value(c, line, key, c->key.len, p->val);
}

static int prop_map(struct pctx *c, const struct value *m, int depth)
{
	if (depth > EMIT_MAX_DEPTH)
		return emit_err_depth(c->d, m);
	/* The nearest marked key on the path to a value, not a sibling's. */
	const struct mark at = c->at;
	for (size_t i = 0; i < m->map.n; i++) {
		const struct pair *p = &m->map.items[i];
		c->at = p->key->mark.file && p->key->mark.line ? p->key->mark : at;
		size_t save = c->key.len;
		if (save)
			buf_putc(&c->key, '.');
		if (p->key->flags & VF_KV_KEY)
			buf_add(&c->key, p->key->str.s, p->key->str.len);
		else if (c->dl->key(c, &c->key, p->key) < 0)
			return -1;
		int r = p->val->kind == V_MAP ? prop_map(c, p->val, depth + 1) : prop_line(c, p);
		if (r < 0)
			return -1;
		c->key.len = save;
	}
	return 0;
}

static int emit_kv(const struct dialect *dl, struct buf *out, const struct value *doc, struct diags *d)
{
	if (doc->kind != V_MAP) {
		diag_at(d, SEV_ERROR, &doc->mark, "emit-properties-top",
			dl == &java ? "a .properties file is a mapping of keys to values"
				    : "a librdkafka configuration is a mapping of keys to values",
			"cannot write a %s as a %s file", vkind_name(doc->kind), dl->ext);
		return -1;
	}
	struct pctx c = { .dl = dl, .out = out, .d = d, .key = BUF_INIT, .at = doc->mark };
	size_t start = out->len;
	int r = prop_map(&c, doc, 0);
	buf_free(&c.key);
	arena_free(c.keys);
	if (r < 0)
		return emit_fail(out, start);
	return 0;
}

int emit_properties(struct buf *out, const struct value *doc, struct diags *d)
{
	return emit_kv(&java, out, doc, d);
}

int emit_librdkafka(struct buf *out, const struct value *doc, struct diags *d)
{
	return emit_kv(&librdkafka, out, doc, d);
}

/* ---- a line at a time (emit.h, struct emit_lines) */

/* A context for one line: what prop_value and the dialects read (the
 * key set of a whole file, 600 bytes, is left alone: zeroing it was most
 * of a line's cost). */
static void line_ctx(struct pctx *c, const struct dialect *dl, struct buf *b, struct diags *d,
		     const struct mark *at)
{
	c->dl = dl;
	c->out = b;
	c->d = d;
	c->at = *at;
}

static int lines_key(const struct dialect *dl, struct buf *b, const struct value *k, struct diags *d)
{
	struct pctx c;
	line_ctx(&c, dl, b, d, &k->mark);
	if (k->kind != V_STRING) /* a key the template compiled is a string */
		return -1;
	size_t start = b->len;
	if (k->flags & VF_KV_KEY)
		buf_add(b, k->str.s, k->str.len);
	else if (dl->key(&c, b, k) < 0)
		return emit_fail(b, start);
	return 0;
}

static int lines_line(const struct dialect *dl, struct buf *b, const char *key, size_t klen,
		      const struct value *v, struct diags *d)
{
	struct pctx c;
	line_ctx(&c, dl, b, d, &v->mark);
	size_t line = b->len;
	buf_add(b, key, klen);
	if (prop_value(&c, line, key, klen, v) < 0)
		return emit_fail(b, line);
	return 0;
}

/* A key=value file's keys are all at the top (ind 0): where is unused. */
static int java_lines_key(struct buf *b, const struct value *k, int ind, struct diags *d)
{
	(void)ind;
	return lines_key(&java, b, k, d);
}

static int java_lines_line(struct buf *b, const char *key, size_t klen, const struct value *v,
			   const struct emit_place *at, struct diags *d)
{
	(void)at;
	return lines_line(&java, b, key, klen, v, d);
}

static int rd_lines_key(struct buf *b, const struct value *k, int ind, struct diags *d)
{
	(void)ind;
	return lines_key(&librdkafka, b, k, d);
}

static int rd_lines_line(struct buf *b, const char *key, size_t klen, const struct value *v,
			 const struct emit_place *at, struct diags *d)
{
	(void)at;
	return lines_line(&librdkafka, b, key, klen, v, d);
}

const struct emit_lines emit_properties_lines = { java_lines_key, java_lines_line, false };
const struct emit_lines emit_librdkafka_lines = { rd_lines_key, rd_lines_line, false };
