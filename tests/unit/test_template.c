/* test_template.c - the template language: expressions, directives, index. */
#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "load.h"
#include "template.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct arena *A;
static struct diags D;

/* Fixture directory: next to this source file. */
static const char *fixture(const char *name)
{
	static char path[512];
	const char *f = __FILE__, *slash = strrchr(f, '/');
	int n = slash ? (int)(slash - f) : 0;
	snprintf(path, sizeof path, "%.*s%stemplates/%s", n, f, n ? "/" : "", name);
	return path;
}

static void reset(void)
{
	diags_free(&D);
	diags_init(&D, A);
}

/* Flow-style dump that shows types: strings always quoted. */
static void dump(struct buf *b, const struct value *v)
{
	if (!v) {
		buf_puts(b, "(NULL)");
		return;
	}
	switch (v->kind) {
	case V_NULL: buf_puts(b, "null"); break;
	case V_BOOL: buf_puts(b, v->b ? "true" : "false"); break;
	case V_INT: buf_printf(b, "%lld", v->i); break;
	case V_FLOAT: buf_printf(b, "%g", v->f); break;
	case V_STRING: buf_printf(b, "\"%s\"", v->str.s); break;
	case V_SEQ:
		buf_putc(b, '[');
		for (size_t i = 0; i < v->seq.n; i++) {
			if (i)
				buf_puts(b, ", ");
			dump(b, v->seq.items[i]);
		}
		buf_putc(b, ']');
		break;
	case V_MAP:
		buf_putc(b, '{');
		for (size_t i = 0; i < v->map.n; i++) {
			if (i)
				buf_puts(b, ", ");
			buf_printf(b, "%s: ", v->map.items[i].key->str.s);
			dump(b, v->map.items[i].val);
		}
		buf_putc(b, '}');
		break;
	}
}

static const char *str_of(const struct value *v)
{
	struct buf b = BUF_INIT;
	dump(&b, v);
	char *s = arena_strdup(A, buf_cstr(&b));
	buf_free(&b);
	return s;
}

/* All diagnostics, one a line: "file:line:col: id: msg | hint". */
static const char *diags_str(void)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < D.n; i++) {
		const struct diag *g = &D.items[i];
		buf_printf(&b, "%s%s:%d:%d: %s: %s", i ? "\n" : "", g->file ? g->file : "-", g->line,
			   g->col, g->id, g->msg);
		if (g->hint)
			buf_printf(&b, " | %s", g->hint);
	}
	char *s = arena_strdup(A, b.data ? b.data : "");
	buf_free(&b);
	return s;
}

static struct value *yaml(const char *name, const char *text)
{
	struct value *v = load_yaml_string(A, &D, name, text, strlen(text));
	if (!v) {
		printf("# YAML error in %s: %s\n", name, diags_str());
		exit(2);
	}
	return v;
}

static const char *MODEL =
	"kafka:\n"
	"  name: alerts\n"
	"  port: 9092\n"
	"  mode: yes\n"
	"  ratio: 0.25\n"
	"  enabled: true\n"
	"  cfg: {a: 1, b: x}\n"
	"  list: [1, two]\n"
	"  exporter: {enabled: true}\n"
	"  bootstrap: b:9092\n"
	"  nothing: null\n"
	"topics:\n"
	"  - {objectName: t-one, partitions: 2}\n"
	"  - {objectName: t-two, partitions: 4}\n"
	"users:\n"
	"  - {name: alice, acls: [read, write]}\n"
	"  - {name: bob, acls: [read]}\n"
	"names: [a, b]\n"
	"tags: {x: 1, y: 2}\n"
	"empty: []\n"
	"emptymap: {}\n"
	"zero: 0\n"
	"blank: ''\n";

static struct value *model;

/* Instantiate template text; the result dumped, or "FAIL" (diags kept). */
static const char *render(const char *tmpl)
{
	reset();
	struct value *t = yaml("t.yaml", tmpl);
	struct value *v = tmpl_instantiate(A, &D, fixture("set"), t, model);
	return v ? str_of(v) : "FAIL";
}

/* Evaluate one expression; the result dumped, or "FAIL". */
static const char *ev(const char *src)
{
	reset();
	struct mark m = { "e", 1, 1 };
	struct value *v = expr_eval_string(A, &D, src, &m, model);
	return v ? str_of(v) : "FAIL";
}

#define EV(src, want) CHECK_STR("expr: " src, ev(src), want)
#define EVERR(src, want) do { CHECK_STR("expr fails: " src, ev(src), "FAIL"); \
	CHECK_STR("expr error: " src, diags_str(), want); } while (0)

static void test_substitution(void)
{
	CHECK_STR("whole-scalar keeps types",
		  render("port: ${kafka.port}\nmode: ${kafka.mode}\ncfg: ${kafka.cfg}\n"
			 "list: ${kafka.list}\nratio: ${kafka.ratio}\nn: ${kafka.nothing}\n"
			 "q: \"${kafka.port}\"\n"),
		  "{port: 9092, mode: \"yes\", cfg: {a: 1, b: \"x\"}, list: [1, \"two\"], "
		  "ratio: 0.25, n: null, q: 9092}");
	reset();
	struct value *t = yaml("t.yaml", "p: ${kafka.port}\nlit: 5\nfix: {a: [1]}\n");
	struct value *v = tmpl_instantiate(A, &D, NULL, t, model);
	CHECK("substituted node is the model's node", v && map_get(v, "p") == v_path(model, "kafka.port"));
	CHECK("substituted node keeps the model's mark",
	      v && strcmp(map_get(v, "p")->mark.file, "model.yaml") == 0 && map_get(v, "p")->mark.line == 3);
	CHECK("static node keeps the template's mark",
	      v && strcmp(map_get(v, "lit")->mark.file, "t.yaml") == 0 && map_get(v, "lit")->mark.line == 2);
	CHECK("static subtree is shared, not copied", v && map_get(v, "fix") == map_get(t, "fix"));
	reset();
	t = yaml("t.yaml", "a: {b: [1, x]}\n");
	CHECK("static template is shared", tmpl_instantiate(A, &D, NULL, t, model) == t);

	/* A text of checked parts is a line emit_text writes as it is: literal
	 * parts without a line break, numbers, strings flagged so before. */
	reset();
	struct value *name = v_path(model, "kafka.name");
	unsigned was = name->flags;
	t = yaml("t.yaml", "unchecked: 'x ${kafka.name} ${kafka.port}'\n");
	v = tmpl_instantiate(A, &D, NULL, t, model);
	CHECK("interpolation: a string not checked yet leaves the line unchecked",
	      v && !(map_get(v, "unchecked")->flags & VF_TEXT_LINE));
	name->flags |= VF_YAML_PLAIN;
	t = yaml("t.yaml", "line: 'x ${kafka.name} ${kafka.port} ${kafka.enabled}'\nbreak: \"x\\n${kafka.name}\"\n");
	v = tmpl_instantiate(A, &D, NULL, t, model);
	CHECK("interpolation: checked parts make a checked line (VF_TEXT_LINE), a line break does not",
	      v && (map_get(v, "line")->flags & VF_TEXT_LINE) && !(map_get(v, "break")->flags & VF_TEXT_LINE) &&
		      !(map_get(v, "line")->flags & VF_YAML_PLAIN));
	name->flags = was;

	/* A text of printable ASCII parts without a backslash, and of values
	 * known to be so, is a key=value value written as it is, unless a
	 * blank ends it. */
	reset();
	t = yaml("t.yaml", "unchecked: 'x ${kafka.name}'\n");
	v = tmpl_instantiate(A, &D, NULL, t, model);
	CHECK("interpolation: a string not checked yet leaves the value unchecked",
	      v && !(map_get(v, "unchecked")->flags & VF_KV_VAL));
	name->flags |= VF_KV_VAL;
	t = yaml("t.yaml", "kv: 'u=\"${kafka.name}\" ${kafka.port} ${kafka.enabled};'\nlead: ' ${kafka.name}'\n"
			   "tail: '${kafka.name} '\nslash: 'a\\${kafka.name}'\nutf8: \"\\u00e9${kafka.name}\"\n");
	v = tmpl_instantiate(A, &D, NULL, t, model);
	CHECK("interpolation: checked ASCII parts make a checked key=value value (VF_KV_VAL); a blank at an end, "
	      "a backslash or non-ASCII text does not",
	      v && (map_get(v, "kv")->flags & VF_KV_VAL) && !(map_get(v, "lead")->flags & VF_KV_VAL) &&
		      !(map_get(v, "tail")->flags & VF_KV_VAL) && !(map_get(v, "slash")->flags & VF_KV_VAL) &&
		      !(map_get(v, "utf8")->flags & VF_KV_VAL));
	name->flags = was;

	CHECK_STR("plain scalars are copied as typed",
		  render("port: 9092\ncpu: \"4\"\nok: yes\nb: true\nf: 1.5\nn: ~\ns: '$x {y}'\n"),
		  "{port: 9092, cpu: \"4\", ok: \"yes\", b: true, f: 1.5, n: null, s: \"$x {y}\"}");
	CHECK_STR("interpolation of int, bool, float, string",
		  render("s: \"${kafka.name}:${kafka.port} on=${kafka.enabled} r=${kafka.ratio} ${1}${'}'}\"\n"),
		  "{s: \"alerts:9092 on=true r=0.25 1}\"}");
	CHECK_STR("interpolated float without fraction", render("s: x${kafka.cfg.a + 0}${' '}\n"),
		  "{s: \"x1 \"}");
	CHECK_STR("$${ escape",
		  render("a: \"$${x} and ${kafka.port}\"\nb: $${kafka.port}\nc: \"$$ ${'$'}{\"\n"),
		  "{a: \"${x} and 9092\", b: \"${kafka.port}\", c: \"$$ ${\"}");
	CHECK_STR("key interpolation", render("${kafka.name}-x: 1\n${kafka.port}: 2\n"),
		  "{alerts-x: 1, 9092: 2}");

	CHECK_STR("interpolating a mapping fails", render("a: 1\nb: x ${kafka.cfg}\n"), "FAIL");
	CHECK_STR("interpolating a mapping: message", diags_str(),
		  "t.yaml:2:8: tmpl-type: cannot interpolate a mapping into text | only scalars can "
		  "be part of a text; a scalar that is only ${...} inserts any value");
	CHECK_STR("interpolating null fails", render("b: \"x ${kafka.nothing}\"\n"), "FAIL");
	CHECK_STR("interpolating null: message", diags_str(),
		  "t.yaml:1:4: tmpl-type: cannot interpolate null into text | use default(x, '') for "
		  "an optional value");
	CHECK_STR("a key must be a scalar", render("${kafka.list}: 1\n"), "FAIL");
	CHECK_STR("a key must be a scalar: message", diags_str(),
		  "t.yaml:1:3: tmpl-type: a key must be a scalar, not sequence");
}

static void test_if(void)
{
	CHECK_STR("$if true inserts entries in place",
		  render("a: 1\n$if kafka.enabled:\n  b: 2\n  c: ${kafka.port}\nd: 4\n"),
		  "{a: 1, b: 2, c: 9092, d: 4}");
	CHECK_STR("$if false / $else",
		  render("a: 1\n$if not kafka.enabled:\n  b: 2\n$else:\n  e: 5\nd: 4\n"),
		  "{a: 1, e: 5, d: 4}");
	CHECK_STR("two $if, $else repeating the expression",
		  render("$if zero:\n  a: 1\n$else:\n  b: 2\n$if len(names) == 2:\n  c: 3\n"
			 "$else len(names) == 2:\n  d: 4\n"),
		  "{b: 2, c: 3}");
	CHECK_STR("$else with another expression fails", render("$if zero:\n  a: 1\n$else one:\n  b: 2\n"),
		  "FAIL");
	CHECK_STR("$else with another expression: message", diags_str(),
		  "t.yaml:3:1: tmpl-directive: '$else one' does not repeat the expression of the '$if' "
		  "before it | write '$else' or '$else zero'");
	CHECK_STR("$else without $if", render("a: 1\n$else:\n  b: 2\n"), "FAIL");
	CHECK_STR("$else without $if: message", diags_str(),
		  "t.yaml:2:1: tmpl-directive: '$else' without '$if' before it | '$else' must be the "
		  "key right after '$if EXPR' in the same mapping");
	CHECK_STR("$if value must be a mapping", render("$if true: 3\n"), "FAIL");
	CHECK_STR("$if value must be a mapping: message", diags_str(),
		  "t.yaml:1:11: tmpl-directive: the value of '$if true' must be a mapping, not integer | "
		  "its entries are inserted into the enclosing mapping; to set one key write 'key: ${...}'");
	CHECK_STR("$if in a sequence: splice or one item",
		  render("- 0\n- $if true: [1, 2]\n- $if true: {a: 1}\n- $if false: [3]\n- $else: [4, 5]\n"
			 "- $if false: x\n- $else: y\n- $if blank: z\n- 9\n"),
		  "[0, 1, 2, {a: 1}, 4, 5, \"y\", 9]");
	CHECK_STR("$if with several keys is a mapping item",
		  render("- $if false: {a: 1}\n  b: 2\n"), "[{b: 2}]");
	CHECK_STR("nested $if", render("$if true:\n  $if kafka.port > 9000:\n    a: 1\n  b: 2\n"),
		  "{a: 1, b: 2}");
}

static void test_for(void)
{
	CHECK_STR("$for in a mapping with interpolated keys",
		  render("x: 0\n$for u in users:\n  ${u.name}-password: {acls: '${join(u.acls, \",\")}'}\n"
			 "y: 1\n"),
		  "{x: 0, alice-password: {acls: \"read,write\"}, bob-password: {acls: \"read\"}, y: 1}");
	CHECK_STR("$for over a mapping binds keys", render("$for k in tags:\n  k-${k}: ${tags[k]}\n"),
		  "{k-x: 1, k-y: 2}");
	CHECK_STR("$for K, V over a mapping", render("$for k, v in tags:\n  ${k}: ${v + 10}\n"),
		  "{x: 11, y: 12}");
	CHECK_STR("$for over null: nothing", render("a: 1\n$for x in kafka.nothing:\n  b: 2\n"), "{a: 1}");
	CHECK_STR("duplicate key from a loop fails", render("$for u in users:\n  same: ${u.name}\n"),
		  "FAIL");
	CHECK_STR("duplicate key from a loop: message", diags_str(),
		  "t.yaml:2:3: tmpl-duplicate-key: duplicate key 'same' in the output mapping | a loop "
		  "produces this key twice: make the key depend on the loop variable");
	CHECK_STR("duplicate key from two entries fails",
		  render("alerts: 1\n$if true:\n  ${kafka.name}: 2\n"), "FAIL");
	CHECK_STR("duplicate key from two entries: message", diags_str(),
		  "t.yaml:3:3: tmpl-duplicate-key: duplicate key 'alerts' in the output mapping | the "
		  "first one is produced at line 1, column 1");
	CHECK_STR("$for in a sequence: one item per element",
		  render("- first\n- $for u in users:\n    name: ${u.name}\n    n: ${len(u.acls)}\n- last\n"),
		  "[\"first\", {name: \"alice\", n: 2}, {name: \"bob\", n: 1}, \"last\"]");
	CHECK_STR("$for in a sequence: splice",
		  render("- $for u in users:\n  - ${u.name}\n  - ${upper(u.name)}\n"),
		  "[\"alice\", \"ALICE\", \"bob\", \"BOB\"]");
	CHECK_STR("$for I, V in a sequence", render("- $for i, t in topics: '${i}:${t.objectName}'\n"),
		  "[\"0:t-one\", \"1:t-two\"]");
	CHECK_STR("$for scalar body", render("- $for n in names: ${n}\n"), "[\"a\", \"b\"]");
	CHECK_STR("nested loops, shadowing",
		  render("$for u in users:\n  ${u.name}:\n    - $for u in u.acls: ${u}\n    - $for n in names: "
			 "${u.name + n}\n"),
		  "{alice: [\"read\", \"write\", \"alicea\", \"aliceb\"], bob: [\"read\", \"boba\", \"bobb\"]}");
	CHECK_STR("loop variable shadows a model key", render("- $for kafka in names: ${kafka}\n"),
		  "[\"a\", \"b\"]");
	CHECK_STR("iterating a scalar fails", render("- $for x in kafka.port: ${x}\n"), "FAIL");
	CHECK_STR("iterating a scalar: message", diags_str(),
		  "t.yaml:1:13: tmpl-type: cannot iterate over integer | 'for' needs a sequence or a "
		  "mapping (null: no iteration)");
	CHECK_STR("malformed $for", render("$for x of names:\n  a: 1\n"), "FAIL");
	CHECK_STR("malformed $for: message", diags_str(),
		  "t.yaml:1:1: tmpl-directive: malformed '$for x of names': expected a variable, 'in' and "
		  "an expression | write $for VAR in EXPR or $for I, VAR in EXPR (I: index or key)");
	CHECK_STR("$for without expression", render("$for:\n  a: 1\n"), "FAIL");
	CHECK_STR("$for without expression: message", diags_str(),
		  "t.yaml:1:1: tmpl-directive: '$for' needs an expression | write '$for VAR in EXPR'");
}

static void test_directive_errors(void)
{
	CHECK_STR("unknown directive", render("a: 1\n$iff kafka.enabled:\n  b: 2\n"), "FAIL");
	CHECK_STR("unknown directive: message", diags_str(),
		  "t.yaml:2:1: tmpl-directive: unknown directive '$iff' | did you mean '$if'?");
	CHECK_STR("unknown directive in a sequence", render("- $each x: 1\n"), "FAIL");
	CHECK_STR("unknown directive in a sequence: message", diags_str(),
		  "t.yaml:1:3: tmpl-directive: unknown directive '$each' | directives are '$if EXPR', "
		  "'$else' and '$for VAR in EXPR'; for a key that starts with '$', write ${'$key'}");
	CHECK_STR("a '$' key via an expression", render("${'$schema'}: x\n"), "{$schema: \"x\"}");
	CHECK_STR("errors are collected", render("a: ${nope}\nb: ${kafka.nope}\n$bad x: {}\n"), "FAIL");
	CHECK("errors are collected: three", D.n == 3);
}

static void test_missing(void)
{
	CHECK_STR("missing key fails", render("metadata:\n  name: ${kafka.foo}\n"), "FAIL");
	CHECK_STR("missing key: message and position", diags_str(),
		  "t.yaml:2:11: tmpl-missing: the model has no 'foo' in 'kafka.foo' | 'kafka' has: name, "
		  "port, mode, ratio, enabled, cfg, list, exporter, bootstrap, nothing");
	CHECK_STR("missing key in interpolation", render("a: \"x-${kafka.exportr.enabled}\"\n"), "FAIL");
	CHECK_STR("missing key in interpolation: suggestion", diags_str(),
		  "t.yaml:1:4: tmpl-missing: the model has no 'exportr' in 'kafka.exportr' | did you "
		  "mean 'exporter'?");
	CHECK_STR("missing variable", render("a: x ${ kafak.port }\n"), "FAIL");
	CHECK_STR("missing variable: message", diags_str(),
		  "t.yaml:1:9: tmpl-missing: the model has no 'kafak' | did you mean 'kafka'?");
	CHECK_STR("index out of range", render("a: ${topics[2].objectName}\n"), "FAIL");
	CHECK_STR("index out of range: message", diags_str(),
		  "t.yaml:1:6: tmpl-missing: index 2 is out of range in 'topics[2]' | 'topics' has 2 "
		  "items (0 to 1)");
	CHECK_STR("indexing a non-mapping", render("a: ${kafka.port.x}\n"), "FAIL");
	CHECK_STR("indexing a non-mapping: message", diags_str(),
		  "t.yaml:1:6: tmpl-type: cannot look up 'x' in 'kafka.port': it is an integer, not a "
		  "mapping");
	CHECK_STR("missing key in a $if key", render("$if kafka.tls.enabled:\n  a: 1\n"), "FAIL");
	CHECK_STR("missing key in a $if key: column", diags_str(),
		  "t.yaml:1:5: tmpl-missing: the model has no 'tls' in 'kafka.tls' | 'kafka' has: name, "
		  "port, mode, ratio, enabled, cfg, list, exporter, bootstrap, nothing");
	/* A quoted scalar: exact only when the source text is known and verbatim. */
	reset();
	const char *src = "a:\n  - \"x ${kafka.nope}\"\n  - \"\\t${kafka.nope}\"\n";
	diags_add_source(&D, "q.yaml", src, strlen(src));
	struct value *t = load_yaml_string(A, &D, "q.yaml", src, strlen(src));
	CHECK("quoted: loads", t != NULL);
	CHECK("quoted: fails", t && !tmpl_instantiate(A, &D, NULL, t, model));
	CHECK_STR("quoted: exact column, then scalar start when escapes shift it", diags_str(),
		  "q.yaml:2:10: tmpl-missing: the model has no 'nope' in 'kafka.nope' | 'kafka' has: "
		  "name, port, mode, ratio, enabled, cfg, list, exporter, bootstrap, nothing\n"
		  "q.yaml:3:5: tmpl-missing: the model has no 'nope' in 'kafka.nope' | 'kafka' has: "
		  "name, port, mode, ratio, enabled, cfg, list, exporter, bootstrap, nothing");
	CHECK_STR("one report per site in a loop", render("- $for u in users: ${u.nope}\n"), "FAIL");
	CHECK("one report per site in a loop: count", D.n == 1);
}

static void test_syntax(void)
{
	CHECK_STR("syntax error fails", render("a: ${kafka.port +}\n"), "FAIL");
	CHECK_STR("syntax error: message", diags_str(),
		  "t.yaml:1:18: tmpl-syntax: syntax error in expression: expected a value, found '}'");
	CHECK_STR("unterminated ${", render("a: x ${kafka.port\n"), "FAIL");
	CHECK_STR("unterminated ${: message", diags_str(),
		  "t.yaml:1:6: tmpl-syntax: syntax error in expression: unterminated '${' | close it with "
		  "'}' (write $${ for a literal ${)");
	CHECK_STR("empty ${}", render("a: ${}\n"), "FAIL");
	/* one suggestion policy (suggest.h): 'len' is a prefix of 'lenght' */
	CHECK_STR("unknown function", render("a: ${lenght(names)}\n"), "FAIL");
	CHECK_STR("unknown function: message", diags_str(),
		  "t.yaml:1:6: tmpl-syntax: syntax error in expression: unknown function 'lenght' | "
		  "did you mean 'len'?");
	CHECK_STR("unknown function, nothing close", render("a: ${frobnicate(names)}\n"), "FAIL");
	CHECK_STR("unknown function, nothing close: message", diags_str(),
		  "t.yaml:1:6: tmpl-syntax: syntax error in expression: unknown function 'frobnicate' | "
		  "functions: len, str, lower, upper, join, keys, has, default, files, include");
	EVERR("len(names, 1)", "e:1:1: tmpl-syntax: syntax error in expression: len() takes 1 argument, "
	      "not 2 | call it as len(x)");
	EVERR("a = 1", "e:1:3: tmpl-syntax: syntax error in expression: unexpected character '=' | "
	      "equality is '=='");
	EVERR("1 < 2 < 3", "e:1:7: tmpl-syntax: syntax error in expression: comparisons cannot be "
	      "chained | write a < b and b < c");
	EVERR("'abc", "e:1:1: tmpl-syntax: syntax error in expression: unterminated string | close the "
	      "string with the same quote it starts with");
	EVERR("names[0", "e:1:8: tmpl-syntax: syntax error in expression: expected ']', found the end "
	      "of the text");
	EVERR("kafka port", "e:1:7: tmpl-syntax: syntax error in expression: expected an operator or "
	      "the end, found 'port'");
	EVERR("99999999999999999999", "e:1:1: tmpl-syntax: syntax error in expression: integer too large");
	char deep[300];
	memset(deep, '(', 200);
	strcpy(deep + 200, "1");
	CHECK_STR("deep nesting is bounded", ev(deep), "FAIL");
}

static void test_operators(void)
{
	EV("1 + 2", "3");
	EV("'a' + \"b\"", "\"ab\"");
	EV("10 - 3 - 2", "5");
	EV("-kafka.port", "-9092");
	EV("-3 + 1", "-2");
	EV("(1 + 2) - (3 - 4)", "4");
	EV("kafka.port == 9092", "true");
	EV("kafka.cfg == kafka.cfg", "true");
	EV("kafka.list != kafka.list", "false");
	EV("kafka.mode == 'yes'", "true");
	EV("1 == '1'", "false");
	EV("kafka.nothing == null", "true");
	EV("1 < 2", "true");
	EV("2 <= 2", "true");
	EV("3 > 4", "false");
	EV("4 >= 5", "false");
	EV("'abc' < 'abd'", "true");
	EV("'ab' < 'abc'", "true");
	EV("kafka.ratio < 1", "true");
	EV("not true", "false");
	EV("not 0", "true");
	EV("1 and 'x'", "true");
	EV("0 and kafka.nope", "false");
	EV("1 or kafka.nope", "true");
	EV("false or 0", "false");
	EV("not 1 == 2", "true");
	EV("1 + 2 == 3 and 2 > 1", "true");
	EV("kafka['bootstrap']", "\"b:9092\"");
	EV("topics[1]['objectName']", "\"t-two\"");
	EV("topics[len(topics) - 1].partitions", "4");
	EV("kafka.cfg[lower('B')]", "\"x\"");
	EV("kafka.cfg['a' + '']", "1");
	EV("tags.x", "1");
	EVERR("1 + 'a'", "e:1:1: tmpl-type: '+' needs two integers or two strings, not an integer and "
	      "a string | convert with str(x) to concatenate");
	EVERR("'a' - 'b'", "e:1:1: tmpl-type: '-' needs two integers, not a string and a string");
	EVERR("1 < 'a'", "e:1:1: tmpl-type: cannot compare an integer with a string | only numbers or "
	      "only strings are ordered");
	EVERR("9223372036854775807 + 1", "e:1:1: tmpl-type: integer overflow in '+'");
	EVERR("topics.x", "e:1:1: tmpl-type: cannot look up 'x' in 'topics': it is a sequence, not a "
	      "mapping | index a sequence with a number: topics[0]");
	EVERR("topics['x']", "e:1:8: tmpl-type: a sequence index must be an integer, not a string");
	EVERR("topics[-1]", "e:1:1: tmpl-missing: index -1 is out of range in 'topics[-1]' | 'topics' "
	      "has 2 items (0 to 1)");
	EVERR("kafka[0]", "e:1:7: tmpl-type: a mapping key must be a string, not an integer");
	EVERR("kafka.nothing.x", "e:1:1: tmpl-type: cannot look up 'x' in 'kafka.nothing': it is null | "
	      "test it first, or use default(x, y)");
	EVERR("emptymap.x", "e:1:1: tmpl-missing: the model has no 'x' in 'emptymap.x' | 'emptymap' is an "
	      "empty mapping");
}

static void test_functions(void)
{
	EV("len(names)", "2");
	EV("len(tags)", "2");
	EV("len('h\xc3\xa9')", "2");
	EV("str(kafka.port)", "\"9092\"");
	EV("str(kafka.enabled)", "\"true\"");
	EV("str(kafka.ratio)", "\"0.25\"");
	EV("str('x')", "\"x\"");
	EV("lower('AbC-1')", "\"abc-1\"");
	EV("upper('AbC-1')", "\"ABC-1\"");
	EV("join(names, ', ')", "\"a, b\"");
	EV("join(kafka.list, '')", "\"1two\"");
	EV("join(empty, ',')", "\"\"");
	EV("keys(tags)", "[\"x\", \"y\"]");
	EV("keys(emptymap)", "[]");
	EV("has(kafka, 'port')", "true");
	EV("has(kafka, 'tls')", "false");
	EV("has(kafka.nothing, 'x')", "false");
	EV("default(kafka.nothing, 5)", "5");
	EV("default(kafka.port, 5)", "9092");
	EV("default(kafka.tls.enabled, false)", "false");
	EV("default(nope, 'd')", "\"d\"");
	EV("default(topics[7], 0)", "0");
	EV("default(zero, 1)", "0");
	EVERR("default(kafka.port.x, 1)", "e:1:9: tmpl-type: cannot look up 'x' in 'kafka.port': it is an integer, not a mapping");
	EVERR("len(1)", "e:1:5: tmpl-type: len() needs a string, sequence or mapping, not an integer");
	EVERR("str(kafka.cfg)", "e:1:5: tmpl-type: str() needs a scalar, not a mapping");
	EVERR("str(kafka.nothing)", "e:1:5: tmpl-type: str() needs a scalar, not null | use default(x, '') "
	      "for an optional value");
	EVERR("lower(1)", "e:1:7: tmpl-type: lower() needs a string here, not an integer");
	EVERR("join(tags, ',')", "e:1:6: tmpl-type: join() needs a sequence, not a mapping");
	EVERR("join(topics, ',')", "e:1:6: tmpl-type: join(): item 0 is a mapping, not a scalar");
	EVERR("keys(names)", "e:1:6: tmpl-type: keys() needs a mapping, not a sequence");
	EVERR("has(names, 'a')", "e:1:5: tmpl-type: has() needs a mapping, not a sequence");
	EVERR("files('x')", "e:1:1: tmpl-type: files() is not available here");
	CHECK_STR("files() outside an index", render("a: ${files('')}\n"), "FAIL");
	CHECK_STR("files() outside an index: message", diags_str(),
		  "t.yaml:1:6: tmpl-type: files() is only available in templates rendered from an index | "
		  "files() lists the outputs of files.yaml");
	CHECK_STR("include() in the current scope",
		  render("- $for u in users:\n    name: ${u.name}\n    labels: ${include('shared/labels.yaml')}\n"),
		  "[{name: \"alice\", labels: {app: \"alerts\"}}, {name: \"bob\", labels: {app: \"alerts\"}}]");
	CHECK_STR("include(path, arg) binds arg in the included file",
		  render("- $for u in users:\n    ${include('shared/who.yaml', u)}\n"),
		  "[{who: \"alice\"}, {who: \"bob\"}]");
	CHECK_STR("include(path, arg): arg is not seen after it", render("a: ${include('shared/who.yaml')}\n"), "FAIL");
	/* include() keeps its last tree for the same values of the names the
	 * file reads (template.c, the memo): each must still see its own. */
	CHECK_STR("include() reading the loop variable, twice nested: each item its own",
		  render("- $for u in users:\n    $for v in users:\n      ${v.name}: ${include('shared/user.yaml')}\n"),
		  "[{alice: {name: \"alice\"}, bob: {name: \"alice\"}}, {alice: {name: \"bob\"}, bob: {name: \"bob\"}}]");
	CHECK_STR("include() of a file that includes one reading the loop variable",
		  render("- $for u in users:\n    $for v in users:\n      ${v.name}: ${include('shared/nested.yaml')}\n"),
		  "[{alice: {n: {name: \"alice\"}}, bob: {n: {name: \"alice\"}}}, "
		  "{alice: {n: {name: \"bob\"}}, bob: {n: {name: \"bob\"}}}]");
	CHECK_STR("include(): a loop variable shadowing a model name the file reads",
		  render("a: ${include('shared/labels.yaml')}\nb:\n  - $for kafka in users:\n      ${include('shared/labels.yaml')}\n"
			 "c: ${include('shared/labels.yaml')}\n"),
		  "{a: {app: \"alerts\"}, b: [{app: \"alice\"}, {app: \"bob\"}], c: {app: \"alerts\"}}");
	EVERR("include('a', 1, 2)", "e:1:1: tmpl-syntax: syntax error in expression: include() takes 1 or 2 arguments, not 3 | call it as include(path[, arg])");
	CHECK_STR("include() of a missing file", render("a: ${include('nope.yaml')}\n"), "FAIL");
	CHECK_STR("include() of a missing file: message", diags_str() + strlen(diags_str()) -
		  strlen("nope.yaml"), "nope.yaml");
	CHECK_STR("include() of an unsafe path", render("a: ${include('../x.yaml')}\n"), "FAIL");
	CHECK_STR("include() of an unsafe path: message", diags_str(),
		  "t.yaml:1:6: tmpl-include: include('../x.yaml'): not a safe relative path | give a "
		  "relative path inside the template directory, without '..'");
}

static void test_truthiness(void)
{
	static const struct { const char *e; const char *want; } tab[] = {
		{ "false", "\"F\"" }, { "null", "\"F\"" }, { "0", "\"F\"" }, { "''", "\"F\"" },
		{ "empty", "\"F\"" }, { "emptymap", "\"F\"" }, { "kafka.nothing", "\"F\"" },
		{ "true", "\"T\"" }, { "1", "\"T\"" }, { "-1", "\"T\"" }, { "'0'", "\"T\"" },
		{ "'false'", "\"T\"" }, { "names", "\"T\"" }, { "tags", "\"T\"" }, { "kafka.ratio", "\"T\"" },
		{ "blank", "\"F\"" }, { "zero", "\"F\"" },
	};
	for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
		char t[200], name[100];
		snprintf(t, sizeof t, "$if %s:\n  v: T\n$else:\n  v: F\n", tab[i].e);
		snprintf(name, sizeof name, "truthiness of %s", tab[i].e);
		const char *r = render(t);
		char want[20];
		snprintf(want, sizeof want, "{v: %s}", tab[i].want);
		CHECK_STR(name, r, want);
	}
}

/* The examples of templates/README.md. */
static void test_readme_examples(void)
{
	struct value *saved = model;
	reset();
	model = yaml("model.yaml",
		     "kafka: {name: alerts, debug: false, bootstrapHost: b.example.org,\n"
		     "        brokers: [{host: k0.example.org}, {host: k1.example.org}],\n"
		     "        tls: {enabled: true, issuer: letsencrypt, duration: null}}\n"
		     "user: {name: alice, acls: [{topic: alerts, operations: [Read]}]}\n");
	CHECK_STR("README: KafkaUser",
		  render("kind: KafkaUser\nmetadata:\n  name: ${user.name}\n"
			 "  labels: ${include('shared/labels.yaml')}\n"
			 "spec:\n  authorization:\n    type: simple\n    acls:\n"
			 "      - $for acl in user.acls:\n"
			 "          resource: {type: topic, name: '${acl.topic}', patternType: literal}\n"
			 "          operations: ${acl.operations}\n"
			 "      - resource: {type: group, name: '${user.name}', patternType: prefix}\n"
			 "        operations: [Read]\n"),
		  "{kind: \"KafkaUser\", metadata: {name: \"alice\", labels: {app: \"alerts\"}}, spec: "
		  "{authorization: {type: \"simple\", acls: [{resource: {type: \"topic\", name: \"alerts\", "
		  "patternType: \"literal\"}, operations: [\"Read\"]}, {resource: {type: \"group\", name: "
		  "\"alice\", patternType: \"prefix\"}, operations: [\"Read\"]}]}}}");
	CHECK_STR("README: Certificate",
		  render("spec:\n  secretName: ${kafka.name}-tls\n"
			 "  issuerRef: {name: '${kafka.tls.issuer}', kind: ClusterIssuer}\n"
			 "  dnsNames:\n    - ${kafka.bootstrapHost}\n    - $for b in kafka.brokers: ${b.host}\n"
			 "  $if kafka.tls.duration:\n    duration: ${kafka.tls.duration}\n"),
		  "{spec: {secretName: \"alerts-tls\", issuerRef: {name: \"letsencrypt\", kind: "
		  "\"ClusterIssuer\"}, dnsNames: [\"b.example.org\", \"k0.example.org\", \"k1.example.org\"]}}");
	CHECK_STR("README: conditionals",
		  render("spec:\n  $if kafka.tls.enabled:\n    tls: {secretName: '${kafka.name}-tls'}\n"
			 "    port: 9093\n  $else:\n    port: 9092\n"
			 "args:\n  - --verbose\n  - $if kafka.debug: [--log-level, debug]\n  - $else: --quiet\n"
			 "note: \"$${NOT_EXPANDED}\"\n"),
		  "{spec: {tls: {secretName: \"alerts-tls\"}, port: 9093}, args: [\"--verbose\", \"--quiet\"], "
		  "note: \"${NOT_EXPANDED}\"}");
	model = saved;
}

static void test_more_errors(void)
{
	CHECK_STR("orphan $else in a sequence", render("- 1\n- $else: 2\n"), "FAIL");
	CHECK_STR("orphan $else in a sequence: message", diags_str(),
		  "t.yaml:2:3: tmpl-directive: '$else' without '$if' before it | '- $else: ...' must be the "
		  "item right after '- $if EXPR: ...'");
	CHECK_STR("$for in a mapping needs a mapping", render("$for n in names: ${n}\n"), "FAIL");
	CHECK_STR("$for in a mapping needs a mapping: message", diags_str(),
		  "t.yaml:1:18: tmpl-directive: the value of '$for n in names' must be a mapping, not "
		  "string | its entries are inserted into the enclosing mapping; to set one key write "
		  "'key: ${...}'");
	CHECK_STR("bad loop variable", render("- $for true in names: 1\n"), "FAIL");
	CHECK_STR("$if with an empty expression", render("$if  :\n  a: 1\n"), "FAIL");
	CHECK_STR("tmpl_path_ok", (tmpl_path_ok("a/b.yaml", 8) && !tmpl_path_ok("a/", 2) &&
				   !tmpl_path_ok("..", 2) && !tmpl_path_ok("", 0) &&
				   !tmpl_path_ok("a/./b", 5) && !tmpl_path_ok("a\tb", 3) &&
				   tmpl_path_ok("...", 3) && tmpl_path_ok(".hidden", 7)) ? "ok" : "bad", "ok");
	CHECK_STR("tmpl_path_ok: absolute, backslash, DEL, NUL, length, each component",
		  (!tmpl_path_ok("/a", 2) && !tmpl_path_ok("a\\b", 3) && !tmpl_path_ok("a\x7f", 2) &&
		   !tmpl_path_ok("a\0b", 3) && !tmpl_path_ok("ab", 1) && !tmpl_path_ok("a//b", 4) &&
		   !tmpl_path_ok("a/../b", 6) && !tmpl_path_ok("a/..", 4) && !tmpl_path_ok("a/.", 3) &&
		   !tmpl_path_ok("./a", 3) && !tmpl_path_ok(NULL, 0) && tmpl_path_ok("a/..b/.c-d_e.yaml", 17) &&
		   tmpl_path_ok("k/user-1 x.yaml", 15) && tmpl_path_ok("\xc3\xa9/b", 4))
			  ? "ok" : "bad",
		  "ok");
}

static const struct tmpl_output *find_out(const struct tmpl_set *s, const char *path)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->items[i].path, path) == 0)
			return &s->items[i];
	return NULL;
}

static void test_index(void)
{
	reset();
	struct value *m = yaml("model.yaml",
			       "kafka: {name: alerts, exporter: {enabled: true}, team: rubin}\n"
			       "topics: [{objectName: a, partitions: 1}, {objectName: b, partitions: 3}]\n"
			       "users: [{name: u0}, {name: skip}, {name: u2}]\n");
	struct tmpl_set s;
	int rc = templates_render(A, &D, fixture("set"), m, &s);
	CHECK("index renders", rc == 0);
	CHECK_STR("index renders: no diagnostics", diags_str(), "");
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < s.n; i++)
		buf_printf(&b, "%s\n", s.items[i].path);
	CHECK_STR("outputs in index order, for/if applied", buf_cstr(&b),
		  "kubernetes/kafkatopic-a.yaml\nkubernetes/kafkatopic-b.yaml\nkubernetes/exporter.yaml\n"
		  "kubernetes/user-0.yaml\nkubernetes/user-2.yaml\nkubernetes/kustomization.yaml\nvalues.yaml\n");
	buf_free(&b);
	const struct tmpl_output *o = find_out(&s, "kubernetes/kafkatopic-b.yaml");
	CHECK_STR("for variable visible in the template, include() in its scope", o ? str_of(o->doc) : "",
		  "{apiVersion: \"kafka.strimzi.io/v1beta2\", kind: \"KafkaTopic\", metadata: {name: \"b\", "
		  "labels: {app: \"alerts\", team: \"rubin\"}}, spec: {partitions: 3}}");
	CHECK("template_path is DIR/...", o && strstr(o->template_path, "set/kubernetes/kafkatopic.yaml"));
	o = find_out(&s, "kubernetes/user-2.yaml");
	CHECK_STR("index variant of for", o ? str_of(o->doc) : "",
		  "{kind: \"KafkaUser\", metadata: {name: \"u2\", index: 2}}");
	o = find_out(&s, "kubernetes/kustomization.yaml");
	CHECK_STR("files(prefix): relative, in order, without itself", o ? str_of(o->doc) : "",
		  "{kind: \"Kustomization\", resources: [\"kafkatopic-a.yaml\", \"kafkatopic-b.yaml\", "
		  "\"exporter.yaml\", \"user-0.yaml\", \"user-2.yaml\"]}");
	o = find_out(&s, "values.yaml");
	CHECK("files('') lists every other output", o && map_get(o->doc, "all") &&
	      map_get(o->doc, "all")->seq.n == 6);

	/* if: false on the exporter */
	reset();
	m = yaml("model.yaml", "kafka: {name: k, exporter: {enabled: false}}\ntopics: []\nusers: []\n");
	rc = templates_render(A, &D, fixture("set"), m, &s);
	CHECK("if on index entries: renders", rc == 0);
	CHECK("if on index entries: exporter skipped", !find_out(&s, "kubernetes/exporter.yaml") &&
	      find_out(&s, "kubernetes/disabled.yaml"));
	o = find_out(&s, "kubernetes/kustomization.yaml");
	CHECK_STR("files() follows if", o ? str_of(map_get(o->doc, "resources")) : "", "[\"disabled.yaml\"]");

	/* errors inside a template of the set */
	reset();
	m = yaml("model.yaml", "kafka: {exporter: {enabled: true}}\ntopics: []\nusers: []\n");
	rc = templates_render(A, &D, fixture("set"), m, &s);
	CHECK("missing path in an included template fails", rc == -1);
	char want[600];
	snprintf(want, sizeof want,
		 "%s:1:8: tmpl-missing: the model has no 'name' in 'kafka.name' | 'kafka' has: exporter",
		 fixture("set/shared/labels.yaml"));
	CHECK_STR("error in an included template: position in that file", diags_str(), want);
}

static void test_index_errors(void)
{
	reset();
	struct value *m = yaml("model.yaml", "names: [ok, ../../etc/x]\n");
	struct tmpl_set s;
	CHECK("unsafe paths fail", templates_render(A, &D, fixture("unsafe"), m, &s) == -1);
	const char *f = arena_strdup(A, fixture("unsafe/files.yaml"));
	char want[3000];
	snprintf(want, sizeof want,
		 "%s:13:13: tmpl-index: template '../t.yaml' is not a safe relative path | give a path "
		 "relative to the template directory\n"
		 "%s:1:9: tmpl-path: output path 'out/../../etc/x.yaml' is not a safe relative path | "
		 "output paths are relative to the output directory, without '..', '.', empty components, "
		 "a leading '/', backslashes or control characters\n"
		 "%s:4:9: tmpl-path: output path '/etc/passwd' is not a safe relative path | output paths "
		 "are relative to the output directory, without '..', '.', empty components, a leading "
		 "'/', backslashes or control characters\n"
		 "%s:6:9: tmpl-path: output path 'a//b.yaml' is not a safe relative path | output paths are "
		 "relative to the output directory, without '..', '.', empty components, a leading '/', "
		 "backslashes or control characters\n"
		 "%s:8:9: tmpl-path: output path './a.yaml' is not a safe relative path | output paths are "
		 "relative to the output directory, without '..', '.', empty components, a leading '/', "
		 "backslashes or control characters\n"
		 "%s:10:9: tmpl-path: output path 'a\\b.yaml' is not a safe relative path | output paths are "
		 "relative to the output directory, without '..', '.', empty components, a leading '/', "
		 "backslashes or control characters",
		 f, f, f, f, f, f);
	CHECK_STR("unsafe paths: messages", diags_str(), want);
	CHECK("unsafe paths: the safe one is rendered", s.n == 6 && strcmp(s.items[0].path, "out/ok.yaml") == 0 &&
	      s.items[0].doc != NULL);

	reset();
	m = yaml("model.yaml", "names: [x, same]\n");
	CHECK("duplicate paths fail", templates_render(A, &D, fixture("dup"), m, &s) == -1);
	f = arena_strdup(A, fixture("dup/files.yaml"));
	snprintf(want, sizeof want,
		 "%s:3:9: tmpl-path: two outputs have the path 'same.yaml' | make the path depend on the "
		 "loop variable (or the 'if' exclusive)", f);
	CHECK_STR("duplicate paths: message", diags_str(), want);

	reset();
	CHECK("include cycle fails", templates_render(A, &D, fixture("cycle"), m, &s) == -1);
	CHECK("include cycle: reported", D.n >= 1 && strstr(diags_str(), "include cycle"));

	reset();
	CHECK("bad index fails", templates_render(A, &D, fixture("badidx"), m, &s) == -1);
	f = arena_strdup(A, fixture("badidx/files.yaml"));
	snprintf(want, sizeof want,
		 "%s:2:13: tmpl-index: there is no template file %s\n"
		 "%s:4:3: tmpl-index: unknown key 'templat' in an index entry | did you mean 'template'?\n"
		 "%s:3:3: tmpl-index: an index entry needs a string 'template' | write 'template: file.yaml' "
		 "(relative to the template directory)\n"
		 "%s:7:8: tmpl-directive: malformed 'x of xs': expected a variable, 'in' and an expression | "
		 "write for: VAR in EXPR or for: I, VAR in EXPR (I: index or key)",
		 f, fixture("badidx/missing.yaml"), f, f, f);
	CHECK_STR("bad index: messages", diags_str(), want);
}

/* A KafkaUser-like tree per user, 10,000 users. */
static void bench(void)
{
	reset();
	struct buf b = BUF_INIT;
	buf_puts(&b, "users:\n");
	for (int i = 0; i < 10000; i++)
		buf_printf(&b, "  - {name: user-%05d, group: g%d, topics: [alerts-%d, status], quota: %d}\n",
			   i, i % 7, i % 3, 1000 + i);
	struct value *m = load_yaml_string(A, &D, "bench-model.yaml", b.data, b.len);
	buf_free(&b);
	struct value *t = yaml("bench.yaml",
		"apiVersion: v1\nkind: List\nitems:\n"
		"  - $for u in users:\n"
		"      apiVersion: kafka.strimzi.io/v1beta2\n"
		"      kind: KafkaUser\n"
		"      metadata:\n"
		"        name: ${u.name}\n"
		"        labels: {strimzi.io/cluster: alerts, group: '${u.group}'}\n"
		"      spec:\n"
		"        authentication: {type: scram-sha-512, password: {valueFrom: {secretKeyRef: "
		"{name: '${u.name}-password', key: password}}}}\n"
		"        authorization:\n"
		"          type: simple\n"
		"          acls:\n"
		"            - $for t in u.topics:\n"
		"                resource: {type: topic, name: '${t}', patternType: literal}\n"
		"                operations: [Read, Describe]\n"
		"            - resource: {type: group, name: '${u.group}-${u.name}'}\n"
		"              operations: [Read]\n"
		"        $if u.quota > 0:\n"
		"          quotas: {producerByteRate: '${u.quota}'}\n"
		"        $else:\n"
		"          quotas: null\n");
	/* Each run in a fresh arena (so it pays for fresh memory, as a real
	 * run does); the best of five, to see through a busy machine. */
	double best = 1e9;
	size_t used = 0;
	int ok = 1;
	for (int run = 0; run < 5; run++) {
		struct arena *b2 = arena_new();
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		struct value *v = tmpl_instantiate(b2, &D, NULL, t, m);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
		if (ms < best)
			best = ms;
		used = arena_used(b2);
		const struct value *items = v ? map_get(v, "items") : NULL;
		if (!items || items->seq.n != 10000 ||
		    strcmp(v_as_str(v_path(items->seq.items[9999], "metadata.name"), ""), "user-09999") != 0)
			ok = 0;
		arena_free(b2);
	}
	CHECK("bench: 10,000 KafkaUsers", ok);
	printf("# bench: 10,000 KafkaUser trees instantiated in %.1f ms (best of 5), %.1f MB of arena\n",
	       best, (double)used / 1e6);
}

int main(void)
{
	A = arena_new();
	diags_init(&D, A);
	model = yaml("model.yaml", MODEL);
	test_substitution();
	test_if();
	test_for();
	test_directive_errors();
	test_missing();
	test_syntax();
	test_operators();
	test_functions();
	test_truthiness();
	test_readme_examples();
	test_more_errors();
	test_index();
	test_index_errors();
	bench();
	diags_free(&D);
	arena_free(A);
	return UNIT_DONE();
}
