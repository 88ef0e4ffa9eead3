/* spec.c - from a spec file to its model: load, check against the schema,
 * fill in the schema's defaults, resolve the model, then run the semantic
 * checks (check.c) on the model. */
#include "arena.h"
#include "check.h"
#include "cli.h"
#include "defaults.h"
#include "kafka_config.h"
#include "load.h"
#include "model.h"
#include "schema.h"

#include <string.h>

#define SPEC_SCHEMA "environment.schema.json"

/* The bootstrap phase (the operator's manual: "comment out the external
 * load balancer and broker IPs ... once the pods are up, uncomment"): the
 * same spec with external.enabled false, so brokers start without waiting
 * for load balancers and their addresses.  A shallow copy: the spec's own
 * nodes, and their positions, are shared. */
static struct value *bootstrap_phase(struct arena *a, struct value *spec)
{
	struct value *top = v_map(a, &spec->mark), *ext = NULL;
	for (size_t i = 0; i < spec->map.n; i++) {
		const struct pair *p = &spec->map.items[i];
		if (strcmp(p->key->str.s, "external") != 0 || p->val->kind != V_MAP) {
			map_put(a, top, p->key, p->val);
			continue;
		}
		ext = v_map(a, &p->val->mark);
		for (size_t j = 0; j < p->val->map.n; j++)
			if (strcmp(p->val->map.items[j].key->str.s, "enabled") != 0)
				map_put(a, ext, p->val->map.items[j].key, p->val->map.items[j].val);
		map_put(a, top, p->key, ext);
	}
	if (!ext) {
		ext = v_map(a, &spec->mark);
		map_set_lit(a, top, "external", ext);
	}
	map_set_lit(a, ext, "enabled", v_bool(a, NULL, false));
	return top;
}

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
		c->kafka = kafka_tables_load(c->arena, &c->diags, arena_printf(c->arena, "%s/kafka", data_path(c, "schemas")));
		if (!c->kafka)
			return NULL;
	}
	schema_validate(&c->diags, c->schema, spec);
	if (c->diags.nerrors > before)
		return NULL;
	spec = defaults_apply(c->arena, c->schema, spec, c->defaults);
	if (c->bootstrap)
		spec = bootstrap_phase(c->arena, spec);
	struct value *model = model_build(c->arena, &c->diags, spec, spec_name);
	if (!model)
		return NULL;
	spec_check(c->arena, &c->diags, spec, model, c->kafka);
	return c->diags.nerrors > before ? NULL : model;
}

struct value *model_load(struct ctx *c, const char *path)
{
	size_t before = c->diags.nerrors;
	return compile(c, load_yaml_file(c->arena, &c->diags, path), path_base(path), before);
}

struct value *model_load_text(struct ctx *c, const char *label, const char *spec_name, const char *text,
			      size_t len)
{
	size_t before = c->diags.nerrors;
	diags_add_source(&c->diags, label, text, len);
	return compile(c, load_yaml_string(c->arena, &c->diags, label, text, len), spec_name, before);
}
