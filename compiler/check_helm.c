/* check_helm.c - what the Helm values cannot deploy: the spec asks for
 * something Phalanx's alert-stream-broker chart cannot express (a topic
 * without a family, a component it has no template for, a value it
 * hard-codes).  Warnings only: kubernetes/ is the complete output, and
 * helm-* warnings say, at the spec's line, what the Helm path lacks.
 * The chart's facts are in helm_chart.h; model.helm says how the spec
 * was mapped onto them. */
#include "check.h"
#include "arena.h"
#include "buf.h"
#include "helm_chart.h"
#include "strimzi.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *HINT_COMPLETE = "deploy kubernetes/ (the complete output) instead of the Helm values";

/* The spec node at path when the user wrote it, else the first written
 * of the fallbacks, else the spec as a whole. */
static const struct value *at(struct check *c, const char *path, const char *fallback)
{
	const struct value *v = check_written(v_path(c->spec, path));
	if (!v && fallback)
		v = check_written(v_path(c->spec, fallback));
	return v;
}

static void sep(struct buf *b)
{
	if (b->len)
		buf_puts(b, "; ");
}

/* What the family a topic went to sets otherwise than the model says. */
static void topic_settings(struct check *c, const struct value *t, const char *family)
{
	const struct value *cfg = map_get(t, "config");
	const char *name = v_as_str(map_get(t, "name"), "");
	const char *comp = v_as_str(v_path(c->model, "helm.compression"), "");
	struct buf b = BUF_INIT;
	for (size_t i = 0; cfg && cfg->kind == V_MAP && i < cfg->map.n; i++) {
		const char *k = cfg->map.items[i].key->str.s;
		const char *v = helm_scalar_text(c->a, cfg->map.items[i].val);
		if (!strcmp(k, "cleanup.policy") || !strcmp(k, "retention.ms") || !strcmp(k, "retention.bytes"))
			continue; /* the family writes the topic's own */
		if (!strcmp(k, "compression.type")) {
			if (strcmp(v, comp)) {
				sep(&b);
				buf_printf(&b, "the chart sets compression.type=%s on every topic (the spec: %s)", comp, v);
			}
		} else if (!strcmp(k, "message.timestamp.type")) {
			if (strcmp(v, HELM_TOPIC_TIMESTAMP)) {
				sep(&b);
				buf_printf(&b, "the chart sets message.timestamp.type=%s (the spec: %s)", HELM_TOPIC_TIMESTAMP, v);
			}
		} else {
			sep(&b);
			buf_printf(&b, "the chart cannot set %s=%s", k, v);
		}
	}
	if (!map_get(cfg, "compression.type")) {
		sep(&b);
		buf_printf(&b, "the chart sets compression.type=%s, which the spec leaves to the broker", comp);
	}
	if (!map_get(cfg, "message.timestamp.type")) {
		sep(&b);
		buf_printf(&b, "the chart sets message.timestamp.type=%s, which the spec leaves to the broker",
			   HELM_TOPIC_TIMESTAMP);
	}
	const struct value *fam = v_path(c->model, arena_printf(c->a, "helm.families.%s", family));
	if (!map_get(cfg, "retention.ms")) {
		sep(&b);
		buf_printf(&b, "the chart sets retention.ms=%lld, which the spec leaves to the broker",
			   v_as_int(map_get(fam, "retentionMs"), 0));
	}
	if (!map_get(cfg, "retention.bytes")) {
		sep(&b);
		buf_printf(&b, "the chart sets retention.bytes=%lld, which the spec leaves to the broker",
			   v_as_int(map_get(fam, "retentionBytes"), 0));
	}
	if (b.len)
		check_warning(c, map_get(t, "name"), "helm-topic", HINT_COMPLETE,
			      "topic %s (the chart's %s topic family): %s", name, family, buf_cstr(&b));
	buf_free(&b);
}

static void check_helm_topics(struct check *c)
{
	const struct value *fams = v_path(c->model, "helm.families");
	const struct value *topics = map_get(c->model, "topics");
	struct buf extra = BUF_INIT;
	for (size_t f = 0; fams && f < fams->map.n; f++) {
		const struct value *fam = fams->map.items[f].val;
		const char *name = v_as_str(map_get(fam, "name"), "");
		if (v_as_bool(map_get(fam, "placeholder"), false)) {
			if (extra.len)
				buf_puts(&extra, ", ");
			buf_puts(&extra, name);
			continue;
		}
		for (size_t i = 0; topics && i < topics->seq.n; i++)
			if (!strcmp(v_as_str(v_path(topics->seq.items[i], "name"), ""), name))
				topic_settings(c, topics->seq.items[i], fams->map.items[f].key->str.s);
	}
	if (extra.len)
		check_warning(c, at(c, "topics", NULL), "helm-topic",
			      "give the spec a topic for each family, or deploy kubernetes/ (the complete output)",
			      "the chart always renders its five topic families: the Helm path also creates %s "
			      "(%d partition each), which the spec does not have",
			      buf_cstr(&extra), HELM_PLACEHOLDER_PARTITIONS);
	buf_free(&extra);
	const struct value *un = v_path(c->model, "helm.unmapped");
	for (size_t i = 0; un && un->kind == V_SEQ && i < un->seq.n; i++) {
		const struct value *u = un->seq.items[i];
		check_warning(c, map_get(u, "name"), "helm-topic", HINT_COMPLETE,
			      "topic %s has no family in the chart (%s): the Helm path does not create it",
			      v_as_str(map_get(u, "name"), ""), v_as_str(map_get(u, "reason"), ""));
	}
}

static void check_helm_kafka(struct check *c)
{
	const struct value *cfg = v_path(c->model, "kafka.config");
	for (size_t i = 0; i < helm_nfixed_config; i++) {
		const char *k = helm_fixed_config[i].key, *fixed = helm_fixed_config[i].value;
		if (!strcmp(k, "ssl.client.auth"))
			continue; /* Strimzi drops it: it deploys nothing */
		const struct value *v = map_get(cfg, k);
		const struct value *where = check_first(at(c, arena_printf(c->a, "kafka.config.%s", k), "kafka.config"),
						       at(c, "kafka", NULL), NULL);
		if (!v)
			check_warning(c, where, "helm-fixed", HINT_COMPLETE,
				      "kafka.config: the chart sets %s=%s, which the spec leaves at Kafka's default", k, fixed);
		else if (strcmp(helm_scalar_text(c->a, v), fixed))
			check_warning(c, where, "helm-fixed", HINT_COMPLETE,
				      "kafka.config: the chart fixes %s=%s (the spec: %s)", k, fixed,
				      helm_scalar_text(c->a, v));
	}
	long long nb = v_as_int(v_path(c->model, "kafka.brokers.replicas"), 0);
	long long nc = v_as_int(v_path(c->model, "kafka.controllers.replicas"), 0);
	if (nb != nc)
		check_warning(c, at(c, "kafka.controllers.count", "kafka.controllers"), "helm-fixed", HINT_COMPLETE,
			      "the chart gives the controller pool the broker count: the Helm path runs %lld "
			      "controllers, not %lld", nb, nc);
	const struct value *ids = v_path(c->model, "kafka.brokers.nodeIds");
	bool from_zero = true;
	for (size_t i = 0; ids && ids->kind == V_SEQ && i < ids->seq.n; i++)
		if (v_as_int(ids->seq.items[i], -1) != (long long)i)
			from_zero = false;
	if (!from_zero)
		check_warning(c, at(c, "kafka.brokers.nodeIds", NULL), "helm-fixed", HINT_COMPLETE,
			      "the chart's broker pool takes node ids from [0-%d] (a new cluster gets 0-%lld); "
			      "the spec's are %s, which the listener's broker overrides name",
			      HELM_NEXT_NODE_IDS_MAX, nb - 1,
			      v_as_str(v_path(c->model, "kafka.brokers.nodeIdRanges"), ""));
	static const char *const pools[][2] = { { "brokers", HELM_BROKER_POOL }, { "controllers", HELM_CONTROLLER_POOL } };
	for (size_t i = 0; i < 2; i++) {
		const char *key = pools[i][0];
		const char *name = v_as_str(v_path(c->model, arena_printf(c->a, "kafka.%s.name", key)), "");
		if (strcmp(name, pools[i][1]))
			check_warning(c, at(c, arena_printf(c->a, "kafka.%s.poolName", key), NULL), "helm-fixed",
				      HINT_COMPLETE, "the chart names the %s pool %s, not %s", key, pools[i][1], name);
		if (v_as_bool(v_path(c->model, arena_printf(c->a, "kafka.%s.storage.deleteClaim", key)), false))
			check_warning(c, at(c, arena_printf(c->a, "kafka.%s.storage.deleteClaim", key), NULL),
				      "helm-fixed", HINT_COMPLETE,
				      "the chart fixes deleteClaim: false for the %s pool's volumes", key);
	}
	if (c->strimzi && !strimzi_serves_api(c->strimzi, HELM_NODEPOOL_API))
		check_warning(c, at(c, "strimzi.version", "strimzi"), "helm-fixed", HINT_COMPLETE,
			      "the chart writes the node pools as kafka.strimzi.io/%s, which Strimzi %s does not serve: "
			      "the Helm path's node pools are refused", HELM_NODEPOOL_API, c->strimzi->version);
	if (v_as_bool(v_path(c->model, "external.allocateNodePorts"), false))
		check_warning(c, at(c, "platform.gke", "platform"), "helm-fixed", HINT_COMPLETE,
			      "the chart fixes allocateLoadBalancerNodePorts: false on the external listener, "
			      "where this platform's load balancers need node ports");
	bool pinned = v_path(c->model, "external.bootstrap.loadBalancerIP") &&
		      v_path(c->model, "external.bootstrap.loadBalancerIP")->kind == V_STRING;
	const struct value *eb = v_path(c->model, "external.brokers");
	for (size_t i = 0; eb && eb->kind == V_SEQ && i < eb->seq.n; i++)
		if (map_get(eb->seq.items[i], "loadBalancerIP") &&
		    map_get(eb->seq.items[i], "loadBalancerIP")->kind == V_STRING)
			pinned = true;
	if (pinned)
		check_warning(c, at(c, "external.bootstrap.ip", "external"), "helm-missing", HINT_COMPLETE,
			      "the chart cannot pin load balancer IPs on GKE (it has no loadBalancerIP): the Helm "
			      "path's external addresses are not the spec's");
}

static void check_helm_apps(struct check *c)
{
	if (!v_path(c->model, "secrets.vaultPath") || v_path(c->model, "secrets.vaultPath")->kind != V_STRING)
		check_warning(c, at(c, "secrets", NULL), "helm-missing", "set secrets.vaultPath",
			      "the chart requires vaultSecretsPath: without secrets.vaultPath `helm template` stops");
	if (v_as_bool(v_path(c->model, "simulator.enabled"), false))
		check_warning(c, at(c, "simulator.enabled", "simulator"), "helm-missing", HINT_COMPLETE,
			      "the chart has no simulator: the Helm path lacks its Deployment, load Job, KafkaUser "
			      "and topics %s, %s", v_as_str(v_path(c->model, "simulator.staticTopic"), ""),
			      v_as_str(v_path(c->model, "simulator.replayTopic"), ""));
	const struct value *db = map_get(c->model, "alertDatabase");
	if (!v_as_bool(map_get(db, "enabled"), false)) {
		check_warning(c, at(c, "alertDatabase.enabled", "alertDatabase"), "helm-missing", HINT_COMPLETE,
			      "the alert database is disabled in the spec, but the chart always renders it");
		return;
	}
	if (v_as_bool(map_get(db, "gcs"), false))
		check_warning(c, at(c, "alertDatabase.gcs", "alertDatabase"), "helm-missing", HINT_COMPLETE,
			      "the chart's alert database reads only S3: with Google Cloud Storage buckets "
			      "`helm template` stops for want of an S3 endpoint URL");
	else if (!map_get(db, "endpoint") || map_get(db, "endpoint")->kind != V_STRING)
		check_warning(c, at(c, "alertDatabase.s3", "alertDatabase"), "helm-missing",
			      "set platform.bareMetal.s3Endpoint",
			      "the chart requires an S3 endpoint URL: without one `helm template` stops");
	long long ir = v_as_int(v_path(db, "ingester.replicas"), 0), sr = v_as_int(v_path(db, "server.replicas"), 0);
	if (ir != HELM_INGESTER_REPLICAS)
		check_warning(c, at(c, "alertDatabase.ingester.replicas", "alertDatabase"), "helm-fixed", HINT_COMPLETE,
			      "the chart fixes %d alert database ingester replicas (the spec: %lld)",
			      HELM_INGESTER_REPLICAS, ir);
	if (sr != HELM_SERVER_REPLICAS)
		check_warning(c, at(c, "alertDatabase.server.replicas", "alertDatabase"), "helm-fixed", HINT_COMPLETE,
			      "the chart fixes %d alert database server replica (the spec: %lld)", HELM_SERVER_REPLICAS, sr);
	if (v_as_bool(v_path(db, "ingress.enabled"), false))
		check_warning(c, at(c, "alertDatabase.ingress.enabled", "alertDatabase"), "helm-missing", HINT_COMPLETE,
			      "the chart's alert database ingress is a GafaelfawrIngress (it needs Gafaelfawr), "
			      "not the spec's Ingress");
}

/* One ACL grant: what the model gives a user, or what the chart's
 * users.yaml would. */
struct grant {
	const char *type, *name, *op;
	bool prefix;
};

struct grants {
	struct grant *g;
	size_t n, cap;
};

/* Empty, with room for n (on the heap, reused from user to user: 10,000
 * users' arrays in the check's arena were 5 MB). */
static void grants_reset(struct grants *gs, size_t n)
{
	gs->n = 0;
	if (n > gs->cap) {
		gs->cap = n;
		gs->g = xrealloc(gs->g, n * sizeof *gs->g);
	}
}

static void grants_add(struct grants *gs, const char *type, const char *name, const char *pattern, const char *op)
{
	gs->g[gs->n++] = (struct grant){ type, name, op, !strcmp(pattern, "prefix") };
}

/* The same text, often the same pointer (a literal, a spec node's). */
static bool same_str(const char *a, const char *b)
{
	return a == b || !strcmp(a, b);
}

static bool grant_eq(const struct grant *a, const struct grant *b)
{
	return a->prefix == b->prefix && same_str(a->type, b->type) && same_str(a->name, b->name) &&
	       same_str(a->op, b->op);
}

/* A grant as the warning names it ("topic a Write", "group b (prefix) All"). */
static const char *grant_text(struct check *c, const struct grant *g)
{
	const char *parts[] = { g->type, " ", g->name, g->prefix ? " (prefix)" : "", " ", g->op };
	return arena_concat(c->a, parts, sizeof parts / sizeof *parts);
}

/* The grants of `a` that `b` lacks, listed into out (at most six named).
 * Only when the two differ: a set of b's grants as text. */
static size_t missing(struct check *c, const struct grants *a, const struct grants *b, struct buf *out)
{
	struct nameset set;
	check_nameset_init(c, &set, b->n);
	for (size_t i = 0; i < b->n; i++)
		check_nameset_add(&set, grant_text(c, &b->g[i]), i);
	size_t n = 0;
	for (size_t i = 0; i < a->n; i++) {
		const char *t = grant_text(c, &a->g[i]);
		if (check_nameset_find(&set, t) != SIZE_MAX)
			continue;
		check_nameset_add(&set, t, b->n + i); /* a grant listed twice is named once */
		if (n < 6)
			buf_printf(out, "%s%s", n ? ", " : "", t);
		n++;
	}
	if (n > 6)
		buf_printf(out, " and %zu more", n - 6);
	return n;
}

static size_t seq_len(const struct value *v)
{
	return v && v->kind == V_SEQ ? v->seq.n : 0;
}

static void helm_user_acls(struct check *c, const struct value *u, struct grants *mg, struct grants *cg)
{
	const struct value *acls = map_get(u, "acls");
	size_t nops = 0, nread = 0;
	for (size_t i = 0; i < seq_len(acls); i++)
		nops += seq_len(map_get(acls->seq.items[i], "operations"));
	for (const char *const *op = helm_read_ops; *op; op++)
		nread++;
	/* The values pass the user's topics and groups as names (values.yaml). */
	const struct value *topics = map_get(u, "topics"), *groups = map_get(u, "groups");
	struct grants model = *mg, chart = *cg;
	grants_reset(&model, nops + 1);
	grants_reset(&chart, seq_len(topics) * nread + seq_len(groups) + 1);
	*mg = model;
	*cg = chart;
	for (size_t i = 0; i < seq_len(acls); i++) {
		const struct value *r = map_get(acls->seq.items[i], "resource");
		const struct value *ops = map_get(acls->seq.items[i], "operations");
		for (size_t j = 0; j < seq_len(ops); j++)
			grants_add(&model, v_as_str(map_get(r, "type"), "?"), v_as_str(map_get(r, "name"), "?"),
				   v_as_str(map_get(r, "patternType"), "literal"), v_as_str(ops->seq.items[j], "?"));
	}
	for (size_t i = 0; i < seq_len(topics); i++)
		for (const char *const *op = helm_read_ops; *op; op++)
			grants_add(&chart, "topic", v_as_str(topics->seq.items[i], "?"), "literal", *op);
	for (size_t i = 0; i < seq_len(groups); i++)
		grants_add(&chart, "group", v_as_str(groups->seq.items[i], "?"), HELM_GROUP_PATTERN, HELM_GROUP_OP);
	/* The common case, a reader the chart describes exactly, in the
	 * chart's own order: no sets to build. */
	size_t same = 0;
	while (same < model.n && same < chart.n && grant_eq(&model.g[same], &chart.g[same]))
		same++;
	if (same == model.n && same == chart.n)
		return;
	struct buf lacks = BUF_INIT, extra = BUF_INIT;
	size_t nl = missing(c, &model, &chart, &lacks), ne = missing(c, &chart, &model, &extra);
	if (nl || ne) {
		struct buf ops = BUF_INIT;
		for (const char *const *op = helm_read_ops; *op; op++)
			buf_printf(&ops, "%s%s", op == helm_read_ops ? "" : ", ", *op);
		check_warning(c, map_get(u, "name"), "helm-fixed", HINT_COMPLETE,
			      "user %s: the chart's users only read their topics (%s) and own groups by prefix (%s): "
			      "the Helm path's KafkaUser %s%s%s%s",
			      v_as_str(map_get(u, "name"), ""), buf_cstr(&ops), HELM_GROUP_OP, nl ? "lacks " : "",
			      nl ? buf_cstr(&lacks) : "", nl && ne ? "; it grants " : ne ? "grants " : "",
			      ne ? buf_cstr(&extra) : "");
		buf_free(&ops);
	}
	buf_free(&lacks);
	buf_free(&extra);
}

static void helm_user_auth(struct check *c, const struct value *u, const char *what)
{
	const char *auth = v_as_str(map_get(u, "authentication"), HELM_USER_AUTH);
	if (strcmp(auth, HELM_USER_AUTH))
		check_warning(c, check_first(check_written(map_get(u, "authentication")), map_get(u, "name"), NULL),
			      "helm-fixed", HINT_COMPLETE,
			      "%s %s authenticates with %s: the chart makes every user and superuser %s, so the "
			      "Helm path's %s has a password instead", what, v_as_str(map_get(u, "name"), ""), auth,
			      HELM_USER_AUTH, v_as_str(map_get(u, "name"), ""));
}

static void check_helm_users(struct check *c)
{
	const struct value *users = map_get(c->model, "users"), *supers = map_get(c->model, "superusers");
	struct grants mg = { 0 }, cg = { 0 };
	for (size_t i = 0; users && users->kind == V_SEQ && i < users->seq.n; i++) {
		helm_user_auth(c, users->seq.items[i], "user");
		helm_user_acls(c, users->seq.items[i], &mg, &cg);
	}
	free(mg.g);
	free(cg.g);
	for (size_t i = 0; supers && supers->kind == V_SEQ && i < supers->seq.n; i++)
		helm_user_auth(c, supers->seq.items[i], "superuser");
	const struct value *ls = v_path(c->model, "kafka.listeners");
	bool same = ls && ls->kind == V_SEQ && ls->seq.n == helm_nlisteners;
	for (size_t i = 0; same && i < helm_nlisteners; i++) {
		const struct value *l = ls->seq.items[i];
		same = !strcmp(v_as_str(map_get(l, "name"), ""), helm_listeners[i].name) &&
		       v_as_int(map_get(l, "port"), 0) == helm_listeners[i].port &&
		       v_as_bool(map_get(l, "tls"), false) == helm_listeners[i].tls &&
		       !strcmp(v_as_str(map_get(l, "authentication"), ""), helm_listeners[i].authentication);
	}
	if (!same) {
		struct buf b = BUF_INIT;
		for (size_t i = 0; i < helm_nlisteners; i++)
			buf_printf(&b, "%s%s on %lld (%s, %s authentication)", i ? " and " : "", helm_listeners[i].name,
				   helm_listeners[i].port, helm_listeners[i].tls ? "TLS" : "plain",
				   helm_listeners[i].authentication);
		check_warning(c, at(c, "kafka.listeners", "kafka"), "helm-fixed", HINT_COMPLETE,
			      "the chart fixes the internal listeners at %s: the Helm path's are not the spec's",
			      buf_cstr(&b));
		buf_free(&b);
	}
}

/* Components the chart has no template for, or cannot switch off. */
static void check_helm_components(struct check *c)
{
	if (v_as_bool(v_path(c->model, "kafdrop.enabled"), false)) {
		const struct value *ku = map_get(c->model, "kafkaUsers");
		const char *user = "";
		for (size_t i = 0; ku && ku->kind == V_SEQ && i < ku->seq.n; i++)
			if (!strcmp(v_as_str(map_get(ku->seq.items[i], "component"), ""), "kafdrop"))
				user = v_as_str(map_get(ku->seq.items[i], "name"), "");
		check_warning(c, at(c, "kafdrop.enabled", "kafdrop"), "helm-missing", HINT_COMPLETE,
			      "the chart has no Kafdrop: the Helm path lacks its Deployment, Service, %sConfigMap "
			      "and KafkaUser %s",
			      v_as_bool(v_path(c->model, "kafdrop.ingress.enabled"), false) ? "Ingress, " : "", user);
	}
	if (v_as_bool(v_path(c->model, "kafka.jmxExporter"), false))
		check_warning(c, at(c, "kafka.metrics.jmxExporter", "kafka"), "helm-missing", HINT_COMPLETE,
			      "the chart has no metricsConfig: the Helm path's brokers export no JMX metrics");
}

static void check_helm_registry(struct check *c)
{
	const struct value *t = v_path(c->model, "registry.topic");
	long long p = v_as_int(map_get(t, "partitions"), 0), r = v_as_int(map_get(t, "replicas"), 0);
	if (p != HELM_REGISTRY_TOPIC_PARTITIONS || r != HELM_REGISTRY_TOPIC_REPLICAS)
		check_warning(c, at(c, "registry.schemaTopic", "registry"), "helm-fixed", HINT_COMPLETE,
			      "the registry chart fixes its topic at %d partition and %d replicas (the model: %lld, %lld)",
			      HELM_REGISTRY_TOPIC_PARTITIONS, HELM_REGISTRY_TOPIC_REPLICAS, p, r);
	const char *issuer = v_as_str(v_path(c->model, "registry.issuer"), "");
	if (v_as_bool(v_path(c->model, "registry.tls"), false) && strcmp(issuer, HELM_REGISTRY_ISSUER))
		check_warning(c, at(c, "registry.issuer", "registry"), "helm-fixed", HINT_COMPLETE,
			      "the registry chart fixes its ingress's issuer at %s (the spec: %s)", HELM_REGISTRY_ISSUER,
			      issuer);
}

void check_helm(struct check *c)
{
	/* Only for an environment deployed through the chart: elsewhere the
	 * Helm values are a by-product, and these warnings noise. */
	if (strcmp(v_as_str(v_path(c->model, "env.deployWith"), ""), "helm"))
		return;
	/* Without the registry there are no Helm values: nothing else to say. */
	if (!v_as_bool(v_path(c->model, "registry.enabled"), false)) {
		check_warning(c, at(c, "registry.enabled", "registry"), "helm-missing", HINT_COMPLETE,
			      "the chart always deploys the schema registry, which the spec switches off: asbgen "
			      "renders no Helm values for this environment, so there is no Helm path");
		return;
	}
	check_helm_topics(c);
	check_helm_kafka(c);
	check_helm_apps(c);
	check_helm_users(c);
	check_helm_components(c);
	check_helm_registry(c);
}
