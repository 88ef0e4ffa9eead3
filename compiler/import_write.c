/* import_write.c - the imported spec as a person would write it: what
 * the model derives anyway left out (import_prune), checked by rendering
 * it against the input (import_verify), and written as YAML with flow
 * style for short lists and entries, an anchor for a topic list several
 * users share, and a comment on what was inferred (import_write). */
#include "arena.h"
#include "buf.h"
#include "cli.h"
#include "emit.h"
#include "import.h"
#include "live.h"
#include "objset.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PRUNE_LABEL "<import>"

struct pruner {
	struct ctx *c;
	struct value *root;
	const struct value *want; /* the model of the whole spec */
	struct arena *scratch;    /* each trial's model, cleared after it */
	size_t trials;
};

/* One trial compiles the whole spec: in a scratch arena cleared after it
 * (compile copies what it fills in, never into root), so thousands of
 * trials do not pile up thousands of models. */
static bool same_model(struct pruner *p)
{
	struct ctx *c = p->c;
	struct arena *a = c->arena, *k = c->keep;
	size_t n = c->diags.n;
	c->keep = k ? k : a;
	c->arena = p->scratch;
	struct value *m = model_load_tree(c, p->root, PRUNE_LABEL);
	bool same = m && v_equal(m, p->want);
	diags_drop_since(&c->diags, n);
	c->arena = a;
	c->keep = k;
	arena_clear(p->scratch);
	p->trials++;
	return same;
}

/* Post-order, last key first: a derived value that the model appends
 * after the user's (kafka.config's replication factors) goes only when
 * everything after it has gone. */
static void prune(struct pruner *p, struct value *v)
{
	if (v->kind == V_SEQ) {
		for (size_t i = 0; i < v->seq.n; i++)
			prune(p, v->seq.items[i]);
		return;
	}
	if (v->kind != V_MAP)
		return;
	for (size_t i = v->map.n; i-- > 0;) {
		prune(p, v->map.items[i].val);
		if (v == p->root && !strcmp(v->map.items[i].key->str.s, "name"))
			continue;
		struct pair saved = v->map.items[i];
		memmove(&v->map.items[i], &v->map.items[i + 1], (v->map.n - i - 1) * sizeof *v->map.items);
		v->map.n--;
		if (same_model(p))
			continue;
		memmove(&v->map.items[i + 1], &v->map.items[i], (v->map.n - i) * sizeof *v->map.items);
		v->map.items[i] = saved;
		v->map.n++;
	}
}

struct value *import_prune(struct ctx *c, struct value *spec)
{
	struct pruner p = { c, spec, NULL, NULL, 0 };
	if (getenv("ASBGEN_IMPORT_NOPRUNE"))
		return spec;
	/* The model may share the spec's nodes: compare with a copy's. */
	size_t n = c->diags.n;
	p.want = model_load_tree(c, v_copy(c->arena, spec), PRUNE_LABEL);
	/* The spec's own diagnostics are told at its lines, once written
	 * (import_check). */
	diags_drop_since(&c->diags, n);
	if (!p.want)
		return spec;
	p.scratch = arena_new();
	prune(&p, spec);
	arena_free(p.scratch);
	return spec;
}

/* ---- verification: render, compare with the input ---- */

static const char *group_of(struct arena *a, const char *api)
{
	const char *sl = strchr(api, '/');
	return sl ? arena_strndup(a, api, (size_t)(sl - api)) : "";
}

/* ACLs and superusers are sets: compared whatever their order. */
static bool set_equal(const struct value *a, const struct value *b)
{
	if (a->seq.n != b->seq.n)
		return false;
	for (size_t i = 0; i < a->seq.n; i++) {
		bool found = false;
		for (size_t j = 0; j < b->seq.n && !found; j++)
			found = v_equal(a->seq.items[i], b->seq.items[j]);
		if (!found)
			return false;
	}
	return true;
}

/* ---- meaning of another chart's Strimzi objects ---- */

static const char *scalar_text(struct arena *a, const struct value *v)
{
	if (!v)
		return "(none)";
	switch (v->kind) {
	case V_STRING:
		return v->str.s;
	case V_INT:
		return arena_printf(a, "%lld", v->i);
	case V_FLOAT:
		/* Helm's 1.2096e+09 is the integer it printed. */
		return fabs(v->f) < 9e18 && v->f == floor(v->f) ? arena_printf(a, "%lld", (long long)v->f) : arena_printf(a, "%g", v->f);
	case V_BOOL:
		return v->b ? "true" : "false";
	default:
		return "(structure)";
	}
}

/* One ACL as text: type:name:pattern:host ops (sorted). */
static const char *acl_text(struct arena *a, const struct value *acl)
{
	const struct value *ops = map_get(acl, "operations");
	const char *list[32];
	size_t n = 0;
	if (!ops && map_get(acl, "operation"))
		list[n++] = scalar_text(a, map_get(acl, "operation"));
	for (size_t i = 0; ops && ops->kind == V_SEQ && i < ops->seq.n && n < 32; i++)
		list[n++] = scalar_text(a, ops->seq.items[i]);
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(list[j - 1], list[j]) > 0; j--) {
			const char *t = list[j];
			list[j] = list[j - 1];
			list[j - 1] = t;
		}
	const char *out = arena_printf(a, "%s:%s:%s", scalar_text(a, v_path(acl, "resource.type")),
				       scalar_text(a, v_path(acl, "resource.name")),
				       map_get(map_get(acl, "resource"), "patternType") ? scalar_text(a, v_path(acl, "resource.patternType")) : "literal");
	for (size_t i = 0; i < n; i++)
		out = arena_printf(a, "%s%s%s", out, i ? "," : " ", list[i]);
	return out;
}

static bool in_acls(struct arena *a, const char *t, const struct value *acls)
{
	for (size_t i = 0; acls && acls->kind == V_SEQ && i < acls->seq.n; i++)
		if (!strcmp(t, acl_text(a, acls->seq.items[i])))
			return true;
	return false;
}

/* A KafkaUser or KafkaTopic another chart made, against the render: what
 * Kafka does with it (ACLs, authentication, partitions, config). */
static int meaning_differs(struct ctx *c, const struct imp_obj *o, const struct value *got)
{
	struct arena *a = c->arena;
	int n = 0;
#define DIFF(at, ...)                                                                                        \
	do {                                                                                                 \
		diag_at(&c->diags, SEV_WARNING, &(at)->mark, "import-differs",                               \
			"the imported spec renders it otherwise: change the spec if the input's is meant", __VA_ARGS__); \
		n++;                                                                                         \
	} while (0)
	if (!strcmp(o->kind, "KafkaUser")) {
		const struct value *wa = v_path(o->v, "spec.authorization.acls"), *ga = v_path(got, "spec.authorization.acls");
		for (size_t i = 0; wa && wa->kind == V_SEQ && i < wa->seq.n; i++) {
			const char *t = acl_text(a, wa->seq.items[i]);
			if (!in_acls(a, t, ga))
				DIFF(wa->seq.items[i], "KafkaUser %s: the ACL %s is not the render's", o->name, t);
		}
		for (size_t i = 0; ga && ga->kind == V_SEQ && i < ga->seq.n; i++) {
			const char *t = acl_text(a, ga->seq.items[i]);
			if (!in_acls(a, t, wa))
				DIFF(o->v, "KafkaUser %s: the render grants %s, which the input does not", o->name, t);
		}
		static const char *const keys[] = { "spec.authentication.type",
						    "spec.authentication.password.valueFrom.secretKeyRef.key" };
		for (size_t k = 0; k < 2; k++) {
			const char *x = scalar_text(a, v_path(o->v, keys[k])), *y = scalar_text(a, v_path(got, keys[k]));
			if (strcmp(x, y))
				DIFF(v_path(o->v, keys[k]) ? v_path(o->v, keys[k]) : o->v, "KafkaUser %s: %s is %s, the render's %s",
				     o->name, keys[k] + 5, x, y);
		}
	} else if (!strcmp(o->kind, "KafkaTopic")) {
		static const char *const keys[] = { "spec.partitions", "spec.replicas" };
		for (size_t k = 0; k < 2; k++) {
			const char *x = scalar_text(a, v_path(o->v, keys[k])), *y = scalar_text(a, v_path(got, keys[k]));
			if (strcmp(x, y))
				DIFF(v_path(o->v, keys[k]) ? v_path(o->v, keys[k]) : o->v, "KafkaTopic %s: %s is %s, the render's %s",
				     o->name, keys[k] + 5, x, y);
		}
		const struct value *wc = v_path(o->v, "spec.config"), *gc = v_path(got, "spec.config");
		for (size_t i = 0; wc && wc->kind == V_MAP && i < wc->map.n; i++) {
			const char *k = wc->map.items[i].key->str.s;
			const char *x = scalar_text(a, wc->map.items[i].val), *y = scalar_text(a, map_get(gc, k));
			if (strcmp(x, y))
				DIFF(wc->map.items[i].val, "KafkaTopic %s: config %s is %s, the render's %s", o->name, k, x, y);
		}
	}
#undef DIFF
	return n;
}

/* The first path where got differs from want, into path; false when none. */
static bool differs(struct arena *a, const struct value *want, const struct value *got, const char *at, const char **path,
		    const struct value **where)
{
	if (want->kind == V_MAP && got->kind == V_MAP) {
		for (size_t i = 0; i < want->map.n; i++) {
			const char *k = want->map.items[i].key->str.s;
			const struct value *g = map_get(got, k);
			const char *sub = arena_printf(a, "%s.%s", at, k);
			if (!g) {
				*path = sub;
				*where = want->map.items[i].key;
				return true;
			}
			if (differs(a, want->map.items[i].val, g, sub, path, where))
				return true;
		}
		for (size_t i = 0; i < got->map.n; i++)
			if (!map_get(want, got->map.items[i].key->str.s)) {
				*path = arena_printf(a, "%s.%s (only in the render)", at, got->map.items[i].key->str.s);
				*where = want;
				return true;
			}
		return false;
	}
	if (want->kind == V_SEQ && got->kind == V_SEQ) {
		const char *last = strrchr(at, '.');
		if (last && (!strcmp(last, ".acls") || !strcmp(last, ".superUsers")))
			if (set_equal(want, got))
				return false;
		if (want->seq.n != got->seq.n) {
			*path = arena_printf(a, "%s (%zu entries, the render %zu)", at, (size_t)want->seq.n, (size_t)got->seq.n);
			*where = want;
			return true;
		}
		for (size_t i = 0; i < want->seq.n; i++)
			if (differs(a, want->seq.items[i], got->seq.items[i], arena_printf(a, "%s[%zu]", at, i), path, where))
				return true;
		return false;
	}
	if (v_equal(want, got))
		return false;
	/* An integer Helm printed as a float is the same number. */
	if ((want->kind == V_FLOAT && got->kind == V_INT && want->f == (double)got->i) ||
	    (want->kind == V_STRING && got->kind == V_INT && want->str.len && !strcmp(want->str.s, arena_printf(a, "%lld", got->i))))
		return false;
	*path = at;
	*where = want;
	return true;
}

int import_verify(struct ctx *c, struct value *spec, const struct imp_set *s)
{
	size_t first = c->diags.n;
	struct value *model = model_load_tree(c, spec, PRUNE_LABEL);
	struct objset got = { 0 };
	int r = model ? objset_from_model(c, model, PRUNE_LABEL, data_path(c, "templates"), &got, NULL) : -1;
	diags_drop_since(&c->diags, first);
	if (r != 0)
		return -1;
	objset_sort(&got);
	int ndiff = 0;
	bool own = false;
	for (size_t i = 0; i < s->n; i++)
		own |= !strcmp(v_as_str(map_get(v_path(s->items[i].v, "metadata.labels"), "app.kubernetes.io/managed-by"), ""), "asbgen");
	bool *seen = arena_alloc(c->arena, got.n + 1);
	for (size_t i = 0; i < s->n; i++) {
		const struct imp_obj *o = &s->items[i];
		if (!strcmp(o->kind, "Kustomization") || o->fate == IMP_LOST)
			continue;
		/* Field by field only what asbgen made (another chart's labels,
		 * probes and defaults differ by design; tests/import_meaning.py
		 * compares those renders by meaning). */
		const char *mb = v_as_str(map_get(v_path(o->v, "metadata.labels"), "app.kubernetes.io/managed-by"), "");
		bool strimzi = !strcmp(o->kind, "KafkaUser") || !strcmp(o->kind, "KafkaTopic");
		if (strcmp(mb, "asbgen") && !strimzi)
			continue;
		const struct object *ro = objset_find(&got, group_of(c->arena, o->api), o->kind, o->ns ? o->ns : map_get(spec, "namespace") ? map_get(spec, "namespace")->str.s : "alert-stream-broker", o->name);
		if (!ro) {
			diag_at(&c->diags, SEV_WARNING, &o->v->mark, "import-differs", "the spec does not give this object back",
				"%s %s: the imported spec renders no such object", o->kind, o->name);
			ndiff++;
			continue;
		}
		seen[ro - got.items] = true;
		if (strcmp(mb, "asbgen")) {
			ndiff += meaning_differs(c, o, ro->v);
			continue;
		}
		static const char *const parts[] = { "spec", "data" };
		/* From the cluster (import --live): what the server filled in is
		 * not the input's, as for diff --live. */
		const struct value *ov = o->v->mark.line ? o->v : live_project(c->arena, o->v, (const struct value *const *)&ro->v, 1);
		for (size_t k = 0; k < 2; k++) {
			const struct value *w = map_get(ov, parts[k]), *g = map_get(ro->v, parts[k]);
			const char *path = NULL;
			const struct value *where = NULL;
			if (!w && !g)
				continue;
			if (!w || !g ? (path = parts[k], where = o->v, true) : differs(c->arena, w, g, parts[k], &path, &where)) {
				diag_at(&c->diags, SEV_WARNING, &where->mark, "import-differs",
					"the rendered spec differs here from the input",
					"%s %s: %s differs in the render of the imported spec", o->kind, o->name, path);
				ndiff++;
			}
		}
	}
	for (size_t i = 0; own && i < got.n; i++) {
		const struct object *ro = &got.items[i];
		if (seen[i] || !strcmp(ro->kind, OBJ_FILE_KIND) || !ro->rel || strncmp(ro->rel, "kubernetes/", 11))
			continue;
		diag_pos(&c->diags, SEV_WARNING, NULL, 0, 0, "import-differs", "asbgen makes it from the spec; the input had none",
			 "the imported spec also renders %s %s, which the input does not have", ro->kind, ro->name);
		ndiff++;
	}
	return ndiff;
}

/* ---- the YAML ---- */

static void scalar(struct buf *out, const struct value *v)
{
	struct buf b = BUF_INIT;
	struct diags d;
	struct arena *a = arena_new();
	diags_init(&d, a);
	if (emit_yaml(&b, v, &d) == 0) {
		while (b.len && b.data[b.len - 1] == '\n')
			b.len--;
		buf_add(out, b.data, b.len);
	}
	diags_free(&d);
	arena_free(a);
	buf_free(&b);
}

static bool flowable(const struct value *v)
{
	if (v->kind == V_STRING)
		return v->str.len < 60 && !strpbrk(v->str.s, ",[]{}\n");
	return v->kind != V_SEQ && v->kind != V_MAP;
}

/* A list of scalars, or a mapping of scalars and such lists, short enough
 * for one line. */
static bool flow_ok(const struct value *v, size_t *width)
{
	if (v->kind == V_SEQ) {
		for (size_t i = 0; i < v->seq.n; i++)
			if (!flowable(v->seq.items[i]))
				return false;
			else if (v->seq.items[i]->kind == V_STRING)
				*width += v->seq.items[i]->str.len + 2;
			else
				*width += 8;
		return true;
	}
	if (v->kind == V_MAP) {
		for (size_t i = 0; i < v->map.n; i++) {
			const struct value *x = v->map.items[i].val;
			*width += v->map.items[i].key->str.len + 2;
			if (x->kind == V_SEQ || x->kind == V_MAP) {
				if (x->kind == V_MAP || !flow_ok(x, width))
					return false;
			} else if (!flowable(x)) {
				return false;
			} else {
				*width += x->kind == V_STRING ? x->str.len + 2 : 8;
			}
		}
		return true;
	}
	return true;
}

static void flow(struct buf *out, const struct value *v)
{
	if (v->kind == V_SEQ) {
		buf_putc(out, '[');
		for (size_t i = 0; i < v->seq.n; i++) {
			if (i)
				buf_puts(out, ", ");
			scalar(out, v->seq.items[i]);
		}
		buf_putc(out, ']');
	} else if (v->kind == V_MAP) {
		buf_putc(out, '{');
		for (size_t i = 0; i < v->map.n; i++) {
			if (i)
				buf_puts(out, ", ");
			scalar(out, v->map.items[i].key);
			buf_puts(out, ": ");
			flow(out, v->map.items[i].val);
		}
		buf_putc(out, '}');
	} else {
		scalar(out, v);
	}
}

struct anchors {
	const struct value **lists;
	const char **names;
	size_t n;
};

static const char *anchor_of(const struct anchors *an, const struct value *v)
{
	for (size_t i = 0; i < an->n; i++)
		if (an->lists[i] == v || v_equal(an->lists[i], v))
			return an->names[i];
	return NULL;
}

static void node(struct buf *out, const struct value *v, int ind, const struct anchors *an, bool in_users);

/* "key: value" (or "key:" and the block below), at ind. */
static void entry(struct buf *out, const struct value *k, const struct value *v, int ind, const struct anchors *an,
		  bool in_users)
{
	scalar(out, k);
	buf_putc(out, ':');
	const char *a = in_users && !strcmp(k->str.s, "topics") && v->kind == V_SEQ ? anchor_of(an, v) : NULL;
	size_t w = (size_t)ind + k->str.len;
	if (a) {
		buf_printf(out, " *%s\n", a);
	} else if ((v->kind == V_SEQ || v->kind == V_MAP) && (v->kind == V_SEQ ? v->seq.n == 0 : v->map.n == 0)) {
		buf_puts(out, v->kind == V_SEQ ? " []\n" : " {}\n");
	} else if ((v->kind == V_SEQ || (v->kind == V_MAP && ind > 0)) && flow_ok(v, &w) && w < 90) {
		buf_putc(out, ' ');
		flow(out, v);
		buf_putc(out, '\n');
	} else if (v->kind == V_SEQ || v->kind == V_MAP) {
		buf_putc(out, '\n');
		node(out, v, ind + 2, an, in_users || !strcmp(k->str.s, "users"));
	} else {
		buf_putc(out, ' ');
		scalar(out, v);
		buf_putc(out, '\n');
	}
}

static void node(struct buf *out, const struct value *v, int ind, const struct anchors *an, bool in_users)
{
	if (v->kind == V_MAP) {
		for (size_t i = 0; i < v->map.n; i++) {
			buf_indent(out, ind);
			entry(out, v->map.items[i].key, v->map.items[i].val, ind, an, in_users);
		}
		return;
	}
	for (size_t i = 0; i < v->seq.n; i++) {
		const struct value *x = v->seq.items[i];
		buf_indent(out, ind);
		buf_puts(out, "- ");
		size_t w = (size_t)ind + 2;
		if (x->kind == V_MAP && x->map.n && !(in_users && map_get(x, "topics") && anchor_of(an, map_get(x, "topics"))) &&
		    flow_ok(x, &w) && w < 100) {
			flow(out, x);
			buf_putc(out, '\n');
		} else if (x->kind == V_MAP && x->map.n) {
			for (size_t j = 0; j < x->map.n; j++) {
				if (j)
					buf_indent(out, ind + 2);
				entry(out, x->map.items[j].key, x->map.items[j].val, ind + 2, an, in_users);
			}
		} else {
			flow(out, x);
			buf_putc(out, '\n');
		}
	}
}

/* Topic lists of two or more entries that two or more users share. */
static void find_anchors(struct arena *a, const struct value *users, struct anchors *an)
{
	size_t n = users && users->kind == V_SEQ ? users->seq.n : 0;
	an->lists = arena_alloc(a, (n + 1) * sizeof *an->lists);
	an->names = arena_alloc(a, (n + 1) * sizeof *an->names);
	for (size_t i = 0; i < n; i++) {
		const struct value *t = map_get(users->seq.items[i], "topics");
		if (!t || t->kind != V_SEQ || t->seq.n < 2 || anchor_of(an, t))
			continue;
		size_t shared = 0;
		for (size_t j = 0; j < n; j++) {
			const struct value *u = map_get(users->seq.items[j], "topics");
			shared += u && v_equal(u, t);
		}
		if (shared < 2)
			continue;
		an->lists[an->n] = t;
		an->names[an->n] = an->n ? arena_printf(a, "shared-topics-%zu", an->n + 1) : "shared-topics";
		an->n++;
	}
}

void import_write(struct buf *out, const struct value *spec, const struct value *notes)
{
	buf_puts(out, "# yaml-language-server: $schema=../schemas/environment.schema.json\n");
	buf_puts(out, "#\n# Imported by asbgen import from Kubernetes manifests.");
	if (notes && notes->seq.n)
		buf_puts(out, " Inferred, not read:\n");
	else
		buf_putc(out, '\n');
	for (size_t i = 0; notes && i < notes->seq.n; i++)
		buf_printf(out, "# - %s\n", notes->seq.items[i]->str.s);
	struct arena *a = arena_new();
	struct anchors an = { 0 };
	find_anchors(a, map_get(spec, "users"), &an);
	for (size_t i = 0; i < spec->map.n; i++) {
		const struct pair *p = &spec->map.items[i];
		if (!strcmp(p->key->str.s, "users"))
			for (size_t j = 0; j < an.n; j++) {
				buf_printf(out, "\n# A topic list several users share.\nx-%s: &%s\n", an.names[j], an.names[j]);
				node(out, an.lists[j], 2, &an, false);
			}
		if (i && (p->val->kind == V_MAP || p->val->kind == V_SEQ))
			buf_putc(out, '\n');
		entry(out, p->key, p->val, 0, &an, false);
	}
	arena_free(a);
}
