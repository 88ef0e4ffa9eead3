/* crd.c - CustomResourceDefinitions -> schemas (semantics of crdcheck.py). */
#include "crd.h"
#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "dirwalk.h"
#include "json_value.h"
#include "load.h"
#include "schema.h"

#include <string.h>

struct crd_entry {
	const char *api_version; /* "<group>/<version>" */
	const char *group, *version, *kind;
	const struct value *openapi; /* the openAPIV3Schema mapping */
	struct schema *schema;       /* built on first use */
	bool built, broken;
};

struct crd_set {
	struct arena *a;
	struct crd_entry *e;
	size_t n, cap;
};

struct crd_set *crd_set_new(struct arena *a)
{
	struct crd_set *cs = xcalloc(1, sizeof *cs);
	cs->a = a;
	return cs;
}

void crd_set_free(struct crd_set *cs)
{
	if (!cs)
		return;
	for (size_t i = 0; i < cs->n; i++)
		schema_free(cs->e[i].schema);
	free(cs->e);
	free(cs);
}

size_t crd_set_count(const struct crd_set *cs)
{
	return cs->n;
}

/* ------------------------------------------------------------------ */
/* OpenAPI v3 (structural) -> strict JSON Schema */

/* Python's truth value of a JSON value (crdcheck.py tests flags with it). */
static bool truthy(const json_t *j)
{
	switch (j ? json_typeof(j) : JSON_NULL) {
	case JSON_TRUE: return true;
	case JSON_INTEGER: return json_integer_value(j) != 0;
	case JSON_REAL: return json_real_value(j) != 0.0;
	case JSON_STRING: return json_string_length(j) > 0;
	case JSON_ARRAY: return json_array_size(j) > 0;
	case JSON_OBJECT: return json_object_size(j) > 0;
	default: return false;
	}
}

static bool dropped_key(const char *k)
{
	static const char *const drop[] = { "nullable", "default", "description", "example", "format" };
	if (strncmp(k, "x-kubernetes-", 13) == 0)
		return true;
	for (size_t i = 0; i < sizeof drop / sizeof drop[0]; i++)
		if (!strcmp(k, drop[i]))
			return true;
	return false;
}

/* crdcheck.py's strict(), rule for rule. */
static json_t *strict(const json_t *schema)
{
	if (!json_is_object(schema))
		return json_deep_copy(schema);
	json_t *s = json_object();
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)schema, k, v) {
		if ((!strcmp(k, "properties") || !strcmp(k, "patternProperties")) && json_is_object(v)) {
			json_t *m = json_object();
			const char *name;
			json_t *sub;
			json_object_foreach(v, name, sub)
				json_object_set_new(m, name, strict(sub));
			json_object_set_new(s, k, m);
		} else if ((!strcmp(k, "items") || !strcmp(k, "additionalProperties") || !strcmp(k, "not")) &&
			   json_is_object(v)) {
			json_object_set_new(s, k, strict(v));
		} else if ((!strcmp(k, "allOf") || !strcmp(k, "anyOf") || !strcmp(k, "oneOf")) &&
			   json_is_array(v)) {
			json_t *arr = json_array();
			size_t i;
			json_t *sub;
			json_array_foreach(v, i, sub)
				json_array_append_new(arr, strict(sub));
			json_object_set_new(s, k, arr);
		} else if (dropped_key(k)) {
			continue;
		} else {
			json_object_set_new(s, k, json_deep_copy(v));
		}
	}
	if (truthy(json_object_get(schema, "x-kubernetes-int-or-string"))) {
		json_object_del(s, "type");
		json_object_set_new(s, "anyOf", json_pack("[{s:s},{s:s}]", "type", "integer", "type", "string"));
	}
	if (!truthy(json_object_get(schema, "x-kubernetes-preserve-unknown-fields"))) {
		const json_t *t = json_object_get(s, "type");
		if (json_is_string(t) && !strcmp(json_string_value(t), "object") &&
		    json_object_get(s, "properties") && !json_object_get(s, "additionalProperties"))
			json_object_set_new(s, "additionalProperties", json_false());
	}
	if (truthy(json_object_get(schema, "nullable")) && json_object_get(s, "type")) {
		json_t *t = json_object_get(s, "type");
		json_t *list = json_is_array(t) ? json_deep_copy(t) : json_pack("[O]", t);
		json_array_append_new(list, json_string("null"));
		json_object_set_new(s, "type", list);
	}
	return s;
}

/* Draft 4 minimum/exclusiveMinimum: the flag makes the bound exclusive. */
static void draft4_bound(json_t *s, const char *bound, const char *flag)
{
	json_t *ex = json_object_get(s, flag);
	if (!ex)
		return;
	json_t *b = json_object_get(s, bound);
	if (truthy(ex) && b) {
		json_object_set(s, flag, b);
		json_object_del(s, bound);
	} else {
		json_object_del(s, flag);
	}
}

static void draft4(json_t *s);

static void draft4_each_value(json_t *o)
{
	const char *k;
	json_t *v;
	if (json_is_object(o))
		json_object_foreach(o, k, v)
			draft4(v);
}

static void draft4_each_item(json_t *a)
{
	size_t i;
	json_t *v;
	if (json_is_array(a))
		json_array_foreach(a, i, v)
			draft4(v);
}

/* Read the schema as a draft 4 validator does (crdcheck.py uses
 * Draft4Validator); the engine speaks draft-07.  Formats are not checked
 * by crdcheck.py either, so they go too. */
static void draft4(json_t *s)
{
	static const char *const later[] = { "const", "contains", "propertyNames", "if", "then", "else",
					     "format" };
	if (!json_is_object(s))
		return;
	draft4_bound(s, "minimum", "exclusiveMinimum");
	draft4_bound(s, "maximum", "exclusiveMaximum");
	for (size_t i = 0; i < sizeof later / sizeof later[0]; i++)
		json_object_del(s, later[i]);
	draft4_each_value(json_object_get(s, "properties"));
	draft4_each_value(json_object_get(s, "patternProperties"));
	draft4_each_value(json_object_get(s, "definitions"));
	draft4_each_value(json_object_get(s, "dependencies"));
	json_t *items = json_object_get(s, "items");
	if (json_is_array(items))
		draft4_each_item(items);
	else
		draft4(items);
	draft4(json_object_get(s, "additionalItems"));
	draft4(json_object_get(s, "additionalProperties"));
	draft4(json_object_get(s, "not"));
	draft4_each_item(json_object_get(s, "allOf"));
	draft4_each_item(json_object_get(s, "anyOf"));
	draft4_each_item(json_object_get(s, "oneOf"));
}

json_t *crd_translate(const json_t *openapi, bool root)
{
	if (!json_is_object(openapi))
		return NULL;
	json_t *s = strict(openapi);
	draft4(s);
	if (root) {
		/* apiVersion, kind and metadata are implicit on every object */
		json_t *props = json_object_get(s, "properties");
		if (!props) {
			props = json_object();
			json_object_set_new(s, "properties", props);
		}
		if (json_is_object(props)) {
			if (!json_object_get(props, "apiVersion"))
				json_object_set_new(props, "apiVersion", json_pack("{s:s}", "type", "string"));
			if (!json_object_get(props, "kind"))
				json_object_set_new(props, "kind", json_pack("{s:s}", "type", "string"));
			if (!json_object_get(props, "metadata"))
				json_object_set_new(props, "metadata", json_pack("{s:s}", "type", "object"));
		}
	}
	return s;
}

/* ------------------------------------------------------------------ */
/* Loading */

/* Python truth of a loaded value (served: defaults to true when absent). */
static bool vtruthy(const struct value *v)
{
	switch (v->kind) {
	case V_NULL: return false;
	case V_BOOL: return v->b;
	case V_INT: return v->i != 0;
	case V_FLOAT: return v->f != 0.0;
	case V_STRING: return v->str.len > 0;
	case V_SEQ: return v->seq.n > 0;
	case V_MAP: return v->map.n > 0;
	}
	return false;
}

static void put_entry(struct crd_set *cs, const char *group, const char *version, const char *kind,
		      const struct value *openapi)
{
	const char *av = arena_printf(cs->a, "%s/%s", group, version);
	struct crd_entry *e = NULL;
	for (size_t i = 0; i < cs->n; i++)
		if (!strcmp(cs->e[i].api_version, av) && !strcmp(cs->e[i].kind, kind))
			e = &cs->e[i]; /* a later definition replaces an earlier one */
	if (!e) {
		if (cs->n == cs->cap) {
			cs->cap = cs->cap ? cs->cap * 2 : 8;
			cs->e = xrealloc(cs->e, cs->cap * sizeof *cs->e);
		}
		e = &cs->e[cs->n++];
		e->schema = NULL;
	}
	schema_free(e->schema);
	*e = (struct crd_entry){ .api_version = av, .group = group, .version = version, .kind = kind,
				 .openapi = openapi };
}

static bool load_version(struct crd_set *cs, struct diags *d, const struct value *ver,
			 const char *group, const char *kind)
{
	if (ver->kind != V_MAP) {
		diag_at(d, SEV_ERROR, &ver->mark, "crd-not-mapping", "each entry of spec.versions is a mapping",
			"CRD %s: a version that is not a mapping (%s)", kind, vkind_name(ver->kind));
		return false;
	}
	const char *name = v_as_str(map_get(ver, "name"), NULL);
	if (!name) {
		diag_at(d, SEV_ERROR, &ver->mark, "crd-malformed", "add name: v1 (the version's name)",
			"CRD %s: a version without a name", kind);
		return false;
	}
	const struct value *served = map_get(ver, "served");
	if (served && !vtruthy(served))
		return true;
	const struct value *sch = map_get(ver, "schema");
	if (!sch || !vtruthy(sch))
		return true;
	if (sch->kind != V_MAP) {
		diag_at(d, SEV_ERROR, &sch->mark, "crd-not-mapping", "schema: {openAPIV3Schema: {...}}",
			"CRD %s version %s: schema is not a mapping", kind, name);
		return false;
	}
	const struct value *oa = map_get(sch, "openAPIV3Schema");
	if (!oa || !vtruthy(oa))
		return true; /* no schema: objects of this version are not judged */
	if (oa->kind != V_MAP) {
		diag_at(d, SEV_ERROR, &oa->mark, "crd-not-mapping", "openAPIV3Schema is a schema object",
			"CRD %s version %s: openAPIV3Schema is not a mapping (%s)", kind, name,
			vkind_name(oa->kind));
		return false;
	}
	put_entry(cs, group, name, kind, oa);
	return true;
}

static bool load_crd(struct crd_set *cs, struct diags *d, const struct value *doc)
{
	const struct value *spec = map_get(doc, "spec");
	if (!spec || spec->kind != V_MAP) {
		diag_at(d, SEV_ERROR, spec ? &spec->mark : &doc->mark, "crd-not-mapping",
			"a CustomResourceDefinition has a spec mapping with group, names and versions",
			"CustomResourceDefinition without a spec mapping");
		return false;
	}
	const char *group = v_as_str(map_get(spec, "group"), NULL);
	const struct value *names = map_get(spec, "names");
	const char *kind = v_as_str(map_get(names, "kind"), NULL);
	if (!group || !kind) {
		const struct value *where = !group ? spec : names ? names : spec;
		diag_at(d, SEV_ERROR, &where->mark, "crd-malformed",
			!group ? "set spec.group, e.g. kafka.strimzi.io" : "set spec.names.kind, e.g. Kafka",
			"CustomResourceDefinition without %s", !group ? "a string spec.group" : "a string spec.names.kind");
		return false;
	}
	const struct value *vers = map_get(spec, "versions");
	if (!vers || vers->kind == V_NULL)
		return true;
	if (vers->kind != V_SEQ) {
		diag_at(d, SEV_ERROR, &vers->mark, "crd-malformed", "spec.versions is a list of versions",
			"CRD %s: spec.versions is not a list (%s)", kind, vkind_name(vers->kind));
		return false;
	}
	bool ok = true;
	for (size_t i = 0; i < vers->seq.n; i++)
		ok = load_version(cs, d, vers->seq.items[i], group, kind) && ok;
	return ok;
}

static bool load_file(struct crd_set *cs, struct diags *d, const char *path)
{
	size_t len;
	char *text = load_file_text(cs->a, d, path, &len);
	if (!text)
		return false;
	struct value **docs;
	int n = load_yaml_stream(cs->a, d, path, text, len, &docs);
	if (n < 0)
		return false;
	bool ok = true;
	for (int i = 0; i < n; i++) {
		const struct value *doc = docs[i];
		const char *k = v_as_str(map_get(doc, "kind"), NULL);
		if (k && !strcmp(k, "CustomResourceDefinition"))
			ok = load_crd(cs, d, doc) && ok;
	}
	return ok;
}

bool crd_set_load(struct crd_set *cs, struct diags *d, const char *path)
{
	static const char *const exts[] = { ".yaml", ".yml", NULL };
	struct pathlist files = { 0 };
	bool ok = dirwalk_collect(cs->a, d, path, exts, "crd-load", &files);
	for (size_t i = 0; i < files.n; i++)
		ok = load_file(cs, d, files.items[i]) && ok;
	return ok;
}

/* ------------------------------------------------------------------ */
/* Lookup */

static bool build(struct crd_set *cs, struct diags *d, struct crd_entry *e)
{
	e->built = true;
	json_t *j = value_to_json(e->openapi);
	json_t *t = j ? crd_translate(j, true) : NULL;
	json_decref(j);
	if (!t) {
		diag_at(d, SEV_ERROR, &e->openapi->mark, "crd-schema", NULL,
			"CRD %s %s: openAPIV3Schema cannot be read as a schema", e->kind, e->api_version);
		e->broken = true;
		return false;
	}
	const char *name = e->openapi->mark.file ? e->openapi->mark.file : e->api_version;
	e->schema = schema_from_json(cs->a, t, name);
	if (!e->schema) {
		diag_at(d, SEV_ERROR, &e->openapi->mark, "crd-schema", NULL,
			"CRD %s %s: openAPIV3Schema cannot be compiled", e->kind, e->api_version);
		e->broken = true;
		return false;
	}
	schema_set_integer_literal(e->schema, true);
	return true;
}

/* The kind of the group closest to `kind` (edit distance <= 2), or NULL. */
static const char *closest_kind(const struct crd_set *cs, const char *api_version, size_t glen,
				const char *kind, bool *group_known)
{
	const char *best = NULL;
	int best_d = 3;
	*group_known = false;
	for (size_t i = 0; i < cs->n; i++) {
		const struct crd_entry *e = &cs->e[i];
		if (strlen(e->group) != glen || strncmp(e->group, api_version, glen))
			continue;
		*group_known = true;
		int dist = schema_edit_distance(kind, strlen(kind), e->kind, strlen(e->kind), 2);
		if (dist < best_d) {
			best_d = dist;
			best = e->kind;
		}
	}
	return best;
}

enum crd_match crd_set_lookup(struct crd_set *cs, struct diags *d, const char *api_version,
			      const char *kind, struct schema **out, const char **other)
{
	*out = NULL;
	if (other)
		*other = NULL;
	if (!api_version || !kind)
		return CRD_UNKNOWN;
	for (size_t i = 0; i < cs->n; i++) {
		struct crd_entry *e = &cs->e[i];
		if (strcmp(e->kind, kind) || strcmp(e->api_version, api_version))
			continue;
		if (!e->built)
			build(cs, d, e);
		if (e->broken)
			return CRD_BROKEN;
		*out = e->schema;
		return CRD_SERVED;
	}
	/* The same group and kind at another version? */
	const char *slash = strrchr(api_version, '/');
	size_t glen = slash ? (size_t)(slash - api_version) : 0;
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < cs->n; i++) {
		const struct crd_entry *e = &cs->e[i];
		if (!strcmp(e->kind, kind) && strlen(e->group) == glen && !strncmp(e->group, api_version, glen))
			buf_printf(&b, "%s%s", b.len ? ", " : "", e->api_version);
	}
	if (b.len) {
		if (other)
			*other = arena_strndup(cs->a, b.data, b.len);
		buf_free(&b);
		return CRD_NOT_SERVED;
	}
	bool group_known;
	const char *near = slash ? closest_kind(cs, api_version, glen, kind, &group_known) : NULL;
	if (!slash || !group_known)
		return CRD_UNKNOWN;
	if (other)
		*other = near;
	return CRD_UNKNOWN_KIND;
}
