/* emit_cases.h - the emitters' round-trip cases, in one place for
 * tests/unit/test_emit.c (exact text, libyaml, jansson and Java properties
 * read them back, all in C) and tests/tools/emit_cases.c (which writes them
 * for PyYAML and HashiCorp's HCL parser: tests/suite_parsers.sh).
 * Header-only (static inline), for test programs.
 */
#ifndef ASBGEN_TESTS_EMIT_CASES_H
#define ASBGEN_TESTS_EMIT_CASES_H

#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "value.h"

static inline struct value *ec_from_jansson(struct arena *A, json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT: {
		struct value *m = v_map(A, NULL);
		const char *k;
		json_t *v;
		json_object_foreach(j, k, v)
			map_put(A, m, v_str(A, NULL, k), ec_from_jansson(A, v));
		return m;
	}
	case JSON_ARRAY: {
		struct value *s = v_seq(A, NULL);
		size_t i;
		json_t *v;
		json_array_foreach(j, i, v)
			seq_push(A, s, ec_from_jansson(A, v));
		return s;
	}
	case JSON_STRING:
		return v_strn(A, NULL, json_string_value(j), json_string_length(j));
	case JSON_INTEGER:
		return v_int(A, NULL, json_integer_value(j));
	case JSON_REAL:
		return v_float(A, NULL, json_real_value(j));
	case JSON_TRUE:
		return v_bool(A, NULL, true);
	case JSON_FALSE:
		return v_bool(A, NULL, false);
	case JSON_NULL:
		return v_null(A, NULL);
	}
	return NULL;
}

/* A tree from JSON text (test input notation); exit 2 on bad JSON. */
static inline struct value *ec_json(struct arena *A, const char *text)
{
	json_error_t err;
	json_t *j = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
	if (!j) {
		fprintf(stderr, "bad test JSON: %s: %s\n", err.text, text);
		exit(2);
	}
	struct value *v = ec_from_jansson(A, j);
	json_decref(j);
	return v;
}

/* ------------------------------------------------------------ strings */

struct tstr {
	const char *name;
	const char *s;
	size_t n;
};

#define T(name, lit) { name, lit, sizeof(lit) - 1 }

/* Strings that parsers misread, for every emitter. */
static const struct tstr tricky[] = {
	T("yes", "yes"), T("no", "no"), T("on", "on"), T("off", "off"), T("y", "y"), T("Y", "Y"),
	T("n", "n"), T("Yes", "Yes"), T("NO", "NO"), T("Off", "Off"), T("yES", "yES"),
	T("0755", "0755"), T("1e3", "1e3"), T("1E3", "1E3"), T("null", "null"), T("Null", "Null"),
	T("tilde", "~"), T("true", "true"), T("FALSE", "FALSE"), T("1.0", "1.0"), T(".5", ".5"),
	T("0x1F", "0x1F"), T("0o17", "0o17"), T("0b101", "0b101"), T("1_000", "1_000"),
	T("sexagesimal", "190:20:30"), T("12:30", "12:30"), T("+1", "+1"), T("-1", "-1"),
	T("-.inf", "-.inf"), T(".NaN", ".NaN"), T(".inf", ".inf"), T("1_000.5", "1_000.5"),
	T("6.8523015e+5", "6.8523015e+5"), T("1.", "1."), T("date", "2001-12-14"),
	T("date-short", "2001-1-2"),
	T("timestamp", "2001-12-14t21:59:43.10-05:00"), T("timestamp-spaced", "2001-12-14 21:59:43.10 -5"),
	T("merge", "<<"), T("value", "="), T("colon-space", "a: b"), T("space-hash", "a #b"),
	T("hash-first", "#x"), T("dash-space", "- x"), T("dash", "-"), T("dashdash", "---"),
	T("dots", "..."), T("dot", "."), T("question", "?"), T("q-space", "? x"), T("colon-first", ":x"),
	T("ends-colon", "a:"), T("a:b", "a:b"), T("a#b", "a#b"), T("bracket", "[a]"), T("brace", "{a}"),
	T("comma-first", ",a"), T("a,b", "a,b"), T("bang", "!tag"), T("amp", "&a"), T("star", "*a"),
	T("pipe", "|"), T("gt", ">"), T("percent", "%x"), T("at", "@x"), T("backtick", "`x"),
	T("lead-space", " x"), T("trail-space", "x "), T("spaces", "  "), T("squote", "'quote'"),
	T("dquote", "\"dq\""), T("inner-quotes", "a'b\"c"), T("backslash", "a\\b"),
	T("lone-backslash", "\\"), T("ml-trailing-nl", "a\nb\n"), T("ml-blank-line", "a\n\nb"),
	T("ml-no-trailing-nl", "a\nb"), T("ml-two-trailing-nl", "a\nb\n\n"), T("ml-one-line", "a\n"),
	T("newline", "\n"), T("newlines", "\n\n"), T("ml-lead-space", " a\nb\n"),
	T("ml-lead-blank-then-space", "\n  a\nb"), T("ml-spaces-line", "a\n  \nb\n"),
	T("ml-trailing-spaces", "a  \nb\n"), T("ml-tab", "a\tb\nc\n"), T("ml-hash", "# c\nx: y\n- z\n"),
	T("ml-doc-markers", "---\n...\n"), T("cr", "a\rb"), T("crlf", "a\r\nb\r\n"), T("tab", "a\tb"),
	T("ctrl-01", "a\x01" "b"), T("del", "a\x7f"), T("nul", "a\0b"), T("esc", "\x1b[0m"),
	T("nel", "a\xc2\x85" "b"), T("c1", "\xc2\x9b"), T("ls", "a\xe2\x80\xa8" "b"),
	T("ml-nel-ls", "a\xc2\x85" "b\nc\xe2\x80\xa8" "d\n"), T("bom", "\xef\xbb\xbf" "x"), T("nbsp-lead", "\xc2\xa0x"),
	T("unicode", "Z\xc3\xbcrich \xe2\x9c\x93 \xf0\x9f\x98\x80"), T("empty", ""),
	T("template", "${x}"), T("template-pct", "%{x}"), T("template-escaped", "$${x}"),
	T("dollars", "$$"), T("dollar-end", "a$"), T("jaas",
	  "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"alerce\" password=\"${ALERCE_PASSWORD}\";"),
	T("version", "4.1.1"), T("quantity", "35Ti"), T("millis", "500m"), T("apiver", "v1beta2"),
	T("name", "alert-broker"), T("group", "kafka.strimzi.io/v1"), T("url", "https://x/y"),
	T("url-port", "https://x:9092/y?a=b#frag"), T("ipv6", "::1"), T("inf-word", "inf"),
	T("nan-word", "nan"), T("e3", "e3"), T("1e", "1e"), T("0x", "0x"), T("8080:80", "8080:80"),
	T("host-port", "broker:9092"), T("star-host", "*"), T("key=value", "a=b"), T("semicolon", "a;b"),
	T("exclaim-mid", "a!b"),
};
#define NTRICKY (sizeof tricky / sizeof tricky[0])

/* A long string (plain) and a long key (explicit "? " key in YAML);
 * ec_init fills them. */
static char long_str[2100], long_key[1200];

static inline void ec_init(void)
{
	for (size_t i = 0; i < sizeof long_str - 1; i++)
		long_str[i] = (char)('a' + i % 26);
	for (size_t i = 0; i < sizeof long_key - 1; i++)
		long_key[i] = (char)('a' + i % 26);
}


static inline struct value *ec_str(struct arena *A, const struct tstr *t)
{
	return v_strn(A, NULL, t->s, t->n);
}

/* Every tricky string as a key and value of one mapping, and as items. */
static inline struct value *ec_tricky_map(struct arena *A)
{
	struct value *all = v_map(A, NULL);
	for (size_t i = 0; i < NTRICKY; i++)
		map_put(A, all, ec_str(A, &tricky[i]), ec_str(A, &tricky[i]));
	return all;
}

static inline struct value *ec_tricky_seq(struct arena *A)
{
	struct value *seq = v_seq(A, NULL);
	for (size_t i = 0; i < NTRICKY; i++)
		seq_push(A, seq, ec_str(A, &tricky[i]));
	return seq;
}

/* --------------------------------------------------------------- YAML */

/* One string as a value, as a key, and as a sequence item. */
static inline struct value *ec_yaml_doc(struct arena *A, struct value *s)
{
	struct value *doc = v_map(A, NULL);
	map_put(A, doc, v_str(A, NULL, "v"), s);
	map_put(A, doc, s, v_str(A, NULL, "k"));
	struct value *inner = v_seq(A, NULL);
	seq_push(A, inner, s);
	struct value *sm = v_map(A, NULL);
	map_put(A, sm, v_str(A, NULL, "x"), s);
	seq_push(A, inner, sm);
	map_put(A, doc, v_str(A, NULL, "in-seq"), inner);
	return doc;
}

/* Parts of both "everything" documents: empty collections at every depth,
 * and a user as the templates build one. */
#define EC_EMPTIES "\"empty\": {\"m\": {}, \"s\": [], \"nested\": [[], {}, [[]], {\"x\": {}}]}"
#define EC_USERS                                                                                  \
	"\"users\": [{\"name\": \"alerce\", \"acls\": [{\"resource\": {\"type\": \"topic\", \"name\": " \
	"\"alerts-simulated\"}, \"operations\": [\"Read\", \"Describe\"]}]}]"

/* DOC with every tricky string under MAP_KEY (as keys and values) and
 * SEQ_KEY (as items). */
static inline struct value *ec_add_tricky(struct arena *A, struct value *doc, const char *map_key, const char *seq_key)
{
	map_put(A, doc, v_str(A, NULL, map_key), ec_tricky_map(A));
	map_put(A, doc, v_str(A, NULL, seq_key), ec_tricky_seq(A));
	return doc;
}

/* Everything in one document: numbers at their limits, empties, nesting,
 * every tricky string, a long key and a long string. */
static inline struct value *ec_yaml_big(struct arena *A)
{
	struct value *big = ec_json(A, "{\"ints\": [0, -1, 300000000000, 9223372036854775807], \"floats\": [1.0, 0.1, -0.0, 1e-7,"
				   " 1e21, 5e-324, 1.7976931348623157e308, -2.5], \"bools\": [true, false],"
				   " \"null\": null, " EC_EMPTIES ", " EC_USERS "}");
	seq_push(A, v_path(big, "ints"), v_int(A, NULL, LLONG_MIN));
	ec_add_tricky(A, big, "tricky-map", "tricky-seq");
	map_put(A, big, v_strn(A, NULL, long_key, strlen(long_key)), v_strn(A, NULL, long_str, strlen(long_str)));
	return big;
}

/* inf and nan (JSON has none: the tool writes Python's spellings). */
static inline struct value *ec_yaml_infnan(struct arena *A)
{
	struct value *sp = v_seq(A, NULL);
	seq_push(A, sp, v_float(A, NULL, INFINITY));
	seq_push(A, sp, v_float(A, NULL, -INFINITY));
	seq_push(A, sp, v_float(A, NULL, NAN));
	return sp;
}

/* ---------------------------------------------------------------- HCL */

/* One string as a value, as an object key and value, and as a list item. */
static inline struct value *ec_hcl_doc(struct arena *A, struct value *s)
{
	struct value *doc = v_map(A, NULL);
	map_put(A, doc, v_str(A, NULL, "v"), s);
	struct value *obj = v_map(A, NULL);
	map_put(A, obj, s, s);
	map_put(A, doc, v_str(A, NULL, "obj"), obj);
	struct value *l = v_seq(A, NULL);
	seq_push(A, l, s);
	map_put(A, doc, v_str(A, NULL, "list"), l);
	return doc;
}

/* Everything in one file, with HCL's keywords as keys. */
static inline struct value *ec_hcl_big(struct arena *A)
{
	struct value *doc = ec_json(A, "{\"ints\": [0, -1, 300000000000, 9007199254740993], \"floats\": [1.0, 0.1, -2.5, 1e-7, 1e21,"
				   " 1.7976931348623157e308], \"bools\": [true, false], \"nothing\": null, " EC_EMPTIES ", " EC_USERS ","
				   " \"keywords\": {\"null\": 1, \"true\": 2, \"false\": 3, \"for\": 4, \"in\": 5, \"if\": 6}}");
	return ec_add_tricky(A, doc, "tricky_map", "tricky_seq");
}

#endif
