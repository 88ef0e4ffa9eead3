/* testid.c - the test instance of a spec (testid.h): the environment, its
 * namespace, Kafka cluster, external host names, registry and ingress (alert database, Kafdrop)
 * hosts, Vault path, buckets, GKE node pool and MetalLB pool get the
 * testid; production's pinned addresses are dropped (or replaced by
 * addresses of testInstance.addressRange); testInstance scales storage
 * and pool sizes.  The model then derives everything else from these, so
 * every name that follows from one of them is tagged too. */
#include "testid.h"
#include "arena.h"
#include "diag.h"
#include "model.h"
#include "quantity.h"
#include "schema.h"
#include "value.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Limits of what the derived names name (Kubernetes', GCP's, the
 * schema's own), named in the error. */
#define LIM_LABEL_VALUE 63   /* a Kubernetes label value */
#define LIM_DNS_LABEL 63     /* namespaces, Services, a host name's labels */
#define LIM_DNS_NAME 253     /* a host name; a DNS-1123 subdomain object name */
#define LIM_CLUSTER 40       /* the schema's kafka.clusterName */
#define LIM_VAULT 512        /* the schema's secrets.vaultPath */
#define LIM_BUCKET 63        /* GCS and S3 bucket names (without dots) */
#define LIM_GKE_POOL 40      /* a GKE node pool name */

struct tx {
	struct arena *a;
	struct diags *d;
	const char *id;
	size_t idlen;
	bool failed;
};

bool testid_valid(const char *id)
{
	if (!id || *id < 'a' || *id > 'z')
		return false;
	for (const char *p = id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
			return false;
	return true;
}

/* Is name (len characters, derived from the node at) within max?  what
 * says what it is ("the namespace"), rule what limits it ("a Kubernetes
 * namespace (a DNS label)"). */
static bool within(struct tx *t, const struct value *at, const char *what, const char *name, size_t len,
		   size_t max, const char *rule)
{
	if (len <= max)
		return true;
	size_t over = len - max;
	const char *hint = over < t->idlen
		? arena_printf(t->a, "use a testid of at most %zu characters (this one has %zu)", t->idlen - over, t->idlen)
		: arena_printf(t->a, "shorten it in the spec: even a one-character testid makes it %zu characters",
			       len - t->idlen + 1);
	diag_at(t->d, SEV_ERROR, at ? &at->mark : NULL, "testid-limit", hint,
		"with --testid %s, %s would be '%s', %zu characters: %s is at most %zu", t->id, what, name, len, rule,
		max);
	t->failed = true;
	return false;
}

/* A copy of map m with key's value v (added when absent; NULL: without
 * the key). */
static struct value *with(struct arena *a, const struct value *m, const char *key, struct value *v)
{
	struct value *o = v_map(a, &m->mark);
	o->flags = m->flags & VF_DEFAULT;
	bool done = false;
	for (size_t i = 0; i < m->map.n; i++) {
		const struct pair *p = &m->map.items[i];
		if (strcmp(p->key->str.s, key) != 0)
			map_put(a, o, p->key, p->val);
		else if (!done) {
			if (v)
				map_put(a, o, p->key, v);
			done = true;
		}
	}
	if (!done && v)
		map_set(a, o, key, v);
	return o;
}

/* root with the value at a dotted path of mappings replaced (NULL:
 * removed), the mappings on the way copied; root itself when the path's
 * parent is not there. */
static struct value *set_path(struct arena *a, struct value *root, const char *path, struct value *v)
{
	const char *dot = strchr(path, '.');
	if (!dot)
		return with(a, root, path, v);
	struct value *child = map_get(root, arena_strndup(a, path, (size_t)(dot - path)));
	if (!child || child->kind != V_MAP)
		return root;
	return with(a, root, arena_strndup(a, path, (size_t)(dot - path)), set_path(a, child, dot + 1, v));
}

/* A string in place of old: its position, and whether it was a default. */
static struct value *retext(struct tx *t, const struct value *old, const char *s)
{
	struct value *v = v_str(t->a, &old->mark, s);
	v->flags = old->flags & VF_DEFAULT;
	return v;
}

static const struct value *str_at(const struct value *root, const char *path)
{
	const struct value *v = v_path(root, path);
	return v && v->kind == V_STRING ? v : NULL;
}

/* name-ID at path, within max. */
static struct value *suffixed(struct tx *t, struct value *spec, const char *path, const char *what, size_t max,
			      const char *rule)
{
	const struct value *v = str_at(spec, path);
	if (!v)
		return spec;
	const char *s = arena_printf(t->a, "%s-%s", v->str.s, t->id);
	within(t, v, what, s, strlen(s), max, rule);
	return set_path(t->a, spec, path, retext(t, v, s));
}

/* A host name with the testid on its first label:
 * broker-0.lsst.cloud -> broker-0-ID.lsst.cloud. */
static struct value *tag_host(struct tx *t, const struct value *h, const char *path)
{
	const char *s = h->str.s, *dot = strchr(s, '.');
	size_t first = dot ? (size_t)(dot - s) : strlen(s);
	const char *n = arena_printf(t->a, "%.*s-%s%s", (int)first, s, t->id, dot ? dot : "");
	if (within(t, h, arena_printf(t->a, "the first label of %s", path), arena_strndup(t->a, n, first + 1 + t->idlen),
		   first + 1 + t->idlen, LIM_DNS_LABEL, "a DNS label"))
		within(t, h, path, n, strlen(n), LIM_DNS_NAME, "a DNS name");
	return retext(t, h, n);
}

static struct value *host_at(struct tx *t, struct value *spec, const char *path)
{
	const struct value *h = str_at(spec, path);
	return h ? set_path(t->a, spec, path, tag_host(t, h, path)) : spec;
}

/* A bucket of the test instance: on GKE, one the alertdb module names
 * (rubin-alertdb-ENV-us-central1-packets) gets the testid on its
 * environment, so the module still makes it; any other gets it appended. */
static struct value *bucket_at(struct tx *t, struct value *spec, const char *path, bool gcs)
{
	const struct value *v = str_at(spec, path);
	if (!v)
		return spec;
	const char *b = v->str.s, *n = NULL;
	size_t len = strlen(b), np = strlen(ALERTDB_TF_PREFIX);
	static const char *const sfx[] = { ALERTDB_TF_PACKETS, ALERTDB_TF_SCHEMAS };
	for (size_t i = 0; gcs && !n && i < 2; i++) {
		size_t ns = strlen(sfx[i]);
		if (len > np + ns && !strncmp(b, ALERTDB_TF_PREFIX, np) && !strcmp(b + len - ns, sfx[i]))
			n = arena_printf(t->a, "%.*s-%s%s", (int)(len - ns), b, t->id, sfx[i]);
	}
	if (!n)
		n = arena_printf(t->a, "%s-%s", b, t->id);
	within(t, v, path, n, strlen(n), LIM_BUCKET, gcs ? "a GCS bucket name" : "an S3 bucket name");
	return set_path(t->a, spec, path, retext(t, v, n));
}

/* The Vault path's last segment gets the testid: the test instance
 * reads its own secrets. */
static struct value *vault_at(struct tx *t, struct value *spec)
{
	const struct value *v = str_at(spec, "secrets.vaultPath");
	if (!v)
		return spec;
	const char *s = arena_printf(t->a, "%s-%s", v->str.s, t->id);
	within(t, v, "secrets.vaultPath", s, strlen(s), LIM_VAULT, "a Vault path (the schema's limit)");
	return set_path(t->a, spec, "secrets.vaultPath", retext(t, v, s));
}

/* testInstance.addressRange: the addresses handed out in order (the
 * bootstrap first, then the brokers as listed). */
struct addrs {
	const struct value *range;
	uint32_t next, last;
	bool any, ok, reported;
};

static bool parse_range(const char *s, uint32_t *lo, uint32_t *hi)
{
	const char *slash = strchr(s, '/'), *dash = strchr(s, '-');
	if (slash) {
		char *end;
		long n = strtol(slash + 1, &end, 10);
		uint32_t ip;
		if (!schema_ipv4_parse(s, (size_t)(slash - s), &ip) || end == slash + 1 || *end || n < 0 || n > 32)
			return false;
		uint32_t mask = n ? ~(uint32_t)0 << (32 - n) : 0;
		*lo = ip & mask;
		*hi = *lo | ~mask;
		/* The network and broadcast addresses are no hosts'. */
		if (n <= 30) {
			++*lo;
			--*hi;
		}
		return true;
	}
	return dash && schema_ipv4_parse(s, (size_t)(dash - s), lo) && schema_ipv4_parse(dash + 1, strlen(dash + 1), hi) &&
	       *lo <= *hi;
}

static struct value *next_addr(struct tx *t, struct addrs *ad)
{
	if (!ad->ok)
		return NULL;
	if (ad->any && ad->next == ad->last) {
		if (!ad->reported)
			diag_at(t->d, SEV_ERROR, &ad->range->mark, "testid-address-range",
				"give a range with an address for the bootstrap and one for each broker of the external listener",
				"testInstance.addressRange: %s has too few addresses for the external listener", ad->range->str.s);
		ad->reported = true;
		t->failed = true;
		return NULL;
	}
	uint32_t ip = ad->any ? ad->next + 1 : ad->next;
	ad->next = ip;
	ad->any = true;
	return v_strf(t->a, &ad->range->mark, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
}

/* external.* of the test instance: hosts tagged, production's ip pins
 * dropped or replaced from the test range; with testInstance.brokers, the
 * overrides of brokers it leaves out dropped. */
static struct value *external(struct tx *t, struct value *spec, struct addrs *ad, const long long *keep, size_t nkeep)
{
	struct value *ext = map_get(spec, "external");
	if (!ext || ext->kind != V_MAP)
		return spec;
	struct value *boot = map_get(ext, "bootstrap");
	if (boot && boot->kind == V_MAP) {
		const struct value *h = str_at(boot, "host");
		if (h)
			boot = with(t->a, boot, "host", tag_host(t, h, "external.bootstrap.host"));
		boot = with(t->a, boot, "ip", next_addr(t, ad));
		ext = with(t->a, ext, "bootstrap", boot);
	}
	struct value *brokers = map_get(ext, "brokers");
	if (brokers && brokers->kind == V_SEQ) {
		struct value *nb = v_seq(t->a, &brokers->mark);
		for (size_t i = 0; i < brokers->seq.n; i++) {
			struct value *b = brokers->seq.items[i];
			if (b->kind != V_MAP) {
				seq_push(t->a, nb, b);
				continue;
			}
			const struct value *id = map_get(b, "nodeId");
			bool kept = !keep;
			for (size_t k = 0; !kept && k < nkeep; k++)
				kept = id && id->kind == V_INT && id->i == keep[k];
			if (!kept)
				continue;
			const struct value *h = str_at(b, "host");
			if (h)
				b = with(t->a, b, "host", tag_host(t, h, arena_printf(t->a, "external.brokers[%zu].host", i)));
			seq_push(t->a, nb, with(t->a, b, "ip", next_addr(t, ad)));
		}
		ext = with(t->a, ext, "brokers", nb);
	}
	return with(t->a, spec, "external", ext);
}

static int ll_cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return x < y ? -1 : x > y;
}

/* testInstance.brokers or .controllers: the pool's count, or its n lowest
 * node ids.  *keep (the pool's node ids then) for the brokers. */
static struct value *pool_size(struct tx *t, struct value *spec, const char *key, const struct value *n,
			       long long first, long long **keep, size_t *nkeep)
{
	const char *pool = arena_printf(t->a, "kafka.%s", key);
	struct value *ids = v_path(spec, arena_printf(t->a, "%s.nodeIds", pool));
	long long *k = arena_alloc(t->a, (size_t)(n->i > 0 ? n->i : 1) * sizeof *k);
	if (ids && ids->kind == V_SEQ && ids->seq.n) {
		if ((size_t)n->i > ids->seq.n) {
			diag_at(t->d, SEV_ERROR, &n->mark, "testid-scale",
				arena_printf(t->a, "give at most %zu, or more node ids in %s.nodeIds", (size_t)ids->seq.n, pool),
				"testInstance.%s: %lld is more than the %zu node ids of %s.nodeIds", key, n->i, (size_t)ids->seq.n, pool);
			t->failed = true;
			return spec;
		}
		long long *all = arena_alloc(t->a, ids->seq.n * sizeof *all);
		for (size_t i = 0; i < ids->seq.n; i++)
			all[i] = v_as_int(ids->seq.items[i], 0);
		qsort(all, ids->seq.n, sizeof *all, ll_cmp);
		struct value *seq = v_seq(t->a, &ids->mark);
		for (long long i = 0; i < n->i; i++) {
			k[i] = all[i];
			seq_push(t->a, seq, v_int(t->a, &n->mark, all[i]));
		}
		spec = set_path(t->a, spec, arena_printf(t->a, "%s.nodeIds", pool), seq);
	} else {
		for (long long i = 0; i < n->i; i++)
			k[i] = first + i;
		spec = set_path(t->a, spec, arena_printf(t->a, "%s.count", pool), v_int(t->a, &n->mark, n->i));
	}
	if (keep) {
		*keep = k;
		*nkeep = (size_t)n->i;
	}
	return spec;
}

/* A replication factor above the test instance's broker count comes down
 * to it (the topics' replicas checks would refuse it). */
static struct value *clamp_replicas(struct tx *t, struct value *spec, long long brokers)
{
	const struct value *r = v_path(spec, "topicDefaults.replicas");
	if (r && r->kind == V_INT && r->i > brokers)
		spec = set_path(t->a, spec, "topicDefaults.replicas", v_int(t->a, &r->mark, brokers));
	struct value *topics = map_get(spec, "topics");
	if (!topics || topics->kind != V_SEQ)
		return spec;
	struct value *nt = v_seq(t->a, &topics->mark);
	for (size_t i = 0; i < topics->seq.n; i++) {
		struct value *x = topics->seq.items[i];
		const struct value *tr = map_get(x, "replicas");
		if (tr && tr->kind == V_INT && tr->i > brokers)
			x = with(t->a, x, "replicas", v_int(t->a, &tr->mark, brokers));
		seq_push(t->a, nt, x);
	}
	return with(t->a, spec, "topics", nt);
}

/* size times f, rounded up to a whole Mi, written in the largest binary
 * unit that divides it. */
static struct value *scale_size(struct tx *t, const struct value *v, double f)
{
	struct quantity q;
	if (!quantity_value(v, &q))
		return (struct value *)v;
	double s = (double)quantity_ceil(&q) * f;
	const long long mi = 1LL << 20;
	long long m = (long long)(s / (double)mi);
	if ((double)m * (double)mi < s)
		m++;
	if (m < 1)
		m = 1;
	const char *text = m % (1LL << 20) == 0 ? arena_printf(t->a, "%lldTi", m >> 20)
		: m % (1LL << 10) == 0 ? arena_printf(t->a, "%lldGi", m >> 10)
		: arena_printf(t->a, "%lldMi", m);
	return retext(t, v, text);
}

struct value *testid_apply(struct arena *a, struct diags *d, struct value *spec, const char *id)
{
	struct tx t = { a, d, id, strlen(id), false };
	const struct value *ti = map_get(spec, "testInstance");
	bool gke = !strcmp(v_as_str(v_path(spec, "platform.type"), ""), "gke");

	spec = suffixed(&t, spec, "name", "the environment's name (its asbgen.lsst.io/environment label)",
			LIM_LABEL_VALUE, "a Kubernetes label value");
	spec = suffixed(&t, spec, "namespace", "the namespace", LIM_DNS_LABEL, "a Kubernetes namespace (a DNS label)");
	spec = suffixed(&t, spec, "kafka.clusterName", "the Kafka cluster's name", LIM_CLUSTER,
			"kafka.clusterName (the schema's limit)");
	if (gke)
		spec = suffixed(&t, spec, "platform.gke.nodePool.name", "the GKE node pool's name", LIM_GKE_POOL,
				"a GKE node pool name");

	/* Scale before the listener, which keeps the kept brokers' overrides. */
	long long *keep = NULL;
	size_t nkeep = 0;
	const struct value *nb = map_get(ti, "brokers"), *nc = map_get(ti, "controllers");
	if (nb && nb->kind == V_INT) {
		spec = pool_size(&t, spec, "brokers", nb, MODEL_BROKER_FIRST_ID, &keep, &nkeep);
		spec = clamp_replicas(&t, spec, nb->i);
	}
	if (nc && nc->kind == V_INT)
		spec = pool_size(&t, spec, "controllers", nc, MODEL_CONTROLLER_FIRST_ID, NULL, NULL);
	const struct value *sc = map_get(ti, "storageScale");
	double f = sc && sc->kind == V_FLOAT ? sc->f : sc && sc->kind == V_INT ? (double)sc->i : 1;
	static const char *const sizes[] = { "kafka.brokers.storage.size", "kafka.controllers.storage.size" };
	for (size_t i = 0; f != 1 && i < 2; i++) {
		const struct value *v = v_path(spec, sizes[i]);
		if (v)
			spec = set_path(a, spec, sizes[i], scale_size(&t, v, f));
	}

	/* Addresses: production's are dropped; a test range gives others. */
	struct addrs ad = { str_at(ti, "addressRange"), 0, 0, false, false, false };
	if (ad.range) {
		uint32_t lo, hi;
		ad.ok = parse_range(ad.range->str.s, &lo, &hi);
		ad.next = lo;
		ad.last = hi;
		if (!ad.ok) {
			diag_at(d, SEV_ERROR, &ad.range->mark, "testid-address-range",
				"write a CIDR (10.20.0.0/28) or a range of two addresses (10.20.0.10-10.20.0.20)",
				"testInstance.addressRange: '%s' is neither a CIDR nor an address range", ad.range->str.s);
			t.failed = true;
		} else if (!gke) {
			/* Its own MetalLB pool: production's is never redefined. */
			spec = suffixed(&t, spec, "platform.bareMetal.addressPool", "the MetalLB address pool's name",
					LIM_DNS_NAME, "a Kubernetes object name (a DNS-1123 subdomain)");
			spec = set_path(a, spec, "platform.bareMetal.addressRange", (struct value *)ad.range);
		}
	}
	/* Without addresses, TLS has no DNS records for its hosts
	 * (check_network's external-tls): say what gives them. */
	const struct value *tls = v_path(spec, "external.tls.enabled");
	if (!ad.range && v_as_bool(v_path(spec, "external.enabled"), false) && v_as_bool(tls, false)) {
		diag_at(d, SEV_ERROR, &tls->mark, "testid-address-range",
			"give the test instance addresses of its own: testInstance.addressRange (a CIDR or a range)",
			"a test instance gets none of production's addresses, and with TLS each external host needs one (its "
			"DNS record)");
		t.failed = true;
	}
	spec = external(&t, spec, &ad, keep, nkeep);
	spec = host_at(&t, spec, "registry.hostname");
	spec = set_path(a, spec, "registry.ip", NULL);
	spec = host_at(&t, spec, "alertDatabase.ingress.host");
	spec = host_at(&t, spec, "kafdrop.ingress.hostname");
	spec = vault_at(&t, spec);
	spec = bucket_at(&t, spec, gke ? "alertDatabase.gcs.alertBucket" : "alertDatabase.s3.alertBucket", gke);
	spec = bucket_at(&t, spec, gke ? "alertDatabase.gcs.schemaBucket" : "alertDatabase.s3.schemaBucket", gke);
	return t.failed ? NULL : spec;
}

void testid_check(struct arena *a, struct diags *d, const struct value *spec, const struct value *model,
		  const char *id)
{
	struct tx t = { a, d, id, strlen(id), false };
	/* Strimzi names the listener's bootstrap Service <cluster>-kafka-
	 * external-bootstrap (on GKE also its static address's name). */
	const char *cluster = v_as_str(v_path(model, "kafka.clusterName"), NULL);
	if (cluster && v_as_bool(v_path(model, "external.enabled"), false)) {
		const char *svc = arena_printf(a, "%s-kafka-external-bootstrap", cluster);
		within(&t, v_path(spec, "kafka.clusterName"), "the external listener's bootstrap Service", svc, strlen(svc),
		       LIM_DNS_LABEL, "a Service name (a DNS label)");
	}
	/* The buckets the model names after the environment. */
	if (!v_as_bool(v_path(model, "alertDatabase.enabled"), false))
		return;
	bool gcs = v_as_bool(v_path(model, "alertDatabase.gcs"), false);
	static const char *const keys[] = { "alertBucket", "schemaBucket" };
	for (size_t i = 0; i < 2; i++) {
		const char *b = v_as_str(v_path(model, arena_printf(a, "alertDatabase.%s", keys[i])), NULL);
		if (!b || v_path(spec, arena_printf(a, "alertDatabase.%s.%s", gcs ? "gcs" : "s3", keys[i])))
			continue;
		within(&t, map_get(spec, "name"), arena_printf(a, "the default alertDatabase.%s.%s", gcs ? "gcs" : "s3", keys[i]),
		       b, strlen(b), LIM_BUCKET, gcs ? "a GCS bucket name" : "an S3 bucket name");
	}
}
