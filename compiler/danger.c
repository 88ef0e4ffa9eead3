/* danger.c - changes that cannot be applied or would lose data.
 *
 * Each rule looks at one object's change (or, for removals, at a prune
 * candidate too) with knowledge of what the object means, and says what
 * would happen and what to do.  The traps come from the operator's manual:
 * storage that can only grow, partitions that cannot be removed, node ids
 * that carry data, users and topics that linger until pruned, addresses
 * and certificates that clients depend on.  Rule ids are documented in the
 * README.
 */
#include "diff.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "version.h"

#define STRIMZI_GROUP "kafka.strimzi.io"

/* The rules below, by id (README "Danger rules"; schemas/diff.schema.json
 * enumerates them too, and the diff tests hold the two to each other). */
const char *const danger_rules[] = {
	"danger-storage-shrink", "danger-partitions-decrease", "danger-node-id", "danger-replicas-decrease",
	"danger-topic-removed", "danger-user-removed", "danger-external-address", "danger-kafka-downgrade",
	"danger-api-version", "danger-registry-compatibility", "danger-tls-switch", "danger-producer-write",
	"danger-listener-removed", "danger-listener-auth", "danger-component-removed", NULL,
};

struct dg {
	struct arena *a;
	struct diff_report *r;
	const char **addr; /* external addresses already reported ("broker 7 host") */
	size_t naddr, addr_cap;
};

static void add(struct dg *g, const char *id, const struct object *obj, const char *path,
		const char *msg, const char *hint)
{
	struct diff_report *r = g->r;
	if (r->ndangers == r->dangers_cap) {
		size_t cap = r->dangers_cap ? r->dangers_cap * 2 : 8;
		r->dangers = arena_realloc(g->a, r->dangers, r->dangers_cap * sizeof *r->dangers,
					   cap * sizeof *r->dangers);
		r->dangers_cap = cap;
	}
	r->dangers[r->ndangers++] = (struct danger){ id, obj, path, msg, hint, false, CAUSE_NONE };
}

static bool is_kind(const struct object *o, const char *group, const char *kind)
{
	return o && !strcmp(o->group, group) && !strcmp(o->kind, kind);
}

/* A scalar as short text for messages. */
static const char *text(struct arena *a, const struct value *v)
{
	if (!v)
		return "(none)";
	switch (v->kind) {
	case V_STRING: return v->str.s;
	case V_INT: return arena_printf(a, "%lld", v->i);
	case V_FLOAT: return arena_printf(a, "%g", v->f);
	case V_BOOL: return v->b ? "true" : "false";
	case V_NULL: return "null";
	default: return "(a structure)";
	}
}

/* ---------------------------------------------------------------- node pools */

static const char *pool_role(const struct value *pool)
{
	const struct value *roles = v_path(pool, "spec.roles");
	bool broker = false, controller = false;
	for (size_t i = 0; roles && roles->kind == V_SEQ && i < roles->seq.n; i++) {
		const char *r = v_as_str(roles->seq.items[i], "");
		broker |= !strcmp(r, "broker");
		controller |= !strcmp(r, "controller");
	}
	return broker && controller ? "broker and controller" : controller ? "controller" : "broker";
}

static void shrink_check(struct dg *g, const struct object *o, const char *path,
			 const struct value *from, const struct value *to, const char *whose)
{
	struct quantity a, b;
	if (!quantity_value(from, &a) || !quantity_value(to, &b) || quantity_cmp(&b, &a) >= 0)
		return;
	add(g, "danger-storage-shrink", o, path,
	    arena_printf(g->a,
			 "storage of %s would shrink from %s to %s: a persistent volume claim "
			 "cannot shrink, so Strimzi refuses the change and the volumes keep their size",
			 whose, text(g->a, from), text(g->a, to)),
	    arena_printf(g->a,
			 "keep %s (or grow it); to move to smaller disks, add a node pool with them, "
			 "reassign the partitions to it, then remove the old pool",
			 text(g->a, from)));
}

/* Volume sizes of a storage (JBOD volumes matched by id, or one volume);
 * prefix is the storage's path, whose says whose storage it is. */
static void storage_shrink(struct dg *g, const struct object *o, const char *prefix,
			   const struct value *os, const struct value *ns, const char *whose)
{
	if (!os || !ns)
		return;
	const struct value *ov = map_get(os, "volumes"), *nv = map_get(ns, "volumes");
	if (!ov || !nv || ov->kind != V_SEQ || nv->kind != V_SEQ) {
		shrink_check(g, o, arena_printf(g->a, "%s.size", prefix), map_get(os, "size"),
			     map_get(ns, "size"), whose);
		return;
	}
	for (size_t i = 0; i < ov->seq.n; i++)
		for (size_t j = 0; j < nv->seq.n; j++) {
			const struct value *oid = map_get(ov->seq.items[i], "id");
			const struct value *nid = map_get(nv->seq.items[j], "id");
			if (oid && nid && v_equal(oid, nid))
				shrink_check(g, o, arena_printf(g->a, "%s.volumes[id=%s].size", prefix, text(g->a, oid)),
					     map_get(ov->seq.items[i], "size"), map_get(nv->seq.items[j], "size"),
					     whose);
		}
}

/* Node ids a pool has: the first spec.replicas ids of its
 * strimzi.io/next-node-ids ranges ("[6-11]", "[0, 3, 5-7]").  Returns the
 * count, or -1 when the pool does not say. */
static long pool_ids(const struct value *pool, long long *ids, long max)
{
	const char *ann = v_as_str(map_get(v_path(pool, "metadata.annotations"), "strimzi.io/next-node-ids"), NULL);
	long long replicas = v_as_int(v_path(pool, "spec.replicas"), -1);
	if (!ann || replicas < 0)
		return -1;
	const char *p = ann;
	while (*p == ' ')
		p++;
	if (*p++ != '[')
		return -1;
	long n = 0;
	while (n < replicas && n < max) {
		while (*p == ' ' || *p == ',')
			p++;
		if (*p == ']' || !*p)
			break;
		char *e;
		long long lo = strtoll(p, &e, 10), hi = lo;
		if (e == p)
			return -1;
		p = e;
		if (*p == '-') {
			hi = strtoll(p + 1, &e, 10);
			if (e == p + 1 || hi < lo)
				return -1;
			p = e;
		}
		for (long long id = lo; id <= hi && n < replicas && n < max; id++)
			ids[n++] = id;
	}
	return n;
}

static void node_ids(struct dg *g, const struct obj_diff *d)
{
	enum { MAX_IDS = 4096 };
	long long *oi = arena_alloc(g->a, MAX_IDS * sizeof *oi), *ni = arena_alloc(g->a, MAX_IDS * sizeof *ni);
	long on = pool_ids(d->old->v, oi, MAX_IDS);
	long nn = d->new ? pool_ids(d->new->v, ni, MAX_IDS) : 0;
	const char *gone = NULL;
	size_t ngone = 0;
	if (on < 0 || nn < 0) {
		/* no node id annotation: fewer replicas still remove nodes */
		long long a = v_as_int(v_path(d->old->v, "spec.replicas"), 0);
		long long b = d->new ? v_as_int(v_path(d->new->v, "spec.replicas"), 0) : 0;
		if (b >= a)
			return;
		gone = arena_printf(g->a, "%lld of its nodes", a - b);
		ngone = (size_t)(a - b);
	} else {
		for (long i = 0; i < on; i++) {
			bool kept = false;
			for (long j = 0; j < nn && !kept; j++)
				kept = oi[i] == ni[j];
			if (kept)
				continue;
			gone = gone ? arena_printf(g->a, "%s, %lld", gone, oi[i]) : arena_printf(g->a, "%lld", oi[i]);
			ngone++;
		}
		if (!ngone)
			return;
		gone = arena_printf(g->a, "node id%s %s", ngone > 1 ? "s" : "", gone);
	}
	const char *role = pool_role(d->old->v);
	bool ctl = !strcmp(role, "controller");
	add(g, "danger-node-id", d->id, d->new ? "metadata.annotations[\"strimzi.io/next-node-ids\"]" : NULL,
	    arena_printf(g->a,
			 "%s pool %s would lose %s%s: %s",
			 role, d->old->name, gone, d->new ? "" : " (the pool is removed)",
			 ctl ? "the KRaft quorum loses voters, and a quorum that loses its majority stops the cluster"
			     : ngone > 1 ? "the partition replicas and leadership they hold must move to other brokers first, or those replicas are lost"
					 : "the partition replicas and leadership it holds must move to other brokers first, or those replicas are lost"),
	    ctl ? "change the controller quorum one node at a time, following Strimzi's procedure; keep node ids stable"
		: "reassign the partitions away from these brokers first (Cruise Control remove-brokers, or "
		  "kafka-reassign-partitions), then remove them; to renumber, add the new brokers before removing the old");
}

/* ---------------------------------------------------------------- per object */

static void kafka_changes(struct dg *g, const struct obj_diff *d)
{
	const struct value *ov = d->old->v, *nv = d->new->v;
	/* Kafka version */
	const struct value *a = v_path(ov, "spec.kafka.version"), *b = v_path(nv, "spec.kafka.version");
	if (a && b && a->kind == V_STRING && b->kind == V_STRING && version_cmp(b->str.s, a->str.s) == -1 /* not VERSION_INVALID */)
		add(g, "danger-kafka-downgrade", d->id, "spec.kafka.version",
		    arena_printf(g->a,
				 "Kafka would be downgraded from %s to %s: brokers may not start on data and "
				 "metadata written by the newer version, and Strimzi refuses a downgrade past the "
				 "cluster's metadata version",
				 a->str.s, b->str.s),
		    arena_printf(g->a, "keep %s; if you must go back, follow Strimzi's downgrade procedure "
				       "(metadataVersion first) by hand",
				 a->str.s));
	/* storage on the Kafka resource itself (clusters without node pools) */
	storage_shrink(g, d->id, "spec.kafka.storage", v_path(ov, "spec.kafka.storage"),
		       v_path(nv, "spec.kafka.storage"), arena_printf(g->a, "the Kafka cluster %s", d->id->name));
	/* TLS on the external listener */
	for (size_t i = 0; i < d->nfields; i++) {
		const struct field_change *f = &d->fields[i];
		if (!strcmp(f->path, "spec.kafka.listeners[name=external].tls"))
			add(g, "danger-tls-switch", d->id, f->path,
			    arena_printf(g->a,
					 "TLS on the external listener switches from %s to %s: every client's "
					 "security.protocol (SASL_PLAINTEXT or SASL_SSL) must change at the same "
					 "moment, or clients cannot connect",
					 text(g->a, f->old), text(g->a, f->new)),
			    "plan the switch with the users and give them the new files of clients/; with TLS on, "
			    "the certificate must be issued before the sync");
	}
}

/* A listener's authentication type ("none" without one). */
static const char *listener_auth(const struct value *l)
{
	return v_as_str(v_path(l, "authentication.type"), "none");
}

static const struct value *listener_named(const struct value *list, const char *name)
{
	for (size_t i = 0; list && list->kind == V_SEQ && i < list->seq.n; i++)
		if (!strcmp(v_as_str(map_get(list->seq.items[i], "name"), ""), name))
			return list->seq.items[i];
	return NULL;
}

/* Listeners (by name, as the diff keys them) that go or change how clients
 * authenticate: every client of the listener loses the cluster. */
static void listener_changes(struct dg *g, const struct obj_diff *d)
{
	const struct value *ol = v_path(d->old->v, "spec.kafka.listeners"), *nl = v_path(d->new->v, "spec.kafka.listeners");
	for (size_t i = 0; ol && ol->kind == V_SEQ && i < ol->seq.n; i++) {
		const struct value *o = ol->seq.items[i];
		const char *name = v_as_str(map_get(o, "name"), NULL);
		if (!name)
			continue;
		const char *port = text(g->a, map_get(o, "port"));
		const struct value *n = listener_named(nl, name);
		if (!n) {
			add(g, "danger-listener-removed", d->id, arena_printf(g->a, "spec.kafka.listeners[name=%s]", name),
			    arena_printf(g->a,
					 "listener %s (port %s) is removed: every client that connects through it "
					 "loses the cluster when the brokers roll",
					 name, port),
			    "move its clients to another listener first (their bootstrap port and security settings), "
			    "then remove it");
			continue;
		}
		const char *a = listener_auth(o), *b = listener_auth(n);
		if (strcmp(a, b))
			add(g, "danger-listener-auth", d->id,
			    arena_printf(g->a, "spec.kafka.listeners[name=%s].authentication", name),
			    arena_printf(g->a,
					 "authentication on listener %s (port %s) changes from %s to %s: its clients' "
					 "credentials stop working when the brokers roll%s",
					 name, port, a, b,
					 !strcmp(b, "none") ? ", and any client that reaches the port gets in" : ""),
			    "move the clients to a listener with the new authentication first (or give them the new "
			    "credentials at the same moment)");
	}
}

/* The external addresses clients know: the bootstrap's and each broker's
 * host and IP, from the Kafka resource (prefix: its external listener's
 * configuration) or the Helm values (their externalListener).  One danger
 * per address, whichever object shows it first. */
static void external_addresses(struct dg *g, const struct obj_diff *d, const char *prefix)
{
	static const char *const hosts[] = { ".advertisedHost", ".host", ".alternativeNames[]", ".alternativeNames" };
	static const char *const ips[] = { ".loadBalancerIP", ".ip", "[\"metallb.io/loadBalancerIPs\"]" };
	size_t plen = strlen(prefix);
	for (size_t i = 0; i < d->nfields; i++) {
		const struct field_change *f = &d->fields[i];
		if (!f->old || strncmp(f->path, prefix, plen) != 0)
			continue;
		const char *rest = f->path + plen;
		size_t n = strlen(rest);
		const char *what = NULL;
		for (size_t k = 0; k < sizeof hosts / sizeof *hosts && !what; k++)
			if (n >= strlen(hosts[k]) && !strcmp(rest + n - strlen(hosts[k]), hosts[k]))
				what = "host";
		for (size_t k = 0; k < sizeof ips / sizeof *ips && !what; k++)
			if (n >= strlen(ips[k]) && !strcmp(rest + n - strlen(ips[k]), ips[k]))
				what = "IP";
		if (!what)
			continue;
		const char *who = "bootstrap";
		const char *bk = strstr(rest, "brokers[broker=");
		if (bk)
			who = arena_printf(g->a, "broker %.*s", (int)strcspn(bk + 15, "]"), bk + 15);
		else if (strncmp(rest, "bootstrap", 9) != 0)
			continue;
		const char *key = arena_printf(g->a, "%s %s", who, what);
		bool seen = false;
		for (size_t k = 0; k < g->naddr && !seen; k++)
			seen = !strcmp(g->addr[k], key);
		if (seen)
			continue;
		if (g->naddr == g->addr_cap) {
			size_t cap = g->addr_cap ? g->addr_cap * 2 : 8;
			g->addr = arena_realloc(g->a, g->addr, g->addr_cap * sizeof *g->addr, cap * sizeof *g->addr);
			g->addr_cap = cap;
		}
		g->addr[g->naddr++] = key;
		add(g, "danger-external-address", d->id, f->path,
		    arena_printf(g->a,
				 "the external %s changes from %s to %s: clients that know the old address, "
				 "and certificates issued for it, stop working",
				 key, text(g->a, f->old), f->new ? text(g->a, f->new) : "(none)"),
		    "move DNS first (the new address must resolve before the sync), reissue the certificate "
		    "for the new names, and tell the users");
	}
}

static void topic_changes(struct dg *g, const struct obj_diff *d)
{
	const char *topic = v_as_str(v_path(d->new->v, "spec.topicName"), d->new->name);
	const struct value *a = v_path(d->old->v, "spec.partitions"), *b = v_path(d->new->v, "spec.partitions");
	if (a && b && a->kind == V_INT && b->kind == V_INT && b->i < a->i)
		add(g, "danger-partitions-decrease", d->id, "spec.partitions",
		    arena_printf(g->a,
				 "topic %s would go from %lld to %lld partitions: Kafka cannot remove partitions; "
				 "the topic operator marks the KafkaTopic not ready and nothing changes",
				 topic, a->i, b->i),
		    arena_printf(g->a, "keep %lld partitions; for fewer, create a new topic and move producers "
				       "and consumers to it",
				 a->i));
	a = v_path(d->old->v, "spec.replicas");
	b = v_path(d->new->v, "spec.replicas");
	if (a && b && a->kind == V_INT && b->kind == V_INT && b->i < a->i)
		add(g, "danger-replicas-decrease", d->id, "spec.replicas",
		    arena_printf(g->a,
				 "topic %s would go from %lld to %lld replicas: Strimzi changes a replication "
				 "factor only through Cruise Control, and with fewer copies losing a broker "
				 "can lose data",
				 topic, a->i, b->i),
		    "keep the replicas unless the disks require fewer; lower them with Cruise Control, and keep "
		    "min.insync.replicas below the new count");
}

/* ---------------------------------------------------------------- ACLs */

/* Does an ACL grant op (Write) or All?  Strimzi's operations, or the
 * older single operation. */
static bool acl_grants(const struct value *acl, const char *op)
{
	const struct value *ops = map_get(acl, "operations");
	for (size_t i = 0; ops && ops->kind == V_SEQ && i < ops->seq.n; i++) {
		const char *x = v_as_str(ops->seq.items[i], "");
		if (!strcmp(x, op) || !strcmp(x, "All"))
			return true;
	}
	const char *one = v_as_str(map_get(acl, "operation"), "");
	return !strcmp(one, op) || !strcmp(one, "All");
}

/* Does resource b (type, name, patternType) include all of resource a? */
static bool resource_covers(const struct value *b, const struct value *a)
{
	if (strcmp(v_as_str(map_get(a, "type"), ""), v_as_str(map_get(b, "type"), "")))
		return false;
	const char *an = v_as_str(map_get(a, "name"), ""), *bn = v_as_str(map_get(b, "name"), "");
	bool ap = !strcmp(v_as_str(map_get(a, "patternType"), "literal"), "prefix");
	bool bp = !strcmp(v_as_str(map_get(b, "patternType"), "literal"), "prefix");
	if (!bp && !strcmp(bn, "*"))
		return true;
	if (bp)
		return !strncmp(an, bn, strlen(bn)) && (ap || strcmp(an, "*"));
	return !ap && !strcmp(an, bn);
}

/* A user's Write on a topic or transactional id that the new ACLs no longer
 * grant: its producers fail at their next request. */
static void user_changes(struct dg *g, const struct obj_diff *d)
{
	const struct value *oa = v_path(d->old->v, "spec.authorization.acls"), *na = v_path(d->new->v, "spec.authorization.acls");
	for (size_t i = 0; oa && oa->kind == V_SEQ && i < oa->seq.n; i++) {
		const struct value *acl = oa->seq.items[i], *res = map_get(acl, "resource");
		const char *type = v_as_str(map_get(res, "type"), "");
		bool topic = !strcmp(type, "topic");
		if ((!topic && strcmp(type, "transactionalId")) || !acl_grants(acl, "Write") ||
		    strcmp(v_as_str(map_get(acl, "type"), "allow"), "allow"))
			continue;
		bool kept = false;
		for (size_t j = 0; na && na->kind == V_SEQ && j < na->seq.n && !kept; j++) {
			const struct value *n = na->seq.items[j];
			kept = acl_grants(n, "Write") && !strcmp(v_as_str(map_get(n, "type"), "allow"), "allow") &&
			       resource_covers(map_get(n, "resource"), res);
		}
		if (kept)
			continue;
		const char *name = v_as_str(map_get(res, "name"), "");
		const char *what = arena_printf(g->a, "%s %s%s", topic ? "topic" : "transactional id", name,
						!strcmp(v_as_str(map_get(res, "patternType"), "literal"), "prefix") ? " (prefix)" : "");
		add(g, "danger-producer-write", d->id, "spec.authorization.acls",
		    arena_printf(g->a,
				 "user %s loses Write on %s: its %sproducers fail at once (%s) when the User "
				 "Operator updates the ACLs",
				 d->id->name, what, topic ? "" : "transactional ",
				 topic ? "TopicAuthorizationException" : "TransactionalIdAuthorizationException"),
		    "keep Write while the user still produces there; take it away once its producers have stopped "
		    "or moved");
	}
}

/* ---------------------------------------------------------------- components */

/* One danger per component switched off, naming the objects of its files
 * that go (files.yaml's diff: component: declarations). */
static void components_removed(struct dg *g, const struct out_shapes *s, size_t first_item)
{
	if (!s || !s->model)
		return;
	enum { MAX_COMPONENTS = 16 };
	const char *names[MAX_COMPONENTS];
	const struct object *first[MAX_COMPONENTS];
	struct buf objs[MAX_COMPONENTS];
	size_t count[MAX_COMPONENTS], n = 0;
	for (size_t i = first_item; i < g->r->n; i++) {
		const struct obj_diff *d = &g->r->items[i];
		if (d->kind != OBJ_REMOVED)
			continue;
		const char *comp = shapes_component(g->a, s, d->old->rel);
		if (!comp || v_as_bool(v_path(s->model, arena_printf(g->a, "%s.enabled", comp)), true))
			continue;
		size_t k = 0;
		while (k < n && strcmp(names[k], comp))
			k++;
		if (k == n) {
			if (n == MAX_COMPONENTS)
				continue;
			names[n] = comp;
			first[n] = d->id;
			objs[n] = (struct buf)BUF_INIT;
			count[n++] = 0;
		}
		buf_printf(&objs[k], "%s%s %s", count[k] ? ", " : "", d->id->kind, d->id->name);
		count[k]++;
	}
	for (size_t k = 0; k < n; k++) {
		add(g, "danger-component-removed", first[k], NULL,
		    arena_printf(g->a,
				 "%s is switched off (%s.enabled: false): its %zu object%s (%s) %s removed; a prune "
				 "sync deletes them, and whatever uses %s loses it",
				 names[k], names[k], count[k], count[k] == 1 ? "" : "s", buf_cstr(&objs[k]),
				 count[k] == 1 ? "is" : "are", names[k]),
		    arena_printf(g->a, "check that nothing needs %s any more (its users, links to its ingress), then "
				       "sync with prune; to keep it, set %s.enabled: true",
				 names[k], names[k]));
		buf_free(&objs[k]);
	}
}

static void removed(struct dg *g, const struct object *o)
{
	if (is_kind(o, STRIMZI_GROUP, "KafkaTopic")) {
		const char *topic = v_as_str(v_path(o->v, "spec.topicName"), o->name);
		add(g, "danger-topic-removed", o, NULL,
		    arena_printf(g->a,
				 "topic %s is removed: once a prune sync deletes the KafkaTopic, the topic "
				 "operator deletes the Kafka topic and every message in it",
				 topic),
		    "keep the topic while anyone needs its data; to keep the Kafka topic but stop managing it, "
		    "annotate the KafkaTopic strimzi.io/managed: \"false\" before the prune");
	} else if (is_kind(o, STRIMZI_GROUP, "KafkaUser")) {
		add(g, "danger-user-removed", o, NULL,
		    arena_printf(g->a,
				 "user %s is removed: the KafkaUser lingers until a prune sync deletes it; then "
				 "its credentials and ACLs go and its clients lose access",
				 o->name),
		    "tell the user's clients first, then sync with prune (Argo CD: Sync with the Prune option)");
	}
}

/* A danger when the field at path is on both sides and differs; msg
 * takes the old and the new value (two %s). */
static void field_danger(struct dg *g, const struct obj_diff *d, const char *id, const char *path,
			 const char *msg, const char *hint)
{
	const struct value *a = v_path(d->old->v, path), *b = v_path(d->new->v, path);
	if (a && b && !v_equal(a, b))
		add(g, id, d->id, path, arena_printf(g->a, msg, text(g->a, a), text(g->a, b)), hint);
}

static void registry_changes(struct dg *g, const struct obj_diff *d)
{
	field_danger(g, d, "danger-registry-compatibility", "spec.compatibilityLevel",
		     "the schema registry's compatibility level changes from %s to %s: new schema "
		     "versions are then checked against the old ones under the new rule, and the "
		     "schema sync Job fails on a schema it rejects",
		     "check that every schema the sync Job uploads passes the new level before syncing");
	field_danger(g, d, "danger-api-version", "spec.strimziVersion",
		     "the schema registry's Strimzi API version changes from %s to %s: the registry "
		     "operator then reads the Kafka cluster and users through that version, which the "
		     "cluster must serve",
		     "upgrade the Strimzi operator and CRDs (and strimzi-registry-operator) first, then sync");
}

/* One danger for all Strimzi objects whose API version changes. */
static void api_version(struct dg *g, size_t first_item)
{
	const struct obj_diff *first = NULL;
	size_t n = 0;
	for (size_t i = first_item; i < g->r->n; i++) {
		const struct obj_diff *d = &g->r->items[i];
		if (d->kind != OBJ_CHANGED || strcmp(d->id->group, STRIMZI_GROUP) != 0 ||
		    !strcmp(d->old->version, d->new->version))
			continue;
		/* name the Kafka resource when it is among them */
		if (!first || (is_kind(d->id, STRIMZI_GROUP, "Kafka") && !is_kind(first->id, STRIMZI_GROUP, "Kafka")))
			first = d;
		n++;
	}
	if (!first)
		return;
	add(g, "danger-api-version", first->id, "apiVersion",
	    arena_printf(g->a,
			 "the Strimzi API version changes from %s/%s to %s/%s on %zu object%s: the "
			 "operator and CRDs in the cluster must serve the new version before the sync, "
			 "or Argo CD cannot apply them",
			 STRIMZI_GROUP, first->old->version, STRIMZI_GROUP, first->new->version, n,
			 n > 1 ? "s" : ""),
	    "upgrade the Strimzi operator and its CRDs first (v1 is served from Strimzi 0.49; 1.0 serves only "
	    "v1), then sync");
}

/* The bootstrap phase leaves the external listener out on purpose: a cold
 * start, before any outside client can connect (README, "Cold start"). */
void danger_bootstrap_phase(struct diff_report *r)
{
	size_t w = 0;
	for (size_t i = 0; i < r->ndangers; i++) {
		const struct danger *g = &r->dangers[i];
		if (!strcmp(g->id, "danger-listener-removed") && g->path &&
		    !strcmp(g->path, "spec.kafka.listeners[name=external]"))
			continue;
		r->dangers[w++] = *g;
	}
	r->ndangers = w;
}

void danger_check(struct arena *a, struct diff_report *r, const struct out_shapes *shapes, size_t first_item,
		  size_t first_prune)
{
	struct dg g = { .a = a, .r = r };
	for (size_t i = first_item; i < r->n; i++) {
		const struct obj_diff *d = &r->items[i];
		const struct object *o = d->id;
		if (d->kind == OBJ_REMOVED) {
			removed(&g, o);
			if (is_kind(o, STRIMZI_GROUP, "KafkaNodePool"))
				node_ids(&g, d);
			continue;
		}
		if (d->kind != OBJ_CHANGED)
			continue;
		if (is_kind(o, STRIMZI_GROUP, "KafkaNodePool")) {
			storage_shrink(&g, o, "spec.storage", v_path(d->old->v, "spec.storage"),
				       v_path(d->new->v, "spec.storage"),
				       arena_printf(a, "the %s pool %s", pool_role(d->new->v), o->name));
			node_ids(&g, d);
		} else if (is_kind(o, STRIMZI_GROUP, "Kafka")) {
			kafka_changes(&g, d);
			listener_changes(&g, d);
		} else if (is_kind(o, STRIMZI_GROUP, "KafkaUser")) {
			user_changes(&g, d);
		} else if (is_kind(o, STRIMZI_GROUP, "KafkaTopic")) {
			topic_changes(&g, d);
		} else if (is_kind(o, "roundtable.lsst.codes", "StrimziSchemaRegistry")) {
			registry_changes(&g, d);
		}
	}
	/* addresses: the Kafka resource first, then the outputs that declare
	 * theirs in files.yaml (the Helm values, which an environment still
	 * deployed with the charts has alone) */
	for (size_t i = first_item; i < r->n; i++)
		if (r->items[i].kind == OBJ_CHANGED && is_kind(r->items[i].id, STRIMZI_GROUP, "Kafka"))
			external_addresses(&g, &r->items[i], "spec.kafka.listeners[name=external].configuration.");
	for (size_t i = first_item; i < r->n; i++)
		if (r->items[i].kind == OBJ_CHANGED && r->items[i].shape && r->items[i].shape->addresses)
			external_addresses(&g, &r->items[i], arena_printf(a, "%s.", r->items[i].shape->addresses));
	api_version(&g, first_item);
	components_removed(&g, shapes, first_item);
	for (size_t i = first_prune; i < r->nprune; i++)
		removed(&g, r->prune[i]);
}
