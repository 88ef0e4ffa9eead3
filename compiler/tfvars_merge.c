/* tfvars_merge.c - an output merged into an existing .tfvars file (see
 * tfvars_merge.h).  Both texts are read with read_tfvars for their values
 * and positions; a value's extent is found from its first byte by matching
 * brackets outside strings and comments; the edits are spliced into the
 * file's text in order. */
#include "tfvars_merge.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "readers.h"

/* A text and where its lines start, to turn marks into offsets. */
struct text {
	const char *s;
	size_t n;
	size_t *lines; /* lines[k]: offset of line k+1 */
	size_t nlines;
};

struct edit {
	size_t at, del;  /* bytes [at, at+del) of the file are replaced */
	const char *ins; /* by this text */
};

struct merge {
	struct arena *a;
	struct diags *d;
	const char *label;
	struct text base, out;
	struct edit *edits;
	size_t n, cap;
	struct buf sb;
};

static void text_init(struct arena *a, struct text *t, const char *s, size_t n)
{
	t->s = s;
	t->n = n;
	size_t k = 1;
	for (size_t i = 0; i < n; i++)
		k += s[i] == '\n';
	t->lines = arena_alloc(a, k * sizeof *t->lines);
	t->nlines = 0;
	t->lines[t->nlines++] = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\n')
			t->lines[t->nlines++] = i + 1;
}

static size_t offset_of(const struct text *t, const struct value *v)
{
	size_t line = v->mark.line > 0 ? (size_t)v->mark.line : 1;
	size_t off = t->lines[line <= t->nlines ? line - 1 : t->nlines - 1] + (size_t)(v->mark.col > 0 ? v->mark.col - 1 : 0);
	return off <= t->n ? off : t->n;
}

/* Past a string starting at i (on its opening quote). */
static size_t skip_string(const struct text *t, size_t i)
{
	for (i++; i < t->n && t->s[i] != '"' && t->s[i] != '\n'; i++)
		if (t->s[i] == '\\')
			i++;
	return i < t->n ? i + 1 : t->n;
}

/* Past a comment at i, or i when there is none. */
static size_t skip_comment(const struct text *t, size_t i)
{
	const char *s = t->s;
	if (s[i] == '#' || (s[i] == '/' && i + 1 < t->n && s[i + 1] == '/')) {
		while (i < t->n && s[i] != '\n')
			i++;
	} else if (s[i] == '/' && i + 1 < t->n && s[i + 1] == '*') {
		for (i += 2; i + 1 < t->n && !(s[i] == '*' && s[i + 1] == '/'); i++)
			;
		i = i + 1 < t->n ? i + 2 : t->n;
	}
	return i;
}

/* The end of the value that starts at i. */
static size_t value_end(const struct text *t, size_t i)
{
	const char *s = t->s;
	if (i >= t->n)
		return t->n;
	if (s[i] == '"')
		return skip_string(t, i);
	if (s[i] != '[' && s[i] != '{') {
		while (i < t->n && !strchr(" \t\r\n,]}#", s[i]) && !(s[i] == '/' && i + 1 < t->n && s[i + 1] == '/'))
			i++;
		return i;
	}
	int depth = 0;
	while (i < t->n) {
		char ch = s[i];
		size_t c = skip_comment(t, i);
		if (c != i) {
			i = c;
		} else if (ch == '"') {
			i = skip_string(t, i);
		} else {
			if (ch == '[' || ch == '{')
				depth++;
			else if ((ch == ']' || ch == '}') && --depth == 0)
				return i + 1;
			i++;
		}
	}
	return t->n;
}

/* Column (0-based) of offset i on its line. */
static size_t column(const struct text *t, size_t i)
{
	size_t c = 0;
	while (c < i && t->s[i - c - 1] != '\n')
		c++;
	return c;
}

/* The indentation of the line offset i is on. */
static size_t line_indent(const struct text *t, size_t i)
{
	size_t start = i - column(t, i), k = 0;
	while (start + k < t->n && t->s[start + k] == ' ')
		k++;
	return k;
}

/* The output's text [from, to), its continuation lines moved from the
 * output's indentation `was` to `now` columns. */
static const char *reindent(struct merge *m, size_t from, size_t to, size_t was, size_t now)
{
	buf_reset(&m->sb);
	const char *s = m->out.s;
	for (size_t i = from; i < to; i++) {
		buf_putc(&m->sb, s[i]);
		if (s[i] == '\n' && i + 1 < to) {
			size_t k = 0;
			while (k < was && i + 1 < to && s[i + 1] == ' ') {
				i++;
				k++;
			}
			for (size_t j = 0; j < now; j++)
				buf_putc(&m->sb, ' ');
		}
	}
	return arena_strndup(m->a, m->sb.data ? m->sb.data : "", m->sb.len);
}

static void add(struct merge *m, size_t at, size_t del, const char *ins)
{
	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 16;
		m->edits = arena_realloc(m->a, m->edits, m->cap * sizeof *m->edits, cap * sizeof *m->edits);
		m->cap = cap;
	}
	m->edits[m->n++] = (struct edit){ at, del, ins };
}

/* The output's value v for a line of the file indented by `ind`. */
static const char *out_value(struct merge *m, const struct value *v, size_t ind)
{
	size_t from = offset_of(&m->out, v);
	return reindent(m, from, value_end(&m->out, from), line_indent(&m->out, from), ind);
}

/* The output's map entry k = v (from its key), for a line indented by ind. */
static const char *out_entry(struct merge *m, const struct value *k, const struct value *v, size_t ind)
{
	size_t from = offset_of(&m->out, k);
	return reindent(m, from, value_end(&m->out, offset_of(&m->out, v)), line_indent(&m->out, from), ind);
}

/* Text ins added after the last element, which ends at `end`: after the
 * comma that follows it, if any, else with one. */
static void append_after(struct merge *m, size_t end, size_t col, const char *ins)
{
	size_t i = end;
	while (i < m->base.n && (m->base.s[i] == ' ' || m->base.s[i] == '\t'))
		i++;
	const char *pad = arena_printf(m->a, "%*s", (int)col, "");
	if (i < m->base.n && m->base.s[i] == ',')
		add(m, i + 1, 0, arena_printf(m->a, "\n%s%s,", pad, ins));
	else
		add(m, end, 0, arena_printf(m->a, ",\n%s%s", pad, ins));
}

static bool same_scalar(const struct value *a, const struct value *b)
{
	return a && b && a->kind == V_STRING && b->kind == V_STRING && a->str.len == b->str.len &&
	       !memcmp(a->str.s, b->str.s, a->str.len);
}

static void replace(struct merge *m, const struct value *bv, const struct value *ov)
{
	if (v_equal(bv, ov))
		return; /* already so: the file keeps its own layout */
	size_t at = offset_of(&m->base, bv);
	add(m, at, value_end(&m->base, at) - at, out_value(m, ov, line_indent(&m->base, at)));
}

static void merge_list(struct merge *m, const struct value *bl, const struct value *ol)
{
	for (size_t i = 0; i < ol->seq.n; i++) {
		const struct value *oi = ol->seq.items[i];
		const struct value *key = oi->kind == V_MAP && oi->map.n ? oi->map.items[0].key : NULL;
		const struct value *want = key ? oi->map.items[0].val : NULL;
		const struct value *hit = NULL;
		for (size_t j = 0; key && j < bl->seq.n && !hit; j++)
			if (bl->seq.items[j]->kind == V_MAP && same_scalar(map_get(bl->seq.items[j], key->str.s), want))
				hit = bl->seq.items[j];
		if (hit) {
			replace(m, hit, oi);
		} else {
			const struct value *last = bl->seq.items[bl->seq.n - 1];
			size_t at = offset_of(&m->base, last), col = column(&m->base, at);
			append_after(m, value_end(&m->base, at), col, out_value(m, oi, col));
		}
	}
}

static void merge_map(struct merge *m, const struct value *bm, const struct value *om)
{
	for (size_t i = 0; i < om->map.n; i++) {
		const struct pair *p = &om->map.items[i];
		const struct value *hit = map_get(bm, p->key->str.s);
		if (hit) {
			replace(m, hit, p->val);
		} else {
			const struct pair *last = &bm->map.items[bm->map.n - 1];
			size_t col = column(&m->base, offset_of(&m->base, last->key));
			append_after(m, value_end(&m->base, offset_of(&m->base, last->val)), col,
				     out_entry(m, p->key, p->val, col));
		}
	}
}

static int by_offset(const void *x, const void *y)
{
	const struct edit *a = x, *b = y;
	return a->at < b->at ? -1 : a->at > b->at;
}

int tfvars_merge(struct arena *a, struct diags *d, const char *label, const char *base, size_t nbase,
		 const char *out, size_t nout, struct buf *b)
{
	struct value *bt = read_tfvars(a, d, label, base, nbase);
	struct value *ot = read_tfvars(a, d, "(the output)", out, nout);
	if (!bt || !ot)
		return -1;
	struct merge m = { .a = a, .d = d, .label = label, .sb = BUF_INIT };
	text_init(a, &m.base, base, nbase);
	text_init(a, &m.out, out, nout);
	struct buf tail = BUF_INIT;
	for (size_t i = 0; i < ot->map.n; i++) {
		const struct pair *p = &ot->map.items[i];
		const struct value *bv = map_get(bt, p->key->str.s);
		if (!bv) {
			const char *e = out_entry(&m, p->key, p->val, 0);
			buf_printf(&tail, "\n%s\n", e);
		} else if (bv->kind == V_SEQ && p->val->kind == V_SEQ && bv->seq.n && p->val->seq.n) {
			merge_list(&m, bv, p->val);
		} else if (bv->kind == V_MAP && p->val->kind == V_MAP && bv->map.n && p->val->map.n) {
			merge_map(&m, bv, p->val);
		} else {
			replace(&m, bv, p->val);
		}
	}
	if (tail.len)
		add(&m, nbase, 0, arena_printf(a, "%s%.*s", nbase && base[nbase - 1] != '\n' ? "\n" : "",
					       (int)tail.len, tail.data));
	buf_free(&tail);
	buf_free(&m.sb);
	if (m.n) /* qsort takes no NULL array, even empty */
		qsort(m.edits, m.n, sizeof *m.edits, by_offset);
	buf_reset(b);
	size_t at = 0;
	for (size_t i = 0; i < m.n; i++) {
		const struct edit *e = &m.edits[i];
		if (e->at < at) {
			diag_pos(d, SEV_ERROR, label, 1, 1, "tfvars-merge", "set each pool, label and taint once",
				 "%s", "the output changes one part of the file twice");
			return -1;
		}
		buf_add(b, base + at, e->at - at);
		buf_puts(b, e->ins);
		at = e->at + e->del;
	}
	buf_add(b, base + at, nbase - at);
	return 0;
}
