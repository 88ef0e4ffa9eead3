/* live.c - the cluster's objects for `asbgen diff --live` (see live.h). */
#include "live.h"
#include "arena.h"
#include "diag.h"
#include "json_value.h"
#include "kube.h"
#include "value.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define LAST_APPLIED "kubectl.kubernetes.io/last-applied-configuration"

/* ---- cleaning ---- */

static bool is_key(const struct value *k, const char *const *names)
{
	for (size_t i = 0; names[i]; i++)
		if (k->str.len == strlen(names[i]) && !memcmp(k->str.s, names[i], k->str.len))
			return true;
	return false;
}

/* A shallow copy of map m without the keys in `drop`. */
static struct value *map_without(struct arena *a, const struct value *m, const char *const *drop)
{
	struct value *out = v_map(a, &m->mark);
	for (size_t i = 0; i < m->map.n; i++)
		if (!is_key(m->map.items[i].key, drop))
			map_put(a, out, m->map.items[i].key, m->map.items[i].val);
	return out;
}

struct value *live_strip(struct arena *a, const struct value *obj)
{
	static const char *const top[] = { "status", NULL };
	static const char *const meta[] = { "managedFields", "resourceVersion", "uid", "generation",
					    "creationTimestamp", "selfLink", NULL };
	static const char *const ann[] = { LAST_APPLIED, NULL };
	static const char *const annotations[] = { "annotations", NULL };
	if (!obj || obj->kind != V_MAP)
		return (struct value *)obj;
	struct value *out = map_without(a, obj, top);
	for (size_t i = 0; i < out->map.n; i++) {
		struct pair *p = &out->map.items[i];
		if (strcmp(p->key->str.s, "metadata") != 0 || p->val->kind != V_MAP)
			continue;
		struct value *m = map_without(a, p->val, meta);
		const struct value *an = map_get(m, "annotations");
		if (an && an->kind == V_MAP) {
			struct value *an2 = map_without(a, an, ann);
			if (an2->map.n == 0) {
				m = map_without(a, m, annotations);
			} else {
				for (size_t j = 0; j < m->map.n; j++)
					if (!strcmp(m->map.items[j].key->str.s, "annotations"))
						m->map.items[j].val = an2;
			}
		}
		p->val = m;
	}
	return out;
}

/* The item of the kept list that live item `item` (at index j) is
 * compared with: the one with the same `name` when items are named
 * (containers, volumes, env, listeners: Kubernetes merges those lists by
 * name, and the server may reorder them), else the one at index j. */
static const struct value *keep_item(const struct value *keep, const struct value *item, size_t j)
{
	const struct value *name = map_get(item, "name");
	if (name && name->kind == V_STRING) {
		for (size_t i = 0; i < keep->seq.n; i++) {
			const struct value *kn = map_get(keep->seq.items[i], "name");
			if (kn && kn->kind == V_STRING && kn->str.len == name->str.len &&
			    !memcmp(kn->str.s, name->str.s, name->str.len))
				return keep->seq.items[i];
		}
		return NULL; /* a named item the kept list lacks: an addition, whole */
	}
	return j < keep->seq.n ? keep->seq.items[j] : NULL;
}

struct value *live_project(struct arena *a, const struct value *live, const struct value *const *keep, size_t n)
{
	if (!live)
		return NULL;
	const struct value **sub = arena_alloc(a, (n ? n : 1) * sizeof *sub);
	if (live->kind == V_MAP) {
		bool any = false;
		for (size_t i = 0; i < n; i++)
			any |= keep[i] && keep[i]->kind == V_MAP;
		if (!any)
			return (struct value *)live; /* a type change, or nothing to go by: all of it */
		struct value *out = v_map(a, &live->mark);
		for (size_t j = 0; j < live->map.n; j++) {
			const struct pair *p = &live->map.items[j];
			size_t m = 0;
			for (size_t i = 0; i < n; i++) {
				const struct value *k = keep[i] && keep[i]->kind == V_MAP ? map_get(keep[i], p->key->str.s) : NULL;
				if (k)
					sub[m++] = k;
			}
			if (m)
				map_put(a, out, p->key, live_project(a, p->val, sub, m));
		}
		return out;
	}
	if (live->kind == V_SEQ) {
		bool any = false;
		for (size_t i = 0; i < n; i++)
			any |= keep[i] && keep[i]->kind == V_SEQ;
		if (!any)
			return (struct value *)live;
		struct value *out = v_seq(a, &live->mark);
		for (size_t j = 0; j < live->seq.n; j++) {
			size_t m = 0;
			for (size_t i = 0; i < n; i++) {
				const struct value *k = keep[i] && keep[i]->kind == V_SEQ
							? keep_item(keep[i], live->seq.items[j], j) : NULL;
				if (k)
					sub[m++] = k;
			}
			/* Items beyond every kept list are real additions: whole. */
			seq_push(a, out, m ? live_project(a, live->seq.items[j], sub, m) : live->seq.items[j]);
		}
		return out;
	}
	return (struct value *)live;
}

/* The last-applied-configuration annotation as a tree, or NULL. */
static const struct value *last_applied(struct arena *a, const struct value *obj)
{
	const struct value *s = v_path(obj, "metadata.annotations");
	s = map_get(s, LAST_APPLIED);
	if (!s || s->kind != V_STRING)
		return NULL;
	json_error_t err;
	json_t *j = json_loadb(s->str.s, s->str.len, 0, &err);
	if (!j)
		return NULL; /* not ours to judge: compare with the rendered object only */
	struct value *v = json_is_object(j) ? value_from_json(a, j, s->mark.file) : NULL;
	json_decref(j);
	return v;
}

struct value *live_clean(struct arena *a, const struct value *obj, const struct value *rendered)
{
	const struct value *keep[2];
	size_t n = 0;
	if (rendered)
		keep[n++] = rendered;
	const struct value *la = last_applied(a, obj);
	if (la)
		keep[n++] = la;
	struct value *s = live_strip(a, obj);
	return n ? live_project(a, s, keep, n) : s;
}

/* ---- fetching ---- */

/* One rendered kind in one namespace: where to list it, and the names
 * asbgen renders (sorted, for the prune check). */
struct kind_ns {
	const char *group, *version, *kind, *ns;
	struct kube_resource res;
	const char **names;
	size_t n, cap;
};

struct kinds {
	struct kind_ns *items;
	size_t n, cap;
};

bool live_is_cluster_object(const struct object *o)
{
	return o->v && o->v->kind == V_MAP && o->kind && strcmp(o->kind, "File") != 0 && o->name && *o->name &&
	       o->version && *o->version && strcmp(o->group ? o->group : "", "kustomize.config.k8s.io") != 0;
}

static struct kind_ns *kind_find(struct arena *a, struct kinds *ks, const struct object *o, bool create)
{
	const char *ns = o->ns ? o->ns : "";
	const char *group = o->group ? o->group : "";
	for (size_t i = 0; i < ks->n; i++) {
		struct kind_ns *k = &ks->items[i];
		if (!strcmp(k->group, group) && !strcmp(k->kind, o->kind) && !strcmp(k->ns, ns))
			return k;
	}
	if (!create)
		return NULL;
	if (ks->n == ks->cap) {
		size_t cap = ks->cap ? 2 * ks->cap : 16;
		ks->items = arena_realloc(a, ks->items, ks->cap * sizeof *ks->items, cap * sizeof *ks->items);
		ks->cap = cap;
	}
	struct kind_ns *k = &ks->items[ks->n++];
	memset(k, 0, sizeof *k);
	k->group = group;
	k->version = o->version;
	k->kind = o->kind;
	k->ns = ns;
	return k;
}

static void kind_add_name(struct arena *a, struct kind_ns *k, const char *name)
{
	if (k->n == k->cap) {
		size_t cap = k->cap ? 2 * k->cap : 16;
		k->names = arena_realloc(a, k->names, k->cap * sizeof *k->names, cap * sizeof *k->names);
		k->cap = cap;
	}
	k->names[k->n++] = name;
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Percent-encode a path segment (names are DNS labels, but be safe). */
static const char *esc(struct arena *a, const char *s)
{
	size_t n = strlen(s);
	char *o = arena_alloc(a, 3 * n + 1), *p = o;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
		    c == '.' || c == '_' || c == '~') {
			*p++ = (char)c;
		} else {
			static const char hex[] = "0123456789ABCDEF";
			*p++ = '%';
			*p++ = hex[c >> 4];
			*p++ = hex[c & 15];
		}
	}
	*p = '\0';
	return o;
}

const char *live_segment(struct arena *a, const char *s)
{
	return esc(a, s);
}

static const char *base_of(struct arena *a, const char *group, const char *version)
{
	return *group ? arena_printf(a, "/apis/%s/%s", group, version) : arena_printf(a, "/api/%s", version);
}

/* /api/v1 or /apis/G/V */
static const char *api_base(struct arena *a, const struct kind_ns *k)
{
	return base_of(a, k->group, k->version);
}

const char *live_collection_path(struct arena *a, const char *group, const char *version,
				 const struct kube_resource *r, const char *ns)
{
	const char *base = base_of(a, group ? group : "", version);
	if (r->namespaced)
		return arena_printf(a, "%s/namespaces/%s/%s", base, esc(a, ns && *ns ? ns : "default"), r->plural);
	return arena_printf(a, "%s/%s", base, r->plural);
}

const char *live_resource_name(struct arena *a, const char *group, const struct kube_resource *r)
{
	return group && *group ? arena_printf(a, "%s.%s", r->plural, group) : r->plural;
}

const char *live_in_ns(struct arena *a, const struct kube_resource *r, const char *ns)
{
	return r->namespaced ? arena_printf(a, " in namespace %s", ns && *ns ? ns : "default") : "";
}

static const char *collection_path(struct arena *a, const struct kind_ns *k)
{
	return live_collection_path(a, k->group, k->version, &k->res, k->ns);
}

static const char *resource_name(struct arena *a, const struct kind_ns *k)
{
	return live_resource_name(a, k->group, &k->res);
}

static const char *in_ns(struct arena *a, const struct kind_ns *k)
{
	return live_in_ns(a, &k->res, k->ns);
}

/* A listed item lacks apiVersion and kind for built-in types: add them. */
static struct value *with_type(struct arena *a, const struct value *item, const struct kind_ns *k)
{
	if (map_get(item, "apiVersion") && map_get(item, "kind"))
		return (struct value *)item;
	static const char *const drop[] = { "apiVersion", "kind", NULL };
	struct value *out = v_map(a, &item->mark);
	map_set_lit(a, out, "apiVersion",
		    *k->group ? v_strf(a, &item->mark, "%s/%s", k->group, k->version) : v_str(a, &item->mark, k->version));
	map_set_lit(a, out, "kind", v_str(a, &item->mark, k->kind));
	struct value *rest = map_without(a, item, drop);
	for (size_t i = 0; i < rest->map.n; i++)
		map_put(a, out, rest->map.items[i].key, rest->map.items[i].val);
	return out;
}

/* Did another controller make it (and asbgen does not claim it)? */
static bool owned_by_another(const struct value *it)
{
	const struct value *owners = v_path(it, "metadata.ownerReferences");
	if (!owners || owners->kind != V_SEQ || owners->seq.n == 0)
		return false;
	const struct value *labels = v_path(it, "metadata.labels");
	const char *by = v_as_str(map_get(labels, LIVE_MANAGED_LABEL), "");
	return strcmp(by, LIVE_MANAGED_VALUE) != 0;
}

/* The objects of one kind that asbgen does not render (see live.h). */
static int list_prune(struct arena *a, struct diags *d, struct kube *kc, const struct kind_ns *k,
		      struct objset *prune)
{
	const char *path = collection_path(a, k);
	struct value *list = NULL;
	enum kube_status st = kube_get(kc, path, arena_printf(a, "list %s%s", resource_name(a, k), in_ns(a, k)), &list);
	if (st == KUBE_ABSENT)
		return 0;
	if (st != KUBE_OK)
		return -1;
	const struct value *items = map_get(list, "items");
	if (!items || items->kind != V_SEQ) {
		diag_pos(d, SEV_ERROR, NULL, 0, 0, "kube-junk", "is the server a Kubernetes API server?",
			 "the answer to GET %s is not a list (no items)", kube_url(kc, path));
		return -1;
	}
	const char *base = api_base(a, k);
	for (size_t i = 0; i < items->seq.n; i++) {
		const struct value *it = items->seq.items[i];
		const char *name = v_as_str(v_path(it, "metadata.name"), NULL);
		if (!name || bsearch(&name, k->names, k->n, sizeof *k->names, cmp_str) ||
		    owned_by_another(it))
			continue;
		const char *ns = v_as_str(v_path(it, "metadata.namespace"), "");
		const char *opath = *ns ? arena_printf(a, "%s/namespaces/%s/%s/%s", base, esc(a, ns), k->res.plural, esc(a, name))
					: arena_printf(a, "%s/%s/%s", base, k->res.plural, esc(a, name));
		struct object o = { k->group, k->version, k->kind, ns, name, kube_url(kc, opath),
				    live_strip(a, with_type(a, it, k)), NULL };
		objset_add(a, prune, &o);
	}
	return 0;
}

/* The rendered version is not served (a Strimzi upgrade or downgrade):
 * compare with the group's preferred version, so the diff shows the
 * apiVersion change and what differs between the versions. */
static enum kube_status discover_preferred(struct arena *a, struct diags *d, struct kube *kc, struct kind_ns *k)
{
	const char *pv;
	enum kube_status st = kube_preferred_version(kc, k->group, &pv);
	if (st != KUBE_OK || !strcmp(pv, k->version))
		return st == KUBE_FAILED ? st : KUBE_ABSENT;
	st = kube_discover(kc, k->group, pv, k->kind, &k->res);
	if (st == KUBE_OK) {
		diag_pos(d, SEV_WARNING, NULL, 0, 0, "kube-version",
			 "the diff shows the apiVersion change; check that the cluster's operator serves the rendered version "
			 "before syncing (strimzi.version in the spec)",
			 "the cluster serves %s as %s/%s, not %s/%s: live objects are read in %s", k->kind, k->group, pv,
			 k->group, k->version, pv);
		k->version = arena_strdup(a, pv);
	}
	return st;
}

static int fetch_all(struct arena *a, struct diags *d, struct kube *kc, const struct objset *rendered,
		     struct objset *live, struct objset *prune)
{
	struct kinds ks = { 0 };
	int rc = 0;
	for (size_t i = 0; i < rendered->n && !kube_stopped(kc); i++) {
		const struct object *o = &rendered->items[i];
		if (!live_is_cluster_object(o))
			continue;
		struct kind_ns *k = kind_find(a, &ks, o, false);
		if (!k) {
			k = kind_find(a, &ks, o, true);
			enum kube_status st = kube_discover(kc, k->group, k->version, k->kind, &k->res);
			if (st == KUBE_ABSENT && *k->group)
				st = discover_preferred(a, d, kc, k);
			if (st == KUBE_ABSENT) {
				diag_pos(d, SEV_WARNING, NULL, 0, 0, "kube-not-served",
					 "install the operator that defines it, or check the spec's versions (strimzi.version)",
					 "the cluster does not serve %s %s%s%s: its objects are shown as additions", k->kind,
					 k->group, *k->group ? "/" : "", k->version);
				k->res.plural = NULL;
			} else if (st != KUBE_OK) {
				rc = -1;
				k->res.plural = NULL;
			}
		}
		kind_add_name(a, k, o->name);
		if (!k->res.plural)
			continue;
		const char *path = arena_printf(a, "%s/%s", collection_path(a, k), esc(a, o->name));
		struct value *v = NULL;
		enum kube_status st = kube_get(kc, path,
					       arena_printf(a, "get %s \"%s\"%s", resource_name(a, k), o->name, in_ns(a, k)), &v);
		if (st == KUBE_FAILED) {
			/* One report per kind (a 403 would repeat for every user). */
			rc = -1;
			k->res.plural = NULL;
			continue;
		}
		if (st == KUBE_ABSENT)
			continue; /* not created yet: the diff shows an addition */
		const char *av = v_as_str(map_get(v, "apiVersion"), o->version);
		const char *slash = strrchr(av, '/');
		struct object lo = { k->group, slash ? slash + 1 : av, o->kind, o->ns ? o->ns : "", o->name,
				     kube_url(kc, path), live_clean(a, v, o->v), NULL };
		objset_add(a, live, &lo);
	}
	for (size_t i = 0; i < ks.n && !kube_stopped(kc); i++) {
		struct kind_ns *k = &ks.items[i];
		if (!k->res.plural)
			continue;
		qsort(k->names, k->n, sizeof *k->names, cmp_str);
		if (list_prune(a, d, kc, k, prune) < 0)
			rc = -1;
	}
	return kube_stopped(kc) ? -1 : rc;
}

struct kube *live_connect(struct arena *a, struct diags *d, const struct live_opts *o, const char **label)
{
	struct kubeconfig *kc = arena_alloc(a, sizeof *kc);
	if (kubeconfig_load(a, d, &o->src, kc) < 0)
		return NULL;
	if (label)
		*label = arena_printf(a, "cluster %s (context %s)", kc->server, kc->context);
	struct kube_opts ko = { o->insecure, o->timeout_ms };
	return kube_new(a, d, kc, &ko);
}

int live_fetch(struct arena *a, struct diags *d, const struct live_opts *o, const struct objset *rendered,
	       struct objset *live, struct objset *prune, const char **label)
{
	struct kube *k = live_connect(a, d, o, label);
	if (!k)
		return -1;
	int rc = fetch_all(a, d, k, rendered, live, prune);
	kube_free(k);
	return rc;
}
