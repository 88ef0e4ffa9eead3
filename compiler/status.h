/* status.h - `asbgen status --live`: the troubleshooting chapter of the
 * operator's manual, run against the cluster.
 *
 * For everything the spec renders, what the cluster says about it, in the
 * manual's terms and with the manual's fix:
 *
 *  - an object the spec renders that the cluster does not have, or whose
 *    kind it does not serve (an operator missing);
 *  - Strimzi and registry resources (Kafka, KafkaNodePool, KafkaTopic,
 *    KafkaUser, StrimziSchemaRegistry) and cert-manager Certificates whose
 *    Ready condition is False (reason and message), or that their operator
 *    has not reconciled yet; Warning conditions as warnings;
 *  - KafkaTopics stuck deleting on their finalizers, with the manual's
 *    `kubectl patch` that releases them;
 *  - broker, controller and workload pods crash looping, failing to pull
 *    their image, or Pending (the scheduler's reason);
 *  - Deployments with fewer available replicas than asked; Jobs that
 *    failed (the schema sync Job: the registry's compatibility level);
 *  - broker volumes (PVCs) Pending, or smaller than the spec's storage
 *    (a resize not done: the storage class must allow expansion);
 *  - LoadBalancer Services without an external address, or with one that
 *    is not the spec's pinned IP; pinned IPs no Service asks for;
 *  - KafkaUser password Secrets (filled by VaultSecret from Vault) that do
 *    not exist or lack the user's key.  Only key names are looked at;
 *    values are never kept in findings or printed.
 *
 * What the API cannot tell is not guessed: a full disk (kubelet metrics),
 * the registry's schemas (its HTTP API, inside the cluster).
 */
#ifndef ASBGEN_STATUS_H
#define ASBGEN_STATUS_H

#include <stddef.h>

struct arena;
struct diags;
struct kube;
struct objset;

enum finding_sev { FINDING_DEGRADED, FINDING_WARNING };

struct finding {
	enum finding_sev sev;
	const char *rule;              /* status-not-ready, status-topic-stuck, ... */
	const char *kind, *ns, *name;  /* the object it is about */
	const char *msg;               /* what is wrong */
	const char *fix;               /* the manual's fix, or NULL */
};

struct status_report {
	struct finding *items;
	size_t n, cap;
	size_t checked;                /* objects read from the cluster */
};

/* Read the cluster's state for `rendered` (sorted) and add findings.
 * Returns 0, or -1 when the cluster could not be read (reported: the
 * report is then incomplete, exit 2). */
int status_check(struct arena *a, struct diags *d, struct kube *k, const struct objset *rendered,
		 struct status_report *out);

#endif
