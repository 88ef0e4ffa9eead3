/* tmpl_compile.c - compiling a template tree into tnodes (tmpl_compiled.h).
 *
 * Scalars with "${" become parsed expressions or interpolations, mappings
 * and sequences get their directives ($if, $else, $for) resolved, and
 * subtrees without any of these are marked static, so instantiation
 * (template.c) returns the template's own node.  Apart from template.c,
 * embedgen uses it: it compiles the built-in templates at build time
 * (tmpl_image.h).
 */
#include "tmpl_compiled.h"
#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "emit.h"
#include "emit_common.h"
#include "expr.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void tmpl_err(struct expr_env *env, const struct mark *m, const char *id, const char *hint,
		 const char *fmt, ...)
{
	env->failed = true;
	va_list ap;
	va_start(ap, fmt);
	char *msg = arena_vprintf(env->a, fmt, ap);
	va_end(ap);
	diag_at(env->d, SEV_ERROR, m, id, hint, "%s", msg);
}

struct expr_site *tmpl_site(struct expr_env *env, const struct value *v)
{
	struct expr_site *s = arena_alloc(env->a, sizeof *s);
	s->mark = v->mark;
	s->text = v->str.s;
	s->len = v->str.len;
	s->flags = v->flags;
	/* Made now, in the site's arena: a cached template's sites outlive
	 * the render arenas expr_eval would otherwise make them in. */
	s->bools[0] = v_bool(env->a, &s->mark, false);
	s->bools[1] = v_bool(env->a, &s->mark, true);
	return s;
}


static struct tnode *tnode_new(struct expr_env *env, enum tkind k, const struct value *src)
{
	struct tnode *t = arena_alloc(env->a, sizeof *t);
	t->kind = k;
	t->src = src;
	return t;
}

static bool has_expr(const char *s, size_t n)
{
	/* memchr: every string of every template is looked at, and few hold a '$'. */
	const char *end = s + n;
	for (const char *p = s; (p = memchr(p, '$', (size_t)(end - p))) && p + 1 < end; p++)
		if (p[1] == '{')
			return true;
	return false;
}

/* A literal part of an interpolation (struct tpart, line and kv). */
static struct tpart lit_part(struct expr_env *env, const struct buf *lit)
{
	bool line = utf8_check(lit->data, lit->len) == lit->len && !memchr(lit->data, '\n', lit->len) &&
		    !memchr(lit->data, '\r', lit->len);
	bool kv = true;
	for (size_t i = 0; i < lit->len && kv; i++)
		kv = lit->data[i] >= 0x20 && lit->data[i] < 0x7F && lit->data[i] != '\\';
	return (struct tpart){ arena_strndup(env->a, lit->data, lit->len), lit->len, NULL, line, kv };
}

struct tnode *tmpl_compile_scalar(struct expr_env *env, const struct value *v)
{
	struct tnode *t = tnode_new(env, TN_STATIC, v);
	if (v->kind != V_STRING || !has_expr(v->str.s, v->str.len))
		return t;
	const char *s = v->str.s;
	size_t n = v->str.len;
	struct expr_site *site = tmpl_site(env, v);
	struct tpart parts[64], *pp = parts;
	size_t np = 0, cap = 64;
	struct buf lit = BUF_INIT;
	bool bad = false;
	for (size_t i = 0; i < n;) {
		bool esc = s[i] == '$' && s[i + 1] == '$' && i + 2 < n && s[i + 2] == '{';
		bool ex = s[i] == '$' && s[i + 1] == '{';
		if (!esc && !ex) {
			buf_putc(&lit, s[i++]);
			continue;
		}
		if (esc) {
			buf_add(&lit, "${", 2);
			i += 3;
			continue;
		}
		if (np + 2 > cap) { /* room for a literal and an expression */
			struct tpart *q = xmalloc(2 * cap * sizeof *q);
			memcpy(q, pp, np * sizeof *q);
			if (pp != parts)
				free(pp);
			pp = q;
			cap *= 2;
		}
		if (lit.len) {
			pp[np++] = lit_part(env, &lit);
			buf_reset(&lit);
		}
		size_t pos = i + 2;
		struct expr *e = expr_parse(env->a, env->d, site, &pos, true);
		if (!e) {
			bad = true;
			break;
		}
		pp[np++] = (struct tpart){ NULL, 0, e, false, false };
		i = pos;
	}
	if (!bad && lit.len) {
		if (np == cap) {
			struct tpart *q = xmalloc(2 * cap * sizeof *q);
			memcpy(q, pp, np * sizeof *q);
			if (pp != parts)
				free(pp);
			pp = q;
		}
		pp[np++] = lit_part(env, &lit);
	}
	buf_free(&lit);
	if (bad) {
		env->failed = true;
		t->kind = TN_BAD;
	} else if (np == 1 && pp[0].e && s[0] == '$' && s[1] == '{') {
		t->kind = TN_EXPR;
		t->site = site;
		t->e = pp[0].e;
	} else if (np == 1 && !pp[0].e) {
		/* Only $${ escapes: a static string. */
		struct value *lv = v_strn(env->a, &v->mark, pp[0].lit, pp[0].len);
		lv->flags = v->flags & ~VF_TEXT; /* the text differs: $$ became $ */
		t->src = lv;
	} else if (np == 0) {
		t->src = v_str(env->a, &v->mark, "");
	} else {
		t->kind = TN_INTERP;
		t->site = site;
		t->nparts = np;
		t->parts = arena_alloc(env->a, np * sizeof *t->parts);
		memcpy(t->parts, pp, np * sizeof *pp);
	}
	if (pp != parts)
		free(pp);
	return t;
}

static bool is_directive(const struct value *key)
{
	const char *s = key->str.s;
	return key->str.len >= 1 && s[0] == '$' && s[1] != '{' && s[1] != '$';
}

static bool word_is(const char *s, size_t n, const char *w)
{
	size_t wl = strlen(w);
	return n >= wl && memcmp(s, w, wl) == 0 && (n == wl || s[wl] == ' ' || s[wl] == '\t');
}

static size_t skip_ws(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

static size_t ident_end(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
			 (s[i] >= '0' && s[i] <= '9')))
		i++;
	return i;
}

/* "VAR in EXPR" or "I, VAR in EXPR" from site->text at pos. */
bool tmpl_parse_for(struct expr_env *env, struct expr_site *site, size_t pos, const char *what,
		      const char **v1, const char **v2, struct expr **e)
{
	const char *s = site->text;
	size_t n = site->len, i = skip_ws(s, n, pos), j = ident_end(s, n, i);
	*v2 = NULL;
	if (!expr_is_varname(s + i, j - i))
		goto bad;
	*v1 = arena_strndup(env->a, s + i, j - i);
	i = skip_ws(s, n, j);
	if (i < n && s[i] == ',') {
		i = skip_ws(s, n, i + 1);
		j = ident_end(s, n, i);
		if (!expr_is_varname(s + i, j - i))
			goto bad;
		*v2 = arena_strndup(env->a, s + i, j - i);
		if (strcmp(*v1, *v2) == 0)
			goto bad;
		i = skip_ws(s, n, j);
	}
	if (!word_is(s + i, n - i, "in"))
		goto bad;
	i += 2;
	*e = expr_parse(env->a, env->d, site, &i, false);
	if (!*e)
		env->failed = true;
	return *e != NULL;
bad:
	env->failed = true;
	expr_error(env->d, site, 0, "tmpl-directive",
		   arena_printf(env->a, "write %sVAR in EXPR or %sI, VAR in EXPR (I: index or key)",
				what, what),
		   "malformed '%.*s': expected a variable, 'in' and an expression", (int)site->len,
		   site->text);
	return false;
}

static void unknown_directive(struct expr_env *env, const struct value *key)
{
	const char *s = key->str.s;
	size_t n = 1;
	while (n < key->str.len && s[n] != ' ' && s[n] != '\t')
		n++;
	static const char *const dirs[] = { "$if", "$else", "$for" };
	const char *hint = expr_suggest(env->a, s, n, dirs, 3);
	tmpl_err(env, &key->mark, "tmpl-directive",
	     hint ? hint : "directives are '$if EXPR', '$else' and '$for VAR in EXPR'; "
			   "for a key that starts with '$', write ${'$key'}",
	     "unknown directive '%.*s'", (int)n, s);
}

/* The text of an expression, without surrounding blanks. */
static void trimmed(const char *s, size_t n, const char **ts, size_t *tn)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	*ts = s;
	*tn = n;
}

/* Is key an "$else" (optionally repeating the $if's expression) for `ifkey`? */
static bool is_else_for(struct expr_env *env, const struct value *key, const struct value *ifkey,
			bool *mismatch)
{
	*mismatch = false;
	const char *s = key->str.s;
	size_t n = key->str.len;
	if (!word_is(s, n, "$else"))
		return false;
	const char *a, *b;
	size_t an, bn;
	trimmed(s + 5, n - 5, &a, &an);
	if (an == 0)
		return true;
	trimmed(ifkey->str.s + 3, ifkey->str.len - 3, &b, &bn);
	if (an != bn || memcmp(a, b, an) != 0) {
		*mismatch = true;
		tmpl_err(env, &key->mark, "tmpl-directive",
		     arena_printf(env->a, "write '$else' or '$else %.*s'", (int)bn, b),
		     "'%.*s' does not repeat the expression of the '$if' before it", (int)n, s);
	}
	return true;
}

/* Compile directive `key` (with body `val`) into en.  For a mapping body,
 * the body must be a mapping.  Returns false after reporting. */
static bool compile_directive(struct expr_env *env, struct tent *en, const struct value *key,
			      const struct value *val, bool in_seq)
{
	const char *s = key->str.s;
	size_t n = key->str.len;
	en->src = key;
	if (word_is(s, n, "$if") && n > 3) {
		en->kind = EN_IF;
		en->site = tmpl_site(env, key);
		size_t pos = 3;
		en->e = expr_parse(env->a, env->d, en->site, &pos, false);
		if (!en->e) {
			env->failed = true;
			return false;
		}
	} else if (word_is(s, n, "$for") && n > 4) {
		en->kind = EN_FOR;
		en->site = tmpl_site(env, key);
		if (!tmpl_parse_for(env, en->site, 4, "$for ", &en->v1, &en->v2, &en->e))
			return false;
	} else if (word_is(s, n, "$else")) {
		tmpl_err(env, &key->mark, "tmpl-directive",
		     in_seq ? "'- $else: ...' must be the item right after '- $if EXPR: ...'"
			    : "'$else' must be the key right after '$if EXPR' in the same mapping",
		     "'$else' without '$if' before it");
		return false;
	} else if ((word_is(s, n, "$if") || word_is(s, n, "$for"))) {
		tmpl_err(env, &key->mark, "tmpl-directive",
		     s[1] == 'i' ? "write '$if EXPR'" : "write '$for VAR in EXPR'",
		     "'%.*s' needs an expression", (int)n, s);
		return false;
	} else {
		unknown_directive(env, key);
		return false;
	}
	if (!in_seq && val->kind != V_MAP) {
		tmpl_err(env, &val->mark, "tmpl-directive",
		     "its entries are inserted into the enclosing mapping; to set one key write "
		     "'key: ${...}'",
		     "the value of '%.*s' must be a mapping, not %s", (int)n, s, vkind_name(val->kind));
		return false;
	}
	en->val = tmpl_compile(env, val);
	return true;
}

/* A mapping or sequence without directives or expressions below it:
 * instantiation returns its src as it is and reads no entry, so the
 * entries go (from a built-in template's image too: 12 KB of 619). */
static void make_static(struct tnode *t)
{
	t->kind = TN_STATIC;
	t->ents = NULL;
	t->nents = 0;
}

static struct tnode *compile_map(struct expr_env *env, const struct value *v)
{
	struct tnode *t = tnode_new(env, TN_MAP, v);
	t->ents = arena_alloc(env->a, (v->map.n ? v->map.n : 1) * sizeof *t->ents);
	bool dynamic = false;
	for (size_t i = 0; i < v->map.n; i++) {
		const struct value *key = v->map.items[i].key, *val = v->map.items[i].val;
		struct tent *en = &t->ents[t->nents];
		if (is_directive(key)) {
			dynamic = true;
			if (!compile_directive(env, en, key, val, false))
				continue;
			bool mismatch;
			if (en->kind == EN_IF && i + 1 < v->map.n &&
			    is_else_for(env, v->map.items[i + 1].key, key, &mismatch)) {
				i++;
				const struct value *ev = v->map.items[i].val;
				if (ev->kind != V_MAP)
					tmpl_err(env, &ev->mark, "tmpl-directive",
					     "its entries are inserted into the enclosing mapping",
					     "the value of '$else' must be a mapping, not %s",
					     vkind_name(ev->kind));
				else if (!mismatch)
					en->els = tmpl_compile(env, ev);
			}
			t->nents++;
			continue;
		}
		en->kind = EN_PLAIN;
		en->src = key;
		en->key = tmpl_compile_scalar(env, key);
		en->val = tmpl_compile(env, val);
		if (en->key->kind != TN_STATIC || en->val->kind != TN_STATIC)
			dynamic = true;
		t->nents++;
	}
	if (!dynamic)
		make_static(t);
	return t;
}

/* A sequence item that is a directive: a mapping with one key "$...". */
static const struct value *item_directive(const struct value *item)
{
	if (item->kind != V_MAP || item->map.n != 1 || !is_directive(item->map.items[0].key))
		return NULL;
	return item->map.items[0].key;
}

static struct tnode *compile_seq(struct expr_env *env, const struct value *v)
{
	struct tnode *t = tnode_new(env, TN_SEQ, v);
	t->ents = arena_alloc(env->a, (v->seq.n ? v->seq.n : 1) * sizeof *t->ents);
	bool dynamic = false;
	for (size_t i = 0; i < v->seq.n; i++) {
		const struct value *item = v->seq.items[i], *key = item_directive(item);
		struct tent *en = &t->ents[t->nents];
		if (key) {
			dynamic = true;
			if (!compile_directive(env, en, key, item->map.items[0].val, true))
				continue;
			const struct value *next = i + 1 < v->seq.n ? v->seq.items[i + 1] : NULL;
			const struct value *nk = next ? item_directive(next) : NULL;
			bool mismatch;
			if (en->kind == EN_IF && nk && is_else_for(env, nk, key, &mismatch)) {
				i++;
				if (!mismatch)
					en->els = tmpl_compile(env, next->map.items[0].val);
			}
			t->nents++;
			continue;
		}
		en->kind = EN_PLAIN;
		en->src = item;
		en->val = tmpl_compile(env, item);
		if (en->val->kind != TN_STATIC)
			dynamic = true;
		t->nents++;
	}
	if (!dynamic)
		make_static(t);
	return t;
}

struct tnode *tmpl_compile(struct expr_env *env, const struct value *v)
{
	if (v->kind == V_MAP)
		return compile_map(env, v);
	if (v->kind == V_SEQ)
		return compile_seq(env, v);
	return tmpl_compile_scalar(env, v);
}

/* Mark the strings a compiled template outputs as they are (static
 * subtrees, static keys) with VF_YAML_PLAIN where they qualify: the same
 * keys are emitted once per user, and the check runs here once.  The
 * nodes belong to the template's arena and are not handed on yet. */
static void mark_plain_value(const struct value *cv)
{
	struct value *v = (struct value *)cv;
	if (v->kind == V_STRING) {
		emit_yaml_mark_plain(v);
	} else if (v->kind == V_SEQ) {
		for (size_t i = 0; i < v->seq.n; i++)
			mark_plain_value(v->seq.items[i]);
	} else if (v->kind == V_MAP) {
		for (size_t i = 0; i < v->map.n; i++) {
			mark_plain_value(v->map.items[i].key);
			mark_plain_value(v->map.items[i].val);
		}
	}
}

void tmpl_mark_plain(const struct tnode *t)
{
	if (!t)
		return;
	if (t->kind == TN_STATIC) {
		mark_plain_value(t->src);
		return;
	}
	if (t->kind != TN_MAP && t->kind != TN_SEQ)
		return;
	for (size_t i = 0; i < t->nents; i++) {
		tmpl_mark_plain(t->ents[i].key);
		tmpl_mark_plain(t->ents[i].val);
		tmpl_mark_plain(t->ents[i].els);
	}
}
