/* tmpl_lines.c - a template's line plan (tmpl_compiled.h, struct lplan):
 * what an output of fixed keys is, entry by entry, made once per template
 * and format.
 *
 * A client file is a dozen lines, most of them fixed text; made as a
 * tree it cost 11,000 instructions (a mapping built, its keys checked
 * for duplicates, escaped, every line written by walking it), a third of
 * a render of 10,000 users; a KafkaUser, 16,000, a fifth.  The plan keeps
 * the order the tree's entries would have, its keys and its fixed
 * entries written once by the format's own code (emit.h, struct
 * emit_lines), so the bytes are the same; only the values are left to
 * compute and write.  Whatever the plan cannot say for sure is left to
 * the tree, which reports it: a template that is not such a mapping gets
 * no plan, and a render that meets a surprise (a failed expression, a
 * value the format refuses, a key twice) makes the tree instead
 * (template.c).
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
	struct diags d; /* what the format's code says of a fixed entry: not reported */
	struct buf b;
	/* The keys numbered so far, each with the mapping it is in. */
	struct {
		const struct value *k;
		unsigned map;
	} keys[LPLAN_MAX_KEYS];
	unsigned nkeys, nmaps;
};

/* The number of key k of mapping map (raw text: the tree's duplicate
 * check compares that), or -1 past LPLAN_MAX_KEYS. */
static int key_number(struct builder *bd, const struct value *k, unsigned map)
{
	for (unsigned i = 0; i < bd->nkeys; i++)
		if (bd->keys[i].map == map && bd->keys[i].k->str.len == k->str.len &&
		    !memcmp(bd->keys[i].k->str.s, k->str.s, k->str.len))
			return (int)i;
	if (bd->nkeys == LPLAN_MAX_KEYS)
		return -1;
	bd->keys[bd->nkeys].k = k;
	bd->keys[bd->nkeys].map = map;
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

/* Does e read only the model, the loop variables and included files of a
 * fixed path?  files() and a computed include() are left to the tree. */
static bool plain_expr(struct names *ns, const struct expr *e)
{
	return e && expr_names(e, saw_name, ns);
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

/* Keep ns's names in e (in the plan's arena); an include() reads what
 * its file reads, which only the render knows: e is never kept for the
 * render then.  Returns ok. */
static bool keep_names(struct builder *bd, struct names *ns, struct lent *e, bool ok)
{
	if (ok && ns->n) {
		e->names = arena_alloc(bd->a, ns->n * sizeof *e->names);
		memcpy(e->names, ns->v, ns->n * sizeof *e->names);
		e->nnames = ns->n;
	}
	e->opaque = ns->include;
	free(ns->v);
	return ok;
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

/* Where the entries of a mapping go. */
struct at {
	int ind, depth;
	unsigned map;
};

/* The key of k (with its indentation: YAML) into bd->b (reset); false if
 * the format cannot write it or it is one key too many. */
static bool key_text(struct builder *bd, const struct value *k, const struct at *at, struct lent *e)
{
	int num = k->kind == V_STRING ? key_number(bd, k, at->map) : -1;
	buf_reset(&bd->b);
	if (num < 0 || bd->el->key(&bd->b, k, at->ind, &bd->d) < 0)
		return false;
	e->key = (unsigned)num;
	e->ind = at->ind;
	e->depth = at->depth;
	return true;
}

/* A fixed entry: key k, value v (a template's static subtree). */
static bool fixed_entry(struct builder *bd, const struct value *k, const struct value *v, const struct at *at,
			struct lent *e)
{
	if (!key_text(bd, k, at, e))
		return false;
	size_t klen = bd->b.len;
	char *key = arena_strndup(bd->a, bd->b.data ? bd->b.data : "", klen);
	buf_reset(&bd->b);
	const struct emit_place place = { at->ind, at->depth, NULL };
	if (bd->el->line(&bd->b, key, klen, v, &place, &bd->d) < 0)
		return false;
	e->kind = LN_TEXT;
	e->text = arena_strndup(bd->a, bd->b.data, bd->b.len);
	e->len = bd->b.len;
	return true;
}

static const struct lplan *plan(struct builder *bd, const struct tnode *t, const struct at *at);

/* A directive's body (NULL: none): more entries of the same mapping. */
static bool body(struct builder *bd, const struct tnode *t, const struct at *at, const struct lplan **out)
{
	*out = NULL;
	if (!t)
		return true;
	return t->src && t->src->kind == V_MAP && (*out = plan(bd, t, at)) != NULL;
}

static bool entry(struct builder *bd, const struct tent *en, const struct at *at, struct lent *e)
{
	switch (en->kind) {
	case EN_PLAIN: {
		if (!en->key || en->key->kind != TN_STATIC || !en->val)
			return false;
		const struct value *k = en->key->src;
		const struct tnode *t = en->val;
		if (t->kind == TN_STATIC)
			return fixed_entry(bd, k, t->src, at, e);
		if (t->kind == TN_MAP && bd->el->nests) {
			/* Its entries below its key, in a mapping of their own. */
			if (!key_text(bd, k, at, e) || bd->nmaps == LPLAN_MAX_KEYS)
				return false;
			e->kind = LN_MAP;
			e->text = arena_strndup(bd->a, bd->b.data, bd->b.len);
			e->len = bd->b.len;
			struct at in = { at->ind + 2, at->depth + 1, bd->nmaps++ };
			return (e->then = plan(bd, t, &in)) != NULL;
		}
		struct names ns = { 0 };
		if (!plain_value(&ns, t) || !key_text(bd, k, at, e))
			return keep_names(bd, &ns, e, false);
		e->kind = LN_VALUE;
		e->text = arena_strndup(bd->a, bd->b.data, bd->b.len);
		e->len = bd->b.len;
		e->val = t;
		return keep_names(bd, &ns, e, true);
	}
	case EN_IF: {
		e->kind = LN_IF;
		e->en = en;
		struct names ns = { 0 };
		bool ok = plain_expr(&ns, en->e) && body(bd, en->val, at, &e->then) && body(bd, en->els, at, &e->els);
		return keep_names(bd, &ns, e, ok);
	}
	case EN_FOR:
		break;
	}
	return false;
}

/* A mapping's entries, at. */
static const struct lplan *plan(struct builder *bd, const struct tnode *t, const struct at *at)
{
	struct lent *ents = NULL;
	size_t n = 0, cap = 0;
	bool ok = true;
	if (t->kind == TN_STATIC && t->src->kind == V_MAP) {
		for (size_t i = 0; ok && i < t->src->map.n; i++)
			ok = fixed_entry(bd, t->src->map.items[i].key, t->src->map.items[i].val, at,
					 add(&ents, &n, &cap));
	} else if (t->kind == TN_MAP) {
		for (size_t i = 0; ok && i < t->nents; i++)
			ok = entry(bd, &t->ents[i], at, add(&ents, &n, &cap));
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
	struct builder bd = { .a = a, .el = el, .b = BUF_INIT, .nmaps = 1 };
	struct arena *scratch = arena_new();
	diags_init(&bd.d, scratch);
	const struct at top = { 0, 0, 0 };
	const struct lplan *p = plan(&bd, root, &top);
	diags_free(&bd.d);
	arena_free(scratch);
	buf_free(&bd.b);
	return p;
}
