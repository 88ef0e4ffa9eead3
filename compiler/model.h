/* model.h - resolve a validated spec into the model templates see.
 *
 * The model is where the logic lives: defaults are filled, values derived
 * (replication factors from the broker count, ACLs from topic lists, object
 * names from topic names, per-platform listener settings), so templates
 * only place values.  `asbgen model SPEC` prints it as JSON.
 */
#ifndef ASBGEN_MODEL_H
#define ASBGEN_MODEL_H

#include "value.h"

struct arena;
struct diags;

/* spec_name: the spec's file name as recorded in outputs (a basename, so
 * the bytes do not depend on where asbgen was run from).
 * Returns NULL after reporting when the spec cannot be resolved. */
struct value *model_build(struct arena *a, struct diags *d, const struct value *spec,
			  const char *spec_name);

/* Kubernetes object name for a Kafka topic name: the name itself when it is
 * a valid DNS-1123 subdomain, else a sanitised name with a hash suffix. */
const char *topic_object_name(struct arena *a, const char *topic);

#endif
