/* live.h - the live side of `asbgen diff --live`: the cluster's objects.
 *
 * For each rendered Kubernetes object, the object the API server holds,
 * cleaned so that a diff shows what asbgen would change and nothing else:
 *
 *  - what the server adds is removed: status, metadata.managedFields,
 *    resourceVersion, uid, generation, creationTimestamp, selfLink, the
 *    kubectl.kubernetes.io/last-applied-configuration annotation (an
 *    annotations map left empty goes too);
 *  - of the rest, only fields that the rendered object sets, or that the
 *    last applied configuration set, are kept: defaults the API server
 *    fills in (a Deployment's strategy, a Service's clusterIP) and fields
 *    other controllers own are not asbgen's to change, while a field a
 *    previous render applied and this one drops still shows as a removal.
 *
 * Objects absent from the cluster (404) are left out of the live set, so
 * the diff shows them as additions.  Prune candidates: objects of the
 * rendered kinds in the rendered namespaces that asbgen does not render,
 * except those another controller made (they have ownerReferences: what
 * Strimzi and the registry operator create beside asbgen's objects) and
 * are not labelled app.kubernetes.io/managed-by=asbgen.  Unowned objects
 * without the label are candidates too: what an earlier deployment (the
 * Phalanx charts) left behind is exactly what a prune sync removes.
 */
#ifndef ASBGEN_LIVE_H
#define ASBGEN_LIVE_H

#include <stdbool.h>

#include "kubeconfig.h"
#include "objset.h"

struct arena;
struct diags;

struct live_opts {
	struct kubeconfig_source src; /* --kubeconfig, KUBECONFIG, HOME, --context */
	bool insecure;                /* --insecure-skip-tls-verify */
	long timeout_ms;              /* --request-timeout */
};

#define LIVE_DEFAULT_TIMEOUT_MS 30000L
#define LIVE_MANAGED_LABEL "app.kubernetes.io/managed-by"
#define LIVE_MANAGED_VALUE "asbgen"

/* Is o an object the cluster would hold (not a File, not the
 * kustomization)? */
bool live_is_cluster_object(const struct object *o);

struct kube;
struct kube_resource;

/* The kubeconfig's context, connected (kube.h); *label (may be NULL) as
 * below.  NULL after reporting (kubeconfig-*, kube-libcurl). */
struct kube *live_connect(struct arena *a, struct diags *d, const struct live_opts *o, const char **label);

/* API paths and names for messages: the collection of a discovered
 * resource (/api/v1[/namespaces/NS]/PLURAL, /apis/G/V[...]), one path
 * segment percent-encoded, "PLURAL.GROUP", " in namespace NS" ("" for a
 * cluster-scoped resource). */
const char *live_collection_path(struct arena *a, const char *group, const char *version,
				 const struct kube_resource *r, const char *ns);
const char *live_segment(struct arena *a, const char *s);
const char *live_resource_name(struct arena *a, const char *group, const struct kube_resource *r);
const char *live_in_ns(struct arena *a, const struct kube_resource *r, const char *ns);

/* Fetch the live objects of `rendered` (its cluster objects; the rest is
 * skipped).  live and prune are appended to; *label (may be NULL) names
 * the cluster: "cluster https://HOST:PORT (context NAME)".
 * Returns 0, or -1 after reporting (kubeconfig-*, kube-*): exit 2. */
int live_fetch(struct arena *a, struct diags *d, const struct live_opts *o, const struct objset *rendered,
	       struct objset *live, struct objset *prune, const char **label);

/* Remove what the server adds (see above); a new tree, obj untouched. */
struct value *live_strip(struct arena *a, const struct value *obj);

/* Keep of `live` the fields that one of keep[0..n) sets (mappings by key;
 * sequence items by `name` when they have one, else by index; items with
 * no counterpart are kept whole, so they show as additions).  A new tree. */
struct value *live_project(struct arena *a, const struct value *live, const struct value *const *keep, size_t n);

/* strip, then project on the rendered object and on the last-applied
 * configuration when the live object carries one. */
struct value *live_clean(struct arena *a, const struct value *obj, const struct value *rendered);

#endif
