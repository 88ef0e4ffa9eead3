/* import_read.c - `asbgen import`'s input: Kubernetes objects from files
 * and folders, each with the file:line:column it starts at. */
#include "arena.h"
#include "ctx.h"
#include "dirwalk.h"
#include "import.h"
#include "live.h"
#include "load.h"
#include "objset.h"

#include <string.h>

static void push(struct arena *a, struct imp_set *s, const struct imp_obj *o)
{
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 32;
		s->items = arena_realloc(a, s->items, s->cap * sizeof *s->items, nc * sizeof *s->items);
		s->cap = nc;
	}
	s->items[s->n++] = *o;
}

/* Binary junk is refused before the YAML parser sees it: a NUL or another
 * control character (not tab, CR, LF) is no manifest's text. */
static bool text_usable(struct diags *d, const char *path, const char *t, size_t len)
{
	int line = 1, col = 1;
	for (size_t i = 0; i < len; i++, col++) {
		unsigned char ch = (unsigned char)t[i];
		if (ch == '\n') {
			line++;
			col = 0;
		} else if ((ch < 0x20 && ch != '\t' && ch != '\r') || ch == 0x7f) {
			diag_pos(d, SEV_ERROR, path, line, col, "import-binary",
				 "give manifests: YAML or JSON text (helm template, kustomize build, kubectl get -o yaml)",
				 "not a text file: byte 0x%02x", ch);
			return false;
		}
	}
	return true;
}

static const char *sget(const struct value *v, const char *key)
{
	const struct value *x = map_get(v, key);
	return x && x->kind == V_STRING ? x->str.s : NULL;
}

/* One document: an object, or a List of them. */
static bool add_doc(struct ctx *c, struct imp_set *out, struct value *doc, int depth)
{
	const char *api = doc->kind == V_MAP ? sget(doc, "apiVersion") : NULL;
	const char *kind = doc->kind == V_MAP ? sget(doc, "kind") : NULL;
	if (!api || !kind) {
		diag_at(&c->diags, SEV_ERROR, &doc->mark, "import-not-kubernetes",
			"import reads Kubernetes objects: mappings with apiVersion, kind and metadata.name",
			"not a Kubernetes object: no %s", !api ? "apiVersion" : "kind");
		return false;
	}
	const struct value *items = map_get(doc, "items");
	size_t kl = strlen(kind);
	if (kl >= 4 && !strcmp(kind + kl - 4, "List") && items && items->kind == V_SEQ && depth == 0) {
		bool ok = true;
		for (size_t i = 0; i < items->seq.n; i++)
			ok &= add_doc(c, out, items->seq.items[i], 1);
		return ok;
	}
	const struct value *md = map_get(doc, "metadata");
	const char *name = sget(md, "name");
	if (!name && !strcmp(kind, "Kustomization"))
		name = "kustomization"; /* kustomize's list of the files, not an object */
	if (!name) {
		diag_at(&c->diags, SEV_ERROR, md ? &md->mark : &doc->mark, "import-not-kubernetes",
			"every object needs metadata.name", "%s without metadata.name", kind);
		return false;
	}
	struct imp_obj o = { doc, api, kind, name, sget(md, "namespace"), IMP_UNSEEN };
	push(c->arena, out, &o);
	return true;
}

static bool read_file(struct ctx *c, const char *path, struct imp_set *out)
{
	size_t len;
	char *text = load_file_text(c->arena, &c->diags, path, &len);
	if (!text || !text_usable(&c->diags, path, text, len))
		return false;
	struct value **docs;
	int n = load_yaml_stream_lenient(c->arena, &c->diags, path, text, len, &docs);
	if (n < 0)
		return false;
	bool ok = true;
	for (int i = 0; i < n; i++)
		if (docs[i]->kind != V_NULL)
			ok &= add_doc(c, out, docs[i], 0);
	return ok;
}

/* One namespace: the spec has one.  Objects without one are in it. */
static bool one_namespace(struct ctx *c, const struct imp_set *s)
{
	const char *ns = NULL;
	const struct imp_obj *first = NULL;
	for (size_t i = 0; i < s->n; i++) {
		const struct imp_obj *o = &s->items[i];
		if (!o->ns)
			continue;
		if (!ns) {
			ns = o->ns;
			first = o;
		} else if (strcmp(ns, o->ns)) {
			const struct value *nv = v_path(o->v, "metadata.namespace");
			diag_at(&c->diags, SEV_ERROR, &nv->mark, "import-namespaces",
				"import one namespace at a time (kubectl get -n NAMESPACE, or the folder of one application)",
				"%s %s is in namespace '%s', but %s %s (%s:%d) is in '%s'", o->kind, o->name, o->ns,
				first->kind, first->name, first->v->mark.file, first->v->mark.line, ns);
			return false;
		}
	}
	return true;
}

bool import_read(struct ctx *c, char *const *args, size_t nargs, struct imp_set *out)
{
	static const char *const exts[] = { ".yaml", ".yml", ".json", NULL };
	bool ok = true;
	for (size_t i = 0; i < nargs; i++) {
		struct pathlist pl = { 0 };
		if (!dirwalk_collect(c->arena, &c->diags, args[i], exts, "io", &pl)) {
			ok = false;
			continue;
		}
		if (pl.n == 0) {
			diag_pos(&c->diags, SEV_ERROR, args[i], 0, 0, "import-empty",
				 "give the folder of the manifests (.yaml, .yml or .json files)",
				 "no manifests here: no .yaml, .yml or .json file");
			ok = false;
		}
		for (size_t j = 0; j < pl.n; j++)
			ok &= read_file(c, pl.items[j], out);
	}
	if (ok && out->n == 0) {
		diag_pos(&c->diags, SEV_ERROR, nargs ? args[0] : NULL, 0, 0, "import-empty",
			 "give the manifests of a Strimzi deployment", "no Kubernetes objects in the input");
		ok = false;
	}
	return ok && one_namespace(c, out);
}

/* The kinds import reads, asked of the cluster.  The API server lists
 * them in the namespace; live_fetch's prune list is exactly what import
 * wants: every object of these kinds that no other controller made
 * (Strimzi's own Services and Secrets are left out), server fields
 * stripped as diff --live strips them. */
static const char *const live_kinds[][2] = {
	{ "kafka.strimzi.io/v1beta2", "Kafka" },       { "kafka.strimzi.io/v1beta2", "KafkaNodePool" },
	{ "kafka.strimzi.io/v1beta2", "KafkaTopic" },  { "kafka.strimzi.io/v1beta2", "KafkaUser" },
	{ "roundtable.lsst.codes/v1beta1", "StrimziSchemaRegistry" }, { "ricoberger.de/v1alpha1", "VaultSecret" },
	{ "cert-manager.io/v1", "Certificate" },       { "apps/v1", "Deployment" },
	{ "batch/v1", "Job" },                         { "networking.k8s.io/v1", "Ingress" },
	{ "v1", "Service" },                           { "v1", "ServiceAccount" },
	{ "v1", "ConfigMap" },
};

bool import_read_live(struct ctx *c, const struct live_opts *lo, const char *ns, struct imp_set *out)
{
	struct objset probe = { 0 }, live = { 0 }, found = { 0 };
	for (size_t i = 0; i < sizeof live_kinds / sizeof *live_kinds; i++) {
		const char *api = live_kinds[i][0], *sl = strchr(api, '/');
		struct value *doc = v_map(c->arena, NULL);
		map_set_lit(c->arena, doc, "apiVersion", v_lit(c->arena, NULL, api));
		map_set_lit(c->arena, doc, "kind", v_lit(c->arena, NULL, live_kinds[i][1]));
		/* A name no object has: the list is what import reads. */
		struct object o = { sl ? arena_strndup(c->arena, api, (size_t)(sl - api)) : "", sl ? sl + 1 : api,
				    live_kinds[i][1], ns, "asbgen-import-probe-", "(import)", doc, "kubernetes/probe.yaml" };
		objset_add(c->arena, &probe, &o);
	}
	size_t first = c->diags.n;
	const char *label = NULL;
	if (live_fetch(c->arena, &c->diags, lo, &probe, &live, &found, &label) != 0)
		return false;
	/* A kind the cluster does not serve has no objects to import. */
	for (size_t i = first; i < c->diags.n; i++)
		if (!strcmp(c->diags.items[i].id, "kube-not-served") || !strcmp(c->diags.items[i].id, "kube-version")) {
			memmove(&c->diags.items[i], &c->diags.items[i + 1], (c->diags.n - i - 1) * sizeof *c->diags.items);
			c->diags.n--;
			c->diags.nwarnings--;
			i--;
		}
	for (size_t i = 0; i < found.n; i++) {
		const struct object *f = &found.items[i];
		/* Diagnostics name the object by its URL. */
		f->v->mark = (struct mark){ f->source, 0, 0 };
		if (!add_doc(c, out, f->v, 0))
			return false;
	}
	if (out->n == 0) {
		diag_pos(&c->diags, SEV_ERROR, NULL, 0, 0, "import-empty", "check --namespace and the kubeconfig's context",
			 "no objects to import in namespace %s of the %s", ns, label ? label : "cluster");
		return false;
	}
	return one_namespace(c, out);
}
