/* yaml_fast.c - plain block YAML straight into events (see yaml_fast.h).
 *
 * Recursive descent over lines: a block collection knows its indent, and
 * a node ends where the next content line is indented no deeper than its
 * collection.  Anything outside the subset sets `declined` and unwinds;
 * libfyaml then reads the text, so this reader never has to be right
 * about YAML it does not handle, only about what it accepts.  Recursion
 * is bounded by LOAD_MAX_DEPTH (past it, declining lets libfyaml and
 * load.c report the depth).
 */
#include "yaml_fast.h"

#include <string.h>

#include "arena.h"
#include "load.h"

struct fp {
	struct arena *a;
	const char *path;
	const char *p, *end; /* position, end of text */
	const char *ls;      /* start of the current line */
	int line;
	int depth;
	int status; /* 0 reading, 1 declined, -1 stopped by the callback */
	yaml_ev_fn fn;
	void *ctx;
	/* The last mark's place and column: the next one on the line counts
	 * on from there (a user's line of a flow mapping has eight). */
	const char *mq;
	int mcol;
};

/* A node's properties, read before it. */
struct props {
	const char *anchor;
	size_t alen;
	struct mark m; /* the '&' */
};

static bool decline(struct fp *f)
{
	if (!f->status)
		f->status = 1;
	return false;
}

/* The column of q on the current line, counted in characters (libfyaml
 * counts them, not bytes). */
static struct mark mark_at(struct fp *f, const char *q)
{
	int col = 1;
	const char *c = f->ls;
	if (f->mq && f->mq >= f->ls && f->mq <= q) { /* on this line, before q */
		c = f->mq;
		col = f->mcol;
	}
	for (; c < q; c++)
		col += ((unsigned char)*c & 0xC0) != 0x80;
	f->mq = q;
	f->mcol = col;
	return (struct mark){ f->path, f->line, col };
}

static bool emit(struct fp *f, struct yaml_ev *e)
{
	if (!f->fn(f->ctx, e)) {
		f->status = -1;
		return false;
	}
	return true;
}

static bool emit_simple(struct fp *f, enum yev_type t, const struct mark *m, const struct props *pr)
{
	struct yaml_ev e = { .type = t };
	if (m)
		e.m = *m;
	if (pr && pr->anchor) {
		e.anchor = pr->anchor;
		e.alen = pr->alen;
	}
	return emit(f, &e);
}

static bool emit_scalar(struct fp *f, const struct mark *m, const char *s, size_t n, bool plain,
			const struct props *pr)
{
	struct yaml_ev e = { .type = YEV_SCALAR, .m = *m, .s = s, .n = n, .plain = plain };
	if (pr && pr->anchor) {
		e.anchor = pr->anchor;
		e.alen = pr->alen;
	}
	return emit(f, &e);
}

static bool at_eol(const struct fp *f, const char *q)
{
	return q >= f->end || *q == '\n';
}

static bool is_blank_or_eol(const struct fp *f, const char *q)
{
	return at_eol(f, q) || *q == ' ';
}

static bool is_flow_ind(char c)
{
	return c == ',' || c == '[' || c == ']' || c == '{' || c == '}';
}

static void skip_spaces(struct fp *f)
{
	while (f->p < f->end && *f->p == ' ')
		f->p++;
}

/* Past the line break at p (or at the end). */
static void next_line(struct fp *f)
{
	if (f->p < f->end) {
		f->p++;
		f->line++;
	}
	f->ls = f->p;
}

/* After a node: spaces, an optional comment, the end of the line. */
static bool end_of_line(struct fp *f)
{
	const char *before = f->p;
	skip_spaces(f);
	if (f->p < f->end && *f->p == '#') {
		if (f->p == before)
			return decline(f); /* "x#": not a comment */
		const char *nl = memchr(f->p, '\n', (size_t)(f->end - f->p));
		f->p = nl ? nl : f->end;
	}
	if (!at_eol(f, f->p))
		return decline(f);
	next_line(f);
	return true;
}

/* From the current line: skip blank and comment lines.  Returns the
 * indent of the next content line, p at its first character, or -1 at
 * the end of the text.  A document marker or directive declines. */
static int next_content(struct fp *f)
{
	/* Again from the line's start: a caller may already have looked
	 * (an empty value leaves p at the next line's content). */
	f->p = f->ls;
	for (;;) {
		if (f->p >= f->end)
			return -1;
		f->ls = f->p;
		const char *q = f->p;
		while (q < f->end && *q == ' ')
			q++;
		if (at_eol(f, q) || *q == '#') {
			const char *nl = q < f->end ? memchr(q, '\n', (size_t)(f->end - q)) : NULL;
			f->p = nl ? nl : f->end;
			next_line(f);
			continue;
		}
		if (q == f->ls && (*q == '%' || ((f->end - q >= 3) && (!memcmp(q, "---", 3) || !memcmp(q, "...", 3)) &&
						   is_blank_or_eol(f, q + 3)))) {
			decline(f);
			return -1;
		}
		f->p = q;
		return (int)(q - f->ls);
	}
}

/* A plain scalar from p: ends at the line's end, " #", ": " (or ':' at
 * the end) and, in flow, at a flow indicator or a ':' before one.
 * Trailing spaces are not part of it. *colon: it ended at a ':'. */
static bool scan_plain(struct fp *f, bool flow, const char **s, size_t *n, bool *colon)
{
	const char *q = f->p, *start = q;
	char c = *q;
	/* Indicators cannot start a plain scalar, except "-?:" before a
	 * character that can follow them. */
	if (strchr(",[]{}#&*!|>'\"%@`", c))
		return decline(f);
	if ((c == '-' || c == '?' || c == ':') &&
	    (is_blank_or_eol(f, q + 1) || (flow && is_flow_ind(q[1]))))
		return decline(f);
	*colon = false;
	const char *last = q; /* one past the last non-space */
	for (; q < f->end && *q != '\n'; q++) {
		c = *q;
		if (c == ':' && (is_blank_or_eol(f, q + 1) || (flow && is_flow_ind(q[1])))) {
			*colon = true;
			break;
		}
		if (c == '#' && q > start && q[-1] == ' ')
			break;
		if (flow && is_flow_ind(c))
			break;
		if (c != ' ')
			last = q + 1;
	}
	*s = start;
	*n = (size_t)(last - start);
	f->p = *colon ? q : last;
	return true;
}

/* A quoted scalar on one line; p at its quote.  Single quotes: '' is a
 * quote.  Double quotes: no escapes (a backslash declines). */
static bool scan_quoted(struct fp *f, const char **s, size_t *n)
{
	char qc = *f->p;
	const char *start = f->p + 1, *q = start;
	bool doubled = false;
	for (;; q++) {
		if (at_eol(f, q))
			return decline(f); /* a quoted scalar over lines folds them */
		if (qc == '"' && *q == '\\')
			return decline(f);
		if (*q == qc) {
			if (qc == '\'' && q + 1 < f->end && q[1] == '\'') {
				doubled = true;
				q++;
				continue;
			}
			break;
		}
	}
	if (!doubled) {
		*s = start;
		*n = (size_t)(q - start);
	} else {
		char *out = arena_alloc(f->a, (size_t)(q - start) + 1), *o = out;
		for (const char *c = start; c < q; c++) {
			*o++ = *c;
			if (*c == '\'')
				c++;
		}
		*s = out;
		*n = (size_t)(o - out);
	}
	f->p = q + 1;
	return true;
}

/* "&name" at p: its name up to a space or flow indicator. */
static bool scan_anchor(struct fp *f, struct props *pr)
{
	pr->m = mark_at(f, f->p);
	const char *q = ++f->p;
	while (q < f->end && *q != ' ' && *q != '\n' && !is_flow_ind(*q))
		q++;
	if (q == f->p)
		return decline(f);
	pr->anchor = f->p;
	pr->alen = (size_t)(q - f->p);
	f->p = q;
	return true;
}

static bool alias(struct fp *f)
{
	struct mark m = mark_at(f, f->p);
	const char *q = ++f->p;
	while (q < f->end && *q != ' ' && *q != '\n' && !is_flow_ind(*q))
		q++;
	if (q == f->p)
		return decline(f);
	struct yaml_ev e = { .type = YEV_ALIAS, .m = m, .s = f->p, .n = (size_t)(q - f->p) };
	f->p = q;
	return emit(f, &e);
}

static bool flow_node(struct fp *f);

/* [a, b] or {k: v}, on one line; p at the bracket. */
static bool flow_collection(struct fp *f, const struct props *pr)
{
	bool map = *f->p == '{';
	char close = map ? '}' : ']';
	struct mark m = mark_at(f, f->p);
	if (++f->depth > LOAD_MAX_DEPTH)
		return decline(f);
	if (!emit_simple(f, map ? YEV_MAP_START : YEV_SEQ_START, &m, pr))
		return false;
	f->p++;
	skip_spaces(f);
	if (f->p < f->end && *f->p == close) {
		f->p++;
		f->depth--;
		return emit_simple(f, map ? YEV_MAP_END : YEV_SEQ_END, &m, NULL);
	}
	for (;;) {
		if (map) {
			/* A key: quoted, or plain ending at ':' (else "{a}" or
			 * "{a:b}", which decline). */
			struct mark km = mark_at(f, f->p);
			const char *s;
			size_t n;
			bool colon = false, quoted = f->p < f->end && (*f->p == '\'' || *f->p == '"');
			if (at_eol(f, f->p))
				return decline(f);
			if (quoted ? !scan_quoted(f, &s, &n) : !scan_plain(f, true, &s, &n, &colon))
				return false;
			skip_spaces(f);
			if (f->p >= f->end || *f->p != ':')
				return decline(f);
			f->p++;
			if (!emit_scalar(f, &km, s, n, !quoted, NULL))
				return false;
			skip_spaces(f);
			if (f->p < f->end && (*f->p == ',' || *f->p == '}'))
				return decline(f); /* an empty value */
		}
		if (!flow_node(f))
			return false;
		skip_spaces(f);
		if (f->p < f->end && *f->p == ',') {
			f->p++;
			skip_spaces(f);
			if (f->p < f->end && *f->p == close)
				return decline(f); /* a trailing comma */
			continue;
		}
		if (f->p < f->end && *f->p == close) {
			f->p++;
			f->depth--;
			return emit_simple(f, map ? YEV_MAP_END : YEV_SEQ_END, &m, NULL);
		}
		return decline(f);
	}
}

/* A node inside a flow collection. */
static bool flow_node(struct fp *f)
{
	if (at_eol(f, f->p))
		return decline(f);
	char c = *f->p;
	if (c == '[' || c == '{')
		return flow_collection(f, NULL);
	if (c == '*')
		return alias(f);
	struct mark m = mark_at(f, f->p);
	const char *s;
	size_t n;
	if (c == '\'' || c == '"') {
		if (!scan_quoted(f, &s, &n))
			return false;
		return emit_scalar(f, &m, s, n, false, NULL);
	}
	bool colon;
	if (!scan_plain(f, true, &s, &n, &colon))
		return false;
	if (colon || n == 0)
		return decline(f); /* "[a: b]" is a mapping in a sequence */
	return emit_scalar(f, &m, s, n, true, NULL);
}

static bool block_map(struct fp *f, int indent, const struct props *pr);
static bool block_seq(struct fp *f, int indent, const struct props *pr);

/* A key at p (plain or quoted, then ':'): its event, p after the ':'. */
static bool block_key(struct fp *f, struct mark *km)
{
	*km = mark_at(f, f->p);
	const char *s;
	size_t n;
	bool quoted = *f->p == '\'' || *f->p == '"', colon = false;
	if (quoted) {
		if (!scan_quoted(f, &s, &n))
			return false;
		skip_spaces(f);
		colon = f->p < f->end && *f->p == ':' && is_blank_or_eol(f, f->p + 1);
	} else if (!scan_plain(f, false, &s, &n, &colon)) {
		return false;
	}
	if (!colon || (!quoted && n == 0))
		return decline(f);
	f->p++;
	return emit_scalar(f, km, s, n, !quoted, NULL);
}

/* A value on the lines after "key:" (in a mapping at `indent`) or "-"
 * (a sequence at `indent`): a block collection, or, after a key, an
 * empty value (null, at the key). */
static bool next_line_value(struct fp *f, int indent, bool in_seq, const struct mark *km, const struct props *pr)
{
	int m = next_content(f);
	if (f->status)
		return false;
	bool dash = m >= 0 && *f->p == '-' && is_blank_or_eol(f, f->p + 1);
	if (m > indent || (m == indent && dash && !in_seq)) {
		if (dash)
			return block_seq(f, m, pr);
		return block_map(f, m, pr);
	}
	if (in_seq || (pr && pr->anchor))
		return decline(f); /* an empty item, or an anchored null */
	return emit_scalar(f, km, "", 0, true, NULL);
}

/* The value after "key:" or "- " on the same line, p after the
 * indicator.  In a sequence item at `indent`, a key starts a compact
 * mapping ("- name: x"). */
static bool inline_value(struct fp *f, int indent, bool in_seq, const struct mark *km)
{
	skip_spaces(f);
	struct props pr = { 0 };
	if (!at_eol(f, f->p) && *f->p == '&') {
		if (!scan_anchor(f, &pr))
			return false;
		skip_spaces(f);
	}
	if (at_eol(f, f->p) || *f->p == '#') {
		/* Nothing more on the line: the value is below. */
		if (!end_of_line(f))
			return false;
		return next_line_value(f, indent, in_seq, km, &pr);
	}
	char c = *f->p;
	if (c == '*') {
		if (pr.anchor)
			return decline(f);
		return alias(f) && end_of_line(f);
	}
	if (c == '[' || c == '{')
		return flow_collection(f, &pr) && end_of_line(f);
	if (c == '-' && is_blank_or_eol(f, f->p + 1))
		return decline(f); /* "- - x", or "key: - x" (an error) */
	struct mark m = mark_at(f, f->p);
	const char *s;
	size_t n;
	bool quoted = c == '\'' || c == '"', colon = false;
	const char *start = f->p;
	if (quoted) {
		if (!scan_quoted(f, &s, &n))
			return false;
		const char *after = f->p;
		skip_spaces(f);
		colon = f->p < f->end && *f->p == ':' && is_blank_or_eol(f, f->p + 1);
		if (!colon)
			f->p = after;
	} else if (!scan_plain(f, false, &s, &n, &colon)) {
		return false;
	}
	if (colon) {
		/* "- key: value": a mapping whose indent is the key's column. */
		if (!in_seq || pr.anchor)
			return decline(f);
		f->p = start;
		return block_map(f, (int)(start - f->ls), NULL);
	}
	if (!emit_scalar(f, &m, s, n, !quoted, &pr))
		return false;
	return end_of_line(f);
}

/* A block mapping at `indent`, p at its first key. */
static bool block_map(struct fp *f, int indent, const struct props *pr)
{
	if (++f->depth > LOAD_MAX_DEPTH)
		return decline(f);
	struct mark start = mark_at(f, f->p);
	if (!emit_simple(f, YEV_MAP_START, &start, pr))
		return false;
	for (;;) {
		struct mark km;
		if (!block_key(f, &km) || !inline_value(f, indent, false, &km))
			return false;
		int m = next_content(f);
		if (f->status)
			return false;
		if (m < indent)
			break;
		if (m > indent || (*f->p == '-' && is_blank_or_eol(f, f->p + 1)))
			return decline(f);
	}
	f->depth--;
	return emit_simple(f, YEV_MAP_END, &start, NULL);
}

/* A block sequence at `indent`, p at its first '-'. */
static bool block_seq(struct fp *f, int indent, const struct props *pr)
{
	if (++f->depth > LOAD_MAX_DEPTH)
		return decline(f);
	struct mark start = mark_at(f, f->p);
	if (!emit_simple(f, YEV_SEQ_START, &start, pr))
		return false;
	for (;;) {
		struct mark dm = mark_at(f, f->p);
		f->p++; /* the '-' */
		if (!inline_value(f, indent, true, &dm))
			return false;
		int m = next_content(f);
		if (f->status)
			return false;
		if (m < indent || (m == indent && !(*f->p == '-' && is_blank_or_eol(f, f->p + 1))))
			break;
		if (m > indent)
			return decline(f);
	}
	f->depth--;
	return emit_simple(f, YEV_SEQ_END, &start, NULL);
}

int yaml_fast_parse(struct arena *a, const char *path, const char *text, size_t len, yaml_ev_fn fn, void *ctx)
{
	/* Tabs, carriage returns and a byte order mark are legal YAML this
	 * reader leaves to libfyaml. */
	if (memchr(text, '\t', len) || memchr(text, '\r', len) || (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)))
		return 1;
	struct fp f = { .a = a, .path = path, .p = text, .end = text + len, .ls = text, .line = 1, .fn = fn,
			.ctx = ctx };
	int m = next_content(&f);
	if (f.status)
		return f.status;
	if (m != 0)
		return 1; /* empty, or a root not at the margin */
	if (!emit_simple(&f, YEV_DOC_START, NULL, NULL))
		return f.status;
	bool ok = *f.p == '-' && is_blank_or_eol(&f, f.p + 1) ? block_seq(&f, 0, NULL) : block_map(&f, 0, NULL);
	if (!ok)
		return f.status;
	if (next_content(&f) != -1 || f.status)
		return f.status ? f.status : 1; /* more after the root */
	if (!emit_simple(&f, YEV_DOC_END, NULL, NULL))
		return f.status;
	return 0;
}
