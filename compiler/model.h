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

/* Derived defaults (the spec's own defaults live in the schema).  The
 * semantic checks read node ids from the model; these say where count
 * ids start and how many the model gives ids (check.c reports more). */
#define MODEL_BROKER_FIRST_ID 0       /* node ids of count brokers: 0.. */
#define MODEL_CONTROLLER_FIRST_ID 100 /* and of count controllers: 100.. */
#define MODEL_MAX_POOL 1000           /* brokers or controllers given node ids */

/* lsst/idf_deploy's alertdb module names its buckets <prefix>-<location>-
 * <name> (terraform-google-modules/cloud-storage) with the prefix
 * rubin-alertdb-<environment> and the location it fixes, us-central1: the
 * only names it can create (model.c derives its environment from them;
 * testid.c tags it). */
#define ALERTDB_TF_PREFIX "rubin-alertdb-"
#define ALERTDB_TF_PACKETS "-us-central1-packets"
#define ALERTDB_TF_SCHEMAS "-us-central1-schemas"

/* Replicas of a topic that sets none: the broker count, at most 3. */
static inline long long model_default_replicas(long long brokers) { return brokers < 3 ? brokers : 3; }

/* spec_name: the spec's file name as recorded in outputs (a basename, so
 * the bytes do not depend on where asbgen was run from).
 * Returns NULL after reporting when the spec cannot be resolved. */
struct value *model_build(struct arena *a, struct diags *d, const struct value *spec,
			  const char *spec_name);

/* Kubernetes object name for a Kafka topic name: the name itself when it is
 * a valid DNS-1123 subdomain, else a sanitised name with a hash suffix. */
const char *topic_object_name(struct arena *a, const char *topic);

#endif
