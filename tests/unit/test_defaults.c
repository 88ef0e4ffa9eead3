/* test_defaults.c - the defaults phase on small schemas. */
#include "arena.h"
#include "defaults.h"
#include "diag.h"
#include "load.h"
#include "schema.h"
#include "unit.h"

#include <jansson.h>
#include <string.h>

static const char schema_text[] =
	"{\"definitions\": {\"q\": {\"type\": \"string\"}},"
	" \"type\": \"object\", \"properties\": {"
	"  \"a\": {\"type\": \"object\", \"properties\": {\"n\": {\"type\": \"integer\", \"default\": 3},"
	"                                             \"size\": {\"$ref\": \"#/definitions/q\", \"default\": \"1Gi\"}}},"
	"  \"req\": {\"type\": \"object\", \"required\": [\"x\"], \"properties\": {\"x\": {}, \"y\": {\"default\": 1}}},"
	"  \"t\": {\"oneOf\": [{\"type\": \"null\"}, {\"type\": \"object\", \"properties\": {\"k\": {\"default\": \"kafka\"}}}],"
	"        \"default\": {}},"
	"  \"list\": {\"type\": \"array\", \"items\": {\"type\": \"object\", \"properties\": {\"p\": {\"default\": \"d\"}}}},"
	"  \"x-a\": {}, \"b\": {}"
	"}}";

struct run {
	struct arena *a;
	struct diags d;
	struct schema *s;
	struct defaults filled;
	struct value *in, *out;
};

static void run(struct run *r, const char *yaml)
{
	memset(r, 0, sizeof *r);
	r->a = arena_new();
	diags_init(&r->d, r->a);
	json_error_t e;
	r->s = schema_from_json(r->a, json_loads(schema_text, 0, &e), "t.json");
	r->in = load_yaml_string(r->a, &r->d, "t.yaml", yaml, strlen(yaml));
	r->out = r->in && r->s ? defaults_apply(r->a, r->s, r->in, &r->filled) : NULL;
}

static void done(struct run *r)
{
	schema_free(r->s);
	diags_free(&r->d);
	arena_free(r->a);
}

int main(void)
{
	struct run r;
	run(&r, "b: 1\n");
	CHECK("a left-out mapping without required keys is made and filled", v_as_int(v_path(r.out, "a.n"), 0) == 3);
	CHECK("a default beside a $ref counts", !strcmp(v_as_str(v_path(r.out, "a.size"), ""), "1Gi"));
	CHECK("a left-out mapping with required keys is not made up", !map_get(r.out, "req"));
	CHECK("an object default is filled through its oneOf branch",
	      !strcmp(v_as_str(v_path(r.out, "t.k"), ""), "kafka"));
	CHECK("filled nodes are flagged", (v_path(r.out, "a.n")->flags & VF_DEFAULT) != 0);
	CHECK("filled nodes carry the nearest written mapping's mark",
	      v_path(r.out, "a.n")->mark.line == r.in->mark.line && v_path(r.out, "a.n")->mark.col == r.in->mark.col);
	CHECK("the record names each default's path",
	      !strcmp(defaults_path_of(&r.filled, v_path(r.out, "a.n")) ? defaults_path_of(&r.filled, v_path(r.out, "a.n")) : "", "a.n") &&
	      !strcmp(defaults_path_of(&r.filled, v_path(r.out, "t.k")) ? defaults_path_of(&r.filled, v_path(r.out, "t.k")) : "", "t.k"));
	CHECK("a value the user wrote is no default", defaults_path_of(&r.filled, map_get(r.out, "b")) == NULL);
	CHECK("the input is not changed", !map_get(r.in, "a") && r.in != r.out);
	done(&r);

	run(&r, "t: null\na: {n: 5}\nreq: {x: 1}\n");
	CHECK("a null where the default is a mapping stays null", map_get(r.out, "t")->kind == V_NULL);
	CHECK("a value given wins", v_as_int(v_path(r.out, "a.n"), 0) == 5);
	CHECK("a written mapping with required keys is filled", v_as_int(v_path(r.out, "req.y"), 0) == 1);
	done(&r);

	/* One anchored mapping used twice: each use is filled on a copy. */
	run(&r, "x-a: &m {}\nlist: [*m, {p: own}]\n");
	const struct value *l = map_get(r.out, "list");
	CHECK("list items are filled", l && l->seq.n == 2 && !strcmp(v_as_str(map_get(l->seq.items[0], "p"), ""), "d"));
	CHECK("an item's own value wins", l && !strcmp(v_as_str(map_get(l->seq.items[1], "p"), ""), "own"));
	CHECK("a shared (aliased) mapping is copied, not changed", map_get(r.in, "x-a")->map.n == 0);
	CHECK("items get their own paths", l && defaults_path_of(&r.filled, map_get(l->seq.items[0], "p")) &&
					     !strcmp(defaults_path_of(&r.filled, map_get(l->seq.items[0], "p")), "list[0].p"));
	done(&r);

	run(&r, "{}\n");
	/* a.n, a.size, t and t.k */
	CHECK("an empty spec records each default it is given, once", r.filled.n == 4);
	done(&r);
	/* A schema that refers to itself (three ways per level): the search
	 * for defaults below a node must not go down every path. */
	{
		struct arena *a = arena_new();
		struct diags d;
		diags_init(&d, a);
		json_error_t je;
		struct schema *sc = schema_from_json(a, json_loads(
			"{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"#/definitions/n\"},\"b\":{\"default\":1}},"
			"\"definitions\":{\"n\":{\"type\":\"object\",\"properties\":{\"x\":{\"$ref\":\"#/definitions/n\"},"
			"\"y\":{\"$ref\":\"#/definitions/n\"},\"z\":{\"$ref\":\"#/definitions/n\"}}}}}", 0, &je), "c.json");
		struct value *in = load_yaml_string(a, &d, "c.yaml", "a: {x: {y: {}}}\n", 15);
		struct value *out = sc && in ? defaults_apply(a, sc, in, NULL) : NULL;
		CHECK("a self-referring schema: defaults filled, in no time", out && v_as_int(map_get(out, "b"), 0) == 1);
		schema_free(sc);
		diags_free(&d);
		arena_free(a);
	}
	return UNIT_DONE();
}
