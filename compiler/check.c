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
#include <math.h>
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

/* A pool as the model resolved it; the spec says whether nodeIds and
 * count were written. */
static void resolve_pool(struct check *c, struct pool *p, const char *key, long long first)
{
	p->key = key;
	p->node = check_written(v_path(c->spec, arena_printf(c->a, "kafka.%s", key)));
	p->first = first;
	const struct value *mp = v_path(c->model, arena_printf(c->a, "kafka.%s", key));
	const struct value *ids = map_get(p->node, "nodeIds");
	p->count = check_written(map_get(p->node, "count"));
	p->ids = ids && ids->kind == V_SEQ && ids->seq.n ? map_get(mp, "nodeIds") : NULL;
	p->n = v_as_int(map_get(mp, "replicas"), 0);
	p->ok = p->n >= 0 && p->n <= MODEL_MAX_POOL;
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
	return map_get(t->config, key);
}

/* ---- the topics of the model ---- */

const struct value *check_written(const struct value *v)
{
	return v && v->mark.file && !(v->flags & VF_DEFAULT) ? v : NULL;
}

static void add_topic(struct check *c, const struct value *e)
{
	struct topic *t = &c->topics[c->ntopics++];
	const struct value *name = map_get(e, "name"), *dflt = map_get(c->model, "topicDefaults");
	t->name = v_as_str(name, "");
	t->origin = v_as_str(map_get(e, "source"), "");
	t->at = name;
	t->builtin = v_as_bool(map_get(e, "builtin"), false);
	const struct value *p = map_get(e, "partitions"), *r = map_get(e, "replicas");
	t->partitions = v_as_int(p, 1);
	t->partitions_at = check_written(p);
	t->replicas = v_as_int(r, 1);
	t->replicas_at = check_written(r);
	t->replicas_from_defaults = t->replicas_at && t->replicas_at == map_get(dflt, "replicas");
	t->config = map_get(e, "userConfig");
	t->dflt = v_as_bool(map_get(e, "topicDefaults"), false) ? dflt : NULL;
	const struct value *b = map_get(e, "retentionBytes"), *ms = map_get(e, "retentionMs");
	t->bytes = v_as_int(b, -1);
	t->bytes_at = check_written(b);
	t->bytes_fit = t->bytes < 0 || map_get(e, "retentionBytesTotal")->kind == V_INT;
	t->ms = v_as_int(ms, 0);
	t->ms_at = check_written(ms);
	t->cleanup = v_as_str(map_get(e, "cleanupPolicy"), "");
}

/* The spec's topics, the registry's, then the simulator's (the order of
 * "already defined by" messages). */
static void collect_topics(struct check *c)
{
	const struct value *mt = map_get(c->model, "topics"), *rt = v_path(c->model, "registry.topic");
	c->topics = arena_alloc(c->a, (mt->seq.n + 1) * sizeof *c->topics);
	for (size_t i = 0; i < mt->seq.n; i++)
		if (!v_as_bool(map_get(mt->seq.items[i], "builtin"), false))
			add_topic(c, mt->seq.items[i]);
	add_topic(c, rt);
	for (size_t i = 0; i < mt->seq.n; i++)
		if (v_as_bool(map_get(mt->seq.items[i], "builtin"), false))
			add_topic(c, mt->seq.items[i]);
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

/* ---- config values Kafka reads as INT or LONG ---- */

/* Kafka parses these keys as INT or LONG: a float such as 6.048e8 would be
 * written as 6.048e+08, which the broker or topic operator refuses.  Keys
 * whose value other checks already read as integers are left to them. */
static bool config_key_is_integer(const char *k)
{
	static const char *const suffixes[] = {
		".ms", ".bytes", ".messages", ".hours", ".minutes", ".partitions", ".replicas",
		".threads", ".size", ".count", ".replication.factor", ".min.isr",
	};
	static const char *const exact[] = { "num.partitions", "message.max.bytes" };
	static const char *const owned[] = { /* reported by internal-replication, min-isr, disk-capacity */
		"offsets.topic.replication.factor", "transaction.state.log.replication.factor",
		"default.replication.factor", "transaction.state.log.min.isr", "min.insync.replicas",
		"retention.bytes", "log.retention.bytes",
	};
	size_t n = strlen(k);
	for (size_t i = 0; i < sizeof owned / sizeof owned[0]; i++)
		if (!strcmp(k, owned[i]))
			return false;
	for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
		if (!strcmp(k, exact[i]))
			return true;
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		size_t l = strlen(suffixes[i]);
		if (n > l && !strcmp(k + n - l, suffixes[i]))
			return true;
	}
	return false;
}

static void check_config_floats(struct check *c, const struct value *cfg, const char *where)
{
	if (!cfg || cfg->kind != V_MAP)
		return;
	for (size_t i = 0; i < cfg->map.n; i++) {
		const struct value *v = cfg->map.items[i].val;
		const char *k = cfg->map.items[i].key->str.s;
		if (v->kind != V_FLOAT || !config_key_is_integer(k))
			continue;
		if (isfinite(v->f) && v->f == floor(v->f) && fabs(v->f) < 9.2e18)
			check_error(c, v, "config-integer",
				    arena_printf(c->a, "write %lld: Kafka reads %s as an integer, and a float is written with a decimal point or exponent",
						 (long long)v->f, k),
				    "%s.%s is a float; Kafka wants an integer", where, k);
		else
			check_error(c, v, "config-integer", "write a whole number, without a decimal point or exponent",
				    "%s.%s is a float; Kafka wants an integer", where, k);
	}
}

static void check_config_values(struct check *c)
{
	check_config_floats(c, v_path(c->spec, "kafka.config"), "kafka.config");
	check_config_floats(c, v_path(c->spec, "topicDefaults.config"), "topicDefaults.config");
	const struct value *topics = map_get(c->spec, "topics");
	for (size_t i = 0; topics && topics->kind == V_SEQ && i < topics->seq.n; i++)
		check_config_floats(c, map_get(topics->seq.items[i], "config"),
				    arena_printf(c->a, "topics[%zu].config", i));
}

/* ---- entry ---- */

int spec_check(struct arena *a, struct diags *d, const struct value *spec, const struct value *model)
{
	struct check c = { .a = a, .d = d, .spec = spec, .model = model };
	size_t before = d->nerrors;
	if (!spec || spec->kind != V_MAP)
		return 0;
	c.gke = v_as_bool(v_path(model, "platform.gke"), false);
	c.strimzi = strimzi_find(v_as_str(v_path(model, "strimzi.version"), ""));
	resolve_pool(&c, &c.brokers, "brokers", MODEL_BROKER_FIRST_ID);
	resolve_pool(&c, &c.controllers, "controllers", MODEL_CONTROLLER_FIRST_ID);
	collect_topics(&c);
	check_cluster(&c);
	check_topics(&c);
	check_network(&c);
	check_terraform(&c);
	check_config_values(&c);
	return (int)(d->nerrors - before);
}
