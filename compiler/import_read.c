/* import_read.c - `asbgen import`'s input: Kubernetes objects from files
 * and folders, each with the file:line:column it starts at. */
#include "arena.h"
#include "ctx.h"
#include "dirwalk.h"
#include "import.h"
#include "load.h"

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
