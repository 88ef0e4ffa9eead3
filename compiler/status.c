/* status.c - the cluster's state for what the spec renders (see status.h). */
#include "status.h"
#include "arena.h"
#include "diag.h"
#include "kube.h"
#include "live.h"
#include "objset.h"
#include "quantity.h"
#include "value.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define STRIMZI_GROUP "kafka.strimzi.io"
#define REGISTRY_GROUP "roundtable.lsst.codes"
#define CLUSTER_LABEL "strimzi.io/cluster"
#define POOL_LABEL "strimzi.io/pool-name"

#define FIX_OPERATOR_LOGS "look at the operator's log (the strimzi application in Argo CD, or kubectl logs deploy/strimzi-cluster-operator)"
#define FIX_SYNC "sync the Argo CD application (asbgen diff --live shows what the sync adds)"
#define FIX_BROKER_CRASH                                                                                          \
	"if every broker fails they may be out of storage: raise kafka.nodePools[].storage or lower the topics' "      \
	"retention, render and sync; if restarted brokers keep crash looping, delete their PersistentVolumeClaims so " \
	"they rebuild (kubectl delete pvc --namespace %s -l strimzi.io/pool-name=%s; replicas on other brokers "      \
	"refill them)"

struct st {
	struct arena *a;
	struct diags *d;
	struct kube *k;
	struct status_report *r;
	const struct objset *rendered;
	int rc;
};

static void add(struct st *s, enum finding_sev sev, const char *rule, const char *kind, const char *ns,
		const char *name, const char *fix, const char *fmt, ...) __attribute__((format(printf, 8, 9)));

static void add(struct st *s, enum finding_sev sev, const char *rule, const char *kind, const char *ns,
		const char *name, const char *fix, const char *fmt, ...)
{
	struct status_report *r = s->r;
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 16;
		r->items = arena_realloc(s->a, r->items, r->cap * sizeof *r->items, cap * sizeof *r->items);
		r->cap = cap;
	}
	va_list ap;
	va_start(ap, fmt);
	r->items[r->n++] = (struct finding){ sev, rule, kind, ns ? ns : "", name, arena_vprintf(s->a, fmt, ap), fix };
	va_end(ap);
}

/* ---- reading the cluster ---- */

/* The resource of group/version/kind; the group's preferred version when
 * that one is not served (*version updated).  KUBE_ABSENT: not served. */
static enum kube_status resource(struct st *s, const char *group, const char **version, const char *kind,
				 struct kube_resource *res)
{
	enum kube_status st = kube_discover(s->k, group, *version, kind, res);
	if (st != KUBE_ABSENT || !*group)
		return st;
	const char *pv;
	st = kube_preferred_version(s->k, group, &pv);
	if (st != KUBE_OK)
		return st;
	st = kube_discover(s->k, group, pv, kind, res);
	if (st == KUBE_OK)
		*version = pv;
	return st;
}

/* GET one object as the server holds it. */
static enum kube_status get(struct st *s, const char *group, const char *version, const char *kind, const char *ns,
			    const char *name, struct value **out)
{
	struct kube_resource res;
	enum kube_status st = resource(s, group, &version, kind, &res);
	if (st != KUBE_OK)
		return st;
	const char *path = arena_printf(s->a, "%s/%s", live_collection_path(s->a, group, version, &res, ns),
					live_segment(s->a, name));
	st = kube_get(s->k, path,
		      arena_printf(s->a, "get %s \"%s\"%s", live_resource_name(s->a, group, &res), name,
				   live_in_ns(s->a, &res, ns)),
		      out);
	if (st == KUBE_OK)
		s->r->checked++;
	return st;
}

/* The items of a kind in a namespace, with a label selector (key=value,
 * or NULL).  NULL when the kind is not served or the list failed (then
 * s->rc is -1). */
static const struct value *list(struct st *s, const char *group, const char *version, const char *kind,
				const char *ns, const char *selector)
{
	struct kube_resource res;
	enum kube_status st = resource(s, group, &version, kind, &res);
	if (st == KUBE_FAILED)
		s->rc = -1;
	if (st != KUBE_OK)
		return NULL;
	const char *path = live_collection_path(s->a, group, version, &res, ns);
	if (selector)
		path = arena_printf(s->a, "%s?labelSelector=%s", path, live_segment(s->a, selector));
	struct value *v = NULL;
	st = kube_get(s->k, path,
		      arena_printf(s->a, "list %s%s", live_resource_name(s->a, group, &res), live_in_ns(s->a, &res, ns)),
		      &v);
	if (st == KUBE_FAILED)
		s->rc = -1;
	if (st != KUBE_OK)
		return NULL;
	const struct value *items = map_get(v, "items");
	if (!items || items->kind != V_SEQ) {
		diag_pos(s->d, SEV_ERROR, NULL, 0, 0, "kube-junk", "is the server a Kubernetes API server?",
			 "the answer to GET %s is not a list (no items)", kube_url(s->k, path));
		s->rc = -1;
		return NULL;
	}
	s->r->checked += items->seq.n;
	return items;
}

static const char *str_at(const struct value *v, const char *path)
{
	return v_as_str(v_path(v, path), NULL);
}

/* ---- conditions ---- */

static const struct value *condition(const struct value *obj, const char *type)
{
	const struct value *cs = v_path(obj, "status.conditions");
	if (!cs || cs->kind != V_SEQ)
		return NULL;
	for (size_t i = 0; i < cs->seq.n; i++)
		if (!strcmp(v_as_str(map_get(cs->seq.items[i], "type"), ""), type))
			return cs->seq.items[i];
	return NULL;
}

static bool cond_is(const struct value *c, const char *status)
{
	return c && !strcmp(v_as_str(map_get(c, "status"), ""), status);
}

static const char *cond_text(struct st *s, const struct value *c)
{
	const char *reason = v_as_str(map_get(c, "reason"), NULL), *msg = v_as_str(map_get(c, "message"), NULL);
	if (reason && msg)
		return arena_printf(s->a, "%s: %s", reason, msg);
	return reason ? reason : msg ? msg : "no reason given";
}

/* Strimzi's and cert-manager's Ready (Strimzi also says NotReady: True). */
static void check_ready(struct st *s, const struct object *o, const struct value *v)
{
	const struct value *ready = condition(v, "Ready"), *notready = condition(v, "NotReady");
	const struct value *warn = condition(v, "Warning");
	long long gen = v_as_int(v_path(v, "metadata.generation"), 0);
	long long seen = v_as_int(v_path(v, "status.observedGeneration"), -1);
	const char *fix = !strcmp(o->kind, "Certificate") ? "look at cert-manager's log and the Certificate's events "
							     "(kubectl describe certificate)"
							   : FIX_OPERATOR_LOGS;
	if (cond_is(notready, "True") || cond_is(ready, "False"))
		add(s, FINDING_DEGRADED, "status-not-ready", o->kind, o->ns, o->name, fix, "not ready: %s",
		    cond_text(s, cond_is(notready, "True") ? notready : ready));
	else if (!cond_is(ready, "True"))
		add(s, FINDING_DEGRADED, "status-not-reconciled", o->kind, o->ns, o->name, fix,
		    "not reconciled yet: its operator has not reported it Ready");
	else if (seen >= 0 && gen > seen)
		add(s, FINDING_WARNING, "status-not-reconciled", o->kind, o->ns, o->name, fix,
		    "generation %lld is not reconciled yet (the operator last saw %lld)", gen, seen);
	if (cond_is(warn, "True"))
		add(s, FINDING_WARNING, "status-warning", o->kind, o->ns, o->name, NULL, "%s", cond_text(s, warn));
}

static void check_deployment(struct st *s, const char *kind, const char *ns, const char *name, const struct value *v)
{
	long long want = v_as_int(v_path(v, "spec.replicas"), 1);
	long long avail = v_as_int(v_path(v, "status.availableReplicas"), 0);
	if (avail < want)
		add(s, FINDING_DEGRADED, "status-unavailable", kind, ns, name,
		    "look at its pods below, and kubectl describe deployment for its events",
		    "%lld of %lld replicas available", avail, want);
}

static void check_job(struct st *s, const struct object *o, const struct value *v)
{
	const struct value *failed = condition(v, "Failed");
	if (!cond_is(failed, "True"))
		return;
	/* The manual's schema sync Job (registry-sync-schema-job.yaml). */
	bool sync = strstr(o->name, "sync-schema") != NULL;
	add(s, FINDING_DEGRADED, "status-job-failed", o->kind, o->ns, o->name,
	    sync ? "check that the schema registry is Ready (StrimziSchemaRegistry above) and that its compatibility "
		   "level is NONE, not the default FORWARD (registry.compatibility in the spec); then delete the "
		   "Job and sync again to rerun it"
		 : "read its pod's log (kubectl logs job/NAME), fix the cause, delete the Job and sync again",
	    "failed: %s", cond_text(s, failed));
}

/* ---- pods ---- */

static bool labels_match(const struct value *labels, const struct value *selector)
{
	if (!selector || selector->kind != V_MAP || selector->map.n == 0)
		return false;
	for (size_t i = 0; i < selector->map.n; i++) {
		const struct pair *p = &selector->map.items[i];
		const char *want = v_as_str(p->val, NULL), *got = v_as_str(map_get(labels, p->key->str.s), NULL);
		if (!want || !got || strcmp(want, got) != 0)
			return false;
	}
	return true;
}

static void check_containers(struct st *s, const char *ns, const char *pod, const struct value *statuses,
			     bool kafka, const char *pool)
{
	if (!statuses || statuses->kind != V_SEQ)
		return;
	for (size_t i = 0; i < statuses->seq.n; i++) {
		const struct value *c = statuses->seq.items[i];
		const char *cname = v_as_str(map_get(c, "name"), "?");
		const char *why = str_at(c, "state.waiting.reason");
		if (!why)
			continue;
		long long restarts = v_as_int(map_get(c, "restartCount"), 0);
		const char *last = str_at(c, "lastState.terminated.reason");
		if (!strcmp(why, "CrashLoopBackOff"))
			add(s, FINDING_DEGRADED, "status-pod-crashloop", "Pod", ns, pod,
			    kafka ? arena_printf(s->a, FIX_BROKER_CRASH, ns, pool ? pool : "POOL")
				  : arena_printf(s->a, "read its log (kubectl logs --previous %s -c %s --namespace %s)", pod,
						 cname, ns),
			    "container %s is crash looping (%lld restarts%s%s)", cname, restarts,
			    last ? "; last ended: " : "", last ? last : "");
		else if (!strcmp(why, "ImagePullBackOff") || !strcmp(why, "ErrImagePull") ||
			 !strcmp(why, "InvalidImageName"))
			add(s, FINDING_DEGRADED, "status-pod-image", "Pod", ns, pod,
			    "check the image and tag in the spec (they must exist in the registry)",
			    "container %s cannot get its image (%s)", cname, why);
		else if (!strcmp(why, "CreateContainerConfigError"))
			add(s, FINDING_DEGRADED, "status-pod-config", "Pod", ns, pod,
			    "a Secret or ConfigMap it mounts, or a key in it, is missing (see the Secret findings)",
			    "container %s cannot start: %s", cname, v_as_str(v_path(c, "state.waiting.message"), why));
	}
}

static void check_pod(struct st *s, const char *ns, const struct value *pod, bool kafka)
{
	const char *name = v_as_str(v_path(pod, "metadata.name"), "?");
	const char *phase = v_as_str(v_path(pod, "status.phase"), "");
	if (!strcmp(phase, "Pending")) {
		const struct value *sch = condition(pod, "PodScheduled");
		if (cond_is(sch, "False")) {
			add(s, FINDING_DEGRADED, "status-pod-pending", "Pod", ns, name,
			    kafka ? "the node pool must have nodes with the labels and taints the spec gives "
				    "(kafka.nodePools[].nodeLabels, dedicatedNodes) and the CPU and memory it asks for, "
				    "and its volumes must bind (see the PersistentVolumeClaim findings)"
				  : "free or add nodes, or lower the resources the spec asks for",
			    "cannot be scheduled: %s", cond_text(s, sch));
			return;
		}
	}
	if (!strcmp(phase, "Failed"))
		add(s, FINDING_DEGRADED, "status-pod-failed", "Pod", ns, name, NULL, "failed: %s",
		    v_as_str(v_path(pod, "status.reason"), "no reason given"));
	const char *pool = v_as_str(map_get(v_path(pod, "metadata.labels"), POOL_LABEL), NULL);
	check_containers(s, ns, name, v_path(pod, "status.initContainerStatuses"), kafka, pool);
	check_containers(s, ns, name, v_path(pod, "status.containerStatuses"), kafka, pool);
}

/* The pods of the Kafka cluster, and of each rendered Deployment. */
static void check_pods(struct st *s, const char *ns, const char *cluster)
{
	const struct value *pods = list(s, "", "v1", "Pod", ns, NULL);
	if (!pods)
		return;
	for (size_t i = 0; i < pods->seq.n; i++) {
		const struct value *p = pods->seq.items[i];
		const struct value *labels = v_path(p, "metadata.labels");
		bool kafka = cluster && !strcmp(v_as_str(map_get(labels, CLUSTER_LABEL), ""), cluster) &&
			     map_get(labels, POOL_LABEL);
		bool ours = kafka;
		for (size_t j = 0; j < s->rendered->n && !ours; j++) {
			const struct object *o = &s->rendered->items[j];
			if (!strcmp(o->kind, "Deployment") && !strcmp(o->ns ? o->ns : "", ns))
				ours = labels_match(labels, v_path(o->v, "spec.selector.matchLabels"));
		}
		if (ours)
			check_pod(s, ns, p, kafka);
	}
}

/* ---- volumes ---- */

/* The spec's size of volume `id` of pool `pool` (-1: any), or NULL. */
static const struct value *pool_size(const struct st *s, const char *ns, const char *pool, long long id)
{
	const struct object *o = objset_find(s->rendered, STRIMZI_GROUP, "KafkaNodePool", ns, pool);
	if (!o)
		return NULL;
	const struct value *st = v_path(o->v, "spec.storage");
	const struct value *vols = map_get(st, "volumes");
	if (!vols || vols->kind != V_SEQ)
		return map_get(st, "size");
	for (size_t i = 0; i < vols->seq.n; i++)
		if (id < 0 || v_as_int(map_get(vols->seq.items[i], "id"), -2) == id)
			return map_get(vols->seq.items[i], "size");
	return NULL;
}

static bool qty(const struct value *v, struct quantity *q)
{
	return v && quantity_value(v, q);
}

static void check_pvcs(struct st *s, const char *ns, const char *cluster)
{
	const struct value *pvcs = list(s, "", "v1", "PersistentVolumeClaim", ns,
				      arena_printf(s->a, "%s=%s", CLUSTER_LABEL, cluster));
	for (size_t i = 0; pvcs && i < pvcs->seq.n; i++) {
		const struct value *p = pvcs->seq.items[i];
		const char *name = v_as_str(v_path(p, "metadata.name"), "?");
		const char *pool = v_as_str(map_get(v_path(p, "metadata.labels"), POOL_LABEL), NULL);
		if (!strcmp(v_as_str(v_path(p, "status.phase"), ""), "Pending")) {
			add(s, FINDING_DEGRADED, "status-pvc-pending", "PersistentVolumeClaim", ns, name,
			    "the storage class (kafka.nodePools[].storage.class) must exist and provision volumes "
			    "(kubectl get storageclass; kubectl describe pvc for its events)",
			    "is Pending: no volume is bound to it");
			continue;
		}
		struct quantity req, cap, want;
		const struct value *rv = v_path(p, "spec.resources.requests.storage"),
				   *cv = v_path(p, "status.capacity.storage");
		/* Strimzi's JBOD claims are data-ID-CLUSTER-POOL-N. */
		long long id = -1;
		if (!strncmp(name, "data-", 5) && name[5] >= '0' && name[5] <= '9')
			id = strtoll(name + 5, NULL, 10);
		const struct value *wv = pool ? pool_size(s, ns, pool, id) : NULL;
		if (qty(rv, &req) && qty(cv, &cap) && quantity_cmp(&cap, &req) < 0) {
			const struct value *fs = condition(p, "FileSystemResizePending");
			add(s, FINDING_DEGRADED, "status-pvc-resize", "PersistentVolumeClaim", ns, name,
			    cond_is(fs, "True") ? "the file system grows when the broker's pod restarts (Strimzi rolls it)"
						: "the storage class must allow volume expansion (allowVolumeExpansion: true); "
						  "kubectl describe pvc shows the resizer's events",
			    "holds %s of the %s asked for: a resize is pending", v_as_str(cv, "?"), v_as_str(rv, "?"));
		}
		if (qty(rv, &req) && qty(wv, &want)) {
			int c = quantity_cmp(&req, &want);
			if (c < 0)
				add(s, FINDING_DEGRADED, "status-pvc-resize", "PersistentVolumeClaim", ns, name,
				    "Strimzi resizes claims when it reconciles the node pool: see the KafkaNodePool's and the "
				    "Kafka's Ready conditions, and " FIX_OPERATOR_LOGS,
				    "asks for %s, the spec for %s: Strimzi has not resized it yet", v_as_str(rv, "?"),
				    v_as_str(wv, "?"));
			else if (c > 0)
				add(s, FINDING_WARNING, "status-pvc-shrink", "PersistentVolumeClaim", ns, name,
				    "volumes cannot shrink: put the spec's size back to at least the claim's",
				    "is %s, larger than the spec's %s, which Strimzi ignores", v_as_str(rv, "?"),
				    v_as_str(wv, "?"));
		}
	}
}

/* ---- addresses ---- */

static const char *requested_ip(const struct value *where)
{
	const char *ip = v_as_str(map_get(where, "loadBalancerIP"), NULL);
	const struct value *ann = map_get(where, "annotations");
	if (!ip)
		ip = v_as_str(map_get(ann, "metallb.io/loadBalancerIPs"), NULL);
	if (!ip)
		ip = v_as_str(map_get(ann, "metallb.universe.tf/loadBalancerIPs"), NULL);
	return ip;
}

static const char *service_requested_ip(const struct value *svc)
{
	const char *ip = v_as_str(v_path(svc, "spec.loadBalancerIP"), NULL);
	return ip ? ip : requested_ip(map_get(svc, "metadata"));
}

static const char *service_ingress(const struct value *svc)
{
	const struct value *ing = v_path(svc, "status.loadBalancer.ingress");
	if (!ing || ing->kind != V_SEQ || ing->seq.n == 0)
		return NULL;
	const struct value *first = ing->seq.items[0];
	const char *ip = v_as_str(map_get(first, "ip"), NULL);
	return ip ? ip : v_as_str(map_get(first, "hostname"), NULL);
}

static void check_addresses(struct st *s, const struct object *kafka)
{
	const char *ns = kafka->ns ? kafka->ns : "";
	const struct value *svcs = list(s, "", "v1", "Service", ns,
				      arena_printf(s->a, "%s=%s", CLUSTER_LABEL, kafka->name));
	if (!svcs)
		return;
	for (size_t i = 0; i < svcs->seq.n; i++) {
		const struct value *v = svcs->seq.items[i];
		if (strcmp(v_as_str(v_path(v, "spec.type"), ""), "LoadBalancer") != 0)
			continue;
		const char *name = v_as_str(v_path(v, "metadata.name"), "?");
		const char *want = service_requested_ip(v), *got = service_ingress(v);
		if (!got)
			add(s, FINDING_DEGRADED, "status-lb-pending", "Service", ns, name,
			    want ? "the address must be free and in an address pool the Service may use (MetalLB: "
				   "metallb.io/address-pool), or reserved as a static address in the project (GKE)"
				 : "the load balancer controller (MetalLB, the cloud's) must be running and have addresses",
			    "has no external address yet%s%s", want ? "; it asks for " : "", want ? want : "");
		else if (want && strcmp(want, got) != 0)
			add(s, FINDING_DEGRADED, "status-lb-ip", "Service", ns, name,
			    "the pinned address is taken or outside the pool: free it, or pin the address the Service got "
			    "and update the DNS records",
			    "got %s, not the pinned %s", got, want);
	}
	/* Every address the spec pins must be asked for by a Service. */
	const struct value *ls = v_path(kafka->v, "spec.kafka.listeners");
	for (size_t i = 0; ls && ls->kind == V_SEQ && i < ls->seq.n; i++) {
		const struct value *conf = map_get(ls->seq.items[i], "configuration");
		const char *pins[1 + 64];
		size_t np = 0;
		const char *bip = requested_ip(map_get(conf, "bootstrap"));
		if (bip)
			pins[np++] = bip;
		const struct value *brokers = map_get(conf, "brokers");
		for (size_t j = 0; brokers && brokers->kind == V_SEQ && j < brokers->seq.n && np < 65; j++) {
			const char *ip = requested_ip(brokers->seq.items[j]);
			if (ip)
				pins[np++] = ip;
		}
		for (size_t j = 0; j < np; j++) {
			bool asked = false;
			for (size_t k = 0; k < svcs->seq.n && !asked; k++) {
				const char *w = service_requested_ip(svcs->seq.items[k]);
				asked = w && !strcmp(w, pins[j]);
			}
			if (!asked)
				add(s, FINDING_DEGRADED, "status-lb-missing", "Kafka", ns, kafka->name,
				    "Strimzi creates the listener's Services when it reconciles the Kafka: see its Ready "
				    "condition, and " FIX_OPERATOR_LOGS,
				    "no Service asks for the pinned address %s (listener %s)", pins[j],
				    v_as_str(map_get(ls->seq.items[i], "name"), "?"));
		}
	}
}

/* ---- topics being deleted ---- */

static void check_stuck_topics(struct st *s, const char *ns, const char *version)
{
	const struct value *topics = list(s, STRIMZI_GROUP, version, "KafkaTopic", ns, NULL);
	for (size_t i = 0; topics && i < topics->seq.n; i++) {
		const struct value *t = topics->seq.items[i];
		const struct value *fin = v_path(t, "metadata.finalizers");
		if (!v_path(t, "metadata.deletionTimestamp") || !fin || fin->kind != V_SEQ || fin->seq.n == 0)
			continue;
		const char *name = v_as_str(v_path(t, "metadata.name"), "?");
		add(s, FINDING_DEGRADED, "status-topic-stuck", "KafkaTopic", ns, name,
		    arena_printf(s->a,
				 "remove its finalizers: kubectl patch kafkatopics.kafka.strimzi.io %s --namespace %s "
				 "-p '{\"metadata\":{\"finalizers\": []}}' --type=merge",
				 name, ns),
		    "is stuck deleting (finalizer %s)", v_as_str(fin->seq.items[0], "?"));
	}
}

/* ---- secrets ---- */

/* Secrets already read (by name), so each is fetched once. */
struct secret_seen {
	const char *name;
	enum kube_status st;
	const struct value *data; /* the data map: only its key names are used */
	const char **missing;     /* keys already reported missing */
	size_t nmissing;
};

static struct secret_seen *secret(struct st *s, struct secret_seen **seen, size_t *n, const char *ns,
					const char *name)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*seen)[i].name, name))
			return &(*seen)[i];
	struct value *sec = NULL;
	enum kube_status st = get(s, "", "v1", "Secret", ns, name, &sec);
	if (st == KUBE_FAILED)
		s->rc = -1;
	*seen = arena_realloc(s->a, *seen, *n * sizeof **seen, (*n + 1) * sizeof **seen);
	(*seen)[*n] = (struct secret_seen){ name, st, st == KUBE_OK ? map_get(sec, "data") : NULL, NULL, 0 };
	return &(*seen)[(*n)++];
}

struct refs_walk {
	struct st *s;
	const struct object *o;
	struct secret_seen **seen;
	size_t *nseen;
};

static void check_ref(struct refs_walk *w, const struct value *ref)
{
	struct st *s = w->s;
	const char *sname = v_as_str(map_get(ref, "name"), NULL), *key = v_as_str(map_get(ref, "key"), NULL);
	if (!sname || !key || v_as_bool(map_get(ref, "optional"), false))
		return;
	const char *ns = w->o->ns ? w->o->ns : "";
	struct secret_seen *sec = secret(s, w->seen, w->nseen, ns, sname);
	if (sec->st == KUBE_FAILED || (sec->st == KUBE_ABSENT && sec->nmissing))
		return;
	if (sec->st == KUBE_OK && map_get(sec->data, key))
		return;
	/* Once per Secret (absent) or per key (missing): the first object
	 * that needs it is named. */
	for (size_t i = 0; i < sec->nmissing; i++)
		if (!strcmp(sec->missing[i], key))
			return;
	sec->missing = arena_realloc(s->a, sec->missing, sec->nmissing * sizeof *sec->missing,
				     (sec->nmissing + 1) * sizeof *sec->missing);
	sec->missing[sec->nmissing++] = key;
	const struct object *vs = objset_find(s->rendered, "ricoberger.de", "VaultSecret", ns, sname);
	const char *fix = vs ? arena_printf(s->a,
					    "VaultSecret %s fills it from Vault path %s: check that the key is there "
					    "(phalanx's update_secrets.sh copies it from 1Password) and "
					    "vault-secrets-operator's log",
					    sname, v_as_str(v_path(vs->v, "spec.path"), "?"))
			     : "create the Secret with that key";
	if (sec->st == KUBE_ABSENT)
		add(s, FINDING_DEGRADED, "status-secret-missing", "Secret", ns, sname, fix,
		    "does not exist: %s %s takes %s from it", w->o->kind, w->o->name, key);
	else
		add(s, FINDING_DEGRADED, "status-secret-key", "Secret", ns, sname, fix,
		    "has no key %s: %s %s takes it from there", key, w->o->kind, w->o->name);
}

/* Every secretKeyRef of a rendered object: a user's password, a
 * container's environment. */
static void walk_refs(struct refs_walk *w, const struct value *v)
{
	if (!v)
		return;
	if (v->kind == V_SEQ)
		for (size_t i = 0; i < v->seq.n; i++)
			walk_refs(w, v->seq.items[i]);
	if (v->kind != V_MAP)
		return;
	for (size_t i = 0; i < v->map.n; i++) {
		const struct pair *p = &v->map.items[i];
		if (!strcmp(p->key->str.s, "secretKeyRef") && p->val->kind == V_MAP)
			check_ref(w, p->val);
		else
			walk_refs(w, p->val);
	}
}

/* ---- the walk ---- */

static bool conditions_kind(const struct object *o)
{
	const char *g = o->group ? o->group : "";
	return !strcmp(g, STRIMZI_GROUP) || !strcmp(g, "cert-manager.io");
}

int status_check(struct arena *a, struct diags *d, struct kube *k, const struct objset *rendered,
		 struct status_report *out)
{
	struct st s = { a, d, k, out, rendered, 0 };
	const struct object *kafka = NULL;
	struct secret_seen *seen = NULL;
	size_t nseen = 0;
	for (size_t i = 0; i < rendered->n && !kube_stopped(k); i++) {
		const struct object *o = &rendered->items[i];
		if (!live_is_cluster_object(o))
			continue;
		const char *group = o->group ? o->group : "";
		struct value *v = NULL;
		enum kube_status st = get(&s, group, o->version, o->kind, o->ns, o->name, &v);
		if (st == KUBE_FAILED) {
			s.rc = -1;
			continue;
		}
		if (st == KUBE_ABSENT) {
			struct kube_resource res;
			const char *ver = o->version;
			if (resource(&s, group, &ver, o->kind, &res) == KUBE_OK)
				add(&s, FINDING_DEGRADED, "status-missing", o->kind, o->ns, o->name, FIX_SYNC,
				    "is not in the cluster");
			else
				add(&s, FINDING_DEGRADED, "status-not-served", o->kind, o->ns, o->name,
				    "install the operator that defines it (Strimzi, strimzi-registry-operator, "
				    "vault-secrets-operator, cert-manager), or check strimzi.version in the spec",
				    "cannot exist: the cluster does not serve %s%s%s", group, *group ? "/" : "", ver);
			continue;
		}
		if (!strcmp(o->kind, "Kafka") && !strcmp(group, STRIMZI_GROUP))
			kafka = o;
		if (conditions_kind(o))
			check_ready(&s, o, v);
		if (!strcmp(o->kind, "Deployment"))
			check_deployment(&s, o->kind, o->ns, o->name, v);
		else if (!strcmp(o->kind, "Job"))
			check_job(&s, o, v);
		else if (!strcmp(o->kind, "StrimziSchemaRegistry") && !strcmp(group, REGISTRY_GROUP)) {
			/* The registry operator runs the registry as a Deployment of the same name. */
			struct value *dep = NULL;
			enum kube_status ds = get(&s, "apps", "v1", "Deployment", o->ns, o->name, &dep);
			if (ds == KUBE_FAILED)
				s.rc = -1;
			else if (ds == KUBE_ABSENT)
				add(&s, FINDING_DEGRADED, "status-registry-missing", o->kind, o->ns, o->name,
				    "the registry operator and the registry must reconcile after Kafka is up: sync "
				    "strimzi-registry-operator again, then this application",
				    "has no registry Deployment: the registry operator has not set it up");
			else
				check_deployment(&s, "Deployment", o->ns, o->name, dep);
		}
		struct refs_walk w = { &s, o, &seen, &nseen };
		walk_refs(&w, o->v);
	}
	if (kafka && !kube_stopped(k)) {
		const char *ns = kafka->ns ? kafka->ns : "";
		check_pods(&s, ns, kafka->name);
		check_pvcs(&s, ns, kafka->name);
		check_addresses(&s, kafka);
		check_stuck_topics(&s, ns, kafka->version);
	}
	return kube_stopped(k) ? -1 : s.rc;
}
