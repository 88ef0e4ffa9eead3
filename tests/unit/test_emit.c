/* test_emit.c - the four emitters: exact text, errors, and round trips
 * through independent parsers linked in or written here (hermetic: no
 * other program runs).
 *
 *   YAML        libyaml (linked) with YAML 1.2 core and YAML 1.1 resolvers
 *               written here from the specs
 *   JSON        jansson
 *   properties  a transcription of java.util.Properties.load below
 *
 * The same cases (tests/tools/emit_cases.h) go through PyYAML (SafeLoader
 * and CSafeLoader) and HashiCorp's HCL parser in the parsers group of
 * tests/run.sh: tests/tools/emit_cases writes them, tests/yaml_roundtrip.py
 * and tests/hcl_roundtrip.js read them back.
 * Also prints the emit speed of a 10,000-user tree as a "#" comment line.
 */
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <yaml.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "emit.h"
#include "readers.h"
#include "../tools/emit_cases.h"
#include "unit.h"
#include "value.h"

static struct arena *A;
static struct diags D;

/* ---------------------------------------------------------------- trees */

static struct value *from_jansson(json_t *j) { return ec_from_jansson(A, j); }
static struct value *J(const char *text) { return ec_json(A, text); }

static struct value *S(const char *s, size_t n) { return v_strn(A, NULL, s, n); }
#define STR(lit) S(lit, sizeof(lit) - 1)

/* Deep equality that also holds for NaN, and tells int from float. */
static bool same(const struct value *a, const struct value *b)
{
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case V_NULL: return true;
	case V_BOOL: return a->b == b->b;
	case V_INT: return a->i == b->i;
	case V_FLOAT:
		if (isnan(a->f))
			return isnan(b->f);
		return a->f == b->f && signbit(a->f) == signbit(b->f);
	case V_STRING:
		return a->str.len == b->str.len && memcmp(a->str.s, b->str.s, a->str.len) == 0;
	case V_SEQ:
		if (a->seq.n != b->seq.n)
			return false;
		for (size_t i = 0; i < a->seq.n; i++)
			if (!same(a->seq.items[i], b->seq.items[i]))
				return false;
		return true;
	case V_MAP:
		if (a->map.n != b->map.n)
			return false;
		for (size_t i = 0; i < a->map.n; i++)
			if (!same(a->map.items[i].key, b->map.items[i].key) ||
			    !same(a->map.items[i].val, b->map.items[i].val))
				return false;
		return true;
	}
	return false;
}

/* Emit into a fresh, NUL-terminated string (static storage, reused). */
static const char *emit_str(emit_fn fn, const struct value *v, int *rc)
{
	static struct buf b = BUF_INIT;
	buf_reset(&b);
	*rc = fn(&b, v, &D);
	return buf_cstr(&b);
}

static const char *emit_ok(emit_fn fn, const struct value *v)
{
	int rc;
	const char *s = emit_str(fn, v, &rc);
	return rc == 0 ? s : "(emitter failed)";
}

/* Did the last diagnostic carry this rule id? */
static bool last_diag_is(const char *id)
{
	return D.n > 0 && strcmp(D.items[D.n - 1].id, id) == 0;
}

/* ------------------------------------------- resolvers, from the specs */

/* Patterns are compiled once (they are string literals: cached by address). */
static struct {
	const char *pattern;
	regex_t re;
} re_cache[32];

static bool rx_match(const char *pattern, const char *s)
{
	size_t i = 0;
	while (i < 32 && re_cache[i].pattern && re_cache[i].pattern != pattern)
		i++;
	if (i == 32)
		exit(2);
	if (!re_cache[i].pattern) {
		if (regcomp(&re_cache[i].re, pattern, REG_EXTENDED | REG_NOSUB) != 0) {
			fprintf(stderr, "bad regex %s\n", pattern);
			exit(2);
		}
		re_cache[i].pattern = pattern;
	}
	return regexec(&re_cache[i].re, s, 0, NULL, 0) == 0;
}

static void re_free(void)
{
	for (size_t i = 0; i < 32 && re_cache[i].pattern; i++)
		regfree(&re_cache[i].re);
}

/* YAML 1.2 core schema (spec 1.2.2, 10.3.2): the tag of a plain scalar. */
static enum vkind core_kind(const char *s)
{
	if (rx_match("^(~|null|Null|NULL|)$", s))
		return V_NULL;
	if (rx_match("^(true|True|TRUE|false|False|FALSE)$", s))
		return V_BOOL;
	if (rx_match("^([-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", s))
		return V_INT;
	if (rx_match("^([-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN))$", s))
		return V_FLOAT;
	return V_STRING;
}

/* YAML 1.1 types (yaml.org/type/: bool, int, float, null, timestamp, merge,
 * value).  The float pattern's "[0-9.]*" is read as "[0-9_]*", as PyYAML
 * and Go's yaml.v2 do (the literal pattern makes 4.1.1 a float). */
static bool yaml11_typed(const char *s)
{
	static const char *const pats[] = {
		"^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$",
		"^([-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+)$",
		"^([-+]?([0-9][0-9_]*)?\\.[0-9_]*([eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN))$",
		"^(~|null|Null|NULL|)$",
		"^([0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(\\.[0-9]*)?(([ \t]*)Z|[-+][0-9]{1,2}(:[0-9]{2})?)?)$",
		"^<<$",
		"^=$",
		NULL,
	};
	for (const char *const *p = pats; *p; p++)
		if (rx_match(*p, s))
			return true;
	return false;
}

/* ------------------------------------------------ libyaml, independently */

struct yload {
	yaml_parser_t p;
	char why[256];
};

static struct value *yl_node(struct yload *y, yaml_event_t *ev);

/* The next event; false (and y->why) when libyaml fails. */
static bool yl_parse(struct yload *y, yaml_event_t *ev)
{
	if (yaml_parser_parse(&y->p, ev))
		return true;
	snprintf(y->why, sizeof y->why, "libyaml: %s at %zu:%zu", y->p.problem ? y->p.problem : "?",
		 y->p.problem_mark.line + 1, y->p.problem_mark.column + 1);
	return false;
}

static struct value *yl_next(struct yload *y)
{
	yaml_event_t ev;
	if (!yl_parse(y, &ev))
		return NULL;
	struct value *v = yl_node(y, &ev);
	yaml_event_delete(&ev);
	return v;
}

/* The items of sequence C, or the pairs of mapping C (string keys only),
 * up to the END event. */
static struct value *yl_collection(struct yload *y, struct value *c, yaml_event_type_t end)
{
	struct value *key = NULL;
	for (;;) {
		yaml_event_t e;
		if (!yl_parse(y, &e))
			return NULL;
		if (e.type == end) {
			yaml_event_delete(&e);
			return c;
		}
		struct value *v = yl_node(y, &e);
		yaml_event_delete(&e);
		if (!v)
			return NULL;
		if (c->kind == V_SEQ) {
			seq_push(A, c, v);
		} else if (!key) {
			if (v->kind != V_STRING) {
				snprintf(y->why, sizeof y->why, "key read as %s", vkind_name(v->kind));
				return NULL;
			}
			key = v;
		} else {
			map_put(A, c, key, v);
			key = NULL;
		}
	}
}

/* Resolve a plain scalar by the core schema, and refuse one that YAML 1.1
 * would type differently from the core schema. */
static struct value *yl_scalar(struct yload *y, const char *s, size_t n, bool plain)
{
	if (!plain)
		return S(s, n);
	enum vkind k = core_kind(s);
	if (k == V_STRING && yaml11_typed(s)) {
		snprintf(y->why, sizeof y->why, "plain '%.100s' is typed by YAML 1.1", s);
		return NULL;
	}
	switch (k) {
	case V_NULL: return v_null(A, NULL);
	case V_BOOL: return v_bool(A, NULL, s[0] == 't' || s[0] == 'T');
	case V_INT: {
		errno = 0;
		long long i = strtoll(s, NULL, 0);
		if (s[0] == '0' && s[1] == 'o')
			i = strtoll(s + 2, NULL, 8);
		if (errno) {
			snprintf(y->why, sizeof y->why, "integer out of range: %s", s);
			return NULL;
		}
		return v_int(A, NULL, i);
	}
	case V_FLOAT: {
		const char *t = s + (s[0] == '-' || s[0] == '+');
		if (t[0] == '.' && (t[1] == 'i' || t[1] == 'I'))
			return v_float(A, NULL, s[0] == '-' ? -INFINITY : INFINITY);
		if (t[0] == '.' && (t[1] == 'n' || t[1] == 'N'))
			return v_float(A, NULL, NAN);
		return v_float(A, NULL, strtod(s, NULL));
	}
	default:
		return S(s, n);
	}
}

static struct value *yl_node(struct yload *y, yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return yl_scalar(y, (const char *)ev->data.scalar.value, ev->data.scalar.length,
				 ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE);
	case YAML_SEQUENCE_START_EVENT:
		return yl_collection(y, v_seq(A, NULL), YAML_SEQUENCE_END_EVENT);
	case YAML_MAPPING_START_EVENT:
		return yl_collection(y, v_map(A, NULL), YAML_MAPPING_END_EVENT);
	default:
		snprintf(y->why, sizeof y->why, "unexpected libyaml event %d", ev->type);
		return NULL;
	}
}

/* Parse one YAML document with libyaml; NULL and *why on failure. */
static struct value *libyaml_load(const char *text, size_t len, char *why, size_t whylen)
{
	struct yload y;
	y.why[0] = '\0';
	yaml_parser_initialize(&y.p);
	yaml_parser_set_input_string(&y.p, (const unsigned char *)text, len);
	struct value *root = NULL;
	yaml_event_t ev;
	int ndocs = 0;
	for (;;) {
		if (!yl_parse(&y, &ev)) {
			root = NULL;
			break;
		}
		yaml_event_type_t t = ev.type;
		if (t == YAML_DOCUMENT_START_EVENT) {
			yaml_event_delete(&ev);
			ndocs++;
			root = yl_next(&y);
			if (!root)
				break;
			continue;
		}
		yaml_event_delete(&ev);
		if (t == YAML_STREAM_END_EVENT)
			break;
	}
	if (root && ndocs != 1) {
		snprintf(y.why, sizeof y.why, "%d documents", ndocs);
		root = NULL;
	}
	yaml_parser_delete(&y.p);
	snprintf(why, whylen, "%s", y.why);
	return root;
}

/* --------------------------------------------------------------- YAML */

static void yaml_exact(void)
{
	struct value *v = J("{\"apiVersion\": \"kafka.strimzi.io/v1beta2\", \"kind\": \"Kafka\","
			    " \"metadata\": {\"name\": \"alert-broker\", \"labels\": {}},"
			    " \"spec\": {\"replicas\": 3, \"ports\": [{\"name\": \"tls\", \"port\": 9093},"
			    " {\"name\": \"ext\", \"port\": 9094, \"tls\": true}], \"tags\": [],"
			    " \"ratio\": 0.5, \"big\": 1e300, \"nothing\": null, \"on\": false,"
			    " \"version\": \"4.1.1\", \"storage\": \"35Ti\", \"list\": [\"a\", 1, [\"b\", \"c\"], [], {}]}}");
	CHECK_STR("yaml: nested document", emit_ok(emit_yaml, v),
		  "apiVersion: kafka.strimzi.io/v1beta2\n"
		  "kind: Kafka\n"
		  "metadata:\n"
		  "  name: alert-broker\n"
		  "  labels: {}\n"
		  "spec:\n"
		  "  replicas: 3\n"
		  "  ports:\n"
		  "    - name: tls\n"
		  "      port: 9093\n"
		  "    - name: ext\n"
		  "      port: 9094\n"
		  "      tls: true\n"
		  "  tags: []\n"
		  "  ratio: 0.5\n"
		  "  big: 1.0e+300\n"
		  "  nothing: null\n"
		  "  \"on\": false\n"
		  "  version: 4.1.1\n"
		  "  storage: 35Ti\n"
		  "  list:\n"
		  "    - a\n"
		  "    - 1\n"
		  "    - - b\n"
		  "      - c\n"
		  "    - []\n"
		  "    - {}\n");

	v = J("{\"a\": \"yes\", \"b\": \"0755\", \"c\": \"\", \"d\": \" x\", \"e\": \"a: b\","
	      " \"f\": \"a\\nb\\n\", \"g\": \"a\\nb\", \"h\": \"a\\n\\n\", \"i\": \" a\\nb\\n\","
	      " \"j\": \"tab\\there\", \"k\": \"\\u0001\", \"l\": \"Z\\u00fcrich \\u2713 \\ud83d\\ude00\","
	      " \"m\": \"say \\\"hi\\\" \\\\ bye\", \"n\": \"a\\tb\\nc\", \"o\": \"\\u0085\\u2028\\ufeff\\u009b\","
	      " \"<<\": \"=\", \"p\": \"#x\", \"q\": \"a #b\", \"r\": \"2001-12-14\", \"s\": \"\\n\"}");
	CHECK_STR("yaml: string styles", emit_ok(emit_yaml, v),
		  "a: \"yes\"\n"
		  "b: \"0755\"\n"
		  "c: \"\"\n"
		  "d: \" x\"\n"
		  "e: \"a: b\"\n"
		  "f: |\n  a\n  b\n"
		  "g: |-\n  a\n  b\n"
		  "h: |+\n  a\n\n"
		  "i: |2\n   a\n  b\n"
		  "j: \"tab\\there\"\n"
		  "k: \"\\x01\"\n"
		  "l: Z\xc3\xbcrich \xe2\x9c\x93 \xf0\x9f\x98\x80\n"
		  "m: say \"hi\" \\ bye\n"
		  "\"n\": \"a\\tb\\nc\"\n"
		  "o: \"\\x85\\u2028\\uFEFF\\x9B\"\n"
		  "\"<<\": \"=\"\n"
		  "p: \"#x\"\n"
		  "q: \"a #b\"\n"
		  "r: \"2001-12-14\"\n"
		  "s: \"\\n\"\n");

	v = J("[{\"name\": \"x\", \"script\": \"echo hi\\n\", \"sub\": {\"k\": \" lead\\nx\"}}, [[\"deep\"]], [], {},"
	      " \"a\\nb\\n\"]");
	CHECK_STR("yaml: sequences, compact nesting, block scalars in sequences", emit_ok(emit_yaml, v),
		  "- name: x\n"
		  "  script: |\n"
		  "    echo hi\n"
		  "  sub:\n"
		  "    k: |2-\n"
		  "       lead\n"
		  "      x\n"
		  "- - - deep\n"
		  "- []\n"
		  "- {}\n"
		  "- |\n"
		  "  a\n"
		  "  b\n");

	struct value *f = J("[1.0, 0.1, -0.0, 1e-7, 1e21, 123456789.0, 5e-324, 1.7976931348623157e308, 0.30000000000000004]");
	seq_push(A, f, v_float(A, NULL, INFINITY));
	seq_push(A, f, v_float(A, NULL, -INFINITY));
	seq_push(A, f, v_float(A, NULL, NAN));
	CHECK_STR("yaml: floats", emit_ok(emit_yaml, f),
		  "- 1.0\n- 0.1\n- -0.0\n- 1.0e-07\n- 1.0e+21\n- 123456789.0\n- 5.0e-324\n"
		  "- 1.7976931348623157e+308\n- 0.30000000000000004\n- .inf\n- -.inf\n- .nan\n");

	struct value *ints = J("[0, -1, 300000000000, 9223372036854775807]");
	seq_push(A, ints, v_int(A, NULL, LLONG_MIN));
	CHECK_STR("yaml: integers", emit_ok(emit_yaml, ints),
		  "- 0\n- -1\n- 300000000000\n- 9223372036854775807\n- -9223372036854775808\n");

	CHECK_STR("yaml: top-level scalar", emit_ok(emit_yaml, J("\"yes\"")), "\"yes\"\n");
	CHECK_STR("yaml: top-level plain", emit_ok(emit_yaml, J("\"alert-broker\"")), "alert-broker\n");
	CHECK_STR("yaml: top-level int", emit_ok(emit_yaml, J("42")), "42\n");
	CHECK_STR("yaml: top-level null", emit_ok(emit_yaml, J("null")), "null\n");
	CHECK_STR("yaml: top-level block scalar", emit_ok(emit_yaml, J("\"a\\nb\\n\"")), "|\n  a\n  b\n");
	CHECK_STR("yaml: top-level block scalar with indicator", emit_ok(emit_yaml, J("\" a\\nb\"")),
		  "|2-\n   a\n  b\n");
	CHECK_STR("yaml: top-level empty map", emit_ok(emit_yaml, J("{}")), "{}\n");
	CHECK_STR("yaml: top-level empty seq", emit_ok(emit_yaml, J("[]")), "[]\n");
	CHECK_STR("yaml: document end marker quoted", emit_ok(emit_yaml, J("\"...\"")), "\"...\"\n");

	/* a key that needs the explicit form */
	struct value *m = v_map(A, NULL);
	map_put(A, m, S(long_key, strlen(long_key)), J("{\"a\": 1}"));
	map_put(A, m, STR("after"), J("[1]"));
	struct buf want = BUF_INIT;
	buf_printf(&want, "? %s\n:\n  a: 1\nafter:\n  - 1\n", long_key);
	CHECK_STR("yaml: long key written as explicit key", emit_ok(emit_yaml, m), want.data);
	buf_free(&want);

	/* determinism */
	struct buf b1 = BUF_INIT, b2 = BUF_INIT;
	emit_yaml(&b1, v, &D);
	emit_yaml(&b2, v, &D);
	CHECK("yaml: same tree, same bytes", b1.len == b2.len && memcmp(b1.data, b2.data, b1.len) == 0);
	/* appends */
	size_t before = b1.len;
	emit_yaml(&b1, J("1"), &D);
	CHECK("yaml: appends to the buffer", b1.len == before + 2 && memcmp(b1.data, b2.data, before) == 0);
	buf_free(&b1);
	buf_free(&b2);
}

/* libyaml reads back the value; returns a reason on failure. */
static const char *yaml_via_libyaml(const struct value *v, const char *text)
{
	static char why[300];
	struct value *got = libyaml_load(text, strlen(text), why, sizeof why);
	if (!got)
		return why;
	if (!same(got, v))
		return "libyaml read back a different value";
	return NULL;
}

/* The cases of emit_cases.h read back by libyaml (PyYAML reads the same
 * documents, written by tests/tools/emit_cases, in tests/suite_parsers.sh). */
static void yaml_roundtrips(void)
{
	for (size_t i = 0; i < NTRICKY; i++) {
		const struct tstr *t = &tricky[i];
		struct value *s = ec_str(A, t);
		struct value *doc = ec_yaml_doc(A, s);

		char name[400];
		const char *text = emit_ok(emit_yaml, doc);
		const char *why = yaml_via_libyaml(doc, text);
		snprintf(name, sizeof name, "yaml libyaml: '%s' (%s)", t->name, why ? why : "same");
		if (why)
			printf("# emitted:\n%s", text);
		CHECK(name, !why);

		/* the bare string as a document of its own */
		text = emit_ok(emit_yaml, s);
		why = yaml_via_libyaml(s, text);
		snprintf(name, sizeof name, "yaml libyaml: top-level '%s' (%s)", t->name, why ? why : "same");
		CHECK(name, !why);
	}

	struct value *big = ec_yaml_big(A);
	const char *text = emit_ok(emit_yaml, big);
	const char *why = yaml_via_libyaml(big, text);
	CHECK(why ? why : "yaml libyaml: everything in one document", !why);
	struct buf jb = BUF_INIT;
	CHECK("yaml: expected JSON for the big document", emit_json(&jb, big, &D) == 0);
	buf_free(&jb);

	struct value *sp = ec_yaml_infnan(A);
	text = emit_ok(emit_yaml, sp);
	why = yaml_via_libyaml(sp, text);
	CHECK(why ? why : "yaml libyaml: inf and nan", !why);

	/* the independent resolvers do catch a wrongly plain scalar */
	CHECK("yaml test: 1.1 resolver catches plain yes", yaml_via_libyaml(J("[\"yes\"]"), "- yes\n") != NULL);
	CHECK("yaml test: core resolver catches plain 1e3", yaml_via_libyaml(J("[\"1e3\"]"), "- 1e3\n") != NULL);
	CHECK("yaml test: 1.1 resolver catches plain 2001-12-14",
	      yaml_via_libyaml(J("[\"2001-12-14\"]"), "- 2001-12-14\n") != NULL);
	CHECK("yaml test: plain 4.1.1 is a string", yaml_via_libyaml(J("[\"4.1.1\"]"), "- 4.1.1\n") == NULL);
}

static void yaml_errors(void)
{
	struct value *m = v_map(A, NULL);
	struct mark mk = { "t.yaml", 3, 7 };
	map_put(A, m, STR("ok"), STR("fine"));
	map_put(A, m, STR("bad"), v_strn(A, &mk, "a\xff" "b", 3));
	struct buf b = BUF_INIT;
	buf_puts(&b, "keep");
	size_t nd = D.n;
	int rc = emit_yaml(&b, m, &D);
	CHECK("yaml: invalid UTF-8 is an error", rc == -1 && D.n == nd + 1 && last_diag_is("emit-utf8"));
	CHECK("yaml: error reported at the node's mark", D.n && D.items[D.n - 1].line == 3 && D.items[D.n - 1].col == 7);
	CHECK_STR("yaml: buffer restored after an error", buf_cstr(&b), "keep");
	CHECK("yaml: overlong UTF-8 is an error", emit_yaml(&b, STR("\xc0\xaf"), &D) == -1);
	CHECK("yaml: surrogate in UTF-8 is an error", emit_yaml(&b, STR("\xed\xa0\x80"), &D) == -1);
	CHECK("yaml: truncated UTF-8 is an error", emit_yaml(&b, STR("ab\xe2\x9c"), &D) == -1);
	struct value *k = v_map(A, NULL);
	map_put(A, k, STR("\xfe"), STR("x"));
	CHECK("yaml: invalid UTF-8 in a key is an error", emit_yaml(&b, k, &D) == -1);
	buf_free(&b);
}

/* --------------------------------------------------------------- JSON */

static void json_tests(void)
{
	struct value *v = J("{\"a\": [1, \"x\"], \"b\": {}, \"c\": [], \"d\": \"q\\\"\\\\\\n\\t\\r\\b\\f\\u0001\\u001f\\u007f/\","
			    " \"e\": 1.0, \"f\": {\"g\": null, \"h\": true, \"i\": false}, \"u\": \"Z\\u00fcrich \\ud83d\\ude00\"}");
	CHECK_STR("json: exact text", emit_ok(emit_json, v),
		  "{\n"
		  "  \"a\": [\n"
		  "    1,\n"
		  "    \"x\"\n"
		  "  ],\n"
		  "  \"b\": {},\n"
		  "  \"c\": [],\n"
		  "  \"d\": \"q\\\"\\\\\\n\\t\\r\\b\\f\\u0001\\u001f\x7f/\",\n"
		  "  \"e\": 1.0,\n"
		  "  \"f\": {\n"
		  "    \"g\": null,\n"
		  "    \"h\": true,\n"
		  "    \"i\": false\n"
		  "  },\n"
		  "  \"u\": \"Z\xc3\xbcrich \xf0\x9f\x98\x80\"\n"
		  "}\n");
	CHECK_STR("json: top-level scalar", emit_ok(emit_json, J("\"x\"")), "\"x\"\n");
	CHECK_STR("json: empty", emit_ok(emit_json, J("{}")), "{}\n");
	struct value *f = J("[1.0, 0.1, -0.0, 1e-7, 1e21, 5e-324, 300000000000, -9223372036854775807]");
	seq_push(A, f, v_int(A, NULL, LLONG_MIN));
	CHECK_STR("json: numbers", emit_ok(emit_json, f),
		  "[\n  1.0,\n  0.1,\n  -0.0,\n  1e-07,\n  1e+21,\n  5e-324,\n  300000000000,\n"
		  "  -9223372036854775807,\n  -9223372036854775808\n]\n");

	/* round trip through jansson */
	struct value *all = v_map(A, NULL), *seq = v_seq(A, NULL);
	for (size_t i = 0; i < NTRICKY; i++) {
		struct value *s = S(tricky[i].s, tricky[i].n);
		if (!memchr(tricky[i].s, '\0', tricky[i].n)) /* jansson: no NUL in keys */
			map_put(A, all, s, s);
		seq_push(A, seq, s);
	}
	struct value *doc = J("{\"ints\": [0, -1, 300000000000, 9223372036854775807], \"floats\": [1.0, 0.1, -0.0, 1e-7,"
			      " 1e21, 5e-324, 1.7976931348623157e308], \"bools\": [true, false], \"null\": null,"
			      " \"empty\": {\"m\": {}, \"s\": [], \"nested\": [[], {}, [[]], {\"x\": {}}]}}");
	seq_push(A, v_path(doc, "ints"), v_int(A, NULL, LLONG_MIN));
	map_put(A, doc, STR("tricky-map"), all);
	map_put(A, doc, STR("tricky-seq"), seq);
	const char *text = emit_ok(emit_json, doc);
	json_error_t err;
	json_t *j = json_loads(text, JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &err);
	CHECK("json: jansson parses the output", j != NULL);
	if (j) {
		CHECK("json: jansson reads back the same tree", same(from_jansson(j), doc));
		json_decref(j);
	} else {
		printf("# jansson: %s at %d:%d\n", err.text, err.line, err.column);
	}
	for (size_t i = 0; i < NTRICKY; i++) {
		struct value *s = S(tricky[i].s, tricky[i].n);
		text = emit_ok(emit_json, s);
		j = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
		char name[160];
		snprintf(name, sizeof name, "json jansson: '%s'", tricky[i].name);
		CHECK(name, j && same(from_jansson(j), s));
		json_decref(j);
	}

	struct value *bad = v_seq(A, NULL);
	struct mark mk = { "t.json", 2, 3 };
	seq_push(A, bad, v_float(A, &mk, INFINITY));
	struct buf b = BUF_INIT;
	CHECK("json: infinity is an error", emit_json(&b, bad, &D) == -1 && last_diag_is("emit-json-number") &&
						    D.items[D.n - 1].hint && D.items[D.n - 1].line == 2);
	CHECK("json: nan is an error", emit_json(&b, v_float(A, NULL, NAN), &D) == -1 && last_diag_is("emit-json-number"));
	CHECK("json: invalid UTF-8 is an error", emit_json(&b, STR("a\x80"), &D) == -1 && last_diag_is("emit-utf8"));
	CHECK("json: buffer untouched after errors", b.len == 0);
	buf_free(&b);
}

/* ---------------------------------------------------------------- HCL */

static void hcl_tests(void)
{
	struct value *v = J("{\"broker_count\": 3, \"name\": \"alert-broker\", \"tags\": [\"a\", \"b\"],"
			    " \"config\": {\"retention_ms\": 604800000, \"a b\": \"x\", \"nested\": {\"k\": \"v\"}, \"z\": true,"
			    " \"empty\": {}, \"null\": null, \"9lives\": 1},"
			    " \"users\": [{\"name\": \"alerce\", \"acls\": [\"Read\", \"Describe\"]}, \"plain\", [\"x\"], [{\"y\": 1}], []],"
			    " \"x\": \"${x}\", \"yy\": \"%{x}\", \"ratio\": 0.5, \"nothing\": null, \"on\": false, \"list_empty\": []}");
	CHECK_STR("hcl: layout and alignment", emit_ok(emit_hcl, v),
		  "broker_count = 3\n"
		  "name         = \"alert-broker\"\n"
		  "tags         = [\"a\", \"b\"]\n"
		  "\n"
		  "config = {\n"
		  "  retention_ms = 604800000\n"
		  "  \"a b\"        = \"x\"\n"
		  "  nested = {\n"
		  "    k = \"v\"\n"
		  "  }\n"
		  "  z        = true\n"
		  "  empty    = {}\n"
		  "  \"null\"   = null\n"
		  "  \"9lives\" = 1\n"
		  "}\n"
		  "\n"
		  "users = [\n"
		  "  {\n"
		  "    name = \"alerce\"\n"
		  "    acls = [\"Read\", \"Describe\"]\n"
		  "  },\n"
		  "  \"plain\",\n"
		  "  [\"x\"],\n"
		  "  [\n"
		  "    {\n"
		  "      y = 1\n"
		  "    },\n"
		  "  ],\n"
		  "  [],\n"
		  "]\n"
		  "\n"
		  "x          = \"$${x}\"\n"
		  "yy         = \"%%{x}\"\n"
		  "ratio      = 0.5\n"
		  "nothing    = null\n"
		  "on         = false\n"
		  "list_empty = []\n");

	v = J("{\"s\": \"q\\\"\\\\\\n\\r\\t\\u0001\\u007f Z\\u00fcrich \\ud83d\\ude00 $x %x $ {\", \"f\": [1.0, 1e300, -2.5, -0.0],"
	      " \"i\": [300000000000, -1]}");
	CHECK_STR("hcl: escapes and numbers", emit_ok(emit_hcl, v),
		  "s = \"q\\\"\\\\\\n\\r\\t\\u0001\\u007F Z\xc3\xbcrich \xf0\x9f\x98\x80 $x %x $ {\"\n"
		  "f = [1.0, 1e+300, -2.5, -0.0]\n"
		  "i = [300000000000, -1]\n");

	/* a long list of scalars goes one item per line */
	v = J("{\"brokers\": [\"broker-0.alert-stream.example.org:9094\", \"broker-1.alert-stream.example.org:9094\","
	      " \"broker-2.alert-stream.example.org:9094\"], \"n\": 1}");
	CHECK_STR("hcl: long list is multi-line", emit_ok(emit_hcl, v),
		  "brokers = [\n"
		  "  \"broker-0.alert-stream.example.org:9094\",\n"
		  "  \"broker-1.alert-stream.example.org:9094\",\n"
		  "  \"broker-2.alert-stream.example.org:9094\",\n"
		  "]\n"
		  "\n"
		  "n = 1\n");

	/* alignment counts characters, not bytes; only consecutive one-line entries */
	v = J("{\"m\": {\"\\u00fc\\u00fc\": 1, \"abc\": 2, \"x\": {\"a\": 1}, \"longer_name\": 3, \"b\": 4}}");
	CHECK_STR("hcl: alignment by characters, split by a multi-line value", emit_ok(emit_hcl, v),
		  "m = {\n"
		  "  \"\xc3\xbc\xc3\xbc\" = 1\n"
		  "  abc  = 2\n"
		  "  x = {\n"
		  "    a = 1\n"
		  "  }\n"
		  "  longer_name = 3\n"
		  "  b           = 4\n"
		  "}\n");

	CHECK_STR("hcl: empty document", emit_ok(emit_hcl, J("{}")), "");

	/* errors */
	struct buf b = BUF_INIT;
	CHECK("hcl: a sequence document is an error", emit_hcl(&b, J("[1]"), &D) == -1 && last_diag_is("emit-hcl-top"));
	struct value *m = v_map(A, NULL);
	struct mark mk = { "t.tfvars", 4, 1 };
	map_put(A, m, STR("ok"), J("1"));
	map_put(A, m, v_str(A, &mk, "bad name"), J("1"));
	CHECK("hcl: attribute name must be an identifier",
	      emit_hcl(&b, m, &D) == -1 && last_diag_is("emit-hcl-name") && D.items[D.n - 1].line == 4);
	CHECK("hcl: leading digit is not an identifier", emit_hcl(&b, J("{\"1a\": 1}"), &D) == -1);
	CHECK("hcl: leading dash is not an identifier", emit_hcl(&b, J("{\"-a\": 1}"), &D) == -1);
	CHECK("hcl: dash and underscore are fine", emit_hcl(&b, J("{\"_a-b\": 1}"), &D) == 0);
	buf_reset(&b);
	struct value *inf = v_map(A, NULL);
	map_put(A, inf, STR("a"), v_float(A, NULL, INFINITY));
	CHECK("hcl: infinity is an error", emit_hcl(&b, inf, &D) == -1 && last_diag_is("emit-hcl-number") && b.len == 0);
	struct value *bad = v_map(A, NULL);
	map_put(A, bad, STR("a"), J("{\"b\": [\"x\"]}"));
	seq_push(A, v_path(bad, "a.b"), STR("\xff"));
	CHECK("hcl: invalid UTF-8 is an error", emit_hcl(&b, bad, &D) == -1 && last_diag_is("emit-utf8") && b.len == 0);
	buf_free(&b);

	/* The round trips through HashiCorp's parser: tests/tools/emit_cases
	 * writes the cases of emit_cases.h, tests/suite_parsers.sh reads them. */
}

/* --------------------------------------------------------- properties */

/* java.util.Properties.load(InputStream), transcribed: ISO-8859-1 input,
 * logical lines with backslash continuation, comments (# !) and blank lines
 * skipped, key ended by an unescaped '=', ':' or white space, escapes
 * \uXXXX \t \n \r \f and \x -> x.  Keys and values come back as UTF-8. */
struct jprop {
	struct buf k, v;
};

static void put_utf8(struct buf *b, unsigned cp)
{
	char t[4];
	if (cp < 0x80) {
		buf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		t[0] = (char)(0xC0 | cp >> 6), t[1] = (char)(0x80 | (cp & 0x3F));
		buf_add(b, t, 2);
	} else if (cp < 0x10000) {
		t[0] = (char)(0xE0 | cp >> 12), t[1] = (char)(0x80 | ((cp >> 6) & 0x3F)), t[2] = (char)(0x80 | (cp & 0x3F));
		buf_add(b, t, 3);
	} else {
		t[0] = (char)(0xF0 | cp >> 18), t[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		t[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), t[3] = (char)(0x80 | (cp & 0x3F));
		buf_add(b, t, 4);
	}
}

/* loadConvert: unescape s[0..n) (UTF-16 units joined into UTF-8). */
static int load_convert(const unsigned char *s, size_t n, struct buf *out)
{
	unsigned hi = 0;
	for (size_t i = 0; i < n;) {
		unsigned c = s[i++];
		if (c == '\\') {
			if (i >= n)
				return -1;
			c = s[i++];
			if (c == 'u') {
				if (i + 4 > n)
					return -1; /* Java: "Malformed \uxxxx encoding." */
				unsigned u = 0;
				for (int k = 0; k < 4; k++) {
					unsigned d = s[i++];
					if (d >= '0' && d <= '9') u = u * 16 + d - '0';
					else if (d >= 'a' && d <= 'f') u = u * 16 + d - 'a' + 10;
					else if (d >= 'A' && d <= 'F') u = u * 16 + d - 'A' + 10;
					else return -1;
				}
				c = u;
			} else if (c == 't') c = '\t';
			else if (c == 'r') c = '\r';
			else if (c == 'n') c = '\n';
			else if (c == 'f') c = '\f';
		}
		if (c >= 0xD800 && c <= 0xDBFF) {
			hi = c;
			continue;
		}
		if (c >= 0xDC00 && c <= 0xDFFF && hi) {
			put_utf8(out, 0x10000 + ((hi - 0xD800) << 10) + (c - 0xDC00));
			hi = 0;
			continue;
		}
		if (hi)
			return -1; /* lone surrogate: not representable in UTF-8 */
		put_utf8(out, c);
	}
	return hi ? -1 : 0;
}

static bool jws(unsigned char c) { return c == ' ' || c == '\t' || c == '\f'; }

/* LineReader.readLine (JDK 8): one logical line into line; false at EOF. */
static bool read_line(const unsigned char *p, size_t n, size_t *pos, struct buf *line)
{
	bool skip_ws = true, is_comment = false, is_new_line = true, appended_begin = false;
	bool prec_bs = false, skip_lf = false;
	size_t i = *pos;
	buf_reset(line);
	while (i < n) {
		unsigned char c = p[i++];
		if (skip_lf) {
			skip_lf = false;
			if (c == '\n')
				continue;
		}
		if (skip_ws) {
			if (jws(c))
				continue;
			if (!appended_begin && (c == '\r' || c == '\n'))
				continue;
			skip_ws = false;
			appended_begin = false;
		}
		if (is_new_line) {
			is_new_line = false;
			if (c == '#' || c == '!') {
				is_comment = true;
				continue;
			}
		}
		if (c != '\n' && c != '\r') {
			buf_putc(line, (char)c);
			prec_bs = c == '\\' ? !prec_bs : false;
			continue;
		}
		/* end of a natural line */
		if (is_comment || line->len == 0) {
			is_comment = false;
			is_new_line = true;
			skip_ws = true;
			buf_reset(line);
			continue;
		}
		if (prec_bs) {
			line->len--;
			skip_ws = true;
			appended_begin = true;
			prec_bs = false;
			if (c == '\r')
				skip_lf = true;
			continue;
		}
		*pos = i;
		return true;
	}
	*pos = i;
	if (line->len == 0 || is_comment)
		return false;
	if (prec_bs)
		line->len--;
	return true;
}

/* Properties.load0: returns the number of entries, -1 on malformed input. */
static int properties_load(const char *text, struct jprop *out, int max)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t n = strlen(text), pos = 0;
	int count = 0;
	struct buf line = BUF_INIT;
	while (read_line(p, n, &pos, &line)) {
		const unsigned char *l = (const unsigned char *)line.data;
		size_t len = line.len, kl = 0, vs = len;
		bool has_sep = false, prec_bs = false;
		while (kl < len) {
			unsigned char c = l[kl];
			if ((c == '=' || c == ':') && !prec_bs) {
				vs = kl + 1;
				has_sep = true;
				break;
			} else if (jws(c) && !prec_bs) {
				vs = kl + 1;
				break;
			}
			prec_bs = c == '\\' ? !prec_bs : false;
			kl++;
		}
		while (vs < len) {
			unsigned char c = l[vs];
			if (!jws(c)) {
				if (!has_sep && (c == '=' || c == ':'))
					has_sep = true;
				else
					break;
			}
			vs++;
		}
		if (count == max) {
			count = -1;
			break;
		}
		buf_reset(&out[count].k);
		buf_reset(&out[count].v);
		if (load_convert(l, kl, &out[count].k) < 0 || load_convert(l + vs, len - vs, &out[count].v) < 0) {
			count = -1;
			break;
		}
		buf_cstr(&out[count].k);
		buf_cstr(&out[count].v);
		count++;
	}
	buf_free(&line);
	return count;
}

/* Flatten the tree as the emitter should: "a.b" = text of the scalar. */
static void flatten(const struct value *m, struct buf *prefix, struct jprop *out, int *count)
{
	for (size_t i = 0; i < m->map.n; i++) {
		size_t save = prefix->len;
		if (save)
			buf_putc(prefix, '.');
		buf_add(prefix, m->map.items[i].key->str.s, m->map.items[i].key->str.len);
		const struct value *v = m->map.items[i].val;
		if (v->kind == V_MAP) {
			flatten(v, prefix, out, count);
		} else {
			struct jprop *e = &out[(*count)++];
			buf_reset(&e->k);
			buf_reset(&e->v);
			buf_add(&e->k, prefix->data, prefix->len);
			if (v->kind == V_STRING)
				buf_add(&e->v, v->str.s, v->str.len);
			else if (v->kind == V_INT)
				buf_printf(&e->v, "%lld", v->i);
			else if (v->kind == V_BOOL)
				buf_puts(&e->v, v->b ? "true" : "false");
			else if (v->kind == V_FLOAT)
				buf_printf(&e->v, "%.17g", v->f);
			buf_cstr(&e->k);
			buf_cstr(&e->v);
		}
		prefix->len = save;
	}
}

#define MAXPROPS 1024
static struct jprop got_props[MAXPROPS], want_props[MAXPROPS];

/* Load the emitted text and compare with the flattened tree. */
static const char *properties_roundtrip(const struct value *doc, const char *text)
{
	static char why[600];
	int ng = properties_load(text, got_props, MAXPROPS);
	if (ng < 0)
		return "Properties.load: malformed input";
	int nw = 0;
	struct buf prefix = BUF_INIT;
	flatten(doc, &prefix, want_props, &nw);
	buf_free(&prefix);
	if (ng != nw) {
		snprintf(why, sizeof why, "want %d entries, got %d", nw, ng);
		return why;
	}
	for (int i = 0; i < nw; i++) {
		struct jprop *g = &got_props[i], *w = &want_props[i];
		bool veq = g->v.len == w->v.len && memcmp(g->v.data, w->v.data, w->v.len) == 0;
		if (!veq && w->v.len && g->v.len && strtod(w->v.data, NULL) != 0 &&
		    strtod(g->v.data, NULL) == strtod(w->v.data, NULL))
			veq = true; /* a float, written shortest */
		if (g->k.len != w->k.len || memcmp(g->k.data, w->k.data, w->k.len) != 0 || !veq) {
			snprintf(why, sizeof why, "entry %d: want [%.100s]=[%.100s], got [%.100s]=[%.100s]", i,
				 w->k.data, w->v.data, g->k.data, g->v.data);
			return why;
		}
	}
	return NULL;
}

static void properties_tests(void)
{
	struct value *v = J("{\"ssl\": {\"truststore\": {\"type\": \"PEM\", \"location\": \"/etc/kafka/ca.crt\"}},"
			    " \"sasl.jaas.config\": \"org.apache.kafka.common.security.scram.ScramLoginModule required"
			    " username=\\\"alerce\\\" password=\\\"${ALERCE_PASSWORD}\\\";\","
			    " \"bootstrap.servers\": \"a:9092,b:9092\", \"key with=odd:chars#!\": \"v\","
			    " \"lead\": \"  x  trail \", \"nl\": \"a\\nb\\tc\\rd\\fe\\u0001\", \"uni\": \"Z\\u00fcrich \\u2713 \\ud83d\\ude00\","
			    " \"back\": \"a\\\\b\", \"num\": 1, \"neg\": -300000000000, \"f\": 0.5, \"bool\": true, \"empty\": \"\","
			    " \"hash\": \"#not a comment\", \"ctrl\": {\"\\tk\\n\": \"=v:\"}, \"nothing\": {}}");
	CHECK_STR("properties: exact text", emit_ok(emit_properties, v),
		  "ssl.truststore.type=PEM\n"
		  "ssl.truststore.location=/etc/kafka/ca.crt\n"
		  "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required"
		  " username=\"alerce\" password=\"${ALERCE_PASSWORD}\";\n"
		  "bootstrap.servers=a:9092,b:9092\n"
		  "key\\ with\\=odd\\:chars\\#\\!=v\n"
		  "lead=\\  x  trail \n"
		  "nl=a\\nb\\tc\\rd\\fe\\u0001\n"
		  "uni=Z\\u00FCrich \\u2713 \\uD83D\\uDE00\n"
		  "back=a\\\\b\n"
		  "num=1\n"
		  "neg=-300000000000\n"
		  "f=0.5\n"
		  "bool=true\n"
		  "empty=\n"
		  "hash=#not a comment\n"
		  "ctrl.\\tk\\n==v:\n"
		  "" /* nothing: an empty mapping has no lines */);
	const char *why = properties_roundtrip(v, emit_ok(emit_properties, v));
	CHECK(why ? why : "properties: Properties.load reads back the same entries", !why);

	CHECK_STR("properties: = and : unescaped in values", emit_ok(emit_properties, J("{\"k\": \"=v:\"}")), "k==v:\n");

	struct value *all = v_map(A, NULL);
	for (size_t i = 0; i < NTRICKY; i++) {
		const struct tstr *t = &tricky[i];
		struct value *s = S(t->s, t->n);
		struct value *doc = v_map(A, NULL);
		map_put(A, doc, STR("v"), s);
		map_put(A, doc, s, s);
		struct value *nested = v_map(A, NULL);
		map_put(A, nested, s, s);
		map_put(A, doc, STR("n"), nested);
		map_put(A, all, s, s);
		why = properties_roundtrip(doc, emit_ok(emit_properties, doc));
		char name[300];
		snprintf(name, sizeof name, "properties load: '%s'%s%s", t->name, why ? ": " : "", why ? why : "");
		CHECK(name, !why);
	}
	why = properties_roundtrip(all, emit_ok(emit_properties, all));
	CHECK(why ? why : "properties load: all strings in one file", !why);
	/* Keys and values are scanned eight bytes a step: every ASCII byte,
	 * and a two- and a four-byte character, at every offset of a longer
	 * key and value. */
	const char *wide[] = { "\xc3\xa9", "\xf0\x9f\x98\x80" };
	size_t nbad = 0;
	for (int ch = 0; ch < 0x80 + 2; ch++)
		for (size_t at = 0; at < 24; at++) {
			char text[32];
			memset(text, 'x', sizeof text);
			const char *ins = ch < 0x80 ? NULL : wide[ch - 0x80];
			size_t k = ins ? strlen(ins) : 1;
			if (ins)
				memcpy(text + at, ins, k);
			else
				text[at] = (char)ch;
			struct value *doc = v_map(A, NULL), *key = v_map(A, NULL);
			map_put(A, doc, STR("v"), S(text, 24 + k - 1));
			map_put(A, key, S(text, 24 + k - 1), STR("v"));
			if (properties_roundtrip(doc, emit_ok(emit_properties, doc)) ||
			    properties_roundtrip(key, emit_ok(emit_properties, key)))
				nbad++;
		}
	CHECK("properties load: each byte at each offset of a 24-byte key and value", nbad == 0);
	/* the loader in this test does fail on a broken file */
	CHECK("properties test: the loader splits at an unescaped space",
	      properties_roundtrip(J("{\"a b\": \"x\"}"), "a b=x\n") != NULL);

	struct buf b = BUF_INIT;
	struct mark mk = { "t.properties", 5, 2 };
	struct value *m = v_map(A, NULL);
	map_put(A, m, STR("list"), v_seq(A, &mk));
	CHECK("properties: a sequence is an error",
	      emit_properties(&b, m, &D) == -1 && last_diag_is("emit-properties-type") && D.items[D.n - 1].line == 5 &&
		      D.items[D.n - 1].hint && strstr(D.items[D.n - 1].hint, "join"));
	CHECK("properties: null is an error", emit_properties(&b, J("{\"a\": {\"b\": null}}"), &D) == -1 &&
						      last_diag_is("emit-properties-type"));
	CHECK("properties: a non-mapping document is an error",
	      emit_properties(&b, J("\"x\""), &D) == -1 && last_diag_is("emit-properties-top"));
	CHECK("properties: duplicate flattened key is an error",
	      emit_properties(&b, J("{\"a\": {\"b\": 1}, \"a.b\": 2}"), &D) == -1 && last_diag_is("emit-properties-duplicate"));
	struct value *inf = v_map(A, NULL);
	map_put(A, inf, STR("a"), v_float(A, NULL, NAN));
	CHECK("properties: nan is an error", emit_properties(&b, inf, &D) == -1 && last_diag_is("emit-properties-number"));
	struct value *bad = v_map(A, NULL);
	map_put(A, bad, STR("ok"), STR("x"));
	map_put(A, bad, STR("k\xff"), STR("x"));
	CHECK("properties: invalid UTF-8 is an error", emit_properties(&b, bad, &D) == -1 && last_diag_is("emit-utf8"));
	CHECK("properties: buffer untouched after errors", b.len == 0);
	/* many keys: the duplicate check's table grows */
	struct value *many = v_map(A, NULL);
	for (int i = 0; i < 5000; i++)
		map_put(A, many, v_strf(A, NULL, "key%d", i), v_int(A, NULL, i));
	CHECK("properties: 5000 distinct keys", emit_properties(&b, many, &D) == 0);
	map_put(A, many, STR("key4321"), v_int(A, NULL, 0));
	buf_reset(&b);
	CHECK("properties: duplicate among 5000 keys", emit_properties(&b, many, &D) == -1);
	/* a few keys are compared in the output; past 32 the first ones move
	 * into the hash set, and a repeat of one of them is still found */
	static const int sizes[] = { 10, 32, 33, 40 };
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		struct value *some = v_map(A, NULL);
		for (int i = 0; i < sizes[k]; i++)
			map_put(A, some, v_strf(A, NULL, "key%d", i), v_int(A, NULL, i));
		buf_reset(&b);
		bool fine = emit_properties(&b, some, &D) == 0;
		map_put(A, some, STR("key3"), v_int(A, NULL, 0));
		buf_reset(&b);
		CHECK("properties: a repeat of the 4th of N keys is found (N = 10, 32, 33, 40)",
		      fine && emit_properties(&b, some, &D) == -1 && last_diag_is("emit-properties-duplicate"));
	}
	buf_free(&b);
}

/* ---------------------------------------------------- librdkafka, text */

/* Emit doc as librdkafka lines and read them back with asbgen's kcat-rule
 * reader: NULL when every flattened entry reads back as its text. */
static const char *rdkafka_roundtrip(const char *text, const char *want_key, const char *want_val)
{
	struct value *m = read_librdkafka(A, &D, "t.conf", text, strlen(text));
	if (!m)
		return "the reader refused it";
	const struct value *v = map_get(m, want_key);
	if (!v || v->kind != V_STRING || strcmp(v->str.s, want_val))
		return "the value read back differs";
	return NULL;
}

/* One node written by both dialects, in turn: what the first emitter
 * remembers of its text (VF_KV_KEY, VF_KV_VAL) must not change what the
 * other writes or refuses. */
static struct value *kv1(struct value *k, struct value *v)
{
	struct value *m = v_map(A, NULL);
	map_put(A, m, k, v);
	return m;
}

/* emit_yaml_shared: a VF_SHARED subtree's kept text is what emit_yaml
 * writes there, at every place it is met (indentation, first in a list
 * item or after a key), and a node met once keeps nothing. */
static void shared_tests(void)
{
	struct value *acl = J("{\"resource\": {\"type\": \"topic\", \"name\": \"a\"}, \"operations\": [\"Read\", \"Describe\"]}");
	struct value *labels = J("{\"app\": \"x\", \"odd: key\": \"yes\"}");
	acl->flags |= VF_SHARED;
	labels->flags |= VF_SHARED;
	/* Ten users' objects: the entry in a list, the labels under a key,
	 * both also deeper and as an item's first line. */
	struct value *seq = v_seq(A, NULL);
	for (int i = 0; i < 10; i++) {
		struct value *o = v_map(A, NULL);
		map_set(A, o, "labels", labels);
		struct value *acls = v_seq(A, NULL);
		seq_push(A, acls, acl);
		seq_push(A, acls, J("{\"resource\": {\"type\": \"group\"}}"));
		map_set(A, o, "acls", acls);
		struct value *deep = v_map(A, NULL);
		map_set(A, deep, "again", acls);
		map_set(A, o, "deeper", deep);
		struct value *items = v_seq(A, NULL);
		seq_push(A, items, labels);
		map_set(A, o, "items", items);
		seq_push(A, seq, o);
	}
	struct emit_memo *m = emit_memo_new();
	struct buf plain = BUF_INIT, memo = BUF_INIT, again = BUF_INIT;
	bool ok = emit_yaml(&plain, seq, &D) == 0 && emit_yaml_shared(&memo, seq, &D, m) == 0 &&
		  emit_yaml_shared(&again, seq, &D, m) == 0; /* the memo's text only, second time */
	CHECK("yaml shared: ten objects with shared parts, the bytes of emit_yaml, twice",
	      ok && plain.len > 0 && plain.len == memo.len && !memcmp(plain.data, memo.data, plain.len) &&
		      again.len == plain.len && !memcmp(plain.data, again.data, plain.len));
	/* One object alone after: its parts from the memo, at its own places. */
	struct buf one = BUF_INIT, one_memo = BUF_INIT;
	ok = emit_yaml(&one, seq->seq.items[3], &D) == 0 && emit_yaml_shared(&one_memo, seq->seq.items[3], &D, m) == 0;
	CHECK("yaml shared: at another indentation (the top level), still emit_yaml's bytes",
	      ok && one.len == one_memo.len && !memcmp(one.data, one_memo.data, one.len));
	/* A shared node with a string emit_yaml refuses: an error each time,
	 * nothing kept, the output as it was. */
	struct value *bad = v_map(A, NULL);
	map_set(A, bad, "k", S("a\x80", 2));
	bad->flags |= VF_SHARED;
	struct value *doc = v_map(A, NULL);
	map_set(A, doc, "x", bad);
	struct buf e = BUF_INIT;
	size_t n0 = D.n;
	ok = emit_yaml_shared(&e, doc, &D, m) == -1 && emit_yaml_shared(&e, doc, &D, m) == -1 &&
	     emit_yaml_shared(&e, doc, &D, m) == -1;
	CHECK("yaml shared: a subtree that fails is reported each time, never kept", ok && D.n == n0 + 3 && e.len == 0);
	emit_memo_free(m);
	buf_free(&plain);
	buf_free(&memo);
	buf_free(&again);
	buf_free(&one);
	buf_free(&one_memo);
	buf_free(&e);
}

static void kv_flag_tests(void)
{
	struct value *host = STR("host:9094"), *blank = STR("a b"), *trail = STR("x "), *e = STR("\xc3\xa9");
	CHECK_STR("kv flags: a value with ':' as a Java value", emit_ok(emit_properties, kv1(STR("k"), host)),
		  "k=host:9094\n");
	CHECK_STR("kv flags: then as a Java key, escaped", emit_ok(emit_properties, kv1(host, STR("v"))),
		  "host\\:9094=v\n");
	CHECK_STR("kv flags: then as a librdkafka key, as it is", emit_ok(emit_librdkafka, kv1(host, STR("v"))),
		  "host:9094=v\n");
	CHECK_STR("kv flags: and as a Java key again, escaped", emit_ok(emit_properties, kv1(host, STR("v"))),
		  "host\\:9094=v\n");
	CHECK_STR("kv flags: 'a b' as a Java value", emit_ok(emit_properties, kv1(STR("k"), blank)), "k=a b\n");
	CHECK_STR("kv flags: then as a librdkafka value", emit_ok(emit_librdkafka, kv1(STR("k"), blank)), "k=a b\n");
	int rc;
	emit_str(emit_librdkafka, kv1(blank, STR("v")), &rc);
	CHECK("kv flags: but as a librdkafka key still an error", rc == -1 && last_diag_is("emit-librdkafka-text"));
	CHECK_STR("kv flags: a trailing blank as a Java value", emit_ok(emit_properties, kv1(STR("k"), trail)),
		  "k=x \n");
	emit_str(emit_librdkafka, kv1(STR("k"), trail), &rc);
	CHECK("kv flags: then as a librdkafka value still an error", rc == -1 && last_diag_is("emit-librdkafka-text"));
	CHECK_STR("kv flags: non-ASCII as a librdkafka value", emit_ok(emit_librdkafka, kv1(STR("k"), e)),
		  "k=\xc3\xa9\n");
	CHECK_STR("kv flags: then as a Java value, escaped", emit_ok(emit_properties, kv1(STR("k"), e)),
		  "k=\\u00E9\n");
	struct value *plain = STR("sasl.mechanism");
	emit_ok(emit_properties, kv1(plain, STR("v")));
	CHECK("kv flags: a plain key is remembered as one", (plain->flags & (VF_KV_KEY | VF_KV_VAL)) == (VF_KV_KEY | VF_KV_VAL));
	CHECK("kv flags: a value with ':' is remembered as a value only", (host->flags & VF_TEXT & ~VF_YAML_PLAIN) == VF_KV_VAL);
}

static void librdkafka_tests(void)
{
	struct value *v = J("{\"bootstrap.servers\": \"a:9094\", \"sasl\": {\"username\": \"alice\"},"
			    " \"v\": \"a=b:c #d !e\", \"back\": \"C:x\\\\y\\\\\", \"uni\": \"caf\\u00e9\","
			    " \"hash\": \"#x\", \"num\": 3, \"bool\": false, \"empty\": \"\", \"f\": 0.5}");
	CHECK_STR("librdkafka: exact text, nothing escaped", emit_ok(emit_librdkafka, v),
		  "bootstrap.servers=a:9094\n"
		  "sasl.username=alice\n"
		  "v=a=b:c #d !e\n"
		  "back=C:x\\y\\\n"
		  "uni=caf\xc3\xa9\n"
		  "hash=#x\n"
		  "num=3\n"
		  "bool=false\n"
		  "empty=\n"
		  "f=0.5\n");
	const char *why = rdkafka_roundtrip(emit_ok(emit_librdkafka, v), "v", "a=b:c #d !e");
	CHECK(why ? why : "librdkafka: the kcat-rule reader reads back '=' and ':' in a value", !why);
	why = rdkafka_roundtrip("  k=  x y  \r\n# c\n\n", "k", "  x y"); /* blanks after = stay */
	CHECK(why ? why : "librdkafka reader: lines trimmed, comments and empty lines skipped", !why);
	why = rdkafka_roundtrip("k=a\\=b\\:c\\\\d\n", "k", "a=b:c\\\\d");
	CHECK(why ? why : "librdkafka reader: \\= and \\: only are escapes", !why);
	size_t nd = D.n;
	CHECK("librdkafka reader: a line without '=' is an error",
	      !read_librdkafka(A, &D, "t.conf", "k\n", 2) && D.n == nd + 1 && last_diag_is("librdkafka-syntax"));
	CHECK("librdkafka reader: a key twice is an error",
	      !read_librdkafka(A, &D, "t.conf", "k=1\nk=2\n", 8) && last_diag_is("librdkafka-syntax") &&
		      D.items[D.n - 1].line == 2);
	char longl[600];
	memset(longl, 'x', sizeof longl);
	memcpy(longl, "k=", 2);
	longl[512] = '\n';
	CHECK("librdkafka reader: a line of 512 bytes is an error",
	      !read_librdkafka(A, &D, "t.conf", longl, 513) && last_diag_is("librdkafka-syntax"));
	longl[511] = '\n';
	CHECK("librdkafka reader: a line of 511 bytes is read", read_librdkafka(A, &D, "t.conf", longl, 512) != NULL);

	struct buf b = BUF_INIT;
	static const char *const refused[][2] = {
		{ "{\"k\": \" x\"}", "a leading blank" },      { "{\"k\": \"x \"}", "a trailing blank" },
		{ "{\"k\": \"a\\tb\"}", "a tab" },              { "{\"k\": \"a\\nb\"}", "a line break" },
		{ "{\"k\": \"a\\u007fb\"}", "DEL" },            { "{\"k\": \"a\\\\=b\"}", "a backslash before =" },
		{ "{\"k\": \"a\\\\:b\"}", "a backslash before :" }, { "{\"a=b\": \"x\"}", "'=' in a key" },
		{ "{\"a b\": \"x\"}", "a blank in a key" },     { "{\"#k\": \"x\"}", "a key starting with '#'" },
		{ "{\"a\\\\b\": \"x\"}", "a backslash in a key" }, { "{\"k\\u00e9\": \"x\"}", "non-ASCII in a key" },
	};
	for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
		char name[120];
		snprintf(name, sizeof name, "librdkafka: %s is an error (emit-librdkafka-text)", refused[i][1]);
		CHECK(name, emit_librdkafka(&b, J(refused[i][0]), &D) == -1 && last_diag_is("emit-librdkafka-text"));
	}
	CHECK("librdkafka: a '#' inside a nested key is not a comment",
	      !strcmp(emit_ok(emit_librdkafka, J("{\"a\": {\"#b\": 1}}")), "a.#b=1\n"));
	struct value *line = v_map(A, NULL);
	char val[600];
	memset(val, 'x', sizeof val);
	map_put(A, line, STR("k"), S(val, 509)); /* k= and 509 bytes: 511 */
	CHECK("librdkafka: a line of 511 bytes is written", emit_librdkafka(&b, line, &D) == 0);
	buf_reset(&b);
	line = v_map(A, NULL);
	map_put(A, line, STR("k"), S(val, 510));
	CHECK("librdkafka: a line of 512 bytes is an error",
	      emit_librdkafka(&b, line, &D) == -1 && last_diag_is("emit-librdkafka-line"));
	CHECK("librdkafka: a sequence is an error", emit_librdkafka(&b, J("{\"k\": [1]}"), &D) == -1 &&
							     last_diag_is("emit-properties-type"));
	CHECK("librdkafka: a duplicate flattened key is an error",
	      emit_librdkafka(&b, J("{\"a\": {\"b\": 1}, \"a.b\": 2}"), &D) == -1 &&
		      last_diag_is("emit-properties-duplicate"));
	struct value *bad = v_map(A, NULL);
	map_put(A, bad, STR("k"), S("a\xff", 2));
	CHECK("librdkafka: invalid UTF-8 in a value is an error",
	      emit_librdkafka(&b, bad, &D) == -1 && last_diag_is("emit-utf8"));
	CHECK("librdkafka: buffer untouched after errors", b.len == 0);
	buf_free(&b);
}

static void text_tests(void)
{
	struct value *v = J("[\"# Title\", \"\", \"a `b` | c: d\", 3, true, 0.5, \"caf\\u00e9\"]");
	CHECK_STR("text: one line per item", emit_ok(emit_text, v), "# Title\n\na `b` | c: d\n3\ntrue\n0.5\ncaf\xc3\xa9\n");
	CHECK_STR("text: an empty sequence is an empty file", emit_ok(emit_text, J("[]")), "");
	const char *t = "<!-- Generated by asbgen -->\nx\n\n<!-- c -->\ny";
	struct value *r = read_text(A, &D, "t.md", t, strlen(t));
	CHECK("text reader: lines without whole-line comments, no final newline needed",
	      r && r->kind == V_SEQ && r->seq.n == 3 && !strcmp(r->seq.items[0]->str.s, "x") &&
		      !strcmp(r->seq.items[1]->str.s, "") && !strcmp(r->seq.items[2]->str.s, "y") &&
		      r->seq.items[2]->mark.line == 5);
	struct buf b = BUF_INIT;
	CHECK("text: a mapping document is an error", emit_text(&b, J("{\"a\": 1}"), &D) == -1 && last_diag_is("emit-text-type"));
	CHECK("text: a null line is an error", emit_text(&b, J("[\"a\", null]"), &D) == -1 && last_diag_is("emit-text-type"));
	CHECK("text: a nested sequence is an error", emit_text(&b, J("[[\"a\"]]"), &D) == -1 && last_diag_is("emit-text-type"));
	CHECK("text: a line break in a line is an error", emit_text(&b, J("[\"a\\nb\"]"), &D) == -1 && last_diag_is("emit-text-line"));
	CHECK("text: a carriage return in a line is an error", emit_text(&b, J("[\"a\\rb\"]"), &D) == -1 && last_diag_is("emit-text-line"));
	struct value *bad = v_seq(A, NULL);
	seq_push(A, bad, S("a\xff", 2));
	CHECK("text: invalid UTF-8 is an error", emit_text(&b, bad, &D) == -1 && last_diag_is("emit-utf8"));
	CHECK("text: buffer untouched after errors", b.len == 0);
	buf_free(&b);
}

/* -------------------------------------------------------- by file name */

static void path_tests(void)
{
	CHECK("path: .yaml", emit_for_path("out/x/kafka.yaml") == emit_yaml);
	CHECK("path: .yml", emit_for_path("a.yml") == emit_yaml);
	CHECK("path: .json", emit_for_path("a.json") == emit_json);
	CHECK("path: .tfvars", emit_for_path("env/prod.tfvars") == emit_hcl);
	CHECK("path: .hcl", emit_for_path("a.hcl") == emit_hcl);
	CHECK("path: .properties", emit_for_path("client.properties") == emit_properties);
	CHECK("path: .conf", emit_for_path("clients/alice.conf") == emit_librdkafka);
	CHECK("path: .md", emit_for_path("clients/README.md") == emit_text);
	CHECK("path: unknown", emit_for_path("a.txt") == NULL && emit_for_path("yaml") == NULL &&
				       emit_for_path("dir.yaml/file") == NULL && emit_for_path(".yaml") == NULL);
	CHECK_STR("path: yaml comment", emit_comment_prefix("a.yaml"), "# ");
	CHECK_STR("path: tfvars comment", emit_comment_prefix("a.tfvars"), "# ");
	CHECK_STR("path: properties comment", emit_comment_prefix("a.properties"), "# ");
	CHECK("path: json has no comment", emit_comment_prefix("a.json") == NULL);
}

/* -------------------------------------------------------------- speed */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void speed(void)
{
	struct value *users = v_seq(A, NULL);
	for (int i = 0; i < 10000; i++) {
		struct value *u = v_map(A, NULL);
		map_set(A, u, "apiVersion", v_str(A, NULL, "kafka.strimzi.io/v1beta2"));
		map_set(A, u, "kind", v_str(A, NULL, "KafkaUser"));
		struct value *md = v_map(A, NULL);
		map_set(A, md, "name", v_strf(A, NULL, "broker-user-%05d", i));
		struct value *labels = v_map(A, NULL);
		map_set(A, labels, "strimzi.io/cluster", v_str(A, NULL, "alert-broker"));
		map_set(A, md, "labels", labels);
		map_set(A, u, "metadata", md);
		struct value *spec = v_map(A, NULL), *auth = v_map(A, NULL), *authz = v_map(A, NULL);
		map_set(A, auth, "type", v_str(A, NULL, "scram-sha-512"));
		map_set(A, authz, "type", v_str(A, NULL, "simple"));
		struct value *acls = v_seq(A, NULL);
		for (int k = 0; k < 3; k++) {
			struct value *acl = v_map(A, NULL), *res = v_map(A, NULL), *ops = v_seq(A, NULL);
			map_set(A, res, "type", v_str(A, NULL, k ? "topic" : "group"));
			map_set(A, res, "name", v_strf(A, NULL, "alerts-%d-simulated", k));
			map_set(A, res, "patternType", v_str(A, NULL, "literal"));
			map_set(A, acl, "resource", res);
			seq_push(A, ops, v_str(A, NULL, "Read"));
			seq_push(A, ops, v_str(A, NULL, "Describe"));
			map_set(A, acl, "operations", ops);
			map_set(A, acl, "host", v_str(A, NULL, "*"));
			seq_push(A, acls, acl);
		}
		map_set(A, authz, "acls", acls);
		map_set(A, spec, "authentication", auth);
		map_set(A, spec, "authorization", authz);
		struct value *quotas = v_map(A, NULL);
		map_set(A, quotas, "producerByteRate", v_int(A, NULL, 1048576));
		map_set(A, quotas, "consumerByteRate", v_int(A, NULL, 2097152));
		map_set(A, quotas, "requestPercentage", v_float(A, NULL, 55.5));
		map_set(A, quotas, "note", v_str(A, NULL, "yes"));
		map_set(A, spec, "quotas", quotas);
		map_set(A, u, "spec", spec);
		seq_push(A, users, u);
	}
	struct value *doc = v_map(A, NULL);
	map_set(A, doc, "users", users);
	static const struct { const char *name; emit_fn fn; } e[] = {
		{ "yaml", emit_yaml }, { "json", emit_json }, { "hcl", emit_hcl },
	};
	for (size_t k = 0; k < 3; k++) {
		struct buf b = BUF_INIT;
		double best = 1e9;
		size_t bytes = 0;
		for (int r = 0; r < 5; r++) {
			buf_reset(&b);
			double t0 = now();
			int rc = e[k].fn(&b, doc, &D);
			double t = now() - t0;
			if (rc == 0 && t < best)
				best = t;
			bytes = b.len;
		}
		printf("# speed: %s emit of 10,000 users: %.1f MB in %.1f ms = %.0f MB/s\n", e[k].name,
		       (double)bytes / 1e6, best * 1e3, (double)bytes / 1e6 / best);
		if (k == 0) {
			char why[300];
			struct value *got = libyaml_load(b.data, b.len, why, sizeof why);
			CHECK("speed: the 10,000-user YAML reads back with libyaml", got && same(got, doc));
		}
		buf_free(&b);
	}
}

/* --------------------------------------------------------------- main */

int main(void)
{
	A = arena_new();
	diags_init(&D, A);
	ec_init();

	yaml_exact();
	yaml_roundtrips();
	yaml_errors();
	json_tests();
	hcl_tests();
	properties_tests();
	librdkafka_tests();
	kv_flag_tests();
	shared_tests();
	text_tests();
	path_tests();

	speed();

	re_free();
	diags_free(&D);
	arena_free(A);
	return UNIT_DONE();
}
