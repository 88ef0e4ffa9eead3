/* spec.c - load an environment spec, check it against the schema, then
 * run the semantic checks (check.c) on a spec of the right shape. */
#include "arena.h"
#include "check.h"
#include "cli.h"
#include "load.h"
#include "schema.h"

#define SPEC_SCHEMA "environment.schema.json"

/* Check a loaded spec: the schema, then the semantic checks. */
static struct value *check_loaded(struct ctx *c, struct value *spec, size_t before)
{
	if (!spec || c->diags.nerrors > before)
		return NULL;
	if (!c->schema) {
		const char *sp = arena_printf(c->arena, "%s/%s", data_path(c, "schemas"), SPEC_SCHEMA);
		c->schema = schema_load(c->arena, &c->diags, sp);
		if (!c->schema)
			return NULL;
		schema_set_defer_checked(c->schema, true);
		/* 6.0 is not a broker count: the model reads integers only. */
		schema_set_integer_literal(c->schema, true);
	}
	schema_validate(&c->diags, c->schema, spec);
	if (c->diags.nerrors > before)
		return NULL;
	spec_check(c->arena, &c->diags, spec);
	return c->diags.nerrors > before ? NULL : spec;
}

struct value *spec_load(struct ctx *c, const char *path)
{
	size_t before = c->diags.nerrors;
	return check_loaded(c, load_yaml_file(c->arena, &c->diags, path), before);
}

struct value *spec_load_text(struct ctx *c, const char *label, const char *text, size_t len)
{
	size_t before = c->diags.nerrors;
	diags_add_source(&c->diags, label, text, len);
	return check_loaded(c, load_yaml_string(c->arena, &c->diags, label, text, len), before);
}
