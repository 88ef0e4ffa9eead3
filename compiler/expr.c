/* expr.c - lexer, parser and evaluator of template expressions. */
#include "expr.h"
#include "expr_ast.h"
#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "suggest.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPR_MAX_DEPTH 64 /* nesting of parentheses, operators, calls */

/* ---------------------------------------------------------------- AST (expr_ast.h) */

static const struct {
	const char *name;
	size_t nargs;
	const char *sig;
} fns[] = {
	[F_LEN] = { "len", 1, "len(x)" },
	[F_STR] = { "str", 1, "str(x)" },
	[F_LOWER] = { "lower", 1, "lower(s)" },
	[F_UPPER] = { "upper", 1, "upper(s)" },
	[F_JOIN] = { "join", 2, "join(seq, sep)" },
	[F_KEYS] = { "keys", 1, "keys(map)" },
	[F_HAS] = { "has", 2, "has(map, key)" },
	[F_DEFAULT] = { "default", 2, "default(x, y)" },
	[F_FILES] = { "files", 1, "files(prefix)" },
	[F_INCLUDE] = { "include", 1, "include(path[, arg])" }, /* arg is optional */
};
#define NFNS (sizeof fns / sizeof fns[0])


size_t expr_offset(const struct expr *e)
{
	return e->start;
}

bool expr_names(const struct expr *e, expr_name_fn fn, void *ctx)
{
	if (!e)
		return true;
	bool ok = true;
	if (e->kind == X_VAR) {
		fn(ctx, e->name, false);
	} else if (e->kind == X_CALL && (e->fn == F_FILES || e->fn == F_INCLUDE)) {
		const struct expr *a0 = e->nargs ? e->args[0] : NULL;
		if (e->fn == F_FILES || !a0 || a0->kind != X_LIT || a0->lit->kind != V_STRING)
			ok = false;
		else
			fn(ctx, a0->lit->str.s, true);
	}
	for (size_t i = 0; i < e->nargs; i++)
		ok &= expr_names(e->args[i], fn, ctx);
	return expr_names(e->l, fn, ctx) && expr_names(e->r, fn, ctx) && ok;
}

/* ---------------------------------------------------------------- diagnostics */

static size_t utf8_chars(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

/* The column of byte offset `off` of the site's text. */
static int site_col(const struct diags *d, const struct expr_site *s, size_t off)
{
	int col = s->mark.col;
	if (col <= 0 || off > s->len)
		return col;
	int rel = (int)utf8_chars(s->text, off);
	if (s->exact)
		return col + rel;
	/* Exact only when the text stands verbatim in the source at the mark:
	 * a plain scalar on one line, or a quoted one without escapes. */
	const struct source *src = diags_find_source(d, s->mark.file);
	if (src && s->mark.line > 0) {
		const char *p = src->text, *end = src->text + src->len;
		for (int l = 1; l < s->mark.line && p < end; l++) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			p = nl ? nl + 1 : end;
		}
		for (int c = 1; c < col && p < end && *p != '\n'; c++) {
			p++;
			while (p < end && ((unsigned char)*p & 0xC0) == 0x80)
				p++;
		}
		size_t left = (size_t)(end - p);
		if (left >= s->len && memcmp(p, s->text, s->len) == 0)
			return col + rel;
		if (left > s->len && (*p == '"' || *p == '\'') && memcmp(p + 1, s->text, s->len) == 0)
			return col + 1 + rel;
		return col;
	}
	if (!(s->flags & VF_QUOTED) && !memchr(s->text, '\n', s->len))
		return col + rel;
	return col;
}

void expr_error(struct diags *d, struct expr_site *site, size_t off, const char *id,
		const char *hint, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = arena_vprintf(d->arena, fmt, ap);
	va_end(ap);
	struct mark m = site->mark;
	m.col = site_col(d, site, off);
	diag_at(d, SEV_ERROR, &m, id, hint, "%s", msg);
}

void expr_site_verror(struct arena *a, struct diags *d, struct expr_site *site, size_t off,
		      const char *id, const char *hint, const char *fmt, va_list ap)
{
	if (site->reported)
		return;
	site->reported = true;
	char *msg = arena_vprintf(a, fmt, ap);
	size_t from = d->n;
	expr_error(d, site, off, id, hint, "%s", msg);
	diags_mark_once(d, from, &site->mark);
}

const char *expr_suggest(struct arena *a, const char *name, size_t n,
			 const char *const *cands, size_t ncands)
{
	return suggest_hint(a, name, n, cands, ncands);
}

/* Hint for a key missing from mapping m (called `what`). */
static const char *keys_hint(struct arena *a, const struct value *m, const char *what,
			     const char *name, size_t n)
{
	if (m->map.n == 0)
		return arena_printf(a, "'%s' is an empty mapping", what);
	const char *cands[256];
	size_t nc = m->map.n < 256 ? m->map.n : 256;
	for (size_t i = 0; i < nc; i++)
		cands[i] = m->map.items[i].key->str.s;
	const char *s = expr_suggest(a, name, n, cands, nc);
	if (s)
		return s;
	struct buf b = BUF_INIT;
	buf_printf(&b, "'%s' has: ", what);
	size_t show = m->map.n < 20 ? m->map.n : 16;
	for (size_t i = 0; i < show; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", m->map.items[i].key->str.s);
	if (show < m->map.n)
		buf_printf(&b, ", ... (%zu more)", m->map.n - show);
	char *r = arena_strdup(a, buf_cstr(&b));
	buf_free(&b);
	return r;
}

bool expr_is_varname(const char *s, size_t n)
{
	static const char *const kw[] = { "and", "or", "not", "in", "true", "false", "null" };
	if (n == 0 || !(s[0] == '_' || (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!(s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9')))
			return false;
	for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
		if (strlen(kw[i]) == n && memcmp(kw[i], s, n) == 0)
			return false;
	return true;
}

/* ---------------------------------------------------------------- lexer */

enum tok {
	K_EOF, K_RBRACE, K_IDENT, K_INT, K_STR, K_DOT, K_LBRACK, K_RBRACK, K_LPAREN,
	K_RPAREN, K_COMMA, K_EQ, K_NE, K_LT, K_LE, K_GT, K_GE, K_PLUS, K_MINUS,
	K_AND, K_OR, K_NOT, K_IN, K_TRUE, K_FALSE, K_NULL, K_ERR
};

struct parser {
	struct arena *a;
	struct diags *d;
	struct expr_site *site;
	const char *s;
	size_t len, pos;
	enum tok t;
	size_t ts, te;    /* current token's span */
	long long ival;
	char *sval;
	size_t slen;
	int depth;
	bool err;
};

static bool is_ident_start(char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_ident_char(char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

static void syntax(struct parser *p, size_t off, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void syntax(struct parser *p, size_t off, const char *hint, const char *fmt, ...)
{
	if (p->err)
		return;
	p->err = true;
	va_list ap;
	va_start(ap, fmt);
	char *msg = arena_vprintf(p->a, fmt, ap);
	va_end(ap);
	expr_error(p->d, p->site, off, "tmpl-syntax", hint, "syntax error in expression: %s", msg);
}

static const char *tokdesc(struct parser *p)
{
	if (p->t == K_EOF)
		return "the end of the text";
	if (p->t == K_STR)
		return "a string";
	return arena_printf(p->a, "'%.*s'", (int)(p->te - p->ts), p->s + p->ts);
}

static void lex_string(struct parser *p)
{
	char q = p->s[p->pos++];
	struct buf b = BUF_INIT;
	for (;;) {
		if (p->pos >= p->len) {
			syntax(p, p->ts, "close the string with the same quote it starts with",
			       "unterminated string");
			p->t = K_ERR;
			break;
		}
		char c = p->s[p->pos++];
		if (c == q)
			break;
		if (c == '\\' && p->pos < p->len) {
			char e = p->s[p->pos++];
			switch (e) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case '\\': case '\'': case '"': c = e; break;
			default:
				syntax(p, p->pos - 2, "escapes are \\\\, \\', \\\", \\n and \\t",
				       "unknown escape '\\%c' in string", e);
				p->t = K_ERR;
				buf_free(&b);
				return;
			}
		}
		buf_putc(&b, c);
	}
	p->slen = b.len;
	p->sval = arena_strndup(p->a, b.data ? b.data : "", b.len);
	buf_free(&b);
	if (p->t != K_ERR)
		p->t = K_STR;
}

static void next(struct parser *p)
{
	const char *s = p->s;
	while (p->pos < p->len && (s[p->pos] == ' ' || s[p->pos] == '\t' || s[p->pos] == '\n' ||
				   s[p->pos] == '\r'))
		p->pos++;
	p->ts = p->pos;
	if (p->pos >= p->len) {
		p->t = K_EOF;
		p->te = p->pos;
		return;
	}
	char c = s[p->pos];
	if (c >= '0' && c <= '9') {
		long long v = 0;
		while (p->pos < p->len && s[p->pos] >= '0' && s[p->pos] <= '9') {
			int dg = s[p->pos++] - '0';
			if (v > (LLONG_MAX - dg) / 10) {
				syntax(p, p->ts, NULL, "integer too large");
				p->t = K_ERR;
				return;
			}
			v = v * 10 + dg;
		}
		p->te = p->pos;
		if (p->pos < p->len && (is_ident_char(s[p->pos]) || s[p->pos] == '.')) {
			syntax(p, p->ts, "numbers are decimal integers", "malformed number");
			p->t = K_ERR;
			return;
		}
		p->t = K_INT;
		p->ival = v;
		return;
	}
	if (is_ident_start(c)) {
		while (p->pos < p->len && is_ident_char(s[p->pos]))
			p->pos++;
		p->te = p->pos;
		size_t n = p->te - p->ts;
		/* Lengths written out: a strlen per keyword was a third of
		 * the lexer's time at start-up. */
		static const struct { const char *w; size_t n; enum tok t; } kw[] = {
			{ "and", 3, K_AND }, { "or", 2, K_OR }, { "not", 3, K_NOT }, { "in", 2, K_IN },
			{ "true", 4, K_TRUE }, { "false", 5, K_FALSE }, { "null", 4, K_NULL },
		};
		p->t = K_IDENT;
		for (size_t i = 0; n <= 5 && i < sizeof kw / sizeof kw[0]; i++)
			if (kw[i].n == n && memcmp(kw[i].w, s + p->ts, n) == 0)
				p->t = kw[i].t;
		return;
	}
	if (c == '\'' || c == '"') {
		p->t = K_STR;
		lex_string(p);
		p->te = p->pos;
		return;
	}
	p->pos++;
	enum tok t = K_ERR;
	switch (c) {
	case '}': t = K_RBRACE; break;
	case '.': t = K_DOT; break;
	case '[': t = K_LBRACK; break;
	case ']': t = K_RBRACK; break;
	case '(': t = K_LPAREN; break;
	case ')': t = K_RPAREN; break;
	case ',': t = K_COMMA; break;
	case '+': t = K_PLUS; break;
	case '-': t = K_MINUS; break;
	case '<':
	case '>':
		t = c == '<' ? K_LT : K_GT;
		if (p->pos < p->len && s[p->pos] == '=') {
			p->pos++;
			t = c == '<' ? K_LE : K_GE;
		}
		break;
	case '=':
	case '!':
		if (p->pos < p->len && s[p->pos] == '=') {
			p->pos++;
			t = c == '=' ? K_EQ : K_NE;
		}
		break;
	default:
		break;
	}
	p->te = p->pos;
	if (t == K_ERR) {
		const char *hint = c == '=' ? "equality is '=='" : c == '!' ? "negation is 'not'" :
				   c == '&' ? "use 'and'" : c == '|' ? "use 'or'" : NULL;
		if ((unsigned char)c < 0x20 || (unsigned char)c >= 0x7f)
			syntax(p, p->ts, hint, "unexpected character");
		else
			syntax(p, p->ts, hint, "unexpected character '%c'", c);
	}
	p->t = t;
}

/* ---------------------------------------------------------------- parser */

static struct expr *node(struct parser *p, enum xk k, size_t start, size_t end)
{
	struct expr *e = arena_alloc(p->a, sizeof *e);
	e->kind = k;
	e->start = start;
	e->end = end;
	return e;
}

static struct expr *parse_or(struct parser *p);

static bool expect(struct parser *p, enum tok t, const char *what)
{
	if (p->err)
		return false;
	if (p->t != t) {
		syntax(p, p->ts, NULL, "expected %s, found %s", what, tokdesc(p));
		return false;
	}
	next(p);
	return !p->err;
}

static struct expr *parse_call(struct parser *p, size_t start, const char *name, size_t n)
{
	int fn = -1;
	for (size_t i = 0; i < NFNS; i++)
		if (strlen(fns[i].name) == n && memcmp(fns[i].name, name, n) == 0)
			fn = (int)i;
	if (fn < 0) {
		const char *cands[NFNS];
		for (size_t i = 0; i < NFNS; i++)
			cands[i] = fns[i].name;
		const char *hint = expr_suggest(p->a, name, n, cands, NFNS);
		if (!hint)
			hint = "functions: len, str, lower, upper, join, keys, has, default, files, include";
		syntax(p, start, hint, "unknown function '%.*s'", (int)n, name);
		return NULL;
	}
	struct expr *e = node(p, X_CALL, start, 0);
	e->fn = (enum fn)fn;
	next(p); /* ( */
	struct expr *args[8];
	size_t na = 0;
	if (p->t != K_RPAREN) {
		for (;;) {
			struct expr *a = parse_or(p);
			if (!a)
				return NULL;
			if (na < 8)
				args[na] = a;
			na++;
			if (p->t != K_COMMA)
				break;
			next(p);
		}
	}
	e->end = p->te;
	if (!expect(p, K_RPAREN, "',' or ')'"))
		return NULL;
	if (na != fns[fn].nargs && !(fn == F_INCLUDE && na == 2)) {
		syntax(p, start, arena_printf(p->a, "call it as %s", fns[fn].sig),
		       "%s() takes %s argument%s, not %zu", fns[fn].name,
		       fn == F_INCLUDE ? "1 or 2" : fns[fn].nargs == 1 ? "1" : "2",
		       fns[fn].nargs == 1 && fn != F_INCLUDE ? "" : "s", na);
		return NULL;
	}
	e->nargs = na;
	e->args = arena_alloc(p->a, na * sizeof *e->args);
	memcpy(e->args, args, na * sizeof *e->args);
	return e;
}

static struct expr *parse_primary(struct parser *p)
{
	if (p->err)
		return NULL;
	size_t start = p->ts;
	struct expr *e;
	switch (p->t) {
	case K_INT:
		e = node(p, X_LIT, start, p->te);
		e->lit = v_int(p->a, &p->site->mark, p->ival);
		next(p);
		return e;
	case K_STR:
		e = node(p, X_LIT, start, p->te);
		e->lit = v_strn(p->a, &p->site->mark, p->sval, p->slen);
		next(p);
		return e;
	case K_TRUE:
	case K_FALSE:
		e = node(p, X_LIT, start, p->te);
		e->lit = v_bool(p->a, &p->site->mark, p->t == K_TRUE);
		next(p);
		return e;
	case K_NULL:
		e = node(p, X_LIT, start, p->te);
		e->lit = v_null(p->a, &p->site->mark);
		next(p);
		return e;
	case K_IDENT: {
		const char *name = p->s + p->ts;
		size_t n = p->te - p->ts;
		next(p);
		if (p->t == K_LPAREN)
			return parse_call(p, start, name, n);
		e = node(p, X_VAR, start, start + n);
		e->name = arena_strndup(p->a, name, n);
		e->namelen = n;
		return e;
	}
	case K_LPAREN:
		next(p);
		e = parse_or(p);
		if (!e || !expect(p, K_RPAREN, "')'"))
			return NULL;
		return e;
	default:
		syntax(p, p->ts, NULL, "expected a value, found %s", tokdesc(p));
		return NULL;
	}
}

static struct expr *parse_postfix(struct parser *p)
{
	struct expr *e = parse_primary(p);
	while (e && !p->err) {
		if (p->t == K_DOT) {
			next(p);
			/* Any word is a key here, even a keyword: a.null, a.in */
			if (p->t != K_IDENT && p->t != K_AND && p->t != K_OR && p->t != K_NOT &&
			    p->t != K_IN && p->t != K_TRUE && p->t != K_FALSE && p->t != K_NULL) {
				syntax(p, p->ts, "a key with other characters is written a['the-key']",
				       "expected a key name after '.', found %s", tokdesc(p));
				return NULL;
			}
			struct expr *g = node(p, X_GET, e->start, p->te);
			g->name = arena_strndup(p->a, p->s + p->ts, p->te - p->ts);
			g->namelen = p->te - p->ts;
			g->l = e;
			e = g;
			next(p);
		} else if (p->t == K_LBRACK) {
			next(p);
			struct expr *i = parse_or(p);
			if (!i)
				return NULL;
			struct expr *g = node(p, X_INDEX, e->start, p->te);
			g->l = e;
			g->r = i;
			if (!expect(p, K_RBRACK, "']'"))
				return NULL;
			e = g;
		} else {
			break;
		}
	}
	return p->err ? NULL : e;
}

static struct expr *parse_unary(struct parser *p)
{
	if (p->t != K_MINUS)
		return parse_postfix(p);
	size_t start = p->ts;
	if (++p->depth > EXPR_MAX_DEPTH) {
		syntax(p, start, NULL, "expression nested too deeply");
		return NULL;
	}
	next(p);
	struct expr *o = parse_unary(p);
	p->depth--;
	if (!o)
		return NULL;
	if (o->kind == X_LIT && o->lit->kind == V_INT) { /* fold -1 */
		o->lit->i = -o->lit->i;
		o->start = start;
		return o;
	}
	struct expr *e = node(p, X_NEG, start, o->end);
	e->l = o;
	return e;
}

static struct expr *binary(struct parser *p, enum xk k, struct expr *l, struct expr *r)
{
	struct expr *e = node(p, k, l->start, r->end);
	e->l = l;
	e->r = r;
	return e;
}

static struct expr *parse_add(struct parser *p)
{
	struct expr *e = parse_unary(p);
	while (e && (p->t == K_PLUS || p->t == K_MINUS)) {
		enum xk k = p->t == K_PLUS ? X_ADD : X_SUB;
		next(p);
		struct expr *r = parse_unary(p);
		if (!r)
			return NULL;
		e = binary(p, k, e, r);
	}
	return e;
}

static int cmp_kind(enum tok t)
{
	switch (t) {
	case K_EQ: return X_EQ;
	case K_NE: return X_NE;
	case K_LT: return X_LT;
	case K_LE: return X_LE;
	case K_GT: return X_GT;
	case K_GE: return X_GE;
	default: return -1;
	}
}

static struct expr *parse_cmp(struct parser *p)
{
	struct expr *e = parse_add(p);
	int k = cmp_kind(p->t);
	if (!e || k < 0)
		return e;
	next(p);
	struct expr *r = parse_add(p);
	if (!r)
		return NULL;
	e = binary(p, (enum xk)k, e, r);
	if (cmp_kind(p->t) >= 0) {
		syntax(p, p->ts, "write a < b and b < c", "comparisons cannot be chained");
		return NULL;
	}
	return e;
}

static struct expr *parse_not(struct parser *p)
{
	if (p->t != K_NOT)
		return parse_cmp(p);
	size_t start = p->ts;
	if (++p->depth > EXPR_MAX_DEPTH) {
		syntax(p, start, NULL, "expression nested too deeply");
		return NULL;
	}
	next(p);
	struct expr *o = parse_not(p);
	p->depth--;
	if (!o)
		return NULL;
	struct expr *e = node(p, X_NOT, start, o->end);
	e->l = o;
	return e;
}

static struct expr *parse_and(struct parser *p)
{
	struct expr *e = parse_not(p);
	while (e && p->t == K_AND) {
		next(p);
		struct expr *r = parse_not(p);
		if (!r)
			return NULL;
		e = binary(p, X_AND, e, r);
	}
	return e;
}

static struct expr *parse_or(struct parser *p)
{
	if (++p->depth > EXPR_MAX_DEPTH) {
		syntax(p, p->ts, NULL, "expression nested too deeply");
		return NULL;
	}
	struct expr *e = parse_and(p);
	while (e && p->t == K_OR) {
		next(p);
		struct expr *r = parse_and(p);
		if (!r)
			return NULL;
		e = binary(p, X_OR, e, r);
	}
	p->depth--;
	return p->err ? NULL : e;
}

struct expr *expr_parse(struct arena *a, struct diags *d, struct expr_site *site,
			size_t *pos, bool in_braces)
{
	struct parser p = { .a = a, .d = d, .site = site, .s = site->text, .len = site->len,
			    .pos = *pos };
	next(&p);
	if (p.err)
		return NULL;
	if ((in_braces && p.t == K_RBRACE) || p.t == K_EOF) {
		syntax(&p, p.ts, in_braces ? "write $${ for a literal ${" : NULL, "empty expression");
		return NULL;
	}
	struct expr *e = parse_or(&p);
	if (!e)
		return NULL;
	if (in_braces) {
		if (p.t == K_EOF) {
			syntax(&p, *pos >= 2 ? *pos - 2 : 0, "close it with '}' (write $${ for a literal ${)",
			       "unterminated '${'");
			return NULL;
		}
		if (p.t != K_RBRACE) {
			syntax(&p, p.ts, NULL, "expected an operator or '}', found %s", tokdesc(&p));
			return NULL;
		}
	} else if (p.t != K_EOF) {
		syntax(&p, p.ts, NULL, "expected an operator or the end, found %s", tokdesc(&p));
		return NULL;
	}
	*pos = p.te;
	return e;
}

/* ---------------------------------------------------------------- values */

bool expr_truthy(const struct value *v)
{
	if (!v)
		return false;
	switch (v->kind) {
	case V_NULL: return false;
	case V_BOOL: return v->b;
	case V_INT: return v->i != 0;
	case V_FLOAT: return v->f != 0.0;
	case V_STRING: return v->str.len != 0;
	case V_SEQ: return v->seq.n != 0;
	case V_MAP: return v->map.n != 0;
	}
	return false;
}

static void float_text(char *out, size_t n, double f)
{
	if (isnan(f)) {
		snprintf(out, n, ".nan");
		return;
	}
	if (isinf(f)) {
		snprintf(out, n, f > 0 ? ".inf" : "-.inf");
		return;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(out, n, "%.*g", prec, f);
		if (strtod(out, NULL) == f)
			break;
	}
	if (!strpbrk(out, ".e"))
		strncat(out, ".0", n - strlen(out) - 1);
}

bool expr_scalar_text(struct buf *b, const struct value *v)
{
	char tmp[40];
	switch (v->kind) {
	case V_STRING:
		buf_add(b, v->str.s, v->str.len);
		return true;
	case V_INT:
		buf_printf(b, "%lld", v->i);
		return true;
	case V_BOOL:
		buf_puts(b, v->b ? "true" : "false");
		return true;
	case V_FLOAT:
		float_text(tmp, sizeof tmp, v->f);
		buf_puts(b, tmp);
		return true;
	default:
		return false;
	}
}

/* ---------------------------------------------------------------- evaluator */

struct ev {
	struct expr_env *env;
	struct expr_site *site;
};

static struct value *fail(struct ev *x, size_t off, const char *id, const char *hint,
			  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static struct value *fail(struct ev *x, size_t off, const char *id, const char *hint,
			  const char *fmt, ...)
{
	x->env->failed = true;
	if (x->env->quiet)
		return NULL;
	va_list ap;
	va_start(ap, fmt);
	expr_site_verror(x->env->a, x->env->d, x->site, off, id, hint, fmt, ap);
	va_end(ap);
	return NULL;
}

/* The source text of a subexpression, for messages. */
static const char *text_of(struct ev *x, const struct expr *e)
{
	return arena_strndup(x->env->a, x->site->text + e->start, e->end - e->start);
}

static const char *a_kind(enum vkind k)
{
	switch (k) {
	case V_NULL: return "null";
	case V_BOOL: return "a boolean";
	case V_INT: return "an integer";
	case V_FLOAT: return "a number";
	case V_STRING: return "a string";
	case V_SEQ: return "a sequence";
	case V_MAP: return "a mapping";
	}
	return "?";
}

static struct value *mk_bool(struct ev *x, bool b)
{
	struct value **slot = &x->site->bools[b];
	if (!*slot)
		*slot = v_bool(x->env->a, &x->site->mark, b);
	return *slot;
}

static struct value *mk_int(struct ev *x, long long i)
{
	return v_int(x->env->a, &x->site->mark, i);
}

static struct value *lookup(const struct value *m, const char *name, size_t n)
{
	for (size_t i = 0; i < m->map.n; i++) {
		const struct value *k = m->map.items[i].key;
		if (k->str.len == n && memcmp(k->str.s, name, n) == 0)
			return m->map.items[i].val;
	}
	return NULL;
}

/* lookup, trying e's last place first (struct expr, hint). */
static struct value *lookup_hinted(const struct expr *e, const struct value *m, const char *name, size_t n)
{
	struct expr *me = (struct expr *)e; /* the hint only; the tree is the same */
	size_t h = me->hint;
	if (h < m->map.n) {
		const struct value *k = m->map.items[h].key;
		if (k->str.len == n && memcmp(k->str.s, name, n) == 0)
			return m->map.items[h].val;
	}
	for (size_t i = 0; i < m->map.n; i++) {
		const struct value *k = m->map.items[i].key;
		if (k->str.len == n && memcmp(k->str.s, name, n) == 0) {
			me->hint = i;
			return m->map.items[i].val;
		}
	}
	return NULL;
}

static struct value *eval(struct ev *x, const struct expr *e, const struct scope *sc, bool lenient);

static struct value *eval_var(struct ev *x, const struct expr *e, const struct scope *sc,
			      bool lenient)
{
	for (const struct scope *s = sc; s; s = s->up)
		if (expr_name_eq(s->name, e->name))
			return (struct value *)s->val;
	const struct value *m = x->env->model;
	if (m && m->kind == V_MAP) {
		struct value *v = lookup_hinted(e, m, e->name, e->namelen);
		if (v)
			return v;
	}
	if (lenient)
		return v_null(x->env->a, &x->site->mark);
	/* Candidates: loop variables and the model's top-level keys. */
	size_t n = 0, cap = 64;
	const char **cands = arena_alloc(x->env->a, cap * sizeof *cands);
	for (const struct scope *s = sc; s && n < cap; s = s->up)
		cands[n++] = s->name;
	for (size_t i = 0; m && m->kind == V_MAP && i < m->map.n && n < cap; i++)
		cands[n++] = m->map.items[i].key->str.s;
	const char *hint = expr_suggest(x->env->a, e->name, e->namelen, cands, n);
	if (!hint) {
		struct buf b = BUF_INIT;
		buf_puts(&b, "names here: ");
		for (size_t i = 0; i < n && i < 20; i++)
			buf_printf(&b, "%s%s", i ? ", " : "", cands[i]);
		if (n > 20)
			buf_puts(&b, ", ...");
		if (n == 0)
			buf_puts(&b, "(none)");
		hint = arena_strdup(x->env->a, buf_cstr(&b));
		buf_free(&b);
	}
	return fail(x, e->start, "tmpl-missing", hint, "the model has no '%s'", e->name);
}

/* base[name] where base is the value of e->l. */
static struct value *get_key(struct ev *x, const struct expr *e, const struct value *base,
			     const char *name, size_t n, bool lenient)
{
	switch (base->kind) {
	case V_MAP: {
		struct value *v = lookup_hinted(e, base, name, n);
		if (v)
			return v;
		if (lenient)
			return v_null(x->env->a, &x->site->mark);
		const char *what = text_of(x, e->l);
		return fail(x, e->start, "tmpl-missing", keys_hint(x->env->a, base, what, name, n),
			    "the model has no '%.*s' in '%s'", (int)n, name, text_of(x, e));
	}
	case V_NULL:
		if (lenient)
			return v_null(x->env->a, &x->site->mark);
		return fail(x, e->start, "tmpl-type", "test it first, or use default(x, y)",
			    "cannot look up '%.*s' in '%s': it is null", (int)n, name,
			    text_of(x, e->l));
	case V_SEQ:
		return fail(x, e->start, "tmpl-type",
			    arena_printf(x->env->a, "index a sequence with a number: %s[0]",
					 text_of(x, e->l)),
			    "cannot look up '%.*s' in '%s': it is a sequence, not a mapping", (int)n,
			    name, text_of(x, e->l));
	default:
		return fail(x, e->start, "tmpl-type", NULL,
			    "cannot look up '%.*s' in '%s': it is %s, not a mapping", (int)n, name,
			    text_of(x, e->l), a_kind(base->kind));
	}
}

static struct value *eval_index(struct ev *x, const struct expr *e, const struct scope *sc,
				bool lenient)
{
	struct value *base = eval(x, e->l, sc, lenient);
	if (!base)
		return NULL;
	struct value *i = eval(x, e->r, sc, false);
	if (!i)
		return NULL;
	if (base->kind == V_SEQ) {
		if (i->kind != V_INT)
			return fail(x, e->r->start, "tmpl-type", NULL,
				    "a sequence index must be an integer, not %s", a_kind(i->kind));
		if (i->i < 0 || (unsigned long long)i->i >= base->seq.n) {
			if (lenient)
				return v_null(x->env->a, &x->site->mark);
			const char *what = text_of(x, e->l);
			return fail(x, e->start, "tmpl-missing",
				    base->seq.n ? arena_printf(x->env->a, "'%s' has %zu item%s (0 to %zu)",
							       what, (size_t)base->seq.n,
							       base->seq.n == 1 ? "" : "s",
							       (size_t)base->seq.n - 1)
						: arena_printf(x->env->a, "'%s' is empty", what),
				    "index %lld is out of range in '%s'", i->i, text_of(x, e));
		}
		return base->seq.items[i->i];
	}
	if (base->kind == V_MAP && i->kind != V_STRING)
		return fail(x, e->r->start, "tmpl-type", NULL,
			    "a mapping key must be a string, not %s", a_kind(i->kind));
	if (i->kind == V_STRING)
		return get_key(x, e, base, i->str.s, i->str.len, lenient);
	if (base->kind == V_NULL && lenient)
		return v_null(x->env->a, &x->site->mark);
	return fail(x, e->start, "tmpl-type", NULL, "cannot index '%s': it is %s",
		    text_of(x, e->l), a_kind(base->kind));
}

static const char *text_or_fail(struct ev *x, const struct expr *e, const struct value *v,
				const char *fname)
{
	if (v->kind == V_STRING)
		return v->str.s;
	fail(x, e->start, "tmpl-type", NULL, "%s() needs a string here, not %s", fname,
	     a_kind(v->kind));
	return NULL;
}

static struct value *eval_call(struct ev *x, const struct expr *e, const struct scope *sc)
{
	struct arena *a = x->env->a;
	const struct mark *m = &x->site->mark;
	if (e->fn == F_DEFAULT) {
		struct value *v = eval(x, e->args[0], sc, true);
		if (!v)
			return NULL;
		return v->kind == V_NULL ? eval(x, e->args[1], sc, false) : v;
	}
	struct value *args[2] = { NULL, NULL };
	for (size_t i = 0; i < e->nargs; i++)
		if (!(args[i] = eval(x, e->args[i], sc, false)))
			return NULL;
	struct value *v = args[0];
	const struct expr *a0 = e->args[0];
	switch (e->fn) {
	case F_LEN:
		if (v->kind == V_STRING)
			return mk_int(x, (long long)utf8_chars(v->str.s, v->str.len));
		if (v->kind == V_SEQ)
			return mk_int(x, (long long)v->seq.n);
		if (v->kind == V_MAP)
			return mk_int(x, (long long)v->map.n);
		return fail(x, a0->start, "tmpl-type", NULL,
			    "len() needs a string, sequence or mapping, not %s", a_kind(v->kind));
	case F_STR: {
		if (v->kind == V_STRING)
			return v;
		struct buf b = BUF_INIT;
		if (!expr_scalar_text(&b, v)) {
			buf_free(&b);
			return fail(x, a0->start, "tmpl-type",
				    v->kind == V_NULL ? "use default(x, '') for an optional value" : NULL,
				    "str() needs a scalar, not %s", a_kind(v->kind));
		}
		struct value *r = v_strn(a, m, b.data, b.len);
		buf_free(&b);
		return r;
	}
	case F_LOWER:
	case F_UPPER: {
		if (!text_or_fail(x, a0, v, fns[e->fn].name))
			return NULL;
		struct value *r = v_strn(a, m, v->str.s, v->str.len);
		char *s = (char *)r->str.s;
		for (size_t i = 0; i < r->str.len; i++) {
			if (e->fn == F_LOWER && s[i] >= 'A' && s[i] <= 'Z')
				s[i] = (char)(s[i] - 'A' + 'a');
			else if (e->fn == F_UPPER && s[i] >= 'a' && s[i] <= 'z')
				s[i] = (char)(s[i] - 'a' + 'A');
		}
		return r;
	}
	case F_JOIN: {
		if (v->kind != V_SEQ)
			return fail(x, a0->start, "tmpl-type", NULL,
				    "join() needs a sequence, not %s", a_kind(v->kind));
		if (!text_or_fail(x, e->args[1], args[1], "join"))
			return NULL;
		struct buf b = BUF_INIT;
		for (size_t i = 0; i < v->seq.n; i++) {
			if (i)
				buf_add(&b, args[1]->str.s, args[1]->str.len);
			if (!expr_scalar_text(&b, v->seq.items[i])) {
				buf_free(&b);
				return fail(x, a0->start, "tmpl-type", NULL,
					    "join(): item %zu is %s, not a scalar", i,
					    a_kind(v->seq.items[i]->kind));
			}
		}
		struct value *r = v_strn(a, m, b.data ? b.data : "", b.len);
		buf_free(&b);
		return r;
	}
	case F_KEYS: {
		if (v->kind != V_MAP)
			return fail(x, a0->start, "tmpl-type", NULL,
				    "keys() needs a mapping, not %s", a_kind(v->kind));
		struct value *r = v_seq(a, m);
		for (size_t i = 0; i < v->map.n; i++)
			seq_push(a, r, v->map.items[i].key);
		return r;
	}
	case F_HAS:
		if (!text_or_fail(x, e->args[1], args[1], "has"))
			return NULL;
		if (v->kind == V_NULL)
			return mk_bool(x, false);
		if (v->kind != V_MAP)
			return fail(x, a0->start, "tmpl-type", NULL,
				    "has() needs a mapping, not %s", a_kind(v->kind));
		return mk_bool(x, lookup(v, args[1]->str.s, args[1]->str.len) != NULL);
	case F_FILES:
	case F_INCLUDE: {
		if (!text_or_fail(x, a0, v, fns[e->fn].name))
			return NULL;
		const struct expr_hooks *h = x->env->hooks;
		if (!h || (e->fn == F_FILES ? !h->files : !h->include))
			return fail(x, e->start, "tmpl-type", NULL,
				    "%s() is not available here", fns[e->fn].name);
		/* include(path, arg): the included template sees arg as `arg`, so
		 * one shape serves several parts of the model. */
		const struct scope with_arg = { "arg", args[1], sc };
		struct value *r = e->fn == F_FILES ? h->files(x->env, v->str.s, x->site, e->start)
						   : h->include(x->env, v->str.s, args[1] ? &with_arg : sc, x->site,
								e->start);
		if (!r)
			x->env->failed = true;
		return r;
	}
	case F_DEFAULT:
		break;
	}
	return NULL;
}

static bool is_num(const struct value *v)
{
	return v->kind == V_INT || v->kind == V_FLOAT;
}

static struct value *eval(struct ev *x, const struct expr *e, const struct scope *sc, bool lenient)
{
	struct value *l, *r;
	switch (e->kind) {
	case X_LIT:
		return e->lit;
	case X_VAR:
		return eval_var(x, e, sc, lenient);
	case X_GET:
		/* u.name, the most of all: the variable without the switch. */
		l = e->l->kind == X_VAR ? eval_var(x, e->l, sc, lenient) : eval(x, e->l, sc, lenient);
		if (!l)
			return NULL;
		return get_key(x, e, l, e->name, e->namelen, lenient);
	case X_INDEX:
		return eval_index(x, e, sc, lenient);
	case X_CALL:
		return eval_call(x, e, sc);
	case X_NOT:
		if (!(l = eval(x, e->l, sc, false)))
			return NULL;
		return mk_bool(x, !expr_truthy(l));
	case X_NEG:
		if (!(l = eval(x, e->l, sc, false)))
			return NULL;
		if (l->kind != V_INT || l->i == LLONG_MIN)
			return fail(x, e->start, "tmpl-type", NULL, "'-' needs an integer, not %s",
				    a_kind(l->kind));
		return mk_int(x, -l->i);
	case X_AND:
	case X_OR:
		if (!(l = eval(x, e->l, sc, false)))
			return NULL;
		if (expr_truthy(l) == (e->kind == X_OR))
			return mk_bool(x, e->kind == X_OR);
		if (!(r = eval(x, e->r, sc, false)))
			return NULL;
		return mk_bool(x, expr_truthy(r));
	default:
		break;
	}
	if (!(l = eval(x, e->l, sc, false)) || !(r = eval(x, e->r, sc, false)))
		return NULL;
	switch (e->kind) {
	case X_EQ:
		return mk_bool(x, v_equal(l, r));
	case X_NE:
		return mk_bool(x, !v_equal(l, r));
	case X_LT:
	case X_LE:
	case X_GT:
	case X_GE: {
		int c;
		if (l->kind == V_INT && r->kind == V_INT) {
			c = (l->i > r->i) - (l->i < r->i);
		} else if (is_num(l) && is_num(r)) {
			double a = l->kind == V_INT ? (double)l->i : l->f;
			double b = r->kind == V_INT ? (double)r->i : r->f;
			c = (a > b) - (a < b);
		} else if (l->kind == V_STRING && r->kind == V_STRING) {
			size_t n = l->str.len < r->str.len ? l->str.len : r->str.len;
			c = memcmp(l->str.s, r->str.s, n);
			if (c == 0)
				c = (l->str.len > r->str.len) - (l->str.len < r->str.len);
		} else {
			return fail(x, e->start, "tmpl-type", "only numbers or only strings are ordered",
				    "cannot compare %s with %s", a_kind(l->kind), a_kind(r->kind));
		}
		bool b = e->kind == X_LT ? c < 0 : e->kind == X_LE ? c <= 0 :
			 e->kind == X_GT ? c > 0 : c >= 0;
		return mk_bool(x, b);
	}
	case X_ADD:
		if (l->kind == V_INT && r->kind == V_INT) {
			long long s;
			if (__builtin_add_overflow(l->i, r->i, &s))
				return fail(x, e->start, "tmpl-type", NULL, "integer overflow in '+'");
			return mk_int(x, s);
		}
		if (l->kind == V_STRING && r->kind == V_STRING) {
			size_t n = l->str.len + r->str.len;
			char *s = arena_alloc(x->env->a, n + 1);
			memcpy(s, l->str.s, l->str.len);
			memcpy(s + l->str.len, r->str.s, r->str.len);
			struct value *v = v_str(x->env->a, &x->site->mark, "");
			v->str.s = s;
			v->str.len = n;
			return v;
		}
		return fail(x, e->start, "tmpl-type", "convert with str(x) to concatenate",
			    "'+' needs two integers or two strings, not %s and %s",
			    a_kind(l->kind), a_kind(r->kind));
	case X_SUB:
		if (l->kind == V_INT && r->kind == V_INT) {
			long long s;
			if (__builtin_sub_overflow(l->i, r->i, &s))
				return fail(x, e->start, "tmpl-type", NULL, "integer overflow in '-'");
			return mk_int(x, s);
		}
		return fail(x, e->start, "tmpl-type", NULL, "'-' needs two integers, not %s and %s",
			    a_kind(l->kind), a_kind(r->kind));
	default:
		return NULL;
	}
}

struct value *expr_eval(struct expr_env *env, struct expr_site *site, const struct expr *e,
			const struct scope *sc)
{
	struct ev x = { env, site };
	if (!e) {
		env->failed = true;
		return NULL;
	}
	return eval(&x, e, sc, false);
}
