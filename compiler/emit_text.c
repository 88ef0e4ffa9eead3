/* emit_text.c - a sequence of lines to a text file (the clients' README.md).
 *
 * A template of a text output is a YAML sequence, one item per line, so
 * `$for` and `$if` shape the text as they shape any tree.  A line is a
 * string (UTF-8), an integer, a float or a boolean in its usual text; a
 * line break inside an item would make the file say something else than
 * the tree (the reader splits at line breaks), so it is an error.
 */
#include "emit_common.h"

#include <math.h>
#include <string.h>

static int text_line(struct buf *out, const struct value *v, struct diags *d)
{
	char num[EMIT_NUM_MAX];
	switch (v->kind) {
	case V_STRING: {
		if (v->flags & VF_TEXT) { /* checked before, here or by another emitter */
			buf_add(out, v->str.s, v->str.len);
			break;
		}
		size_t bad = utf8_check(v->str.s, v->str.len);
		if (bad < v->str.len)
			return emit_err_utf8(d, v, bad);
		/* memchr, not a loop: the clients' README is a line per user. */
		const char *nl = memchr(v->str.s, '\n', v->str.len), *cr = memchr(v->str.s, '\r', v->str.len);
		if (nl || cr) {
			const char *at = !nl ? cr : !cr ? nl : nl < cr ? nl : cr;
			diag_at(d, SEV_ERROR, &v->mark, "emit-text-line", "write each line as its own item of the sequence",
				"a line of a text output holds a line break (at byte %zu)", (size_t)(at - v->str.s));
			return -1;
		}
		buf_add(out, v->str.s, v->str.len);
		((struct value *)v)->flags |= VF_TEXT_LINE; /* its own text, as emit_yaml remembers */
		break;
	}
	case V_BOOL:
		buf_puts(out, v->b ? "true" : "false");
		break;
	case V_INT:
		buf_add(out, num, emit_fmt_int(num, v->i));
		break;
	case V_FLOAT:
		if (!isfinite(v->f))
			return emit_err_nonfinite(d, v, "emit-text-type", "use a finite number or a string", "text");
		buf_add(out, num, emit_fmt_float(num, v->f, false));
		break;
	default:
		diag_at(d, SEV_ERROR, &v->mark, "emit-text-type",
			v->kind == V_NULL ? "write '' for an empty line, or leave the item out"
					  : "a line is one scalar: join the items into one string in the template",
			"a line of a text output cannot be a %s", vkind_name(v->kind));
		return -1;
	}
	buf_putc(out, '\n');
	return 0;
}

int emit_text(struct buf *out, const struct value *doc, struct diags *d)
{
	if (doc->kind != V_SEQ) {
		diag_at(d, SEV_ERROR, &doc->mark, "emit-text-type",
			"a text output's template is a sequence of lines",
			"cannot write a %s as a text file", vkind_name(doc->kind));
		return -1;
	}
	size_t start = out->len;
	for (size_t i = 0; i < doc->seq.n; i++)
		if (text_line(out, doc->seq.items[i], d) < 0)
			return emit_fail(out, start);
	return 0;
}
