/* defaults.h - fill the schema's `default`s into a validated spec.
 *
 * The schema is the one home of the spec's defaults: this phase runs after
 * the schema check (and the semantic checks) and before the model, so
 * model.c reads values, never fallbacks.  The rules, applied along the
 * schema's `properties`, `items`, `allOf`, local `$ref`s and the
 * `oneOf`/`anyOf` branches that take a mapping:
 *
 *  - a key the spec leaves out gets a copy of its `default`, and that copy
 *    is filled in turn (a `taint: {}` default gets its key, value, effect);
 *  - a left-out mapping with no `default` and no `required` keys is made
 *    empty and filled, and kept when it got anything (`kafka.brokers`);
 *  - a left-out mapping with required keys (`platform.gke` on bare metal)
 *    is not made up.
 *
 * Every filled node carries VF_DEFAULT and the mark of the nearest mapping
 * the user wrote, so a diagnostic about a defaulted value points at the
 * mapping it lives in.  Mappings are copied before they gain keys (YAML
 * aliases may share them); everything else is shared with the input.
 */
#ifndef ASBGEN_DEFAULTS_H
#define ASBGEN_DEFAULTS_H

#include <stddef.h>

#include "value.h"

struct arena;
struct schema;

/* One default filled in: its spec path ("kafka.brokers.count",
 * "topics[2].x") and the node put there. */
struct default_fill {
	const char *path;
	const struct value *node;
};

struct defaults {
	struct default_fill *items;
	size_t n, cap;
};

/* The spec with every default filled (spec itself when nothing was
 * missing).  Records each filled default in *out when out is not NULL. */
struct value *defaults_apply(struct arena *a, const struct schema *s, struct value *spec,
			     struct defaults *out);

/* The spec path a filled node was put at, or NULL (d may be NULL). */
const char *defaults_path_of(const struct defaults *d, const struct value *node);

#endif
