/* defaults.c - fill the schema's defaults into a validated spec (see
 * defaults.h for the rules). */
#include "defaults.h"
#include "arena.h"
#include "hashmap.h"
#include "jdoc.h"
#include "schema.h"

#include <string.h>

#define MAX_DEPTH 64 /* schema nesting followed; the spec schema has 6 */

/* What fill reads of one schema node, worked out once per schema and
 * kept with it (schema_defaults_plan): validate fills a thousand specs
 * with one schema, and reading the JSON document (lookups by name, $ref
 * paths) for each was a fifth of the work of a small spec. */
struct dprop {
	const char *key;
	const struct value *p;    /* the property's schema, $refs followed */
	const struct value *dflt; /* its default (beside its $ref or in it), or NULL */
	bool empty;         /* no default: an empty mapping is made and filled */
};

struct dnode {
	const struct value *s;     /* $refs followed; NULL: nothing to fill */
	bool below;          /* a default in s or below it */
	struct dprop *props; /* s's properties, then its mapping branches' */
	size_t nprops, cap;
	const struct value *items; /* s's items, $refs followed, or NULL */
};

struct plan {
	struct arena *a; /* the schema's */
	const struct value *root;
	struct hashmap nodes; /* schema node as referred to -> struct dnode */
	struct hashmap below; /* schema node -> 1: a default below it, 2: none */
};

struct df {
	struct arena *a;
	struct plan *plan;
	struct defaults *out;
};

/* Follow local $refs ("#/definitions/x") to the schema that says things. */
static const struct value *deref(const struct value *root, const struct value *s)
{
	for (int hops = 0; jd_is_object(s) && hops < 16; hops++) {
		const char *ref = jd_string_value(jd_object_get(s, "$ref"));
		if (!ref)
			return s;
		if (ref[0] != '#')
			return NULL; /* remote refs carry no defaults of the spec */
		const struct value *t = root;
		for (const char *p = ref + 1; t && *p == '/';) {
			const char *e = strchr(p + 1, '/');
			size_t n = e ? (size_t)(e - p - 1) : strlen(p + 1);
			char key[128];
			if (n >= sizeof key)
				return NULL;
			memcpy(key, p + 1, n);
			key[n] = '\0';
			t = jd_object_get(t, key);
			p += n + 1;
		}
		s = t;
	}
	return jd_is_object(s) ? s : NULL;
}

/* Does schema s accept a mapping (type object, or no type at all)? */
static bool takes_map(const struct value *s)
{
	const struct value *t = jd_object_get(s, "type");
	if (!t)
		return jd_object_get(s, "properties") != NULL;
	if (jd_is_string(t))
		return !strcmp(jd_string_value(t), "object");
	for (size_t i = 0; i < jd_array_size(t); i++) {
		const struct value *x = jd_array_get(t, i);
		if (jd_is_string(x) && !strcmp(jd_string_value(x), "object"))
			return true;
	}
	return false;
}

static void record(struct df *f, const char *path, const struct value *node)
{
	struct defaults *d = f->out;
	if (!d)
		return;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 64;
		d->items = arena_realloc(f->a, d->items, d->cap * sizeof *d->items, cap * sizeof *d->items);
		d->cap = cap;
	}
	d->items[d->n++] = (struct default_fill){ path, node };
}

/* Paths are only made when the defaults are recorded (asbgen model
 * --sources): a render of 10,000 users would build 50,000 of them. */
static const char *child_path(struct df *f, const char *path, const char *key)
{
	if (!f->out)
		return "";
	return *path ? arena_printf(f->a, "%s.%s", path, key) : arena_strdup(f->a, key);
}

static const char *item_path(struct df *f, const char *path, size_t i)
{
	return f->out ? arena_printf(f->a, "%s[%zu]", path, i) : "";
}

/* A deep copy of default d (part of the schema's document) in a, strings
 * too: the spec's tree must not point into the schema's arena. */
static struct value *copy_default(struct arena *a, const struct value *d)
{
	static const struct mark none = { 0 };
	struct value *c;
	switch (d->kind) {
	case V_STRING:
		return v_strn(a, &none, d->str.s, d->str.len);
	case V_SEQ:
		c = v_seq(a, &none);
		for (size_t i = 0; i < d->seq.n; i++)
			seq_push(a, c, copy_default(a, d->seq.items[i]));
		return c;
	case V_MAP:
		c = v_map(a, &none);
		map_reserve(a, c, d->map.n);
		for (size_t i = 0; i < d->map.n; i++)
			map_put(a, c, copy_default(a, d->map.items[i].key), copy_default(a, d->map.items[i].val));
		return c;
	default:
		c = v_copy(a, d);
		c->mark = none;
		c->flags = 0;
		return c;
	}
}

/* A default's copy: every node flagged, marked with the given mark and
 * recorded at its path (a list's items and a mapping's values too). */
static void mark_default(struct df *f, struct value *v, const struct mark *at, const char *path)
{
	v->flags |= VF_DEFAULT;
	v->mark = *at;
	if (v->kind == V_SEQ) {
		for (size_t i = 0; i < v->seq.n; i++)
			mark_default(f, v->seq.items[i], at, item_path(f, path, i));
	} else if (v->kind == V_MAP) {
		for (size_t i = 0; i < v->map.n; i++) {
			v->map.items[i].key->flags |= VF_DEFAULT;
			v->map.items[i].key->mark = *at;
			mark_default(f, v->map.items[i].val, at, child_path(f, path, v->map.items[i].key->str.s));
		}
	}
	if (v->kind != V_MAP)
		record(f, path, v); /* a mapping is recorded once filled (it may be copied) */
}

static struct value *fill(struct df *f, const struct value *s, struct value *v, const char *path, int depth);

/* Copy of mapping v that can gain keys (once: *own says whether *m is
 * already ours). */
static struct value *own_map(struct df *f, struct value *v, struct value **m, bool *own)
{
	if (!*own) {
		struct value *c = v_map(f->a, &v->mark);
		c->flags = v->flags;
		for (size_t i = 0; i < v->map.n; i++)
			map_put(f->a, c, v->map.items[i].key, v->map.items[i].val);
		*m = c;
		*own = true;
	}
	return *m;
}

/* Is there a default in schema s or below it?  Remembered per node, so
 * 10,000 users (whose items have none) cost one lookup each. */
static bool defaults_below(struct plan *pl, const struct value *s, int depth)
{
	s = deref(pl->root, s);
	if (!s || depth > MAX_DEPTH)
		return false;
	struct hm_entry *e = hashmap_get(&pl->below, (const char *)&s, sizeof s);
	if (e)
		return e->idx == 1; /* 0 while it is being looked at: a $ref cycle */
	const struct value **key = arena_alloc(pl->a, sizeof *key);
	*key = s;
	hashmap_put(&pl->below, (const char *)key, sizeof *key, NULL)->idx = 0;
	bool found = jd_object_get(s, "default") != NULL;
	const struct value *props = jd_object_get(s, "properties");
	for (size_t i = 0; i < jd_object_size(props); i++) {
		const struct value *x = props->map.items[i].val;
		found = found || defaults_below(pl, x, depth + 1) || jd_object_get(x, "default");
	}
	found = found || defaults_below(pl, jd_object_get(s, "items"), depth + 1);
	static const char *const branches[] = { "allOf", "anyOf", "oneOf" };
	for (size_t b = 0; b < sizeof branches / sizeof *branches; b++) {
		const struct value *br = jd_object_get(s, branches[b]);
		for (size_t i = 0; i < jd_array_size(br); i++)
			found = found || defaults_below(pl, jd_array_get(br, i), depth + 1);
	}
	hashmap_get(&pl->below, (const char *)&s, sizeof s)->idx = found ? 1 : 2;
	return found;
}

/* The `properties` of one object schema, in order, as fill reads them. */
static void plan_properties(struct plan *pl, struct dnode *n, const struct value *s)
{
	const struct value *props = jd_object_get(s, "properties");
	for (size_t i = 0; i < jd_object_size(props); i++) {
		const char *k = props->map.items[i].key->str.s;
		const struct value *ps = props->map.items[i].val;
		const struct value *p = deref(pl->root, ps);
		if (!p)
			continue;
		/* A default may stand beside a $ref ("size": {"$ref": quantity,
		 * "default": "1000Gi"}): annotations there count. */
		const struct value *dflt = jd_object_get(ps, "default");
		if (!dflt)
			dflt = jd_object_get(p, "default");
		if (n->nprops == n->cap) {
			size_t cap = n->cap ? n->cap * 2 : 8;
			n->props = arena_realloc(pl->a, n->props, n->cap * sizeof *n->props, cap * sizeof *n->props);
			n->cap = cap;
		}
		n->props[n->nprops++] = (struct dprop){
			k, p, dflt,
			!dflt && takes_map(p) && !jd_array_size(jd_object_get(p, "required")) &&
				jd_object_get(p, "properties"),
		};
	}
}

/* Schema node s (as a property, an item or the root refers to it), read
 * once per schema. */
static const struct dnode *plan_node(struct plan *pl, const struct value *s, int depth)
{
	bool added;
	struct hm_entry *e = hashmap_get(&pl->nodes, (const char *)&s, sizeof s);
	if (e)
		return e->ptr;
	const struct value **key = arena_alloc(pl->a, sizeof *key);
	*key = s;
	struct dnode *n = arena_alloc(pl->a, sizeof *n);
	n->s = deref(pl->root, s);
	n->below = n->s && defaults_below(pl, n->s, depth);
	if (n->below) {
		/* A mapping takes its own properties, then those of the
		 * subschemas that take a mapping. */
		plan_properties(pl, n, n->s);
		static const char *const branches[] = { "allOf", "anyOf", "oneOf" };
		for (size_t b = 0; b < sizeof branches / sizeof *branches; b++) {
			const struct value *br = jd_object_get(n->s, branches[b]);
			for (size_t i = 0; i < jd_array_size(br); i++) {
				const struct value *bs = deref(pl->root, jd_array_get(br, i));
				if (bs && takes_map(bs) && jd_object_get(bs, "properties"))
					plan_properties(pl, n, bs);
			}
		}
		n->items = deref(pl->root, jd_object_get(n->s, "items"));
	}
	hashmap_put(&pl->nodes, (const char *)key, sizeof *key, &added)->ptr = n;
	return n;
}

/* Fill node n's properties into mapping v. */
static struct value *fill_map(struct df *f, const struct dnode *n, struct value *v, const char *path, int depth)
{
	struct value *m = v;
	bool own = false;
	for (size_t i = 0; i < n->nprops; i++) {
		const struct dprop *dp = &n->props[i];
		const char *cp = child_path(f, path, dp->key);
		const struct pair *have = map_get_pair(m, dp->key);
		if (have) {
			struct value *nv = fill(f, dp->p, have->val, cp, depth + 1);
			if (nv != have->val) {
				struct value *mm = own_map(f, v, &m, &own);
				((struct pair *)map_get_pair(mm, dp->key))->val = nv;
			}
			continue;
		}
		struct value *nv = NULL;
		if (dp->dflt) {
			nv = copy_default(f->a, dp->dflt);
			mark_default(f, nv, &v->mark, cp);
			nv = fill(f, dp->p, nv, cp, depth + 1);
			if (nv->kind == V_MAP)
				record(f, cp, nv);
		} else if (dp->empty) {
			struct value *empty = v_map(f->a, &v->mark);
			empty->flags |= VF_DEFAULT;
			nv = fill(f, dp->p, empty, cp, depth + 1);
			if (nv->map.n == 0)
				nv = NULL;
		}
		if (nv) {
			struct value *key = v_str(f->a, &v->mark, dp->key);
			key->flags |= VF_DEFAULT;
			map_put(f->a, own_map(f, v, &m, &own), key, nv);
		}
	}
	return m;
}

static struct value *fill(struct df *f, const struct value *s, struct value *v, const char *path, int depth)
{
	if (depth > MAX_DEPTH)
		return v;
	const struct dnode *n = plan_node(f->plan, s, depth);
	if (!n->below)
		return v;
	if (v->kind == V_MAP)
		return fill_map(f, n, v, path, depth);
	if (v->kind != V_SEQ || !n->items)
		return v; /* the tuple form carries no defaults in the spec schema */
	struct value *out = v;
	for (size_t i = 0; i < v->seq.n; i++) {
		const char *ip = item_path(f, path, i);
		struct value *nv = fill(f, n->items, v->seq.items[i], ip, depth + 1);
		if (nv == v->seq.items[i])
			continue;
		if (out == v) {
			out = v_seq(f->a, &v->mark);
			out->flags = v->flags;
			for (size_t j = 0; j < v->seq.n; j++)
				seq_push(f->a, out, v->seq.items[j]);
		}
		out->seq.items[i] = nv;
	}
	return out;
}

struct value *defaults_apply(struct arena *a, const struct schema *s, struct value *spec,
			     struct defaults *out)
{
	const struct value *root = schema_document(s);
	if (!spec || !root)
		return spec;
	struct arena *sa;
	void **slot = schema_defaults_plan(s, &sa);
	if (!*slot) {
		struct plan *pl = arena_alloc(sa, sizeof *pl);
		pl->a = sa;
		pl->root = root;
		hashmap_init(&pl->nodes, sa);
		hashmap_init(&pl->below, sa);
		*slot = pl;
	}
	struct df f = { .a = a, .plan = *slot, .out = out };
	return fill(&f, root, spec, "", 0);
}

const char *defaults_path_of(const struct defaults *d, const struct value *node)
{
	if (!d || !node || !(node->flags & VF_DEFAULT))
		return NULL;
	for (size_t i = 0; i < d->n; i++)
		if (d->items[i].node == node)
			return d->items[i].path;
	return NULL;
}
