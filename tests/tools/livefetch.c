/* livefetch - the live side of `asbgen diff --live`, alone, for the tests.
 *
 *   livefetch [--kubeconfig FILE] [--context NAME] [--insecure-skip-tls-verify]
 *             [--request-timeout T] MANIFEST.yaml...
 *
 * Reads Kubernetes manifests (one object per document), fetches the live
 * object of each from the cluster (live.h) and prints one JSON object a
 * line, in the manifests' order, then the prune candidates:
 *
 *   {"live": {"kind": K, "namespace": NS, "name": N, "source": URL}, "object": {...}}
 *   {"absent": {"kind": K, "namespace": NS, "name": N}}
 *   {"prune": {"kind": K, "namespace": NS, "name": N, "source": URL}, "object": {...}}
 *
 * The tests compare "object" (the cleaned live object) with the manifest.
 * Exit 0, or 2 with the diagnostics on stderr.
 */
#include "arena.h"
#include "cli.h"
#include "json_value.h"
#include "kube.h"
#include "live.h"
#include "load.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static void add_manifest(struct ctx *c, struct objset *s, const char *path)
{
	size_t len;
	char *text = load_file_text(c->arena, &c->diags, path, &len);
	struct value **docs;
	int n = text ? load_yaml_stream(c->arena, &c->diags, path, text, len, &docs) : -1;
	for (int i = 0; i < n; i++) {
		struct object o;
		if (!object_from_k8s(c->arena, docs[i], path, &o))
			continue; /* the kustomization: not a cluster object */
		objset_add(c->arena, s, &o);
	}
}

static void print_line(const char *what, const struct object *o, bool with_source)
{
	json_t *id = json_pack("{s:s, s:s, s:s}", "kind", o->kind, "namespace", o->ns, "name", o->name);
	if (with_source)
		json_object_set_new(id, "source", json_string(o->source));
	json_t *line = json_pack("{s:o}", what, id);
	if (with_source)
		json_object_set_new(line, "object", value_to_json(o->v));
	char *s = json_dumps(line, JSON_COMPACT | JSON_SORT_KEYS);
	if (s)
		puts(s);
	free(s);
	json_decref(line);
}

static bool in_set(const struct objset *s, const struct object *o)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->items[i].kind, o->kind) && !strcmp(s->items[i].name, o->name) &&
		    !strcmp(s->items[i].ns, o->ns))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	struct live_opts o = { .timeout_ms = LIVE_DEFAULT_TIMEOUT_MS };
	o.src.env = getenv("KUBECONFIG");
	o.src.home = getenv("HOME");
	struct ctx c;
	ctx_init(&c);
	struct objset rendered = { 0 }, live = { 0 }, prune = { 0 };
	for (int i = 1; i < argc; i++) {
		const char *val;
		int r;
		if ((r = opt_value(argc, argv, &i, "--kubeconfig", &val)) != 0) {
			if (r < 0)
				return 2;
			o.src.explicit_path = val;
		} else if ((r = opt_value(argc, argv, &i, "--context", &val)) != 0) {
			if (r < 0)
				return 2;
			o.src.context = val;
		} else if ((r = opt_value(argc, argv, &i, "--request-timeout", &val)) != 0) {
			if (r < 0 || !kube_parse_timeout(val, &o.timeout_ms)) {
				fprintf(stderr, "livefetch: bad --request-timeout\n");
				return 2;
			}
		} else if (!strcmp(argv[i], "--insecure-skip-tls-verify")) {
			o.insecure = true;
		} else {
			add_manifest(&c, &rendered, argv[i]);
		}
	}
	int rc = c.diags.nerrors ? 2 : 0;
	if (!rc && live_fetch(c.arena, &c.diags, &o, &rendered, &live, &prune, NULL) < 0)
		rc = 2;
	if (!rc) {
		for (size_t i = 0; i < rendered.n; i++) {
			const struct object *r = &rendered.items[i];
			if (!strcmp(r->kind, "Kustomization"))
				continue;
			bool found = false;
			for (size_t j = 0; j < live.n && !found; j++)
				if (!strcmp(live.items[j].kind, r->kind) && !strcmp(live.items[j].name, r->name) &&
				    !strcmp(live.items[j].ns, r->ns)) {
					print_line("live", &live.items[j], true);
					found = true;
				}
			if (!found)
				print_line("absent", r, false);
		}
		for (size_t i = 0; i < prune.n; i++)
			if (!in_set(&rendered, &prune.items[i]))
				print_line("prune", &prune.items[i], true);
	}
	ctx_report(&c);
	ctx_free(&c);
	return rc;
}
