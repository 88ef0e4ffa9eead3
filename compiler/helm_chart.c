/* helm_chart.c - the spec in the terms of Phalanx's alert-stream-broker
 * chart: which spec topic takes which of the chart's topic families, and
 * the Kafka config the chart leaves to the values (see helm_chart.h). */
#include "helm_chart.h"
#include "arena.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* charts/alert-stream-broker/templates/kafka-topics.yaml, in its order. */
const struct helm_family helm_families[] = {
	{ "test", "alert-stream-test", "test" },
	{ "latiss", "latiss-alerts", "test" },
	{ "lsstcam100", "lsst-alerts-v10.0", "lsstcam100" },
	{ "lsstcam110", "lsst-alerts-v11.0", "lsstcam110" },
	{ "lsstcamReprocess", "lsst-alerts-reprocessed-v10.0", "lsstcamReprocess" },
};
const size_t helm_nfamilies = sizeof helm_families / sizeof helm_families[0];

/* charts/alert-stream-broker/templates/kafka.yaml, spec.kafka.config. */
const struct helm_fixed_config helm_fixed_config[] = {
	{ "offsets.topic.replication.factor", "3" },
	{ "transaction.state.log.replication.factor", "3" },
	{ "transaction.state.log.min.isr", "2" },
	{ "message.max.bytes", "4194304" },
	{ "ssl.client.auth", "required" },
};
const size_t helm_nfixed_config = sizeof helm_fixed_config / sizeof helm_fixed_config[0];

/* charts/alert-stream-broker/templates/users.yaml: a readonlyTopics entry. */
const char *const helm_read_ops[] = { "Read", "Describe", "DescribeConfigs", NULL };

/* charts/alert-stream-broker/templates/kafka.yaml, spec.kafka.listeners
 * before the external one ("tls" is the name the registry expects). */
const struct helm_listener helm_listeners[] = {
	{ "internal", 9092, true, "tls" },
	{ "tls", 9093, true, "tls" },
};
const size_t helm_nlisteners = sizeof helm_listeners / sizeof helm_listeners[0];

/* charts/alert-stream-broker/values.yaml: kafka.config's defaults, which
 * Helm merges under the values' unless the values null them. */
static const char *const chart_default_config[] = {
	"offsets.retention.minutes", "log.retention.hours", "log.retention.bytes", "auto.create.topics.enable",
};

/* Topics without a family name of their own go first to the families
 * with retention keys of their own, so two of them need not share one. */
static const size_t second_pass[] = { 2, 3, 4, 0, 1 };

/* Kafka's own topic defaults, written where the spec leaves retention to
 * the broker: the chart's families always write both keys. */
#define KAFKA_RETENTION_MS 604800000LL
#define KAFKA_RETENTION_BYTES -1LL

const char *helm_fixed_config_value(const char *key)
{
	for (size_t i = 0; i < helm_nfixed_config; i++)
		if (!strcmp(helm_fixed_config[i].key, key))
			return helm_fixed_config[i].value;
	return NULL;
}

const char *helm_scalar_text(struct arena *a, const struct value *v)
{
	if (!v)
		return "";
	switch (v->kind) {
	case V_STRING: return v->str.s;
	case V_INT: return arena_printf(a, "%lld", v->i);
	case V_BOOL: return v->b ? "true" : "false";
	case V_FLOAT: return arena_printf(a, "%.17g", v->f);
	default: return "";
	}
}

static long long eff(const struct value *v, long long dflt)
{
	return v && v->kind == V_INT ? v->i : dflt;
}

static struct value *lit(struct arena *a, const char *s) { return v_lit(a, NULL, s); }

/* What one family gets. */
struct slot {
	const struct value *topic; /* the model's topic, NULL: a placeholder */
	long long ms, bytes;
};

static int family_index(const char *id)
{
	for (size_t i = 0; i < helm_nfamilies; i++)
		if (!strcmp(helm_families[i].id, id))
			return (int)i;
	return -1;
}

/* Why topic t cannot take family f (NULL: it can). */
static const char *refuse(struct arena *a, const struct slot *slots, size_t f, const struct value *t,
			  long long ms, long long bytes)
{
	const char *pol = v_as_str(map_get(t, "cleanupPolicy"), HELM_TOPIC_CLEANUP);
	if (strcmp(pol, HELM_TOPIC_CLEANUP))
		return arena_printf(a, "cleanup.policy is %s; every family of the chart is %s", pol,
				    HELM_TOPIC_CLEANUP);
	int r = family_index(helm_families[f].retention);
	for (size_t g = 0; g < helm_nfamilies; g++) {
		if (g == f || !slots[g].topic || family_index(helm_families[g].retention) != r)
			continue;
		if (slots[g].ms != ms || slots[g].bytes != bytes)
			return arena_printf(a, "its retention differs from %s's, with which the %s family shares "
					    "its retention keys",
					    v_as_str(map_get(slots[g].topic, "name"), ""), helm_families[f].id);
	}
	return NULL;
}

struct value *helm_chart_model(struct arena *a, const struct value *model)
{
	struct value *helm = v_map(a, NULL);
	struct slot slots[sizeof helm_families / sizeof helm_families[0]] = { { 0 } };
	const struct value *topics = map_get(model, "topics");
	size_t nt = topics && topics->kind == V_SEQ ? topics->seq.n : 0;
	bool *placed = arena_alloc(a, (nt ? nt : 1) * sizeof *placed);
	const char **why = arena_alloc(a, (nt ? nt : 1) * sizeof *why);

	/* First the topics named as Phalanx named a family's, then the rest
	 * in spec order.  Built-in topics (the simulator's) are not the
	 * spec's topics list: check_helm.c reports the simulator as a whole. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < nt; i++) {
			const struct value *t = topics->seq.items[i];
			if (placed[i] || v_as_bool(map_get(t, "builtin"), false))
				continue;
			const char *name = v_as_str(map_get(t, "name"), "");
			long long ms = eff(map_get(t, "retentionMs"), KAFKA_RETENTION_MS);
			long long bytes = eff(map_get(t, "retentionBytes"), KAFKA_RETENTION_BYTES);
			for (size_t k = 0; k < helm_nfamilies && !placed[i]; k++) {
				size_t f = pass ? second_pass[k] : k;
				if (slots[f].topic || (!pass && strcmp(helm_families[f].name, name)))
					continue;
				const char *no = refuse(a, slots, f, t, ms, bytes);
				if (no) {
					if (!why[i])
						why[i] = no;
					continue;
				}
				slots[f] = (struct slot){ t, ms, bytes };
				placed[i] = true;
			}
		}
	}

	/* One compression for every family: the first placed topic's. */
	struct value *compression = NULL;
	for (size_t i = 0; i < nt && !compression; i++) {
		struct value *c = map_get(map_get(topics->seq.items[i], "config"), "compression.type");
		if (placed[i] && c && c->kind == V_STRING)
			compression = c;
	}
	map_set_lit(a, helm, "compression", compression ? compression : lit(a, "producer"));

	/* A free family still renders: a small placeholder, retention shared
	 * with its partner's topic where it reads the partner's keys. */
	long long dflt_replicas = eff(v_path(model, "kafka.brokers.replicas"), 3);
	dflt_replicas = dflt_replicas < 3 ? dflt_replicas : 3;
	struct value *fams = v_map(a, NULL);
	for (size_t f = 0; f < helm_nfamilies; f++) {
		struct value *o = v_map(a, NULL);
		const struct value *t = slots[f].topic;
		if (!t) {
			int r = family_index(helm_families[f].retention);
			long long ms = HELM_PLACEHOLDER_RETENTION_MS, bytes = HELM_PLACEHOLDER_RETENTION_BYTES;
			for (size_t g = 0; g < helm_nfamilies; g++)
				if (slots[g].topic && family_index(helm_families[g].retention) == r)
					ms = slots[g].ms, bytes = slots[g].bytes;
			/* A placeholder never takes a name the model's topics use. */
			const char *name = helm_families[f].name;
			for (size_t i = 0; i < nt; i++)
				if (!strcmp(v_as_str(map_get(topics->seq.items[i], "name"), ""), name))
					name = arena_printf(a, "%s-helm-placeholder", helm_families[f].name);
			map_set_lit(a, o, "name", lit(a, name));
			map_set_lit(a, o, "placeholder", v_bool(a, NULL, true));
			map_set_lit(a, o, "partitions", v_int(a, NULL, HELM_PLACEHOLDER_PARTITIONS));
			map_set_lit(a, o, "replicas", v_int(a, NULL, dflt_replicas));
			map_set_lit(a, o, "retentionMs", v_int(a, NULL, ms));
			map_set_lit(a, o, "retentionBytes", v_int(a, NULL, bytes));
		} else {
			map_set_lit(a, o, "name", map_get(t, "name"));
			map_set_lit(a, o, "placeholder", v_bool(a, NULL, false));
			map_set_lit(a, o, "partitions", map_get(t, "partitions"));
			map_set_lit(a, o, "replicas", map_get(t, "replicas"));
			map_set_lit(a, o, "retentionMs", v_int(a, NULL, slots[f].ms));
			map_set_lit(a, o, "retentionBytes", v_int(a, NULL, slots[f].bytes));
		}
		map_set_lit(a, fams, helm_families[f].id, o);
	}
	map_set_lit(a, helm, "families", fams);

	struct value *unmapped = v_seq(a, NULL);
	for (size_t i = 0; i < nt; i++) {
		const struct value *t = topics->seq.items[i];
		if (placed[i] || v_as_bool(map_get(t, "builtin"), false))
			continue;
		struct value *u = v_map(a, NULL);
		map_set_lit(a, u, "name", map_get(t, "name"));
		map_set_lit(a, u, "reason", lit(a, why[i] ? why[i] : "all five families are taken"));
		seq_push(a, unmapped, u);
	}
	map_set_lit(a, helm, "unmapped", unmapped);

	/* kafka.config without the keys kafka.yaml writes itself, as text:
	 * the chart prints each value as it is, and Helm would print a
	 * number read from the values (a float64) from 1e+06 on in exponent
	 * form.  The chart's own defaults the spec does not set are nulled. */
	struct value *kc = v_map(a, NULL);
	const struct value *cfg = v_path(model, "kafka.config");
	for (size_t i = 0; cfg && cfg->kind == V_MAP && i < cfg->map.n; i++) {
		const struct pair *p = &cfg->map.items[i];
		if (!helm_fixed_config_value(p->key->str.s))
			map_put(a, kc, p->key,
				p->val->kind == V_STRING ? p->val : v_str(a, &p->val->mark, helm_scalar_text(a, p->val)));
	}
	for (size_t i = 0; i < sizeof chart_default_config / sizeof chart_default_config[0]; i++)
		if (!map_get(cfg, chart_default_config[i]))
			map_set_lit(a, kc, chart_default_config[i], v_null(a, NULL));
	map_set_lit(a, helm, "kafkaConfig", kc);
	return helm;
}
