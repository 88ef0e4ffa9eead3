/* test_diff.c - the diff engine, its danger rules, its printers, and the
 * .properties and .tfvars readers. */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "cli.h"
#include "diag.h"
#include "diff.h"
#include "load.h"
#include "objset.h"
#include "readers.h"
#include "unit.h"
#include "value.h"
#include "version.h"

static struct arena *A;
static struct diags D;

static struct value *yaml(const char *text)
{
	struct value *v = load_yaml_string(A, &D, "test.yaml", text, strlen(text));
	if (!v) {
		diags_print(stdout, &D, DIAG_TEXT, false);
		exit(1);
	}
	return v;
}

/* An objset of Kubernetes documents given as YAML texts (NULL-terminated). */
static struct objset set_of(const char *const *docs)
{
	struct objset s = { 0 };
	for (size_t i = 0; docs[i]; i++) {
		struct object o;
		/* a source per document: objects defined twice sort by it */
		if (!object_from_k8s(A, yaml(docs[i]), arena_printf(A, "test-%zu.yaml", i), &o)) {
			printf("not a Kubernetes object: %s\n", docs[i]);
			exit(1);
		}
		objset_add(A, &s, &o);
	}
	return s;
}

static struct diff_report diff2(const char *old, const char *new)
{
	const char *o[] = { old, NULL }, *n[] = { new, NULL };
	struct objset so = set_of(o), sn = set_of(n);
	struct diff_report r;
	diff_objsets(A, NULL, &so, &sn, NULL, NULL, &r);
	return r;
}

/* The report's field paths, one a line: "path" or "path!" for removals and
 * "path+" for additions. */
static const char *paths(const struct diff_report *r)
{
	char *s = arena_strdup(A, "");
	for (size_t i = 0; i < r->n; i++)
		for (size_t k = 0; k < r->items[i].nfields; k++) {
			const struct field_change *f = &r->items[i].fields[k];
			s = arena_printf(A, "%s%s%s\n", s, f->path, !f->old ? "+" : !f->new ? "!" : "");
		}
	return s;
}

static const char *danger_ids(const struct diff_report *r)
{
	char *s = arena_strdup(A, "");
	for (size_t i = 0; i < r->ndangers; i++)
		s = arena_printf(A, "%s%s%s", s, i ? " " : "", r->dangers[i].id);
	return s;
}

#define HEAD(kind, name) "apiVersion: kafka.strimzi.io/v1\nkind: " kind "\nmetadata: {name: " name ", namespace: ns}\n"
#define HEAD_NO_META(kind) "apiVersion: kafka.strimzi.io/v1\nkind: " kind "\n"

/* v's quantity equals the quantity text want (both exact). */
static bool quantity_is(const char *v, const char *want)
{
	struct quantity a, b;
	const char *why;
	return quantity_value(yaml(v), &a) && quantity_parse(want, strlen(want), &b, &why) &&
	       quantity_cmp(&a, &b) == 0;
}

static void test_quantities(void)
{
	struct quantity a, b;
	CHECK("quantity: 1Ti > 1000Gi", quantity_value(yaml("1Ti"), &a) && quantity_value(yaml("1000Gi"), &b) && quantity_cmp(&a, &b) > 0);
	CHECK("quantity: 1Ti == 1024Gi", quantity_value(yaml("1Ti"), &a) && quantity_value(yaml("1024Gi"), &b) && quantity_cmp(&a, &b) == 0);
	CHECK("quantity: 1.5Gi", quantity_is("1.5Gi", "1610612736"));
	CHECK("quantity: 500m is half a core", quantity_is("500m", "0.5"));
	CHECK("quantity: 1G is 10^9", quantity_is("1G", "1000000000"));
	CHECK("quantity: \"1e3\" is 1000", quantity_is("\"1e3\"", "1000"));
	CHECK("quantity: an integer", quantity_is("4", "4"));
	CHECK("quantity: a float", quantity_is("2.5", "2500m"));
	CHECK("quantity: 1Ei plus one byte is more than 1Ei (no floating point)",
	      quantity_value(yaml("\"1152921504606846977\""), &a) && quantity_value(yaml("1Ei"), &b) && quantity_cmp(&a, &b) > 0);
	CHECK("quantity: 'abc' is not one", !quantity_value(yaml("abc"), &a));
	CHECK("quantity: '0x10' is not one", !quantity_value(yaml("\"0x10\""), &a));
	CHECK("quantity: 'Gi' alone is not one", !quantity_value(yaml("Gi"), &a));
	CHECK("quantity: '10Gb' is not one", !quantity_value(yaml("10Gb"), &a));
	CHECK("quantity: a mapping is not one", !quantity_value(yaml("{a: 1}"), &a));
}

static void test_engine(void)
{
	struct diff_report r;
	r = diff2(HEAD("Kafka", "k") "spec: {a: 1, b: [1, 2]}", HEAD("Kafka", "k") "spec: {b: [1, 2], a: 1}");
	CHECK("engine: key order is not a change", r.n == 0 && diff_exit_code(&r) == 0);

	r = diff2(HEAD("Kafka", "k") "spec:\n  kafka:\n    listeners:\n"
				     "      - {name: a, port: 1}\n      - {name: external, port: 2, tls: false}\n",
		  HEAD("Kafka", "k") "spec:\n  kafka:\n    listeners:\n"
				     "      - {name: external, port: 2, tls: true}\n      - {name: a, port: 1}\n");
	CHECK_STR("engine: listeners matched by name, whatever their order", paths(&r),
		  "spec.kafka.listeners[name=external].tls\n");
	CHECK_STR("engine: a TLS switch is dangerous", danger_ids(&r), "danger-tls-switch");
	CHECK("engine: exit 3 on a danger", diff_exit_code(&r) == 3);

	r = diff2(HEAD("KafkaUser", "u") "spec:\n  authorization:\n    acls:\n"
				       "      - {resource: {type: topic, name: a}, operations: [Read, Describe]}\n"
				       "      - {resource: {type: group, name: g}, operations: [All]}\n",
		  HEAD("KafkaUser", "u") "spec:\n  authorization:\n    acls:\n"
				       "      - {resource: {type: group, name: g}, operations: [All]}\n"
				       "      - {resource: {type: topic, name: a}, operations: [Describe, Read]}\n");
	CHECK("engine: ACLs (and their operations) are sets: reordered, no change", r.n == 0);

	r = diff2(HEAD("KafkaUser", "u") "spec:\n  authorization:\n    acls:\n"
				       "      - {resource: {type: topic, name: a}, operations: [Read]}\n",
		  HEAD("KafkaUser", "u") "spec:\n  authorization:\n    acls:\n"
				       "      - {resource: {type: topic, name: b}, operations: [Read]}\n"
				       "      - {resource: {type: topic, name: a}, operations: [Read]}\n");
	CHECK_STR("engine: an ACL added to a set", paths(&r), "spec.authorization.acls[]+\n");
	CHECK("engine: a change without danger exits 1", r.ndangers == 0 && diff_exit_code(&r) == 1);

	/* a set's items are compared by probes in the same walk: changes found
	 * before and after the set must come through them unchanged */
	r = diff2(HEAD("KafkaUser", "u") "spec:\n  a: 1\n  authorization:\n    acls:\n"
				       "      - {resource: {type: topic, name: a}, operations: [Read, Write]}\n"
				       "      - {resource: {type: topic, name: c}, operations: [Read]}\n"
				       "  z: 1\n",
		  HEAD("KafkaUser", "u") "spec:\n  a: 2\n  authorization:\n    acls:\n"
				       "      - {resource: {type: topic, name: c}, operations: [Read]}\n"
				       "      - {resource: {type: topic, name: a}, operations: [Write, Read]}\n"
				       "      - {resource: {type: topic, name: b}, operations: [Read]}\n"
				       "  z: 2\n");
	CHECK_STR("engine: changes around a set survive its comparisons", paths(&r),
		  "spec.a\nspec.authorization.acls[]+\nspec.z\n");

	r = diff2(HEAD("Kafka", "k") "spec: {args: [a, b, c]}", HEAD("Kafka", "k") "spec: {args: [a, c]}");
	CHECK_STR("engine: other lists by position", paths(&r), "spec.args[1]\nspec.args[2]!\n");

	r = diff2(HEAD("KafkaNodePool", "p") "spec:\n  storage:\n    volumes: [{id: 0, size: 1Gi}, {id: 0, size: 2Gi}]\n",
		  HEAD("KafkaNodePool", "p") "spec:\n  storage:\n    volumes: [{id: 0, size: 1Gi}, {id: 0, size: 3Gi}]\n");
	CHECK_STR("engine: a keyed list with a repeated key falls back to positions", paths(&r),
		  "spec.storage.volumes[1].size\n");

	r = diff2(HEAD("Kafka", "k") "metadata2: {annotations: {\"a.b/c\": x, \"q\\\"\": y}}",
		  HEAD("Kafka", "k") "metadata2: {annotations: {\"a.b/c\": z, \"q\\\"\": w}}");
	CHECK_STR("engine: keys that are not names are quoted", paths(&r),
		  "metadata2.annotations[\"a.b/c\"]\nmetadata2.annotations[\"q\\\"\"]\n");

	r = diff2(HEAD("Kafka", "k") "spec: {a: \"3\", b: 1, c: 2.5}", HEAD("Kafka", "k") "spec: {a: 3, b: 1.0, c: 2.5}");
	CHECK_STR("engine: \"3\" is not 3; 1 is 1.0", paths(&r), "spec.a\n");

	r = diff2(HEAD("Kafka", "k") "spec: {a: 1}", HEAD("Kafka", "k") "spec: {b: 1}");
	CHECK_STR("engine: a key removed and one added", paths(&r), "spec.a!\nspec.b+\n");

	{
		const char *o[] = { HEAD("KafkaTopic", "b"), HEAD("KafkaTopic", "a"), NULL };
		const char *n[] = { "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: ns}\n",
				    "apiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaTopic\nmetadata: {name: a, namespace: ns}\n",
				    NULL };
		struct objset so = set_of(o), sn = set_of(n);
		diff_objsets(A, NULL, &so, &sn, "old", "new", &r);
		CHECK("engine: objects matched by identity, sorted (ConfigMap added, a changed, b removed)",
		      r.n == 3 && r.items[0].kind == OBJ_ADDED && !strcmp(r.items[0].id->kind, "ConfigMap") &&
			      r.items[1].kind == OBJ_CHANGED && !strcmp(r.items[1].id->name, "a") &&
			      r.items[2].kind == OBJ_REMOVED && !strcmp(r.items[2].id->name, "b") &&
			      r.nadded == 1 && r.nremoved == 1 && r.nchanged == 1);
		CHECK_STR("engine: the version is not identity; its change is a field", r.items[1].fields[0].path,
			  "apiVersion");
		CHECK_STR("engine: a removed topic and an API version change are dangerous", danger_ids(&r),
			  "danger-topic-removed danger-api-version");
		{
			const char *d1[] = { HEAD("KafkaTopic", "a") "spec: {partitions: 1}", NULL };
			const char *d2[] = { HEAD("KafkaTopic", "a") "spec: {partitions: 1}",
					     HEAD("KafkaTopic", "a") "spec: {partitions: 2}", NULL };
			struct objset x = set_of(d1), y = set_of(d2);
			struct diff_report rd;
			diff_objsets(A, NULL, &x, &y, NULL, NULL, &rd);
			CHECK("engine: an identity defined twice: the first is compared, the other ignored", rd.n == 0);
		}
		CHECK("engine: the callers' sets are left unsorted", !strcmp(so.items[0].name, "b"));
		CHECK("engine: objset_find after objset_sort",
		      (objset_sort(&so), objset_find(&so, "kafka.strimzi.io", "KafkaTopic", "ns", "b") != NULL) &&
			      objset_find(&so, "kafka.strimzi.io", "KafkaTopic", "ns", "c") == NULL);
	}
}

static void test_dangers(void)
{
	struct diff_report r;
	r = diff2(HEAD("KafkaNodePool", "p") "spec: {replicas: 3, roles: [broker]}",
		  HEAD("KafkaNodePool", "p") "spec: {replicas: 2, roles: [broker]}");
	CHECK_STR("danger: fewer replicas without node ids lose a node", danger_ids(&r), "danger-node-id");
	CHECK("danger: ... and says how many", r.ndangers && strstr(r.dangers[0].msg, "1 of its nodes"));

	r = diff2(HEAD_NO_META("KafkaNodePool") "metadata: {name: p, namespace: ns, annotations: {strimzi.io/next-node-ids: \"[0, 3, 5-6]\"}}\n"
					     "spec: {replicas: 4, roles: [controller]}",
		  HEAD_NO_META("KafkaNodePool") "metadata: {name: p, namespace: ns, annotations: {strimzi.io/next-node-ids: \"[0, 3, 5-6]\"}}\n"
					     "spec: {replicas: 3, roles: [controller]}");
	CHECK("danger: node ids from a list of ranges; controllers lose a voter",
	      r.ndangers == 1 && strstr(r.dangers[0].msg, "node id 6") && strstr(r.dangers[0].msg, "quorum"));

	r = diff2(HEAD("KafkaNodePool", "p") "spec: {replicas: 2, roles: [broker]}",
		  HEAD("KafkaNodePool", "p") "spec: {replicas: 3, roles: [broker]}");
	CHECK("danger: more nodes are not dangerous", r.ndangers == 0 && diff_exit_code(&r) == 1);

	r = diff2(HEAD("Kafka", "k") "spec: {kafka: {storage: {type: persistent-claim, size: 100Gi}}}",
		  HEAD("Kafka", "k") "spec: {kafka: {storage: {type: persistent-claim, size: \"99Gi\"}}}");
	CHECK_STR("danger: storage on the Kafka resource shrinks", danger_ids(&r), "danger-storage-shrink");
	CHECK_STR("danger: ... at its path", r.ndangers ? r.dangers[0].path : NULL, "spec.kafka.storage.size");

	r = diff2(HEAD("KafkaNodePool", "p") "spec: {storage: {type: jbod, volumes: [{id: 0, size: 1Ti}, {id: 1, size: 1Ti}]}}",
		  HEAD("KafkaNodePool", "p") "spec: {storage: {type: jbod, volumes: [{id: 1, size: 1024Gi}, {id: 0, size: 1023Gi}]}}");
	CHECK("danger: JBOD volumes matched by id, compared by value",
	      r.ndangers == 1 && !strcmp(r.dangers[0].path, "spec.storage.volumes[id=0].size"));

	r = diff2(HEAD("Kafka", "k") "spec: {kafka: {version: 4.9.0}}", HEAD("Kafka", "k") "spec: {kafka: {version: 4.10.0}}");
	CHECK("danger: 4.9.0 -> 4.10.0 is an upgrade", r.ndangers == 0);
	r = diff2(HEAD("Kafka", "k") "spec: {kafka: {version: 4.10.0}}", HEAD("Kafka", "k") "spec: {kafka: {version: 4.9.0}}");
	CHECK_STR("danger: 4.10.0 -> 4.9.0 is a downgrade", danger_ids(&r), "danger-kafka-downgrade");

	r = diff2(HEAD("KafkaTopic", "t") "spec: {partitions: 3, replicas: 3, topicName: the_topic}",
		  HEAD("KafkaTopic", "t") "spec: {partitions: 2, replicas: 2, topicName: the_topic}");
	CHECK_STR("danger: partitions and replicas decrease", danger_ids(&r),
		  "danger-partitions-decrease danger-replicas-decrease");
	CHECK("danger: messages name the Kafka topic", r.ndangers == 2 && strstr(r.dangers[0].msg, "the_topic"));

	r = diff2(HEAD("Kafka", "k") "spec:\n  kafka:\n    listeners:\n      - name: external\n        configuration:\n"
				     "          bootstrap: {loadBalancerIP: 1.2.3.4}\n          brokers: [{broker: 0, advertisedHost: a, loadBalancerIP: 1.2.3.5}]\n",
		  HEAD("Kafka", "k") "spec:\n  kafka:\n    listeners:\n      - name: external\n        configuration:\n"
				     "          bootstrap: {loadBalancerIP: 1.2.3.9}\n          brokers: [{broker: 0, advertisedHost: b, loadBalancerIP: 1.2.3.5}]\n");
	CHECK_STR("danger: GKE addresses (loadBalancerIP) and hosts", danger_ids(&r),
		  "danger-external-address danger-external-address");

	r = diff2("apiVersion: roundtable.lsst.codes/v1beta1\nkind: StrimziSchemaRegistry\nmetadata: {name: r}\n"
		  "spec: {compatibilityLevel: none, strimziVersion: v1beta2}",
		  "apiVersion: roundtable.lsst.codes/v1beta1\nkind: StrimziSchemaRegistry\nmetadata: {name: r}\n"
		  "spec: {compatibilityLevel: full, strimziVersion: v1}");
	CHECK_STR("danger: registry compatibility and its Strimzi API version", danger_ids(&r),
		  "danger-registry-compatibility danger-api-version");

	/* prune candidates (diff --live) */
	{
		const char *none[] = { NULL };
		const char *live[] = { HEAD("KafkaUser", "ghost"), HEAD("KafkaTopic", "old"), NULL };
		struct objset e = set_of(none), p = set_of(live);
		diff_objsets(A, NULL, &e, &e, "live", "render", &r);
		CHECK("prune: nothing changes without candidates", diff_exit_code(&r) == 0);
		diff_add_prune(A, &r, &p);
		CHECK("prune: candidates sorted", r.nprune == 2 && !strcmp(r.prune[0]->kind, "KafkaTopic"));
		CHECK_STR("prune: removal rules apply to candidates", danger_ids(&r),
			  "danger-topic-removed danger-user-removed");
		CHECK("prune: exit 3", diff_exit_code(&r) == 3);
		char *buf = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&buf, &len);
		diff_print_text(fp, &r, false);
		fclose(fp);
		CHECK("print: prune candidates section",
		      buf && strstr(buf, "prune candidates (only in the cluster; a prune sync deletes them):\n"
					 "  - KafkaTopic ns/old\n  - KafkaUser ns/ghost\n"));
		CHECK("print: summary counts candidates",
		      buf && strstr(buf, "0 added, 0 removed, 0 changed, 2 prune candidates; 2 dangerous\n"));
		CHECK("print: no colour when not asked", buf && !strchr(buf, '\033'));
		free(buf);
		buf = NULL;
		fp = open_memstream(&buf, &len);
		diff_print_text(fp, &r, true);
		fclose(fp);
		CHECK("print: colours when asked", buf && strstr(buf, "\033[1;31m[danger-topic-removed]\033[0m"));
		free(buf);
		buf = NULL;
		fp = open_memstream(&buf, &len);
		CHECK("print: JSON", diff_print_json(fp, &r) == 0);
		fclose(fp);
		CHECK("print: JSON lists the candidates",
		      buf && strstr(buf, "\"prune\": [\n    {\n      \"group\": \"kafka.strimzi.io\""));
		free(buf);
	}
}

/* Reader errors: the one diagnostic's "line:col: id: message". */
static const char *reader_error(struct value *(*fn)(struct arena *, struct diags *, const char *, const char *, size_t),
				const char *text)
{
	struct diags d;
	diags_init(&d, A);
	struct value *v = fn(A, &d, "f", text, strlen(text));
	const char *s = v ? "(parsed)" : d.n != 1 ? arena_printf(A, "%zu diagnostics", d.n)
				: arena_printf(A, "%d:%d: %s: %s", d.items[0].line, d.items[0].col, d.items[0].id, d.items[0].msg);
	diags_free(&d);
	return s;
}

static void test_properties(void)
{
	const char *text = "# comment\n! also\n  a=1\nb : two words \nc\\ d:e\\\n   f\ng\\u00e9=\\u00E9\\ud83d\\ude00\nempty\nh\tx\n";
	struct value *v = read_properties(A, &D, "p", text, strlen(text));
	CHECK("properties: parsed", v && v->kind == V_MAP && v->map.n == 6);
	CHECK_STR("properties: key=value", v_as_str(map_get(v, "a"), NULL), "1");
	CHECK_STR("properties: ' : ' separator, trailing space kept", v_as_str(map_get(v, "b"), NULL), "two words ");
	CHECK_STR("properties: escaped space in a key, continuation line", v_as_str(map_get(v, "c d"), NULL), "ef");
	CHECK_STR("properties: \\u escapes and a surrogate pair", v_as_str(map_get(v, "g\xc3\xa9"), NULL),
		  "\xc3\xa9\xf0\x9f\x98\x80");
	CHECK_STR("properties: a key alone", v_as_str(map_get(v, "empty"), NULL), "");
	CHECK_STR("properties: whitespace separator", v_as_str(map_get(v, "h"), NULL), "x");
	CHECK("properties: marks", v && map_get_pair(v, "b")->key->mark.line == 4);
	CHECK_STR("properties: bad \\u", reader_error(read_properties, "a=\\u12x4\n"),
		  "1:3: properties-syntax: malformed \\uXXXX escape: four hex digits expected");
	CHECK_STR("properties: lone surrogate", reader_error(read_properties, "a=x\\udc00\n"),
		  "1:4: properties-syntax: \\uDC00 is half of a UTF-16 surrogate pair");
	CHECK_STR("properties: key twice", reader_error(read_properties, "a=1\n\nb=2\na=3\n"),
		  "4:1: properties-syntax: key 'a' is set twice (first at line 1)");
}

static void test_tfvars(void)
{
	const char *text = "# c\n// c\n/* c\n c */\nname = \"x\\\"\\n$${a}%%{b}\\u00e9\"\nn = -12\nf = 1.5e3\n"
			   "t = true\nz = null\nl = [1, \"a\",\n  [],\n]\no = {\n  a = 1\n  \"b c\" = { d = [] }, e: false\n}\n";
	struct value *v = read_tfvars(A, &D, "t", text, strlen(text));
	CHECK("tfvars: parsed", v && v->kind == V_MAP && v->map.n == 7);
	CHECK_STR("tfvars: string escapes, $${ and %%{", v_as_str(map_get(v, "name"), NULL), "x\"\n${a}%{b}\xc3\xa9");
	CHECK("tfvars: numbers", v_as_int(map_get(v, "n"), 0) == -12 && map_get(v, "f")->kind == V_FLOAT &&
					 map_get(v, "f")->f == 1500.0);
	CHECK("tfvars: true, null", v_as_bool(map_get(v, "t"), false) && map_get(v, "z")->kind == V_NULL);
	CHECK("tfvars: list over lines, trailing comma", map_get(v, "l")->seq.n == 3);
	CHECK("tfvars: object with quoted keys, commas, colons",
	      map_get(v, "o")->map.n == 3 && v_path(map_get(v, "o"), "e") && map_get(map_get(v, "o"), "b c"));
	CHECK("tfvars: marks", map_get(v, "l")->mark.line == 10);
	CHECK_STR("tfvars: interpolation", reader_error(read_tfvars, "a = \"${x}\"\n"),
		  "1:6: tfvars-syntax: ${: template interpolation is not allowed in a tfvars value");
	CHECK_STR("tfvars: unterminated string", reader_error(read_tfvars, "a = \"x\nb = 1\n"),
		  "1:5: tfvars-syntax: unterminated string");
	CHECK_STR("tfvars: a reference", reader_error(read_tfvars, "a = var.x\n"),
		  "1:5: tfvars-syntax: 'var.x' is an expression; only literal values are allowed");
	CHECK_STR("tfvars: a block", reader_error(read_tfvars, "resource \"x\" {}\n"),
		  "1:10: tfvars-syntax: resource: a block is not allowed in a tfvars file");
	CHECK_STR("tfvars: twice", reader_error(read_tfvars, "a = 1\na = 2\n"),
		  "2:1: tfvars-syntax: 'a' is set twice (first at line 1)");
	CHECK_STR("tfvars: two on a line", reader_error(read_tfvars, "a = 1 b = 2\n"),
		  "1:7: tfvars-syntax: a new line expected after the value, not 'b'");
	CHECK_STR("tfvars: heredoc", reader_error(read_tfvars, "a = <<EOF\nx\nEOF\n"),
		  "1:5: tfvars-syntax: <<: heredocs are not supported");
	CHECK_STR("tfvars: missing comma", reader_error(read_tfvars, "a = [1 2]\n"),
		  "1:8: tfvars-syntax: ',' or ']' expected, not '2'");
	CHECK_STR("tfvars: unclosed list", reader_error(read_tfvars, "a = [1,\n"),
		  "2:1: tfvars-syntax: a value expected, not the end of the file");
	CHECK_STR("tfvars: unterminated comment", reader_error(read_tfvars, "/* x\n"),
		  "1:1: tfvars-syntax: unterminated /* comment");
	CHECK_STR("tfvars: bad escape", reader_error(read_tfvars, "a = \"\\q\"\n"),
		  "1:6: tfvars-syntax: unknown escape '\\q'");
	CHECK_STR("tfvars: number then letters", reader_error(read_tfvars, "a = 12ab\n"),
		  "1:7: tfvars-syntax: 'a' after a number");
	CHECK_STR("tfvars: no '='", reader_error(read_tfvars, "a 1\n"),
		  "1:3: tfvars-syntax: '=' expected after the name, not '1'");
	char deep[300 + 8] = "a = ";
	memset(deep + 4, '[', 300);
	CHECK_STR("tfvars: nesting deeper than the YAML loader's bound", reader_error(read_tfvars, deep),
		  "1:261: tfvars-syntax: nesting deeper than 256 levels");
}

/* An output's format is its extension's, whatever its case: a .YAML and
 * a .hcl file are read back as trees and compared field by field, not as
 * one string. */
static const char *file_diff(const char *rel, const char *old, const char *new)
{
	struct ctx c;
	ctx_init(&c);
	struct objset so = { 0 }, sn = { 0 };
	const char *s;
	if (objset_add_file(&c, &so, "old", rel, old, strlen(old)) != 0 ||
	    objset_add_file(&c, &sn, "new", rel, new, strlen(new)) != 0) {
		s = "(not read)";
	} else {
		struct diff_report r;
		diff_objsets(A, NULL, &so, &sn, NULL, NULL, &r);
		s = arena_strdup(A, paths(&r));
	}
	ctx_free(&c);
	return s;
}

static void test_file_formats(void)
{
	CHECK_STR("formats: .YAML is diffed as YAML", file_diff("helm/v.YAML", "a: 1\nb: [x]\n", "b: [x]\na: 2\n"),
		  "a\n");
	CHECK_STR("formats: .yml too", file_diff("v.yml", "a: {b: 1}\n", "a:\n  b: 2\n"), "a.b\n");
	CHECK_STR("formats: .hcl is diffed as HCL", file_diff("t/x.hcl", "x = 1\ny = \"s\"\n", "y = \"s\"\n\nx = 2\n"),
		  "x\n");
	CHECK_STR("formats: .TFVARS too", file_diff("t/x.TFVARS", "l = [1]\n", "l = [\n  1,\n  2,\n]\n"), "l[1]+\n");
	CHECK_STR("formats: .Properties as properties", file_diff("c.Properties", "a=1\nb=2\n", "b = 2\na = 3\n"),
		  "a\n");
	CHECK_STR("formats: an unknown extension is one string", file_diff("notes.txt", "a\n", "b\n"), "\n");
}

/* Declared shapes are found by the entry's path pattern: each ${...}
 * stands for one or more characters of one path component. */
static void test_shapes_find(void)
{
	struct out_shape items[] = {
		{ .path = "helm/values-${env.name}.yaml" },
		{ .path = "t/${a}-${'}'}.tfvars" },
		{ .path = "lit/$${x}.yaml" },
	};
	struct out_shapes s = { .items = items, .n = 3 };
	CHECK("shapes: ${...} matches a name", shapes_find(&s, "helm/values-usdfdev.yaml") == &items[0]);
	CHECK("shapes: not an empty one", !shapes_find(&s, "helm/values-.yaml"));
	CHECK("shapes: nor across '/'", !shapes_find(&s, "helm/values-a/b.yaml"));
	CHECK("shapes: the rest must match", !shapes_find(&s, "helm/values-x.yml") && !shapes_find(&s, "helm/secrets-x.yaml"));
	CHECK("shapes: two expressions, a brace in a string", shapes_find(&s, "t/a-b-c.tfvars") == &items[1]);
	CHECK("shapes: $${ is a literal ${", shapes_find(&s, "lit/${x}.yaml") == &items[2] && !shapes_find(&s, "lit/y.yaml"));
	CHECK("shapes: none declared", !shapes_find(NULL, "helm/values-x.yaml"));
}

/* A component's file: the entry whose path, expanded with the model, is
 * the file's (entries of one pattern told apart by the model's names). */
static void test_shapes_component(void)
{
	struct out_shape items[] = {
		{ .path = "kubernetes/deployment-${db.name}.yaml", .component = "db" },
		{ .path = "kubernetes/deployment-${ui.name}.yaml", .component = "ui" },
		{ .path = "kubernetes/job-${ui.name}-${ui.port}.yaml", .component = "ui" },
		{ .path = "kubernetes/x-${f(ui.name)}.yaml", .component = "ui" },
		{ .path = "helm/values-${env.name}.yaml" },
	};
	struct out_shapes s = { .items = items, .n = 5, .model = yaml("db: {name: db-ingester}\nui: {name: kafdrop, port: 9000}\nenv: {name: e}\n") };
	CHECK("component: the entry whose expansion is the file",
	      shapes_component(A, &s, "kubernetes/deployment-kafdrop.yaml") &&
	      !strcmp(shapes_component(A, &s, "kubernetes/deployment-kafdrop.yaml"), "ui") &&
	      !strcmp(shapes_component(A, &s, "kubernetes/deployment-db-ingester.yaml"), "db"));
	CHECK("component: an integer in the path", shapes_component(A, &s, "kubernetes/job-kafdrop-9000.yaml") != NULL);
	CHECK("component: another name is no one's", !shapes_component(A, &s, "kubernetes/deployment-other.yaml"));
	CHECK("component: not a plain model path", !shapes_component(A, &s, "kubernetes/x-kafdrop.yaml"));
	CHECK("component: an entry without one", !shapes_component(A, &s, "helm/values-e.yaml"));
	s.model = NULL;
	CHECK("component: no model, no component", !shapes_component(A, &s, "kubernetes/deployment-kafdrop.yaml"));
}

/* The one version compare (version.h): danger.c and the model's. */
static void test_version_cmp(void)
{
	CHECK("version: numeric, not text", version_cmp("4.10.0", "4.9.1") == 1 && version_cmp("0.47.0", "0.48.0") == -1);
	CHECK("version: missing zeros", version_cmp("1.0", "1.0.0") == 0 && version_cmp("1", "1.0.1") == -1 &&
						version_cmp("1.0.1", "1") == 1);
	CHECK("version: not a version", version_cmp("4.1.x", "4.1.0") == VERSION_INVALID &&
						version_cmp("", "1") == VERSION_INVALID &&
						version_cmp("1..2", "1.2") == VERSION_INVALID);
}

int main(void)
{
	A = arena_new();
	diags_init(&D, A);
	test_quantities();
	test_engine();
	test_dangers();
	test_properties();
	test_tfvars();
	test_file_formats();
	test_shapes_find();
	test_shapes_component();
	test_version_cmp();
	diags_free(&D);
	arena_free(A);
	return UNIT_DONE();
}
