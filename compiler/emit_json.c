/* emit_json.c - value trees to JSON (RFC 8259), 2-space indent, final newline. */
#include "emit_common.h"

#include <math.h>
#include <string.h>

struct jctx {
	struct buf *out;
	struct diags *d;
};

static int json_string(struct jctx *c, const struct value *v)
{
	const char *s = v->str.s;
	size_t n = v->str.len;
	size_t bad = utf8_check(s, n);
	if (bad != n)
		return emit_err_utf8(c->d, v, bad);
	struct buf *b = c->out;
	buf_grow(b, n + 2);
	buf_putc(b, '"');
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch >= 0x20 && ch != '"' && ch != '\\')
			continue;
		buf_add(b, s + run, i - run);
		run = i + 1;
		if (emit_escape_common(b, ch))
			continue;
		switch (ch) {
		case '\b': buf_add(b, "\\b", 2); break;
		case '\f': buf_add(b, "\\f", 2); break;
		default: emit_escape_u00(b, ch, false);
		}
	}
	buf_add(b, s + run, n - run);
	buf_putc(b, '"');
	return 0;
}

static int json_value(struct jctx *c, const struct value *v, int ind, int depth)
{
	if (depth > EMIT_MAX_DEPTH)
		return emit_err_depth(c->d, v);
	if (emit_json_scalar(c->out, v))
		return 0;
	if (v->kind == V_FLOAT) /* not finite */
		return emit_err_nonfinite(c->d, v, "emit-json-number",
					  "JSON has no infinity or NaN; use a large finite number, null, or a string", "JSON");
	switch (v->kind) {
	default:
		break; /* null, a boolean or a number: written above */
	case V_STRING:
		return json_string(c, v);
	case V_SEQ:
		if (!v->seq.n) {
			buf_add(c->out, "[]", 2);
			return 0;
		}
		buf_add(c->out, "[\n", 2);
		for (size_t i = 0; i < v->seq.n; i++) {
			if (i)
				buf_add(c->out, ",\n", 2);
			buf_indent(c->out, ind + 2);
			if (json_value(c, v->seq.items[i], ind + 2, depth + 1) < 0)
				return -1;
		}
		buf_putc(c->out, '\n');
		buf_indent(c->out, ind);
		buf_putc(c->out, ']');
		return 0;
	case V_MAP:
		if (!v->map.n) {
			buf_add(c->out, "{}", 2);
			return 0;
		}
		buf_add(c->out, "{\n", 2);
		for (size_t i = 0; i < v->map.n; i++) {
			const struct pair *p = &v->map.items[i];
			if (i)
				buf_add(c->out, ",\n", 2);
			buf_indent(c->out, ind + 2);
			if (json_string(c, p->key) < 0)
				return -1;
			buf_add(c->out, ": ", 2);
			if (json_value(c, p->val, ind + 2, depth + 1) < 0)
				return -1;
		}
		buf_putc(c->out, '\n');
		buf_indent(c->out, ind);
		buf_putc(c->out, '}');
		return 0;
	}
	return 0;
}

int emit_json(struct buf *out, const struct value *doc, struct diags *d)
{
	struct jctx c = { out, d };
	size_t start = out->len;
	if (json_value(&c, doc, 0, 0) < 0)
		return emit_fail(out, start);
	buf_putc(out, '\n');
	return 0;
}
