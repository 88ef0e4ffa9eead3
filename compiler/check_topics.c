/* check_topics.c - topics (names, partitions, replicas, min.insync.replicas,
 * what their retention needs on disk) and the schema registry, when it is
 * on (compatibility, schema versions and alert topics).  Users are
 * check_users.c's. */
#include "check.h"
#include "arena.h"
#include "buf.h"
#include "model.h"
#include "quantity.h"

#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KAFKA_MAX_TOPIC 249
#define STRIMZI_MAX_PARTITIONS 2147483647LL /* KafkaTopic spec.partitions is an int */
#define DISK_WARN_PERCENT 85

/* ---- names ---- */

/* Why a Kafka topic name is invalid, or NULL. */
static const char *topic_name_problem(struct check *c, const char *s)
{
	size_t n = strlen(s);
	if (n == 0)
		return "it is empty";
	if (n > KAFKA_MAX_TOPIC)
		return arena_printf(c->a, "it is %zu characters long, more than Kafka's %d", n, KAFKA_MAX_TOPIC);
	if (!strcmp(s, ".") || !strcmp(s, ".."))
		return "'.' and '..' are not allowed";
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (!isalnum(ch) && ch != '.' && ch != '_' && ch != '-')
			return ch < 0x20 || ch >= 0x7f ? arena_printf(c->a, "it has the byte 0x%02x at position %zu", ch, i + 1)
						      : arena_printf(c->a, "it has '%c' at position %zu", ch, i + 1);
	}
	return NULL;
}

/* Kafka refuses a topic whose name equals another's once '.' and '_' are
 * made the same (they collide in metric names). */
static char *fold_name(struct check *c, const char *s)
{
	char *f = arena_strdup(c->a, s);
	for (char *p = f; *p; p++)
		if (*p == '.')
			*p = '_';
	return f;
}

static void check_topic_names(struct check *c)
{
	const char *hint = "Kafka topic names are 1-249 letters, digits, '.', '_' and '-'";
	bool *bad = arena_alloc(c->a, (c->ntopics ? c->ntopics : 1) * sizeof *bad);
	for (size_t i = 0; i < c->ntopics; i++) {
		const char *why = topic_name_problem(c, c->topics[i].name);
		if (why) {
			check_error(c, c->topics[i].at, "topic-name", hint, "%s: '%s' is not a valid Kafka topic name: %s",
				    c->topics[i].origin, c->topics[i].name, why);
			bad[i] = true;
		}
	}
	/* Duplicates, '.'/'_' collisions and clashing object names; quadratic
	 * only in the rare case of many topics sharing a hash bucket. */
	const char **folded = arena_alloc(c->a, (c->ntopics ? c->ntopics : 1) * sizeof *folded);
	const char **objs = arena_alloc(c->a, (c->ntopics ? c->ntopics : 1) * sizeof *objs);
	for (size_t i = 0; i < c->ntopics; i++) {
		folded[i] = fold_name(c, c->topics[i].name);
		objs[i] = bad[i] ? NULL : topic_object_name(c->a, c->topics[i].name);
	}
	size_t nb = 1;
	while (nb < c->ntopics * 2)
		nb <<= 1;
	size_t *heads = arena_alloc(c->a, nb * sizeof *heads), *next = arena_alloc(c->a, (c->ntopics + 1) * sizeof *next);
	for (size_t i = 0; i < nb; i++)
		heads[i] = SIZE_MAX;
	for (size_t i = 0; i < c->ntopics; i++) {
		const struct topic *t = &c->topics[i];
		unsigned long h = 5381;
		for (const char *p = folded[i]; *p; p++)
			h = h * 33 + (unsigned char)*p;
		size_t b = h & (nb - 1);
		for (size_t j = heads[b]; j != SIZE_MAX; j = next[j]) {
			const struct topic *u = &c->topics[j];
			if (strcmp(folded[i], folded[j]) != 0)
				continue;
			if (!strcmp(t->name, u->name) && t->builtin && !u->builtin)
				check_error(c, u->at, "topic-duplicate",
					    arena_printf(c->a, "asbgen creates this topic itself (%s): remove it from topics, or rename one", t->origin),
					    "topic '%s' (%s) is also the topic of %s (line %d)", u->name, u->origin, t->origin,
					    t->at->mark.line);
			else if (!strcmp(t->name, u->name))
				check_error(c, t->at, "topic-duplicate", "remove one of them",
					    "topic '%s' (%s) is already defined by %s (line %d)", t->name, t->origin, u->origin,
					    u->at->mark.line);
			else
				check_error(c, t->at, "topic-collision",
					    "Kafka treats '.' and '_' as the same in topic names (metric names): rename one",
					    "topic '%s' (%s) collides with '%s' (%s, line %d)", t->name, t->origin, u->name,
					    u->origin, u->at->mark.line);
			break;
		}
		next[i] = heads[b];
		heads[b] = i;
	}
	/* KafkaTopic object names: a name that is not a valid object name gets
	 * a sanitised one with a hash, which could still meet another's. */
	struct nameset objset;
	check_nameset_init(c, &objset, c->ntopics);
	for (size_t i = 0; i < c->ntopics; i++) {
		if (!objs[i])
			continue;
		size_t j = check_nameset_add(&objset, objs[i], i);
		const struct topic *t = &c->topics[i], *u = &c->topics[j];
		if (j == i || !strcmp(t->name, u->name))
			continue; /* a duplicate name is reported above */
		if (!strcmp(objs[i], t->name))
			check_error(c, t->at, "topic-object-name", "rename one of the topics",
				    "topic '%s' is the KafkaTopic object name asbgen gives '%s' (line %d)", t->name, u->name,
				    u->at->mark.line);
		else
			check_error(c, t->at, "topic-object-name", "rename one of the topics",
				    "topic '%s' gets the KafkaTopic object name '%s', as '%s' (line %d) does", t->name, objs[i],
				    u->name, u->at->mark.line);
	}
}

/* ---- partitions, replicas, min.insync.replicas ---- */

static void check_partitions_node(struct check *c, const struct value *v, const char *path)
{
	if (!v || v->kind != V_INT)
		return;
	if (v->i < 1)
		check_error(c, v, "topic-partitions", "a topic needs at least one partition",
			    "%s is %lld", path, v->i);
	else if (v->i > STRIMZI_MAX_PARTITIONS)
		check_error(c, v, "topic-partitions", "KafkaTopic's spec.partitions is a 32-bit integer",
			    "%s is %lld, more than %lld", path, v->i, STRIMZI_MAX_PARTITIONS);
}

/* A list of topic names, for "N topics (a, b, c, ...)". */
static const char *names_text(struct check *c, const struct topic **ts, size_t n)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n && (n <= 6 || i < 4); i++)
		buf_printf(&b, "%s%s", i ? ", " : "", ts[i]->name);
	if (n > 6)
		buf_printf(&b, ", and %zu more", n - 4);
	const char *s = arena_strdup(c->a, buf_cstr(&b));
	buf_free(&b);
	return s;
}

static void check_replicas(struct check *c)
{
	const struct value *dflt = map_get(c->spec, "topicDefaults");
	check_partitions_node(c, map_get(dflt, "partitions"), "topicDefaults.partitions");
	const struct value *st = map_get(c->spec, "topics");
	for (size_t i = 0; st && st->kind == V_SEQ && i < st->seq.n; i++)
		check_partitions_node(c, map_get(st->seq.items[i], "partitions"), arena_printf(c->a, "topics[%zu].partitions", i));

	/* Without a usable broker count only the lower bound is checked. */
	long long nb = c->brokers.ok ? c->brokers.n : LLONG_MAX;
	const struct value *dreps = map_get(dflt, "replicas");
	const struct topic **single = arena_alloc(c->a, (c->ntopics ? c->ntopics : 1) * sizeof *single);
	size_t nsingle = 0;
	if (dreps && dreps->kind == V_INT && dreps->i < 1)
		check_error(c, dreps, "topic-replicas", "a topic needs at least one replica", "topicDefaults.replicas is %lld", dreps->i);
	else if (dreps && dreps->kind == V_INT && dreps->i > nb)
		check_error(c, dreps, "topic-replicas", "Kafka cannot place more replicas than brokers: lower it or add brokers",
			    "topicDefaults.replicas is %lld but the cluster has %lld broker%s", dreps->i, nb, nb == 1 ? "" : "s");
	for (size_t i = 0; i < c->ntopics; i++) {
		const struct topic *t = &c->topics[i];
		if (t->replicas_from_defaults) {
			if (t->replicas == 1 && nb > 1 && c->brokers.ok)
				single[nsingle++] = t;
			continue; /* reported once, at topicDefaults.replicas */
		}
		if (!t->replicas_at)
			continue; /* derived: min(3, brokers) */
		if (t->replicas < 1)
			check_error(c, t->replicas_at, "topic-replicas", "a topic needs at least one replica",
				    "topic '%s' has %lld replicas", t->name, t->replicas);
		else if (t->replicas > nb)
			check_error(c, t->replicas_at, "topic-replicas",
				    "Kafka cannot place more replicas than brokers: lower it or add brokers",
				    "topic '%s' has %lld replicas but the cluster has %lld broker%s", t->name, t->replicas, nb,
				    nb == 1 ? "" : "s");
		else if (t->replicas == 1 && nb > 1 && c->brokers.ok)
			check_warning(c, t->replicas_at, "topic-single-replica",
				      "use 3 replicas (with min.insync.replicas 2) if the disks allow it",
				      "topic '%s' has a single replica on a %lld-broker cluster: losing one broker makes its partitions unavailable",
				      t->name, nb);
	}
	if (nsingle)
		check_warning(c, dreps, "topic-single-replica", "use 3 replicas (with min.insync.replicas 2) if the disks allow it",
			      "topicDefaults.replicas is 1 on a %lld-broker cluster: %zu topic%s (%s) %s a single replica; losing one broker makes their partitions unavailable",
			      nb, nsingle, nsingle == 1 ? "" : "s", names_text(c, single, nsingle), nsingle == 1 ? "has" : "have");
}

static void check_min_isr(struct check *c)
{
	const struct value *broker_isr = map_get(v_path(c->spec, "kafka.config"), "min.insync.replicas");
	long long bisr = 1;
	if (broker_isr && !check_config_int(broker_isr, &bisr))
		bisr = 1; /* reported by check_cluster */
	const struct value *last = NULL;
	for (size_t i = 0; i < c->ntopics; i++) {
		const struct topic *t = &c->topics[i];
		if (t->replicas < 1)
			continue;
		const struct value *v = check_topic_config(t, "min.insync.replicas");
		long long m;
		if (v) {
			if (v == last)
				continue; /* the same topicDefaults node: reported once */
			if (!check_config_int(v, &m)) {
				continue; /* its type and range: check_kafka_config.c */
			} else if (m > t->replicas) {
				check_error(c, v, "min-isr",
					    "acks=all producers could never write: make it at most the replica count (usually one less)",
					    "min.insync.replicas of topic '%s' is %lld, more than its %lld replica%s", t->name, m,
					    t->replicas, t->replicas == 1 ? "" : "s");
				last = v;
			}
		} else if (t->replicas < 3 && broker_isr && bisr > t->replicas) {
			/* Topics with 3+ replicas get min.insync.replicas 2 from the model. */
			check_error(c, check_first(t->replicas_at, t->at, NULL), "min-isr",
				    "set the topic's config min.insync.replicas, or give it more replicas",
				    "topic '%s' has %lld replica%s but inherits min.insync.replicas %lld from kafka.config (line %d)",
				    t->name, t->replicas, t->replicas == 1 ? "" : "s", bisr, broker_isr->mark.line);
		}
	}
}

/* ---- disk capacity ---- */

static const char *human_bytes(struct check *c, long long b)
{
	static const char *const units[] = { "bytes", "kB", "MB", "GB", "TB", "PB", "EB" };
	double v = (double)b;
	size_t u = 0;
	while (v >= 1000 && u + 1 < sizeof units / sizeof units[0]) {
		v /= 1000;
		u++;
	}
	return u ? arena_printf(c->a, "%.1f %s", v, units[u]) : arena_printf(c->a, "%lld bytes", b);
}

/* retention.bytes of a topic as the broker applies it: the configs, the
 * topic's own setting, else the broker's log.retention.bytes; -1 when
 * unlimited.  Returns false when a config is not an integer (reported
 * with its type by check_kafka_config.c). */
static bool retention_bytes(struct check *c, const struct topic *t, long long *out, const struct value **at)
{
	const struct value *v = check_topic_config(t, "retention.bytes");
	if (!v && (t->bytes_at || t->bytes >= 0)) {
		*out = t->bytes;
		*at = check_first(t->bytes_at, t->at, NULL);
		return true;
	}
	if (!v)
		v = map_get(v_path(c->spec, "kafka.config"), "log.retention.bytes");
	*at = v ? v : t->at;
	*out = -1;
	if (v && !check_config_int(v, out))
		return false; /* its type: check_kafka_config.c */
	return true;
}

/* Does a deleting topic keep messages forever?  retention.ms -1 in its
 * configs or settings, else the broker's log.retention.ms. */
static bool keeps_forever(struct check *c, const struct topic *t, const struct value **at)
{
	const struct value *v = check_topic_config(t, "retention.ms");
	long long ms = 0;
	*at = t->at;
	if (v) {
		*at = v;
		return check_config_int(v, &ms) && ms == -1;
	}
	if (t->ms_at || t->ms) {
		*at = check_first(t->ms_at, t->at, NULL);
		return t->ms == -1;
	}
	v = map_get(v_path(c->spec, "kafka.config"), "log.retention.ms");
	if (v) {
		*at = t->at;
		return check_config_int(v, &ms) && ms == -1;
	}
	return false;
}

static void check_disk(struct check *c)
{
	if (!c->brokers.ok || c->brokers.n < 1)
		return;
	const struct value *size_v = v_path(c->model, "kafka.brokers.storage.size");
	const struct value *size = check_written(size_v); /* NULL: the default */
	struct quantity q;
	const char *why;
	const char *size_text = v_as_str(size_v, "");
	if (!quantity_parse(size_text, strlen(size_text), &q, &why) || q.negative)
		return; /* reported by check_cluster */
	long long capacity = quantity_ceil(&q);
	long long total = 0;
	size_t counted = 0, time_only = 0;
	long long largest = -1;
	const struct topic *big = NULL;
	const struct value *big_at = NULL, *last_forever = NULL;
	bool overflow = false;
	for (size_t i = 0; i < c->ntopics; i++) {
		const struct topic *t = &c->topics[i];
		long long bytes, prod;
		const struct value *at;
		/* The model multiplies the topic's own retention.bytes out too
		 * (retentionBytesTotal), whatever its cleanup policy. */
		if (t->bytes >= 0 && t->partitions >= 1 && t->replicas >= 1 && !t->bytes_fit) {
			check_error(c, check_first(t->bytes_at, t->at, NULL), "disk-capacity",
				    "lower retention.bytes, partitions or replicas",
				    "topic '%s' may hold more than 9.2 EB (%lld partitions x %lld replicas x %lld bytes)",
				    t->name, t->partitions, t->replicas, t->bytes);
			overflow = true;
			continue;
		}
		if (!retention_bytes(c, t, &bytes, &at))
			continue;
		bool deletes = strstr(t->cleanup, "delete") != NULL;
		if (bytes < 0 || !deletes) {
			const struct value *ms_at;
			if (deletes && keeps_forever(c, t, &ms_at)) {
				/* Once per node: topicDefaults' retention.ms serves many topics. */
				if (!t->builtin && ms_at != last_forever)
					check_warning(c, ms_at, "retention-unbounded",
						      "set retention.bytes (per partition) or a finite retention.ms",
						      "topic '%s'%s keeps everything forever (retention.ms -1, no retention.bytes): it grows until the disks fill",
						      t->name, t->dflt && ms_at == v_path(t->dflt, "retention.ms")
								? " (and every topic that takes topicDefaults' retention)" : "");
				if (!t->builtin)
					last_forever = ms_at;
			} else if (deletes) {
				time_only++;
			}
			continue;
		}
		if (t->partitions < 1 || t->replicas < 1)
			continue;
		if (__builtin_mul_overflow(t->partitions, t->replicas, &prod) ||
		    __builtin_mul_overflow(prod, bytes, &prod) || __builtin_add_overflow(total, prod, &total)) {
			check_error(c, at, "disk-capacity", "lower retention.bytes, partitions or replicas",
				    "the topics may hold more than 9.2 EB (at topic '%s': %lld partitions x %lld replicas x %lld bytes)",
				    t->name, t->partitions, t->replicas, bytes);
			overflow = true;
			break;
		}
		counted++;
		if (prod > largest) {
			largest = prod;
			big = t;
			big_at = at;
		}
	}
	if (overflow || !counted)
		return;
	long long nb = c->brokers.n;
	long long per = total / nb + (total % nb != 0);
	/* At the size to grow, else at the topic that holds the most. */
	const struct value *at = check_first(size, big_at, c->brokers.node);
	const char *have = arena_printf(c->a, "%s (%s%s)", size_text, size ? "" : "the default; ", human_bytes(c, capacity));
	const char *what = arena_printf(c->a,
		"the topics' retention (partitions x replicas x retention.bytes, summed over %zu topic%s%s; the most: '%s', %s) is %lld bytes (%s): %s per broker over %lld broker%s",
		counted, counted == 1 ? "" : "s",
		time_only ? arena_printf(c->a, ", not counting %zu without retention.bytes", time_only) : "",
		big->name, human_bytes(c, largest), total, human_bytes(c, total), human_bytes(c, per), nb, nb == 1 ? "" : "s");
	if (per > capacity)
		check_error(c, at, "disk-capacity",
			    "grow kafka.brokers.storage.size, add brokers, or lower retention.bytes, partitions or replicas; brokers die when their disks fill",
			    "%s, more than each broker's storage, %s", what, have);
	else if (per > capacity / 100 * DISK_WARN_PERCENT)
		check_warning(c, at, "disk-capacity",
			      "keep headroom for open segments (segment.bytes per partition) and reassignments: grow the storage or lower retention",
			      "%s, %lld%% of each broker's storage, %s", what, (long long)((double)per * 100 / (double)capacity), have);
}

/* ---- schema registry ---- */

static void check_compatibility(struct check *c)
{
	static const char *const levels[] = {
		"none", "backward", "backward_transitive", "forward", "forward_transitive", "full", "full_transitive",
	};
	const size_t nl = sizeof levels / sizeof levels[0];
	const struct value *v = v_path(c->model, "registry.compatibility");
	if (!v || v->kind != V_STRING)
		return;
	for (size_t i = 0; i < nl; i++)
		if (!strcmp(v->str.s, levels[i]))
			return;
	const char *hint = NULL;
	for (size_t i = 0; i < nl && !hint; i++)
		if (!strcasecmp(v->str.s, levels[i]))
			hint = arena_printf(c->a, "write it in lowercase: '%s'", levels[i]);
	if (!hint) {
		const char *near = suggest_closest(v->str.s, v->str.len, levels, nl);
		hint = arena_printf(c->a, "%s%s none, backward, backward_transitive, forward, forward_transitive, full, full_transitive",
				    near ? arena_printf(c->a, "did you mean '%s'? ", near) : "", near ? "allowed:" : "use one of");
	}
	check_error(c, v, "registry-compatibility", hint, "registry.compatibility '%s' is not a Confluent compatibility level", v->str.s);
}

/* "M.m" (the schema's pattern) as numbers; false when too large. */
static bool schema_version(const char *s, long long *major, long long *minor)
{
	const char *dot = strchr(s, '.');
	if (!dot || dot - s > 9 || strlen(dot + 1) > 9)
		return false;
	*major = strtoll(s, NULL, 10);
	*minor = strtoll(dot + 1, NULL, 10);
	return true;
}

static bool is_alert_topic(const char *s, const char **version)
{
	const char *p = "lsst-alerts-v";
	if (strncmp(s, p, strlen(p)) != 0)
		return false;
	const char *v = s + strlen(p);
	size_t i = 0, dots = 0;
	for (; v[i]; i++)
		if (v[i] == '.')
			dots++;
		else if (!isdigit((unsigned char)v[i]))
			return false;
	if (dots != 1 || v[0] == '.' || v[i - 1] == '.')
		return false;
	*version = v;
	return true;
}

static void check_schemas(struct check *c)
{
	const struct value *sv = v_path(c->spec, "registry.schemas");
	size_t n = sv && sv->kind == V_SEQ ? sv->seq.n : 0;
	long long *ids = arena_alloc(c->a, (n ? n : 1) * sizeof *ids);
	const char *hint = "schema M.m gets the registry id M*100+m: the minor version must be below 100 and the id a 32-bit integer";
	for (size_t i = 0; i < n; i++) {
		const struct value *x = sv->seq.items[i];
		long long maj = 0, min = 0;
		ids[i] = -1;
		if (x->kind != V_STRING)
			continue;
		if (!schema_version(x->str.s, &maj, &min) || min > 99 || maj > 21474835) {
			check_error(c, x, "schema-version", hint, "schema version '%s' has no registry id%s", x->str.s,
				    min > 99 && maj <= 21474835 ? arena_printf(c->a, ": its minor version %lld is above 99", min) : "");
			continue;
		}
		ids[i] = maj * 100 + min;
		for (size_t j = 0; j < i; j++)
			if (ids[j] == ids[i]) {
				check_error(c, x, "schema-version", "remove one of them (leading zeros do not make another version)",
					    "schema version '%s' has the registry id %lld, as '%s' (line %d) does", x->str.s, ids[i],
					    sv->seq.items[j]->str.s, sv->seq.items[j]->mark.line);
				break;
			}
	}
	const struct value *simv = v_path(c->spec, "simulator.schemaVersion");
	bool served = false;
	for (size_t i = 0; simv && simv->kind == V_STRING && i < n; i++)
		served |= sv->seq.items[i]->kind == V_STRING && !strcmp(sv->seq.items[i]->str.s, simv->str.s);
	if (simv && simv->kind == V_STRING && !served)
		check_error(c, simv, "schema-version", "add it to registry.schemas, or stamp a served version",
			    "simulator.schemaVersion '%s' is not served by the registry (registry.schemas)", simv->str.s);
	for (size_t t = 0; t < c->ntopics; t++) {
		const char *ver;
		if (!is_alert_topic(c->topics[t].name, &ver))
			continue;
		served = false;
		for (size_t i = 0; i < n && !served; i++)
			served = sv->seq.items[i]->kind == V_STRING && !strcmp(sv->seq.items[i]->str.s, ver);
		if (!served)
			check_error(c, c->topics[t].at, "schema-version",
				    arena_printf(c->a, "add \"%s\" to registry.schemas, or rename the topic", ver),
				    "topic '%s' carries alerts of schema %s, which the registry does not serve (registry.schemas)",
				    c->topics[t].name, ver);
	}
}

/* What the checks read, through the model too (c->topics is every
 * topic: written, default and built-in, with replicas from the brokers). */
#define TOPIC_SOURCES "platform", "strimzi", "kafka", "registry", "topicDefaults", "topics", "alertDatabase", "simulator"
static const char *const reads_topics[] = { TOPIC_SOURCES, NULL };
static const char *const reads_registry[] = { "registry", NULL };

void check_topics(struct check *c)
{
	/* Without the registry, its settings serve nothing: no schema to
	 * serve, no level to check. */
	bool registry = v_as_bool(v_path(c->model, "registry.enabled"), false);
	if (check_reads_sound(c, reads_topics)) {
		check_topic_names(c);
		check_replicas(c);
		check_min_isr(c);
		check_disk(c);
		if (registry)
			check_schemas(c);
	}
	if (registry && check_reads_sound(c, reads_registry))
		check_compatibility(c);
}
