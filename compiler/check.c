/* check.c - the semantic checks' entry point, the facts they share
 * (node pools, the topics the model will create) and small helpers. */
#include "check.h"
#include "schema.h"
#include "arena.h"
#include "diag.h"
#include "model.h"
#include "strimzi.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void report(struct check *c, enum severity sev, const struct value *at, const char *id,
		   const char *hint, const char *fmt, va_list ap)
{
	char *msg = arena_vprintf(c->a, fmt, ap);
	const struct value *where = at ? at : c->spec;
	diag_at(c->d, sev, &where->mark, id, hint, "%s", msg);
}

void check_error(struct check *c, const struct value *at, const char *id, const char *hint,
		 const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(c, SEV_ERROR, at, id, hint, fmt, ap);
	va_end(ap);
}

void check_warning(struct check *c, const struct value *at, const char *id, const char *hint,
		   const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(c, SEV_WARNING, at, id, hint, fmt, ap);
	va_end(ap);
}

const struct value *check_first(const struct value *a, const struct value *b, const struct value *c)
{
	return a ? a : b ? b : c;
}

/* ---- node pools ---- */

long long check_pool_id(const struct pool *p, long long i)
{
	return p->ids ? p->ids->seq.items[i]->i : p->first + i;
}

const struct value *check_pool_id_at(const struct pool *p, long long i)
{
	return p->ids ? p->ids->seq.items[i] : check_first(p->count, p->node, NULL);
}

bool check_pool_has(const struct pool *p, long long id)
{
	if (!p->ok)
		return false;
	if (!p->ids)
		return id >= p->first && id - p->first < p->n;
	for (long long i = 0; i < p->n; i++)
		if (check_pool_id(p, i) == id)
			return true;
	return false;
}

static int ll_cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return x < y ? -1 : x > y;
}

const char *check_pool_ids_text(struct check *c, const struct pool *p)
{
	if (!p->ok || p->n == 0)
		return "none";
	long long *ids = arena_alloc(c->a, (size_t)p->n * sizeof *ids);
	for (long long i = 0; i < p->n; i++)
		ids[i] = check_pool_id(p, i);
	return check_ids_text(c, ids, p->n);
}

const char *check_ids_text(struct check *c, long long *ids, long long n)
{
	if (n == 0)
		return "none";
	qsort(ids, (size_t)n, sizeof *ids, ll_cmp);
	char buf[256];
	size_t len = 0;
	int ranges = 0;
	for (long long i = 0; i < n;) {
		long long j = i;
		while (j + 1 < n && ids[j + 1] == ids[j] + 1)
			j++;
		if (++ranges > 8) {
			snprintf(buf + len, sizeof buf - len, ", ...");
			break;
		}
		int w = j > i ? snprintf(buf + len, sizeof buf - len, "%s%lld-%lld", i ? ", " : "", ids[i], ids[j])
			      : snprintf(buf + len, sizeof buf - len, "%s%lld", i ? ", " : "", ids[i]);
		if (w < 0 || (size_t)w >= sizeof buf - len)
			break;
		len += (size_t)w;
		i = j + 1;
	}
	return arena_strdup(c->a, buf);
}

static void resolve_pool(struct check *c, struct pool *p, const char *key, long long dflt_count,
			 long long first)
{
	p->key = key;
	p->node = v_path(c->spec, arena_printf(c->a, "kafka.%s", key));
	p->first = first;
	const struct value *ids = map_get(p->node, "nodeIds");
	const struct value *count = map_get(p->node, "count");
	p->count = count && count->kind == V_INT ? count : NULL;
	if (ids && ids->kind == V_SEQ && ids->seq.n) {
		p->ids = ids;
		p->n = (long long)ids->seq.n;
		for (size_t i = 0; i < ids->seq.n; i++)
			if (ids->seq.items[i]->kind != V_INT)
				p->ids = NULL; /* the schema reports it */
		if (!p->ids)
			p->n = 0;
	} else {
		p->n = p->count ? p->count->i : dflt_count;
	}
	p->ok = p->n >= 0 && p->n <= CHECK_MAX_POOL;
}

/* ---- config values ---- */

bool check_config_int(const struct value *v, long long *out)
{
	if (!v)
		return false;
	if (v->kind == V_INT) {
		*out = v->i;
		return true;
	}
	if (v->kind != V_STRING || !v->str.len || v->str.len > 19)
		return false;
	char *end;
	errno = 0;
	long long x = strtoll(v->str.s, &end, 10);
	if (*end || end == v->str.s || errno == ERANGE)
		return false; /* beyond a Java long too: Kafka refuses it */
	*out = x;
	return true;
}

const struct value *check_topic_config(const struct topic *t, const char *key)
{
	const struct value *v = map_get(t->config, key);
	if (!v && t->dflt)
		v = map_get(map_get(t->dflt, "config"), key);
	return v;
}

/* ---- the topics the model creates ---- */

static struct topic *add_topic(struct check *c, size_t *cap)
{
	if (c->ntopics == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		c->topics = arena_realloc(c->a, c->topics, *cap * sizeof *c->topics, ncap * sizeof *c->topics);
		*cap = ncap;
	}
	struct topic *t = &c->topics[c->ntopics++];
	memset(t, 0, sizeof *t);
	t->bytes = -1;
	return t;
}

static long long int_at(const struct value *v, long long dflt)
{
	return v && v->kind == V_INT ? v->i : dflt;
}

/* cleanup.policy as model.c resolves it. */
static const char *resolve_cleanup(const struct topic *t, const struct value *own)
{
	const struct value *v = check_topic_config(t, "cleanup.policy");
	if (v && v->kind == V_STRING)
		return v->str.s;
	const struct value *p = map_get(own, "cleanupPolicy");
	if (!p && t->dflt)
		p = map_get(t->dflt, "cleanupPolicy");
	return v_as_str(p, "delete");
}

static void collect_topics(struct check *c)
{
	size_t cap = 0;
	const struct value *dflt = map_get(c->spec, "topicDefaults");
	if (dflt && dflt->kind != V_MAP)
		dflt = NULL;
	long long dr = model_default_replicas(c->brokers.ok ? c->brokers.n : MODEL_POOL_COUNT);
	const struct value *dparts = map_get(dflt, "partitions"), *dreps = map_get(dflt, "replicas");
	const struct value *dbytes = v_path(dflt, "retention.bytes"), *dms = v_path(dflt, "retention.ms");

	const struct value *st = map_get(c->spec, "topics");
	for (size_t i = 0; st && st->kind == V_SEQ && i < st->seq.n; i++) {
		const struct value *x = st->seq.items[i];
		const struct value *name = map_get(x, "name");
		if (!name || name->kind != V_STRING)
			continue;
		struct topic *t = add_topic(c, &cap);
		t->name = name->str.s;
		t->origin = arena_printf(c->a, "topics[%zu].name", i);
		t->at = name;
		t->item = x;
		const struct value *p = map_get(x, "partitions"), *r = map_get(x, "replicas");
		t->partitions_at = p ? p : dparts;
		t->partitions = int_at(t->partitions_at, 1);
		t->replicas_at = r ? r : dreps;
		t->replicas_from_defaults = !r && dreps;
		t->replicas = int_at(t->replicas_at, dr);
		t->config = map_get(x, "config");
		t->dflt = dflt;
		const struct value *b = v_path(x, "retention.bytes");
		t->bytes_at = b ? b : dbytes;
		t->bytes = int_at(t->bytes_at, -1);
		const struct value *ms = v_path(x, "retention.ms");
		t->ms_at = ms ? ms : dms;
		t->ms = int_at(t->ms_at, 0);
		t->cleanup = resolve_cleanup(t, x);
	}

	/* The registry's storage topic: one compacted partition. */
	const struct value *reg = map_get(c->spec, "registry");
	const struct value *sname = map_get(reg, "schemaTopic");
	struct topic *t = add_topic(c, &cap);
	t->name = v_as_str(sname, MODEL_SCHEMA_TOPIC);
	t->origin = "registry.schemaTopic";
	t->at = check_first(sname, reg, NULL);
	t->builtin = true;
	t->partitions = 1;
	t->replicas = dr;
	t->cleanup = "compact";

	/* The simulator's topics, when it runs. */
	const struct value *sim = map_get(c->spec, "simulator");
	if (v_as_bool(map_get(sim, "enabled"), false)) {
		const struct value *sn = map_get(sim, "staticTopic"), *rn = map_get(sim, "replayTopic");
		t = add_topic(c, &cap);
		t->name = v_as_str(sn, MODEL_STATIC_TOPIC);
		t->origin = "simulator.staticTopic";
		t->at = check_first(sn, sim, NULL);
		t->builtin = true;
		t->partitions = 1;
		t->replicas = dr;
		t->ms = -1; /* one visit of sample alerts, kept for good */
		t->cleanup = "delete";
		t = add_topic(c, &cap);
		t->name = v_as_str(rn, MODEL_REPLAY_TOPIC);
		t->origin = "simulator.replayTopic";
		t->at = check_first(rn, sim, NULL);
		t->builtin = true;
		t->partitions_at = map_get(sim, "replayPartitions");
		t->partitions = int_at(t->partitions_at, MODEL_REPLAY_PARTITIONS);
		t->replicas_at = dreps;
		t->replicas_from_defaults = dreps != NULL;
		t->replicas = int_at(dreps, dr);
		t->dflt = dflt;
		t->bytes_at = map_get(sim, "retentionBytes");
		t->bytes = int_at(t->bytes_at, MODEL_REPLAY_RETENTION_BYTES);
		t->ms_at = map_get(sim, "retentionMs");
		t->ms = int_at(t->ms_at, MODEL_REPLAY_RETENTION_MS);
		t->cleanup = resolve_cleanup(t, NULL);
	}
}

/* ---- name sets ---- */

void check_nameset_init(struct check *c, struct nameset *ns, size_t n)
{
	hashmap_init(&ns->m, c->a);
	hashmap_reserve(&ns->m, n);
}

size_t check_nameset_find(const struct nameset *ns, const char *s)
{
	const struct hm_entry *e = hashmap_get(&ns->m, s, strlen(s));
	return e ? e->idx : SIZE_MAX;
}

size_t check_nameset_add(struct nameset *ns, const char *s, size_t idx)
{
	bool added;
	struct hm_entry *e = hashmap_put(&ns->m, s, strlen(s), &added);
	if (added)
		e->idx = idx;
	return e->idx;
}

/* ---- names ---- */

bool check_hostname(const char *s)
{
	/* The schema's hostname format, without the trailing dot it allows:
	 * an advertised host or a certificate name is written without one. */
	size_t n = strlen(s);
	bool known;
	return n && s[n - 1] != '.' && schema_format_valid("hostname", s, n, &known);
}

/* ---- entry ---- */

int spec_check(struct arena *a, struct diags *d, const struct value *spec)
{
	struct check c = { .a = a, .d = d, .spec = spec };
	size_t before = d->nerrors;
	if (!spec || spec->kind != V_MAP)
		return 0;
	c.gke = !strcmp(v_as_str(v_path(spec, "platform.type"), ""), "gke");
	c.strimzi = strimzi_find(v_as_str(v_path(spec, "strimzi.version"), STRIMZI_DEFAULT_VERSION));
	resolve_pool(&c, &c.brokers, "brokers", MODEL_POOL_COUNT, MODEL_BROKER_FIRST_ID);
	resolve_pool(&c, &c.controllers, "controllers", MODEL_POOL_COUNT, MODEL_CONTROLLER_FIRST_ID);
	collect_topics(&c);
	check_cluster(&c);
	check_topics(&c);
	check_network(&c);
	return (int)(d->nerrors - before);
}
