/* strimzi.h - facts about Strimzi releases (from each release's
 * kafka-versions.yaml and CRDs): the Kafka CRD API versions served and the
 * Kafka versions supported, the last being Strimzi's default. */
#ifndef ASBGEN_STRIMZI_H
#define ASBGEN_STRIMZI_H

#include <stdbool.h>
#include <stddef.h>

struct strimzi_release {
	const char *version;
	const char *apis;     /* served Kafka CRD versions, preferred first: "v1 v1beta2" */
	const char *kafka;    /* supported Kafka versions, space-separated, default last */
};

#define STRIMZI_DEFAULT_VERSION "1.0.0"

const struct strimzi_release *strimzi_find(const char *version);
/* The table, for listing in messages. */
const struct strimzi_release *strimzi_releases(size_t *n);
bool strimzi_supports_kafka(const struct strimzi_release *r, const char *kafka);
/* Copy the default (last) Kafka version into buf. */
void strimzi_default_kafka(const struct strimzi_release *r, char *buf, size_t len);
bool strimzi_serves_api(const struct strimzi_release *r, const char *api);

#endif
