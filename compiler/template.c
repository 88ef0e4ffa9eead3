/* template.c - instantiating templates; the files and the index of a set.
 *
 * A template tree is compiled once into a tree of tnodes (tmpl_compile.c;
 * the built-in ones at build time, tmpl_image.h).  Instantiation walks the
 * tnodes with a scope (loop variables, then the model).
 *
 * templates_render works in two passes: pass 1 expands the index
 * (files.yaml: for, if, path) into the list of outputs, so that files()
 * knows every path; pass 2 instantiates each output's template.
 */
#include "template.h"
#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "embedded.h"
#include "emit.h"
#include "expr.h"
#include "hashmap.h"
#include "load.h"
#include "shape.h"
#include "tmpl_compiled.h"
#include "tmpl_image.h"

#include <assert.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A template file of the set, loaded and compiled at most once. */
struct tfile {
	const char *rel, *full;
	uint64_t hash;      /* of rel: include() looks files up twice per user */
	size_t id;          /* its place in the set's list (a render's memos) */
	struct tnode *root; /* NULL when it could not be loaded */
	bool loaded, missing, busy;
	/* The key (diag.h, once) of what its first load reported: line 0 of
	 * the file, which no site is at. */
	struct mark once;
	/* What an instantiation reads besides the model, with the files it
	 * includes: the variable names (deps_done), or more than names can
	 * say (deps_opaque: files(), a computed include path, a cycle). */
	const char **deps;
	size_t ndeps;
	bool deps_done, deps_opaque, deps_busy;
	struct tplan *plans;
};

/* A file's line plan for one format (tmpl_lines.c), made when an output
 * of that format is first rendered from it; plan NULL: it has none. */
struct tplan {
	const struct emit_lines *el;
	const struct lplan *plan;
	struct tplan *next;
};

/* A render's last instantiation of an included file, for the next
 * include() that binds the same values to its names: the labels every
 * object includes are the same tree for 10,000 users. */
#define MEMO_MAX_DEPS 8
#define MEMO_MAX_MISSES 2 /* then the file depends on the loop: stop */
struct memo {
	const struct value *key[MEMO_MAX_DEPS]; /* per dep: its value, NULL: the model's */
	struct value *val;                       /* in the render's arena; NULL: none */
	unsigned misses;
};

/* Where an output is merged into (the few .tfvars entries with `into`). */
struct ointo {
	const char *path;
	struct mark mark;
};

/* What few outputs have: a second loop variable, an `into`, a refused
 * path. */
struct orec_more {
	const struct value *val2;     /* the entry's second loop variable's value */
	const struct ointo *into;     /* or NULL */
	bool bad;                     /* its path was refused (reported) */
};

/* One output found by pass 1: 40,000 of them for 10,000 users, so what
 * an entry's outputs share (template, header, path node, loop names) is
 * read from the entry, and what few have from more. */
struct orec {
	const char *path;
	const struct ientry *ie;
	const struct value *val;      /* the entry's (first) loop variable's value */
	struct orec_more *more;       /* or NULL */
};

/* Records a block of pass 1's list holds: the list grows by blocks in the
 * render's arena, so no record moves (doubling one array copied 40,000 of
 * them into new pages as it grew). */
#define OREC_BLOCK 2048

/* An entry of the index (files.yaml), compiled. */
struct ientry {
	const struct value *node, *path, *tmpl, *forv, *ifv, *header, *intov;
	struct tnode *pt;        /* compiled path */
	struct tnode *it;        /* compiled into, or NULL */
	struct tfile *tf;
	struct expr_site *fsite, *isite;
	struct expr *fe, *ie;
	const char *v1, *v2;
	bool bad;                /* reported when compiled: renders fail */
};

/* Templates loaded and compiled once for many renders (see template.h). */
struct tmpl_cache {
	struct arena *a;     /* the compiled templates and their source text */
	const char *dir;     /* the directory they come from */
	struct value *index; /* files.yaml, once loaded */
	bool index_loaded;
	/* Its entries, compiled once: validate renders 1,000 specs, and
	 * parsing each entry's for, if and path again was a tenth of it. */
	struct ientry *ents;
	size_t nents;
	bool index_bad;      /* not a sequence (reported once) */
	struct mark index_once; /* key (diag.h, once) of what loading the index reported */
	struct tfile **tfs;
	size_t ntfs, captfs;
	struct arena *scratch; /* for one output's tree, reused across renders */
	unsigned long renders; /* renders so far: the line plans' memos are a render's */
};

/* One render of a template set (not cli.h's compilation context). */
struct tctx {
	struct expr_env env; /* first member: hooks get &env */
	struct arena *keep;  /* what outlives one output (env.a may be a scratch) */
	struct tmpl_cache *cache; /* NULL: load for this render only */
	const char *dir;
	struct tfile **tfs;
	size_t ntfs, captfs;
	struct orec **outs;  /* blocks of OREC_BLOCK, in keep */
	size_t nouts, nblocks;
	size_t current;      /* output being rendered (files() excludes it) */
	bool have_index;     /* files() available */
	bool index_fresh;    /* files.yaml loaded by this render (not from a cache) */
	int depth;           /* include() nesting */
	struct arena *scratch; /* one output's arena in pass 2 (a memo never keeps its nodes) */
	struct parts *parts;   /* the output being made in parts, or NULL */
	struct arena *pass1;   /* pass 1's evaluation of one output's path */
	struct memo *memos;  /* by tfile id */
	size_t nmemos;
	struct buf sb;       /* scratch for interpolation */
	const struct tmpl_formats *fmts; /* the caller's (template.h), or NULL */
	struct buf lb;       /* an output written from its line plan */
	unsigned long gen;   /* this render's number (struct lent, gen) */
	struct hashmap reported; /* positions of duplicate-key errors */
};

static struct orec *orec_at(const struct tctx *c, size_t i)
{
	assert(i < c->nblocks * OREC_BLOCK);
	return &c->outs[i / OREC_BLOCK][i % OREC_BLOCK];
}

static const char *orec_path(const void *ctx, size_t i)
{
	return orec_at(ctx, i)->path;
}

/* ---------------------------------------------------------------- helpers */

/* An evaluation-time error at a site, reported once per site. */
static void site_err(struct tctx *c, struct expr_site *site, size_t off, const char *id,
		     const char *hint, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void site_err(struct tctx *c, struct expr_site *site, size_t off, const char *id,
		     const char *hint, const char *fmt, ...)
{
	c->env.failed = true;
	if (c->env.quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	expr_site_verror(c->env.a, c->env.d, site, off, id, hint, fmt, ap);
	va_end(ap);
}

/* Not empty, ".", or "..". */
static bool component_ok(const char *s, size_t n)
{
	return n != 0 && !(n == 1 && s[0] == '.') && !(n == 2 && s[0] == '.' && s[1] == '.');
}

int tmpl_path_ok(const char *p, size_t n)
{
	if (!p || n == 0 || p[0] == '/')
		return 0;
	/* One pass, most bytes past one compare: every output's path is
	 * checked (40,000 of them at 10,000 users). */
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c > '/' && c != '\\' && c != 0x7f)
			continue;
		if (c < 0x20 || c == 0x7f || c == '\\')
			return 0; /* a NUL among them: then strlen(p) != n */
		if (c == '/') {
			if (!component_ok(p + start, i - start))
				return 0;
			start = i + 1;
		}
	}
	return p[n] == '\0' && component_ok(p + start, n - start);
}

/* ---------------------------------------------------------------- instantiating */

static struct value *inst(struct tctx *c, const struct tnode *t, const struct scope *sc);
static void inst_map_into(struct tctx *c, const struct tnode *t, const struct scope *sc,
			  struct value *out);
static void inst_seq_into(struct tctx *c, const struct tnode *t, const struct scope *sc,
			  struct value *out);

static struct value *interpolate(struct tctx *c, const struct tnode *t, const struct scope *sc)
{
	size_t base = c->sb.len;
	bool ok = true, line = true, kv = true;
	for (size_t i = 0; i < t->nparts; i++) {
		const struct tpart *p = &t->parts[i];
		if (p->lit) {
			buf_add(&c->sb, p->lit, p->len);
			line = line && p->line;
			kv = kv && p->kv;
			continue;
		}
		struct value *v = expr_eval(&c->env, t->site, p->e, sc);
		/* A number or a boolean is ASCII; a string checked before says so. */
		line = line && v && (v->kind != V_STRING || (v->flags & VF_TEXT));
		kv = kv && v && (v->kind != V_STRING || (v->flags & VF_KV_VAL));
		if (!v) {
			ok = false;
		} else if (!expr_scalar_text(&c->sb, v)) {
			ok = false;
			site_err(c, t->site, expr_offset(p->e), "tmpl-type",
				 v->kind == V_NULL ? "use default(x, '') for an optional value"
						   : "only scalars can be part of a text; a scalar that is "
						     "only ${...} inserts any value",
				 "cannot interpolate %s into text", v->kind == V_NULL ? "null" :
				 v->kind == V_SEQ ? "a sequence" : "a mapping");
		}
	}
	struct value *r = NULL;
	if (ok) {
		size_t n = c->sb.len - base;
		r = v_strn(c->env.a, &t->src->mark, c->sb.data + base, n);
		if (line)
			r->flags |= VF_TEXT_LINE;
		/* Blanks at its ends are a key=value value's to decide. */
		if (kv && (!n || (r->str.s[0] != ' ' && r->str.s[n - 1] != ' ')))
			r->flags |= VF_KV_VAL;
	}
	c->sb.len = base;
	if (c->sb.data)
		c->sb.data[base] = '\0';
	return r;
}

/* A key: always a string node marked at the template's key. */
static struct value *inst_key(struct tctx *c, const struct tnode *k, const struct scope *sc)
{
	switch (k->kind) {
	case TN_STATIC:
		return (struct value *)k->src;
	case TN_INTERP:
		return interpolate(c, k, sc);
	case TN_EXPR: {
		struct value *v = expr_eval(&c->env, k->site, k->e, sc);
		if (!v)
			return NULL;
		struct value *key = v_str(c->env.a, &k->src->mark, "");
		if (v->kind == V_STRING) {
			key->str = v->str;
			key->flags = v->flags & VF_TEXT; /* same text */
			return key;
		}
		size_t base = c->sb.len;
		if (!expr_scalar_text(&c->sb, v)) {
			site_err(c, k->site, expr_offset(k->e), "tmpl-type", NULL,
				 "a key must be a scalar, not %s", vkind_name(v->kind));
			return NULL;
		}
		key->str.s = arena_strndup(c->env.a, c->sb.data + base, c->sb.len - base);
		key->str.len = c->sb.len - base;
		c->sb.len = base;
		return key;
	}
	default:
		c->env.failed = true;
		return NULL;
	}
}

typedef void (*body_fn)(struct tctx *c, const void *body, const struct scope *sc,
			struct value *out);

/* Run body once per element of en's collection. */
static void iterate(struct tctx *c, struct expr_site *site, const struct expr *e, const char *v1,
		    const char *v2, const struct scope *sc, body_fn fn, const void *body,
		    struct value *out)
{
	struct value *coll = expr_eval(&c->env, site, e, sc);
	if (!coll)
		return;
	struct scope s1 = { v1, NULL, sc }, s2 = { v2, NULL, &s1 };
	const struct scope *inner = v2 ? &s2 : &s1;
	if (coll->kind == V_SEQ) {
		for (size_t i = 0; i < coll->seq.n; i++) {
			if (v2) {
				s1.val = v_int(c->env.a, &site->mark, (long long)i);
				s2.val = coll->seq.items[i];
			} else {
				s1.val = coll->seq.items[i];
			}
			fn(c, body, inner, out);
		}
	} else if (coll->kind == V_MAP) {
		for (size_t i = 0; i < coll->map.n; i++) {
			s1.val = coll->map.items[i].key;
			s2.val = coll->map.items[i].val;
			fn(c, body, inner, out);
		}
	} else if (coll->kind != V_NULL) {
		site_err(c, site, expr_offset(e), "tmpl-type",
			 "'for' needs a sequence or a mapping (null: no iteration)",
			 "cannot iterate over %s", vkind_name(coll->kind));
	}
}

static void body_map(struct tctx *c, const void *body, const struct scope *sc, struct value *out)
{
	inst_map_into(c, body, sc, out);
}

/* A directive body in a sequence: a sequence is spliced, anything else is one item. */
static void body_seq(struct tctx *c, const void *body, const struct scope *sc, struct value *out)
{
	const struct tnode *t = body;
	if (t->src->kind == V_SEQ)
		inst_seq_into(c, t, sc, out);
	else
		seq_push(c->env.a, out, inst(c, t, sc));
}

static bool cond_true(struct tctx *c, const struct tent *en, const struct scope *sc, bool *ok)
{
	struct value *v = expr_eval(&c->env, en->site, en->e, sc);
	*ok = v != NULL;
	return v && expr_truthy(v);
}

/* A plain entry (key: value) of a mapping node into out. */
static void entry_map(struct tctx *c, const void *entry, const struct scope *sc, struct value *out)
{
	const struct tent *en = entry;
	struct value *k = inst_key(c, en->key, sc);
	if (k)
		map_put(c->env.a, out, k, inst(c, en->val, sc));
}

/* The entries of a mapping or sequence node into out: each plain entry
 * (struct tent) by plain(), a directive's body (for each iteration of a
 * for) by body().  Inline, so the callers' calls are direct. */
static inline void entries(struct tctx *c, const struct tnode *t, const struct scope *sc, struct value *out,
			   body_fn plain, body_fn body)
{
	for (size_t i = 0; i < t->nents; i++) {
		const struct tent *en = &t->ents[i];
		bool ok;
		switch (en->kind) {
		case EN_PLAIN:
			plain(c, en, sc, out);
			break;
		case EN_IF:
			if (cond_true(c, en, sc, &ok))
				body(c, en->val, sc, out);
			else if (ok && en->els)
				body(c, en->els, sc, out);
			break;
		case EN_FOR:
			iterate(c, en->site, en->e, en->v1, en->v2, sc, body, en->val, out);
			break;
		}
	}
}

static void inst_map_into(struct tctx *c, const struct tnode *t, const struct scope *sc,
			  struct value *out)
{
	struct arena *a = c->env.a;
	if (t->kind == TN_STATIC) {
		for (size_t i = 0; i < t->src->map.n; i++)
			map_put(a, out, t->src->map.items[i].key, t->src->map.items[i].val);
		return;
	}
	entries(c, t, sc, out, entry_map, body_map);
}

/* A plain item (struct tent) of a sequence: one item, even a sequence. */
static void item_seq(struct tctx *c, const void *entry, const struct scope *sc, struct value *out)
{
	const struct tent *en = entry;
	seq_push(c->env.a, out, inst(c, en->val, sc));
}

static void inst_seq_into(struct tctx *c, const struct tnode *t, const struct scope *sc,
			  struct value *out)
{
	if (t->kind == TN_STATIC) {
		for (size_t i = 0; i < t->src->seq.n; i++)
			seq_push(c->env.a, out, t->src->seq.items[i]);
		return;
	}
	entries(c, t, sc, out, item_seq, body_seq);
}

/* ---------------------------------------------------------------- outputs in parts */

/* An output whose top level loops, and whose format writes that
 * sequence item by item or mapping entry by entry (format.h, in_parts),
 * is handed to fn a part at a time: the clients' README of 10,000 users
 * is 200,000 lines, 12 MB as one tree; the Helm secrets, a key per user,
 * 3 MB.  Each
 * top-level entry's body is made in the parts arena, cleared once its
 * part has been handed on; what the entries themselves evaluate (a for's
 * collection, its index numbers) stays in the output's arena, which
 * lives until the last part.  Instantiation goes on after a failure, as
 * for a whole tree, so the same problems are reported; fn then gets no
 * more parts but the last, with no doc. */
#define PART_ITEMS 512

static void report_dup(struct tctx *c, const struct value *first, const struct value *dup);

struct parts {
	struct arena *a;
	struct value *coll; /* the part being filled (in the output's arena) */
	struct tmpl_output *t;
	tmpl_each_fn fn;
	void *fctx;
	/* A mapping's keys so far, in the output's arena: a duplicate in a
	 * later part is reported as check_dups reports one in a whole
	 * mapping.  A key's copy and its slot are a fifth of its entry
	 * (10,000 secrets: 3 MB as one tree). */
	struct arena *oa;
	struct strset keys;
	struct pkey {
		struct mark mark; /* the first such key's */
		size_t len;
		char s[];
	} **firsts;
	size_t nfirsts, capfirsts;
};

static const char *pkey_str(const void *ctx, size_t j)
{
	return ((const struct parts *)ctx)->firsts[j]->s;
}

/* The index of an earlier key equal to k, else k added as index n. */
static size_t pkey_add(struct parts *p, const struct value *k, size_t n)
{
	if (memchr(k->str.s, '\0', k->str.len)) {
		/* Not for strset (its strings end at a NUL): compared here. */
		for (size_t j = 0; j < n; j++)
			if (p->firsts[j]->len == k->str.len && !memcmp(p->firsts[j]->s, k->str.s, k->str.len))
				return j;
		return n;
	}
	return strset_add(&p->keys, k->str.s, k->str.len, n, pkey_str, p);
}

/* Drop (and report) the entries of the part whose key an earlier entry,
 * of this part or of one before, has. */
static void part_dups(struct tctx *c, struct parts *p)
{
	struct value *m = p->coll;
	size_t need = p->nfirsts + m->map.n;
	strset_reserve(&p->keys, p->oa, need, pkey_str, p);
	if (need > p->capfirsts) {
		size_t cap = need > 2 * p->capfirsts ? need : 2 * p->capfirsts;
		p->firsts = arena_realloc(p->oa, p->firsts, p->capfirsts * sizeof *p->firsts, cap * sizeof *p->firsts);
		p->capfirsts = cap;
	}
	size_t w = 0;
	for (size_t i = 0; i < m->map.n; i++) {
		const struct value *k = m->map.items[i].key;
		size_t j = pkey_add(p, k, p->nfirsts);
		if (j < p->nfirsts) {
			struct value first = { .kind = V_STRING, .mark = p->firsts[j]->mark };
			first.str.s = p->firsts[j]->s;
			first.str.len = p->firsts[j]->len;
			report_dup(c, &first, k);
			continue;
		}
		struct pkey *pk = arena_alloc(p->oa, sizeof *pk + k->str.len + 1);
		pk->mark = k->mark;
		pk->len = k->str.len;
		memcpy(pk->s, k->str.s, k->str.len);
		pk->s[k->str.len] = '\0';
		p->firsts[p->nfirsts++] = pk;
		m->map.items[w++] = m->map.items[i];
	}
	m->map.n = w;
}

static void part_flush(struct tctx *c, bool more)
{
	struct parts *p = c->parts;
	if (p->coll->kind == V_MAP)
		part_dups(c, p);
	if (!c->env.failed || !more) {
		p->t->doc = c->env.failed ? NULL : p->coll;
		p->t->more = more;
		p->fn(p->fctx, p->t);
	}
	if (p->coll->kind == V_MAP) {
		p->coll->map.items = NULL;
		p->coll->map.n = p->coll->map.cap = 0;
	} else {
		p->coll->seq.items = NULL;
		p->coll->seq.n = p->coll->seq.cap = 0;
	}
	arena_clear(p->a);
}

/* fn(c, x, sc, out) with the parts arena for what it makes, then the
 * part handed on if it is full. */
static void into_part(struct tctx *c, body_fn fn, const void *x, const struct scope *sc, struct value *out)
{
	struct arena *oa = c->env.a;
	c->env.a = c->parts->a;
	fn(c, x, sc, out);
	c->env.a = oa;
	if ((out->kind == V_MAP ? out->map.n : out->seq.n) >= PART_ITEMS)
		part_flush(c, true);
}

/* A top-level entry's body, into the part (a sequence is spliced). */
static void body_part(struct tctx *c, const void *body, const struct scope *sc, struct value *out)
{
	into_part(c, body_seq, body, sc, out);
}

/* A plain top-level item, into the part as one item. */
static void item_part(struct tctx *c, const void *entry, const struct scope *sc, struct value *out)
{
	into_part(c, item_seq, entry, sc, out);
}

/* A plain top-level entry of a mapping, into the part. */
static void entry_part(struct tctx *c, const void *entry, const struct scope *sc, struct value *out)
{
	into_part(c, entry_map, entry, sc, out);
}

/* A top-level directive's body (each iteration of a for), into the part. */
static void body_map_part(struct tctx *c, const void *body, const struct scope *sc, struct value *out)
{
	into_part(c, body_map, body, sc, out);
}

/* inst_seq_into or inst_map_into for the root of an output in parts. */
static void inst_in_parts(struct tctx *c, const struct tnode *t, const struct scope *sc)
{
	struct value *out = c->parts->coll;
	if (out->kind == V_SEQ)
		entries(c, t, sc, out, item_part, body_part);
	else
		entries(c, t, sc, out, entry_part, body_map_part);
	part_flush(c, false);
}

/* Does the compiled root t have a `$for` at its top level (so that the
 * output may be large)? */
static bool loops_at_top(const struct tnode *t)
{
	if (t->kind != TN_SEQ && t->kind != TN_MAP)
		return false;
	for (size_t i = 0; i < t->nents; i++)
		if (t->ents[i].kind == EN_FOR)
			return true;
	return false;
}

static void report_dup(struct tctx *c, const struct value *first, const struct value *dup)
{
	c->env.failed = true;
	/* Once per template position, however many outputs repeat it. */
	const char *pos = arena_printf(c->keep, "%p:%d:%d", (const void *)dup->mark.file,
				       dup->mark.line, dup->mark.col);
	if (!hashmap_add(&c->reported, pos, strlen(pos)))
		return;
	const char *hint;
	if (first->mark.line == dup->mark.line && first->mark.col == dup->mark.col &&
	    first->mark.file == dup->mark.file)
		hint = "a loop produces this key twice: make the key depend on the loop variable";
	else
		hint = arena_printf(c->env.a, "the first one is produced at line %d, column %d",
				    first->mark.line, first->mark.col);
	diag_at(c->env.d, SEV_ERROR, &dup->mark, "tmpl-duplicate-key", hint,
		"duplicate key '%s' in the output mapping", dup->str.s);
}

/* Drop (and report) entries whose key an earlier entry has. */
static void check_dups(struct tctx *c, struct value *m)
{
	size_t n = m->map.n, w = 0;
	if (n < 2)
		return;
	struct pair *it = m->map.items;
	if (n <= 16) {
		for (size_t i = 0; i < n; i++) {
			size_t j;
			for (j = 0; j < w; j++)
				if (it[j].key->str.len == it[i].key->str.len &&
				    memcmp(it[j].key->str.s, it[i].key->str.s, it[i].key->str.len) == 0)
					break;
			if (j < w)
				report_dup(c, it[j].key, it[i].key);
			else
				it[w++] = it[i];
		}
	} else {
		/* In the output's arena, sized once: a mapping of 10,000 keys
		 * (the secrets) had its table grow five times, in new pages. */
		struct hashmap st;
		hashmap_init(&st, c->env.a);
		hashmap_reserve(&st, n);
		for (size_t i = 0; i < n; i++) {
			if (hashmap_add(&st, it[i].key->str.s, it[i].key->str.len)) {
				it[w++] = it[i];
				continue;
			}
			for (size_t j = 0; j < w; j++)
				if (it[j].key->str.len == it[i].key->str.len &&
				    memcmp(it[j].key->str.s, it[i].key->str.s, it[i].key->str.len) == 0) {
					report_dup(c, it[j].key, it[i].key);
					break;
				}
		}
		hashmap_free(&st);
	}
	m->map.n = w;
}

static struct value *inst(struct tctx *c, const struct tnode *t, const struct scope *sc)
{
	struct value *v;
	switch (t->kind) {
	case TN_STATIC:
		return (struct value *)t->src;
	case TN_EXPR:
		v = expr_eval(&c->env, t->site, t->e, sc);
		break;
	case TN_INTERP:
		v = interpolate(c, t, sc);
		break;
	case TN_MAP:
		v = v_map(c->env.a, &t->src->mark);
		/* Sized for the template's entries: most mappings never grow. */
		v->map.cap = t->nents;
		v->map.items = arena_alloc(c->env.a, t->nents * sizeof *v->map.items);
		inst_map_into(c, t, sc, v);
		check_dups(c, v);
		return v;
	case TN_SEQ:
		v = v_seq(c->env.a, &t->src->mark);
		v->seq.cap = t->nents;
		v->seq.items = arena_alloc(c->env.a, t->nents * sizeof *v->seq.items);
		inst_seq_into(c, t, sc, v);
		return v;
	default:
		c->env.failed = true;
		v = NULL;
		break;
	}
	return v ? v : v_null(c->env.a, &t->src->mark);
}

/* ---------------------------------------------------------------- line plans */

/* tf's line plan for el, made the first time it is asked for. */
static const struct lplan *plan_for(struct tctx *c, struct tfile *tf, const struct emit_lines *el)
{
	for (const struct tplan *p = tf->plans; p; p = p->next)
		if (p->el == el)
			return p->plan;
	struct arena *a = c->cache ? c->cache->a : c->keep; /* where tf's tree is */
	struct tplan *p = arena_alloc(a, sizeof *p);
	p->el = el;
	p->plan = tmpl_lines_plan(a, tf->root, el);
	p->next = tf->plans;
	tf->plans = p;
	return p->plan;
}

/* Does e read a variable sc binds?  Else it reads the model only, and
 * is the same for every output of the render. */
static bool reads_loop(const struct lent *e, const struct scope *sc)
{
	if (e->opaque)
		return true; /* an include() reads what its file reads */
	for (size_t i = 0; i < e->nnames; i++)
		for (const struct scope *s = sc; s; s = s->up)
			if (expr_name_eq(s->name, e->names[i]))
				return true;
	return false;
}

/* What writing an output from its plan needs besides the plan. */
struct lwrite {
	const struct emit_lines *el;
	struct emit_memo *memo;
	struct buf *b;
	uint64_t seen;  /* the keys written (struct lent, key) */
	struct diags q; /* what the format's code says: not reported */
};

/* p's entries onto w->b, evaluated as inst() would (the same order, the
 * same conditions); false at the first thing only the tree can report: a
 * failed evaluation (quiet), a key met twice, a value the format
 * refuses.  What reads the model only is evaluated once per render
 * (struct lent, gen). */
static bool write_lines(struct tctx *c, const struct lplan *p, const struct scope *sc, struct lwrite *w)
{
	struct buf *b = w->b;
	for (size_t i = 0; i < p->n; i++) {
		struct lent *e = &p->ents[i]; /* its memo only, as an expr's hint */
		bool same = !reads_loop(e, sc), ok;
		if (e->kind == LN_IF) {
			bool yes = e->memo_true;
			if (!same || e->gen != c->gen) {
				yes = cond_true(c, e->en, sc, &ok);
				if (!ok)
					return false;
				if (same) {
					e->memo_true = yes;
					e->gen = c->gen;
				}
			}
			const struct lplan *body = yes ? e->then : e->els;
			if (body && !write_lines(c, body, sc, w))
				return false;
			continue;
		}
		assert(e->key < LPLAN_MAX_KEYS);
		uint64_t bit = (uint64_t)1 << e->key;
		if (w->seen & bit)
			return false;
		w->seen |= bit;
		switch (e->kind) {
		case LN_TEXT:
			buf_add(b, e->text, e->len);
			continue;
		case LN_MAP: {
			/* "key:", then its entries below; none: "key: {}". */
			buf_add(b, e->text, e->len);
			buf_putc(b, '\n');
			size_t below = b->len;
			if (!write_lines(c, e->then, sc, w))
				return false;
			if (b->len == below) {
				b->len = below - 1;
				buf_add(b, " {}\n", 4);
			}
			continue;
		}
		default:
			break;
		}
		if (same && e->gen == c->gen) {
			buf_add(b, e->memo, e->memo_len);
			continue;
		}
		size_t at = b->len;
		struct value *v = inst(c, e->val, sc);
		const struct emit_place place = { e->ind, e->depth, w->memo };
		if (c->env.failed || w->el->line(b, e->text, e->len, v, &place, &w->q) < 0)
			return false;
		if (same) {
			e->memo = arena_strndup(c->keep, b->data + at, b->len - at);
			e->memo_len = b->len - at;
			e->gen = c->gen;
		}
	}
	return true;
}

/* Write the output at path from tf's line plan, when its format has a
 * line writer and tf a plan: true with t->text set.  false (nothing
 * reported, env.failed as it was) when the tree must be made. */
static bool try_lines(struct tctx *c, struct tfile *tf, const char *path, const struct scope *sc,
		      struct tmpl_output *t)
{
	const struct emit_lines *el = c->fmts && c->fmts->lines ? c->fmts->lines(path) : NULL;
	const struct lplan *p = el ? plan_for(c, tf, el) : NULL;
	if (!p)
		return false;
	assert(!c->env.failed);
	struct lwrite w = { el, c->fmts->memo, &c->lb, 0, { 0 } };
	diags_init(&w.q, c->env.a);
	buf_reset(&c->lb);
	c->env.quiet = true;
	bool ok = write_lines(c, p, sc, &w);
	c->env.quiet = false;
	c->env.failed = false;
	diags_free(&w.q);
	if (!ok)
		return false;
	/* An empty mapping is "{}" in YAML, nothing in the others. */
	if (el->nests && !c->lb.len)
		buf_add(&c->lb, "{}\n", 3);
	t->text = c->lb.data ? c->lb.data : "";
	t->len = c->lb.len;
	return true;
}

/* ---------------------------------------------------------------- files and hooks */

/* The file of rel if it is known already (its path was checked then). */
static struct tfile *find_tfile(const struct tctx *c, const char *rel, uint64_t h)
{
	struct tfile *const *tfs = c->cache ? c->cache->tfs : c->tfs;
	size_t n = c->cache ? c->cache->ntfs : c->ntfs;
	for (size_t i = 0; i < n; i++)
		if (tfs[i]->hash == h && strcmp(tfs[i]->rel, rel) == 0)
			return tfs[i];
	return NULL;
}

static struct tfile *get_tfile(struct tctx *c, const char *rel)
{
	/* With a cache, the files live there, across renders. */
	struct tfile ***tfs = c->cache ? &c->cache->tfs : &c->tfs;
	size_t *n = c->cache ? &c->cache->ntfs : &c->ntfs, *cap = c->cache ? &c->cache->captfs : &c->captfs;
	struct arena *a = c->cache ? c->cache->a : c->keep;
	size_t rn = strlen(rel);
	uint64_t h = hash_fnv1a(rel, rn);
	struct tfile *known = find_tfile(c, rel, h);
	if (known)
		return known;
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		*tfs = xrealloc(*tfs, *cap * sizeof **tfs);
	}
	struct tfile *tf = arena_alloc(a, sizeof *tf);
	tf->rel = arena_strndup(a, rel, rn);
	tf->hash = h;
	tf->id = *n;
	tf->full = c->dir ? arena_printf(a, "%s/%s", c->dir, rel) : tf->rel;
	tf->once = (struct mark){ tf->full, 0, 0 };
	(*tfs)[(*n)++] = tf;
	return tf;
}

/* The text of a file of the set, and its entry in the built-in tables
 * when its bytes are those the binary was built from (embedded.h). */
static char *tmpl_text(struct arena *a, struct diags *d, const char *path, const char *rel, size_t *len,
		       const struct emb_file **built_in)
{
	char *text = load_file_text(a, d, path, len);
	*built_in = text ? emb_find(&emb_templates, rel, text, *len) : NULL;
	return text;
}

/* Its tree: from the built-in tables (its strings flagged VF_YAML_PLAIN
 * already), else parsed. */
static struct value *tmpl_tree(struct arena *a, struct diags *d, const char *path, const char *text,
			       size_t len, const struct emb_file *built_in)
{
	return built_in ? emb_tree(a, &emb_templates, built_in, path) : load_yaml_string(a, d, path, text, len);
}

static struct value *load_tmpl_file(struct arena *a, struct diags *d, const char *path, const char *rel)
{
	size_t len;
	const struct emb_file *f;
	const char *text = tmpl_text(a, d, path, rel, &len, &f);
	return text ? tmpl_tree(a, d, path, text, len, f) : NULL;
}

/* Load and compile once.  false when missing (tf->missing, not reported)
 * or when loading failed (reported by the loader). */
static bool tf_load(struct tctx *c, struct tfile *tf)
{
	if (tf->loaded) {
		if (!tf->root)
			c->env.failed = true; /* reported when it was loaded */
		return tf->root != NULL;
	}
	tf->loaded = true;
	if (access(tf->full, R_OK) != 0) {
		tf->missing = true;
		c->env.failed = true;
		return false;
	}
	/* Compiled templates outlive this render when cached, and the output
	 * being instantiated in any case. */
	struct arena *a = c->cache ? c->cache->a : c->keep;
	size_t len;
	const struct emb_file *f;
	const char *text = tmpl_text(a, c->env.d, tf->full, tf->rel, &len, &f);
	const struct tmpl_image *im = f ? &emb_template_images[f - emb_templates.files] : NULL;
	/* A built-in file as the build compiled it; else (edited, not built
	 * in, or reported by the build's compiler) compiled here. */
	if (im && im->bytes)
		tf->root = tmpl_image_load(a, im, tf->full);
	if (text && !tf->root) {
		struct value *doc = tmpl_tree(a, c->env.d, tf->full, text, len, f);
		struct arena *render_arena = c->env.a;
		c->env.a = a;
		if (doc)
			tf->root = tmpl_compile(&c->env, doc);
		if (doc && !f) /* the build flagged a built-in file's strings */
			tmpl_mark_plain(tf->root);
		c->env.a = render_arena;
	}
	if (!tf->root) {
		c->env.failed = true;
		return false;
	}
	return true;
}

/* ---- include() memo */

struct names {
	const char *v[MEMO_MAX_DEPS];
	size_t n;
	bool opaque;  /* reads more than names say */
	bool pending; /* includes a file not loaded yet: ask again later */
	struct tctx *c;
};

static bool tfile_deps(struct tctx *c, struct tfile *tf);

static void add_name(struct names *ns, const char *name)
{
	for (size_t i = 0; i < ns->n; i++)
		if (!strcmp(ns->v[i], name))
			return;
	if (ns->n == MEMO_MAX_DEPS)
		ns->opaque = true;
	else
		ns->v[ns->n++] = name;
}

static void name_seen(void *ctx, const char *name, bool is_include)
{
	struct names *ns = ctx;
	if (!is_include) {
		add_name(ns, name);
		return;
	}
	/* Only a file an earlier include() loaded: loading one here would
	 * report the errors of a file a false $if never includes. */
	size_t n = strlen(name);
	struct tfile *tf = find_tfile(ns->c, name, hash_fnv1a(name, n));
	if (!tf || !tf->loaded) {
		ns->pending = true;
		return;
	}
	if (!tfile_deps(ns->c, tf)) {
		ns->opaque |= tf->deps_opaque || !tf->root;
		ns->pending |= !tf->deps_done;
		return;
	}
	for (size_t i = 0; i < tf->ndeps; i++)
		add_name(ns, tf->deps[i]);
}

static void expr_deps(struct names *ns, const struct expr *e)
{
	if (e && !expr_names(e, name_seen, ns))
		ns->opaque = true;
}

static void tnode_deps(struct names *ns, const struct tnode *t)
{
	if (!t || ns->opaque)
		return;
	switch (t->kind) {
	case TN_STATIC:
		return;
	case TN_EXPR:
		expr_deps(ns, t->e);
		return;
	case TN_INTERP:
		for (size_t i = 0; i < t->nparts; i++)
			expr_deps(ns, t->parts[i].e);
		return;
	case TN_MAP:
	case TN_SEQ:
		/* A $for's own variables are names too: looked up in the
		 * caller's scope they are its values or the model's, which
		 * over-states what the file depends on, never under-states. */
		for (size_t i = 0; i < t->nents; i++) {
			expr_deps(ns, t->ents[i].e);
			tnode_deps(ns, t->ents[i].key);
			tnode_deps(ns, t->ents[i].val);
			tnode_deps(ns, t->ents[i].els);
		}
		return;
	default:
		ns->opaque = true;
	}
}

/* tf's names, once known: true when tf->deps says all it reads. */
static bool tfile_deps(struct tctx *c, struct tfile *tf)
{
	if (tf->deps_done)
		return !tf->deps_opaque;
	if (!tf->root || tf->deps_busy) {
		tf->deps_done = !tf->root;
		tf->deps_opaque = true;
		return false;
	}
	struct names ns = { .c = c };
	tf->deps_busy = true;
	tnode_deps(&ns, tf->root);
	tf->deps_busy = false;
	if (ns.pending && !ns.opaque) {
		tf->deps_opaque = false; /* not known yet */
		return false;
	}
	struct arena *a = c->cache ? c->cache->a : c->keep;
	tf->deps = arena_alloc(a, (ns.n ? ns.n : 1) * sizeof *tf->deps);
	memcpy(tf->deps, ns.v, ns.n * sizeof *tf->deps);
	tf->ndeps = ns.n;
	tf->deps_opaque = ns.opaque;
	tf->deps_done = true;
	return !ns.opaque;
}

/* The memo of tf for an include() in scope sc, with the values sc binds
 * to tf's names in key; NULL when the file cannot be memoised now. */
static struct memo *memo_for(struct tctx *c, struct tfile *tf, const struct scope *sc,
			     const struct value **key)
{
	if (!tfile_deps(c, tf))
		return NULL;
	if (tf->id >= c->nmemos) {
		size_t n = c->cache ? c->cache->ntfs : c->ntfs;
		assert(tf->id < n);
		c->memos = xrealloc(c->memos, n * sizeof *c->memos);
		memset(c->memos + c->nmemos, 0, (n - c->nmemos) * sizeof *c->memos);
		c->nmemos = n;
	}
	struct memo *m = &c->memos[tf->id];
	if (m->misses > MEMO_MAX_MISSES)
		return NULL;
	for (size_t i = 0; i < tf->ndeps; i++) {
		key[i] = NULL;
		for (const struct scope *s = sc; s; s = s->up)
			if (expr_name_eq(s->name, tf->deps[i])) {
				key[i] = s->val;
				break;
			}
		/* A node of one output's arena: its address is reused by the
		 * next output's nodes. */
		if (key[i] && ((c->scratch && arena_holds(c->scratch, key[i])) ||
			       (c->parts && arena_holds(c->parts->a, key[i]))))
			return NULL;
	}
	return m;
}

static struct value *hook_include(struct expr_env *env, const char *path, const struct scope *sc,
				  struct expr_site *site, size_t off)
{
	struct tctx *c = (struct tctx *)env;
	if (!c->dir) {
		site_err(c, site, off, "tmpl-include", NULL,
			 "include() needs a template directory");
		return NULL;
	}
	/* A file already known passed the path check: an include per user
	 * (the labels) need not check it again. */
	size_t pn = strlen(path);
	if (!find_tfile(c, path, hash_fnv1a(path, pn)) && !tmpl_path_ok(path, pn)) {
		site_err(c, site, off, "tmpl-include",
			 "give a relative path inside the template directory, without '..'",
			 "include('%s'): not a safe relative path", path);
		return NULL;
	}
	struct tfile *tf = get_tfile(c, path);
	/* A try that reports nothing (quiet) leaves loading to the tree:
	 * what the first load finds is reported once. */
	if (c->env.quiet && !tf->loaded) {
		c->env.failed = true;
		return NULL;
	}
	bool first = !tf->loaded;
	size_t from = c->env.d->n;
	bool ok = tf_load(c, tf);
	if (!ok && first && tf->missing)
		site_err(c, site, off, "tmpl-include", NULL, "include('%s'): there is no file %s", path,
			 tf->full);
	if (first)
		diags_mark_once(c->env.d, from, &tf->once);
	if (!ok) {
		c->env.failed = true;
		return NULL;
	}
	if (tf->busy || c->depth >= TMPL_MAX_INCLUDE_DEPTH) {
		site_err(c, site, off, "tmpl-include", "a template cannot include itself, even indirectly",
			 tf->busy ? "include('%s'): include cycle" : "include('%s'): nested too deeply",
			 path);
		return NULL;
	}
	const struct value *key[MEMO_MAX_DEPS];
	struct memo *m = memo_for(c, tf, sc, key);
	if (m && m->val && !memcmp(m->key, key, tf->ndeps * sizeof *key))
		return m->val;
	tf->busy = true;
	c->depth++;
	struct arena *ra = c->env.a;
	bool failed_before = c->env.failed;
	if (m) {
		/* Kept for the render, not one output. */
		c->env.a = c->keep;
		c->env.failed = false;
	}
	struct value *v = inst(c, tf->root, sc);
	if (m) {
		bool failed = c->env.failed;
		c->env.a = ra;
		c->env.failed = failed_before || failed;
		if (!failed) {
			if (m->val)
				m->misses++;
			memcpy(m->key, key, tf->ndeps * sizeof *key);
			m->val = v;
			/* Kept for the render (keep), the same tree in every
			 * output that includes it: its text is written once. */
			if (v->kind == V_MAP || v->kind == V_SEQ)
				v->flags |= VF_SHARED;
		}
	}
	c->depth--;
	tf->busy = false;
	return v;
}

static struct value *hook_files(struct expr_env *env, const char *prefix, struct expr_site *site,
				size_t off)
{
	struct tctx *c = (struct tctx *)env;
	if (!c->have_index) {
		site_err(c, site, off, "tmpl-type", "files() lists the outputs of files.yaml",
			 "files() is only available in templates rendered from an index");
		return NULL;
	}
	size_t pl = strlen(prefix), n = 0;
	struct value *r = v_seq(c->env.a, &site->mark);
	/* Counted first, and the paths not copied (pass 1's live as long as
	 * the render): the kustomization lists 10,000 users' files. */
	for (int pass = 0; pass < 2; pass++) {
		if (pass)
			seq_reserve(c->env.a, r, n);
		for (size_t i = 0; i < c->nouts; i++) {
			const char *p = orec_at(c, i)->path;
			if (i == c->current || strncmp(p, prefix, pl) != 0 || !p[pl])
				continue;
			if (pass)
				seq_push(c->env.a, r, v_lit(c->env.a, &site->mark, p + pl));
			else
				n++;
		}
	}
	return r;
}

static const struct expr_hooks hooks = { hook_include, hook_files };

static void tctx_init(struct tctx *c, struct arena *a, struct diags *d, const char *dir,
		     const struct value *model)
{
	memset(c, 0, sizeof *c);
	c->env.a = a;
	c->keep = a;
	c->env.d = d;
	c->env.model = model;
	c->env.hooks = &hooks;
	c->dir = dir;
	c->current = (size_t)-1;
}

static void tctx_free(struct tctx *c)
{
	free(c->memos);
	free(c->tfs);
	free(c->outs); /* the blocks are in keep */
	buf_free(&c->sb);
	buf_free(&c->lb);
	hashmap_free(&c->reported);
}

/* ---------------------------------------------------------------- public API */

struct value *tmpl_instantiate(struct arena *a, struct diags *d, const char *dir,
			       const struct value *tmpl, const struct value *model)
{
	struct tctx c;
	tctx_init(&c, a, d, dir, model);
	struct value *v = inst(&c, tmpl_compile(&c.env, tmpl), NULL);
	bool failed = c.env.failed;
	tctx_free(&c);
	return failed ? NULL : v;
}

struct value *expr_eval_string(struct arena *a, struct diags *d, const char *src,
			       const struct mark *at, const struct value *model)
{
	struct expr_site *site = arena_alloc(a, sizeof *site);
	if (at)
		site->mark = *at;
	site->text = arena_strdup(a, src);
	site->len = strlen(src);
	site->exact = true;
	size_t pos = 0;
	struct expr *e = expr_parse(a, d, site, &pos, false);
	if (!e)
		return NULL;
	struct expr_env env = { .a = a, .d = d, .model = model };
	return expr_eval(&env, site, e, NULL);
}

/* ---- the index */

/* The path (and `into`) of an output of ie in scope sc, evaluated in
 * c->env.a (pass 1's scratch: nothing of the evaluation is kept) and
 * copied into keep.  false when the entry's `if` is false or an
 * expression failed (reported). */
static bool output_path(struct tctx *c, const struct ientry *ie, const struct scope *sc, struct arena *keep,
			const char **path, const struct ointo **into)
{
	if (ie->ifv) {
		bool t;
		if (ie->ie) {
			struct value *v = expr_eval(&c->env, ie->isite, ie->ie, sc);
			if (!v)
				return false;
			t = expr_truthy(v);
		} else {
			t = expr_truthy(ie->ifv);
		}
		if (!t)
			return false;
	}
	bool before = c->env.failed;
	c->env.failed = false;
	struct value *pv = inst(c, ie->pt, sc);
	bool failed = c->env.failed;
	c->env.failed = before || failed;
	if (failed)
		return false;
	if (pv->kind == V_STRING) {
		*path = strlen(pv->str.s) == pv->str.len ? arena_strndup(keep, pv->str.s, pv->str.len)
							 : "\\0"; /* rejected as unsafe in pass 1 */
	} else {
		size_t base = c->sb.len;
		if (!expr_scalar_text(&c->sb, pv)) {
			site_err(c, ie->pt->site, 0, "tmpl-index", NULL,
				 "an output path must be a string, not %s", vkind_name(pv->kind));
			return false;
		}
		*path = arena_strndup(keep, c->sb.data + base, c->sb.len - base);
		c->sb.len = base;
	}
	*into = NULL;
	if (ie->it) {
		bool was = c->env.failed;
		c->env.failed = false;
		struct value *iv = inst(c, ie->it, sc);
		bool ifailed = c->env.failed;
		c->env.failed = was || ifailed;
		if (ifailed)
			return false;
		if (iv->kind != V_STRING || strlen(iv->str.s) != iv->str.len || !iv->str.len) {
			site_err(c, ie->it->site, 0, "tmpl-index", "give the path of an existing .tfvars file",
				 "'into' must be a file's path, not %s", vkind_name(iv->kind));
			return false;
		}
		struct ointo *oi = arena_alloc(keep, sizeof *oi);
		oi->path = arena_strndup(keep, iv->str.s, iv->str.len);
		/* the spec's node when the model passed it on: errors about
		 * the file point at the line that named it */
		oi->mark = iv->mark.file ? iv->mark : ie->intov->mark;
		*into = oi;
	}
	return true;
}

static struct orec_more *orec_more(struct tctx *c, struct orec *o)
{
	if (!o->more)
		o->more = arena_alloc(c->keep, sizeof *o->more); /* zero-filled */
	return o->more;
}

static void add_output(struct tctx *c, const struct ientry *ie, const struct scope *sc)
{
	struct arena *a = c->env.a;
	c->env.a = c->pass1;
	const char *path;
	const struct ointo *into;
	bool ok = output_path(c, ie, sc, a, &path, &into);
	c->env.a = a;
	arena_clear(c->pass1);
	if (!ok)
		return;
	if (c->nouts == c->nblocks * OREC_BLOCK) {
		c->outs = xrealloc(c->outs, (c->nblocks + 1) * sizeof *c->outs);
		c->outs[c->nblocks++] = arena_alloc(c->keep, OREC_BLOCK * sizeof **c->outs);
	}
	struct orec *o = orec_at(c, c->nouts++);
	memset(o, 0, sizeof *o);
	o->path = path;
	o->ie = ie;
	/* The loop's bindings (iterate: v2 inside v1). */
	if (ie->forv && ie->v2) {
		orec_more(c, o)->val2 = sc->val;
		sc = sc->up;
	}
	if (ie->forv)
		o->val = sc->val;
	if (into)
		orec_more(c, o)->into = into;
}

static void body_output(struct tctx *c, const void *entry, const struct scope *sc,
			struct value *out)
{
	(void)out;
	add_output(c, entry, sc);
}

/* Compile one entry of the index into *out (in c->env.a); out->bad when
 * it is wrong (reported). */
static void index_compile(struct tctx *c, const struct value *node, struct ientry *out)
{
	struct arena *a = c->env.a;
	struct ientry ie = { .node = node, .bad = true };
	*out = ie;
	const struct value *diffv = NULL;
	if (node->kind != V_MAP) {
		tmpl_err(&c->env, &node->mark, "tmpl-index", "write '- path: ...' and 'template: ...'",
		     "an index entry must be a mapping, not %s", vkind_name(node->kind));
		return;
	}
	bool bad = false;
	for (size_t i = 0; i < node->map.n; i++) {
		const struct value *k = node->map.items[i].key, *v = node->map.items[i].val;
		const char *ks = k->str.s;
		if (!strcmp(ks, "path"))
			ie.path = v;
		else if (!strcmp(ks, "template"))
			ie.tmpl = v;
		else if (!strcmp(ks, "for"))
			ie.forv = v;
		else if (!strcmp(ks, "if"))
			ie.ifv = v;
		else if (!strcmp(ks, "diff"))
			diffv = v;
		else if (!strcmp(ks, "header"))
			ie.header = v;
		else if (!strcmp(ks, "into"))
			ie.intov = v;
		else {
			static const char *const names[] = { "path", "template", "for", "if", "diff", "header", "into" };
			const char *h = expr_suggest(a, ks, k->str.len, names, 7);
			tmpl_err(&c->env, &k->mark, "tmpl-index", h ? h : "the keys are path, template, for, if, diff, header and into",
			     "unknown key '%s' in an index entry", ks);
			bad = true;
		}
	}
	if (!ie.path || ie.path->kind != V_STRING) {
		tmpl_err(&c->env, ie.path ? &ie.path->mark : &node->mark, "tmpl-index",
		     "write 'path: relative/output.yaml'", "an index entry needs a string 'path'");
		bad = true;
	}
	if (!ie.tmpl || ie.tmpl->kind != V_STRING) {
		tmpl_err(&c->env, ie.tmpl ? &ie.tmpl->mark : &node->mark, "tmpl-index",
		     "write 'template: file.yaml' (relative to the template directory)",
		     "an index entry needs a string 'template'");
		bad = true;
	} else if (!tmpl_path_ok(ie.tmpl->str.s, ie.tmpl->str.len)) {
		tmpl_err(&c->env, &ie.tmpl->mark, "tmpl-index", "give a path relative to the template directory",
		     "template '%s' is not a safe relative path", ie.tmpl->str.s);
		bad = true;
	} else {
		ie.tf = get_tfile(c, ie.tmpl->str.s);
		bool first = !ie.tf->loaded;
		size_t from = c->env.d->n;
		if (!tf_load(c, ie.tf) && first && ie.tf->missing)
			tmpl_err(&c->env, &ie.tmpl->mark, "tmpl-index", NULL, "there is no template file %s",
			     ie.tf->full);
		if (first)
			diags_mark_once(c->env.d, from, &ie.tf->once);
		/* The diff declaration must fit the template: checked by the
		 * render that loads the index (once for a cache), so an edited
		 * template fails here, not silently in diff. */
		struct out_shape shape;
		if (diffv && c->index_fresh && ie.tf->root && ie.tf->root->src &&
		    (shape_parse(a, c->env.d, diffv, ie.tf->root->src, ie.tmpl->str.s, &shape) != 0 ||
		     shape_check_entry(a, c->env.d, diffv, &shape, ie.ifv) != 0)) {
			c->env.failed = true;
			bad = true;
		}
	}
	if (ie.header) {
		/* Comment lines: text as it is, no control characters but line
		 * breaks (a comment must not end early or hide a line). */
		bool ok = ie.header->kind == V_STRING;
		for (size_t i = 0; ok && i < ie.header->str.len; i++) {
			unsigned char ch = (unsigned char)ie.header->str.s[i];
			ok = ch != 0x7F && (ch >= 0x20 || ch == '\n');
		}
		if (!ok) {
			tmpl_err(&c->env, &ie.header->mark, "tmpl-index",
			     "write the header as a block of text lines (header: |)",
			     "'header' must be text without control characters");
			bad = true;
		}
	}
	if (ie.forv) {
		if (ie.forv->kind != V_STRING) {
			tmpl_err(&c->env, &ie.forv->mark, "tmpl-index", "write 'for: VAR in EXPR'",
			     "'for' must be a string");
			bad = true;
		} else {
			ie.fsite = tmpl_site(&c->env, ie.forv);
			if (!tmpl_parse_for(&c->env, ie.fsite, 0, "for: ", &ie.v1, &ie.v2, &ie.fe))
				bad = true;
		}
	}
	if (ie.ifv) {
		if (ie.ifv->kind == V_STRING) {
			ie.isite = tmpl_site(&c->env, ie.ifv);
			size_t pos = 0;
			if (!(ie.ie = expr_parse(a, c->env.d, ie.isite, &pos, false))) {
				c->env.failed = true;
				bad = true;
			}
		} else if (!v_is_scalar(ie.ifv)) {
			tmpl_err(&c->env, &ie.ifv->mark, "tmpl-index", NULL, "'if' must be an expression");
			bad = true;
		}
	}
	if (ie.intov && ie.intov->kind != V_STRING) {
		tmpl_err(&c->env, &ie.intov->mark, "tmpl-index", "write 'into: ${EXPR}' (the path of a .tfvars file)",
		     "'into' must be a string");
		bad = true;
	}
	if (bad)
		return;
	ie.pt = tmpl_compile_scalar(&c->env, ie.path);
	if (ie.pt->kind == TN_BAD)
		return;
	if (ie.intov && (ie.it = tmpl_compile_scalar(&c->env, ie.intov))->kind == TN_BAD)
		return;
	ie.bad = false;
	*out = ie;
}

/* Pass 1 for one compiled entry: its outputs for this model. */
static void index_expand(struct tctx *c, const struct ientry *ie)
{
	if (ie->bad) {
		c->env.failed = true;
		return;
	}
	tf_load(c, ie->tf); /* loaded: only says whether it failed */
	if (ie->forv)
		iterate(c, ie->fsite, ie->fe, ie->v1, ie->v2, NULL, body_output, ie, NULL);
	else
		add_output(c, ie, NULL);
}

struct tmpl_cache *tmpl_cache_new(void)
{
	struct tmpl_cache *tc = xcalloc(1, sizeof *tc);
	tc->a = arena_new();
	return tc;
}

/* What a cache holds, not the cache itself. */
static void cache_release(struct tmpl_cache *tc)
{
	free(tc->tfs);
	arena_free(tc->a);
	arena_free(tc->scratch);
}

void tmpl_cache_free(struct tmpl_cache *tc)
{
	if (!tc)
		return;
	cache_release(tc);
	free(tc);
}

int templates_render(struct arena *a, struct diags *d, const char *dir,
		     const struct value *model, struct tmpl_set *out)
{
	return templates_render_cached(a, d, dir, model, out, NULL);
}

static int render_outputs(struct arena *a, struct diags *d, const char *dir,
			  const struct value *model, struct tmpl_set *out, struct tmpl_cache *tc,
			  tmpl_each_fn fn, const struct tmpl_formats *fmts, void *fctx);

int templates_render_cached(struct arena *a, struct diags *d, const char *dir,
			    const struct value *model, struct tmpl_set *out, struct tmpl_cache *tc)
{
	return render_outputs(a, d, dir, model, out, tc, NULL, NULL, NULL);
}

int templates_render_each(struct arena *a, struct diags *d, const char *dir,
			  const struct value *model, struct tmpl_cache *tc,
			  tmpl_each_fn fn, const struct tmpl_formats *fmts, void *fctx)
{
	struct tmpl_set out = { 0 };
	return render_outputs(a, d, dir, model, &out, tc, fn, fmts, fctx);
}

/* Both passes; with fn, each output is instantiated in a scratch arena,
 * handed to fn and forgotten (out->items is then left empty). */
static int render_outputs(struct arena *a, struct diags *d, const char *dir,
			  const struct value *model, struct tmpl_set *out, struct tmpl_cache *tc,
			  tmpl_each_fn fn, const struct tmpl_formats *fmts, void *fctx)
{
	struct tctx c;
	tctx_init(&c, a, d, dir, model);
	c.fmts = fmts;
	tmpl_parts_fn in_parts = fmts ? fmts->in_parts : NULL;
	out->items = NULL;
	out->n = 0;
	if (tc && (!tc->dir || strcmp(tc->dir, dir) != 0)) {
		/* A cache serves one directory: start it over for another. */
		cache_release(tc);
		memset(tc, 0, sizeof *tc);
		tc->a = arena_new();
		tc->dir = arena_strdup(tc->a, dir);
	}
	c.cache = tc;
	/* After a new directory started the cache over, with new plans. */
	c.gen = tc ? ++tc->renders : 1;
	struct value *idx;
	struct ientry *ents;
	size_t nents;
	bool index_bad;
	if (tc && tc->index_loaded) {
		idx = tc->index;
		ents = tc->ents;
		nents = tc->nents;
		index_bad = tc->index_bad;
	} else {
		struct arena *ia = tc ? tc->a : a;
		size_t from = d->n;
		const char *ipath = arena_printf(ia, "%s/%s", dir, TMPL_INDEX);
		idx = load_tmpl_file(ia, d, ipath, TMPL_INDEX);
		c.index_fresh = true;
		ents = NULL;
		nents = 0;
		index_bad = false;
		if (idx && idx->kind == V_SEQ) {
			/* Compiled where the cache keeps them (templates too). */
			c.env.a = ia;
			ents = arena_alloc(ia, (idx->seq.n ? idx->seq.n : 1) * sizeof *ents);
			for (size_t i = 0; i < idx->seq.n; i++)
				index_compile(&c, idx->seq.items[i], &ents[nents++]);
			c.env.a = a;
		} else if (idx && idx->kind != V_NULL) {
			tmpl_err(&c.env, &idx->mark, "tmpl-index", "write a sequence of '- path: ...' entries",
			     "the index must be a sequence, not %s", vkind_name(idx->kind));
			index_bad = true;
		}
		if (tc) {
			/* The templates' files keep their own keys (tf->once). */
			tc->index_once = (struct mark){ ipath, 0, 0 };
			diags_mark_once(d, from, &tc->index_once);
			tc->index = idx;
			tc->index_loaded = true;
			tc->ents = ents;
			tc->nents = nents;
			tc->index_bad = index_bad;
		}
	}
	if (!idx) {
		tctx_free(&c);
		return -1;
	}
	/* Pass 1: the list of outputs. */
	if (index_bad)
		c.env.failed = true;
	c.pass1 = arena_new();
	for (size_t i = 0; i < nents; i++)
		index_expand(&c, &ents[i]);
	/* In pass 1's arena, sized once: growing a hashmap on the heap
	 * rehashed 40,000 paths into ever larger tables, all new pages. */
	struct strset paths;
	strset_init(&paths, c.pass1, c.nouts);
	for (size_t i = 0; i < c.nouts; i++) {
		struct orec *o = orec_at(&c, i);
		if (!tmpl_path_ok(o->path, strlen(o->path))) {
			tmpl_err(&c.env, &o->ie->path->mark, "tmpl-path",
			     "output paths are relative to the output directory, without '..', '.', "
			     "empty components, a leading '/', backslashes or control characters",
			     "output path '%s' is not a safe relative path", o->path);
			orec_more(&c, o)->bad = true;
		} else if (strset_add(&paths, o->path, strlen(o->path), i, orec_path, &c) != i) {
			tmpl_err(&c.env, &o->ie->path->mark, "tmpl-path",
			     "make the path depend on the loop variable (or the 'if' exclusive)",
			     "two outputs have the path '%s'", o->path);
			orec_more(&c, o)->bad = true;
		}
	}
	arena_free(c.pass1);
	c.pass1 = NULL;
	/* Pass 2: instantiate. */
	c.have_index = true;
	/* A cache keeps its scratch arena: validate renders 1,000 small specs,
	 * and a fresh arena each time costs more than the render. */
	struct arena *scratch = NULL;
	if (fn && tc) {
		if (!tc->scratch)
			tc->scratch = arena_new();
		scratch = tc->scratch;
	} else if (fn) {
		scratch = arena_new();
	}
	struct arena *parts_arena = NULL; /* outputs in parts, made when one is */
	/* Handed to fn one at a time, the outputs need no array (40,000 of
	 * them for 10,000 users). */
	struct tmpl_output one;
	if (!fn)
		out->items = arena_alloc(a, (c.nouts ? c.nouts : 1) * sizeof *out->items);
	for (size_t i = 0; i < c.nouts; i++) {
		struct orec *o = orec_at(&c, i);
		struct tmpl_output *t = fn ? &one : &out->items[out->n++];
		if (fn)
			memset(t, 0, sizeof *t);
		t->path = o->path;
		const struct ientry *ie = o->ie;
		const struct ointo *into = o->more ? o->more->into : NULL;
		struct tfile *tf = o->more && o->more->bad ? NULL : ie->tf;
		t->header = ie->header;
		t->into = into ? into->path : NULL;
		t->into_mark = into ? into->mark : (struct mark){ 0 };
		t->template_path = tf ? tf->full : NULL;
		t->path_mark = ie->path->mark;
		if (!tf || !tf->root)
			continue;
		if (tf->root->src)
			t->doc_mark = tf->root->src->mark;
		struct scope s[2];
		const struct scope *sc = NULL;
		const char *names[2] = { ie->v1, ie->v2 };
		const struct value *vals[2] = { o->val, o->more ? o->more->val2 : NULL };
		for (int j = 0; j < (ie->forv ? ie->v2 ? 2 : 1 : 0); j++) {
			s[j] = (struct scope){ names[j], vals[j], sc };
			sc = &s[j];
		}
		c.current = i;
		if (!fn) {
			t->doc = inst(&c, tf->root, sc);
			continue;
		}
		c.env.a = scratch;
		c.scratch = scratch;
		bool failed_before = c.env.failed;
		c.env.failed = false;
		enum vkind rk = tf->root->kind == TN_SEQ ? V_SEQ : V_MAP;
		if (in_parts && loops_at_top(tf->root) && in_parts(o->path, rk)) {
			if (!parts_arena)
				parts_arena = arena_new();
			const struct mark *rm = &tf->root->src->mark;
			struct parts p = { parts_arena, rk == V_SEQ ? v_seq(scratch, rm) : v_map(scratch, rm),
					   t, fn, fctx, scratch, { 0 }, NULL, 0, 0 };
			if (rk == V_MAP)
				strset_init(&p.keys, scratch, PART_ITEMS);
			c.parts = &p;
			inst_in_parts(&c, tf->root, sc);
			c.parts = NULL;
		} else {
			if (!try_lines(&c, tf, o->path, sc, t)) {
				t->doc = inst(&c, tf->root, sc);
				if (c.env.failed)
					t->doc = NULL;
			}
			fn(fctx, t);
		}
		c.env.failed |= failed_before;
		t->doc = NULL;
		arena_clear(scratch);
		c.env.a = a;
	}
	if (!tc)
		arena_free(scratch);
	arena_free(parts_arena);
	bool failed = c.env.failed;
	tctx_free(&c);
	return failed ? -1 : 0;
}
