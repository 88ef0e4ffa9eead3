/* unit_spec.h - a spec as the model sees it, for unit tests of the model
 * and the templates: loaded, with the schema's defaults filled in (the
 * schema check and the semantic checks are the callers' business). */
#ifndef ASBGEN_UNIT_SPEC_H
#define ASBGEN_UNIT_SPEC_H

#include "defaults.h"
#include "load.h"
#include "schema.h"

#include <string.h>

/* The loaded spec with the defaults filled in; NULL passes through. */
static inline struct value *unit_spec_defaults(struct arena *a, struct diags *d, struct value *spec)
{
	struct schema *s = spec ? schema_load(a, d, "schemas/environment.schema.json") : NULL;
	spec = s ? defaults_apply(a, s, spec, NULL) : NULL;
	schema_free(s);
	return spec;
}

static inline struct value *unit_spec_text(struct arena *a, struct diags *d, const char *label, const char *text)
{
	return unit_spec_defaults(a, d, load_yaml_string(a, d, label, text, strlen(text)));
}

static inline struct value *unit_spec_file(struct arena *a, struct diags *d, const char *path)
{
	return unit_spec_defaults(a, d, load_yaml_file(a, d, path));
}

#endif
