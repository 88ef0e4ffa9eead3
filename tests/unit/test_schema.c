/* test_schema.c - diagnostics of the JSON Schema engine: exact messages,
 * ids, hints and marks; plus edge cases beyond the packaged test suite.
 *
 * Trees are written as JSON with ' for " (for readability) and get
 * synthetic marks: every node, keys included, is numbered in document order
 * and that number is its line, so a test can say where an error must be.
 */
#include <stdlib.h>
#include <unistd.h>

#include "arena.h"
#include "diag.h"
#include "json_value.h"
#include "schema.h"
#include "unit.h"

static struct arena *A;
static struct diags D;

static json_t *jparse(const char *text)
{
	char *t = xstrdup(text);
	for (char *p = t; *p; p++)
		if (*p == '\'')
			*p = '"';
	json_error_t err;
	json_t *j = json_loads(t, JSON_DECODE_ANY, &err);
	if (!j) {
		fprintf(stderr, "bad test JSON: %s: %s\n", text, err.text);
		exit(2);
	}
	free(t);
	return j;
}

static int number_marks(struct value *v, int n)
{
	v->mark.line = ++n;
	v->mark.col = 1;
	if (v->kind == V_SEQ)
		for (size_t i = 0; i < v->seq.n; i++)
			n = number_marks(v->seq.items[i], n);
	if (v->kind == V_MAP)
		for (size_t i = 0; i < v->map.n; i++) {
			n = number_marks(v->map.items[i].key, n);
			n = number_marks(v->map.items[i].val, n);
		}
	return n;
}

/* Instance tree from JSON text. */
static struct value *T(const char *text)
{
	json_t *j = jparse(text);
	struct value *v = value_from_json(A, j, "env.yaml");
	json_decref(j);
	number_marks(v, 0);
	return v;
}

/* Schemas made by S() are freed at the end of main. */
static struct schema *made[256];
static size_t nmade;

static struct schema *S(const char *text)
{
	struct schema *s = schema_from_json(A, jparse(text), "test.schema.json");
	if (nmade < sizeof made / sizeof made[0])
		made[nmade++] = s;
	return s;
}

static void free_made(void)
{
	while (nmade)
		schema_free(made[--nmade]);
}

/* Validate into a fresh D; returns the error count. */
static int V(struct schema *s, struct value *v)
{
	diags_free(&D);
	diags_init(&D, A);
	int n = schema_validate(&D, s, v);
	if (n != (int)(D.nerrors) || schema_is_valid(s, v) != (n == 0))
		printf("# note: schema_is_valid disagrees with schema_validate (%d errors)\n", n);
	return n;
}

static const char *msg(size_t i) { return i < D.n ? D.items[i].msg : "(no diagnostic)"; }
static const char *hint(size_t i) { return i < D.n && D.items[i].hint ? D.items[i].hint : "(no hint)"; }
static const char *id(size_t i) { return i < D.n ? D.items[i].id : "(no diagnostic)"; }
static int line(size_t i) { return i < D.n ? D.items[i].line : -1; }

static void dump(void)
{
	for (size_t i = 0; i < D.n; i++)
		printf("#   [%s] %d: %s%s%s\n", D.items[i].id, D.items[i].line, D.items[i].msg,
		       D.items[i].hint ? " -- hint: " : "", D.items[i].hint ? D.items[i].hint : "");
}

static const char *BROKERS =
	"{'type':'object','properties':{'kafka':{'type':'object','required':['name'],"
	"  'properties':{'name':{'type':'string','description':'the cluster name'},"
	"    'tier':{'enum':['bronze','silver','gold']},"
	"    'brokers':{'type':'object','additionalProperties':false,"
	"      'properties':{'replicas':{'type':'integer','minimum':1},"
	"        'storage':{'type':'object','properties':{'size':{'type':'string'}}}}}}}}}";

static void test_messages(void)
{
	struct schema *s = S(BROKERS);
	struct value *v = T("{'kafka':{'name':'alerts','brokers':{'storage':{'size':35}}}}");
	CHECK("type: one error", V(s, v) == 1);
	CHECK_STR("type: message", msg(0), "kafka.brokers.storage.size: expected a string, got integer 35");
	CHECK_STR("type: id", id(0), "schema-type");
	CHECK("type: mark is the value's", line(0) == v_path(v, "kafka.brokers.storage.size")->mark.line);
	CHECK_STR("type: file", D.items[0].file, "env.yaml");

	v = T("{'kafka':{'name':'alerts','brokers':{'replica':3}}}");
	CHECK("unknown key: one error", V(s, v) == 1);
	CHECK_STR("unknown key: message", msg(0), "unknown key 'replica' in kafka.brokers");
	CHECK_STR("unknown key: id", id(0), "schema-unknown-key");
	CHECK_STR("unknown key: did you mean", hint(0), "did you mean 'replicas'?");
	CHECK("unknown key: mark is the key's",
	      line(0) == map_get_pair(v_path(v, "kafka.brokers"), "replica")->key->mark.line);

	v = T("{'kafka':{'name':'alerts','brokers':{'Replicas':3,'stor':{},'zzzzzz':1}}}");
	CHECK("unknown keys: three errors", V(s, v) == 3);
	CHECK_STR("did you mean: case", hint(0), "did you mean 'replicas'?");
	CHECK_STR("did you mean: prefix", hint(1), "did you mean 'storage'?");
	CHECK_STR("no close key: list", hint(2), "allowed keys: replicas, storage");

	v = T("{'kafka':{'brokers':{}}}");
	CHECK("required: one error", V(s, v) == 1);
	CHECK_STR("required: message", msg(0), "missing required key 'name' in kafka");
	CHECK_STR("required: id", id(0), "schema-required");
	CHECK_STR("required: hint from description", hint(0), "name: the cluster name");
	CHECK("required: mark is the mapping's", line(0) == v_path(v, "kafka")->mark.line);

	v = T("{'kafka':{'name':'a','tier':'gld','brokers':{'replicas':0,'x':1}}}");
	CHECK("all errors are reported", V(s, v) == 3);
	dump();
	CHECK_STR("enum: message", msg(0), "kafka.tier: 'gld' is not one of the allowed values");
	CHECK_STR("enum: hint", hint(0), "did you mean 'gold'? allowed: 'bronze', 'silver', 'gold'");
	CHECK_STR("enum: id", id(0), "schema-enum");
	CHECK_STR("minimum: message", msg(1), "kafka.brokers.replicas: 0 is less than the minimum 1");
	CHECK_STR("minimum: id", id(1), "schema-range");

	v = T("[1]");
	V(s, v);
	CHECK_STR("top level: no path prefix", msg(0), "expected a mapping, got a sequence");
}

static void test_type_hints(void)
{
	struct schema *s = S("{'properties':{'version':{'type':'string'},'tls':{'type':'boolean'},"
			     "'count':{'type':'integer','description':'how many'},'size':{'type':'number'}}}");
	V(s, T("{'version':4.1,'tls':'yes','count':null,'size':'35'}"));
	CHECK_STR("float shown short", msg(0), "version: expected a string, got number 4.1");
	CHECK_STR("quote hint", hint(0), "YAML reads this as a number; quote it to pass a string: \"4.1\"");
	CHECK_STR("yes/no hint", hint(1), "write true or false, unquoted (yes/no/on/off are strings in YAML 1.2)");
	CHECK_STR("empty value message", msg(2), "count: expected an integer, got null");
	CHECK_STR("empty value hint", hint(2), "the value is empty; how many");
	CHECK_STR("quoted number hint", hint(3), "remove the quotes to pass a number");
	V(s, T("{'version':1.0}"));
	CHECK_STR("float 1.0 stays visibly a float", msg(0), "version: expected a string, got number 1.0");
}

static void test_keywords_messages(void)
{
	struct schema *s = S("{'properties':{"
			     "'host':{'format':'hostname'},"
			     "'name':{'type':'string','minLength':2,'maxLength':4,'pattern':'^[a-z]+$'},"
			     "'list':{'type':'array','uniqueItems':true,'maxItems':3,'items':{'type':'number'}},"
			     "'labels':{'type':'object','additionalProperties':{'type':'string'}},"
			     "'k':{'const':'v'},"
			     "'n':{'multipleOf':5,'exclusiveMaximum':100},"
			     "'no':false"
			     "},"
			     "'dependencies':{'tls':['cert']}}");
	struct value *v = T("{'host':'-bad-.example','name':'ABCDEFG','list':[1,2,1.0,'x'],"
			    "'labels':{'app.kubernetes.io/name':3},'k':'w','n':101,'no':1,'tls':true}");
	int n = V(s, v);
	dump();
	CHECK("keywords: error count", n == 12);
	CHECK_STR("dependencies", msg(0), "key 'tls' requires key 'cert' as well");
	CHECK_STR("dependencies id", id(0), "schema-dependencies");
	CHECK_STR("format", msg(1), "host: '-bad-.example' is not a valid hostname");
	CHECK_STR("maxLength", msg(2), "name: string is 7 characters long, at most 4 allowed");
	CHECK_STR("pattern", msg(3), "name: 'ABCDEFG' does not match the pattern '^[a-z]+$'");
	CHECK_STR("maxItems", msg(4), "list: has 4 items, at most 3 allowed");
	CHECK_STR("items type", msg(5), "list[3]: expected a number, got string 'x'");
	CHECK_STR("unique", msg(6), "list[2]: duplicate of item [0]");
	CHECK_STR("unique id", id(6), "schema-unique");
	CHECK_STR("odd key quoted in path", msg(7), "labels[\"app.kubernetes.io/name\"]: expected a string, got integer 3");
	CHECK_STR("const", msg(8), "k: must be 'v', got 'w'");
	CHECK_STR("exclusiveMaximum", msg(9), "n: 101 must be less than 100");
	CHECK_STR("multipleOf", msg(10), "n: 101 is not a multiple of 5");
	CHECK_STR("false schema", msg(11), "no: 1 is not allowed here");
}

static void test_alternatives(void)
{
	struct schema *s = S("{'properties':{'x':{'anyOf':[{'type':'string'},{'type':'integer'}]}}}");
	V(s, T("{'x':true}"));
	CHECK_STR("anyOf by type: message", msg(0), "x: expected a string or an integer, got boolean true");
	CHECK("anyOf by type: single error", D.n == 1);

	s = S("{'properties':{'size':{'oneOf':[{'type':'string','pattern':'^[0-9]+Gi$'},{'type':'integer'}]}}}");
	V(s, T("{'size':'35G'}"));
	CHECK_STR("oneOf, one branch fits the kind: its error", msg(0), "size: '35G' does not match the pattern '^[0-9]+Gi$'");
	CHECK_STR("oneOf, one branch fits: id", id(0), "schema-pattern");

	s = S("{'anyOf':[{'type':'object','required':['a']},{'type':'object','required':['b','c']}]}");
	V(s, T("{'c':1}"));
	dump();
	CHECK_STR("anyOf, several fit: summary", msg(0), "matches none of the 2 alternatives allowed here (anyOf)");
	CHECK_STR("anyOf, several fit: id", id(0), "schema-anyof");
	CHECK_STR("anyOf, several fit: closest", hint(0), "closest is alternative 1 of 2: missing required key 'a'");
	CHECK("anyOf: one diagnostic", D.n == 1);

	s = S("{'oneOf':[{'properties':{'type':{'const':'gke'},'gke':{'type':'object'}},'required':['gke']},"
	      "{'properties':{'type':{'enum':['bare-metal']},'bareMetal':{'type':'object'}},'required':['bareMetal']}]}");
	V(s, T("{'type':'bare-metal'}"));
	CHECK_STR("oneOf, discriminator picks the branch", msg(0), "missing required key 'bareMetal'");
	CHECK("oneOf, discriminator: one diagnostic", D.n == 1);

	s = S("{'oneOf':[{'type':'integer'},{'minimum':2}]}");
	V(s, T("3"));
	CHECK_STR("oneOf, two match", msg(0), "matches 2 of the alternatives (1 and 2, oneOf) but must match exactly one");
	CHECK_STR("oneOf id", id(0), "schema-oneof");

	s = S("{'not':{'type':'string','description':'strings are not allowed'}}");
	V(s, T("'x'"));
	CHECK_STR("not", msg(0), "'x' is not allowed here (it matches a schema under 'not')");
	CHECK_STR("not hint", hint(0), "strings are not allowed");

	/* Probing branches leaves no diagnostics behind. */
	s = S("{'if':{'properties':{'a':{'type':'string'}}},'then':{'required':['b']},'else':{'required':['c']}}");
	CHECK("if probe: only else's error", V(s, T("{'a':1}")) == 1);
	CHECK_STR("if probe: message", msg(0), "missing required key 'c'");
	s = S("{'anyOf':[{'type':'integer'},{'type':'string'}],'not':{'type':'object'}}");
	CHECK("probes: no diagnostics when valid", V(s, T("'s'")) == 0 && D.n == 0);
}

static void test_refs(void)
{
	struct schema *s = S("{'$ref':'#'}");
	CHECK("ref loop: reported", V(s, T("1")) == 1);
	CHECK_STR("ref loop: id", id(0), "schema-ref");
	CHECK_STR("ref loop: message", msg(0), "endless $ref loop at '#'");

	s = S("{'definitions':{'a':{'$ref':'#/definitions/b'},'b':{'$ref':'#/definitions/a'}},'$ref':'#/definitions/a'}");
	CHECK("mutual ref loop: reported", V(s, T("{}")) == 1);
	CHECK("mutual ref loop: is_valid false", !schema_is_valid(s, T("{}")));

	s = S("{'$ref':'#/definitions/missing'}");
	V(s, T("1"));
	CHECK_STR("missing ref target", msg(0), "cannot resolve $ref '#/definitions/missing' (no such location)");
	s = S("{'$ref':'other.json#/x'}");
	V(s, T("1"));
	CHECK_STR("unknown document", msg(0), "cannot resolve $ref 'other.json#/x' (no schema known as 'other.json')");

	/* Deep instance against a recursive schema: bounded, reported, no crash. */
	s = S("{'properties':{'a':{'$ref':'#'}}}");
	struct value *root = v_map(A, NULL), *cur = root;
	for (int i = 0; i < 3000; i++) {
		struct value *next = v_map(A, NULL);
		map_set(A, cur, "a", next);
		cur = next;
	}
	CHECK("deep recursion: one error", V(s, root) == 1);
	CHECK_STR("deep recursion: id", id(0), "schema-ref");

	/* $id forms the newer suites test. */
	s = S("{'allOf':[{'$ref':'#foo'}],'definitions':{'A':{'$id':'#foo','type':'integer'}}}");
	CHECK("location-independent id: valid", schema_is_valid(s, T("1")));
	CHECK("location-independent id: invalid", !schema_is_valid(s, T("'a'")));
	s = S("{'$id':'http://example.com/root.json','definitions':{'A':{'$id':'#foo','type':'integer'},"
	      "'B':{'$id':'other/b.json','definitions':{'C':{'type':'string'}},'allOf':[{'$ref':'#/definitions/C'}]}},"
	      "'properties':{'x':{'$ref':'other/b.json'},'y':{'$ref':'http://example.com/root.json#foo'},"
	      "'z':{'$ref':'other/../root.json#/definitions/A'}}}");
	CHECK("$id base change: valid", schema_is_valid(s, T("{'x':'s','y':1,'z':2}")));
	CHECK("$id base change: invalid x", !schema_is_valid(s, T("{'x':1}")));
	CHECK("$id base change: invalid y", !schema_is_valid(s, T("{'y':'s'}")));
	CHECK("dot segments: invalid z", !schema_is_valid(s, T("{'z':'s'}")));
	s = S("{'definitions':{'a b':{'type':'integer'},'c\\\"d':{'type':'string'}},"
	      "'properties':{'x':{'$ref':'#/definitions/a%20b'},'y':{'$ref':'#/definitions/c%22d'}}}");
	CHECK("percent-escaped pointer: valid", schema_is_valid(s, T("{'x':1,'y':'s'}")));
	CHECK("percent-escaped pointer: invalid", !schema_is_valid(s, T("{'x':'s'}")));
}

static void test_numbers_and_equality(void)
{
	struct schema *s = S("{'multipleOf':0.0001}");
	CHECK("multipleOf 0.0075/0.0001", schema_is_valid(s, T("0.0075")));
	CHECK("multipleOf 0.00751/0.0001", !schema_is_valid(s, T("0.00751")));
	s = S("{'multipleOf':0.01}");
	CHECK("multipleOf 19.99/0.01", schema_is_valid(s, T("19.99")));
	s = S("{'type':'integer','multipleOf':0.123456789}");
	CHECK("multipleOf overflow is invalid, no crash", !schema_is_valid(s, T("1e308")));
	s = S("{'type':'integer'}");
	CHECK("1.0 is an integer", schema_is_valid(s, T("1.0")));
	CHECK("1.5 is not", !schema_is_valid(s, T("1.5")));
	s = S("{'const':{'a':[1,{'b':2}]}}");
	CHECK("const: deep, 1 == 1.0, order free", schema_is_valid(s, T("{'a':[1.0,{'b':2.0}]}")));
	CHECK("const: true != 1", !schema_is_valid(S("{'const':1}"), T("true")));
	s = S("{'enum':[{'a':1,'b':2}]}");
	CHECK("enum: mapping order irrelevant", schema_is_valid(s, T("{'b':2,'a':1.0}")));
	s = S("{'uniqueItems':true}");
	CHECK("unique: reordered mappings are equal", !schema_is_valid(s, T("[{'a':1,'b':2},{'b':2,'a':1}]")));
	CHECK("unique: [1] vs [true] differ", schema_is_valid(s, T("[[1],[true]]")));
	CHECK("unique: 0 vs false differ", schema_is_valid(s, T("[0,false]")));
	s = S("{'maximum':9007199254740993}");
	CHECK("int max beyond 2^53: exact", !schema_is_valid(s, T("9007199254740994")));
	CHECK("int max beyond 2^53: equal ok", schema_is_valid(s, T("9007199254740993")));
	s = S("{'maxLength':2}");
	CHECK("length counts code points", schema_is_valid(s, T("'\\ud83d\\udca9\\ud83d\\udca9'")));
	CHECK("length counts code points (3)", !schema_is_valid(s, T("'\\u00e9\\u00e9\\u00e9'")));
	s = S("{'items':[{'type':'integer'}],'additionalItems':false}");
	V(s, T("[1,2]"));
	CHECK_STR("additionalItems false", msg(0), "[1]: unexpected item: at most 1 item allowed");
	V(S("{'type':'object','minProperties':2}"), T("{'a':1}"));
	CHECK_STR("minProperties", msg(0), "has 1 key, at least 2 required");
	V(S("{'minItems':1}"), T("[]"));
	CHECK_STR("minItems", msg(0), "has 0 items, at least 1 required");
	V(S("{'minLength':1}"), T("''"));
	CHECK_STR("minLength empty", msg(0), "empty string, at least 1 character required");
	V(S("{'contains':{'const':3}}"), T("[1,2]"));
	CHECK_STR("contains", msg(0), "no item matches what the sequence must contain");
	V(S("{'propertyNames':{'maxLength':3}}"), T("{'abcd':1}"));
	CHECK_STR("propertyNames", msg(0), "key 'abcd' is not an allowed name");
	CHECK_STR("propertyNames hint", hint(0), "abcd: string is 4 characters long, at most 3 allowed");
}

static void test_regex(void)
{
	static const struct { const char *pat, *s; bool match; } cases[] = {
		{ "^\\\\d+$", "123", true }, { "^\\\\d+$", "12a", false },
		{ "^\\\\w+$", "a_B9", true }, { "^\\\\w+$", "a-b", false },
		{ "^\\\\S+\\\\s\\\\S+$", "a b", true }, { "^\\\\D$", "5", false },
		{ "^[\\\\w.-]+$", "a.b-c_d", true }, { "^[\\\\w.-]+$", "a b", false },
		{ "^(?:ab)+$", "abab", true }, { "^a+?$", "aaa", true },
		{ "^[^\\\\]]$", "]", false }, { "^[\\\\]]$", "]", true },
		{ "^[\\\\^a]$", "^", true }, { "^[\\\\-a]$", "-", true },
		{ "^\\\\.$", ".", true }, { "^\\\\.$", "x", false },
		{ "^\\\\/$", "/", true }, { "^a{2}$", "aa", true }, { "^a{$", "a{", true },
		{ "^\\\\u00e9$", "\\u00e9", true }, { "^.$", "\\n", false },
		{ "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", "my-topic", true },
		{ "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", "-x", false },
		{ "^(?<year>[0-9]{4})$", "2024", true },
		{ "^\\\\x41$", "A", true }, { "^\\\\cJ$", "\\n", true },
		{ "^[\\\\d]{2}$", "42", true }, { "^[^\\\\s]$", " ", false },
		{ "^\\\\p{L}$", "\\u00e9", true }, { "^\\\\p{L}$", "1", false },
		{ "^\\\\p{Lu}+$", "\\u00c9A", true }, { "^\\\\P{L}$", "a", false },
		{ "^(?!x)", "x", false }, { "^(?!x)", "y", true },
		{ "(?<=a)b", "ab", true }, { "(?<=a)b", "cb", false }, { "(?<!a)b", "ab", false },
		{ "^[\\u00e0-\\u00ff]+$", "\\u00e9\\u00e8", true }, { "^[^\\u00e0-\\u00ff]$", "\\u00e9", false },
		{ "^.$", "\\u00e9", true }, { "^.$", "\\r", false }, { "^.$", "\\u2028", false },
		{ "^\\\\s$", "\\u00a0", true }, { "^\\\\s$", "\\u3000", true }, { "^\\\\S$", "\\u00a0", false },
		{ "^\\\\s$", "\\ufeff", true }, { "^[\\\\s]$", "\\u2029", true },
		{ "^\\\\d$", "\\u0661", false }, /* ECMA: \d is ASCII */
		{ "^\\\\w$", "\\u00e9", false },
		{ "^\\\\v$", "\\u000b", true }, { "^\\\\v$", "\\n", false },
		{ "^a$", "a\\n", false },  /* $ is the end, not before a final newline */
		{ "^[[:alpha:]]$", "a", false }, { "^[[:alpha:]]$", "[]", true }, /* no POSIX classes */
		{ "^[^]$", "x", true }, { "^[]$", "", false },
		{ "^(?:(a)|b)\\\\1$", "b", true }, /* an unset group matches empty */
		{ "^(?<n>a)\\\\k<n>$", "aa", true },
		{ "^\\\\u{1F600}$", "\\ud83d\\ude00", true },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char sch[256], inst[128], name[300];
		snprintf(sch, sizeof sch, "{'pattern':'%s'}", cases[i].pat);
		snprintf(inst, sizeof inst, "'%s'", cases[i].s);
		snprintf(name, sizeof name, "regex %s on %s: %s", cases[i].pat, cases[i].s,
			 cases[i].match ? "match" : "no match");
		struct schema *s = schema_from_json(A, jparse(sch), "test.schema.json");
		CHECK(name, schema_is_valid(s, T(inst)) == cases[i].match);
		schema_free(s);
	}
	/* A pattern PCRE2 cannot compile (a lookbehind of variable length) is
	 * warned about, once per distinct source, and checks nothing. */
	struct schema *s = schema_from_json(A, jparse("{'properties':{'a':{'pattern':'(?<=a+)b'},'b':{'pattern':'(?<=a+)b'}}}"), "test.schema.json");
	V(s, T("{'a':'y','b':'y'}"));
	CHECK("uncompilable regex: no error", D.nerrors == 0);
	CHECK("uncompilable regex: one warning per distinct pattern", D.nwarnings == 1);
	CHECK_STR("uncompilable regex: warning", msg(0),
		  "schema pattern '(?<=a+)b' cannot be checked: PCRE2: lookbehind assertion is not fixed length");
	V(s, T("{'a':'y'}"));
	CHECK("uncompilable regex: warned only once", D.nwarnings == 0);
	schema_free(s);
	s = schema_from_json(A, jparse("{'patternProperties':{'(?<=a+)b':{'type':'integer'}},'additionalProperties':false}"), "t");
	V(s, T("{'a':'s'}"));
	CHECK("uncompilable patternProperties: key covered, value unchecked", D.nerrors == 0 && D.nwarnings == 1);
	schema_free(s);
	/* Exponential backtracking gives up (PCRE2's match limit): an error
	 * that says so, not a hang and not a pass. */
	s = schema_from_json(A, jparse("{'pattern':'^(a|a)*$'}"), "t");
	V(s, T("'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'"));
	CHECK_STR("backtracking blowup gives up", msg(0),
		  "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!' cannot be matched against "
		  "the pattern '^(a|a)*$': matching gave up (the pattern backtracks too much)");
	schema_free(s);
	/* Big bounded repetitions compile small and fast (glibc's regcomp
	 * expanded {1,249} into megabytes). */
	s = schema_from_json(A, jparse("{'pattern':'^([a-z0-9]{1,63}\\\\.){0,126}[a-z0-9]{1,63}(x{1,1000}){0,100}$'}"), "t");
	CHECK("big bounded repetitions: match", schema_is_valid(s, T("'a.b.c'")));
	CHECK("big bounded repetitions: no match", !schema_is_valid(s, T("'a..b'")));
	schema_free(s);
	CHECK("regex format: \\A, \\a, \\Q invalid",
	      !schema_regex_syntax_ok("\\Aa") && !schema_regex_syntax_ok("\\a") && !schema_regex_syntax_ok("\\Qa\\E"));
	CHECK("regex format: PCRE2-only syntax invalid",
	      !schema_regex_syntax_ok("(?i)a") && !schema_regex_syntax_ok("a++") && !schema_regex_syntax_ok("(*UTF)a") &&
	      !schema_regex_syntax_ok("(?>a)") && !schema_regex_syntax_ok("\\cé"));
	CHECK("regex format: ECMA syntax valid",
	      schema_regex_syntax_ok("(?<=a)b(?!c)\\p{L}\\k<x>(?<x>y)[\\s\\S]\\u0041\\x41\\cJ"));
	CHECK("regex format: \\Z invalid", !schema_regex_syntax_ok("^a\\Z"));
	CHECK("regex format: lookahead valid", schema_regex_syntax_ok("^(?=a)"));
	CHECK("regex format: unbalanced invalid", !schema_regex_syntax_ok("(a"));
}

static void test_formats(void)
{
	static const struct { const char *fmt, *s; bool ok; } cases[] = {
		{ "hostname", "kafka-0.kafka.svc.cluster.local", true },
		{ "hostname", "a.b.", true },
		{ "hostname", "a..b", false },
		{ "hostname", "", false },
		{ "hostname", "-a", false },
		{ "hostname", "a-", false },
		{ "hostname", "a_b", false },
		{ "hostname", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", true },  /* 63 */
		{ "hostname", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false }, /* 64 */
		{ "ipv4", "10.0.0.255", true },
		{ "ipv4", "1.2.3.04", false },
		{ "ipv4", "1.2.3", false },
		{ "ipv4", "1.2.3.4 ", false },
		{ "ipv4", "1.2.3.256", false },
		{ "ipv4", "0.0.0.0", true },
		{ "ipv6", "::", true },
		{ "ipv6", "fe80::1", true },
		{ "ipv6", "::ffff:192.168.0.1", true },
		{ "ipv6", "::ffff:192.168.0.01", false },
		{ "ipv6", "1::2::3", false },
		{ "ipv6", "fe80::1%eth0", false },
		{ "ipv6", " ::1", false },
		{ "ipv6", "1:2:3:4:5:6:7:8", true },
		{ "ipv6", "1:2:3:4:5:6:7:8:9", false },
		{ "ipv6", "12345::", false },
		{ "uri", "https://example.com:8443/a?b=c#d", true },
		{ "uri", "urn:isbn:0451450523", true },
		{ "uri", "http://[::1]:80/", true },
		{ "uri", "http://[::1/", false },
		{ "uri", "http://a b", false },
		{ "uri", "http://a/%zz", false },
		{ "uri", "//host/path", false },
		{ "uri", "1http://x", false },
		{ "uri", "http://user:pw@host/", true },
		{ "date-time", "whatever", true }, /* unknown formats pass */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char name[200];
		snprintf(name, sizeof name, "format %s: '%s' %s", cases[i].fmt, cases[i].s,
			 cases[i].ok ? "valid" : "invalid");
		CHECK(name, schema_format_valid(cases[i].fmt, cases[i].s, strlen(cases[i].s), NULL) == cases[i].ok);
	}
}

/* The ipv4 format's parser also gives the address (check_network compares
 * addresses and ranges with it). */
static void test_ipv4_value(void)
{
	uint32_t ip = 0;
	CHECK("ipv4 value of 134.79.23.5", schema_ipv4_parse("134.79.23.5", 11, &ip) && ip == 0x864F1705u);
	CHECK("ipv4 value of 255.255.255.255", schema_ipv4_parse("255.255.255.255", 15, &ip) && ip == 0xFFFFFFFFu);
	CHECK("ipv4 of a prefix (before '/')", schema_ipv4_parse("10.0.0.0/24", 8, &ip) && ip == 0x0A000000u);
	ip = 7;
	CHECK("ipv4 refused: out untouched", !schema_ipv4_parse("10.0.0.1x", 9, &ip) && ip == 7);
}

static void test_load_and_convert(void)
{
	char path[] = "/tmp/asbgen-schema-XXXXXX";
	int fd = mkstemp(path);
	const char *bad = "{\n  \"type\": \"object\",\n  \"properties\": {,}\n}\n";
	CHECK("write temp schema", fd >= 0 && write(fd, bad, strlen(bad)) == (ssize_t)strlen(bad));
	close(fd);
	diags_free(&D);
	diags_init(&D, A);
	CHECK("bad schema: NULL", schema_load(A, &D, path) == NULL);
	CHECK_STR("bad schema: id", id(0), "schema-load");
	CHECK("bad schema: line 3", line(0) == 3 && D.items[0].col > 0);
	CHECK("bad schema: file", D.n && strcmp(D.items[0].file, path) == 0);

	char other[] = "/tmp/asbgen-schema-other-XXXXXX";
	fd = mkstemp(other);
	const char *otext = "{\"definitions\":{\"s\":{\"type\":\"string\"}}}";
	CHECK("write other schema", fd >= 0 && write(fd, otext, strlen(otext)) == (ssize_t)strlen(otext));
	close(fd);
	FILE *fp = fopen(path, "w");
	fprintf(fp, "{\"definitions\":{\"n\":{\"type\":\"integer\"}},\"properties\":{\"x\":{\"$ref\":\"#/definitions/n\"},"
		"\"y\":{\"$ref\":\"%s#/definitions/s\"}}}", strrchr(other, '/') + 1);
	fclose(fp);
	diags_free(&D);
	diags_init(&D, A);
	struct schema *s = schema_load(A, &D, path);
	CHECK("schema_load ok", s && D.n == 0);
	CHECK("loaded schema: valid", s && schema_is_valid(s, T("{'x':1}")));
	CHECK("loaded schema: invalid", s && !schema_is_valid(s, T("{'x':'a'}")));
	CHECK("ref to a sibling file: valid", s && schema_is_valid(s, T("{'y':'a'}")));
	CHECK("ref to a sibling file: invalid", s && !schema_is_valid(s, T("{'y':1}")));
	schema_free(s);
	unlink(path);
	unlink(other);

	json_t *j = jparse("{'a':[1,2.5,'x',true,null,{'b':{}}],'c':-7}");
	struct value *v = value_from_json(A, j, "f.json");
	CHECK("from_json: kinds", v->kind == V_MAP && v_path(v, "a")->seq.items[1]->kind == V_FLOAT &&
	      v_path(v, "c")->i == -7 && v_path(v, "a")->seq.items[4]->kind == V_NULL);
	CHECK_STR("from_json: mark file", v_path(v, "a")->mark.file, "f.json");
	json_t *back = value_to_json(v);
	CHECK("to_json: round trip", json_equal(j, back));
	char *dumped = json_dumps(back, JSON_COMPACT);
	CHECK_STR("to_json: order kept", dumped, "{\"a\":[1,2.5,\"x\",true,null,{\"b\":{}}],\"c\":-7}");
	free(dumped);
	json_decref(back);
	json_decref(j);
}

static void test_edit_distance(void)
{
	CHECK("edit distance 1", schema_edit_distance("replica", 7, "replicas", 8, 2) == 1);
	CHECK("edit distance 2", schema_edit_distance("rplica", 6, "replicas", 8, 2) == 2);
	CHECK("edit distance capped", schema_edit_distance("abc", 3, "xyzxyz", 6, 2) == 3);
}

/* "x-asbgen-check" value rules: applied as written by default, skipped
 * (type still checked) when the semantic checks own them. */
static void test_defer_checked(void)
{
	struct schema *s = S("{'properties': {'n': {'type': 'string', 'pattern': '^[a-z]+$', "
			     "'x-asbgen-check': 'user-name'}, 'p': {'type': 'integer', 'minimum': 1, "
			     "'x-asbgen-check': 'topic-partitions'}, 'c': {'enum': ['a'], "
			     "'x-asbgen-check': 'registry-compatibility'}, 'q': {'type': 'string', "
			     "'pattern': '^[a-z]+$'}}}");
	struct value *bad = T("{'n': 'A_B', 'p': 0, 'c': 'b', 'q': 'X'}");
	CHECK("x-asbgen-check: rules apply by default", V(s, bad) == 4);
	schema_set_defer_checked(s, true);
	CHECK("x-asbgen-check: deferred rules are skipped, others kept", V(s, bad) == 1);
	CHECK_STR("x-asbgen-check: the unmarked pattern still reports", id(0), "schema-pattern");
	CHECK("x-asbgen-check: a wrong type is still reported", V(s, T("{'n': 5, 'p': 'x'}")) == 2);
}

/* A document without an "$id" below its root compiles each node when
 * validation meets it; one with such an id compiles all at load.  Both
 * must report the same: the same schema, once with an unused nested id. */
static void test_lazy_compile(void)
{
	static const char *const fmt =
		"{'$id':'https://x.test/s.json',"
		"'properties':{'kafka':{'$ref':'#/definitions/k'},'users':{'type':'array','items':{'$ref':'#/definitions/u'}}},"
		"'additionalProperties':false,'required':['kafka'],"
		"'definitions':{'k':{'type':'object','properties':{'replicas':{'type':'integer','minimum':1},"
		"'version':{'type':'string','pattern':'^[0-9]+[.][0-9]+[.][0-9]+$'}},'additionalProperties':false},"
		"'u':{'type':'object','required':['name'],'properties':{'name':{'type':'string','minLength':2},"
		"'topics':{'type':'array','items':{'enum':['a','b']}}}}%s}}";
	char lazy[2048], eager[2048];
	snprintf(lazy, sizeof lazy, fmt, "");
	snprintf(eager, sizeof eager, fmt, ",'unused':{'$id':'#unused','type':'null'}");
	struct value *v = T("{'kafka':{'replicas':0,'version':'4.0','extra':1},"
			    "'users':[{'name':'x','topics':['a','c']},{'topics':[]}],'other':true}");
	char got[4096] = "", want[4096] = "";
	int nl = V(S(lazy), v);
	for (size_t i = 0; i < D.n; i++)
		snprintf(got + strlen(got), sizeof got - strlen(got), "[%s] %d %s\n", id(i), line(i), msg(i));
	int ne = V(S(eager), v);
	for (size_t i = 0; i < D.n; i++)
		snprintf(want + strlen(want), sizeof want - strlen(want), "[%s] %d %s\n", id(i), line(i), msg(i));
	CHECK("lazy compile: the schema reports 7 problems", nl == 7 && ne == 7);
	CHECK_STR("lazy compile: compiled when met reports what compiled at load does", got, want);
}

int main(void)
{
	A = arena_new();
	diags_init(&D, A);
	test_messages();
	test_keywords_messages();
	test_type_hints();
	test_alternatives();
	test_refs();
	test_numbers_and_equality();
	test_regex();
	test_formats();
	test_ipv4_value();
	test_load_and_convert();
	test_edit_distance();
	test_defer_checked();
	test_lazy_compile();
	free_made();
	diags_free(&D);
	arena_free(A);
	return UNIT_DONE();
}
