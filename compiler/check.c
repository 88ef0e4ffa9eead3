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

/* The spec's topics, the registry's (when it is on), then the simulator's
 * (the order of "already defined by" messages). */
static void collect_topics(struct check *c)
{
	const struct value *mt = map_get(c->model, "topics"), *rt = v_path(c->model, "registry.topic");
	c->topics = arena_alloc(c->a, (mt->seq.n + 1) * sizeof *c->topics);
	for (size_t i = 0; i < mt->seq.n; i++)
		if (!v_as_bool(map_get(mt->seq.items[i], "builtin"), false))
			add_topic(c, mt->seq.items[i]);
	if (v_as_bool(v_path(c->model, "registry.enabled"), false))
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

/* ---- entry ---- */

/* The spec sections each group of checks reads, directly or through the
 * model (whose kafka part, say, is built from strimzi and platform too):
 * with schema errors, a group runs only when none of its sections held one
 * (spec_sound.c took those out).  A section "kafka" covers "kafka.config".
 * check_cluster() and check_topics() guard their checks group by group. */
static const char *const reads_network[] = { "platform", "strimzi", "kafka.clusterName", "kafka.brokers",
					     "kafka.controllers", "external", NULL };
static const char *const reads_config[] = { "kafka", "topicDefaults", "topics", NULL };

/* Does one of a and b name the other or a section below it? */
static bool overlaps(const char *a, const char *b)
{
	size_t n = strlen(a) < strlen(b) ? strlen(a) : strlen(b);
	return !strncmp(a, b, n) && (a[n] == '\0' || a[n] == '.') && (b[n] == '\0' || b[n] == '.');
}

bool check_reads_sound(const struct check *c, const char *const *reads)
{
	for (size_t i = 0; reads[i]; i++)
		for (size_t j = 0; j < c->nunsound; j++)
			if (overlaps(reads[i], c->unsound[j]))
				return false;
	return true;
}

int spec_check(struct arena *a, struct diags *d, const struct value *spec, const struct value *model,
	       const struct kafka_tables *kafka)
{
	return spec_check_sound(a, d, spec, model, kafka, NULL, 0);
}

int spec_check_sound(struct arena *a, struct diags *d, const struct value *spec, const struct value *model,
		     const struct kafka_tables *kafka, const char *const *unsound, size_t nunsound)
{
	struct check c = { .a = a, .d = d, .spec = spec, .model = model, .kafka = kafka, .unsound = unsound,
			   .nunsound = nunsound };
	size_t before = d->nerrors, first = d->n;
	if (!spec || spec->kind != V_MAP)
		return 0;
	c.gke = v_as_bool(v_path(model, "platform.gke"), false);
	c.strimzi = strimzi_find(v_as_str(v_path(model, "strimzi.version"), ""));
	resolve_pool(&c, &c.brokers, "brokers", MODEL_BROKER_FIRST_ID);
	resolve_pool(&c, &c.controllers, "controllers", MODEL_CONTROLLER_FIRST_ID);
	collect_topics(&c);
	check_cluster(&c);
	check_topics(&c);
	check_components(&c);
	check_users(&c);
	if (check_reads_sound(&c, reads_network))
		check_network(&c);
	if (check_reads_sound(&c, reads_config))
		check_kafka_config(&c);
	if (!c.nunsound)
		check_terraform(&c);
	if (!c.nunsound)
		check_helm(&c); /* it reads the whole model */
	check_accept(&c, first); /* last: it drops the warnings the spec accepts */
	return (int)(d->nerrors - before);
}
