/* spec.c - from a spec file to its model: load, check against the schema,
 * fill in the schema's defaults, resolve the model, then run the semantic
 * checks (check.c) on the model; with schema errors, the checks whose
 * inputs are sound, on the spec without the erroneous sections. */
#include "arena.h"
#include "check.h"
#include "cli.h"
#include "defaults.h"
#include "kafka_config.h"
#include "load.h"
#include "model.h"
#include "schema.h"
#include "spec_sound.h"
#include "testid.h"

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

/* With schema errors (d->items[first..]), the semantic checks whose
 * inputs are sound, on the spec without the sections that hold the errors
 * (spec_sound.h): every problem in one pass where that can be told. */
static void check_sound_part(struct ctx *c, struct value *spec, const char *spec_name, size_t first)
{
	const char **unsound;
	size_t n;
	struct value *part = spec_sound_part(c->arena, c->schema, spec, &c->diags, first, &unsound, &n);
	if (!part)
		return;
	part = defaults_apply(c->arena, c->schema, part, NULL);
	/* The model's own errors (an unknown Strimzi version) are the strimzi
	 * and kafka sections': kept when those are whole. */
	struct diags md;
	diags_init(&md, c->arena);
	struct value *model = model_build(c->arena, &md, part, spec_name);
	bool keep = model != NULL;
	for (size_t i = 0; i < n && keep; i++)
		keep = strcmp(unsound[i], "strimzi") && strncmp(unsound[i], "kafka", 5);
	for (size_t i = 0; keep && i < md.n; i++) {
		const struct diag *g = &md.items[i];
		diag_pos(&c->diags, g->sev, g->file, g->line, g->col, g->id, g->hint, "%s", g->msg);
	}
	diags_free(&md);
	if (model)
		spec_check_sound(c->arena, &c->diags, part, model, c->kafka, unsound, n);
}

/* The model of a loaded spec, or NULL when the spec is not valid. */
static struct value *compile(struct ctx *c, struct value *spec, const char *spec_name, size_t before)
{
	size_t first = c->diags.n;
	if (!spec || c->diags.nerrors > before)
		return NULL;
	if (!c->schema) {
		struct arena *ka = c->keep ? c->keep : c->arena;
		const char *sp = arena_printf(ka, "%s/%s", data_path(c, "schemas"), SPEC_SCHEMA);
		c->schema = schema_load(ka, &c->diags, sp);
		if (!c->schema)
			return NULL;
		schema_set_defer_checked(c->schema, true);
		/* 6.0 is not a broker count: the model reads integers only. */
		schema_set_integer_literal(c->schema, true);
		c->kafka = kafka_tables_load(ka, &c->diags, arena_printf(ka, "%s/kafka", data_path(c, "schemas")));
		if (!c->kafka)
			return NULL;
	}
	schema_validate(&c->diags, c->schema, spec);
	if (c->diags.nerrors > before) {
		check_sound_part(c, spec, spec_name, first);
		return NULL;
	}
	spec = defaults_apply(c->arena, c->schema, spec, c->defaults);
	if (c->bootstrap)
		spec = bootstrap_phase(c->arena, spec);
	if (c->testid && !(spec = testid_apply(c->arena, &c->diags, spec, c->testid)))
		return NULL;
	struct value *model = model_build(c->arena, &c->diags, spec, spec_name);
	if (!model)
		return NULL;
	if (c->testid)
		testid_check(c->arena, &c->diags, spec, model, c->testid);
	/* The checks' own tables (per-user grants, names) die with them; the
	 * diagnostics copy their text into the diagnostics' arena. */
	struct arena *ca = arena_new();
	spec_check(ca, &c->diags, spec, model, c->kafka);
	arena_free(ca);
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

struct value *model_load_tree(struct ctx *c, struct value *spec, const char *spec_name)
{
	return compile(c, spec, spec_name, c->diags.nerrors);
}
