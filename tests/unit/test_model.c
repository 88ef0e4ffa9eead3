/* test_model.c - the values the model derives from a spec. */
#include "arena.h"
#include "diag.h"
#include "load.h"
#include "model.h"
#include "unit.h"
#include "unit_spec.h"

#include <stdio.h>
#include <string.h>

static struct value *model_of(struct arena *a, struct diags *d, const char *yaml)
{
	struct value *spec = unit_spec_text(a, d, "t.yaml", yaml);
	return spec ? model_build(a, d, spec, "t.yaml") : NULL;
}

static long long mint(const struct value *m, const char *path)
{
	return v_as_int(v_path(m, path), -999);
}

static const char *mstr(const struct value *m, const char *path)
{
	return v_as_str(v_path(m, path), "(absent)");
}

#define BASE "name: t\nplatform: {type: bare-metal, bareMetal: {addressPool: p, addressRange: 10.0.0.0/24, storageClass: s}}\nregistry: {hostname: r.example}\n"

static void test_replication(void)
{
	struct { int brokers; long long rf, isr; } cases[] = { { 1, 1, 1 }, { 2, 2, 1 }, { 3, 3, 2 }, { 6, 3, 2 } };
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct arena *a = arena_new();
		struct diags d;
		diags_init(&d, a);
		char spec[512];
		snprintf(spec, sizeof spec, BASE "kafka: {brokers: {count: %d}}\n", cases[i].brokers);
		struct value *m = model_of(a, &d, spec);
		char name[128];
		snprintf(name, sizeof name, "%d brokers: replication factor %lld, min isr %lld", cases[i].brokers,
			 cases[i].rf, cases[i].isr);
		const struct value *cfg = m ? v_path(m, "kafka.config") : NULL;
		CHECK(name, cfg && v_as_int(map_get(cfg, "offsets.topic.replication.factor"), 0) == cases[i].rf &&
			       v_as_int(map_get(cfg, "transaction.state.log.replication.factor"), 0) == cases[i].rf &&
			       v_as_int(map_get(cfg, "transaction.state.log.min.isr"), 0) == cases[i].isr &&
			       map_get(cfg, "auto.create.topics.enable")->kind == V_BOOL &&
			       !map_get(cfg, "auto.create.topics.enable")->b);
		diags_free(&d);
		arena_free(a);
	}
}

static void test_overrides_and_ids(void)
{
	struct arena *a = arena_new();
	struct diags d;
	diags_init(&d, a);
	struct value *m = model_of(a, &d, BASE
		"kafka:\n  brokers: {nodeIds: [11, 6, 7, 8, 10]}\n  config: {offsets.topic.replication.factor: 2}\n");
	CHECK("model builds", m != NULL);
	CHECK("user config wins over derived", mint(m, "kafka.config") == -999 &&
	      v_as_int(map_get(v_path(m, "kafka.config"), "offsets.topic.replication.factor"), 0) == 2);
	CHECK_STR("node id ranges, sorted", mstr(m, "kafka.brokers.nodeIdRanges"), "[6-8, 10-11]");
	CHECK("broker replicas from ids", mint(m, "kafka.brokers.replicas") == 5);
	CHECK_STR("controllers default to ids 100-102", mstr(m, "kafka.controllers.nodeIdRanges"), "[100-102]");
	CHECK_STR("storage class from the platform", mstr(m, "kafka.brokers.storage.class"), "s");
	CHECK_STR("Strimzi default", mstr(m, "strimzi.version"), "1.0.0");
	CHECK_STR("API v1 on Strimzi 1.0.0", mstr(m, "strimzi.apiVersion"), "kafka.strimzi.io/v1");
	CHECK_STR("Kafka default is the release's last", mstr(m, "kafka.version"), "4.2.0");
	CHECK("no KRaft annotations on 1.0.0", !v_as_bool(v_path(m, "strimzi.kraftAnnotations"), true));
	diags_free(&d);
	arena_free(a);
}

static void test_strimzi_api(void)
{
	struct { const char *ver, *api; bool ann; } cases[] = {
		{ "0.45.0", "kafka.strimzi.io/v1beta2", true },
		{ "0.47.0", "kafka.strimzi.io/v1beta2", true },
		{ "0.48.0", "kafka.strimzi.io/v1beta2", false },
		{ "0.51.0", "kafka.strimzi.io/v1", false },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct arena *a = arena_new();
		struct diags d;
		diags_init(&d, a);
		char spec[512];
		snprintf(spec, sizeof spec, BASE "strimzi: {version: %s}\n", cases[i].ver);
		struct value *m = model_of(a, &d, spec);
		char name[128];
		snprintf(name, sizeof name, "Strimzi %s: %s, kraft annotations %d", cases[i].ver, cases[i].api, cases[i].ann);
		CHECK(name, m && !strcmp(mstr(m, "strimzi.apiVersion"), cases[i].api) &&
			       v_as_bool(v_path(m, "strimzi.kraftAnnotations"), !cases[i].ann) == cases[i].ann);
		diags_free(&d);
		arena_free(a);
	}
}

static void test_topics_users(void)
{
	struct arena *a = arena_new();
	struct diags d;
	diags_init(&d, a);
	struct value *m = model_of(a, &d, BASE
		"kafka: {brokers: {count: 6}}\n"
		"topicDefaults: {replicas: 3, compression: snappy}\n"
		"topics:\n  - {name: lsst-alerts-v10.0, partitions: 45, retention: {bytes: 100}}\n"
		"  - {name: Under_Score, partitions: 1, replicas: 1, compression: lz4}\n"
		"users:\n  - {name: fink, topics: [lsst-alerts-v10.0]}\n  - {name: all, topics: ['*'], groups: [g1, g2]}\n");
	CHECK("model builds", m != NULL);
	const struct value *t0 = v_path(m, "topics")->seq.items[0], *t1 = v_path(m, "topics")->seq.items[1];
	CHECK_STR("valid topic name is the object name", mstr(t0, "objectName"), "lsst-alerts-v10.0");
	CHECK("no topicName needed", !v_as_bool(map_get(t0, "needsTopicName"), true));
	CHECK("defaults apply", mint(t0, "replicas") == 3 &&
	      !strcmp(v_as_str(map_get(map_get(t0, "config"), "compression.type"), ""), "snappy"));
	CHECK("min isr 2 at 3 replicas", v_as_int(map_get(map_get(t0, "config"), "min.insync.replicas"), 0) == 2);
	CHECK("retention bytes total = bytes x partitions x replicas", mint(t0, "retentionBytesTotal") == 100 * 45 * 3);
	const char *on = mstr(t1, "objectName");
	CHECK("invalid name sanitised with a hash", !strncmp(on, "under-score-", 12) && strlen(on) == 20);
	CHECK("topic overrides defaults", mint(t1, "replicas") == 1 &&
	      !strcmp(v_as_str(map_get(map_get(t1, "config"), "compression.type"), ""), "lz4") &&
	      !map_get(map_get(t1, "config"), "min.insync.replicas"));
	const struct value *u0 = v_path(m, "users")->seq.items[0], *u1 = v_path(m, "users")->seq.items[1];
	const struct value *acls = map_get(u0, "acls");
	CHECK("user acls: topic read + own group prefix", acls && acls->seq.n == 2 &&
	      !strcmp(mstr(acls->seq.items[0], "resource.name"), "lsst-alerts-v10.0") &&
	      map_get(acls->seq.items[0], "operations")->seq.n == 3 &&
	      !strcmp(mstr(acls->seq.items[1], "resource.name"), "fink") &&
	      !strcmp(mstr(acls->seq.items[1], "resource.patternType"), "prefix"));
	CHECK_STR("secret key convention", mstr(u0, "secretKey"), "fink-password");
	CHECK("wildcard and two groups", map_get(u1, "acls")->seq.n == 3 &&
	      !strcmp(mstr(map_get(u1, "acls")->seq.items[0], "resource.name"), "*"));
	CHECK_STR("superuser default", mstr(v_path(m, "superusers")->seq.items[0], "name"), "kafka-admin");
	diags_free(&d);
	arena_free(a);
}

static void test_platforms(void)
{
	struct arena *a = arena_new();
	struct diags d;
	diags_init(&d, a);
	struct value *bm = model_of(a, &d, BASE "external: {bootstrap: {host: b.example, ip: 10.0.0.1}, brokers: [{nodeId: 0, host: k0.example, ip: 10.0.0.2}]}\n");
	/* The MetalLB annotations are common/lb-annotations.yaml's shape: the
	 * model gives the pool and the address to pin. */
	CHECK_STR("bare metal: the MetalLB pool", mstr(bm, "platform.addressPool"), "p");
	CHECK_STR("bare metal: the address to pin", mstr(bm, "external.bootstrap.ip"), "10.0.0.1");
	CHECK("bare metal: no loadBalancerIP, no node ports", v_path(bm, "external.bootstrap.loadBalancerIP")->kind == V_NULL &&
	      !v_as_bool(v_path(bm, "external.allocateNodePorts"), true));
	CHECK_STR("plaintext SASL without TLS", mstr(bm, "external.securityProtocol"), "SASL_PLAINTEXT");
	CHECK_STR("client bootstrap", mstr(bm, "external.bootstrapServers"), "b.example:9094");
	CHECK("dns names: bootstrap then brokers", v_path(bm, "external.dnsNames")->seq.n == 2);
	struct value *g = model_of(a, &d, "name: g\nplatform: {type: gke, gke: {project: my-project-1}}\nregistry: {hostname: r.example}\n"
				   "external: {tls: {enabled: true}, bootstrap: {host: b.example, ip: 10.0.0.1}}\n");
	CHECK_STR("gke: pinned loadBalancerIP", mstr(g, "external.bootstrap.loadBalancerIP"), "10.0.0.1");
	CHECK("gke: no MetalLB (the annotations' condition)", !v_as_bool(v_path(g, "platform.bareMetal"), true));
	CHECK_STR("gke: taint in terraform spelling", mstr(g, "platform.nodePool.taint.terraformEffect"), "NO_SCHEDULE");
	CHECK("gke: brokers tolerate the taint", v_path(g, "kafka.brokers.tolerations")->seq.n == 1);
	CHECK_STR("gke: brokers require the pool's label (common/pool-affinity.yaml)",
		  v_as_str(map_get(v_path(g, "kafka.brokers.nodeLabels"), "kafka"), ""), "ok");
	CHECK_STR("TLS: SASL_SSL", mstr(g, "external.securityProtocol"), "SASL_SSL");
	CHECK_STR("gke: alert database on GCS", mstr(g, "alertDatabase.backend"), "gcs");
	diags_free(&d);
	arena_free(a);
}

/* Object names follow Kubernetes' DNS-1123 subdomain rule; other topic
 * names are sanitised and get a hash of the real name. */
static bool dns1123(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 253)
		return false;
	for (const char *label = s;;) {
		const char *dot = strchr(label, '.');
		size_t l = dot ? (size_t)(dot - label) : strlen(label);
		if (l == 0 || label[0] == '-' || label[l - 1] == '-')
			return false;
		for (size_t i = 0; i < l; i++)
			if (!((label[i] >= 'a' && label[i] <= 'z') || (label[i] >= '0' && label[i] <= '9') ||
			      label[i] == '-'))
				return false;
		if (!dot)
			return true;
		label = dot + 1;
	}
}

static void test_object_names(void)
{
	struct arena *a = arena_new();
	CHECK_STR("object name: a valid name is kept", topic_object_name(a, "lsst-alerts-v7.1"),
		  "lsst-alerts-v7.1");
	const char *bad[] = { "a..b", "x.-y", "x-.y", ".a", "a.", "Alerts_V1", "_", "a.-", "..." };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *o = topic_object_name(a, bad[i]);
		char name[80];
		snprintf(name, sizeof name, "object name: '%s' becomes a DNS-1123 subdomain (%s)", bad[i], o);
		CHECK(name, strcmp(o, bad[i]) != 0 && dns1123(o));
	}
	CHECK("object name: 'a..b' and 'a.-b' stay distinct",
	      strcmp(topic_object_name(a, "a..b"), topic_object_name(a, "a.-b")) != 0);
	arena_free(a);
}

int main(void)
{
	test_replication();
	test_object_names();
	test_overrides_and_ids();
	test_strimzi_api();
	test_topics_users();
	test_platforms();
	return UNIT_DONE();
}
