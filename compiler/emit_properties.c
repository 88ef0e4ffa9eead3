/* emit_properties.c - a mapping to a Java .properties file.
 *
 * Nested mappings are flattened with '.' (ssl: {truststore: {type: PEM}} ->
 * ssl.truststore.type=PEM); one key=value line per scalar, in tree order.
 * Escaping is what java.util.Properties.load(InputStream) expects: it reads
 * ISO-8859-1, so every code point above U+007E is written as \uXXXX (UTF-16
 * surrogate pairs above U+FFFF).  Keys escape '\', space, '=', ':', '#', '!';
 * values escape '\', a leading space, and line breaks, tab and form feed,
 * and nothing else: '=', '"', ';' stay as they are, so a JAAS config line
 * remains readable.  Sequences and nulls have no .properties form and are
 * errors, as are two entries that flatten to the same key.
 */
#include "emit_common.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "hashmap.h"

struct pctx {
	struct buf *out;
	struct diags *d;
	struct buf key; /* the escaped key path being built */
	struct hashmap set; /* the keys emitted, copied into keys */
	struct arena *keys; /* made at the first key */
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

/* Escape s into b.  is_key: also escape the key terminators and comment
 * starters; otherwise only a leading space. */
static int prop_escape(struct pctx *c, struct buf *b, const struct value *v, bool is_key)
{
	const char *s = v->str.s;
	size_t n = v->str.len;
	const unsigned char *p = (const unsigned char *)s;
	buf_grow(b, n);
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = p[i];
		bool esc;
		if (ch >= 0x20 && ch < 0x7F)
			esc = ch == '\\' || (ch == ' ' && (is_key || i == 0)) ||
			      (is_key && (ch == '=' || ch == ':' || ch == '#' || ch == '!'));
		else
			esc = true;
		if (!esc)
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
	return 0;
}

/* Remember the key just written; false if seen before. */
static bool prop_key_new(struct pctx *c, const char *key, size_t len)
{
	if (hashmap_get(&c->set, key, len))
		return false;
	if (!c->keys) {
		c->keys = arena_new();
		hashmap_init(&c->set, c->keys);
	}
	hashmap_put(&c->set, arena_strndup(c->keys, key, len), len, NULL);
	return true;
}

static int prop_line(struct pctx *c, const struct pair *p)
{
	const struct value *v = p->val;
	char num[EMIT_NUM_MAX];
	struct buf *b = c->out;
	buf_add(b, c->key.data ? c->key.data : "", c->key.len);
	if (!prop_key_new(c, c->key.data ? c->key.data : "", c->key.len)) {
		diag_at(c->d, SEV_ERROR, where(c, p->key), "emit-properties-duplicate",
			"two entries flatten to the same dotted key; rename one of them",
			"duplicate .properties key '%.*s'", (int)(c->key.len > 200 ? 200 : c->key.len),
			c->key.data ? c->key.data : "");
		return -1;
	}
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
				"cannot write %s in a .properties file", isnan(v->f) ? "NaN" : "infinity");
			return -1;
		}
		buf_add(b, num, emit_fmt_float(num, v->f, false));
		break;
	case V_STRING:
		if (prop_escape(c, b, v, false) < 0)
			return -1;
		break;
	default:
		diag_at(c->d, SEV_ERROR, where(c, v), "emit-properties-type",
			v->kind == V_NULL ? "give the key a value, or leave it out of the template"
					  : "join the items into one string in the template (e.g. comma-separated)",
			"a .properties value cannot be a %s (key '%.*s')", vkind_name(v->kind),
			(int)(c->key.len > 200 ? 200 : c->key.len), c->key.data ? c->key.data : "");
		return -1;
	}
	buf_putc(b, '\n');
	return 0;
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
		if (prop_escape(c, &c->key, p->key, true) < 0)
			return -1;
		int r = p->val->kind == V_MAP ? prop_map(c, p->val, depth + 1) : prop_line(c, p);
		if (r < 0)
			return -1;
		c->key.len = save;
	}
	return 0;
}

int emit_properties(struct buf *out, const struct value *doc, struct diags *d)
{
	if (doc->kind != V_MAP) {
		diag_at(d, SEV_ERROR, &doc->mark, "emit-properties-top",
			"a .properties file is a mapping of keys to values",
			"cannot write a %s as a .properties file", vkind_name(doc->kind));
		return -1;
	}
	struct pctx c = { .out = out, .d = d, .key = BUF_INIT, .at = doc->mark };
	size_t start = out->len;
	int r = prop_map(&c, doc, 0);
	buf_free(&c.key);
	arena_free(c.keys);
	if (r < 0)
		return emit_fail(out, start);
	return 0;
}
