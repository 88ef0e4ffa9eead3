/* emit_hcl.c - a mapping to a Terraform .tfvars file, laid out as
 * `terraform fmt` (hclwrite's format.go) would lay it out.
 *
 * Alignment, as in hclwrite formatCells(): a line has an "assign" cell when
 * it holds `name = <expression complete on that line>` (net brackets zero
 * after the '=').  A maximal run of consecutive lines with an assign cell is
 * one chain; within a chain the '=' signs line up one space after the
 * longest name (columns counted in grapheme clusters).  Any other line ends
 * the chain: a blank line, a comment-only line, the `name = {` / `name = [`
 * line that opens a multi-line value, its items and its closing `}` or `]`.
 * So here: consecutive single-line entries of one object are aligned; an
 * entry with a multi-line value gets a single space and splits the run.
 *
 * Top-level attributes with a multi-line value are separated from their
 * neighbours by a blank line (fmt keeps blank lines, which also split
 * chains).  Lists of scalars whose one-line form fits HCL_LIST_WIDTH columns
 * stay on one line; other lists have one item per line, each followed by ','.
 */
#include "emit_common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

#define HCL_LIST_WIDTH 80

struct hctx {
	struct buf *out;
	struct diags *d;
};

/* An object key written bare must also not be read as a keyword
 * expression ({ null = 1 } has a null key; { for = 1 } starts a for). */
static bool hcl_bare_key(const char *s, size_t n)
{
	static const char *const kw[] = { "null", "true", "false", "for", "in", "if", NULL };
	if (!hcl_ident(s, n))
		return false;
	for (const char *const *k = kw; *k; k++)
		if (strlen(*k) == n && memcmp(*k, s, n) == 0)
			return false;
	return true;
}

/* Columns that hclwrite counts for s: grapheme clusters, approximated as
 * code points that are not combining marks, variation selectors, emoji
 * modifiers, or joined by a zero-width joiner. */
static size_t hcl_columns(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t cols = 0;
	bool joined = false;
	for (size_t i = 0; i < n;) {
		unsigned cp = p[i];
		int l = 1;
		if (cp >= 0x80) {
			l = utf8_decode(p + i, n - i, &cp);
			if (!l)
				l = 1;
		}
		i += (size_t)l;
		bool extend = (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
			      (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
			      (cp >= 0xFE20 && cp <= 0xFE2F) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
			      (cp >= 0x1F3FB && cp <= 0x1F3FF) || cp == 0x200D;
		if (!extend && !joined)
			cols++;
		joined = cp == 0x200D;
	}
	return cols;
}

static int hcl_string(struct hctx *c, struct buf *b, const struct value *v)
{
	const char *s = v->str.s;
	size_t n = v->str.len;
	size_t bad = utf8_check(s, n);
	if (bad != n)
		return emit_err_utf8(c->d, v, bad);
	buf_grow(b, n + 2);
	buf_putc(b, '"');
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		bool tmpl = (ch == '$' || ch == '%') && i + 1 < n && s[i + 1] == '{';
		if (ch >= 0x20 && ch != 0x7F && ch != '"' && ch != '\\' && !tmpl)
			continue;
		buf_add(b, s + run, i - run);
		run = i + 1;
		if (emit_escape_common(b, ch))
			continue;
		switch (ch) {
		case '$': buf_add(b, "$$", 2); break; /* ${ -> $${ */
		case '%': buf_add(b, "%%", 2); break; /* %{ -> %%{ */
		default: emit_escape_u00(b, ch, true);
		}
	}
	buf_add(b, s + run, n - run);
	buf_putc(b, '"');
	return 0;
}

static int hcl_scalar(struct hctx *c, struct buf *b, const struct value *v)
{
	if (emit_json_scalar(b, v))
		return 0;
	if (v->kind == V_FLOAT) /* not finite */
		return emit_err_nonfinite(c->d, v, "emit-hcl-number",
					  "HCL numbers are finite; use a large finite number, null, or a string", "HCL");
	switch (v->kind) {
	default:
		break; /* null, a boolean or a number: written above */
	case V_STRING:
		return hcl_string(c, b, v);
	case V_SEQ:
		buf_add(b, "[]", 2);
		return 0;
	case V_MAP:
		buf_add(b, "{}", 2);
		return 0;
	}
	return 0;
}

static bool hcl_is_scalar(const struct value *v)
{
	return v_is_scalar(v) || (v->kind == V_SEQ && !v->seq.n) || (v->kind == V_MAP && !v->map.n);
}

/* Write v on one line if it goes on one line (a scalar, an empty collection,
 * a short list of scalars): returns 1; 0 when it needs several lines (b is
 * left as it was); -1 on error. */
static int hcl_oneline(struct hctx *c, struct buf *b, const struct value *v)
{
	if (hcl_is_scalar(v))
		return hcl_scalar(c, b, v) < 0 ? -1 : 1;
	if (v->kind != V_SEQ)
		return 0;
	for (size_t i = 0; i < v->seq.n; i++)
		if (!hcl_is_scalar(v->seq.items[i]))
			return 0;
	size_t start = b->len;
	buf_putc(b, '[');
	for (size_t i = 0; i < v->seq.n; i++) {
		if (i)
			buf_add(b, ", ", 2);
		if (hcl_scalar(c, b, v->seq.items[i]) < 0)
			return -1;
	}
	buf_putc(b, ']');
	if (hcl_columns(b->data + start, b->len - start) > HCL_LIST_WIDTH) {
		b->len = start;
		b->data[start] = '\0';
		return 0;
	}
	return 1;
}

static int hcl_entries(struct hctx *c, const struct value *m, int ind, bool top, int depth);

/* A value that needs several lines: from its opening bracket to its closing
 * one, which ends the last line written (no newline after it). */
static int hcl_multi(struct hctx *c, const struct value *v, int ind, int depth)
{
	if (depth > EMIT_MAX_DEPTH)
		return emit_err_depth(c->d, v);
	if (v->kind == V_MAP) {
		buf_add(c->out, "{\n", 2);
		if (hcl_entries(c, v, ind + 2, false, depth + 1) < 0)
			return -1;
		buf_indent(c->out, ind);
		buf_putc(c->out, '}');
		return 0;
	}
	buf_add(c->out, "[\n", 2);
	for (size_t i = 0; i < v->seq.n; i++) {
		const struct value *item = v->seq.items[i];
		buf_indent(c->out, ind + 2);
		int r = hcl_oneline(c, c->out, item);
		if (r == 0)
			r = hcl_multi(c, item, ind + 2, depth + 1);
		if (r < 0)
			return -1;
		buf_add(c->out, ",\n", 2);
	}
	buf_indent(c->out, ind);
	buf_putc(c->out, ']');
	return 0;
}

/* Write a key (bare or quoted) to b. */
static int hcl_key(struct hctx *c, struct buf *b, const struct value *key, bool top)
{
	const char *s = key->str.s;
	size_t n = key->str.len;
	if (top) {
		if (!hcl_ident(s, n)) {
			diag_at(c->d, SEV_ERROR, &key->mark, "emit-hcl-name",
				"tfvars names are identifiers: letters, digits, '_' and '-', not starting with a digit or '-'",
				"'%.*s' is not a valid Terraform variable name", (int)(n > 80 ? 80 : n), s);
			return -1;
		}
		buf_add(b, s, n);
		return 0;
	}
	if (hcl_bare_key(s, n)) {
		buf_add(b, s, n);
		return 0;
	}
	return hcl_string(c, b, key);
}

struct hline {
	size_t cols;  /* columns of the key as written */
	bool single;  /* value fits on the key's line */
};

static int hcl_entries(struct hctx *c, const struct value *m, int ind, bool top, int depth)
{
	size_t n = m->map.n;
	if (!n)
		return 0;
	struct hline *info = xmalloc(n * sizeof *info);
	struct buf tmp = BUF_INIT;
	int rc = -1;
	for (size_t i = 0; i < n; i++) {
		const struct pair *p = &m->map.items[i];
		buf_reset(&tmp);
		if (hcl_key(c, &tmp, p->key, top) < 0)
			goto out;
		info[i].cols = hcl_columns(tmp.data, tmp.len);
		buf_reset(&tmp);
		int r = hcl_oneline(c, &tmp, p->val);
		if (r < 0)
			goto out;
		info[i].single = r == 1;
	}
	size_t maxcols = 0;
	for (size_t i = 0; i < n; i++) {
		const struct pair *p = &m->map.items[i];
		if (top && i > 0 && (!info[i].single || !info[i - 1].single))
			buf_putc(c->out, '\n');
		buf_indent(c->out, ind);
		hcl_key(c, c->out, p->key, top);
		if (!info[i].single) {
			buf_add(c->out, " = ", 3);
			if (hcl_multi(c, p->val, ind, depth + 1) < 0)
				goto out;
			buf_putc(c->out, '\n');
			continue;
		}
		if (i == 0 || !info[i - 1].single) {
			/* first line of an alignment chain: measure the chain */
			maxcols = 0;
			for (size_t j = i; j < n && info[j].single; j++)
				if (info[j].cols > maxcols)
					maxcols = info[j].cols;
		}
		emit_repeat(c->out, ' ', maxcols - info[i].cols + 1);
		buf_add(c->out, "= ", 2);
		hcl_oneline(c, c->out, p->val);
		buf_putc(c->out, '\n');
	}
	rc = 0;
out:
	buf_free(&tmp);
	free(info);
	return rc;
}

int emit_hcl(struct buf *out, const struct value *doc, struct diags *d)
{
	struct hctx c = { out, d };
	size_t start = out->len;
	if (doc->kind != V_MAP) {
		diag_at(d, SEV_ERROR, &doc->mark, "emit-hcl-top",
			"a .tfvars file is a mapping of variable names to values",
			"cannot write a %s as a .tfvars file", vkind_name(doc->kind));
		return -1;
	}
	if (hcl_entries(&c, doc, 0, true, 0) < 0)
		return emit_fail(out, start);
	return 0;
}
