/* diff_cause.c - which spec change caused each difference of a diff.
 *
 * Design: the cause of a rendered difference is found by rendering, not
 * by tracing values through templates.  Many rendered values are derived
 * by the model from several spec values (ACLs from a user's topics,
 * object names from topic names, replication factors from the broker
 * count) and many reach an output through text interpolation, so a mark
 * on a rendered node does not say which spec value decided it.  What does
 * is an experiment: the two specs are compared into edits (a value
 * changed, added or removed), each edit is applied alone to the old spec
 * and rendered, and that render is compared with the old render.  A
 * difference of the full diff belongs to the edit whose own diff has the
 * same difference (same object, path, old and new value); failing that,
 * the same object and path; else to the edits together (an interaction,
 * or an edit that is not valid alone, such as renaming a topic that users
 * name).  Dangers are matched the same way (id, object, path), so each
 * has the spec position of its cause.  One edit needs no render: every
 * difference is its own.  Cost: one render per edit, at most
 * CAUSE_MAX_EDITS.
 */
#include "diff.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "cli.h"
#include "emit.h"
#include "emit_common.h"
#include "diff_lines.h"
#include "load.h"

/* More edits than this are not rendered one by one (the diff is then
 * printed per object, as without an old spec). */
#define CAUSE_MAX_EDITS 64

/* ---------------------------------------------------------------- spec edits */

/* How to reach a child from its parent: a mapping key or a list index,
 * in the old tree and in the new (for an item one side lacks, where it
 * would go in that side's list). */
struct step {
	const char *key; /* NULL: index */
	size_t index, nindex;
};

struct edit {
	struct spec_change ch;
	struct step *steps;
	size_t nsteps;
};

struct ectx {
	struct arena *a;
	struct buf path;
	struct step *steps;
	size_t nsteps, stepcap;
	struct edit *out;
	size_t n, cap;
	struct mark anchor; /* key of the nearest mapping entry on the new side */
};

static void push_step(struct ectx *e, const char *key, size_t index, size_t nindex)
{
	if (e->nsteps == e->stepcap) {
		size_t cap = e->stepcap ? e->stepcap * 2 : 16;
		e->steps = xrealloc(e->steps, cap * sizeof *e->steps);
		e->stepcap = cap;
	}
	e->steps[e->nsteps++] = (struct step){ key, index, nindex };
}

static void add_edit(struct ectx *e, enum spec_edit kind, const struct value *old, const struct value *new)
{
	if (e->n == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 16;
		e->out = arena_realloc(e->a, e->out, e->cap * sizeof *e->out, cap * sizeof *e->out);
		e->cap = cap;
	}
	struct edit *d = &e->out[e->n++];
	memset(d, 0, sizeof *d);
	d->ch.kind = kind;
	d->ch.path = arena_strndup(e->a, e->path.data ? e->path.data : "", e->path.len);
	d->ch.old = old;
	d->ch.new = new;
	d->ch.at = new && new->mark.line ? new->mark : e->anchor;
	d->nsteps = e->nsteps;
	d->steps = arena_alloc(e->a, (e->nsteps ? e->nsteps : 1) * sizeof *d->steps);
	if (e->nsteps)
		memcpy(d->steps, e->steps, e->nsteps * sizeof *d->steps);
}

static bool all_scalars(const struct value *seq)
{
	for (size_t i = 0; i < seq->seq.n; i++)
		if (!v_is_scalar(seq->seq.items[i]))
			return false;
	return true;
}

/* A scalar's text as a list key, or NULL. */
static const char *key_of(struct arena *a, const struct value *item, const char *field)
{
	const struct value *k = map_get(item, field);
	if (!k)
		return NULL;
	if (k->kind == V_STRING)
		return k->str.s;
	if (k->kind == V_INT)
		return arena_printf(a, "%lld", k->i);
	return NULL;
}

/* Every item of both lists has this field, a scalar, distinct within its list. */
static bool keyed_by(struct arena *a, const struct value *x, const struct value *y, const char *field)
{
	const struct value *lists[2] = { x, y };
	for (int l = 0; l < 2; l++)
		for (size_t i = 0; i < lists[l]->seq.n; i++) {
			const char *k = key_of(a, lists[l]->seq.items[i], field);
			if (!k)
				return false;
			for (size_t j = 0; j < i; j++)
				if (!strcmp(k, key_of(a, lists[l]->seq.items[j], field)))
					return false;
		}
	return true;
}

static size_t find_keyed(struct arena *a, const struct value *seq, const char *field, const char *k)
{
	for (size_t i = 0; i < seq->seq.n; i++)
		if (!strcmp(key_of(a, seq->seq.items[i], field), k))
			return i;
	return (size_t)-1;
}

static void edits_of(struct ectx *e, const struct value *old, const struct value *new);

static void edits_map(struct ectx *e, const struct value *old, const struct value *new)
{
	size_t len = e->path.len;
	struct mark anchor = e->anchor;
	for (size_t i = 0; i < old->map.n; i++) {
		const struct pair *p = &old->map.items[i];
		const struct pair *q = map_get_pair(new, p->key->str.s);
		path_put_key(&e->path, p->key->str.s, p->key->str.len);
		push_step(e, p->key->str.s, 0, 0);
		if (q) {
			e->anchor = q->key->mark;
			edits_of(e, p->val, q->val);
		} else {
			add_edit(e, SPEC_REMOVED, p->val, NULL);
		}
		e->nsteps--;
		e->path.len = len;
		e->anchor = anchor;
	}
	for (size_t i = 0; i < new->map.n; i++) {
		const struct pair *q = &new->map.items[i];
		if (map_get_pair(old, q->key->str.s))
			continue;
		path_put_key(&e->path, q->key->str.s, q->key->str.len);
		push_step(e, q->key->str.s, 0, 0);
		e->anchor = q->key->mark;
		add_edit(e, SPEC_ADDED, NULL, q->val);
		e->nsteps--;
		e->path.len = len;
		e->anchor = anchor;
	}
}

static void edits_seq(struct ectx *e, const struct value *old, const struct value *new)
{
	static const char *const fields[] = { "name", "nodeId", "id" };
	size_t len = e->path.len;
	if (all_scalars(old) && all_scalars(new)) {
		if (!v_equal(old, new))
			add_edit(e, SPEC_CHANGED, old, new);
		return;
	}
	const char *field = NULL;
	for (size_t k = 0; k < sizeof fields / sizeof *fields && !field; k++)
		if (keyed_by(e->a, old, new, fields[k]))
			field = fields[k];
	if (!field) {
		/* by position */
		size_t n = old->seq.n > new->seq.n ? old->seq.n : new->seq.n;
		for (size_t i = 0; i < n; i++) {
			buf_printf(&e->path, "[%zu]", i);
			push_step(e, NULL, i, i);
			if (i < old->seq.n && i < new->seq.n)
				edits_of(e, old->seq.items[i], new->seq.items[i]);
			else if (i < old->seq.n)
				add_edit(e, SPEC_REMOVED, old->seq.items[i], NULL);
			else
				add_edit(e, SPEC_ADDED, NULL, new->seq.items[i]);
			e->nsteps--;
			e->path.len = len;
		}
		return;
	}
	size_t kept = 0; /* new items matched so far: where a removed one would go */
	for (size_t i = 0; i < old->seq.n; i++) {
		const char *k = key_of(e->a, old->seq.items[i], field);
		size_t j = find_keyed(e->a, new, field, k);
		path_put_item_key(&e->path, field, k);
		push_step(e, NULL, i, j != (size_t)-1 ? j : kept);
		kept += j != (size_t)-1;
		if (j != (size_t)-1)
			edits_of(e, old->seq.items[i], new->seq.items[j]);
		else
			add_edit(e, SPEC_REMOVED, old->seq.items[i], NULL);
		e->nsteps--;
		e->path.len = len;
	}
	/* an added item goes after the old items that precede it in the new list */
	size_t before = 0;
	for (size_t j = 0; j < new->seq.n; j++) {
		const char *k = key_of(e->a, new->seq.items[j], field);
		size_t i = find_keyed(e->a, old, field, k);
		if (i != (size_t)-1) {
			before = i + 1;
			continue;
		}
		path_put_item_key(&e->path, field, k);
		push_step(e, NULL, before, j);
		add_edit(e, SPEC_ADDED, NULL, new->seq.items[j]);
		e->nsteps--;
		e->path.len = len;
	}
}

static void edits_of(struct ectx *e, const struct value *old, const struct value *new)
{
	if (old->kind == V_MAP && new->kind == V_MAP)
		edits_map(e, old, new);
	else if (old->kind == V_SEQ && new->kind == V_SEQ)
		edits_seq(e, old, new);
	else if (!v_equal(old, new))
		add_edit(e, SPEC_CHANGED, old, new);
}

/* Values longer than this are not quoted in a change's one-line text. */
#define CHANGE_TEXT_MAX 72

const char *spec_change_text(struct arena *a, const struct spec_change *ch)
{
	const char *o = ch->old ? value_compact(a, ch->old) : NULL, *n = ch->new ? value_compact(a, ch->new) : NULL;
	switch (ch->kind) {
	case SPEC_ADDED:
		return strlen(n) <= CHANGE_TEXT_MAX ? arena_printf(a, "%s added: %s", ch->path, n)
						    : arena_printf(a, "%s added", ch->path);
	case SPEC_REMOVED:
		return strlen(o) <= CHANGE_TEXT_MAX ? arena_printf(a, "%s removed (was %s)", ch->path, o)
						    : arena_printf(a, "%s removed", ch->path);
	default:
		return strlen(o) + strlen(n) <= CHANGE_TEXT_MAX ? arena_printf(a, "%s: %s -> %s", ch->path, o, n)
								: arena_printf(a, "%s changed", ch->path);
	}
}

/* ---------------------------------------------------------------- one edit applied */

/* node with the edit applied below it (reverse: node is the new spec, and
 * the edit is undone there): the spine is copied, the rest shared. */
static struct value *apply(struct arena *a, const struct value *node, const struct edit *d, size_t k,
			   bool reverse)
{
	const struct step *s = &d->steps[k];
	bool last = k + 1 == d->nsteps;
	enum spec_edit kind = !reverse ? d->ch.kind
			      : d->ch.kind == SPEC_ADDED ? SPEC_REMOVED
			      : d->ch.kind == SPEC_REMOVED ? SPEC_ADDED : SPEC_CHANGED;
	struct value *put = (struct value *)(reverse ? d->ch.old : d->ch.new);
	size_t index = reverse ? s->nindex : s->index;
	struct value *copy = arena_alloc(a, sizeof *copy);
	*copy = *node;
	if (node->kind == V_MAP) {
		copy->map.cap = node->map.n + 1;
		copy->map.items = arena_alloc(a, copy->map.cap * sizeof *copy->map.items);
		size_t w = 0;
		bool found = false;
		for (size_t i = 0; i < node->map.n; i++) {
			struct pair p = node->map.items[i];
			if (!strcmp(p.key->str.s, s->key)) {
				found = true;
				if (last && kind == SPEC_REMOVED)
					continue;
				p.val = last ? put : apply(a, p.val, d, k + 1, reverse);
			}
			copy->map.items[w++] = p;
		}
		if (!found) {
			assert(last && kind == SPEC_ADDED);
			copy->map.items[w++] = (struct pair){ v_str(a, NULL, s->key), put };
		}
		copy->map.n = w;
		return copy;
	}
	assert(node->kind == V_SEQ && index <= node->seq.n);
	copy->seq.cap = node->seq.n + 1;
	copy->seq.items = arena_alloc(a, copy->seq.cap * sizeof *copy->seq.items);
	size_t w = 0;
	bool insert = last && kind == SPEC_ADDED;
	for (size_t i = 0; i <= node->seq.n; i++) {
		if (i == index && insert)
			copy->seq.items[w++] = put;
		if (i == node->seq.n)
			break;
		struct value *item = node->seq.items[i];
		if (i == index && !insert) {
			if (last && kind == SPEC_REMOVED)
				continue;
			item = last ? put : apply(a, item, d, k + 1, reverse);
		}
		copy->seq.items[w++] = item;
	}
	copy->seq.n = w;
	return copy;
}

/* The render of spec (the old one, or with reverse the new one) with edit
 * d applied (or undone), or -1 when it does not render (its diagnostics
 * are dropped: it is only an experiment). */
static int render_edited(struct ctx *c, const struct value *base, const struct edit *d, bool reverse,
			 const char *label, const char *tdir, struct objset *out)
{
	struct value *spec = d->nsteps ? apply(c->arena, base, d, 0, reverse)
				       : (struct value *)(reverse ? d->ch.old : d->ch.new);
	struct buf b = BUF_INIT;
	size_t from = c->diags.n;
	int rc = -1;
	if (emit_yaml(&b, spec, &c->diags) == 0) {
		const char *text = arena_strndup(c->arena, b.data ? b.data : "", b.len);
		rc = objset_from_spec_text(c, label, "(one edit)", text, b.len, tdir, out, NULL);
	}
	buf_free(&b);
	diags_drop_since(&c->diags, from);
	return rc;
}

/* ---------------------------------------------------------------- matching */

static bool same_side(const struct value *x, const struct value *y)
{
	return (!x && !y) || (x && y && v_equal(x, y));
}

static const struct obj_diff *find_item(const struct diff_report *r, const struct object *id)
{
	size_t lo = 0, hi = r->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = object_cmp(r->items[mid].id, id);
		if (!cmp)
			return &r->items[mid];
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* What one experiment showed: the diff from the old render to the old
 * spec with the edit alone, or (when the edit is not valid alone) from
 * the new spec without it to the new render. */
struct trial {
	struct diff_report *r; /* NULL: neither rendered */
	bool without;          /* the second kind */
};

/* Does f show in d?  Alone: the same path and values (exact), or only the
 * same path (not exact; never for an item of a set, whose path names no
 * one item).  Without: the same path and new value (the old values differ
 * when other edits touch the field too), the same old value for a removal. */
static bool field_match(const struct trial *t, const struct obj_diff *d, const struct field_change *f,
			bool exact)
{
	size_t plen = strlen(f->path);
	bool set_item = plen >= 2 && !strcmp(f->path + plen - 2, "[]");
	if (!exact && (t->without || set_item))
		return false;
	for (size_t k = 0; d && d->kind == OBJ_CHANGED && k < d->nfields; k++) {
		const struct field_change *g = &d->fields[k];
		if (strcmp(g->path, f->path) != 0)
			continue;
		if (t->without ? same_side(g->new, f->new) && (f->new || same_side(g->old, f->old))
			       : !exact || (same_side(g->old, f->old) && same_side(g->new, f->new)))
			return true;
	}
	return false;
}

static bool danger_match(const struct diff_report *r, const struct danger *g)
{
	for (size_t i = 0; i < r->ndangers; i++) {
		const struct danger *h = &r->dangers[i];
		if (!strcmp(h->id, g->id) && !object_cmp(h->obj, g->obj) &&
		    ((!h->path && !g->path) || (h->path && g->path && !strcmp(h->path, g->path))))
			return true;
	}
	return false;
}

/* Set each difference's cause from the trials: the first edit whose trial
 * shows it exactly, else the first that shows its path. */
static void assign(struct diff_report *r, const struct trial *t, size_t n)
{
	for (size_t i = 0; i < r->n; i++) {
		struct obj_diff *d = &r->items[i];
		if (d->kind != OBJ_CHANGED) {
			d->cause = CAUSE_COMBINED;
			for (size_t e = 0; e < n && d->cause == CAUSE_COMBINED; e++) {
				const struct obj_diff *m = t[e].r ? find_item(t[e].r, d->id) : NULL;
				if (m && m->kind == d->kind)
					d->cause = e + 1;
			}
			continue;
		}
		for (size_t k = 0; k < d->nfields; k++) {
			struct field_change *f = &d->fields[k];
			f->cause = CAUSE_COMBINED;
			for (int exact = 1; exact >= 0 && f->cause == CAUSE_COMBINED; exact--)
				for (size_t e = 0; e < n && f->cause == CAUSE_COMBINED; e++)
					if (t[e].r && field_match(&t[e], find_item(t[e].r, d->id), f, exact))
						f->cause = e + 1;
		}
	}
	for (size_t i = 0; i < r->ndangers; i++) {
		struct danger *g = &r->dangers[i];
		g->cause = CAUSE_COMBINED;
		for (size_t e = 0; e < n && g->cause == CAUSE_COMBINED; e++)
			if (t[e].r && danger_match(t[e].r, g))
				g->cause = e + 1;
	}
}

int diff_attribute(struct ctx *c, struct diff_report *r, const struct out_shapes *shapes,
		   const struct objset *old_render, const struct objset *new_render,
		   const struct value *old_spec, const struct value *new_spec, const char *label,
		   const char *tdir)
{
	struct ectx e = { .a = c->arena, .anchor = new_spec->mark };
	edits_of(&e, old_spec, new_spec);
	buf_free(&e.path);
	free(e.steps);
	if (e.n > CAUSE_MAX_EDITS)
		return -1;
	r->changes = arena_alloc(c->arena, (e.n ? e.n : 1) * sizeof *r->changes);
	r->nchanges = e.n;
	struct trial *t = arena_alloc(c->arena, (e.n ? e.n : 1) * sizeof *t);
	for (size_t i = 0; i < e.n; i++) {
		t[i] = (struct trial){ NULL, false };
		r->changes[i] = e.out[i].ch;
		if (e.n == 1) {
			/* the only edit: every difference is its own */
			t[i].r = r;
			r->changes[i].isolated = true;
			continue;
		}
		struct objset one = { 0 };
		const char *l = arena_printf(c->arena, "%s with only %s", label, e.out[i].ch.path);
		if (render_edited(c, old_spec, &e.out[i], false, l, tdir, &one) == 0) {
			t[i].r = arena_alloc(c->arena, sizeof *t[i].r);
			diff_objsets(c->arena, shapes, old_render, &one, NULL, NULL, t[i].r);
			r->changes[i].isolated = true;
			continue;
		}
		one = (struct objset){ 0 };
		l = arena_printf(c->arena, "%s without %s", new_spec->mark.file, e.out[i].ch.path);
		if (render_edited(c, new_spec, &e.out[i], true, l, tdir, &one) == 0) {
			t[i].r = arena_alloc(c->arena, sizeof *t[i].r);
			t[i].without = true;
			diff_objsets(c->arena, shapes, &one, new_render, NULL, NULL, t[i].r);
		}
	}
	assign(r, t, e.n);
	for (size_t i = 0; i < e.n && !r->together_at; i++)
		if (!t[i].r)
			r->together_at = i + 1;
	if (!r->together_at && e.n)
		r->together_at = 1;
	r->attributed = true;
	return 0;
}
