/* check.h - the semantic checks of an environment spec (run by model_load
 * after the schema check passes and the model is built, so shapes and types
 * are already right and every default is resolved).
 *
 * Each check has a stable id (documented in the README's "Semantic checks")
 * and reports at the YAML node that causes the problem, with the numbers
 * in the message and a hint.  All checks run; every problem is reported.
 * Values come from the model, which resolved them once (broker node ids,
 * topics with their replicas, retention and policy); the spec (with its
 * defaults filled in) only says where the user wrote what: a node with
 * VF_DEFAULT was not written, so "report here, else there" passes it by
 * (check_written).
 */
#ifndef ASBGEN_CHECK_H
#define ASBGEN_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "dns1123.h" /* DNS-1123 labels and subdomains */
#include "hashmap.h"
#include "suggest.h" /* "did you mean" */
#include "model.h"
#include "value.h"

struct arena;
struct diags;
struct strimzi_release;
struct kafka_tables;

/* Run every check; returns the number of errors reported (warnings are
 * reported too but not counted). */
/* kafka: the Kafka config tables (kafka_config.h); NULL skips those checks. */
int spec_check(struct arena *a, struct diags *d, const struct value *spec, const struct value *model,
	       const struct kafka_tables *kafka);
/* The same for a spec from which spec_sound_part took the sections that
 * held schema errors (unsound[0..n), "users" or "kafka.config"): only the
 * groups of checks that read none of them run (the table in check.c). */
int spec_check_sound(struct arena *a, struct diags *d, const struct value *spec, const struct value *model,
		     const struct kafka_tables *kafka, const char *const *unsound, size_t nunsound);

/* ---- shared by check_*.c ---- */

/* A node pool's Kafka node ids: nodeIds, else count ids from first. */
struct pool {
	const char *key;            /* "brokers" or "controllers" */
	const struct value *node;   /* kafka.<key>, may be NULL */
	const struct value *ids;    /* kafka.<key>.nodeIds, or NULL */
	const struct value *count;  /* kafka.<key>.count, or NULL */
	long long n, first;
	bool ok;                    /* n is usable (not absurdly large) */
};

/* A Kafka topic of the model (model.topics, model.registry.topic), with
 * the positions the checks report at. */
struct topic {
	const char *name;
	const char *origin;           /* "topics[3].name", "simulator.replayTopic", ... */
	const struct value *at;       /* the node naming it (for diagnostics) */
	bool builtin;
	long long partitions;
	const struct value *partitions_at; /* NULL when not written */
	long long replicas;
	const struct value *replicas_at; /* NULL when derived from the broker count */
	bool replicas_from_defaults;     /* given by topicDefaults.replicas */
	const struct value *config;      /* the configs the user wrote (the topic's over topicDefaults') */
	const struct value *dflt;        /* topicDefaults (when it applies), or NULL */
	/* retention.bytes below the configs: the topic's, else topicDefaults' */
	long long bytes;                 /* -1: not set at that level */
	const struct value *bytes_at;
	bool bytes_fit;                  /* bytes x partitions x replicas fits in 63 bits */
	long long ms;                    /* retention.ms likewise; 0: not set */
	const struct value *ms_at;
	const char *cleanup;             /* cleanup.policy in effect */
};

struct check {
	struct arena *a;
	struct diags *d;
	const struct value *spec;   /* with defaults: for positions */
	const struct value *model;  /* for values */
	bool gke;
	const struct strimzi_release *strimzi;
	const struct kafka_tables *kafka;
	struct pool brokers, controllers;
	struct topic *topics;
	size_t ntopics;
	const char *const *unsound; /* sections that held schema errors (spec_check_sound) */
	size_t nunsound;
};

/* Are the spec sections `reads` (NULL-terminated: "users", "kafka.config")
 * free of schema errors?  A check runs on them only then. */
bool check_reads_sound(const struct check *c, const char *const *reads);

void check_error(struct check *c, const struct value *at, const char *id, const char *hint,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void check_warning(struct check *c, const struct value *at, const char *id, const char *hint,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The first of these nodes that exists (for "report here, else there"). */
const struct value *check_first(const struct value *a, const struct value *b, const struct value *c);
/* v when the user wrote it, NULL when it is absent, a default or derived. */
const struct value *check_written(const struct value *v);

long long check_pool_id(const struct pool *p, long long i);
const struct value *check_pool_id_at(const struct pool *p, long long i);
bool check_pool_has(const struct pool *p, long long id);
/* "6-11" or "0, 2, 5-7" (at most a few ranges, then "..."). */
const char *check_pool_ids_text(struct check *c, const struct pool *p);
/* The same text for n ids (sorted in place). */
const char *check_ids_text(struct check *c, long long *ids, long long n);

/* A config value that must be an integer: an integer, or a string of
 * one.  Returns false when v is something else. */
bool check_config_int(const struct value *v, long long *out);
/* Topic config key the user set: the topic's config, then
 * topicDefaults.config (as the model merged them).  NULL when neither does. */
const struct value *check_topic_config(const struct topic *t, const char *key);

/* A set of names with the index each was first added under, so that
 * checks of 10,000 users stay linear. */
struct nameset {
	struct hashmap m; /* hashmap.h, in the check's arena */
};
void check_nameset_init(struct check *c, struct nameset *ns, size_t n);
/* The index s was added with, or SIZE_MAX. */
size_t check_nameset_find(const struct nameset *ns, const char *s);
/* Add s under idx unless present; returns the index it has in the set. */
size_t check_nameset_add(struct nameset *ns, const char *s, size_t idx);

bool check_hostname(const char *s);      /* RFC 1123 host name, any case, <= 253 */

void check_cluster(struct check *c);  /* versions, pools, node ids, resources, GKE, storage */
void check_topics(struct check *c);   /* topic names, replicas, disk, schemas */
void check_users(struct check *c);    /* user names, roles, transactional ids, ACLs, listeners */
void check_network(struct check *c);  /* external listener, IPs, MetalLB range */
void check_kafka_config(struct check *c);
/* The spec's acceptWarnings against the warnings reported since d->n was from. */
void check_accept(struct check *c, size_t from); /* kafka.config and topic configs against Kafka's and Strimzi's tables */
void check_helm(struct check *c);     /* what the Phalanx chart cannot deploy (warnings) */
void check_terraform(struct check *c); /* what the Terraform modules can create */
void check_components(struct check *c); /* what the optional components need */

#endif
