/* test_yaml11.c - yaml11_retype types plain scalars as PyYAML's SafeLoader
 * (what crdcheck.py reads manifests with).  The expected trees were written
 * from PyYAML 6's output for the same text. */
#include <stdlib.h>

#include "arena.h"
#include "diag.h"
#include "json_value.h"
#include "load.h"
#include "yaml11.h"
#include "unit.h"

static char *retyped(const char *yaml)
{
	struct arena *a = arena_new();
	struct diags d;
	diags_init(&d, a);
	diags_add_source(&d, "t.yaml", yaml, strlen(yaml));
	struct value *v = load_yaml_string(a, &d, "t.yaml", yaml, strlen(yaml));
	struct yaml11 *y = yaml11_new();
	char *out = NULL;
	if (v && y) {
		json_t *j = value_to_json(yaml11_retype(y, a, &d, v));
		out = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
		json_decref(j);
	}
	yaml11_free(y);
	diags_free(&d);
	arena_free(a);
	return out;
}

static void check(const char *name, const char *yaml, const char *want)
{
	char *got = retyped(yaml);
	CHECK_STR(name, got, want);
	free(got);
}

int main(void)
{
	check("booleans: yes, no, on, off in every case PyYAML knows",
	      "[yes, Yes, YES, no, NO, on, On, off, OFF, true, False, y, n, yEs]",
	      "[true,true,true,false,false,true,true,false,false,true,false,\"y\",\"n\",\"yEs\"]");
	check("quoted and block scalars stay strings",
	      "a: \"yes\"\nb: 'on'\nc: |\n  no\n", "{\"a\":\"yes\",\"b\":\"on\",\"c\":\"no\\n\"}");
	check("integers: octal 0755, underscores, binary, hex, base 60",
	      "[0755, 1_000, 0b11, 0x_1F, 1:20, -0x10, +12, 0, 00]",
	      "[493,1000,3,31,80,-16,12,0,0]");
	check("YAML 1.2 spellings PyYAML reads as strings: 0o10, 1e3, 1.0e3",
	      "[0o10, 1e3, 1.0e3, 0O7]", "[\"0o10\",\"1e3\",\"1.0e3\",\"0O7\"]");
	check("floats: .5, 1.0e+3, 1_0.5, base 60, infinities as JSON null",
	      "[.5, 1.0e+3, 1_0.5, 3:25:45.5, -.inf, .NaN, 1.]",
	      "[0.5,1000.0,10.5,12345.5,null,null,1.0]");
	check("nulls", "[~, null, Null, NULL, ]", "[null,null,null,null]");
	check("an aliased scalar is retyped where its anchor is",
	      "a: &p 0755\nb: *p\n", "{\"a\":493,\"b\":493}");
	check("flow mappings and JSON",
	      "{\"replicas\": 3, \"x\": on, \"y\": 1e3}", "{\"replicas\":3,\"x\":true,\"y\":\"1e3\"}");
	check("timestamps stay strings (see yaml11.h)", "d: 2001-12-14\n", "{\"d\":\"2001-12-14\"}");
	check("other strings untouched", "[alert-broker, 4.1.1, 35Ti, '8']", "[\"alert-broker\",\"4.1.1\",\"35Ti\",\"8\"]");
	{
		struct arena *a = arena_new();
		struct yaml11 *y = yaml11_new();
		const char *yes[] = { "2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5",
				      "2001-12-15T02:59:43.1Z", "2002-1-2 1:02:03" };
		const char *no[] = { "2001-12-1", "20011214", "2001-12-14x", "v2001-12-14" };
		for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
			CHECK(yes[i], yaml11_is_timestamp(y, v_str(a, NULL, yes[i])));
		for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
			CHECK(no[i], !yaml11_is_timestamp(y, v_str(a, NULL, no[i])));
		struct value *q = v_str(a, NULL, "2001-12-14");
		q->flags |= VF_QUOTED;
		CHECK("a quoted date is a string for every reader", !yaml11_is_timestamp(y, q));
		yaml11_free(y);
		arena_free(a);
	}
	return UNIT_DONE();
}
