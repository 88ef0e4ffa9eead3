/* helm_chart.h - what Phalanx's alert-stream-broker chart can express.
 *
 * The Helm values (templates/helm/values.yaml) feed the chart as it was
 * last deployed (../shared/reference/phalanx/chart/alert-stream-broker/):
 * its templates read fixed keys and hard-code much of the rest.  This is
 * the one place that knows those facts.  helm_chart_model() derives the
 * model's `helm` section (the spec's topics mapped onto the chart's five
 * topic families, the Kafka config the chart does not hard-code), and
 * check_helm.c reads it to warn, at the spec's line, about whatever the
 * Helm path will lack.  The template keeps the chart's key names (the
 * shape); tests/suite_helm.sh renders the values through the real chart
 * and compares the result with kubernetes/ by meaning.
 */
#ifndef ASBGEN_HELM_CHART_H
#define ASBGEN_HELM_CHART_H

#include "value.h"

struct arena;

/* The chart's topic families (kafka-topics.yaml): one KafkaTopic each,
 * always rendered, with cleanup.policy delete, message.timestamp.type
 * LogAppendTime and one compression.type (topicCompression) for all. */
struct helm_family {
	const char *id;        /* key under model.helm.families */
	const char *name;      /* the topic Phalanx gave it: matched first, and a placeholder's name */
	const char *retention; /* the family whose retention keys it reads (latiss reads the test topic's) */
};
extern const struct helm_family helm_families[];
extern const size_t helm_nfamilies;

/* Topic configs every family sets the same way, whatever the values say. */
#define HELM_TOPIC_CLEANUP "delete"
#define HELM_TOPIC_TIMESTAMP "LogAppendTime"

/* Broker configs kafka.yaml writes itself before the values' kafka.config
 * (a second entry of one of these keys would be a duplicate YAML key). */
struct helm_fixed_config {
	const char *key, *value;
};
extern const struct helm_fixed_config helm_fixed_config[];
extern const size_t helm_nfixed_config;

/* Other values the chart's templates hard-code. */
#define HELM_CONTROLLER_POOL "controller"
#define HELM_BROKER_POOL "kafka"
#define HELM_NEXT_NODE_IDS_MAX 99     /* the broker pool's next-node-ids: [0-99] */
#define HELM_NODEPOOL_API "v1beta2"   /* the node pools' apiVersion */
#define HELM_INGESTER_REPLICAS 24
#define HELM_SERVER_REPLICAS 1
#define HELM_REGISTRY_TOPIC_PARTITIONS 1
#define HELM_REGISTRY_TOPIC_REPLICAS 3
#define HELM_REGISTRY_ISSUER "letsencrypt-dns"

/* users.yaml and superuser.yaml: every user and superuser is a SCRAM
 * KafkaUser; a user's readonlyTopics get these operations, literal, and
 * its groups All, as prefixes; a superuser gets All on topic "*". */
#define HELM_USER_AUTH "scram-sha-512"
extern const char *const helm_read_ops[]; /* NULL-terminated */
#define HELM_GROUP_PATTERN "prefix"
#define HELM_GROUP_OP "All"

/* kafka.yaml's internal listeners, fixed: name, port, tls, authentication. */
struct helm_listener {
	const char *name;
	long long port;
	bool tls;
	const char *authentication;
};
extern const struct helm_listener helm_listeners[];
extern const size_t helm_nlisteners;

/* A placeholder for a family no spec topic takes: the chart renders it
 * anyway, so it gets the smallest footprint the values can give it. */
#define HELM_PLACEHOLDER_PARTITIONS 1
#define HELM_PLACEHOLDER_RETENTION_MS 604800000LL    /* the chart's "7 days" */
#define HELM_PLACEHOLDER_RETENTION_BYTES 1000000000LL

/* The model's `helm` mapping, from the rest of the model. */
struct value *helm_chart_model(struct arena *a, const struct value *model);

/* The fixed value the chart writes for a broker config key, or NULL. */
const char *helm_fixed_config_value(const char *key);

/* A scalar's text as the chart's config lines compare ("3", "false"). */
const char *helm_scalar_text(struct arena *a, const struct value *v);

#endif
