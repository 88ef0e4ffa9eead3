/* diff.c - the semantic diff engine (see diff.h).
 *
 * Two sorted object sets are merged by identity; each pair present on both
 * sides is compared as trees.  Mappings are compared key by key, whatever
 * the key order.  How a list is compared comes from list_rules below, a
 * table of path patterns: by a key field (listeners by name), as a set
 * (ACLs: order carries no meaning), or else by position.
 */
#include "diff.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "cli.h"
#include "emit_common.h"

/* Patterns are map keys joined with '.', list levels left out; "**"
 * matches any number of keys.  The output's own rules (declared in
 * files.yaml, shape.h) come first, then these of the Kubernetes API; the
 * first matching rule wins.  A keyed list whose items do not all have a
 * distinct scalar key is compared by position instead. */
static const struct list_rule list_rules[] = {
	/* Kubernetes objects */
	{ "spec.kafka.listeners", LIST_KEYED, "name" },
	{ "spec.kafka.listeners.configuration.brokers", LIST_KEYED, "broker" },
	{ "spec.kafka.authorization.superUsers", LIST_SET, NULL },
	{ "**.storage.volumes", LIST_KEYED, "id" },
	{ "spec.roles", LIST_SET, NULL },
	{ "spec.authorization.acls", LIST_SET, NULL },
	{ "spec.authorization.acls.operations", LIST_SET, NULL },
	{ "**.containers", LIST_KEYED, "name" },
	{ "**.initContainers", LIST_KEYED, "name" },
	{ "**.env", LIST_KEYED, "name" },
	{ "**.ports", LIST_KEYED, "name" },
	{ "**.volumeMounts", LIST_KEYED, "mountPath" },
	{ "**.volumes", LIST_KEYED, "name" },
	{ "**.tolerations", LIST_SET, NULL },
	{ "**.matchExpressions", LIST_SET, NULL },
	{ "**.matchExpressions.values", LIST_SET, NULL },
	{ "**.imagePullSecrets", LIST_KEYED, "name" },
	{ "spec.dnsNames", LIST_SET, NULL },
	{ "spec.ipAddresses", LIST_SET, NULL },
	{ "spec.subject.organizations", LIST_SET, NULL },
	{ "**.alternativeNames", LIST_SET, NULL },
	{ "spec.rules", LIST_KEYED, "host" },
	{ "spec.tls", LIST_KEYED, "secretName" },
	{ "spec.tls.hosts", LIST_SET, NULL },
};

/* ---------------------------------------------------------------- paths */

struct dctx {
	struct arena *a;
	struct buf path;       /* the display path being built */
	const char **segs;     /* map keys on the way (lists left out) */
	size_t nsegs, segcap;
	struct field_change *out;
	size_t n, cap;
	bool probe;            /* only asking "any difference?": stop at the first */
	const struct out_shape *shape; /* the output's declared rules, or NULL */
};

/* Does the pattern (from p on) match segs[i..]? */
static bool pattern_match(const char *p, const char *const *segs, size_t nsegs, size_t i)
{
	if (!*p)
		return i == nsegs;
	const char *dot = strchr(p, '.');
	size_t plen = dot ? (size_t)(dot - p) : strlen(p);
	const char *rest = dot ? dot + 1 : p + plen;
	if (plen == 2 && p[0] == '*' && p[1] == '*') {
		for (size_t k = i; k <= nsegs; k++)
			if (pattern_match(rest, segs, nsegs, k))
				return true;
		return false;
	}
	if (i >= nsegs || strlen(segs[i]) != plen || memcmp(segs[i], p, plen) != 0)
		return false;
	return pattern_match(rest, segs, nsegs, i + 1);
}

static const struct list_rule *list_rule_for(const struct dctx *c)
{
	for (size_t i = 0; c->shape && i < c->shape->nlists; i++)
		if (pattern_match(c->shape->lists[i].pattern, c->segs, c->nsegs, 0))
			return &c->shape->lists[i];
	for (size_t i = 0; i < sizeof list_rules / sizeof list_rules[0]; i++)
		if (pattern_match(list_rules[i].pattern, c->segs, c->nsegs, 0))
			return &list_rules[i];
	return NULL;
}

static void push_key(struct dctx *c, const struct value *key)
{
	if (c->nsegs == c->segcap) {
		size_t cap = c->segcap ? c->segcap * 2 : 16;
		c->segs = xrealloc(c->segs, cap * sizeof *c->segs);
		c->segcap = cap;
	}
	c->segs[c->nsegs++] = key->str.s;
	path_put_key(&c->path, key->str.s, key->str.len);
}

/* A scalar list key as text ("external", "6"); NULL when not a scalar. */
static const char *key_text(struct arena *a, const struct value *v)
{
	if (!v)
		return NULL;
	switch (v->kind) {
	case V_STRING: return v->str.s;
	case V_INT: return arena_printf(a, "%lld", v->i);
	case V_BOOL: return v->b ? "true" : "false";
	default: return NULL;
	}
}

static void emit_change(struct dctx *c, const struct value *old, const struct value *new)
{
	if (c->probe) {
		c->n++;
		return;
	}
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		c->out = arena_realloc(c->a, c->out, c->cap * sizeof *c->out, cap * sizeof *c->out);
		c->cap = cap;
	}
	struct field_change *f = &c->out[c->n++];
	f->path = arena_strndup(c->a, c->path.data ? c->path.data : "", c->path.len);
	f->old = old;
	f->new = new;
	f->cause = CAUSE_NONE;
}

/* ---------------------------------------------------------------- values */

static void diff_value(struct dctx *c, const struct value *old, const struct value *new);

static bool is_number(const struct value *v)
{
	return v->kind == V_INT || v->kind == V_FLOAT;
}

static bool scalar_same(const struct value *x, const struct value *y)
{
	if (is_number(x) && is_number(y) && x->kind != y->kind)
		return (x->kind == V_INT ? (double)x->i : x->f) == (y->kind == V_INT ? (double)y->i : y->f);
	return v_equal(x, y);
}

static void diff_ordered(struct dctx *c, const struct value *old, const struct value *new)
{
	size_t len = c->path.len;
	size_t n = old->seq.n > new->seq.n ? old->seq.n : new->seq.n;
	for (size_t i = 0; i < n && !(c->probe && c->n); i++) {
		buf_printf(&c->path, "[%zu]", i);
		const struct value *o = i < old->seq.n ? old->seq.items[i] : NULL;
		const struct value *w = i < new->seq.n ? new->seq.items[i] : NULL;
		if (o && w)
			diff_value(c, o, w);
		else
			emit_change(c, o, w);
		c->path.len = len;
	}
}

/* ---------------------------------------------------------------- keyed lists */

struct keyed {
	const char *k;
	size_t idx;
};

static int keyed_cmp(const void *x, const void *y)
{
	const struct keyed *a = x, *b = y;
	int r = strcmp(a->k, b->k);
	return r ? r : (a->idx > b->idx) - (a->idx < b->idx);
}

/* Keys of every item, sorted; NULL when an item has no scalar key or two
 * items share one (the list is then compared by position). */
static struct keyed *keys_of(struct arena *a, const struct value *seq, const char *field)
{
	struct keyed *ks = arena_alloc(a, (seq->seq.n ? seq->seq.n : 1) * sizeof *ks);
	for (size_t i = 0; i < seq->seq.n; i++) {
		ks[i].k = key_text(a, map_get(seq->seq.items[i], field));
		ks[i].idx = i;
		if (!ks[i].k)
			return NULL;
	}
	qsort(ks, seq->seq.n, sizeof *ks, keyed_cmp);
	for (size_t i = 1; i < seq->seq.n; i++)
		if (!strcmp(ks[i - 1].k, ks[i].k))
			return NULL;
	return ks;
}

static const struct keyed *keyed_find(const struct keyed *ks, size_t n, const char *k)
{
	struct keyed key = { k, 0 };
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(ks[mid].k, key.k);
		if (!r)
			return &ks[mid];
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Big mappings (a Helm secrets file with a key per user) are looked up
 * through a sorted index rather than scanned for every key. */
#define MAP_INDEX_MIN 32

static struct keyed *map_index(struct arena *a, const struct value *map)
{
	struct keyed *ks = arena_alloc(a, (map->map.n ? map->map.n : 1) * sizeof *ks);
	for (size_t i = 0; i < map->map.n; i++) {
		ks[i].k = map->map.items[i].key->str.s;
		ks[i].idx = i;
	}
	qsort(ks, map->map.n, sizeof *ks, keyed_cmp);
	return ks;
}

static const struct value *map_lookup(const struct value *map, const struct keyed *index, const char *k)
{
	if (!index) {
		const struct pair *p = map_get_pair(map, k);
		return p ? p->val : NULL;
	}
	const struct keyed *m = keyed_find(index, map->map.n, k);
	return m ? map->map.items[m->idx].val : NULL;
}

static void diff_map(struct dctx *c, const struct value *old, const struct value *new)
{
	size_t len = c->path.len;
	bool big = old->map.n + new->map.n > MAP_INDEX_MIN;
	const struct keyed *oi = big ? map_index(c->a, old) : NULL, *ni = big ? map_index(c->a, new) : NULL;
	for (size_t i = 0; i < old->map.n && !(c->probe && c->n); i++) {
		const struct pair *p = &old->map.items[i];
		const struct value *q = map_lookup(new, ni, p->key->str.s);
		push_key(c, p->key);
		if (q)
			diff_value(c, p->val, q);
		else
			emit_change(c, p->val, NULL);
		c->nsegs--;
		c->path.len = len;
	}
	for (size_t i = 0; i < new->map.n && !(c->probe && c->n); i++) {
		const struct pair *q = &new->map.items[i];
		if (map_lookup(old, oi, q->key->str.s))
			continue;
		push_key(c, q->key);
		emit_change(c, NULL, q->val);
		c->nsegs--;
		c->path.len = len;
	}
}

static bool diff_keyed(struct dctx *c, const struct value *old, const struct value *new,
		       const char *field)
{
	struct keyed *ko = keys_of(c->a, old, field), *kn = keys_of(c->a, new, field);
	if (!ko || !kn)
		return false;
	size_t len = c->path.len;
	/* old order first (changed and removed items), then added ones in new order */
	for (size_t i = 0; i < old->seq.n && !(c->probe && c->n); i++) {
		const struct value *o = old->seq.items[i];
		const char *k = key_text(c->a, map_get(o, field));
		const struct keyed *m = keyed_find(kn, new->seq.n, k);
		path_put_item_key(&c->path, field, k);
		if (m)
			diff_value(c, o, new->seq.items[m->idx]);
		else
			emit_change(c, o, NULL);
		c->path.len = len;
	}
	for (size_t i = 0; i < new->seq.n && !(c->probe && c->n); i++) {
		const struct value *w = new->seq.items[i];
		const char *k = key_text(c->a, map_get(w, field));
		if (keyed_find(ko, old->seq.n, k))
			continue;
		path_put_item_key(&c->path, field, k);
		emit_change(c, NULL, w);
		c->path.len = len;
	}
	return true;
}

/* ---------------------------------------------------------------- sets */

/* A hash that ignores the order of mapping keys and of list items, so it
 * agrees with every comparison the rules can choose. */
static uint64_t vhash(const struct value *v)
{
	uint64_t h = 1469598103934665603ull ^ (uint64_t)v->kind;
	switch (v->kind) {
	case V_NULL: break;
	case V_BOOL: h ^= v->b; break;
	case V_INT: {
		double d = (double)v->i;
		uint64_t bits;
		memcpy(&bits, &d, sizeof bits);
		h = 1469598103934665603ull ^ bits ^ 0x9e37;
		break;
	}
	case V_FLOAT: {
		double d = v->f == 0.0 ? 0.0 : v->f; /* -0.0 == 0.0 */
		uint64_t bits;
		memcpy(&bits, &d, sizeof bits);
		h = 1469598103934665603ull ^ bits ^ 0x9e37;
		break;
	}
	case V_STRING:
		for (size_t i = 0; i < v->str.len; i++) {
			h ^= (unsigned char)v->str.s[i];
			h *= 1099511628211ull;
		}
		break;
	case V_SEQ:
		for (size_t i = 0; i < v->seq.n; i++)
			h += vhash(v->seq.items[i]) * 0x100000001b3ull;
		break;
	case V_MAP:
		for (size_t i = 0; i < v->map.n; i++)
			h += (vhash(v->map.items[i].key) * 31) ^ vhash(v->map.items[i].val);
		break;
	}
	return h * 0xff51afd7ed558ccdull;
}

struct hashed {
	uint64_t h;
	size_t idx;
};

static int hashed_cmp(const void *x, const void *y)
{
	const struct hashed *a = x, *b = y;
	if (a->h != b->h)
		return a->h < b->h ? -1 : 1;
	return (a->idx > b->idx) - (a->idx < b->idx);
}

/* Do x and y compare equal under the rules at the current path?  A probe
 * in c itself: the walk leaves path and segs as it found them, and a probe
 * only counts changes, so c's own changes are untouched. */
static bool same_here(struct dctx *c, const struct value *x, const struct value *y)
{
	size_t n = c->n;
	bool probe = c->probe;
	c->n = 0;
	c->probe = true;
	diff_value(c, x, y);
	bool same = c->n == 0;
	c->n = n;
	c->probe = probe;
	return same;
}

static struct hashed *hashes_of(struct arena *a, const struct value *seq)
{
	struct hashed *hs = arena_alloc(a, (seq->seq.n ? seq->seq.n : 1) * sizeof *hs);
	for (size_t i = 0; i < seq->seq.n; i++) {
		hs[i].h = vhash(seq->seq.items[i]);
		hs[i].idx = i;
	}
	qsort(hs, seq->seq.n, sizeof *hs, hashed_cmp);
	return hs;
}

static void diff_set(struct dctx *c, const struct value *old, const struct value *new)
{
	size_t no = old->seq.n, nn = new->seq.n;
	struct hashed *ho = hashes_of(c->a, old), *hn = hashes_of(c->a, new);
	bool *used_o = arena_alloc(c->a, no + 1), *used_n = arena_alloc(c->a, nn + 1);
	/* walk both hash-sorted arrays; pair equal items within a hash group */
	size_t i = 0, j = 0;
	while (i < no && j < nn) {
		if (ho[i].h < hn[j].h) {
			i++;
		} else if (ho[i].h > hn[j].h) {
			j++;
		} else {
			uint64_t h = ho[i].h;
			size_t j0 = j;
			while (j < nn && hn[j].h == h)
				j++;
			for (; i < no && ho[i].h == h; i++)
				for (size_t k = j0; k < j; k++)
					if (!used_n[hn[k].idx] &&
					    same_here(c, old->seq.items[ho[i].idx], new->seq.items[hn[k].idx])) {
						used_n[hn[k].idx] = used_o[ho[i].idx] = true;
						break;
					}
		}
	}
	size_t len = c->path.len;
	buf_puts(&c->path, "[]");
	for (size_t k = 0; k < no && !(c->probe && c->n); k++)
		if (!used_o[k])
			emit_change(c, old->seq.items[k], NULL);
	for (size_t k = 0; k < nn && !(c->probe && c->n); k++)
		if (!used_n[k])
			emit_change(c, NULL, new->seq.items[k]);
	c->path.len = len;
}

static void diff_seq(struct dctx *c, const struct value *old, const struct value *new)
{
	const struct list_rule *r = list_rule_for(c);
	if (r && r->mode == LIST_SET) {
		diff_set(c, old, new);
		return;
	}
	if (r && r->mode == LIST_KEYED && diff_keyed(c, old, new, r->key))
		return;
	diff_ordered(c, old, new);
}

static void diff_value(struct dctx *c, const struct value *old, const struct value *new)
{
	if (c->probe && c->n)
		return;
	if (old->kind == V_MAP && new->kind == V_MAP)
		diff_map(c, old, new);
	else if (old->kind == V_SEQ && new->kind == V_SEQ)
		diff_seq(c, old, new);
	else if (!scalar_same(old, new))
		emit_change(c, old, new);
}

/* ---------------------------------------------------------------- objects */

static struct obj_diff *add_item(struct arena *a, struct diff_report *r)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 32;
		r->items = arena_realloc(a, r->items, r->cap * sizeof *r->items, cap * sizeof *r->items);
		r->cap = cap;
	}
	struct obj_diff *d = &r->items[r->n++];
	memset(d, 0, sizeof *d);
	return d;
}

static void compare_pair(struct arena *a, struct diff_report *r, const struct out_shapes *shapes,
			 const struct object *o, const struct object *w)
{
	const struct out_shape *shape =
		!strcmp(w->kind, OBJ_FILE_KIND) && !*w->group ? shapes_find(shapes, w->name) : NULL;
	struct dctx c = { .a = a, .shape = shape };
	diff_value(&c, o->v, w->v);
	buf_free(&c.path);
	free(c.segs);
	if (!c.n)
		return;
	struct obj_diff *d = add_item(a, r);
	d->kind = OBJ_CHANGED;
	d->old = o;
	d->new = w;
	d->id = w;
	d->fields = c.out;
	d->nfields = c.n;
	d->shape = shape;
	r->nchanged++;
}

void diff_objsets(struct arena *a, const struct out_shapes *shapes, const struct objset *old,
		  const struct objset *new, const char *old_label, const char *new_label, struct diff_report *out)
{
	memset(out, 0, sizeof *out);
	out->old_label = old_label;
	out->new_label = new_label;
	/* sort copies: the callers' sets stay as they were */
	struct objset so = *old, sn = *new;
	so.items = arena_alloc(a, (old->n ? old->n : 1) * sizeof *so.items);
	sn.items = arena_alloc(a, (new->n ? new->n : 1) * sizeof *sn.items);
	if (old->n)
		memcpy(so.items, old->items, old->n * sizeof *so.items);
	if (new->n)
		memcpy(sn.items, new->items, new->n * sizeof *sn.items);
	objset_sort(&so);
	objset_sort(&sn);
	size_t i = 0, j = 0;
	while (i < so.n || j < sn.n) {
		/* an identity defined twice on one side: the first counts */
		if (i > 0 && i < so.n && !object_cmp(&so.items[i - 1], &so.items[i])) {
			i++;
			continue;
		}
		if (j > 0 && j < sn.n && !object_cmp(&sn.items[j - 1], &sn.items[j])) {
			j++;
			continue;
		}
		int cmp = i >= so.n ? 1 : j >= sn.n ? -1 : object_cmp(&so.items[i], &sn.items[j]);
		if (cmp < 0) {
			struct obj_diff *d = add_item(a, out);
			d->kind = OBJ_REMOVED;
			d->old = d->id = &so.items[i++];
			out->nremoved++;
		} else if (cmp > 0) {
			struct obj_diff *d = add_item(a, out);
			d->kind = OBJ_ADDED;
			d->new = d->id = &sn.items[j++];
			out->nadded++;
		} else {
			compare_pair(a, out, shapes, &so.items[i++], &sn.items[j++]);
		}
	}
	danger_check(a, out, shapes, 0, 0);
}

static int object_pcmp(const void *x, const void *y)
{
	return object_cmp(*(const struct object *const *)x, *(const struct object *const *)y);
}

void diff_add_prune(struct arena *a, struct diff_report *r, const struct objset *prune)
{
	size_t first = r->nprune;
	for (size_t i = 0; i < prune->n; i++) {
		if (r->nprune == r->prune_cap) {
			size_t cap = r->prune_cap ? r->prune_cap * 2 : 16;
			r->prune = arena_realloc(a, r->prune, r->prune_cap * sizeof *r->prune,
						 cap * sizeof *r->prune);
			r->prune_cap = cap;
		}
		struct object *copy = arena_alloc(a, sizeof *copy);
		*copy = prune->items[i];
		r->prune[r->nprune++] = copy;
	}
	qsort(r->prune + first, r->nprune - first, sizeof *r->prune, object_pcmp);
	danger_check(a, r, NULL, r->n, first);
}

void diff_accept(struct diff_report *r, const char *const *rules, size_t n, bool *used)
{
	for (size_t i = 0; i < r->ndangers; i++)
		for (size_t k = 0; k < n; k++)
			if (!strcmp(r->dangers[i].id, rules[k])) {
				if (!r->dangers[i].accepted)
					r->naccepted++;
				r->dangers[i].accepted = true;
				if (used)
					used[k] = true;
			}
}

int diff_exit_code(const struct diff_report *r)
{
	if (r->ndangers > r->naccepted)
		return EXIT_DANGER;
	return r->n || r->nprune ? EXIT_INVALID : EXIT_OK;
}

const char *diff_summary(struct arena *a, const struct diff_report *r)
{
	const char *s = arena_printf(a, "%zu added, %zu removed, %zu changed", r->nadded, r->nremoved, r->nchanged);
	if (r->attributed)
		s = arena_printf(a, "%zu spec change%s: %s", r->nchanges, r->nchanges == 1 ? "" : "s", s);
	if (r->nprune)
		s = arena_printf(a, "%s, %zu prune candidate%s", s, r->nprune, r->nprune > 1 ? "s" : "");
	if (r->ndangers)
		s = arena_printf(a, "%s; %zu dangerous", s, r->ndangers);
	if (r->naccepted)
		s = arena_printf(a, "%s (%zu accepted)", s, r->naccepted);
	return s;
}
