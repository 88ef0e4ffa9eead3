/* model.c - spec to model: defaults, derived values, ACLs, names. */
#include "model.h"
#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "dns1123.h"
#include "hashmap.h"
#include "helm_chart.h"
#include "emit.h"
#include "strimzi.h"
#include "version.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KEY_SLOTS 512 /* a power of two above the model's distinct keys */

/* Builder state for one model. */
struct mb {
	struct arena *a;
	struct diags *d;
	const struct value *spec;
	bool failed;
	/* ACL entries by content: thousands of users share the same few, and
	 * trees may share immutable nodes, so each is built once.  Not the
	 * shared hashmap: the key is four strings compared in place (no key
	 * string built per lookup), and the keys table below is by pointer. */
	struct acl_slot {
		const char *type, *name, *pattern, *ops; /* literals or arena text */
		uint64_t hash;
		struct value *v;
	} *acls;
	size_t acls_n, acls_cap;
	/* Key nodes by literal, for values without a source mark: such a key
	 * node is the same for every map it is put in, so 10,000 users share
	 * one "name" node instead of building 10,000 (a fifth of the model). */
	struct key_slot { const char *lit; struct value *key; } keys[KEY_SLOTS];
	size_t keys_n;
	/* ACL operation lists by ops literal (see ops_list). */
	struct ops_slot { const char *ops; struct value *list; } ops[16];
	size_t nops;
	/* The unmarked null, false and true: one node each, not one per
	 * user field (trees share immutable nodes). */
	struct value *null, *bools[2];
	struct value *empty; /* the unmarked empty sequence: users' lists are mostly empty */
};

/* ---- reading the spec ----
 *
 * The spec comes with every schema default filled in (defaults.c), so a
 * value the schema defaults or requires is read with need(): its absence is
 * a broken phase or an edited schema, reported as an internal error, never
 * replaced by a second default written here.  opt_*() read the values the
 * spec may leave out (an address, a zone derived from the region).
 * Numbers are integers in the spec (the schema refuses 6.0): a float where
 * the model reads a number is reported too, not read as 0. */

static const struct value *sget(const struct value *v, const char *path)
{
	return v_path(v, path);
}

static const struct value *need(struct mb *m, const struct value *v, const char *path, enum vkind kind)
{
	const struct value *x = sget(v, path);
	if (x && x->kind == kind)
		return x;
	if (!m->failed)
		diag_at(m->d, SEV_ERROR, x ? &x->mark : v ? &v->mark : NULL, "internal",
			"the schema in use gives no default for it: reinstall asbgen's schemas/",
			"internal error: '%s' is %s where the model needs a %s", path,
			x ? vkind_name(x->kind) : "missing", vkind_name(kind));
	m->failed = true;
	switch (kind) {
	case V_STRING: return v_lit(m->a, NULL, "");
	case V_INT: return v_int(m->a, NULL, 0);
	case V_BOOL: return v_bool(m->a, NULL, false);
	case V_SEQ: return v_seq(m->a, NULL);
	case V_MAP: return v_map(m->a, NULL);
	default: return v_null(m->a, NULL);
	}
}

static const char *need_str(struct mb *m, const struct value *v, const char *path)
{
	return need(m, v, path, V_STRING)->str.s;
}

static long long need_int(struct mb *m, const struct value *v, const char *path)
{
	return need(m, v, path, V_INT)->i;
}

static bool need_bool(struct mb *m, const struct value *v, const char *path)
{
	return need(m, v, path, V_BOOL)->b;
}

/* An optional value: absent (or null) gives NULL; another kind is a bug. */
static const struct value *opt(struct mb *m, const struct value *v, const char *path, enum vkind kind)
{
	const struct value *x = sget(v, path);
	if (!x || x->kind == V_NULL || x->kind == kind)
		return x && x->kind == kind ? x : NULL;
	return need(m, v, path, kind); /* reports the wrong kind */
}

static const char *opt_str(struct mb *m, const struct value *v, const char *path, const char *dflt)
{
	const struct value *x = opt(m, v, path, V_STRING);
	return x ? x->str.s : dflt;
}

/* The spec's own node, put into the model as it is: it keeps its mark, so
 * a model value points at the line that decided it. */
static struct value *SN(struct mb *m, const struct value *v, const char *path)
{
	return (struct value *)need(m, v, path, V_STRING);
}
static struct value *IN(struct mb *m, const struct value *v, const char *path)
{
	return (struct value *)need(m, v, path, V_INT);
}
static struct value *BN(struct mb *m, const struct value *v, const char *path)
{
	return (struct value *)need(m, v, path, V_BOOL);
}
/* An optional spec node, or dflt (a derived value) when absent. */
static struct value *ON(struct mb *m, const struct value *v, const char *path, enum vkind kind,
			struct value *dflt)
{
	const struct value *x = opt(m, v, path, kind);
	return x ? (struct value *)x : dflt;
}

/* ---- building the model ---- */

static struct value *S(struct mb *m, const char *s) { return s ? v_str(m->a, NULL, s) : v_null(m->a, NULL); }
static struct value *I(struct mb *m, long long i) { return v_int(m->a, NULL, i); }
static struct value *B(struct mb *m, bool b)
{
	return m->bools[b] ? m->bools[b] : (m->bools[b] = v_bool(m->a, NULL, b));
}
static struct value *N(struct mb *m) { return m->null ? m->null : (m->null = v_null(m->a, NULL)); }
static struct value *M(struct mb *m) { return v_map(m->a, NULL); }
static struct value *L(struct mb *m) { return v_seq(m->a, NULL); }
/* A list built on the stack (struct value s = { .kind = V_SEQ }), kept:
 * the shared empty one, else a node of its own. */
static struct value *kept(struct mb *m, const struct value *s)
{
	if (!s->seq.n)
		return m->empty ? m->empty : (m->empty = L(m));
	struct value *v = L(m);
	v->seq = s->seq;
	return v;
}
/* Model keys are literals: no copy, and one shared key node per literal,
 * also beside a value from the spec.  The spec's position is on the value
 * (what diagnostics and model --sources read); a key node of its own to
 * carry it again was 1.6 MB of a 10,000-user model (four per user). */
/* The shared node of a literal string (unmarked), checked once for plain
 * YAML; NULL once the table is half full (a string built at run time is a
 * new pointer each time: it is then no longer shared, which is only
 * slower). */
static struct value *intern(struct mb *m, const char *lit)
{
	size_t j = ((uintptr_t)lit >> 3) & (KEY_SLOTS - 1);
	while (m->keys[j].lit && m->keys[j].lit != lit)
		j = (j + 1) & (KEY_SLOTS - 1);
	if (!m->keys[j].lit) {
		if (m->keys_n >= KEY_SLOTS / 2)
			return NULL;
		m->keys[j].lit = lit;
		m->keys[j].key = v_lit(m->a, NULL, lit);
		emit_yaml_mark_plain(m->keys[j].key); /* emitted once per user */
		m->keys_n++;
	}
	return m->keys[j].key;
}

/* A literal's value node: the shared one, or a new one if the table is full. */
static struct value *lit(struct mb *m, const char *s)
{
	struct value *v = intern(m, s);
	return v ? v : v_lit(m->a, NULL, s);
}

static void put(struct mb *m, struct value *map, const char *k, struct value *v)
{
	struct value *key = intern(m, k);
	if (key)
		map_put(m->a, map, key, v);
	else
		map_set_lit(m->a, map, k, v);
}
static void push(struct mb *m, struct value *seq, struct value *v) { seq_push(m->a, seq, v); }
static struct value *F(struct mb *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static struct value *F(struct mb *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = arena_vprintf(m->a, fmt, ap);
	va_end(ap);
	return v_lit(m->a, NULL, s); /* s is in the arena already */
}

/* The concatenation of up to four strings (NULL ends the list early): for
 * the strings built per user, where printf's parsing cost more than the
 * copying. */
static struct value *J(struct mb *m, const char *p0, const char *p1, const char *p2, const char *p3)
{
	const char *p[4] = { p0, p1, p2, p3 };
	size_t len[4] = { 0 }, n = 0;
	for (int k = 0; k < 4 && p[k]; k++)
		n += len[k] = strlen(p[k]);
	char *s = arena_alloc(m->a, n + 1), *o = s;
	for (int k = 0; k < 4 && p[k]; k++) {
		memcpy(o, p[k], len[k]);
		o += len[k];
	}
	return v_lit(m->a, NULL, s); /* NUL-terminated: the arena zero-fills */
}

/* Put "<key>", "<key>Repository" and "<key>Tag" for an image reference,
 * as Phalanx values want repository and tag apart.  A digest stays whole
 * in the repository. */
static void put_image(struct mb *m, struct value *o, struct value *node)
{
	const char *image = node->str.s;
	put(m, o, "image", node);
	const char *slash = strrchr(image, '/'), *colon = strrchr(image, ':');
	if (colon && (!slash || colon > slash) && !strchr(image, '@')) {
		put(m, o, "imageRepository", S(m, arena_strndup(m->a, image, (size_t)(colon - image))));
		put(m, o, "imageTag", S(m, colon + 1));
	} else {
		put(m, o, "imageRepository", S(m, image));
		put(m, o, "imageTag", S(m, "latest"));
	}
}

/* A spec node, or a default when absent. */
static struct value *or_default(struct value *spec_node, struct value *dflt)
{
	return spec_node && spec_node->kind != V_NULL ? spec_node : dflt;
}

/* Copy of a mapping (or an empty one), so entries can be added. */
static struct value *map_or_empty(struct mb *m, const struct value *v)
{
	struct value *c = M(m);
	if (v && v->kind == V_MAP)
		for (size_t i = 0; i < v->map.n; i++)
			map_put(m->a, c, v->map.items[i].key, v->map.items[i].val);
	return c;
}

/* Set key unless the mapping already has it (user overrides win). */
static void put_default(struct mb *m, struct value *map, const char *k, struct value *v)
{
	if (!map_get(map, k))
		put(m, map, k, v);
}

/* "[6-11]" / "[0, 2, 5-7]": Strimzi's next-node-ids syntax. */
static struct value *id_ranges(struct mb *m, const long long *ids, size_t n)
{
	char buf[4096];
	size_t len = 0;
	buf[len++] = '[';
	for (size_t i = 0; i < n && len < sizeof buf - 48;) {
		size_t j = i;
		while (j + 1 < n && ids[j + 1] == ids[j] + 1)
			j++;
		if (i)
			len += (size_t)snprintf(buf + len, sizeof buf - len, ", ");
		if (j > i)
			len += (size_t)snprintf(buf + len, sizeof buf - len, "%lld-%lld", ids[i], ids[j]);
		else
			len += (size_t)snprintf(buf + len, sizeof buf - len, "%lld", ids[i]);
		i = j + 1;
	}
	buf[len++] = ']';
	buf[len] = '\0';
	return S(m, buf);
}

static int node_id_cmp(const void *a, const void *b)
{
	long long x = (*(struct value *const *)a)->i, y = (*(struct value *const *)b)->i;
	return x < y ? -1 : x > y;
}

/* Node ids of a pool: explicit `nodeIds`, else `count` ids from `first`. */
static struct value *pool_ids(struct mb *m, const struct value *pool, long long first,
			      struct value *out_pool)
{
	const struct value *ids = opt(m, pool, "nodeIds", V_SEQ);
	struct value *seq = L(m), *replicas;
	if (ids && ids->seq.n) {
		/* The spec's own id nodes, sorted: each keeps its line. */
		for (size_t i = 0; i < ids->seq.n; i++)
			push(m, seq, ids->seq.items[i]->kind == V_INT ? ids->seq.items[i]
								 : (struct value *)need(m, ids->seq.items[i], "", V_INT));
		qsort(seq->seq.items, seq->seq.n, sizeof *seq->seq.items, node_id_cmp);
		replicas = I(m, (long long)seq->seq.n);
	} else {
		replicas = IN(m, pool, "count");
		const struct mark *at = &replicas->mark;
		/* More than asbgen renders is the pool-size check's error. */
		for (long long i = 0; i < replicas->i && replicas->i <= MODEL_MAX_POOL; i++)
			push(m, seq, v_int(m->a, at, first + i));
	}
	size_t n = seq->seq.n;
	long long *arr = arena_alloc(m->a, (n ? n : 1) * sizeof *arr);
	for (size_t i = 0; i < n; i++)
		arr[i] = seq->seq.items[i]->i;
	put(m, out_pool, "replicas", replicas);
	put(m, out_pool, "nodeIds", seq);
	put(m, out_pool, "nodeIdRanges", id_ranges(m, arr, n));
	return seq;
}

/* GKE taint effects are spelled differently in Kubernetes and Terraform. */
static const char *tf_effect(const char *k8s)
{
	if (!strcmp(k8s, "NoSchedule")) return "NO_SCHEDULE";
	if (!strcmp(k8s, "PreferNoSchedule")) return "PREFER_NO_SCHEDULE";
	if (!strcmp(k8s, "NoExecute")) return "NO_EXECUTE";
	return k8s;
}

static void build_pool(struct mb *m, struct value *kafka, const char *key, const char *role,
		       long long first_id, struct value *platform)
{
	const struct value *spec_pool = sget(m->spec, arena_printf(m->a, "kafka.%s", key));
	struct value *pool = M(m);
	put(m, pool, "name", SN(m, spec_pool, "poolName"));
	put(m, pool, "role", S(m, role));
	pool_ids(m, spec_pool, first_id, pool);
	struct value *storage = M(m);
	put(m, storage, "size", SN(m, spec_pool, "storage.size"));
	put(m, storage, "class", ON(m, spec_pool, "storage.class", V_STRING, map_get(platform, "storageClass")));
	put(m, storage, "deleteClaim", BN(m, spec_pool, "storage.deleteClaim"));
	put(m, pool, "storage", storage);
	put(m, pool, "resources", or_default((struct value *)sget(spec_pool, "resources"), N(m)));
	put(m, pool, "antiAffinity", BN(m, spec_pool, "antiAffinity"));
	put(m, pool, "dedicatedNodes", BN(m, spec_pool, "dedicatedNodes"));
	/* Pods tolerate the dedicated node pool's taint, and select its label. */
	struct value *tolerations = L(m);
	const struct value *taint = map_get(platform, "taint");
	if (taint && taint->kind == V_MAP && need_bool(m, spec_pool, "dedicatedNodes")) {
		struct value *t = M(m);
		put(m, t, "key", map_get(taint, "key"));
		put(m, t, "operator", S(m, "Equal"));
		put(m, t, "value", map_get(taint, "value"));
		put(m, t, "effect", map_get(taint, "effect"));
		push(m, tolerations, t);
	}
	/* The node pool's labels the pods require (common/pool-affinity.yaml
	 * writes the affinity): on GKE, for pools on the dedicated nodes. */
	const struct value *labels = map_get(platform, "nodeLabels");
	bool select = labels && labels->kind == V_MAP && labels->map.n && need_bool(m, spec_pool, "dedicatedNodes");
	put(m, pool, "nodeLabels", select ? (struct value *)labels : M(m));
	put(m, pool, "tolerations", tolerations);
	struct value *ann = M(m);
	if (need_bool(m, m->spec, "kafka.metrics.prometheusScraping"))
		put(m, ann, "prometheus.io/scrape", S(m, "true"));
	put(m, pool, "podAnnotations", ann);
	put(m, kafka, key, pool);
}

/* The cluster's variable file the node pool is merged into: {path: as
 * asbgen opens it (relative to the spec's directory), name: its base name},
 * or null.  path keeps the spec's mark, so errors point at the line. */
static struct value *var_file(struct mb *m, const struct value *v)
{
	if (!v || v->kind != V_STRING)
		return N(m);
	const char *s = v->str.s, *spec = v->mark.file;
	/* A spec read from git (diff --base) is named REV:PATH: its file is
	 * named relative to PATH in the working tree. */
	const char *colon = spec ? strchr(spec, ':') : NULL;
	if (colon && access(spec, F_OK) != 0 && access(colon + 1, F_OK) == 0)
		spec = colon + 1;
	const char *slash = spec ? strrchr(spec, '/') : NULL;
	struct value *path = (s[0] == '/' || !slash) ? v_str(m->a, &v->mark, s)
		: v_strf(m->a, &v->mark, "%.*s/%s", (int)(slash - spec), spec, s);
	const char *base = strrchr(s, '/');
	struct value *f = M(m);
	put(m, f, "path", path);
	put(m, f, "name", S(m, base ? base + 1 : s));
	return f;
}

static void build_platform(struct mb *m, struct value *model)
{
	struct value *p = M(m);
	const char *type = need_str(m, m->spec, "platform.type");
	bool gke = !strcmp(type, "gke");
	put(m, p, "type", SN(m, m->spec, "platform.type"));
	put(m, p, "gke", B(m, gke));
	put(m, p, "bareMetal", B(m, !gke));
	if (gke) {
		const struct value *g = sget(m->spec, "platform.gke");
		put(m, p, "project", SN(m, g, "project"));
		const char *region = need_str(m, g, "region");
		put(m, p, "region", SN(m, g, "region"));
		put(m, p, "zone", ON(m, g, "zone", V_STRING, F(m, "%s-b", region)));
		struct value *np = M(m);
		const struct value *snp = sget(g, "nodePool");
		put(m, np, "name", SN(m, snp, "name"));
		put(m, np, "varFile", var_file(m, sget(snp, "varFile")));
		put(m, np, "machineType", SN(m, snp, "machineType"));
		put(m, np, "diskSizeGb", IN(m, snp, "diskSizeGb"));
		put(m, np, "diskType", SN(m, snp, "diskType"));
		put(m, np, "imageType", SN(m, snp, "imageType"));
		long long minn = need_int(m, snp, "minNodes");
		put(m, np, "minNodes", IN(m, snp, "minNodes"));
		put(m, np, "maxNodes", IN(m, snp, "maxNodes"));
		put(m, np, "initialNodes", ON(m, snp, "initialNodes", V_INT, I(m, minn)));
		put(m, np, "autoscaling", B(m, need_int(m, snp, "maxNodes") > minn));
		put(m, np, "preemptible", BN(m, snp, "preemptible"));
		/* Label and taint default (in the schema) to kafka = "ok", as
		 * the IDF kafka-pool has them. */
		struct value *labels = (struct value *)need(m, snp, "labels", V_MAP);
		put(m, np, "labels", labels);
		const struct value *st = sget(snp, "taint");
		struct value *taint = N(m);
		if (st && st->kind == V_MAP) {
			taint = M(m);
			put(m, taint, "key", SN(m, st, "key"));
			put(m, taint, "value", SN(m, st, "value"));
			const char *eff = need_str(m, st, "effect");
			put(m, taint, "effect", SN(m, st, "effect"));
			put(m, taint, "terraformEffect", S(m, tf_effect(eff)));
		}
		put(m, np, "taint", taint);
		put(m, p, "nodePool", np);
		put(m, p, "taint", taint);
		put(m, p, "nodeLabels", labels);
		put(m, p, "storageClass", SN(m, g, "storageClass"));
		put(m, p, "addressPool", N(m));
		put(m, p, "addressRange", N(m));
		put(m, p, "s3Endpoint", N(m));
	} else {
		const struct value *bm = sget(m->spec, "platform.bareMetal");
		put(m, p, "addressPool", SN(m, bm, "addressPool"));
		put(m, p, "addressRange", SN(m, bm, "addressRange"));
		put(m, p, "storageClass", SN(m, bm, "storageClass"));
		put(m, p, "s3Endpoint", ON(m, bm, "s3Endpoint", V_STRING, N(m)));
		put(m, p, "taint", N(m));
		put(m, p, "nodeLabels", M(m));
		put(m, p, "project", N(m));
		put(m, p, "region", N(m));
		put(m, p, "zone", N(m));
		put(m, p, "nodePool", N(m));
	}
	put(m, model, "platform", p);
}

static bool build_strimzi(struct mb *m, struct value *model)
{
	const char *ver = need_str(m, m->spec, "strimzi.version");
	const struct strimzi_release *r = strimzi_find(ver);
	if (!r) {
		/* The schema's enum normally catches this first. */
		diag_at(m->d, SEV_ERROR, sget(m->spec, "strimzi.version") ? &sget(m->spec, "strimzi.version")->mark : NULL,
			"strimzi-version", "use one of the versions listed in the README",
			"unknown Strimzi version '%s'", ver);
		return false;
	}
	struct value *s = M(m);
	put(m, s, "version", SN(m, m->spec, "strimzi.version"));
	/* Prefer v1 where served: Strimzi 1.0 serves nothing else. */
	const char *api = opt_str(m, m->spec, "strimzi.apiVersion", NULL);
	if (!api || !strimzi_serves_api(r, api))
		api = strimzi_serves_api(r, "v1") ? "v1" : "v1beta2";
	put(m, s, "api", S(m, api));
	put(m, s, "apiVersion", F(m, "kafka.strimzi.io/%s", api));
	/* Strimzi before 0.48 needs these annotations to run KRaft with node
	 * pools; later releases ignore them. */
	put(m, s, "kraftAnnotations", B(m, version_cmp(ver, "0.48.0") < 0));
	/* strimzi-registry-operator looks Kafka users up with this API. */
	put(m, s, "registryApi", S(m, strimzi_serves_api(r, "v1beta2") ? "v1beta2" : "v1"));
	struct value *kv = L(m);
	char buf[64];
	for (const char *p = r->kafka; *p;) {
		const char *e = strchr(p, ' ');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		snprintf(buf, sizeof buf, "%.*s", (int)l, p);
		push(m, kv, S(m, buf));
		p += l + (e ? 1 : 0);
	}
	put(m, s, "kafkaVersions", kv);
	strimzi_default_kafka(r, buf, sizeof buf);
	put(m, s, "defaultKafkaVersion", S(m, buf));
	put(m, model, "strimzi", s);
	return true;
}

/* Kafka broker config: derived safe defaults under the user's overrides. */
static struct value *build_config(struct mb *m, long long brokers)
{
	struct value *c = map_or_empty(m, sget(m->spec, "kafka.config"));
	long long rf = brokers < 3 ? (brokers > 0 ? brokers : 1) : 3;
	long long isr = rf > 1 ? rf - 1 : 1;
	if (isr > 2)
		isr = 2;
	put_default(m, c, "offsets.topic.replication.factor", I(m, rf));
	put_default(m, c, "transaction.state.log.replication.factor", I(m, rf));
	put_default(m, c, "transaction.state.log.min.isr", I(m, isr));
	put_default(m, c, "default.replication.factor", I(m, rf));
	put_default(m, c, "auto.create.topics.enable", B(m, false));
	return c;
}

/* The internal listeners, and which of them each kind of in-cluster client
 * uses: the components with client certificates (alert database,
 * simulator) the first with tls authentication, the registry the one
 * named "tls" (strimzi-registry-operator's default) or else that first
 * one, SCRAM clients (Kafdrop) the first scram-sha-512 one.  Null where
 * there is none (check_cluster.c reports a component that needs one). */
static void build_listeners(struct mb *m, struct value *k, const char *cluster)
{
	struct value *list = L(m);
	const struct value *sl = need(m, m->spec, "kafka.listeners", V_SEQ);
	const struct value *first_tls = NULL, *named_tls = NULL, *first_scram = NULL;
	for (size_t i = 0; i < sl->seq.n; i++) {
		const struct value *x = sl->seq.items[i];
		const char *name = need_str(m, x, "name"), *auth = need_str(m, x, "authentication");
		struct value *o = M(m);
		put(m, o, "name", SN(m, x, "name"));
		put(m, o, "port", IN(m, x, "port"));
		put(m, o, "tls", BN(m, x, "tls"));
		/* none: Strimzi's listener without an authentication key. */
		put(m, o, "authentication", strcmp(auth, "none") ? SN(m, x, "authentication") : N(m));
		put(m, o, "bootstrap", F(m, "%s-kafka-bootstrap:%lld", cluster, need_int(m, x, "port")));
		push(m, list, o);
		if (!strcmp(auth, "tls")) {
			if (!first_tls)
				first_tls = o;
			if (!named_tls && !strcmp(name, "tls"))
				named_tls = o;
		}
		if (!first_scram && !strcmp(auth, "scram-sha-512"))
			first_scram = o;
	}
	put(m, k, "listeners", list);
	put(m, k, "bootstrapInternal", first_tls ? map_get(first_tls, "bootstrap") : N(m));
	const struct value *reg = named_tls ? named_tls : first_tls;
	put(m, k, "registryListener", reg ? map_get(reg, "name") : N(m));
	put(m, k, "scramListener", first_scram ? (struct value *)first_scram : N(m));
}

static void build_kafka(struct mb *m, struct value *model)
{
	struct value *k = M(m);
	struct value *strimzi = map_get(model, "strimzi");
	struct value *platform = map_get(model, "platform");
	const char *cluster = need_str(m, m->spec, "kafka.clusterName");
	put(m, k, "clusterName", SN(m, m->spec, "kafka.clusterName"));
	put(m, k, "version", ON(m, m->spec, "kafka.version", V_STRING, map_get(strimzi, "defaultKafkaVersion")));
	build_listeners(m, k, cluster);
	put(m, k, "clusterCaSecret", F(m, "%s-cluster-ca-cert", cluster));
	build_pool(m, k, "brokers", "broker", MODEL_BROKER_FIRST_ID, platform);
	build_pool(m, k, "controllers", "controller", MODEL_CONTROLLER_FIRST_ID, platform);
	long long nb = need_int(m, k, "brokers.replicas");
	put(m, k, "config", build_config(m, nb));
	/* Read by check_kafka_config.c: options with these prefixes go unchecked. */
	put(m, k, "pluginConfigPrefixes", (struct value *)need(m, m->spec, "kafka.pluginConfigPrefixes", V_SEQ));
	struct value *ex = M(m);
	const struct value *sx = sget(m->spec, "kafka.metrics.exporter");
	put(m, ex, "enabled", BN(m, sx, "enabled"));
	put(m, ex, "groupRegex", SN(m, sx, "groupRegex"));
	put(m, ex, "topicRegex", SN(m, sx, "topicRegex"));
	put(m, ex, "saramaLogging", BN(m, sx, "saramaLogging"));
	put(m, ex, "logLevel", SN(m, sx, "logLevel"));
	put(m, k, "exporter", ex);
	put(m, k, "prometheusScraping", BN(m, m->spec, "kafka.metrics.prometheusScraping"));
	/* The JMX exporter's rules: a ConfigMap the Kafka resource names. */
	put(m, k, "jmxExporter", BN(m, m->spec, "kafka.metrics.jmxExporter"));
	put(m, k, "metricsConfigMap", F(m, "%s-kafka-metrics", cluster));
	put(m, k, "metricsConfigKey", S(m, "kafka-metrics-config.yml"));
	put(m, model, "kafka", k);
}

static void build_external(struct mb *m, struct value *model)
{
	struct value *e = M(m);
	struct value *platform = map_get(model, "platform");
	struct value *kafka = map_get(model, "kafka");
	const char *cluster = need_str(m, kafka, "clusterName");
	bool gke = need_bool(m, platform, "gke");
	/* Without the listener (render --phase bootstrap, or a cluster for
	 * in-cluster clients only) the templates leave out the listener and
	 * its certificate; what clients are told stays as the spec says. */
	bool tls = need_bool(m, m->spec, "external.tls.enabled");
	put(m, e, "enabled", BN(m, m->spec, "external.enabled"));
	put(m, e, "tls", BN(m, m->spec, "external.tls.enabled"));
	put(m, e, "port", I(m, 9094));
	put(m, e, "issuer", SN(m, m->spec, "external.tls.issuer"));
	put(m, e, "organization", SN(m, m->spec, "external.tls.organization"));
	put(m, e, "certificateName", F(m, "%s-external-tls", cluster));
	/* MetalLB answers for the service IP itself; node ports are useless
	 * there.  GKE's load balancers need them. */
	put(m, e, "allocateNodePorts", B(m, gke));

	const char *bhost = opt_str(m, m->spec, "external.bootstrap.host", NULL);
	const char *bip = opt_str(m, m->spec, "external.bootstrap.ip", NULL);
	struct value *b = M(m);
	put(m, b, "host", S(m, bhost));
	put(m, b, "ip", S(m, bip));
	put(m, b, "loadBalancerIP", gke && bip ? S(m, bip) : N(m));
	put(m, e, "bootstrap", b);

	struct value *dns = L(m);
	struct value *records = L(m);
	if (bhost) {
		push(m, dns, S(m, bhost));
		if (bip) {
			struct value *r = M(m);
			put(m, r, "name", S(m, bhost));
			put(m, r, "ip", S(m, bip));
			put(m, r, "service", F(m, "%s-kafka-external-bootstrap", cluster));
			push(m, records, r);
		}
	}
	struct value *brokers = L(m);
	const struct value *sb = sget(m->spec, "external.brokers");
	for (size_t i = 0; sb && sb->kind == V_SEQ && i < sb->seq.n; i++) {
		const struct value *x = sb->seq.items[i];
		const char *host = opt_str(m, x, "host", NULL), *ip = opt_str(m, x, "ip", NULL);
		long long id = need_int(m, x, "nodeId");
		struct value *o = M(m);
		put(m, o, "nodeId", I(m, id));
		put(m, o, "host", S(m, host));
		put(m, o, "ip", S(m, ip));
		put(m, o, "loadBalancerIP", gke && ip ? S(m, ip) : N(m));
		push(m, brokers, o);
		if (host) {
			push(m, dns, S(m, host));
			if (ip) {
				struct value *r = M(m);
				put(m, r, "name", S(m, host));
				put(m, r, "ip", S(m, ip));
				put(m, r, "service", F(m, "%s-kafka-%lld", cluster, id));
				push(m, records, r);
			}
		}
	}
	put(m, e, "brokers", brokers);
	put(m, e, "dnsNames", dns);
	put(m, e, "dnsRecords", records);
	/* What clients outside the cluster put in bootstrap.servers. */
	const char *addr = bhost ? bhost : bip;
	/* (kept in the bootstrap phase: the client files describe the full
	 * deployment, and stay as they are through a cold start) */
	put(m, e, "bootstrapServers", addr ? F(m, "%s:9094", addr) : N(m));
	put(m, e, "securityProtocol", S(m, tls ? "SASL_SSL" : "SASL_PLAINTEXT"));
	put(m, model, "external", e);
}

/* Kubernetes object names are DNS-1123 subdomains. */
static bool is_lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

const char *topic_object_name(struct arena *a, const char *topic)
{
	size_t n = strlen(topic);
	if (dns1123_subdomain(topic, n))
		return topic;
	/* Sanitise, then add a hash of the real name so that "a_b" and "a-b"
	 * cannot end up as the same object. */
	char *s = arena_alloc(a, n + 16);
	size_t o = 0;
	for (size_t i = 0; i < n && o < 200; i++) {
		char c = (char)tolower((unsigned char)topic[i]);
		/* A dot only between two letters or digits: labels must not be
		 * empty nor start or end with '-'. */
		bool dot_ok = c == '.' && o && is_lower_alnum(s[o - 1]) && i + 1 < n &&
			      isalnum((unsigned char)topic[i + 1]);
		s[o++] = is_lower_alnum(c) || dot_ok ? c : '-';
	}
	while (o && !isalnum((unsigned char)s[o - 1]))
		o--;
	size_t start = 0;
	while (start < o && !isalnum((unsigned char)s[start]))
		start++;
	uint32_t h = hash_fnv1a32(topic, n);
	s[o] = '\0';
	return arena_printf(a, "%s%s%08x", s + start, o > start ? "-" : "t-", h);
}

/* Topic config from the topic, the topic defaults and derived values. */
/* What the model knows of where a topic comes from. */
struct topic_from {
	const char *source;  /* "topics[3]", "registry.schemaTopic", ... */
	bool builtin;        /* asbgen adds it (registry, simulator) */
	bool auto_min_isr;   /* min.insync.replicas 2 from 3 replicas */
};

/* A topic: the spec's settings t, else topicDefaults' (dflt, may be NULL),
 * else the given defaults.  Besides what templates place (config as
 * rendered), the entry keeps what the checks read: the config the user
 * wrote (userConfig), the retention settings and the policy in effect,
 * each the node that decided it. */
static struct value *topic_entry(struct mb *m, struct value *name_node, const struct value *t,
				 const struct value *dflt, long long dflt_replicas, long long dflt_partitions,
				 struct topic_from from)
{
	struct value *o = M(m);
	const char *name = name_node->str.s;
	const char *obj = topic_object_name(m->a, name);
	put(m, o, "name", name_node);
	put(m, o, "source", S(m, from.source));
	put(m, o, "builtin", B(m, from.builtin));
	put(m, o, "topicDefaults", B(m, dflt != NULL));
	put(m, o, "objectName", S(m, obj));
	put(m, o, "needsTopicName", B(m, strcmp(obj, name) != 0));
	struct value *pv = ON(m, t, "partitions", V_INT, ON(m, dflt, "partitions", V_INT, NULL));
	struct value *rv = ON(m, t, "replicas", V_INT, ON(m, dflt, "replicas", V_INT, NULL));
	long long partitions = pv ? pv->i : dflt_partitions, replicas = rv ? rv->i : dflt_replicas;
	put(m, o, "partitions", pv ? pv : I(m, partitions));
	put(m, o, "replicas", rv ? rv : I(m, replicas));
	struct value *c = map_or_empty(m, sget(t, "config"));
	const struct value *dc = sget(dflt, "config");
	for (size_t i = 0; dc && dc->kind == V_MAP && i < dc->map.n; i++)
		if (!map_get(c, dc->map.items[i].key->str.s))
			map_put(m->a, c, dc->map.items[i].key, dc->map.items[i].val);
	put(m, o, "userConfig", map_or_empty(m, c));
	struct value *cleanup = ON(m, t, "cleanupPolicy", V_STRING, NULL);
	if (!cleanup)
		cleanup = SN(m, dflt, "cleanupPolicy");
	put_default(m, c, "cleanup.policy", cleanup);
	const struct value *ms = sget(t, "retention.ms") ? sget(t, "retention.ms") : sget(dflt, "retention.ms");
	const struct value *bytes = sget(t, "retention.bytes") ? sget(t, "retention.bytes") : sget(dflt, "retention.bytes");
	if (ms)
		put_default(m, c, "retention.ms", (struct value *)ms);
	if (bytes)
		put_default(m, c, "retention.bytes", (struct value *)bytes);
	put(m, o, "retentionMs", ms ? (struct value *)ms : N(m));
	put(m, o, "retentionBytes", bytes ? (struct value *)bytes : N(m));
	/* The policy in effect: a cleanup.policy config wins over cleanupPolicy. */
	struct value *pol = map_get(c, "cleanup.policy");
	put(m, o, "cleanupPolicy", pol && pol->kind == V_STRING ? pol : cleanup);
	struct value *comp = ON(m, t, "compression", V_STRING, ON(m, dflt, "compression", V_STRING, NULL));
	if (comp)
		put_default(m, c, "compression.type", comp);
	struct value *ts = ON(m, t, "timestampType", V_STRING, ON(m, dflt, "timestampType", V_STRING, NULL));
	if (ts)
		put_default(m, c, "message.timestamp.type", ts);
	/* With three or more replicas, acks=all producers should survive
	 * one broker loss but not silently write to a single copy. */
	if (replicas >= 3 && from.auto_min_isr)
		put_default(m, c, "min.insync.replicas", I(m, 2));
	put(m, o, "config", c);
	/* Bytes the topic may hold on disk, all replicas (for capacity checks):
	 * null without a retention.bytes, or beyond 2^63 (check_topics.c says so). */
	long long rb = bytes && bytes->kind == V_INT ? bytes->i : -1, total;
	bool fits = rb >= 0 && partitions >= 0 && replicas >= 0 && !__builtin_mul_overflow(rb, partitions, &total) &&
		    !__builtin_mul_overflow(total, replicas, &total);
	put(m, o, "retentionBytesTotal", fits ? I(m, total) : N(m));
	return o;
}

/* The operations of an ACL entry ("Read Describe") as a list, one per
 * distinct ops literal: a few lists for the whole model. */
static struct value *ops_list(struct mb *m, const char *ops)
{
	for (size_t i = 0; i < m->nops; i++)
		if (m->ops[i].ops == ops)
			return m->ops[i].list;
	struct value *list = L(m);
	char buf[64];
	for (const char *p = ops; *p;) {
		const char *e = strchr(p, ' ');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		snprintf(buf, sizeof buf, "%.*s", (int)l, p);
		struct value *op = S(m, buf);
		emit_yaml_mark_plain(op);
		push(m, list, op);
		p += l + (e ? 1 : 0);
	}
	if (m->nops < sizeof m->ops / sizeof m->ops[0])
		m->ops[m->nops++] = (struct ops_slot){ ops, list };
	return list;
}

static struct value *acl_build(struct mb *m, const char *type, const char *name, const char *pattern,
			       const char *ops)
{
	/* type, pattern, ops and "*" are literals: their nodes are shared (one
	 * entry per user for the group prefix ACL); name is spec text in the
	 * arena (no copy). */
	struct value *r = M(m);
	map_reserve(m->a, r, 3); /* one entry per user: no room to spare */
	put(m, r, "type", lit(m, type));
	if (strcmp(type, "cluster")) { /* the cluster is one resource, unnamed */
		struct value *nv = v_lit(m->a, NULL, name);
		emit_yaml_mark_plain(nv);
		put(m, r, "name", nv);
		put(m, r, "patternType", lit(m, pattern));
	}
	struct value *o = M(m);
	map_reserve(m->a, o, 3);
	put(m, o, "resource", r);
	put(m, o, "operations", ops_list(m, ops));
	put(m, o, "host", lit(m, "*"));
	return o;
}

/* FNV-1a over the parts of an ACL entry, each ended by a 0x1f byte. */
static uint64_t acl_hash(const char *const parts[4])
{
	uint64_t h = HASH_FNV1A_INIT;
	for (int k = 0; k < 4; k++) {
		h = hash_fnv1a_add(h, parts[k], strlen(parts[k]));
		h = hash_fnv1a_add(h, "\x1f", 1);
	}
	return h;
}

/* An ACL entry: a resource, its pattern type, and operations.  Looked up
 * by content without building a key string (20,000 calls for 10,000
 * users, nearly all hits); the parts are literals or spec text in the
 * arena, so the table keeps the pointers. */
/* Room in the ACL table for n entries at most half full.  Sized once for
 * all users (build_users): doubling as it filled touched twice the memory,
 * all of it new pages. */
static void acls_reserve(struct mb *m, size_t n)
{
	size_t cap = m->acls_cap ? m->acls_cap : 64;
	while (cap < 2 * n)
		cap *= 2;
	if (cap == m->acls_cap)
		return;
	/* On the heap: the table is the model builder's, not the model's (a
	 * megabyte and a half for 10,000 users). */
	struct acl_slot *t = xcalloc(cap, sizeof *t);
	for (size_t i = 0; i < m->acls_cap; i++) {
		if (!m->acls[i].v)
			continue;
		size_t j = m->acls[i].hash & (cap - 1);
		while (t[j].v)
			j = (j + 1) & (cap - 1);
		t[j] = m->acls[i];
	}
	free(m->acls);
	m->acls = t;
	m->acls_cap = cap;
}

static struct value *acl(struct mb *m, const char *type, const char *name, const char *pattern,
			 const char *ops)
{
	const char *parts[4] = { type, name, pattern, ops };
	uint64_t h = acl_hash(parts);
	if ((m->acls_n + 1) * 2 > m->acls_cap)
		acls_reserve(m, m->acls_n + 1);
	size_t j = h & (m->acls_cap - 1);
	for (struct acl_slot *sl; (sl = &m->acls[j])->v; j = (j + 1) & (m->acls_cap - 1))
		if (sl->hash == h && !strcmp(sl->name, name) && !strcmp(sl->type, type) &&
		    !strcmp(sl->pattern, pattern) && !strcmp(sl->ops, ops)) {
			/* An entry of two users or more (the topics' readers):
			 * its text is written once (VF_SHARED); a user's own
			 * group entry is not, so the emitter keeps no text of
			 * 10,000 entries met once each. */
			sl->v->flags |= VF_SHARED;
			return sl->v;
		}
	m->acls[j] = (struct acl_slot){ type, name, pattern, ops, h,
					acl_build(m, type, name, pattern, ops) };
	m->acls_n++;
	return m->acls[j].v;
}

/* ---- users by role ----
 *
 * A user's ACLs follow from what it does: each role grants Kafka's minimum
 * for it on each of its resources, unless the entry names the operations.
 * A resource is a name ("*" is every name) or {name, pattern, operations}. */

struct role {
	const char *key;      /* users[i].<key> */
	const char *type;     /* Kafka resource type */
	const char *pattern;  /* of a plain name other than "*" */
	const char *ops;      /* the role's operations */
};

static const struct role ROLE_READ = { "topics", "topic", "literal", "Read Describe DescribeConfigs" };
/* Idempotence (on by default since Kafka 3.0) needs no more than Write
 * since Kafka 2.8 (KIP-679); a transactional producer also needs Write on
 * its transactional id. */
static const struct role ROLE_PRODUCE = { "produces", "topic", "literal", "Write Describe" };
static const struct role ROLE_GROUP = { "groups", "group", "prefix", "All" };
static const struct role ROLE_TXN = { "transactionalIds", "transactionalId", "prefix", "Write Describe" };

/* A list of operations as the space-separated text acl() keys on. */
static const char *ops_text(struct mb *m, const struct value *ops)
{
	size_t n = 1;
	for (size_t i = 0; i < ops->seq.n; i++)
		n += strlen(need(m, ops->seq.items[i], "", V_STRING)->str.s) + 1;
	char *s = arena_alloc(m->a, n), *o = s; /* zero-filled: ends with a NUL */
	for (size_t i = 0; i < ops->seq.n; i++) {
		const char *op = need(m, ops->seq.items[i], "", V_STRING)->str.s;
		size_t l = strlen(op);
		if (i)
			*o++ = ' ';
		memcpy(o, op, l);
		o += l;
	}
	return s;
}

/* The ACLs of one role's resources; the resource names go to names. */
static void role_acls(struct mb *m, const struct value *x, const struct role *r, struct value *acls,
		      struct value *names)
{
	const struct value *list = sget(x, r->key);
	for (size_t j = 0; list && list->kind == V_SEQ && j < list->seq.n; j++) {
		struct value *item = list->seq.items[j];
		struct value *nv = item->kind == V_MAP ? (struct value *)sget(item, "name") : item;
		const char *name = need(m, nv, "", V_STRING)->str.s;
		const char *pattern = !strcmp(name, "*") ? "literal" : opt_str(m, item, "pattern", r->pattern);
		const struct value *ops = item->kind == V_MAP ? sget(item, "operations") : NULL;
		push(m, names, nv); /* share the spec's node: checks point at it */
		push(m, acls, acl(m, r->type, name, pattern, ops && ops->kind == V_SEQ ? ops_text(m, ops) : r->ops));
	}
}

/* Fields every KafkaUser has, whatever made it: how it authenticates, its
 * password's key (SCRAM only), its component and sync wave. */
static void user_common(struct mb *m, struct value *u, struct value *name, struct value *auth,
			const char *component, const char *wave)
{
	bool scram = !strcmp(need(m, auth, "", V_STRING)->str.s, "scram-sha-512");
	put(m, u, "name", name);
	put(m, u, "authentication", auth);
	put(m, u, "scram", B(m, scram));
	put(m, u, "secretKey", scram ? J(m, name->str.s, "-password", NULL, NULL) : N(m));
	/* Kafka's principal for a client certificate is its subject; the
	 * User Operator issues CN=<name> (what super.users must name). */
	put(m, u, "principal", scram ? name : J(m, "CN=", name->str.s, NULL, NULL));
	put(m, u, "component", component ? lit(m, component) : N(m));
	put(m, u, "wave", lit(m, wave));
}

static struct value *user_entry(struct mb *m, const struct value *x)
{
	struct value *nv = (struct value *)sget(x, "name");
	const char *name = need(m, nv, "", V_STRING)->str.s;
	struct value *u = M(m);
	map_reserve(m->a, u, 14); /* its fields, put below: no growing */
	user_common(m, u, nv, (struct value *)need(m, x, "authentication", V_STRING), NULL, "7");
	/* The acls follow the role lists in this order, one per resource
	 * (check_users.c pairs them to know each resource's pattern). */
	/* Built on the stack and kept as kept() says: of 10,000 readers'
	 * five lists, two are empty. */
	struct value sacls = { .kind = V_SEQ }, stl = sacls, spl = sacls, sgl = sacls, sxl = sacls;
	struct value *acls = &sacls, *tl = &stl, *pl = &spl, *gl = &sgl, *xl = &sxl;
	role_acls(m, x, &ROLE_READ, acls, tl);
	role_acls(m, x, &ROLE_PRODUCE, acls, pl);
	const struct value *ug = sget(x, "groups");
	if (ug && ug->kind == V_SEQ && ug->seq.n) {
		role_acls(m, x, &ROLE_GROUP, acls, gl);
	} else if (tl->seq.n) {
		/* A reader without groups could not commit offsets: its own
		 * name is its prefix. */
		push(m, gl, S(m, name));
		push(m, acls, acl(m, "group", name, "prefix", "All"));
	}
	role_acls(m, x, &ROLE_TXN, acls, xl);
	const struct value *cl = sget(x, "cluster");
	if (cl && cl->kind == V_SEQ && cl->seq.n)
		push(m, acls, acl(m, "cluster", "", "literal", ops_text(m, cl)));
	put(m, u, "topics", kept(m, tl));
	put(m, u, "produces", kept(m, pl));
	put(m, u, "groups", kept(m, gl));
	put(m, u, "transactionalIds", kept(m, xl));
	/* The client files' group.id: the first group that is a name or a
	 * prefix ("*" covers any, so then the user's own name). */
	struct value *gid = NULL;
	for (size_t j = 0; j < gl->seq.n && !gid; j++)
		if (strcmp(gl->seq.items[j]->str.s, "*"))
			gid = gl->seq.items[j];
	if (!gid && gl->seq.n)
		gid = S(m, name);
	put(m, u, "groupId", gid ? gid : N(m));
	/* A Kafka Connect sink's consumer group (consumer.group.id in its
	 * worker file; Connect's own connect-<name> is outside every ACL):
	 * inside the group's prefix, a separator added unless the prefix
	 * ends with one. */
	if (gid) {
		const char *gp = gid->str.s;
		size_t gn = strlen(gp);
		bool sep = gn && strchr("-_.", gp[gn - 1]);
		put(m, u, "connectGroupId", J(m, gp, sep ? "connect" : "-connect", NULL, NULL));
	} else {
		put(m, u, "connectGroupId", N(m));
	}
	put(m, u, "acls", kept(m, acls));
	return u;
}

static void build_users(struct mb *m, struct value *model)
{
	struct value *supers = L(m);
	const struct value *ss = need(m, m->spec, "superusers", V_SEQ);
	for (size_t i = 0; i < ss->seq.n; i++) {
		struct value *x = ss->seq.items[i];
		struct value *nv = x->kind == V_MAP ? (struct value *)need(m, x, "name", V_STRING) : x;
		need(m, nv, "", V_STRING);
		struct value *u = M(m);
		/* A plain name: the schema's default authentication. */
		struct value *auth = x->kind == V_MAP ? (struct value *)need(m, x, "authentication", V_STRING)
						      : S(m, "scram-sha-512");
		user_common(m, u, nv, auth, "superuser", "7");
		struct value *acls = L(m);
		push(m, acls, acl(m, "topic", "*", "literal", "All"));
		put(m, u, "acls", acls);
		push(m, supers, u);
	}
	put(m, model, "superusers", supers);

	struct value *users = L(m);
	const struct value *su = sget(m->spec, "users");
	/* A user's own group is an ACL of its own; the topics' ACLs are
	 * mostly shared. */
	if (su && su->kind == V_SEQ)
		acls_reserve(m, m->acls_n + su->seq.n);
	for (size_t i = 0; su && su->kind == V_SEQ && i < su->seq.n; i++)
		push(m, users, user_entry(m, su->seq.items[i]));
	put(m, model, "users", users);
}

/* Kafdrop, the Kafka web UI: built whether or not it is enabled (the
 * checks and model --sources read it), after the registry and the
 * listeners it connects through.  Its Kafka client settings are written
 * by asbgen (kubernetes/kafdrop-kafka-properties.yaml), the password read
 * from the environment by Kafka's EnvVarConfigProvider. */
static struct value *build_kafdrop(struct mb *m, struct value *model)
{
	const struct value *s = need(m, m->spec, "kafdrop", V_MAP);
	struct value *o = M(m);
	const char *cluster = v_as_str(v_path(model, "kafka.clusterName"), "");
	put(m, o, "enabled", BN(m, s, "enabled"));
	/* As the Phalanx chart names it (its release is the cluster's name). */
	const char *name = arena_printf(m->a, "%s-kafdrop", cluster);
	put(m, o, "name", S(m, name));
	put(m, o, "image", SN(m, s, "image"));
	put(m, o, "replicas", IN(m, s, "replicas"));
	put(m, o, "resources", (struct value *)need(m, s, "resources", V_MAP));
	put(m, o, "port", IN(m, s, "port"));
	put(m, o, "contextPath", SN(m, s, "contextPath"));
	/* Spring's context path "/" is the root, written empty (as the chart's
	 * trimSuffix "/" does); the health endpoint is below it. */
	const char *ctx = need_str(m, s, "contextPath");
	bool root = !strcmp(ctx, "/");
	put(m, o, "servletContextPath", root ? S(m, "") : SN(m, s, "contextPath"));
	put(m, o, "healthPath", F(m, "%s/actuator/health", root ? "" : ctx));
	/* kafdrop.sh appends CMD_ARGS to java's command line, split at blanks. */
	struct value *args = L(m);
	push(m, args, F(m, "--topic.deleteEnabled=%s", need_bool(m, s, "topicDeleteEnabled") ? "true" : "false"));
	push(m, args, F(m, "--topic.createEnabled=%s", need_bool(m, s, "topicCreateEnabled") ? "true" : "false"));
	const struct value *extra = need(m, s, "cmdArgs", V_SEQ);
	for (size_t i = 0; i < extra->seq.n; i++)
		push(m, args, (struct value *)need(m, extra->seq.items[i], "", V_STRING));
	put(m, o, "topicDeleteEnabled", BN(m, s, "topicDeleteEnabled"));
	put(m, o, "topicCreateEnabled", BN(m, s, "topicCreateEnabled"));
	put(m, o, "cmdArgs", (struct value *)extra);
	put(m, o, "args", args);
	/* Kafka 3.8 added the allow-list of config providers a client may
	 * instantiate from its own settings; unset, it allows every one (the
	 * kafka-clients 3.8/3.9 of Kafdrop 4.2.0).  Naming the one provider
	 * the settings use keeps them working where the list is enforced, and
	 * allows nothing more. */
	const char *jvm = need_str(m, s, "jvmOpts");
	put(m, o, "specJvmOpts", SN(m, s, "jvmOpts"));
	put(m, o, "jvmOpts", F(m, "%s%s-Dorg.apache.kafka.automatic.config.providers="
			      "org.apache.kafka.common.config.provider.EnvVarConfigProvider", jvm, *jvm ? " " : ""));
	/* Avro messages decoded through the registry, when there is one. */
	struct value *reg = map_get(model, "registry");
	put(m, o, "schemaRegistry", v_as_bool(map_get(reg, "enabled"), false) ? map_get(reg, "internalUrl") : N(m));

	/* Its connection: SCRAM over the first scram-sha-512 listener
	 * (check_components.c reports a Kafdrop without one). */
	struct value *l = v_path(model, "kafka.scramListener");
	bool has = l && l->kind == V_MAP, tls = has && v_as_bool(map_get(l, "tls"), false);
	put(m, o, "listener", has ? map_get(l, "name") : N(m));
	put(m, o, "bootstrap", has ? map_get(l, "bootstrap") : N(m));
	put(m, o, "tls", B(m, tls));
	put(m, o, "securityProtocol", S(m, tls ? "SASL_SSL" : "SASL_PLAINTEXT"));
	put(m, o, "propertiesConfigMap", F(m, "%s-kafka-properties", name));
	put(m, o, "propertiesDir", S(m, "/etc/kafdrop"));
	put(m, o, "propertiesFile", S(m, "/etc/kafdrop/kafka.properties"));
	/* The cluster CA as Strimzi publishes it: ca.p12 with ca.password. */
	put(m, o, "caSecret", v_path(model, "kafka.clusterCaSecret"));
	put(m, o, "caDir", S(m, "/etc/kafdrop/cluster-ca"));
	put(m, o, "truststore", S(m, "/etc/kafdrop/cluster-ca/ca.p12"));

	/* Kafdrop lists and reads every topic and consumer group; it writes,
	 * creates and deletes nothing (topic.*Enabled false), so it gets the
	 * reading roles on "*", not the Phalanx chart's All. */
	struct value *u = M(m);
	user_common(m, u, SN(m, s, "user"), S(m, "scram-sha-512"), "kafdrop", "7");
	struct value *acls = L(m);
	push(m, acls, acl(m, "topic", "*", "literal", ROLE_READ.ops));
	push(m, acls, acl(m, "group", "*", "literal", "Read Describe"));
	put(m, u, "acls", acls);
	put(m, o, "user", u);

	struct value *ing = M(m);
	const struct value *si = need(m, s, "ingress", V_MAP);
	put(m, ing, "enabled", BN(m, si, "enabled"));
	put(m, ing, "hostname", ON(m, si, "hostname", V_STRING, N(m)));
	put(m, ing, "path", ON(m, si, "path", V_STRING, SN(m, s, "contextPath")));
	put(m, ing, "className", SN(m, si, "className"));
	put(m, o, "ingress", ing);
	put(m, model, "kafdrop", o);
	return o;
}

/* Every KafkaUser of the environment in one list, the components' with
 * the spec's: one template renders them all, and the checks see every
 * name (two components claiming one user). */
static void build_kafka_users(struct mb *m, struct value *model)
{
	struct value *kd = build_kafdrop(m, model);
	struct value *all = L(m);
	struct value *reg = map_get(model, "registry");
	if (v_as_bool(map_get(reg, "enabled"), false))
		push(m, all, map_get(reg, "user"));
	const struct value *lists[] = { map_get(model, "superusers"), map_get(model, "users") };
	for (size_t k = 0; k < 2; k++)
		for (size_t i = 0; i < lists[k]->seq.n; i++)
			push(m, all, lists[k]->seq.items[i]);
	struct value *db = map_get(model, "alertDatabase");
	if (v_as_bool(map_get(db, "enabled"), false))
		push(m, all, v_path(db, "ingester.kafkaUser"));
	struct value *sim = map_get(model, "simulator");
	if (v_as_bool(map_get(sim, "enabled"), false))
		push(m, all, map_get(sim, "kafkaUser"));
	if (v_as_bool(map_get(kd, "enabled"), false))
		push(m, all, map_get(kd, "user"));
	put(m, model, "kafkaUsers", all);
}

static void build_topics_users(struct mb *m, struct value *model)
{
	const struct value *dflt = need(m, m->spec, "topicDefaults", V_MAP);
	put(m, model, "topicDefaults", (struct value *)dflt);
	long long dr = model_default_replicas(need_int(m, model, "kafka.brokers.replicas"));
	struct value *topics = L(m);
	const struct value *st = sget(m->spec, "topics");
	for (size_t i = 0; st && st->kind == V_SEQ && i < st->seq.n; i++) {
		const struct value *t = st->seq.items[i];
		struct topic_from from = { arena_printf(m->a, "topics[%zu].name", i), false, true };
		push(m, topics, topic_entry(m, SN(m, t, "name"), t, dflt, dr, 1, from));
	}

	/* The simulator's topics, when it runs. */
	const struct value *sim = sget(m->spec, "simulator");
	struct value *simm = M(m);
	bool sim_on = need_bool(m, sim, "enabled");
	put(m, simm, "enabled", BN(m, sim, "enabled"));
	const char *static_topic = need_str(m, sim, "staticTopic");
	const char *replay_topic = need_str(m, sim, "replayTopic");
	put(m, simm, "name", S(m, "alert-stream-simulator"));
	put_image(m, simm, SN(m, sim, "image"));
	put(m, simm, "staticTopic", SN(m, sim, "staticTopic"));
	put(m, simm, "replayTopic", SN(m, sim, "replayTopic"));
	put(m, simm, "repeatInterval", IN(m, sim, "repeatInterval"));
	put(m, simm, "replayPartitions", IN(m, sim, "replayPartitions"));
	put(m, simm, "retentionMs", IN(m, sim, "retentionMs"));
	put(m, simm, "retentionBytes", IN(m, sim, "retentionBytes"));
	put(m, simm, "user", S(m, "alert-stream-simulator"));
	if (sim_on) {
		struct value *stt = M(m), *stc = M(m), *rpc = M(m);
		put(m, stc, "retention.ms", I(m, -1)); /* one visit, kept for good */
		put(m, stt, "partitions", I(m, 1));
		put(m, stt, "cleanupPolicy", S(m, "delete"));
		put(m, stt, "config", stc);
		push(m, topics, topic_entry(m, SN(m, sim, "staticTopic"), stt, NULL, dr, 1,
					    (struct topic_from){ "simulator.staticTopic", true, true }));
		struct value *rpt = M(m);
		put(m, rpt, "partitions", map_get(simm, "replayPartitions"));
		struct value *ret = M(m);
		put(m, ret, "ms", map_get(simm, "retentionMs"));
		put(m, ret, "bytes", map_get(simm, "retentionBytes"));
		put(m, rpt, "retention", ret);
		put(m, rpt, "config", rpc);
		push(m, topics, topic_entry(m, SN(m, sim, "replayTopic"), rpt, dflt, dr, 8,
					    (struct topic_from){ "simulator.replayTopic", true, true }));
		struct value *acls = L(m);
		push(m, acls, acl(m, "topic", static_topic, "literal", "Read Write Describe Create"));
		push(m, acls, acl(m, "topic", replay_topic, "literal", "Write Describe Create"));
		push(m, acls, acl(m, "group", "alert-stream-simulator", "prefix", "All"));
		put(m, simm, "acls", acls);
	} else {
		put(m, simm, "acls", L(m));
	}
	struct value *su = M(m);
	user_common(m, su, map_get(simm, "user"), S(m, "tls"), "simulator", "7");
	put(m, su, "acls", map_get(simm, "acls"));
	put(m, simm, "kafkaUser", su);
	put(m, model, "topics", topics);

	build_users(m, model);

	struct value *sec = M(m);
	put(m, sec, "name", SN(m, m->spec, "secrets.name"));
	put(m, sec, "vaultPath", ON(m, m->spec, "secrets.vaultPath", V_STRING, N(m)));
	put(m, model, "secrets", sec);
	put(m, model, "simulator", simm);
}

static void build_registry(struct mb *m, struct value *model)
{
	const struct value *r = sget(m->spec, "registry");
	struct value *o = M(m);
	put(m, o, "enabled", BN(m, r, "enabled"));
	/* The schema requires a hostname when the registry is enabled. */
	const char *host = opt_str(m, r, "hostname", NULL);
	put(m, o, "name", S(m, "alert-schema-registry"));
	put(m, o, "hostname", ON(m, r, "hostname", V_STRING, N(m)));
	/* The address of the ingress serving the registry, for its DNS record. */
	put(m, o, "ingressIp", ON(m, r, "ip", V_STRING, N(m)));
	put(m, o, "tls", BN(m, r, "tls"));
	put(m, o, "tlsSecret", S(m, "alert-schema-registry-tls"));
	put(m, o, "issuer", ON(m, r, "issuer", V_STRING, SN(m, m->spec, "external.tls.issuer")));
	/* The registry's ingress serves HTTPS whether or not the ingress
	 * terminates TLS itself (USDF's does at the edge), so clients use https. */
	put(m, o, "url", host ? F(m, "https://%s", host) : N(m));
	put(m, o, "internalUrl", S(m, "http://alert-schema-registry:8081"));
	put(m, o, "port", I(m, 8081));
	put(m, o, "compatibility", SN(m, r, "compatibility"));
	const char *topic = need_str(m, r, "schemaTopic");
	put(m, o, "schemaTopic", SN(m, r, "schemaTopic"));
	put(m, o, "schemaTopicObject", S(m, topic_object_name(m->a, topic)));
	put(m, o, "listener", v_path(model, "kafka.registryListener"));
	put(m, o, "ingressClass", SN(m, r, "ingressClass"));
	/* Its storage topic: one compacted partition. */
	struct value *rt = M(m);
	put(m, rt, "partitions", I(m, 1));
	put(m, rt, "cleanupPolicy", S(m, "compact"));
	struct value *topic_entry_v = topic_entry(m, SN(m, r, "schemaTopic"), rt, NULL,
						  model_default_replicas(need_int(m, model, "kafka.brokers.replicas")), 1,
						  (struct topic_from){ "registry.schemaTopic", true, false });
	put(m, o, "topic", topic_entry_v);
	struct value *schemas = L(m);
	const struct value *sv = sget(r, "schemas");
	for (size_t i = 0; sv && sv->kind == V_SEQ && i < sv->seq.n; i++) {
		const char *v = need(m, sv->seq.items[i], "", V_STRING)->str.s;
		long maj = strtol(v, NULL, 10);
		const char *dot = strchr(v, '.');
		long min = dot ? strtol(dot + 1, NULL, 10) : 0;
		struct value *s = M(m);
		put(m, s, "version", S(m, v));
		put(m, s, "id", I(m, maj * 100 + min));
		put(m, s, "topic", F(m, "lsst-alerts-v%s", v));
		put(m, s, "subject", F(m, "lsst-alerts-v%s-value", v));
		push(m, schemas, s);
	}
	put(m, o, "schemas", schemas);
	struct value *sync = M(m);
	put_image(m, sync, SN(m, r, "sync.image"));
	put(m, sync, "subject", SN(m, r, "sync.subject"));
	put(m, sync, "pullPolicy", S(m, "Always"));
	put(m, o, "sync", sync);
	struct value *acls = L(m);
	push(m, acls, acl(m, "topic", topic, "literal", "Read Write DescribeConfigs"));
	push(m, acls, acl(m, "group", "schema-registry", "prefix", "All"));
	push(m, acls, acl(m, "topic", "__consumer_offsets", "literal", "Describe"));
	struct value *user = M(m);
	user_common(m, user, map_get(o, "name"), S(m, "tls"), "registry", "4");
	put(m, user, "acls", acls);
	put(m, o, "user", user);
	put(m, model, "registry", o);

	/* The simulator stamps alerts with the schema id of a served version. */
	struct value *sim = map_get(model, "simulator");
	const char *sver = opt_str(m, m->spec, "simulator.schemaVersion", NULL);
	long long sid = 0;
	if (sver) {
		const char *dot = strchr(sver, '.');
		sid = strtol(sver, NULL, 10) * 100 + (dot ? strtol(dot + 1, NULL, 10) : 0);
	} else if (schemas->seq.n) {
		sid = v_as_int(map_get(schemas->seq.items[schemas->seq.n - 1], "id"), 1);
	}
	put(m, sim, "schemaId", I(m, sid ? sid : 1));
}

/* The alertdb module's bucket names: ALERTDB_TF_* in model.h. */

/* The module's environment that makes bucket b with that suffix, or NULL. */
static const char *alertdb_tf_env(struct mb *m, const char *b, const char *suffix)
{
	size_t n = strlen(b), np = strlen(ALERTDB_TF_PREFIX), ns = strlen(suffix);
	if (n <= np + ns || strncmp(b, ALERTDB_TF_PREFIX, np) != 0 || strcmp(b + n - ns, suffix) != 0)
		return NULL;
	return arena_strndup(m->a, b + np, n - np - ns);
}

/* What the alertdb module creates on GKE: terraformEnvironment, the
 * environment that gives exactly the buckets the alert database uses (null
 * when its buckets cannot be the module's: the check alertdb-tf-buckets
 * says so), and terraformBuckets, the names the module creates with it (or
 * with the environment the alert bucket names, else the spec's name). */
static void alertdb_terraform(struct mb *m, struct value *o, const char *alert_bucket,
			      const char *schema_bucket, const char *env)
{
	const char *pe = alertdb_tf_env(m, alert_bucket, ALERTDB_TF_PACKETS);
	const char *se = alertdb_tf_env(m, schema_bucket, ALERTDB_TF_SCHEMAS);
	const char *e = pe ? pe : se ? se : env;
	put(m, o, "terraformEnvironment", S(m, pe && se && !strcmp(pe, se) ? pe : NULL));
	struct value *tb = M(m);
	put(m, tb, "packets", F(m, ALERTDB_TF_PREFIX "%s" ALERTDB_TF_PACKETS, e));
	put(m, tb, "schemas", F(m, ALERTDB_TF_PREFIX "%s" ALERTDB_TF_SCHEMAS, e));
	put(m, o, "terraformBuckets", tb);
}

static void build_alertdb(struct mb *m, struct value *model)
{
	const struct value *a = sget(m->spec, "alertDatabase");
	struct value *o = M(m);
	struct value *platform = map_get(model, "platform");
	bool gke = need_bool(m, platform, "gke");
	put(m, o, "enabled", BN(m, a, "enabled"));
	put(m, o, "backend", S(m, gke ? "gcs" : "s3"));
	put(m, o, "gcs", B(m, gke));
	put(m, o, "s3", B(m, !gke));
	const char *env = need_str(m, m->spec, "name");
	/* On GKE the default buckets are those the alertdb module makes for
	 * the environment named like the spec. */
	const char *alert_bucket = opt_str(m, a, gke ? "gcs.alertBucket" : "s3.alertBucket", NULL);
	if (!alert_bucket)
		alert_bucket = gke ? arena_printf(m->a, ALERTDB_TF_PREFIX "%s" ALERTDB_TF_PACKETS, env)
				   : arena_printf(m->a, "rubin-alertdb-%s-packets", env);
	const char *schema_bucket = opt_str(m, a, gke ? "gcs.schemaBucket" : "s3.schemaBucket", NULL);
	if (!schema_bucket)
		schema_bucket = gke ? arena_printf(m->a, ALERTDB_TF_PREFIX "%s" ALERTDB_TF_SCHEMAS, env)
				    : arena_printf(m->a, "rubin-alertdb-%s-schemas", env);
	put(m, o, "alertBucket", S(m, alert_bucket));
	put(m, o, "schemaBucket", S(m, schema_bucket));
	if (gke)
		alertdb_terraform(m, o, alert_bucket, schema_bucket, env);
	else {
		put(m, o, "terraformEnvironment", N(m));
		put(m, o, "terraformBuckets", N(m));
	}
	struct value *buckets = L(m);
	push(m, buckets, S(m, alert_bucket));
	if (strcmp(alert_bucket, schema_bucket) != 0)
		push(m, buckets, S(m, schema_bucket));
	put(m, o, "buckets", buckets);
	put(m, o, "project", gke ? map_get(platform, "project") : N(m));
	put(m, o, "endpoint", gke ? N(m) : ON(m, a, "s3.endpoint", V_STRING, map_get(platform, "s3Endpoint")));
	put(m, o, "accessKeyIdKey", SN(m, a, "s3.accessKeyIdKey"));
	put(m, o, "secretAccessKeyKey", SN(m, a, "s3.secretAccessKeyKey"));
	put(m, o, "retentionDays", IN(m, a, "retentionDays"));
	const char *project = v_as_str(map_get(platform, "project"), NULL);

	struct value *ing = M(m);
	put(m, ing, "name", S(m, "alert-database-ingester"));
	put_image(m, ing, SN(m, a, "ingester.image"));
	put(m, ing, "replicas", IN(m, a, "ingester.replicas"));
	put(m, ing, "serviceAccount", SN(m, a, "ingester.serviceAccount"));
	put(m, ing, "gcpServiceAccount", gke && project ? F(m, "alertdb-writer@%s.iam.gserviceaccount.com", project) : N(m));
	put(m, ing, "logLevel", SN(m, a, "ingester.logLevel"));
	put(m, ing, "user", S(m, "alert-database-ingester"));
	struct value *topics = L(m), *acls = L(m);
	const struct value *it = sget(a, "ingester.topics");
	for (size_t i = 0; it && it->kind == V_SEQ && i < it->seq.n; i++) {
		const char *t = need(m, it->seq.items[i], "", V_STRING)->str.s;
		push(m, topics, it->seq.items[i]); /* the spec's node: checks point at it */
		push(m, acls, acl(m, "topic", t, "literal", "Read Describe"));
	}
	push(m, acls, acl(m, "topic", "__consumer_offsets", "literal", "All"));
	push(m, acls, acl(m, "group", "*", "literal", "Read Describe"));
	put(m, ing, "topics", topics);
	put(m, ing, "acls", acls);
	struct value *iu = M(m);
	user_common(m, iu, map_get(ing, "user"), S(m, "tls"), "alertDatabase", "7");
	put(m, iu, "acls", acls);
	put(m, ing, "kafkaUser", iu);
	put(m, o, "ingester", ing);

	struct value *srv = M(m);
	put(m, srv, "name", S(m, "alert-database-server"));
	put_image(m, srv, SN(m, a, "server.image"));
	put(m, srv, "replicas", IN(m, a, "server.replicas"));
	put(m, srv, "serviceAccount", SN(m, a, "server.serviceAccount"));
	put(m, srv, "gcpServiceAccount", gke && project ? F(m, "alertdb-reader@%s.iam.gserviceaccount.com", project) : N(m));
	put(m, srv, "logLevel", SN(m, a, "server.logLevel"));
	put(m, srv, "port", I(m, 3000));
	put(m, o, "server", srv);
	put(m, o, "serviceName", S(m, "alert-stream-broker-alert-database"));

	struct value *ingress = M(m);
	put(m, ingress, "enabled", BN(m, a, "ingress.enabled"));
	put(m, ingress, "host", ON(m, a, "ingress.host", V_STRING, N(m)));
	put(m, ingress, "path", SN(m, a, "ingress.path"));
	put(m, ingress, "className", SN(m, a, "ingress.className"));
	/* Gafaelfawr guards the alert database, as in Phalanx; an empty scope
	 * turns that off. */
	const char *scope = need_str(m, a, "ingress.authScope");
	put(m, ingress, "authScope", SN(m, a, "ingress.authScope"));
	put(m, ingress, "authQuery", *scope ? F(m, "scope=%s", scope) : N(m));
	put(m, o, "ingress", ingress);
	put(m, model, "alertDatabase", o);
}

struct value *model_build(struct arena *a, struct diags *d, const struct value *spec,
			  const char *spec_name)
{
	struct mb mb = { .a = a, .d = d, .spec = spec }, *m = &mb;
	struct value *model = v_map(a, &spec->mark); /* decided by the spec as a whole */

	struct value *gen = M(m);
	put(m, gen, "tool", S(m, "asbgen"));
	put(m, gen, "version", S(m, ASBGEN_VERSION));
	put(m, gen, "spec", S(m, spec_name));
	put(m, model, "generator", gen);

	struct value *env = M(m);
	const char *name = need_str(m, spec, "name");
	put(m, env, "name", SN(m, spec, "name"));
	put(m, env, "namespace", SN(m, spec, "namespace"));
	put(m, env, "production", BN(m, spec, "production"));
	put(m, env, "deployWith", SN(m, spec, "deployWith"));
	/* How render --testid scales a test instance (testid.c reads it
	 * from the spec, before the model). */
	put(m, env, "testInstance", (struct value *)need(m, spec, "testInstance", V_MAP));
	put(m, model, "env", env);

	struct value *labels = M(m);
	put(m, labels, "app.kubernetes.io/managed-by", S(m, "asbgen"));
	put(m, labels, "app.kubernetes.io/part-of", S(m, "alert-stream-broker"));
	put(m, labels, "asbgen.lsst.io/environment", S(m, name));
	put(m, model, "labels", labels);

	build_platform(m, model);
	if (!build_strimzi(m, model)) {
		free(mb.acls);
		return NULL;
	}
	build_kafka(m, model);
	build_external(m, model);
	build_topics_users(m, model);
	build_registry(m, model);
	build_alertdb(m, model);
	build_kafka_users(m, model);
	/* The warnings the spec accepts (check_accept.c). */
	put(m, model, "acceptWarnings", (struct value *)need(m, spec, "acceptWarnings", V_SEQ));
	free(mb.acls);
	if (mb.failed)
		return NULL;
	/* Last: it reads the rest of the model. */
	put(m, model, "helm", helm_chart_model(a, model));
	return model;
}
