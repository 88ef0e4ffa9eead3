/* test_tmpl_lines.c - line plans (tmpl_lines.c): which templates get one,
 * and what its lines are.  That an output written from a plan has the
 * bytes and the messages of its tree is tested on the real templates, by
 * render (tests/suite_render.sh). */
#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "emit.h"
#include "load.h"
#include "tmpl_compiled.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>

static struct arena *A;

static const struct lplan *plan_of(const char *text, const struct emit_lines *el)
{
	struct diags d;
	diags_init(&d, A);
	struct value *doc = load_yaml_string(A, &d, "t.yaml", text, strlen(text));
	struct expr_env env = { .a = A, .d = &d };
	const struct tnode *t = doc ? tmpl_compile(&env, doc) : NULL;
	if (!t || d.n || env.failed) {
		printf("# does not compile: %s\n", text);
		exit(2);
	}
	diags_free(&d);
	return tmpl_lines_plan(A, t, el);
}

/* "T:text" "V:key(names)" "I(names)[...|...]", one entry after another. */
static void show(struct buf *b, const struct lplan *p)
{
	if (!p) {
		buf_puts(b, "(none)");
		return;
	}
	for (size_t i = 0; i < p->n; i++) {
		const struct lent *e = &p->ents[i];
		if (e->kind == LN_TEXT)
			buf_printf(b, "T%u:%.*s", e->key, (int)e->len, e->text);
		else if (e->kind == LN_VALUE)
			buf_printf(b, "V%u:%.*s", e->key, (int)e->len, e->text);
		else if (e->kind == LN_MAP)
			buf_printf(b, "M%u:%.*s", e->key, (int)e->len, e->text);
		else
			buf_puts(b, "I");
		if (e->kind == LN_MAP) {
			buf_putc(b, '{');
			show(b, e->then);
			buf_putc(b, '}');
		} else if (e->kind != LN_TEXT) {
			buf_putc(b, '(');
			for (size_t k = 0; k < e->nnames; k++)
				buf_printf(b, "%s%s", k ? "," : "", e->names[k]);
			buf_puts(b, e->opaque ? "+)" : ")");
		}
		if (e->kind == LN_IF) {
			buf_putc(b, '[');
			show(b, e->then);
			if (e->els) {
				buf_putc(b, '|');
				show(b, e->els);
			}
			buf_putc(b, ']');
		}
		buf_putc(b, ' ');
	}
}

static const char *plan_str(const char *text, const struct emit_lines *el)
{
	struct buf b = BUF_INIT;
	show(&b, plan_of(text, el));
	const char *s = arena_strdup(A, buf_cstr(&b));
	buf_free(&b);
	return s;
}

static void test_plans(void)
{
	CHECK_STR("lines: a client file's plan: fixed lines whole, keys escaped once, conditions with their bodies",
		  plan_str("bootstrap.servers: ${external.bootstrapServers}\n"
			   "sasl.mechanism: SCRAM-SHA-512\n"
			   "sasl.jaas.config: x username=\"${u.name}\" ${u.name};\n"
			   "$if u.groupId != null:\n"
			   "  group.id: ${u.groupId}\n"
			   "enable.auto.commit: true\n",
			   &emit_properties_lines),
		  "V0:bootstrap.servers(external) T1:sasl.mechanism=SCRAM-SHA-512\n V2:sasl.jaas.config(u) "
		  "I(u)[V3:group.id(u) ] T4:enable.auto.commit=true\n ");
	CHECK_STR("lines: the same key under $if and $else has one number; numbers and floats are written as the "
		  "format writes them",
		  plan_str("$if registry.enabled:\n  v: ${registry.url}\n$else:\n  v: none\nn: 7\nf: 0.5\n",
			   &emit_librdkafka_lines),
		  "I(registry)[V0:v(registry) |T0:v=none\n ] T1:n=7\n T2:f=0.5\n ");
	CHECK_STR("lines: a Java key is escaped in the plan ('a b' as a\\ b); a value's leading blank too",
		  plan_str("a b: ${x}\nc: ' d'\n", &emit_properties_lines), "V0:a\\ b(x) T1:c=\\ d\n ");
	CHECK_STR("lines: a fixed line librdkafka cannot write (a blank in a key): no plan, the tree reports it",
		  plan_str("a b: ${x}\n", &emit_librdkafka_lines), "(none)");
	static const char *const none[][2] = {
		{ "a loop", "$for u in users:\n  ${u.name}: x\n" },
		{ "a computed key", "${'a'}: ${x}\n" },
		{ "a nested mapping", "a:\n  b: ${x}\n" },
		{ "a fixed nested mapping", "a: {b: c}\nd: ${x}\n" },
		{ "a fixed null", "a: null\nd: ${x}\n" },
		{ "a fixed sequence", "a: [1]\nd: ${x}\n" },
		{ "files()", "a: ${files('x')}\n" },
		{ "files() in a condition", "$if files('x'):\n  a: ${x}\n" },
		{ "a computed include()", "a: ${include(x)}\n" },
		{ "no expressions (the tree is the template's)", "a: b\nc: d\n" },
	};
	int bad = 0;
	for (size_t i = 0; i < sizeof none / sizeof *none; i++) {
		const char *got = plan_str(none[i][1], &emit_properties_lines);
		if (strcmp(got, "(none)")) {
			printf("# %s: %s\n", none[i][0], got);
			bad++;
		}
	}
	CHECK("lines: no key=value plan for a loop, a computed key, a nested or null or sequence value, files(), "
	      "a computed include(), or a template without expressions", bad == 0);
	CHECK_STR("lines: an include() of a fixed path is planned, never kept for the render (its file reads what "
		  "only the render knows: +)",
		  plan_str("a: ${include('x.yaml')}\n", &emit_properties_lines), "V0:a(+) ");
	CHECK_STR("lines: YAML: a nested mapping below its key, its keys numbered apart (the same key in two "
		  "mappings), indented; fixed subtrees whole; keys and values that must be quoted (y is a YAML 1.1 boolean)",
		  plan_str("kind: User\nmetadata:\n  name: ${u.name}\n  labels: {a: b}\n  $if u.x:\n    kind: y\n"
			   "spec:\n  acls: ${u.acls}\n'7': x\n",
			   &emit_yaml_lines),
		  "T0:kind: User\n M1:metadata:{V2:  name:(u) T3:  labels:\n    a: b\n I(u)[T4:  kind: \"y\"\n ] } "
		  "M5:spec:{V6:  acls:(u) } T7:\"7\": x\n ");
	CHECK_STR("lines: YAML: a sequence made by the template: no plan",
		  plan_str("a:\n  - ${x}\n", &emit_yaml_lines), "(none)");
	struct buf b = BUF_INIT;
	for (int i = 0; i < LPLAN_MAX_KEYS; i++)
		buf_printf(&b, "k%d: ${x}\n", i);
	CHECK("lines: as many keys as a word of bits holds: a plan", plan_of(buf_cstr(&b), &emit_properties_lines) != NULL);
	buf_puts(&b, "one.more: ${x}\n");
	CHECK("lines: a key more: no plan", plan_of(buf_cstr(&b), &emit_properties_lines) == NULL);
	buf_free(&b);
}

int main(void)
{
	A = arena_new();
	test_plans();
	arena_free(A);
	return UNIT_DONE();
}
