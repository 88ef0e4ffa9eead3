/* tmpl_lines.c - a flat template's line plan (tmpl_compiled.h, struct
 * lplan): what a key=value output is, line by line, made once per
 * template and format.
 *
 * A client file is a dozen lines, most of them fixed text; made as a
 * tree it cost 11,000 instructions (a mapping built, its keys checked
 * for duplicates, escaped, every line written by walking it), a third of
 * a render of 10,000 users.  The plan keeps the order the tree's lines
 * would have, its keys escaped and its fixed lines written by the
 * format's own code (emit.h, struct emit_lines), so the bytes are the
 * same; only the values are left to compute.  Whatever the plan cannot
 * say for sure is left to the tree, which reports it: a template that is
 * not such a mapping gets no plan, and a render that meets a surprise
 * (a failed expression, a value that is not a scalar, a key twice) makes
 * the tree instead (template.c).
 */
#include "tmpl_compiled.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"

struct builder {
	struct arena *a;
	const struct emit_lines *el;
	struct diags d; /* what the format's code says of a fixed line: not reported */
	struct buf b;
	const struct value *keys[LPLAN_MAX_KEYS];
	unsigned nkeys;
};

/* The number of key k (raw text: the tree's duplicate check compares
 * that), or -1 past LPLAN_MAX_KEYS. */
static int key_number(struct builder *bd, const struct value *k)
{
	for (unsigned i = 0; i < bd->nkeys; i++)
		if (bd->keys[i]->str.len == k->str.len && !memcmp(bd->keys[i]->str.s, k->str.s, k->str.len))
			return (int)i;
	if (bd->nkeys == LPLAN_MAX_KEYS)
		return -1;
	bd->keys[bd->nkeys] = k;
	return (int)bd->nkeys++;
}

/* The variables an entry's expressions read (struct lent, names). */
struct names {
	const char **v;
	size_t n, cap;
	bool include;
};

static void saw_name(void *ctx, const char *name, bool is_include)
{
	struct names *ns = ctx;
	if (is_include) {
		ns->include = true;
		return;
	}
	for (size_t i = 0; i < ns->n; i++)
		if (!strcmp(ns->v[i], name))
			return;
	if (ns->n == ns->cap) {
		ns->cap = ns->cap ? 2 * ns->cap : 4;
		ns->v = xrealloc(ns->v, ns->cap * sizeof *ns->v);
	}
	ns->v[ns->n++] = name;
}

/* Does e read only the model and the loop variables?  include() and
 * files() report their own errors and keep memos: left to the tree. */
static bool plain_expr(struct names *ns, const struct expr *e)
{
	return e && expr_names(e, saw_name, ns) && !ns->include;
}

static bool plain_value(struct names *ns, const struct tnode *t)
{
	if (t->kind == TN_EXPR)
		return plain_expr(ns, t->e);
	if (t->kind != TN_INTERP)
		return false;
	for (size_t i = 0; i < t->nparts; i++)
		if (!t->parts[i].lit && !plain_expr(ns, t->parts[i].e))
			return false;
	return true;
}

/* Keep ns's names in e (in the plan's arena); true for the caller's
 * result ok, which it passes on. */
static bool keep_names(struct builder *bd, struct names *ns, struct lent *e, bool ok)
{
	if (ok && ns->n) {
		e->names = arena_alloc(bd->a, ns->n * sizeof *e->names);
		memcpy(e->names, ns->v, ns->n * sizeof *e->names);
		e->nnames = ns->n;
	}
	free(ns->v);
	return ok;
}

static bool is_scalar(const struct value *v)
{
	return v->kind == V_BOOL || v->kind == V_INT || v->kind == V_FLOAT || v->kind == V_STRING;
}

static struct lent *add(struct lent **ents, size_t *n, size_t *cap)
{
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		*ents = xrealloc(*ents, *cap * sizeof **ents);
	}
	struct lent *e = &(*ents)[(*n)++];
	memset(e, 0, sizeof *e);
	return e;
}

/* The escaped key of k into bd->b (reset); false if the format cannot
 * write it or it is one key too many. */
static bool key_text(struct builder *bd, const struct value *k, struct lent *e)
{
	int num = k->kind == V_STRING ? key_number(bd, k) : -1;
	buf_reset(&bd->b);
	if (num < 0 || bd->el->key(&bd->b, k, &bd->d) < 0)
		return false;
	e->key = (unsigned)num;
	return true;
}

/* A line of fixed text: key k, scalar v. */
static bool fixed_line(struct builder *bd, const struct value *k, const struct value *v, struct lent *e)
{
	if (!is_scalar(v) || !key_text(bd, k, e))
		return false;
	size_t klen = bd->b.len;
	char *key = arena_strndup(bd->a, bd->b.data ? bd->b.data : "", klen);
	buf_reset(&bd->b);
	if (bd->el->line(&bd->b, key, klen, v, &bd->d) < 0)
		return false;
	e->kind = LN_TEXT;
	e->text = arena_strndup(bd->a, bd->b.data, bd->b.len);
	e->len = bd->b.len;
	return true;
}

static const struct lplan *plan(struct builder *bd, const struct tnode *t);

/* A directive's body: a mapping, or nothing. */
static bool body(struct builder *bd, const struct tnode *t, const struct lplan **out)
{
	if (!t) {
		*out = NULL;
		return true;
	}
	if (!t->src || t->src->kind != V_MAP)
		return false;
	return (*out = plan(bd, t)) != NULL;
}

static bool entry(struct builder *bd, const struct tent *en, struct lent *e)
{
	switch (en->kind) {
	case EN_PLAIN: {
		if (!en->key || en->key->kind != TN_STATIC || !en->val)
			return false;
		const struct value *k = en->key->src;
		if (en->val->kind == TN_STATIC)
			return fixed_line(bd, k, en->val->src, e);
		struct names ns = { 0 };
		if (!plain_value(&ns, en->val) || !key_text(bd, k, e))
			return keep_names(bd, &ns, e, false);
		e->kind = LN_VALUE;
		e->text = arena_strndup(bd->a, bd->b.data, bd->b.len);
		e->len = bd->b.len;
		e->val = en->val;
		return keep_names(bd, &ns, e, true);
	}
	case EN_IF: {
		e->kind = LN_IF;
		e->en = en;
		struct names ns = { 0 };
		bool ok = plain_expr(&ns, en->e) && body(bd, en->val, &e->then) && body(bd, en->els, &e->els);
		return keep_names(bd, &ns, e, ok);
	}
	case EN_FOR:
		break;
	}
	return false;
}

static const struct lplan *plan(struct builder *bd, const struct tnode *t)
{
	struct lent *ents = NULL;
	size_t n = 0, cap = 0;
	bool ok = true;
	if (t->kind == TN_STATIC && t->src->kind == V_MAP) {
		for (size_t i = 0; ok && i < t->src->map.n; i++)
			ok = fixed_line(bd, t->src->map.items[i].key, t->src->map.items[i].val, add(&ents, &n, &cap));
	} else if (t->kind == TN_MAP) {
		for (size_t i = 0; ok && i < t->nents; i++)
			ok = entry(bd, &t->ents[i], add(&ents, &n, &cap));
	} else {
		ok = false;
	}
	struct lplan *p = NULL;
	if (ok) {
		p = arena_alloc(bd->a, sizeof *p);
		p->n = n;
		p->ents = arena_alloc(bd->a, (n ? n : 1) * sizeof *p->ents);
		if (n)
			memcpy(p->ents, ents, n * sizeof *ents);
	}
	free(ents);
	return p;
}

const struct lplan *tmpl_lines_plan(struct arena *a, const struct tnode *root, const struct emit_lines *el)
{
	/* A template without expressions is its own tree: nothing to plan. */
	if (!root || root->kind != TN_MAP || !el)
		return NULL;
	struct builder bd = { .a = a, .el = el, .b = BUF_INIT };
	struct arena *scratch = arena_new();
	diags_init(&bd.d, scratch);
	const struct lplan *p = plan(&bd, root);
	diags_free(&bd.d);
	arena_free(scratch);
	buf_free(&bd.b);
	return p;
}
