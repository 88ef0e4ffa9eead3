/* check_cluster.c - the Kafka cluster: Kafka and Strimzi versions, node
 * pools (sizes, KRaft quorum, node ids), quantities and resources,
 * internal topics' replication, GKE node pool taint and labels, storage
 * classes. */
#include "check.h"
#include "arena.h"
#include "buf.h"
#include "quantity.h"
#include "strimzi.h"

#include <limits.h>
#include <string.h>

#define KAFKA_MAX_NODE_ID 2147483647LL /* node.id is a Java int */

static void check_kafka_version(struct check *c)
{
	const struct value *v = v_path(c->model, "kafka.version");
	if (!c->strimzi || !v || v->kind != V_STRING)
		return;
	if (strimzi_supports_kafka(c->strimzi, v->str.s))
		return;
	/* Which Strimzi releases would run it? */
	size_t n;
	const struct strimzi_release *rs = strimzi_releases(&n);
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		if (strimzi_supports_kafka(&rs[i], v->str.s))
			buf_printf(&b, "%s%s", b.len ? ", " : "", rs[i].version);
	char dflt[32];
	strimzi_default_kafka(c->strimzi, dflt, sizeof dflt);
	const char *hint = b.len
		? arena_printf(c->a, "use a Kafka version Strimzi %s supports (%s is its default), or a Strimzi release that runs Kafka %s: %s",
			       c->strimzi->version, dflt, v->str.s, buf_cstr(&b))
		: arena_printf(c->a, "use a Kafka version Strimzi %s supports (%s is its default); no Strimzi release asbgen knows runs Kafka %s",
			       c->strimzi->version, dflt, v->str.s);
	buf_free(&b);
	struct buf l = BUF_INIT;
	for (const char *p = c->strimzi->kafka; *p; p++)
		buf_puts(&l, *p == ' ' ? ", " : (char[]){ *p, 0 });
	check_error(c, v, "kafka-version", hint, "Kafka %s is not supported by Strimzi %s, which runs %s",
		    v->str.s, c->strimzi->version, buf_cstr(&l));
	buf_free(&l);
}

/* ---- node pools ---- */

static void check_pool_size(struct check *c, const struct pool *p)
{
	if (p->ok)
		return;
	check_error(c, check_first(p->count, p->node, NULL), "pool-size",
		    "a Kafka cluster this large is almost certainly a typo",
		    "kafka.%s.count is %lld; asbgen renders at most %d %s", p->key, p->n, MODEL_MAX_POOL, p->key);
}

static void check_controllers(struct check *c)
{
	const struct pool *p = &c->controllers;
	if (!p->ok)
		return;
	const struct value *at = check_first(p->ids, p->count, p->node);
	if (p->n % 2 == 0)
		check_error(c, at, "controllers",
			    "use 3 controllers (tolerates one failure) or 5 (two)",
			    "%lld KRaft controllers: a quorum needs an odd count (%lld tolerate%s no more failures than %lld)",
			    p->n, p->n, p->n == 2 ? "s" : "", p->n - 1);
	else if (p->n == 1)
		check_warning(c, at, "controllers", "use 3 controllers so that the cluster survives the loss of one",
			      "a single KRaft controller: the cluster stops when it does");
	else if (p->n > 5)
		check_warning(c, at, "controllers", "3 or 5 controllers are recommended; more only slow the quorum down",
			      "%lld KRaft controllers", p->n);
}

static void check_node_ids(struct check *c)
{
	const struct pool *ps[] = { &c->brokers, &c->controllers };
	for (size_t k = 0; k < 2; k++) {
		const struct pool *p = ps[k];
		if (!p->ok)
			continue;
		for (long long i = 0; i < p->n; i++)
			if (check_pool_id(p, i) > KAFKA_MAX_NODE_ID) {
				check_error(c, check_pool_id_at(p, i), "node-ids", "Kafka node ids are Java ints: 0 to 2147483647",
					    "node id %lld of kafka.%s is too large", check_pool_id(p, i), p->key);
				break;
			}
	}
	const struct pool *b = &c->brokers, *ctl = &c->controllers;
	if (!b->ok || !ctl->ok)
		return;
	for (long long i = 0; i < ctl->n; i++) {
		long long id = check_pool_id(ctl, i);
		if (!check_pool_has(b, id))
			continue;
		const char *hint = ctl->ids
			? "give the controllers node ids no broker has (by default they are 100, 101, ...)"
			: "set kafka.controllers.nodeIds to ids no broker has";
		/* At the controller's id when given, else at what made the brokers reach it. */
		const struct value *at = ctl->ids || ctl->count ? check_pool_id_at(ctl, i) : NULL;
		for (long long j = 0; !at && j < b->n; j++)
			if (check_pool_id(b, j) == id)
				at = check_pool_id_at(b, j);
		check_error(c, at, "node-ids", hint,
			    "controller node id %lld is also a broker's (brokers: %s; controllers: %s)", id,
			    check_pool_ids_text(c, b), check_pool_ids_text(c, ctl));
		break; /* one report: the rest follows from the same ranges */
	}
}

/* ---- quantities and resources ---- */

/* " 'TB'" after "unknown suffix": the part after the number. */
static const char *suffix_text(struct check *c, const char *s, const char *why)
{
	if (strncmp(why, "unknown suffix", 14) != 0)
		return "";
	const char *p = s + (*s == '+' || *s == '-');
	while ((*p >= '0' && *p <= '9') || *p == '.')
		p++;
	return arena_printf(c->a, " '%s'", p);
}

/* Parse a quantity node (string, or integer for CPU and memory).  Reports
 * and returns false when it is not one. */
static bool quantity_of(struct check *c, const struct value *v, const char *path, bool positive,
			struct quantity *q)
{
	const char *why = NULL;
	if (v->kind == V_INT) {
		q->negative = v->i < 0;
		q->units = v->i < 0 ? (v->i == LLONG_MIN ? LLONG_MAX : -v->i) : v->i;
		q->nanos = 0;
	} else if (v->kind == V_STRING) {
		if (!quantity_parse(v->str.s, v->str.len, q, &why)) {
			check_error(c, v, "quantity",
				    "write a number with an optional suffix: 35Ti, 1500Gi (powers of 1024), 500G (of 1000), 500m (thousandths), 1e3",
				    "%s: '%s' is not a Kubernetes quantity: %s%s", path, v->str.s, why, suffix_text(c, v->str.s, why));
			return false;
		}
	} else {
		return false; /* the schema reports the type */
	}
	if (q->negative || (positive && q->units == 0 && q->nanos == 0)) {
		check_error(c, v, "quantity", positive ? "a volume needs a size above zero" : "resources cannot be negative",
			    "%s must be %s, not %s", path, positive ? "more than 0" : "0 or more",
			    v->kind == V_STRING ? v->str.s : arena_printf(c->a, "%lld", v->i));
		return false;
	}
	return true;
}

static const char *qtext(struct check *c, const struct value *v)
{
	return v->kind == V_STRING ? v->str.s : arena_printf(c->a, "%lld", v->i);
}

static void check_pool_quantities(struct check *c, const struct pool *p)
{
	struct quantity q;
	const struct value *size = v_path(p->node, "storage.size");
	if (size)
		quantity_of(c, size, arena_printf(c->a, "kafka.%s.storage.size", p->key), true, &q);
	const char *kinds[] = { "cpu", "memory" };
	for (size_t k = 0; k < 2; k++) {
		const struct value *req = v_path(p->node, arena_printf(c->a, "resources.requests.%s", kinds[k]));
		const struct value *lim = v_path(p->node, arena_printf(c->a, "resources.limits.%s", kinds[k]));
		struct quantity qr, ql;
		bool rok = req && quantity_of(c, req, arena_printf(c->a, "kafka.%s.resources.requests.%s", p->key, kinds[k]), false, &qr);
		bool lok = lim && quantity_of(c, lim, arena_printf(c->a, "kafka.%s.resources.limits.%s", p->key, kinds[k]), false, &ql);
		if (rok && lok && quantity_cmp(&qr, &ql) > 0)
			check_error(c, req, "resources",
				    "Kubernetes refuses a pod whose request is above its limit: raise the limit or lower the request",
				    "kafka.%s.resources.requests.%s (%s) is more than limits.%s (%s)", p->key, kinds[k],
				    qtext(c, req), kinds[k], qtext(c, lim));
	}
}

/* ---- Kafka's internal topics ---- */

static void check_internal_replication(struct check *c)
{
	const struct value *cfg = v_path(c->spec, "kafka.config");
	if (!cfg || cfg->kind != V_MAP || !c->brokers.ok)
		return;
	long long nb = c->brokers.n;
	static const char *const rf_keys[] = {
		"offsets.topic.replication.factor", "transaction.state.log.replication.factor",
		"default.replication.factor",
	};
	for (size_t i = 0; i < sizeof rf_keys / sizeof rf_keys[0]; i++) {
		const struct value *v = map_get(cfg, rf_keys[i]);
		long long rf;
		if (!v)
			continue;
		if (!check_config_int(v, &rf))
			continue; /* its type and range: check_kafka_config.c */
		if (rf > nb)
			check_error(c, v, "internal-replication",
				    "Kafka cannot place more replicas than brokers: lower it or add brokers",
				    "kafka.config.%s is %lld but the cluster has %lld broker%s", rf_keys[i], rf, nb,
				    nb == 1 ? "" : "s");
	}
	/* transaction.state.log.min.isr against its replication factor (the
	 * derived one when unset: min(3, brokers)). */
	const struct value *isr = map_get(cfg, "transaction.state.log.min.isr");
	long long min_isr, rf = nb < 3 ? nb : 3;
	const struct value *rfv = map_get(cfg, "transaction.state.log.replication.factor");
	if (rfv)
		check_config_int(rfv, &rf);
	if (isr && check_config_int(isr, &min_isr) && min_isr > rf && rf >= 1)
		check_error(c, isr, "internal-replication",
			    "transactions would never commit: make it at most the replication factor (usually one less)",
			    "kafka.config.transaction.state.log.min.isr is %lld, more than the transaction log's %lld replicas",
			    min_isr, rf);
	const struct value *misr = map_get(cfg, "min.insync.replicas");
	long long m;
	if (misr && check_config_int(misr, &m) && m > nb)
		check_error(c, misr, "min-isr", "acks=all producers could never write: lower it",
			    "kafka.config.min.insync.replicas is %lld but the cluster has %lld broker%s", m, nb,
			    nb == 1 ? "" : "s");
}

/* ---- GKE node pool ---- */

/* A Kubernetes label (or taint) key: [prefix/]name, name 1-63 of
 * [A-Za-z0-9-_.] starting and ending alphanumeric, prefix a DNS subdomain. */
static bool label_name_ok(const char *s, size_t n, bool empty_ok)
{
	if (n == 0)
		return empty_ok;
	if (n > 63)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		bool alnum = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
		if (!alnum && !((ch == '-' || ch == '_' || ch == '.') && i > 0 && i < n - 1))
			return false;
	}
	return true;
}

static bool label_key_ok(struct check *c, const char *s)
{
	const char *slash = strchr(s, '/');
	(void)c; /* dns1123 takes a length: no copy, c unused */
	if (!slash)
		return label_name_ok(s, strlen(s), false);
	return dns1123_subdomain(s, (size_t)(slash - s)) &&
	       label_name_ok(slash + 1, strlen(slash + 1), false);
}

static void check_gke_node_pool(struct check *c)
{
	if (!c->gke)
		return;
	const struct value *np = v_path(c->model, "platform.nodePool");
	const struct value *taint = map_get(np, "taint"); /* the model's: key, value, effect */
	const struct value *taint_at = check_written(v_path(c->spec, "platform.gke.nodePool.taint"));
	const struct value *labels = map_get(np, "labels");
	bool has_taint = taint && taint->kind == V_MAP;
	const char *hint_k = "keys are [prefix/]name: name 1-63 letters, digits, '-', '_', '.', starting and ending with a letter or digit";
	const char *hint_v = "values are at most 63 letters, digits, '-', '_', '.', starting and ending with a letter or digit";
	if (taint && taint->kind == V_MAP) {
		const struct value *k = map_get(taint, "key"), *v = map_get(taint, "value");
		if (k && k->kind == V_STRING && !label_key_ok(c, k->str.s))
			check_error(c, k, "gke-taint", hint_k, "taint key '%s' is not a valid Kubernetes key", k->str.s);
		if (v && v->kind == V_STRING && !label_name_ok(v->str.s, v->str.len, true))
			check_error(c, v, "gke-taint", hint_v, "taint value '%s' is not a valid Kubernetes label value", v->str.s);
	}
	for (size_t i = 0; labels && labels->kind == V_MAP && i < labels->map.n; i++) {
		const struct pair *pr = &labels->map.items[i];
		if (!label_key_ok(c, pr->key->str.s))
			check_error(c, pr->key, "gke-label", hint_k, "node label key '%s' is not a valid Kubernetes key", pr->key->str.s);
		if (pr->val->kind == V_STRING && !label_name_ok(pr->val->str.s, pr->val->str.len, true))
			check_error(c, pr->val, "gke-label", hint_v, "node label value '%s' is not a valid Kubernetes label value",
				    pr->val->str.s);
	}
	bool no_labels = labels && labels->kind == V_MAP && labels->map.n == 0;
	/* Brokers and controllers with dedicatedNodes tolerate the taint and
	 * select the labels; nothing else asbgen deploys goes there. */
	const struct pool *ps[] = { &c->brokers, &c->controllers };
	bool any = false;
	for (size_t k = 0; k < 2; k++) {
		const struct value *ded = check_written(map_get(ps[k]->node, "dedicatedNodes"));
		bool on = v_as_bool(v_path(c->model, arena_printf(c->a, "kafka.%s.dedicatedNodes", ps[k]->key)), true);
		any |= on;
		if (on && no_labels && has_taint)
			check_warning(c, check_first(ded, check_written(labels), NULL), "gke-taint",
				      "give the node pool labels (the default is kafka: ok) so that the pods select it",
				      "kafka.%s tolerate the node pool's taint but the pool has no labels to select: the pods may run on any node",
				      ps[k]->key);
	}
	if (has_taint && !any) {
		const char *key = v_as_str(map_get(taint, "key"), ""), *val = v_as_str(map_get(taint, "value"), "");
		const char *eff = v_as_str(map_get(taint, "effect"), "");
		/* At the taint when written, else at what turned the toleration off. */
		const struct value *ded = check_written(map_get(c->brokers.node, "dedicatedNodes"));
		check_warning(c, check_first(taint_at, ded, check_written(map_get(c->controllers.node, "dedicatedNodes"))),
			      "gke-taint",
			      "set dedicatedNodes: true on kafka.brokers and kafka.controllers, or remove the taint (taint: null)",
			      "no pod tolerates the node pool's taint %s=%s:%s (dedicatedNodes is false on both Kafka pools): nothing asbgen deploys runs on %s",
			      key, val, eff, v_as_str(map_get(np, "name"), ""));
	}
}

/* ---- storage classes ---- */

static void check_storage_class(struct check *c, const struct value *v, const char *path)
{
	if (!v || v->kind != V_STRING)
		return;
	if (!v->str.len)
		check_error(c, v, "storage-class",
			    "name the storage class (kubectl get storageclass); an empty class means no dynamic provisioning, and the volumes stay Pending",
			    "%s is empty", path);
	else if (!dns1123_subdomain(v->str.s, v->str.len))
		check_error(c, v, "storage-class", "storage class names are lowercase DNS names: letters, digits, '-' and '.'",
			    "%s '%s' is not a valid storage class name", path, v->str.s);
}

static void check_storage_classes(struct check *c)
{
	check_storage_class(c, v_path(c->spec, c->gke ? "platform.gke.storageClass" : "platform.bareMetal.storageClass"),
			    c->gke ? "platform.gke.storageClass" : "platform.bareMetal.storageClass");
	check_storage_class(c, v_path(c->spec, "kafka.brokers.storage.class"), "kafka.brokers.storage.class");
	check_storage_class(c, v_path(c->spec, "kafka.controllers.storage.class"), "kafka.controllers.storage.class");
}

/* What the checks read, through the model too (the pools are built from
 * platform and strimzi as well). */
static const char *const reads_pools[] = { "platform", "strimzi", "kafka.version", "kafka.clusterName",
					   "kafka.brokers", "kafka.controllers", NULL };
static const char *const reads_kafka[] = { "platform", "strimzi", "kafka", NULL };

void check_cluster(struct check *c)
{
	if (check_reads_sound(c, reads_pools)) {
		check_kafka_version(c);
		check_pool_size(c, &c->brokers);
		check_pool_size(c, &c->controllers);
		check_controllers(c);
		check_node_ids(c);
		check_pool_quantities(c, &c->brokers);
		check_pool_quantities(c, &c->controllers);
		check_gke_node_pool(c);
		check_storage_classes(c);
	}
	if (check_reads_sound(c, reads_kafka))
		check_internal_replication(c);
}
