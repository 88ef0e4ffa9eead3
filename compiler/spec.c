/* spec.c - from a spec file to its model: load, check against the schema,
 * fill in the schema's defaults, resolve the model, then run the semantic
 * checks (check.c) on the model. */
#include "arena.h"
#include "check.h"
#include "cli.h"
#include "defaults.h"
#include "load.h"
#include "model.h"
#include "schema.h"

#include <string.h>

#define SPEC_SCHEMA "environment.schema.json"

/* The model of a loaded spec, or NULL when the spec is not valid. */
static struct value *compile(struct ctx *c, struct value *spec, const char *spec_name, size_t before)
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
	spec = defaults_apply(c->arena, c->schema, spec, c->defaults);
	struct value *model = model_build(c->arena, &c->diags, spec, spec_name);
	if (!model)
		return NULL;
	spec_check(c->arena, &c->diags, spec, model);
	return c->diags.nerrors > before ? NULL : model;
}

struct value *model_load(struct ctx *c, const char *path)
{
	size_t before = c->diags.nerrors;
	if (!strcmp(path, "-")) {
		size_t len;
		char *text = read_stdin_text(c->arena, &c->diags, &len);
		return text ? model_load_text(c, SPEC_STDIN_LABEL, "-", text, len) : NULL;
	}
	return compile(c, load_yaml_file(c->arena, &c->diags, path), spec_display_name(c->arena, path), before);
}

struct value *model_load_text(struct ctx *c, const char *label, const char *spec_name, const char *text,
			      size_t len)
{
	size_t before = c->diags.nerrors;
	diags_add_source(&c->diags, label, text, len);
	return compile(c, load_yaml_string(c->arena, &c->diags, label, text, len), spec_name, before);
}
