/* test_crd.c - crd.c's OpenAPI v3 -> JSON Schema translation: nullable,
 * x-kubernetes-int-or-string, x-kubernetes-preserve-unknown-fields, unknown
 * fields, draft 4 readings; checked both on the translated document and by
 * validating instances with the engine. */
#include <stdlib.h>
#include <unistd.h>

#include "arena.h"
#include "crd.h"
#include "diag.h"
#include "json_value.h"
#include "schema.h"
#include "unit.h"

static json_t *parse(const char *text)
{
	json_error_t err;
	json_t *j = json_loads(text, 0, &err);
	if (!j) {
		fprintf(stderr, "bad test JSON: %s: %s\n", text, err.text);
		exit(2);
	}
	return j;
}

/* The translated schema, as compact JSON with sorted keys. */
static char *translated(const char *openapi, bool root)
{
	json_t *in = parse(openapi);
	json_t *out = crd_translate(in, root);
	char *s = out ? json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(in);
	json_decref(out);
	return s;
}

static void check_translation(const char *name, const char *openapi, bool root, const char *want)
{
	char *got = translated(openapi, root);
	CHECK_STR(name, got, want);
	free(got);
}

/* Does instance (JSON) pass the CRD schema openapi, as asbgen check runs it? */
static bool valid(const char *openapi, const char *instance)
{
	struct arena *a = arena_new();
	json_t *in = parse(openapi);
	struct schema *s = schema_from_json(a, crd_translate(in, true), "test");
	schema_set_integer_literal(s, true);
	json_t *ij = json_loads(instance, JSON_DECODE_ANY, NULL);
	struct value *v = value_from_json(a, ij, "instance");
	bool ok = schema_is_valid(s, v);
	json_decref(ij);
	json_decref(in);
	schema_free(s);
	arena_free(a);
	return ok;
}

static const char *widget =
	"{\"type\":\"object\",\"properties\":{\"spec\":{\"type\":\"object\",\"required\":[\"size\"],"
	"\"properties\":{"
	"\"size\":{\"type\":\"integer\",\"minimum\":0,\"exclusiveMinimum\":true},"
	"\"owner\":{\"type\":\"string\",\"nullable\":true},"
	"\"port\":{\"x-kubernetes-int-or-string\":true},"
	"\"extra\":{\"type\":\"object\",\"x-kubernetes-preserve-unknown-fields\":true,"
	"\"properties\":{\"known\":{\"type\":\"string\"}}},"
	"\"free\":{\"type\":\"object\"},"
	"\"labels\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"}},"
	"\"host\":{\"type\":\"string\",\"format\":\"hostname\"}}}}}";

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		perror(path);
		exit(2);
	}
}

static const char *crd_text(const char *version, bool served, const char *spec_type)
{
	static char buf[1024];
	snprintf(buf, sizeof buf,
		 "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
		 "spec:\n  group: t.io\n  names: {kind: Thing}\n  versions:\n"
		 "  - name: %s\n    served: %s\n    schema:\n      openAPIV3Schema:\n"
		 "        type: object\n        properties: {spec: {type: %s}}\n",
		 version, served ? "true" : "false", spec_type);
	return buf;
}

/* Loading directories, lookups, and a later definition replacing one. */
static void test_set(void)
{
	char dir[] = "/tmp/asbgen-test-crd.XXXXXX";
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		exit(2);
	}
	char a_path[64], b_path[64], c_path[64], n_path[64];
	snprintf(a_path, sizeof a_path, "%s/a.yaml", dir);
	snprintf(b_path, sizeof b_path, "%s/b.yml", dir);
	snprintf(c_path, sizeof c_path, "%s/c.yaml", dir);
	snprintf(n_path, sizeof n_path, "%s/notes.txt", dir);
	write_file(a_path, crd_text("v1", true, "string"));
	write_file(b_path, crd_text("v1", true, "integer")); /* replaces a.yaml's */
	write_file(c_path, crd_text("v2", false, "string"));
	write_file(n_path, "not YAML: [");

	struct arena *a = arena_new();
	struct diags d;
	diags_init(&d, a);
	struct crd_set *cs = crd_set_new(a);
	CHECK("set: a directory loads", crd_set_load(cs, &d, dir) && d.n == 0);
	CHECK("set: one (apiVersion, kind) served", crd_set_count(cs) == 1);
	struct schema *s;
	const char *other;
	CHECK("set: served version found", crd_set_lookup(cs, &d, "t.io/v1", "Thing", &s, &other) == CRD_SERVED && s);
	json_t *j = json_pack("{s:s,s:s,s:{},s:i}", "apiVersion", "t.io/v1", "kind", "Thing", "metadata", "spec", 3);
	struct value *v = value_from_json(a, j, "x");
	CHECK("set: the later file's definition wins (spec: integer)", s && schema_is_valid(s, v));
	json_decref(j);
	struct schema *again = NULL;
	CHECK("set: the schema is built once and kept (same schema on the next lookup)",
	      crd_set_lookup(cs, &d, "t.io/v1", "Thing", &again, NULL) == CRD_SERVED && again == s);
	CHECK("set: a version with served: false is not served",
	      crd_set_lookup(cs, &d, "t.io/v2", "Thing", &s, &other) == CRD_NOT_SERVED && other &&
	      !strcmp(other, "t.io/v1"));
	CHECK("set: a misspelt kind of a known group",
	      crd_set_lookup(cs, &d, "t.io/v1", "Thnig", &s, &other) == CRD_UNKNOWN_KIND && other &&
	      !strcmp(other, "Thing"));
	CHECK("set: other kinds are not covered",
	      crd_set_lookup(cs, &d, "apps/v1", "Deployment", &s, &other) == CRD_UNKNOWN && !s);
	CHECK("set: no apiVersion: not covered", crd_set_lookup(cs, &d, NULL, "Thing", &s, NULL) == CRD_UNKNOWN);
	CHECK("set: a missing directory is reported (crd-load)",
	      !crd_set_load(cs, &d, "/nonexistent/asbgen-crds") && d.n == 1 && !strcmp(d.items[0].id, "crd-load"));
	crd_set_free(cs);
	diags_free(&d);
	arena_free(a);
	unlink(a_path);
	unlink(b_path);
	unlink(c_path);
	unlink(n_path);
	rmdir(dir);
}

int main(void)
{
	test_set();

	/* The translation, rule by rule */
	check_translation("nullable adds null to the type",
			  "{\"type\":\"string\",\"nullable\":true}", false, "{\"type\":[\"string\",\"null\"]}");
	check_translation("nullable adds null to a type list",
			  "{\"type\":[\"string\",\"integer\"],\"nullable\":true}", false,
			  "{\"type\":[\"string\",\"integer\",\"null\"]}");
	check_translation("nullable without a type changes nothing",
			  "{\"nullable\":true,\"enum\":[1]}", false, "{\"enum\":[1]}");
	check_translation("int-or-string replaces type and anyOf",
			  "{\"type\":\"string\",\"anyOf\":[{\"type\":\"integer\"}],\"x-kubernetes-int-or-string\":true}",
			  false, "{\"anyOf\":[{\"type\":\"integer\"},{\"type\":\"string\"}]}");
	check_translation("unknown fields are errors where properties are given",
			  "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}", false,
			  "{\"additionalProperties\":false,\"properties\":{\"a\":{\"type\":\"string\"}},\"type\":\"object\"}");
	check_translation("preserve-unknown-fields keeps unknown fields",
			  "{\"type\":\"object\",\"x-kubernetes-preserve-unknown-fields\":true,\"properties\":{\"a\":{}}}",
			  false, "{\"properties\":{\"a\":{}},\"type\":\"object\"}");
	check_translation("an object without properties stays open",
			  "{\"type\":\"object\"}", false, "{\"type\":\"object\"}");
	check_translation("additionalProperties given is kept (and translated)",
			  "{\"type\":\"object\",\"properties\":{},\"additionalProperties\":{\"type\":\"object\","
			  "\"properties\":{\"x\":{}}}}", false,
			  "{\"additionalProperties\":{\"additionalProperties\":false,\"properties\":{\"x\":{}},"
			  "\"type\":\"object\"},\"properties\":{},\"type\":\"object\"}");
	check_translation("items, allOf, anyOf, oneOf and not are translated",
			  "{\"items\":{\"type\":\"string\",\"nullable\":true},\"not\":{\"type\":\"object\","
			  "\"properties\":{}},\"allOf\":[{\"description\":\"d\"}]}", false,
			  "{\"allOf\":[{}],\"items\":{\"type\":[\"string\",\"null\"]},\"not\":{\"additionalProperties\":false,"
			  "\"properties\":{},\"type\":\"object\"}}");
	check_translation("description, default, example, format and x-kubernetes-* go",
			  "{\"type\":\"string\",\"description\":\"d\",\"default\":\"x\",\"example\":\"e\","
			  "\"format\":\"hostname\",\"x-kubernetes-list-type\":\"atomic\"}", false,
			  "{\"type\":\"string\"}");
	check_translation("draft 4 exclusiveMinimum: true becomes the draft-07 bound",
			  "{\"minimum\":0,\"exclusiveMinimum\":true,\"maximum\":5,\"exclusiveMaximum\":false}", false,
			  "{\"exclusiveMinimum\":0,\"maximum\":5}");
	check_translation("draft-06+ keywords are ignored, as a draft 4 validator does",
			  "{\"const\":1,\"contains\":{},\"propertyNames\":{},\"if\":{},\"then\":{},\"else\":{}}", false,
			  "{}");
	check_translation("the root gets apiVersion, kind and metadata",
			  "{\"type\":\"object\",\"properties\":{\"spec\":{}}}", true,
			  "{\"additionalProperties\":false,\"properties\":{\"apiVersion\":{\"type\":\"string\"},"
			  "\"kind\":{\"type\":\"string\"},\"metadata\":{\"type\":\"object\"},\"spec\":{}},\"type\":\"object\"}");
	check_translation("the root keeps the CRD's own metadata schema",
			  "{\"type\":\"object\",\"properties\":{\"metadata\":{\"type\":\"object\",\"properties\":"
			  "{\"name\":{\"type\":\"string\",\"maxLength\":5}}}}}", true,
			  "{\"additionalProperties\":false,\"properties\":{\"apiVersion\":{\"type\":\"string\"},"
			  "\"kind\":{\"type\":\"string\"},\"metadata\":{\"additionalProperties\":false,\"properties\":"
			  "{\"name\":{\"maxLength\":5,\"type\":\"string\"}},\"type\":\"object\"}},\"type\":\"object\"}");
	CHECK("not a JSON object: no schema", translated("[1]", false) == NULL);

	/* The same rules, through the engine */
	const char *base = "{\"apiVersion\":\"t/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w\"},";
	char buf[1024];
#define W(spec) (snprintf(buf, sizeof buf, "%s\"spec\":%s}", base, spec), buf)
	CHECK("valid widget", valid(widget, W("{\"size\":1}")));
	CHECK("unknown field in spec is an error", !valid(widget, W("{\"size\":1,\"sise\":2}")));
	CHECK("unknown top-level field is an error", !valid(widget, "{\"kind\":\"Widget\",\"status2\":{}}"));
	CHECK("missing required field", !valid(widget, W("{}")));
	CHECK("nullable: null accepted", valid(widget, W("{\"size\":1,\"owner\":null}")));
	CHECK("nullable: other types still refused", !valid(widget, W("{\"size\":1,\"owner\":3}")));
	CHECK("not nullable: null refused", !valid(widget, W("{\"size\":null}")));
	CHECK("int-or-string: integer", valid(widget, W("{\"size\":1,\"port\":8080}")));
	CHECK("int-or-string: string", valid(widget, W("{\"size\":1,\"port\":\"http\"}")));
	CHECK("int-or-string: float refused", !valid(widget, W("{\"size\":1,\"port\":1.5}")));
	CHECK("int-or-string: boolean refused", !valid(widget, W("{\"size\":1,\"port\":true}")));
	CHECK("preserve-unknown: unknown keys kept", valid(widget, W("{\"size\":1,\"extra\":{\"any\":[1]}}")));
	CHECK("preserve-unknown: declared keys still checked", !valid(widget, W("{\"size\":1,\"extra\":{\"known\":1}}")));
	CHECK("object without properties: anything", valid(widget, W("{\"size\":1,\"free\":{\"a\":{\"b\":1}}}")));
	CHECK("additionalProperties schema applies to values", !valid(widget, W("{\"size\":1,\"labels\":{\"a\":1}}")));
	CHECK("exclusive minimum: the bound itself refused", !valid(widget, W("{\"size\":0}")));
	CHECK("integer: 1.0 refused (draft 4)", !valid(widget, W("{\"size\":1.0}")));
	CHECK("formats are not checked", valid(widget, W("{\"size\":1,\"host\":\"not a host name\"}")));
	CHECK("metadata must be a mapping", !valid(widget, "{\"metadata\":\"w\"}"));
	CHECK("apiVersion must be a string", !valid(widget, "{\"apiVersion\":1}"));
	return UNIT_DONE();
}
