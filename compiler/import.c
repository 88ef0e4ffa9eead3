/* import.c - `asbgen import`: the objects of one namespace into a spec.
 *
 * Each reader takes the objects asbgen's templates (and the Phalanx charts
 * before them) make for one part of the spec and writes that part: the
 * Kafka and its node pools, the topics, the users (their roles read back
 * from their ACLs), the secrets, the registry, the alert database, the
 * simulator and Kafdrop.  Objects that follow from those parts (a
 * superuser's KafkaUser, the registry's topic, the alert database's
 * Service) are marked generated; what no spec key holds is reported where
 * it is written.  The spec is everything read, defaults included:
 * import_prune then takes out what the model derives anyway. */
#include "arena.h"
#include "ctx.h"
#include "cli.h"
#include "import.h"
#include "kafka_config.h"
#include "quantity.h"
#include "version.h"
#include "strimzi.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct imp {
	struct ctx *c;
	struct arena *a;
	struct imp_set *s;
	struct value *notes;
	const struct imp_obj *kafka;
	const char *cluster;
	bool metallb, gke;           /* what the external listener's addresses say */
	const char *pool;            /* MetalLB address pool */
	const char *storage_class;   /* the brokers' */
	const char *gcp_project, *s3_endpoint;
	struct value *ips;           /* every pinned address, for the pool's range */
	const char *registry_user, *registry_topic, *alertdb_user, *sim_user, *kafdrop_user;
	const char *sim_topics[2];
};

/* ---- small helpers ---- */

/* The spec's nodes are marked as written (the checks tell a user's value
 * from a derived one by its mark): at the spec being made. */
static const struct mark imark = { "<import>", 1, 1 };

static const struct value *P(const struct value *v, const char *path)
{
	return v ? v_path(v, path) : NULL;
}

static const char *str(const struct value *v, const char *path)
{
	const struct value *x = path ? P(v, path) : v;
	return x && x->kind == V_STRING ? x->str.s : NULL;
}

/* An annotation or label: their keys hold dots, which paths split at. */
static const char *ann(const struct value *an, const char *key)
{
	return str(map_get(an, key), NULL);
}

static struct value *S(struct imp *im, const char *s)
{
	return v_str(im->a, &imark, s);
}

/* Set key (replacing an earlier value); nothing for NULL. */
static void put(struct imp *im, struct value *m, const char *key, struct value *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < m->map.n; i++)
		if (!strcmp(m->map.items[i].key->str.s, key)) {
			m->map.items[i].val = v;
			return;
		}
	map_set(im->a, m, key, v);
}

static struct value *M(struct imp *im)
{
	return v_map(im->a, &imark);
}

static struct value *L(struct imp *im)
{
	return v_seq(im->a, &imark);
}

static void note(struct imp *im, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct imp *im, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = arena_vprintf(im->a, fmt, ap);
	va_end(ap);
	seq_push(im->a, im->notes, v_lit(im->a, &imark, s));
}

#define WARN(im, at, id, hint, ...) diag_at(&(im)->c->diags, SEV_WARNING, &(at)->mark, id, hint, __VA_ARGS__)

/* Something of object o that no spec key holds: reported, and dropped. */
static void lost(struct imp *im, const struct value *at, const struct imp_obj *o, const char *why)
{
	WARN(im, at, "import-lost", "asbgen cannot express it: keep it beside the rendered output, or drop it",
	     "%s %s: %s", o->kind, o->name, why);
}

/* An integer as Helm may have printed it: 1.048576e+07, "12", or empty
 * (Helm's nil).  Repairs are reported; NULL when there is no integer. */
static struct value *num(struct imp *im, const struct imp_obj *o, const struct value *v, const char *what)
{
	if (!v)
		return NULL;
	if (v->kind == V_INT)
		return v_int(im->a, &imark, v->i);
	if (v->kind == V_FLOAT && isfinite(v->f) && v->f == floor(v->f) && fabs(v->f) < 9e18) {
		WARN(im, v, "import-repaired", "the integer is written as an integer in the spec",
		     "%s %s: %s written as the float %g (Helm prints large integers so): read as %lld", o->kind,
		     o->name, what, v->f, (long long)v->f);
		return v_int(im->a, &imark, (long long)v->f);
	}
	if (v->kind == V_STRING && v->str.len && strspn(v->str.s, "-0123456789") == v->str.len) {
		return v_int(im->a, &imark, strtoll(v->str.s, NULL, 10));
	}
	WARN(im, v, "import-repaired", "give the value in the manifest, or set it in the spec",
	     "%s %s: %s is %s, not an integer: left out (the spec's default applies)", o->kind, o->name, what,
	     v->kind == V_NULL ? "empty" : vkind_name(v->kind));
	return NULL;
}

static struct imp_obj *find(struct imp *im, const char *kind, const char *name)
{
	for (size_t i = 0; i < im->s->n; i++) {
		struct imp_obj *o = &im->s->items[i];
		if (!strcmp(o->kind, kind) && (!name || !strcmp(o->name, name)))
			return o;
	}
	return NULL;
}

/* The value of "--key=value" in a container's command or args. */
static const char *arg(const struct value *cmd, const char *key)
{
	size_t kl = strlen(key);
	for (size_t i = 0; cmd && cmd->kind == V_SEQ && i < cmd->seq.n; i++) {
		const char *s = str(cmd->seq.items[i], NULL);
		if (s && !strncmp(s, key, kl) && s[kl] == '=')
			return s + kl + 1;
	}
	return NULL;
}

static bool has_arg(const struct value *cmd, const char *word)
{
	for (size_t i = 0; cmd && cmd->kind == V_SEQ && i < cmd->seq.n; i++) {
		const char *s = str(cmd->seq.items[i], NULL);
		if (s && !strcmp(s, word))
			return true;
	}
	return false;
}

static const struct value *container(const struct imp_obj *o)
{
	const struct value *cs = P(o->v, "spec.template.spec.containers");
	return cs && cs->kind == V_SEQ && cs->seq.n ? cs->seq.items[0] : NULL;
}

static const struct value *command(const struct value *ct)
{
	const struct value *c = map_get(ct, "command");
	const struct value *a = map_get(ct, "args");
	return c && c->kind == V_SEQ && c->seq.n > 1 ? c : a;
}

static const struct value *env_entry(const struct value *ct, const char *name)
{
	const struct value *env = map_get(ct, "env");
	for (size_t i = 0; env && env->kind == V_SEQ && i < env->seq.n; i++)
		if (str(env->seq.items[i], "name") && !strcmp(str(env->seq.items[i], "name"), name))
			return env->seq.items[i];
	return NULL;
}

/* A mapping's annotations; Helm renders may nest them twice
 * (annotations: {annotations: null, ...}) or print them as a Go map
 * ("map[a:b c:d]"): both repaired. */
static const struct value *annotations(struct imp *im, const struct imp_obj *o, const struct value *holder)
{
	const struct value *an = map_get(holder, "annotations");
	if (!an)
		return NULL;
	if (an->kind == V_STRING && !strncmp(an->str.s, "map[", 4)) {
		WARN(im, an, "import-repaired", "annotations are a mapping",
		     "%s %s: annotations printed as a Go map string: read as its entries", o->kind, o->name);
		struct value *m = M(im);
		const char *p = an->str.s + 4, *end = an->str.s + an->str.len;
		if (end > p && end[-1] == ']')
			end--;
		while (p < end) {
			const char *sp = memchr(p, ' ', (size_t)(end - p));
			const char *e = sp ? sp : end;
			const char *colon = memchr(p, ':', (size_t)(e - p));
			if (colon)
				map_set(im->a, m, arena_strndup(im->a, p, (size_t)(colon - p)),
					v_strn(im->a, &an->mark, colon + 1, (size_t)(e - colon - 1)));
			p = e + 1;
		}
		return m;
	}
	if (an->kind == V_MAP && map_get_pair(an, "annotations")) {
		WARN(im, map_get_pair(an, "annotations")->key, "import-repaired", "annotations are not nested",
		     "%s %s: annotations nested twice (a template's indentation): the inner key dropped", o->kind,
		     o->name);
		struct value *m = M(im);
		for (size_t i = 0; i < an->map.n; i++)
			if (strcmp(an->map.items[i].key->str.s, "annotations"))
				map_put(im->a, m, an->map.items[i].key, an->map.items[i].val);
		return m;
	}
	return an->kind == V_MAP ? an : NULL;
}

/* ---- the Kafka cluster ---- */

/* The address pool and address of a MetalLB-annotated load balancer
 * (metallb.io/ or the older metallb.universe.tf/ group). */
static const char *metallb_ip(struct imp *im, const struct value *an)
{
	static const char *const groups[] = { "metallb.io/", "metallb.universe.tf/" };
	const char *ip = NULL;
	for (size_t g = 0; g < 2; g++) {
		char key[64];
		snprintf(key, sizeof key, "%saddress-pool", groups[g]);
		if (str(map_get(an, key), NULL)) {
			im->metallb = true;
			im->pool = str(map_get(an, key), NULL);
		}
		snprintf(key, sizeof key, "%sloadBalancerIPs", groups[g]);
		if (!ip)
			ip = str(map_get(an, key), NULL);
	}
	if (ip)
		im->metallb = true;
	return ip;
}

static struct value *address(struct imp *im, const struct imp_obj *o, const struct value *conf)
{
	const char *lb = str(conf, "loadBalancerIP");
	const char *ip = metallb_ip(im, annotations(im, o, conf));
	if (lb) {
		im->gke = true;
		ip = lb;
	}
	if (ip)
		seq_push(im->a, im->ips, S(im, ip));
	return ip ? S(im, ip) : NULL;
}

static struct value *read_external(struct imp *im, const struct value *l)
{
	const struct imp_obj *o = im->kafka;
	struct value *ext = M(im);
	put(im, ext, "enabled", v_bool(im->a, &imark, true));
	const struct value *conf = map_get(l, "configuration");
	const struct value *tls = map_get(l, "tls");
	if (tls && tls->kind == V_BOOL && tls->b) {
		struct value *t = M(im);
		put(im, t, "enabled", v_bool(im->a, &imark, true));
		const struct imp_obj *cert = find(im, "Certificate", NULL);
		if (cert) {
			put(im, t, "issuer", str(cert->v, "spec.issuerRef.name") ? S(im, str(cert->v, "spec.issuerRef.name")) : NULL);
			const struct value *org = P(cert->v, "spec.subject.organizations");
			if (org && org->kind == V_SEQ && org->seq.n && str(org->seq.items[0], NULL))
				put(im, t, "organization", S(im, str(org->seq.items[0], NULL)));
			((struct imp_obj *)cert)->fate = IMP_GENERATED;
		}
		put(im, ext, "tls", t);
	}
	struct value *bs = M(im);
	const struct value *bconf = map_get(conf, "bootstrap");
	const struct value *alt = map_get(bconf, "alternativeNames");
	if (alt && alt->kind == V_SEQ && alt->seq.n && str(alt->seq.items[0], NULL))
		put(im, bs, "host", S(im, str(alt->seq.items[0], NULL)));
	else if (str(bconf, "host"))
		put(im, bs, "host", S(im, str(bconf, "host")));
	put(im, bs, "ip", address(im, o, bconf));
	const struct value *br = map_get(conf, "brokers");
	const struct imp_obj *cert = find(im, "Certificate", NULL);
	const struct value *dns = cert ? P(cert->v, "spec.dnsNames") : NULL;
	for (size_t i = 0; !map_get(bs, "host") && dns && dns->kind == V_SEQ && i < dns->seq.n; i++) {
		const char *h = str(dns->seq.items[i], NULL);
		bool is_broker = false;
		for (size_t j = 0; h && br && br->kind == V_SEQ && j < br->seq.n; j++)
			is_broker |= str(br->seq.items[j], "advertisedHost") && !strcmp(str(br->seq.items[j], "advertisedHost"), h);
		if (h && !is_broker) {
			put(im, bs, "host", S(im, h));
			note(im, "external.bootstrap.host: the certificate's name that is no broker's");
		}
	}
	if (bs->map.n)
		put(im, ext, "bootstrap", bs);
	struct value *list = L(im);
	for (size_t i = 0; br && br->kind == V_SEQ && i < br->seq.n; i++) {
		const struct value *b = br->seq.items[i];
		struct value *e = M(im);
		put(im, e, "nodeId", num(im, o, map_get(b, "broker"), "external broker id"));
		if (!map_get(e, "nodeId"))
			continue;
		put(im, e, "host", str(b, "advertisedHost") ? S(im, str(b, "advertisedHost")) : NULL);
		put(im, e, "ip", address(im, o, b));
		seq_push(im->a, list, e);
	}
	if (list->seq.n)
		put(im, ext, "brokers", list);
	return ext;
}

/* asbgen's external TLS certificate names the bootstrap and every broker
 * (check external-tls): a TLS listener without them cannot be its. */
static bool external_tls_addressed(const struct value *ext)
{
	const struct value *t = P(ext, "tls.enabled");
	if (!t || t->kind != V_BOOL || !t->b)
		return true;
	const struct value *bs = map_get(ext, "bootstrap"), *br = map_get(ext, "brokers");
	if (!map_get(bs, "host") || !map_get(bs, "ip"))
		return false;
	if (!br || br->kind != V_SEQ || !br->seq.n)
		return false;
	for (size_t i = 0; i < br->seq.n; i++)
		if (!map_get(br->seq.items[i], "host") || !map_get(br->seq.items[i], "ip"))
			return false;
	return true;
}

static struct value *read_listeners(struct imp *im, struct value *kafka, struct value **external)
{
	const struct imp_obj *o = im->kafka;
	const struct value *ls = P(o->v, "spec.kafka.listeners");
	struct value *list = L(im);
	for (size_t i = 0; ls && ls->kind == V_SEQ && i < ls->seq.n; i++) {
		const struct value *l = ls->seq.items[i];
		const char *type = str(l, "type"), *name = str(l, "name");
		const char *auth = str(l, "authentication.type");
		if (type && !strcmp(type, "loadbalancer") && !*external) {
			*external = read_external(im, l);
			if (!external_tls_addressed(*external)) {
				lost(im, l, o, arena_printf(im->a, "the TLS load-balancer listener '%s' names no host and address for its bootstrap and each broker: asbgen's external TLS is a certificate for those names, so the spec has no external listener", name ? name : ""));
				*external = NULL;
				continue;
			}
			if (name && strcmp(name, "external"))
				note(im, "the load-balancer listener '%s' is asbgen's external listener (named external)", name);
			if (auth && strcmp(auth, "scram-sha-512"))
				lost(im, l, o, "the load-balancer listener's authentication is not scram-sha-512, as asbgen's external listener's is");
			continue;
		}
		if (!type || strcmp(type, "internal")) {
			lost(im, l, o, arena_printf(im->a, "listener '%s' of type %s: asbgen makes internal listeners and one loadbalancer", name ? name : "", type ? type : "(none)"));
			continue;
		}
		struct value *e = M(im);
		put(im, e, "name", name ? S(im, name) : NULL);
		put(im, e, "port", num(im, o, map_get(l, "port"), "listener port"));
		const struct value *tls = map_get(l, "tls");
		put(im, e, "tls", v_bool(im->a, &imark, tls && tls->kind == V_BOOL && tls->b));
		put(im, e, "authentication", S(im, auth ? auth : "none"));
		if (auth && strcmp(auth, "scram-sha-512") && strcmp(auth, "tls")) {
			lost(im, l, o, "listener authentication other than scram-sha-512, tls or none");
			continue;
		}
		seq_push(im->a, list, e);
	}
	put(im, kafka, "listeners", list);
	return list;
}

/* "[6-11]" or "[0, 1, 2]": the ids Strimzi gives a pool's nodes. */
static struct value *node_ids(struct imp *im, const char *spec, long long n)
{
	if (!spec || n <= 0)
		return NULL;
	struct value *ids = L(im);
	const char *p = spec;
	while (*p && (long long)ids->seq.n < n) {
		while (*p && !(*p >= '0' && *p <= '9'))
			p++;
		if (!*p)
			break;
		char *e;
		long long a = strtoll(p, &e, 10), b = a;
		if (*e == '-')
			b = strtoll(e + 1, &e, 10);
		for (long long k = a; k <= b && (long long)ids->seq.n < n; k++)
			seq_push(im->a, ids, v_int(im->a, &imark, k));
		p = e;
	}
	/* An open range ("[6-]" or too few): the rest follow. */
	while (ids->seq.n && (long long)ids->seq.n < n)
		seq_push(im->a, ids, v_int(im->a, &imark, ids->seq.items[ids->seq.n - 1]->i + 1));
	return ids->seq.n ? ids : NULL;
}

static struct value *resources(struct imp *im, const struct value *r)
{
	if (!r || r->kind != V_MAP || !r->map.n)
		return NULL;
	struct value *m = M(im);
	static const char *const parts[] = { "requests", "limits" };
	for (size_t i = 0; i < 2; i++) {
		const struct value *x = map_get(r, parts[i]);
		if (!x || x->kind != V_MAP)
			continue;
		struct value *y = M(im);
		put(im, y, "cpu", map_get(x, "cpu") ? v_copy(im->a, map_get(x, "cpu")) : NULL);
		put(im, y, "memory", map_get(x, "memory") ? v_copy(im->a, map_get(x, "memory")) : NULL);
		put(im, m, parts[i], y);
	}
	return m->map.n ? m : NULL;
}

/* GKE node-pool placement, from the pool's node affinity and toleration. */
static void read_placement(struct imp *im, const struct value *tp, struct value *gke_pool)
{
	const struct value *terms = P(tp, "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms");
	if (terms && terms->kind == V_SEQ && terms->seq.n && !map_get(gke_pool, "labels")) {
		const struct value *ex = map_get(terms->seq.items[0], "matchExpressions");
		struct value *labels = M(im);
		for (size_t i = 0; ex && ex->kind == V_SEQ && i < ex->seq.n; i++) {
			const struct value *vals = map_get(ex->seq.items[i], "values");
			if (str(ex->seq.items[i], "key") && vals && vals->kind == V_SEQ && vals->seq.n &&
			    str(vals->seq.items[0], NULL))
				put(im, labels, str(ex->seq.items[i], "key"), S(im, str(vals->seq.items[0], NULL)));
		}
		put(im, gke_pool, "labels", labels);
	}
	const struct value *tol = map_get(tp, "tolerations");
	if (tol && tol->kind == V_SEQ && tol->seq.n && !map_get(gke_pool, "taint")) {
		const struct value *t = tol->seq.items[0];
		struct value *m = M(im);
		put(im, m, "key", str(t, "key") ? S(im, str(t, "key")) : NULL);
		put(im, m, "value", str(t, "value") ? S(im, str(t, "value")) : NULL);
		put(im, m, "effect", str(t, "effect") ? S(im, str(t, "effect")) : NULL);
		put(im, gke_pool, "taint", m);
	}
}

static struct value *read_pool(struct imp *im, struct imp_obj *o, bool broker, struct value *gke_pool)
{
	o->fate = IMP_SPEC;
	struct value *p = M(im);
	struct value *n = num(im, o, P(o->v, "spec.replicas"), "replicas");
	put(im, p, "count", n);
	const struct value *an = annotations(im, o, map_get(o->v, "metadata"));
	put(im, p, "nodeIds", node_ids(im, ann(an, "strimzi.io/next-node-ids"), n ? n->i : 0));
	put(im, p, "poolName", S(im, o->name));
	const struct value *st = P(o->v, "spec.storage");
	const struct value *vol = st;
	if (str(st, "type") && !strcmp(str(st, "type"), "jbod")) {
		const struct value *vs = map_get(st, "volumes");
		vol = vs && vs->kind == V_SEQ && vs->seq.n ? vs->seq.items[0] : NULL;
		if (vs && vs->kind == V_SEQ && vs->seq.n > 1)
			lost(im, vs, o, "JBOD storage with more than one volume (asbgen makes one)");
	}
	if (vol && str(vol, "type") && !strcmp(str(vol, "type"), "ephemeral")) {
		lost(im, vol, o, "ephemeral storage (emptyDir): asbgen's pools are persistent volume claims, of the default size");
		vol = NULL;
	}
	if (vol) {
		struct value *s = M(im);
		put(im, s, "size", str(vol, "size") ? S(im, str(vol, "size")) : NULL);
		const struct value *cls = map_get(vol, "class");
		if (cls && cls->kind == V_NULL)
			WARN(im, cls, "import-repaired", "leave class out for the platform's", "%s %s: storage class: null: left out",
			     o->kind, o->name);
		put(im, s, "class", str(cls, NULL) ? S(im, str(cls, NULL)) : NULL);
		const struct value *dc = map_get(vol, "deleteClaim");
		put(im, s, "deleteClaim", dc && dc->kind == V_BOOL ? v_bool(im->a, &imark, dc->b) : NULL);
		if (broker && str(cls, NULL))
			im->storage_class = str(cls, NULL);
		put(im, p, "storage", s);
	}
	put(im, p, "resources", resources(im, P(o->v, "spec.resources")));
	const struct value *tp = P(o->v, "spec.template.pod");
	put(im, p, "antiAffinity", v_bool(im->a, &imark, P(tp, "affinity.podAntiAffinity") != NULL));
	bool placed = P(tp, "tolerations") || P(tp, "affinity.nodeAffinity");
	put(im, p, "dedicatedNodes", v_bool(im->a, &imark, placed || !im->gke));
	read_placement(im, tp, gke_pool);
	return p;
}

/* The Strimzi release: the one asbgen defaults to when it fits what the
 * manifests show (their API version, the KRaft annotations of Strimzi
 * before 0.48, the Kafka version), else the newest that does; the Kafka
 * version moved to the closest supported one when none supports it. */
static const char *choose_strimzi(struct imp *im, const char *api, bool kraft_annotations, struct value *kafka,
				  const char **kafka_version)
{
	/* strimzi-registry-operator's API is v1beta2 wherever Strimzi serves it. */
	const struct imp_obj *ssr = find(im, "StrimziSchemaRegistry", NULL);
	const char *reg_api = ssr ? str(ssr->v, "spec.strimziVersion") : NULL;
	size_t n;
	const struct strimzi_release *rs = strimzi_releases(&n);
	const char *want = *kafka_version;
	const struct strimzi_release *best = NULL;
	for (size_t pass = 0; pass < 2 && !best; pass++) {
		for (size_t i = n; i-- > 0;) {
			const struct strimzi_release *r = &rs[i];
			bool old = strcmp(r->version, "0.48.0") < 0 && r->version[0] == '0';
			if (kraft_annotations != old || !strimzi_serves_api(r, api))
				continue;
			if (reg_api && strimzi_serves_api(r, "v1beta2") != !strcmp(reg_api, "v1beta2"))
				continue;
			if (pass == 0 && want && !strimzi_supports_kafka(r, want))
				continue;
			if (!best || !strcmp(r->version, STRIMZI_DEFAULT_VERSION))
				best = r;
			if (!strcmp(r->version, STRIMZI_DEFAULT_VERSION))
				break;
		}
	}
	if (!best)
		return NULL;
	if (want && !strimzi_supports_kafka(best, want)) {
		/* The closest version a fitting release runs: the lowest above
		 * it, else the highest below. */
		char dflt[32] = "";
		const struct strimzi_release *pick = NULL;
		for (size_t i = 0; i < n; i++) {
			const struct strimzi_release *r = &rs[i];
			bool old = strcmp(r->version, "0.48.0") < 0 && r->version[0] == '0';
			if (kraft_annotations != old || !strimzi_serves_api(r, api))
				continue;
			for (const char *p = r->kafka; *p;) {
				size_t l = strcspn(p, " ");
				char v[32];
				snprintf(v, sizeof v, "%.*s", (int)l, p);
				bool above = version_cmp(v, want) > 0;
				bool have_above = *dflt && version_cmp(dflt, want) > 0;
				if (!*dflt || (above && (!have_above || version_cmp(v, dflt) < 0)) ||
				    (!above && !have_above && version_cmp(v, dflt) > 0)) {
					snprintf(dflt, sizeof dflt, "%s", v);
					pick = r;
				}
				p += l + (p[l] == ' ');
			}
		}
		if (pick)
			best = pick;
		else
			strimzi_default_kafka(best, dflt, sizeof dflt);
		const struct value *vv = P(im->kafka->v, "spec.kafka.version");
		WARN(im, vv ? vv : im->kafka->v, "import-repaired", "check the version before deploying",
		     "Kafka %s is supported by no Strimzi release that serves %s%s: the closest that is, Kafka %s (Strimzi %s), instead",
		     want, api, kraft_annotations ? " with the KRaft annotations" : "", dflt, best->version);
		*kafka_version = arena_strdup(im->a, dflt);
		put(im, kafka, "version", S(im, dflt));
	}
	return best->version;
}

/* Without Strimzi's next-node-ids annotation, the external listener's
 * per-broker entries name the brokers' ids; ids from N up with N
 * controllers mean the controllers came first and took 0..N-1. */
static void node_ids_from_listener(struct imp *im, struct value *brokers, struct value *controllers)
{
	const struct value *ls = P(im->kafka->v, "spec.kafka.listeners");
	const struct value *cnt = map_get(brokers, "count");
	if (!cnt || cnt->kind != V_INT)
		return;
	for (size_t i = 0; ls && ls->kind == V_SEQ && i < ls->seq.n; i++) {
		const struct value *br = P(ls->seq.items[i], "configuration.brokers");
		if (!br || br->kind != V_SEQ || (long long)br->seq.n != cnt->i)
			continue;
		struct value *ids = L(im);
		long long lo = -1;
		for (size_t j = 0; j < br->seq.n; j++) {
			const struct value *b = map_get(br->seq.items[j], "broker");
			if (!b || b->kind != V_INT)
				return;
			seq_push(im->a, ids, v_int(im->a, &imark, b->i));
			lo = lo < 0 || b->i < lo ? b->i : lo;
		}
		if (map_get(brokers, "nodeIds") && v_equal(map_get(brokers, "nodeIds"), ids))
			return;
		/* next-node-ids may be a range to pick from ("[0-99]"): the
		 * listener says which were picked. */
		put(im, brokers, "nodeIds", ids);
		note(im, "kafka.brokers.nodeIds: the external listener's broker ids");
		const struct value *cc = map_get(controllers, "count");
		if (controllers && cc && cc->kind == V_INT && cc->i == lo && !map_get(controllers, "nodeIds")) {
			struct value *cids = L(im);
			for (long long k = 0; k < lo; k++)
				seq_push(im->a, cids, v_int(im->a, &imark, k));
			put(im, controllers, "nodeIds", cids);
			note(im, "kafka.controllers.nodeIds 0-%lld: the brokers' ids start after them (the controllers were created first)", lo - 1);
		}
		return;
	}
}

/* What of the Kafka no spec key holds: its fields import does not read
 * (Cruise Control, rack awareness, JVM options...), each reported where
 * written; and a Kafka that authorizes no one, which asbgen's does. */
static void kafka_unread(struct imp *im)
{
	const struct imp_obj *o = im->kafka;
	static const char *const spec_read[] = { "kafka", "zookeeper", "entityOperator", "kafkaExporter" };
	static const char *const kafka_read[] = { "version", "replicas", "storage", "resources", "config",
						  "listeners", "authorization", "metricsConfig", "template" };
	const struct value *sp = map_get(o->v, "spec");
	for (int level = 0; level < 2; level++) {
		const struct value *m = level ? map_get(sp, "kafka") : sp;
		const char *const *read = level ? kafka_read : spec_read;
		size_t nread = level ? sizeof kafka_read / sizeof *kafka_read : sizeof spec_read / sizeof *spec_read;
		for (size_t i = 0; m && m->kind == V_MAP && i < m->map.n; i++) {
			const char *k = m->map.items[i].key->str.s;
			bool known = false;
			for (size_t j = 0; j < nread; j++)
				known |= !strcmp(k, read[j]);
			if (known)
				continue;
			const char *why = !strcmp(k, "metadataVersion")
				? "spec.kafka.metadataVersion: Strimzi's default for the Kafka version applies"
				: !strcmp(k, "cruiseControl") ? "spec.cruiseControl: asbgen runs no Cruise Control (KafkaRebalance has nothing to act on)"
				: arena_printf(im->a, "spec.%s%s: no spec key holds it", level ? "kafka." : "", k);
			lost(im, m->map.items[i].key, o, why);
		}
	}
	const struct value *eo = P(o->v, "spec.entityOperator");
	for (size_t i = 0; eo && eo->kind == V_MAP && i < eo->map.n; i++) {
		const char *k = eo->map.items[i].key->str.s;
		const struct value *v = eo->map.items[i].val;
		bool op = !strcmp(k, "topicOperator") || !strcmp(k, "userOperator");
		if (op && (v->kind != V_MAP || !v->map.n))
			continue;
		lost(im, eo->map.items[i].key, o,
		     arena_printf(im->a, "spec.entityOperator.%s: asbgen runs the topic and user operators with Strimzi's defaults", k));
	}
	const struct value *az = P(o->v, "spec.kafka.authorization");
	const char *type = str(az, "type");
	if (!type || strcmp(type, "simple"))
		WARN(im, az ? az : P(o->v, "spec.kafka") ? P(o->v, "spec.kafka") : o->v, "import-repaired",
		     "give each client a user with the ACLs it needs",
		     "Kafka %s: authorization %s: the spec's Kafka authorizes by ACLs (simple), so a client without a user's ACLs is refused what it could do before",
		     o->name, type ? type : "none (every client may do everything)");
}

static struct value *read_kafka(struct imp *im, struct value *spec_platform_gke_pool, struct value **external,
				struct value **strimzi)
{
	struct imp_obj *o = (struct imp_obj *)im->kafka;
	o->fate = IMP_SPEC;
	struct value *k = M(im);
	const char *version = str(o->v, "spec.kafka.version");
	put(im, k, "version", version ? S(im, version) : NULL);
	put(im, k, "clusterName", S(im, o->name));
	/* Pools first (their storage class decides the platform's). */
	struct value *brokers = NULL, *controllers = NULL;
	for (size_t i = 0; i < im->s->n; i++) {
		struct imp_obj *p = &im->s->items[i];
		if (strcmp(p->kind, "KafkaNodePool"))
			continue;
		const struct value *roles = P(p->v, "spec.roles");
		bool b = false, c = false;
		for (size_t j = 0; roles && roles->kind == V_SEQ && j < roles->seq.n; j++) {
			b |= str(roles->seq.items[j], NULL) && !strcmp(str(roles->seq.items[j], NULL), "broker");
			c |= str(roles->seq.items[j], NULL) && !strcmp(str(roles->seq.items[j], NULL), "controller");
		}
		if (b && c && !brokers) {
			WARN(im, roles ? roles : p->v, "import-repaired", "check the controllers' storage before deploying",
			     "KafkaNodePool %s: a pool of both roles (controller and broker): its nodes are the spec's brokers, and asbgen adds a pool of controllers of its own",
			     p->name);
			brokers = read_pool(im, p, true, spec_platform_gke_pool);
		} else if (b && c) {
			lost(im, roles ? roles : p->v, p, "a second pool with the broker role: asbgen makes one broker and one controller pool");
			p->fate = IMP_LOST;
		} else if (b && !brokers) {
			brokers = read_pool(im, p, true, spec_platform_gke_pool);
		} else if (c && !controllers) {
			controllers = read_pool(im, p, false, spec_platform_gke_pool);
		} else {
			lost(im, p->v, p, "a second pool of the same role: asbgen makes one broker and one controller pool");
			p->fate = IMP_LOST;
		}
	}
	const struct value *an = annotations(im, o, map_get(o->v, "metadata"));
	const char *kraft = ann(an, "strimzi.io/kraft");
	bool zk = P(o->v, "spec.zookeeper") != NULL;
	if (!brokers) {
		/* ZooKeeper era, or node pools not used: the Kafka's own replicas. */
		struct value *p = M(im);
		put(im, p, "count", num(im, o, P(o->v, "spec.kafka.replicas"), "spec.kafka.replicas"));
		const struct value *st = P(o->v, "spec.kafka.storage");
		const struct value *vol = st;
		if (str(st, "type") && !strcmp(str(st, "type"), "jbod")) {
			const struct value *vs = map_get(st, "volumes");
			vol = vs && vs->kind == V_SEQ && vs->seq.n ? vs->seq.items[0] : NULL;
		}
		if (vol && str(vol, "size")) {
			struct value *s = M(im);
			put(im, s, "size", S(im, str(vol, "size")));
			if (str(vol, "class")) {
				put(im, s, "class", S(im, str(vol, "class")));
				im->storage_class = str(vol, "class");
			}
			put(im, p, "storage", s);
		}
		put(im, p, "resources", resources(im, P(o->v, "spec.kafka.resources")));
		brokers = p;
	} else {
		static const char *const owned[] = { "replicas", "storage", "resources" };
		for (size_t i = 0; i < 3; i++) {
			const struct pair *pp = map_get_pair(P(o->v, "spec.kafka"), owned[i]);
			if (pp)
				WARN(im, pp->key, "import-repaired", "node pools own replicas, storage and resources",
				     "Kafka %s: spec.kafka.%s beside node pools is ignored by Strimzi: dropped", o->name, owned[i]);
		}
	}
	if (zk) {
		WARN(im, P(o->v, "spec.zookeeper"), "import-repaired", "check the controllers' storage before deploying",
		     "Kafka %s runs on ZooKeeper: the spec is KRaft (spec.kafka.replicas, storage and resources move to node pools, three controllers are added, the ZooKeeper settings are dropped); migrating a cluster so is Strimzi's KRaft migration, not a redeploy",
		     o->name);
		note(im, "ZooKeeper-era cluster made KRaft: controllers are asbgen's defaults");
	}
	const struct value *cc = map_get(controllers, "count");
	if (cc && cc->kind == V_INT && cc->i > 1 && cc->i % 2 == 0) {
		const struct imp_obj *cp = NULL;
		for (size_t i = 0; i < im->s->n; i++)
			if (!strcmp(im->s->items[i].kind, "KafkaNodePool") && !strcmp(im->s->items[i].name, str(controllers, "poolName")))
				cp = &im->s->items[i];
		const struct value *at = cp ? P(cp->v, "spec.replicas") : im->kafka->v;
		WARN(im, at, "import-repaired", "a KRaft quorum of 2n+1 controllers tolerates n failures",
		     "%lld KRaft controllers: a quorum needs an odd count (%lld tolerate no more failures than %lld): %lld", cc->i, cc->i,
		     cc->i - 1, cc->i - 1);
		put(im, controllers, "count", v_int(im->a, &imark, cc->i - 1));
	}
	node_ids_from_listener(im, brokers, controllers);
	put(im, k, "brokers", brokers);
	put(im, k, "controllers", controllers);
	const struct value *cfg = P(o->v, "spec.kafka.config");
	if (cfg && cfg->kind == V_MAP && cfg->map.n) {
		struct value *m = M(im);
		for (size_t i = 0; i < cfg->map.n; i++) {
			const struct value *v = cfg->map.items[i].val;
			const char *key = cfg->map.items[i].key->str.s;
			if (zk && (!strncmp(key, "zookeeper.", 10) || !strcmp(key, "inter.broker.protocol.version") ||
				   !strcmp(key, "log.message.format.version")))
				continue;
			const char *where = NULL;
			const char *pre = im->c->kafka ? kafka_strimzi_forbidden(&im->c->kafka->strimzi, key, &where) : NULL;
			if (pre) {
				WARN(im, cfg->map.items[i].key, "import-repaired", where ? arena_printf(im->a, "asbgen sets it through %s", where) : NULL,
				     "Kafka %s: config %s is one Strimzi drops (it sets options starting with '%s' itself): dropped",
				     o->name, key, pre);
				continue;
			}
			if (v->kind == V_FLOAT && v->f == floor(v->f))
				put(im, m, key, num(im, o, v, key));
			else if (v->kind == V_NULL)
				WARN(im, v, "import-repaired", NULL, "Kafka %s: config %s is empty: dropped", o->name, key);
			else
				put(im, m, key, v_copy(im->a, v));
		}
		put(im, k, "config", m);
	}
	read_listeners(im, k, external);
	kafka_unread(im);
	const struct value *ex = P(o->v, "spec.kafkaExporter");
	/* Scraping annotations on the exporter's pods (asbgen's), its
	 * Deployment or the brokers' pods (older charts). */
	static const char *const where[] = { "spec.kafkaExporter.template.pod.metadata.annotations",
					     "spec.kafkaExporter.template.deployment.metadata.annotations",
					     "spec.kafkaExporter.template.deployment.annotations",
					     "spec.kafka.template.pod.metadata.annotations", "spec.kafka.template.pod.annotations" };
	bool scrape = false;
	for (size_t i = 0; i < sizeof where / sizeof *where; i++)
		scrape |= map_get(P(o->v, where[i]), "prometheus.io/scrape") != NULL;
	struct value *metrics = M(im);
	put(im, metrics, "prometheusScraping", v_bool(im->a, &imark, scrape));
	const struct value *mc = P(o->v, "spec.kafka.metricsConfig");
	put(im, metrics, "jmxExporter", v_bool(im->a, &imark, mc != NULL));
	if (mc) {
		const char *cm = str(mc, "valueFrom.configMapKeyRef.name");
		struct imp_obj *cmo = cm ? find(im, "ConfigMap", cm) : NULL;
		if (cmo)
			cmo->fate = IMP_GENERATED;
	}
	if (ex) {
		struct value *e = M(im);
		put(im, e, "enabled", v_bool(im->a, &imark, true));
		put(im, e, "groupRegex", str(ex, "groupRegex") ? S(im, str(ex, "groupRegex")) : NULL);
		put(im, e, "topicRegex", str(ex, "topicRegex") ? S(im, str(ex, "topicRegex")) : NULL);
		const struct value *sl = map_get(ex, "enableSaramaLogging");
		put(im, e, "saramaLogging", sl && sl->kind == V_BOOL ? v_bool(im->a, &imark, sl->b) : NULL);
		/* Strimzi's exporter logs at info unless told (asbgen's default is warning). */
		put(im, e, "logLevel", S(im, str(ex, "logging") ? str(ex, "logging") : "info"));
		put(im, metrics, "exporter", e);
	}
	put(im, k, "metrics", metrics);
	const char *api = o->api + (strncmp(o->api, "kafka.strimzi.io/", 17) ? 0 : 17);
	const char *sv = choose_strimzi(im, api, kraft || zk, k, &version);
	if (sv) {
		*strimzi = M(im);
		put(im, *strimzi, "version", S(im, sv));
		if (strcmp(sv, STRIMZI_DEFAULT_VERSION))
			note(im, "strimzi.version %s: the release asbgen defaults to where it serves %s%s and Kafka %s, else the newest that does", sv, api,
			     kraft || zk ? " with the KRaft annotations" : "", version ? version : "(its default)");
		if (!strcmp(api, "v1beta2") && !kraft && !zk)
			put(im, *strimzi, "apiVersion", S(im, "v1beta2"));
	} else {
		WARN(im, o->v, "import-lost", "give a Kafka of kafka.strimzi.io/v1 or v1beta2",
		     "Kafka %s: no Strimzi release asbgen knows serves %s", o->name, o->api);
	}
	return k;
}

/* ---- topics ---- */

/* A topic of fewer replicas than the cluster's min.insync.replicas takes
 * no acks=all write (check min-isr): its own min.insync.replicas is set to
 * its replicas, the most it can have. */
static void min_isr_fits(struct imp *im, const struct imp_obj *o, const struct value *cfg, struct value *rest)
{
	const struct value *rv = P(o->v, "spec.replicas");
	const struct value *kv = map_get(P(im->kafka->v, "spec.kafka.config"), "min.insync.replicas");
	long long r = rv && rv->kind == V_INT ? rv->i : 0;
	long long k = kv && kv->kind == V_INT ? kv->i : kv && kv->kind == V_FLOAT ? (long long)kv->f : 0;
	if (r < 1 || k <= r || map_get(cfg, "min.insync.replicas"))
		return;
	WARN(im, rv, "import-repaired", "give the topic more replicas, or a min.insync.replicas of its own",
	     "KafkaTopic %s: %lld replica%s under the cluster's min.insync.replicas %lld (no acks=all write succeeds): the topic's min.insync.replicas is %lld",
	     o->name, r, r == 1 ? "" : "s", k, r);
	put(im, rest, "min.insync.replicas", v_int(im->a, &imark, r));
}

static struct value *read_topic(struct imp *im, struct imp_obj *o)
{
	struct value *t = M(im);
	const char *name = str(o->v, "spec.topicName") ? str(o->v, "spec.topicName") : o->name;
	const struct value *tn = P(o->v, "spec.topicName");
	if (tn && tn->kind == V_STRING && tn->str.len == 0) {
		WARN(im, tn, "import-repaired", "a topic's name is 1-249 of [a-zA-Z0-9._-]",
		     "KafkaTopic %s: topicName \"\": the object's name used", o->name);
		name = o->name;
	}
	if (!*name) {
		WARN(im, o->v, "import-lost", "a topic's name is 1-249 of [a-zA-Z0-9._-]", "KafkaTopic named \"\": dropped");
		o->fate = IMP_LOST;
		return NULL;
	}
	put(im, t, "name", S(im, name));
	const struct value *pv = P(o->v, "spec.partitions");
	put(im, t, "partitions", num(im, o, pv, "partitions"));
	put(im, t, "replicas", num(im, o, P(o->v, "spec.replicas"), "replicas"));
	const struct value *cfg = P(o->v, "spec.config");
	struct value *ret = M(im), *rest = M(im);
	/* asbgen writes a topic's own config first, then what its keys give:
	 * a known key before the last other one stays in config, in place. */
	static const char *const known[] = { "retention.ms", "retention.bytes", "compression.type", "message.timestamp.type",
					     "cleanup.policy", "min.insync.replicas" };
	size_t tail = 0;
	for (size_t i = 0; cfg && cfg->kind == V_MAP && i < cfg->map.n; i++) {
		bool k = false;
		for (size_t j = 0; j < sizeof known / sizeof *known; j++)
			k |= !strcmp(cfg->map.items[i].key->str.s, known[j]);
		if (!k)
			tail = i + 1;
	}
	const struct value *rv = map_get(t, "replicas");
	for (size_t i = 0; cfg && cfg->kind == V_MAP && i < cfg->map.n; i++) {
		const char *key = cfg->map.items[i].key->str.s;
		const struct value *v = cfg->map.items[i].val;
		if (i < tail && v->kind != V_NULL && !(v->kind == V_FLOAT && v->f == floor(v->f)))
			put(im, rest, key, v_copy(im->a, v));
		else if (i >= tail && !strcmp(key, "min.insync.replicas") && v->kind == V_INT && v->i == 2 && rv && rv->i >= 3)
			continue; /* what three replicas get anyway */
		else if (!strcmp(key, "retention.ms"))
			put(im, ret, "ms", num(im, o, v, key));
		else if (!strcmp(key, "retention.bytes"))
			put(im, ret, "bytes", num(im, o, v, key));
		else if (!strcmp(key, "compression.type") && str(v, NULL))
			put(im, t, "compression", S(im, str(v, NULL)));
		else if (!strcmp(key, "message.timestamp.type") && str(v, NULL))
			put(im, t, "timestampType", S(im, str(v, NULL)));
		else if (!strcmp(key, "cleanup.policy") && str(v, NULL))
			put(im, t, "cleanupPolicy", S(im, str(v, NULL)));
		else if (v->kind == V_FLOAT && v->f == floor(v->f))
			put(im, rest, key, num(im, o, v, key));
		else if (v->kind == V_NULL)
			WARN(im, v, "import-repaired", NULL, "KafkaTopic %s: config %s is empty: dropped", o->name, key);
		else
			put(im, rest, key, v_copy(im->a, v));
	}
	if (ret->map.n) {
		/* the spec's order: ms, bytes */
		struct value *r = M(im);
		put(im, r, "ms", map_get(ret, "ms"));
		put(im, r, "bytes", map_get(ret, "bytes"));
		map_set(im->a, t, "retention", r);
	}
	/* keys in the spec's order: name partitions replicas retention compression timestampType cleanupPolicy config */
	static const char *const order[] = { "name", "partitions", "replicas", "retention", "compression", "timestampType",
					     "cleanupPolicy" };
	struct value *out = M(im);
	for (size_t i = 0; i < sizeof order / sizeof *order; i++)
		put(im, out, order[i], map_get(t, order[i]));
	min_isr_fits(im, o, cfg, rest);
	if (rest->map.n)
		put(im, out, "config", rest);
	o->fate = IMP_SPEC;
	return out;
}

/* ---- users: roles from ACLs ---- */

static bool ops_are(const struct value *ops, const char *want)
{
	char buf[256] = "";
	size_t n = 0;
	for (size_t i = 0; ops && ops->kind == V_SEQ && i < ops->seq.n; i++) {
		const char *s = str(ops->seq.items[i], NULL);
		if (!s)
			return false;
		n += (size_t)snprintf(buf + n, n < sizeof buf ? sizeof buf - n : 0, "%s%s", i ? " " : "", s);
	}
	return n < sizeof buf && !strcmp(buf, want);
}

static bool ops_has(const struct value *ops, const char *op)
{
	for (size_t i = 0; ops && ops->kind == V_SEQ && i < ops->seq.n; i++)
		if (str(ops->seq.items[i], NULL) && !strcmp(str(ops->seq.items[i], NULL), op))
			return true;
	return false;
}

/* One resource of a role: its name alone where the role's pattern and
 * operations are the ACL's, else {name, pattern, operations}. */
static struct value *grant(struct imp *im, const char *name, const char *pattern, const char *dflt_pattern,
			   const struct value *ops, const char *dflt_ops)
{
	bool star = !strcmp(name, "*");
	bool pat_ok = star ? !strcmp(pattern, "literal") : !strcmp(pattern, dflt_pattern);
	bool ops_ok = ops_are(ops, dflt_ops);
	if (pat_ok && ops_ok)
		return S(im, name);
	struct value *g = M(im);
	put(im, g, "name", S(im, name));
	if (!pat_ok)
		put(im, g, "pattern", S(im, pattern));
	if (!ops_ok)
		put(im, g, "operations", v_copy(im->a, ops));
	return g;
}

static bool in_list(const struct value *l, const char *name);

/* known: every topic the spec will have (the users' grants must name one:
 * check unknown-topic), so an ACL on a topic no KafkaTopic defines is lost;
 * NULL for a component's user, which its section regenerates. */
static struct value *read_user(struct imp *im, struct imp_obj *o, const char **secret_name, const struct value *known)
{
	struct value *u = M(im);
	put(im, u, "name", S(im, o->name));
	const char *auth = str(o->v, "spec.authentication.type");
	if (auth && strcmp(auth, "scram-sha-512") && strcmp(auth, "tls")) {
		lost(im, P(o->v, "spec.authentication"), o, "authentication other than scram-sha-512 or tls (tls-external): scram-sha-512 instead");
		auth = "scram-sha-512";
	}
	put(im, u, "authentication", S(im, auth ? auth : "scram-sha-512"));
	const char *sn = str(o->v, "spec.authentication.password.valueFrom.secretKeyRef.name");
	if (sn && !*secret_name)
		*secret_name = sn;
	struct value *topics = L(im), *produces = L(im), *groups = L(im), *txn = L(im), *cluster = L(im);
	const struct value *acls = P(o->v, "spec.authorization.acls");
	for (size_t i = 0; acls && acls->kind == V_SEQ && i < acls->seq.n; i++) {
		const struct value *a = acls->seq.items[i];
		const char *type = str(a, "resource.type"), *name = str(a, "resource.name");
		const char *pattern = str(a, "resource.patternType") ? str(a, "resource.patternType") : "literal";
		const struct value *ops = map_get(a, "operations");
		if (!ops && str(a, "operation")) {
			struct value *one = L(im);
			seq_push(im->a, one, S(im, str(a, "operation")));
			ops = one;
		}
		const char *host = str(a, "host");
		if ((host && strcmp(host, "*")) || (str(a, "type") && strcmp(str(a, "type"), "allow"))) {
			lost(im, a, o, "an ACL with a host or a deny: asbgen grants allow ACLs on every host");
			continue;
		}
		if (!type || (!name && strcmp(type, "cluster")) || !ops || ops->kind != V_SEQ) {
			lost(im, a, o, "an ACL without a resource type, name or operations");
			continue;
		}
		if (known && !strcmp(type, "topic") && !strcmp(pattern, "literal") && strcmp(name, "*") &&
		    !in_list(known, name)) {
			lost(im, a, o, arena_printf(im->a, "an ACL on topic %s, which no KafkaTopic defines: a spec's users "
						       "are granted only its own topics (or \"*\", or a prefix)", name));
			continue;
		}
		if (!strcmp(type, "topic")) {
			bool writes = ops_has(ops, "Write") || ops_has(ops, "All");
			if (ops_are(ops, "Write Describe") || writes)
				seq_push(im->a, produces, grant(im, name, pattern, "literal", ops, "Write Describe"));
			else
				seq_push(im->a, topics, grant(im, name, pattern, "literal", ops, "Read Describe DescribeConfigs"));
		} else if (!strcmp(type, "group")) {
			seq_push(im->a, groups, grant(im, name, pattern, "prefix", ops, "All"));
		} else if (!strcmp(type, "transactionalId")) {
			seq_push(im->a, txn, grant(im, name, pattern, "prefix", ops, "Write Describe"));
		} else if (!strcmp(type, "cluster")) {
			for (size_t j = 0; j < ops->seq.n; j++)
				seq_push(im->a, cluster, v_copy(im->a, ops->seq.items[j]));
		} else {
			lost(im, a, o, "an ACL on a resource type asbgen does not grant (topic, group, transactionalId, cluster)");
		}
	}
	put(im, u, "topics", topics->seq.n ? topics : NULL);
	put(im, u, "produces", produces->seq.n ? produces : NULL);
	put(im, u, "groups", groups->seq.n ? groups : NULL);
	put(im, u, "transactionalIds", txn->seq.n ? txn : NULL);
	put(im, u, "cluster", cluster->seq.n ? cluster : NULL);
	if (P(o->v, "spec.quotas"))
		lost(im, P(o->v, "spec.quotas"), o, "quotas: asbgen sets no per-user quotas (the user is unthrottled)");
	o->fate = IMP_SPEC;
	return u;
}

/* ---- components ---- */

static struct value *read_registry(struct imp *im)
{
	struct value *r = M(im);
	struct imp_obj *ssr = find(im, "StrimziSchemaRegistry", NULL);
	if (!ssr) {
		put(im, r, "enabled", v_bool(im->a, &imark, false));
		return r;
	}
	ssr->fate = IMP_SPEC;
	im->registry_user = ssr->name;
	put(im, r, "enabled", v_bool(im->a, &imark, true));
	struct imp_obj *ing = NULL;
	for (size_t i = 0; i < im->s->n; i++) {
		struct imp_obj *o = &im->s->items[i];
		const struct value *paths = P(o->v, "spec.rules");
		if (strcmp(o->kind, "Ingress") || !paths || paths->kind != V_SEQ || !paths->seq.n)
			continue;
		const struct value *ps = P(paths->seq.items[0], "http.paths");
		const char *svc = ps && ps->kind == V_SEQ && ps->seq.n ? str(ps->seq.items[0], "backend.service.name") : NULL;
		if (svc && !strcmp(svc, ssr->name))
			ing = o;
	}
	if (ing) {
		ing->fate = IMP_GENERATED;
		const struct value *rule = P(ing->v, "spec.rules")->seq.items[0];
		put(im, r, "hostname", str(rule, "host") ? S(im, str(rule, "host")) : NULL);
		const struct value *tls = P(ing->v, "spec.tls");
		put(im, r, "tls", v_bool(im->a, &imark, tls != NULL));
		const struct value *an = annotations(im, ing, map_get(ing->v, "metadata"));
		if (ann(an, "cert-manager.io/cluster-issuer"))
			put(im, r, "issuer", S(im, ann(an, "cert-manager.io/cluster-issuer")));
		if (str(ing->v, "spec.ingressClassName"))
			put(im, r, "ingressClass", S(im, str(ing->v, "spec.ingressClassName")));
	}
	if (!map_get(r, "hostname")) {
		WARN(im, ssr->v, "import-lost", "set registry.hostname to the registry's public name",
		     "StrimziSchemaRegistry %s has no ingress: asbgen publishes the registry read-only, and needs its hostname (written as %s.invalid)",
		     ssr->name, ssr->name);
		put(im, r, "hostname", v_strf(im->a, &imark, "%s.invalid", ssr->name));
	}
	if (str(ssr->v, "spec.compatibilityLevel"))
		put(im, r, "compatibility", S(im, str(ssr->v, "spec.compatibilityLevel")));
	const char *topic = str(ssr->v, "spec.registryTopic");
	put(im, r, "schemaTopic", topic ? S(im, topic) : NULL);
	im->registry_topic = topic ? topic : "registry-schemas";
	if (P(ssr->v, "spec.strimzi-version"))
		WARN(im, map_get_pair(P(ssr->v, "spec"), "strimzi-version")->key, "import-repaired", NULL,
		     "StrimziSchemaRegistry %s: strimzi-version is not a field of its CRD (strimziVersion): asbgen derives it", ssr->name);
	for (size_t i = 0; i < im->s->n; i++) {
		struct imp_obj *o = &im->s->items[i];
		const struct value *ct = container(o);
		const struct value *cmd = command(ct);
		if (strcmp(o->kind, "Job") || !has_arg(cmd, "syncAllSchemasToRegistry"))
			continue;
		o->fate = IMP_GENERATED;
		struct value *sync = M(im);
		put(im, sync, "image", str(ct, "image") ? S(im, str(ct, "image")) : NULL);
		put(im, sync, "subject", arg(cmd, "--subject") ? S(im, arg(cmd, "--subject")) : NULL);
		put(im, r, "sync", sync);
	}
	note(im, "registry.ip is not in Kubernetes objects (the Helm values and Terraform hold them)");
	return r;
}

static struct value *log_level(struct imp *im, const struct value *cmd)
{
	return S(im, has_arg(cmd, "--verbose") ? "verbose" : "info");
}

static struct value *read_alertdb(struct imp *im, const char **secret_name)
{
	struct value *a = M(im);
	struct imp_obj *ing = NULL, *srv = NULL;
	for (size_t i = 0; i < im->s->n; i++) {
		struct imp_obj *o = &im->s->items[i];
		const struct value *cmd = command(container(o));
		if (!strcmp(o->kind, "Deployment") && has_arg(cmd, "alertdb-ingester"))
			ing = o;
		else if (!strcmp(o->kind, "Deployment") && has_arg(cmd, "alertdb"))
			srv = o;
	}
	if (!ing && !srv) {
		put(im, a, "enabled", v_bool(im->a, &imark, false));
		return a;
	}
	put(im, a, "enabled", v_bool(im->a, &imark, true));
	const struct value *bcmd = NULL;
	if (ing) {
		ing->fate = IMP_SPEC;
		const struct value *ct = container(ing), *cmd = command(ct);
		bcmd = cmd;
		struct value *x = M(im);
		put(im, x, "image", str(ct, "image") ? S(im, str(ct, "image")) : NULL);
		put(im, x, "replicas", num(im, ing, P(ing->v, "spec.replicas"), "replicas"));
		const char *tl = arg(cmd, "--kafka-topics");
		if (tl) {
			struct value *ts = L(im);
			for (const char *p = tl; *p;) {
				const char *e = strchr(p, ',');
				size_t l = e ? (size_t)(e - p) : strlen(p);
				if (l)
					seq_push(im->a, ts, v_strn(im->a, &imark, p, l));
				p += l + (e ? 1 : 0);
			}
			put(im, x, "topics", ts);
		}
		const char *sa = str(ing->v, "spec.template.spec.serviceAccountName");
		put(im, x, "serviceAccount", sa ? S(im, sa) : NULL);
		put(im, x, "logLevel", log_level(im, cmd));
		put(im, a, "ingester", x);
		const struct value *vols = P(ing->v, "spec.template.spec.volumes");
		for (size_t i = 0; vols && vols->kind == V_SEQ && i < vols->seq.n; i++)
			if (str(vols->seq.items[i], "name") && !strcmp(str(vols->seq.items[i], "name"), "kafka-client-secret"))
				im->alertdb_user = str(vols->seq.items[i], "secret.secretName");
	}
	if (srv) {
		srv->fate = IMP_SPEC;
		const struct value *ct = container(srv), *cmd = command(ct);
		if (!bcmd)
			bcmd = cmd;
		struct value *x = M(im);
		put(im, x, "image", str(ct, "image") ? S(im, str(ct, "image")) : NULL);
		put(im, x, "replicas", num(im, srv, P(srv->v, "spec.replicas"), "replicas"));
		const char *sa = str(srv->v, "spec.template.spec.serviceAccountName");
		put(im, x, "serviceAccount", sa ? S(im, sa) : NULL);
		put(im, x, "logLevel", log_level(im, cmd));
		put(im, a, "server", x);
	}
	if (arg(bcmd, "--gcp-bucket-alerts")) {
		struct value *g = M(im);
		put(im, g, "alertBucket", S(im, arg(bcmd, "--gcp-bucket-alerts")));
		put(im, g, "schemaBucket", arg(bcmd, "--gcp-bucket-schemas") ? S(im, arg(bcmd, "--gcp-bucket-schemas")) : NULL);
		put(im, a, "gcs", g);
		im->gcp_project = arg(bcmd, "--gcp-project");
		im->gke = true;
	} else if (arg(bcmd, "--bucket-alerts")) {
		struct value *s3 = M(im);
		im->s3_endpoint = arg(bcmd, "--endpoint-url");
		put(im, s3, "endpoint", im->s3_endpoint ? S(im, im->s3_endpoint) : NULL);
		put(im, s3, "alertBucket", S(im, arg(bcmd, "--bucket-alerts")));
		put(im, s3, "schemaBucket", arg(bcmd, "--bucket-schemas") ? S(im, arg(bcmd, "--bucket-schemas")) : NULL);
		const struct imp_obj *d = ing ? ing : srv;
		const struct value *ak = env_entry(container(d), "AWS_ACCESS_KEY_ID");
		const struct value *sk = env_entry(container(d), "AWS_SECRET_ACCESS_KEY");
		if (str(ak, "valueFrom.secretKeyRef.key"))
			put(im, s3, "accessKeyIdKey", S(im, str(ak, "valueFrom.secretKeyRef.key")));
		if (str(sk, "valueFrom.secretKeyRef.key"))
			put(im, s3, "secretAccessKeyKey", S(im, str(sk, "valueFrom.secretKeyRef.key")));
		if (str(ak, "valueFrom.secretKeyRef.name") && !*secret_name)
			*secret_name = str(ak, "valueFrom.secretKeyRef.name");
		put(im, a, "s3", s3);
	}
	note(im, "alertDatabase.retentionDays is not in Kubernetes objects (the buckets' lifecycle is Terraform's)");
	/* The server's Service, ServiceAccounts and Ingress follow from it. */
	for (size_t i = 0; i < im->s->n; i++) {
		struct imp_obj *o = &im->s->items[i];
		const char *sel = str(o->v, "spec.selector.app.kubernetes.io/name");
		(void)sel;
		if (!strcmp(o->kind, "ServiceAccount") && o->fate == IMP_UNSEEN) {
			const struct value *x = map_get(a, "ingester"), *y = map_get(a, "server");
			if ((str(x, "serviceAccount") && !strcmp(str(x, "serviceAccount"), o->name)) ||
			    (str(y, "serviceAccount") && !strcmp(str(y, "serviceAccount"), o->name)))
				o->fate = IMP_GENERATED;
		}
	}
	for (size_t i = 0; srv && i < im->s->n; i++) {
		struct imp_obj *o = &im->s->items[i];
		const struct value *rules = P(o->v, "spec.rules");
		if (!strcmp(o->kind, "Service") && o->fate == IMP_UNSEEN) {
			const struct value *sel = P(o->v, "spec.selector");
			for (size_t j = 0; sel && sel->kind == V_MAP && j < sel->map.n; j++)
				if (str(sel->map.items[j].val, NULL) && strstr(str(sel->map.items[j].val, NULL), "alert-database"))
					o->fate = IMP_GENERATED;
		}
		if (strcmp(o->kind, "Ingress") || o->fate != IMP_UNSEEN || !rules || rules->kind != V_SEQ || !rules->seq.n)
			continue;
		const struct value *ps = P(rules->seq.items[0], "http.paths");
		const struct value *p0 = ps && ps->kind == V_SEQ && ps->seq.n ? ps->seq.items[0] : NULL;
		const char *svc = str(p0, "backend.service.name");
		if (!svc || !strstr(svc, "alert-database"))
			continue;
		o->fate = IMP_GENERATED;
		struct value *x = M(im);
		put(im, x, "enabled", v_bool(im->a, &imark, true));
		put(im, x, "host", str(rules->seq.items[0], "host") ? S(im, str(rules->seq.items[0], "host")) : NULL);
		const char *path = str(p0, "path");
		size_t plen = path ? strspn(path, "/abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._~-") : 0;
		if (path && path[plen]) {
			while (plen > 1 && path[plen - 1] == '/')
				plen--;
			WARN(im, map_get(p0, "path"), "import-repaired", "asbgen's ingress serves a path prefix",
			     "Ingress %s: path '%s' is a regular expression (nginx's rewrite): its prefix %.*s instead", o->name, path,
			     (int)plen, path);
			path = arena_strndup(im->a, path, plen);
		}
		put(im, x, "path", path ? S(im, path) : NULL);
		put(im, x, "className", str(o->v, "spec.ingressClassName") ? S(im, str(o->v, "spec.ingressClassName")) : NULL);
		const struct value *an = annotations(im, o, map_get(o->v, "metadata"));
		const char *url = ann(an, "nginx.ingress.kubernetes.io/auth-url");
		const char *sc = url ? strstr(url, "scope=") : NULL;
		put(im, x, "authScope", S(im, sc ? sc + 6 : ""));
		put(im, a, "ingress", x);
	}
	return a;
}

static struct value *read_simulator(struct imp *im, struct value *topics_out)
{
	struct value *sim = M(im);
	struct imp_obj *dep = NULL, *job = NULL;
	for (size_t i = 0; i < im->s->n; i++) {
		struct imp_obj *o = &im->s->items[i];
		const struct value *cmd = command(container(o));
		if (has_arg(cmd, "play-stream"))
			dep = o;
		else if (has_arg(cmd, "create-stream"))
			job = o;
	}
	if (!dep) {
		put(im, sim, "enabled", v_bool(im->a, &imark, false));
		return sim;
	}
	dep->fate = IMP_SPEC;
	const struct value *ct = container(dep), *cmd = command(ct);
	put(im, sim, "enabled", v_bool(im->a, &imark, true));
	put(im, sim, "image", str(ct, "image") ? S(im, str(ct, "image")) : NULL);
	im->sim_topics[0] = arg(cmd, "--src-topic");
	im->sim_topics[1] = arg(cmd, "--dst-topic");
	put(im, sim, "staticTopic", im->sim_topics[0] ? S(im, im->sim_topics[0]) : NULL);
	put(im, sim, "replayTopic", im->sim_topics[1] ? S(im, im->sim_topics[1]) : NULL);
	const char *ri = arg(cmd, "--repeat-interval");
	put(im, sim, "repeatInterval", ri ? v_int(im->a, &imark, strtoll(ri, NULL, 10)) : NULL);
	if (job) {
		job->fate = IMP_GENERATED;
		const char *sid = arg(command(container(job)), "--schema-id");
		if (sid) {
			long id = strtol(sid, NULL, 10);
			put(im, sim, "schemaVersion", v_strf(im->a, &imark, "%ld.%ld", id / 100, id % 100));
		}
	}
	const struct value *vols = P(dep->v, "spec.template.spec.volumes");
	for (size_t i = 0; vols && vols->kind == V_SEQ && i < vols->seq.n; i++)
		if (str(vols->seq.items[i], "name") && !strcmp(str(vols->seq.items[i], "name"), "kafka-client-secret"))
			im->sim_user = str(vols->seq.items[i], "secret.secretName");
	/* The replay topic's settings are the simulator's keys. */
	for (size_t i = 0; i < topics_out->seq.n; i++) {
		const struct value *t = topics_out->seq.items[i];
		if (!im->sim_topics[1] || strcmp(str(t, "name"), im->sim_topics[1]))
			continue;
		put(im, sim, "replayPartitions", map_get(t, "partitions"));
		put(im, sim, "retentionMs", (struct value *)P(t, "retention.ms"));
		put(im, sim, "retentionBytes", (struct value *)P(t, "retention.bytes"));
	}
	return sim;
}

static struct value *read_kafdrop(struct imp *im)
{
	struct value *k = M(im);
	struct imp_obj *dep = NULL;
	for (size_t i = 0; i < im->s->n; i++) {
		struct imp_obj *o = &im->s->items[i];
		const struct value *ct = container(o);
		const char *img = str(ct, "image");
		if (!strcmp(o->kind, "Deployment") && img && strstr(img, "kafdrop"))
			dep = o;
	}
	if (!dep) {
		put(im, k, "enabled", v_bool(im->a, &imark, false));
		return k;
	}
	dep->fate = IMP_SPEC;
	const struct value *ct = container(dep);
	put(im, k, "enabled", v_bool(im->a, &imark, true));
	put(im, k, "image", S(im, str(ct, "image")));
	put(im, k, "replicas", num(im, dep, P(dep->v, "spec.replicas"), "replicas"));
	const char *key = str(env_entry(ct, "KAFKA_PASSWORD"), "valueFrom.secretKeyRef.key");
	if (key && strlen(key) > 9 && !strcmp(key + strlen(key) - 9, "-password")) {
		im->kafdrop_user = arena_strndup(im->a, key, strlen(key) - 9);
		put(im, k, "user", S(im, im->kafdrop_user));
	}
	if (!im->kafdrop_user && find(im, "KafkaUser", "kafdrop"))
		im->kafdrop_user = "kafdrop";
	put(im, k, "resources", resources(im, map_get(ct, "resources")));
	const char *cmd_args = str(env_entry(ct, "CMD_ARGS"), "value");
	struct value *extra = L(im);
	for (const char *p = cmd_args ? cmd_args : ""; *p;) {
		while (*p == ' ')
			p++;
		size_t l = strcspn(p, " ");
		if (!l)
			break;
		char *w = arena_strndup(im->a, p, l);
		if (!strncmp(w, "--topic.deleteEnabled=", 22))
			put(im, k, "topicDeleteEnabled", v_bool(im->a, &imark, !strcmp(w + 22, "true")));
		else if (!strncmp(w, "--topic.createEnabled=", 22))
			put(im, k, "topicCreateEnabled", v_bool(im->a, &imark, !strcmp(w + 22, "true")));
		else if (strncmp(w, "--schemaregistry", 16))
			seq_push(im->a, extra, v_lit(im->a, &imark, w));
		p += l;
	}
	put(im, k, "cmdArgs", extra);
	const char *jvm = str(env_entry(ct, "JVM_OPTS"), "value");
	if (jvm) {
		static const char prop[] = "-Dorg.apache.kafka.automatic.config.providers=org.apache.kafka.common.config.provider.EnvVarConfigProvider";
		const char *at = strstr(jvm, prop);
		char *rest = arena_strdup(im->a, jvm);
		if (at) {
			size_t off = (size_t)(at - jvm);
			memmove(rest + off, rest + off + sizeof prop - 1, strlen(rest + off + sizeof prop - 1) + 1);
			size_t l = strlen(rest);
			while (l && rest[l - 1] == ' ')
				rest[--l] = '\0';
		}
		put(im, k, "jvmOpts", S(im, rest));
	}
	const char *port = str(env_entry(ct, "SERVER_PORT"), "value");
	put(im, k, "port", port ? v_int(im->a, &imark, strtoll(port, NULL, 10)) : NULL);
	const char *cp = str(env_entry(ct, "SERVER_SERVLET_CONTEXTPATH"), "value");
	put(im, k, "contextPath", cp ? S(im, cp) : NULL);
	/* Its Service, Ingress and properties ConfigMap follow from it. */
	struct value *ingress = M(im);
	put(im, ingress, "enabled", v_bool(im->a, &imark, false));
	for (size_t i = 0; i < im->s->n; i++) {
		struct imp_obj *o = &im->s->items[i];
		if (o->fate != IMP_UNSEEN || strncmp(o->name, dep->name, strlen(dep->name)))
			continue;
		if (!strcmp(o->kind, "Service") || !strcmp(o->kind, "ConfigMap")) {
			o->fate = IMP_GENERATED;
		} else if (!strcmp(o->kind, "Ingress")) {
			o->fate = IMP_GENERATED;
			const struct value *rules = P(o->v, "spec.rules");
			const struct value *r0 = rules && rules->kind == V_SEQ && rules->seq.n ? rules->seq.items[0] : NULL;
			const struct value *ps = P(r0, "http.paths");
			const struct value *p0 = ps && ps->kind == V_SEQ && ps->seq.n ? ps->seq.items[0] : NULL;
			put(im, ingress, "enabled", v_bool(im->a, &imark, true));
			put(im, ingress, "hostname", str(r0, "host") ? S(im, str(r0, "host")) : NULL);
			put(im, ingress, "path", str(p0, "path") ? S(im, str(p0, "path")) : NULL);
			put(im, ingress, "className", str(o->v, "spec.ingressClassName") ? S(im, str(o->v, "spec.ingressClassName")) : NULL);
		}
	}
	put(im, k, "ingress", ingress);
	return k;
}

/* The smallest /24 (or wider) CIDR holding every pinned address. */
static struct value *address_range(struct imp *im)
{
	unsigned lo = 0xffffffffu, hi = 0;
	for (size_t i = 0; i < im->ips->seq.n; i++) {
		unsigned a, b, c, d;
		if (sscanf(im->ips->seq.items[i]->str.s, "%u.%u.%u.%u", &a, &b, &c, &d) != 4 || a > 255 || b > 255 ||
		    c > 255 || d > 255)
			continue;
		unsigned ip = a << 24 | b << 16 | c << 8 | d;
		lo = ip < lo ? ip : lo;
		hi = ip > hi ? ip : hi;
	}
	if (lo > hi)
		return S(im, "192.0.2.0/24");
	int bits = 24;
	while (bits > 0 && (lo >> (32 - bits)) != (hi >> (32 - bits)))
		bits--;
	unsigned net = bits ? lo & (0xffffffffu << (32 - bits)) : 0;
	return v_strf(im->a, &imark, "%u.%u.%u.%u/%d", net >> 24, net >> 16 & 255, net >> 8 & 255, net & 255, bits);
}

static struct value *read_platform(struct imp *im, struct value *gke_pool)
{
	struct value *p = M(im);
	if (im->gke && !im->metallb) {
		put(im, p, "type", S(im, "gke"));
		struct value *g = M(im);
		put(im, g, "project", S(im, im->gcp_project ? im->gcp_project : "UNKNOWN-PROJECT"));
		if (!im->gcp_project)
			WARN(im, im->kafka->v, "import-lost", "set platform.gke.project in the spec",
			     "the GCP project is in no object (the alert database names it when it runs on GCS): written as UNKNOWN-PROJECT");
		note(im, "platform gke: the external listener pins loadBalancerIPs%s", im->gcp_project ? " and the alert database uses GCS" : "");
		if (im->storage_class)
			put(im, g, "storageClass", S(im, im->storage_class));
		if (gke_pool->map.n)
			put(im, g, "nodePool", gke_pool);
		put(im, p, "gke", g);
		return p;
	}
	put(im, p, "type", S(im, "bare-metal"));
	struct value *b = M(im);
	put(im, b, "addressPool", S(im, im->pool ? im->pool : "default"));
	struct value *range = address_range(im);
	put(im, b, "addressRange", range);
	note(im, "platform bare-metal%s; addressRange %s is the smallest CIDR holding the pinned addresses (the pool's own range is MetalLB's, not in these objects)",
	     im->metallb ? ": MetalLB annotations on the external listener" : " (no MetalLB annotations or loadBalancerIP to tell)",
	     range->str.s);
	put(im, b, "storageClass", S(im, im->storage_class ? im->storage_class : "standard"));
	if (!im->storage_class)
		note(im, "storage class: none in the node pools; 'standard' written");
	put(im, b, "s3Endpoint", im->s3_endpoint ? S(im, im->s3_endpoint) : NULL);
	put(im, p, "bareMetal", b);
	return p;
}

/* The schema versions the registry serves are in no object: those the
 * alert topics (lsst-alerts-vM.m) and the simulator name, in order. */
static void add_version(struct imp *im, struct value *l, const char *v)
{
	unsigned maj, min;
	char tail;
	if (sscanf(v, "%u.%u%c", &maj, &min, &tail) != 2)
		return;
	size_t at = l->seq.n;
	for (size_t i = 0; i < l->seq.n; i++) {
		unsigned a, b;
		sscanf(l->seq.items[i]->str.s, "%u.%u", &a, &b);
		if (a == maj && b == min)
			return;
		if ((a > maj || (a == maj && b > min)) && at == l->seq.n)
			at = i;
	}
	seq_push(im->a, l, NULL);
	memmove(&l->seq.items[at + 1], &l->seq.items[at], (l->seq.n - 1 - at) * sizeof *l->seq.items);
	l->seq.items[at] = S(im, v);
}

static struct value *served_schemas(struct imp *im, const struct value *topics, const struct value *sim)
{
	struct value *l = L(im);
	for (size_t i = 0; i < topics->seq.n; i++) {
		const char *n = str(topics->seq.items[i], "name");
		if (n && !strncmp(n, "lsst-alerts-v", 13))
			add_version(im, l, n + 13);
	}
	if (str(sim, "schemaVersion"))
		add_version(im, l, str(sim, "schemaVersion"));
	if (l->seq.n)
		note(im, "registry.schemas: the versions the alert topics and the simulator name");
	return l->seq.n ? l : NULL;
}

/* topicDefaults: what the simulator's replay topic has of the settings
 * it takes from there, else what every topic shares.  import_prune then
 * takes out each topic's own copy. */
static struct value *hoist_topic_defaults(struct imp *im, const struct value *topics, const struct value *all)
{
	static const char *const keys[] = { "partitions", "replicas", "retention.ms", "retention.bytes", "compression",
					    "timestampType", "cleanupPolicy" };
	const struct value *replay = NULL;
	for (size_t i = 0; im->sim_topics[1] && i < all->seq.n; i++)
		if (!strcmp(str(all->seq.items[i], "name"), im->sim_topics[1]))
			replay = all->seq.items[i];
	struct value *d = M(im), *ret = M(im);
	for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
		bool sim_owns = !strcmp(keys[k], "partitions") || !strncmp(keys[k], "retention", 9);
		const struct value *v = NULL;
		if (replay && !sim_owns) {
			v = P(replay, keys[k]);
		} else if (topics->seq.n >= 2) {
			v = P(topics->seq.items[0], keys[k]);
			for (size_t i = 1; v && i < topics->seq.n; i++)
				if (!P(topics->seq.items[i], keys[k]) || !v_equal(v, P(topics->seq.items[i], keys[k])))
					v = NULL;
		}
		if (!v)
			continue;
		if (!strncmp(keys[k], "retention.", 10))
			put(im, ret, keys[k] + 10, (struct value *)v);
		else
			put(im, d, keys[k], (struct value *)v);
		if (!strcmp(keys[k], "replicas") && ret->map.n == 0)
			put(im, d, "retention", ret); /* its place in the spec's order */
	}
	if (ret->map.n)
		put(im, d, "retention", ret);
	else
		for (size_t i = 0; i < d->map.n; i++)
			if (!strcmp(d->map.items[i].key->str.s, "retention")) {
				memmove(&d->map.items[i], &d->map.items[i + 1], (d->map.n - i - 1) * sizeof *d->map.items);
				d->map.n--;
			}
	return d->map.n ? d : NULL;
}

/* Topics without retention.bytes keep the broker's log.retention.bytes
 * a partition; where that cannot fit the brokers' disks (the manual's
 * first trouble: brokers die when their disks fill), the spec would not
 * validate (disk-capacity): topicDefaults.retention.bytes is set to what
 * fits in 80% of them, and said so. */
static long long round_down(double x)
{
	long long unit = x >= 1e9 ? 1000000000LL : x >= 1e6 ? 1000000LL : 1;
	return (long long)(x / (double)unit) * unit;
}

static void fit_retention(struct imp *im, struct value *kafka, struct value *topics, struct value **tdp,
			  struct value *sim)
{
	const struct value *lrb = map_get(P(im->kafka->v, "spec.kafka.config"), "log.retention.bytes");
	const struct value *lrb_v = map_get(map_get(kafka, "config"), "log.retention.bytes");
	const struct value *sz = P(kafka, "brokers.storage.size");
	struct quantity q;
	if (!sz || !quantity_value(sz, &q))
		return;
	const struct value *ids = P(kafka, "brokers.nodeIds"), *cnt = P(kafka, "brokers.count");
	long long nb = ids ? (long long)ids->seq.n : cnt && cnt->kind == V_INT ? cnt->i : 3;
	long long size = quantity_ceil(&q);
	const struct value *td = *tdp;
	const struct value *tdb = P(td, "retention.bytes");
	long long dflt = tdb && tdb->kind == V_INT ? tdb->i : lrb_v && lrb_v->kind == V_INT ? lrb_v->i : -1;
	const struct value *tdr = map_get(td, "replicas");
	long long rdef = tdr && tdr->kind == V_INT ? tdr->i : nb < 3 ? nb : 3;
	if (nb < 1 || size <= 0)
		return;
	double total = 0, dflt_pr = 0;
	for (size_t i = 0; i < topics->seq.n; i++) {
		const struct value *t = topics->seq.items[i];
		const struct value *pv = map_get(t, "partitions") ? map_get(t, "partitions") : map_get(td, "partitions");
		const struct value *rv = map_get(t, "replicas");
		const struct value *bv = P(t, "retention.bytes");
		double pr = (double)(pv && pv->kind == V_INT ? pv->i : 1) * (double)(rv && rv->kind == V_INT ? rv->i : rdef);
		if (bv && bv->kind == V_INT && bv->i > 0)
			total += pr * (double)bv->i;
		else if (!bv && dflt > 0) {
			total += pr * (double)dflt;
			dflt_pr += pr;
		}
	}
	const struct value *sp = map_get(sim, "replayPartitions"), *sb = map_get(sim, "retentionBytes");
	bool sim_on = v_as_bool(map_get(sim, "enabled"), false);
	if (sim_on && sb && sb->kind == V_INT && sb->i > 0)
		total += (double)(sp && sp->kind == V_INT ? sp->i : 8) * (double)rdef * (double)sb->i;
	if (total <= (double)size * (double)nb)
		return;
	/* Everything kept shrinks by one factor, to 80% of the disks. */
	double f = (double)size * (double)nb * 0.8 / total;
	const struct value *at = lrb ? lrb : im->kafka->v;
	WARN(im, at, "import-repaired", "check the retention before deploying: brokers die when their disks fill",
	     "the topics keep %.3g GB on %lld brokers of %s (%.3g GB): every retention.bytes scaled by %.3f, to fill 80%% of them",
	     total / 1e9, nb, sz->str.s, (double)size * (double)nb / 1e9, f);
	for (size_t i = 0; i < topics->seq.n; i++) {
		struct value *ret = map_get(topics->seq.items[i], "retention");
		const struct value *bv = P(topics->seq.items[i], "retention.bytes");
		if (bv && bv->kind == V_INT && bv->i > 0)
			put(im, ret, "bytes", v_int(im->a, &imark, round_down((double)bv->i * f)));
	}
	if (sim_on && sb && sb->kind == V_INT && sb->i > 0)
		put(im, sim, "retentionBytes", v_int(im->a, &imark, round_down((double)sb->i * f)));
	if (dflt_pr > 0) {
		if (!*tdp)
			*tdp = M(im);
		struct value *ret = map_get(*tdp, "retention");
		if (!ret) {
			ret = M(im);
			put(im, *tdp, "retention", ret);
		}
		put(im, ret, "bytes", v_int(im->a, &imark, round_down((double)dflt * f)));
	}
}

/* ---- assembly ---- */

static bool pick_kafka(struct imp *im)
{
	for (size_t i = 0; i < im->s->n; i++) {
		const struct imp_obj *o = &im->s->items[i];
		if (strcmp(o->kind, "Kafka") || strncmp(o->api, "kafka.strimzi.io/", 17))
			continue;
		if (im->kafka) {
			diag_at(&im->c->diags, SEV_ERROR, &o->v->mark, "import-kafka-count",
				"a spec is one Kafka cluster: import each cluster's objects on their own",
				"a second Kafka cluster, %s (the first: %s at %s:%d)", o->name, im->kafka->name,
				im->kafka->v->mark.file, im->kafka->v->mark.line);
			return false;
		}
		im->kafka = o;
	}
	if (!im->kafka) {
		const struct imp_obj *f = &im->s->items[0];
		diag_at(&im->c->diags, SEV_ERROR, &f->v->mark, "import-no-kafka",
			"import reads a Strimzi deployment: give the manifests with its Kafka resource",
			"no Kafka resource (kafka.strimzi.io) among the %zu objects", im->s->n);
		return false;
	}
	im->cluster = im->kafka->name;
	return true;
}

/* Strimzi's objects name their cluster (label strimzi.io/cluster). */
static bool clusters_known(struct imp *im)
{
	bool ok = true;
	for (size_t i = 0; i < im->s->n; i++) {
		const struct imp_obj *o = &im->s->items[i];
		if (strncmp(o->api, "kafka.strimzi.io/", 17) || !strcmp(o->kind, "Kafka"))
			continue;
		const struct value *lv = P(o->v, "metadata.labels");
		const struct value *cl = map_get(lv, "strimzi.io/cluster");
		/* A KafkaConnector's label names its KafkaConnect (or MirrorMaker 2). */
		if (cl && cl->kind == V_STRING && !strcmp(o->kind, "KafkaConnector") &&
		    (find(im, "KafkaConnect", cl->str.s) || find(im, "KafkaMirrorMaker2", cl->str.s)))
			continue;
		if (cl && cl->kind == V_STRING && strcmp(cl->str.s, im->cluster)) {
			diag_at(&im->c->diags, SEV_ERROR, &cl->mark, "import-cluster-missing",
				"give the manifests of that cluster too, or leave this object out",
				"%s %s belongs to Kafka cluster '%s', which is not in the input (the Kafka is '%s')", o->kind,
				o->name, cl->str.s, im->cluster);
			ok = false;
		}
	}
	return ok;
}

static bool in_list(const struct value *l, const char *name)
{
	for (size_t i = 0; l && l->kind == V_SEQ && i < l->seq.n; i++) {
		const struct value *x = l->seq.items[i];
		const char *n = x->kind == V_MAP ? str(x, "name") : str(x, NULL);
		if (n && !strcmp(n, name))
			return true;
	}
	return false;
}

static const char *env_name(struct imp *im, const char *given)
{
	if (given)
		return given;
	const char *l = str(P(im->kafka->v, "metadata.labels"), "asbgen.lsst.io/environment");
	const struct value *lv = map_get(P(im->kafka->v, "metadata.labels"), "asbgen.lsst.io/environment");
	l = str(lv, NULL);
	if (l)
		return l;
	const char *ns = im->kafka->ns ? im->kafka->ns : im->cluster;
	note(im, "name: the namespace's (give --name ENV for another)");
	return ns;
}

static struct value *read_superusers(struct imp *im)
{
	const struct value *su = P(im->kafka->v, "spec.kafka.authorization.superUsers");
	struct value *l = L(im);
	for (size_t i = 0; su && su->kind == V_SEQ && i < su->seq.n; i++) {
		const char *n = str(su->seq.items[i], NULL);
		if (!n)
			continue;
		const struct imp_obj *ku = find(im, "KafkaUser", n);
		const char *kauth = ku ? str(ku->v, "spec.authentication.type") : NULL;
		if (kauth && !strcmp(kauth, "tls") && strncmp(n, "CN=", 3)) {
			const struct value *at = su->seq.items[i];
			WARN(im, at, "import-repaired", "a client certificate's principal is CN=<name>",
			     "superuser %s authenticates with a client certificate (its KafkaUser), whose principal is CN=%s, not %s: the spec makes it CN=%s",
			     n, n, n, n);
			struct value *m = M(im);
			put(im, m, "name", S(im, n));
			put(im, m, "authentication", S(im, "tls"));
			seq_push(im->a, l, m);
		} else if (!strncmp(n, "CN=", 3)) {
			struct value *m = M(im);
			put(im, m, "name", S(im, n + 3));
			put(im, m, "authentication", S(im, "tls"));
			seq_push(im->a, l, m);
		} else if (!strncmp(n, "User:", 5)) {
			seq_push(im->a, l, S(im, n + 5));
		} else {
			seq_push(im->a, l, S(im, n));
		}
	}
	return l;
}

/* A kustomization lists its files in the order asbgen wrote them, which
 * is the spec's order of topics and users: objects follow it. */
struct ranked {
	struct imp_obj o;
	size_t rank, seq;
};

static int ranked_cmp(const void *x, const void *y)
{
	const struct ranked *a = x, *b = y;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void kustomization_order(struct imp *im)
{
	const struct imp_obj *k = find(im, "Kustomization", NULL);
	const struct value *res = k ? map_get(k->v, "resources") : NULL;
	if (!res || res->kind != V_SEQ)
		return;
	struct ranked *r = arena_alloc(im->a, (im->s->n + 1) * sizeof *r);
	for (size_t i = 0; i < im->s->n; i++) {
		const char *f = im->s->items[i].v->mark.file;
		const char *base = f && strrchr(f, '/') ? strrchr(f, '/') + 1 : f;
		r[i] = (struct ranked){ im->s->items[i], res->seq.n, i };
		for (size_t j = 0; base && j < res->seq.n; j++)
			if (str(res->seq.items[j], NULL) && !strcmp(str(res->seq.items[j], NULL), base))
				r[i].rank = j;
	}
	qsort(r, im->s->n, sizeof *r, ranked_cmp);
	for (size_t i = 0; i < im->s->n; i++)
		im->s->items[i] = r[i].o;
}

struct value *import_build(struct ctx *c, struct imp_set *s, const char *name, struct value *notes)
{
	struct imp im = { .c = c, .a = c->arena, .s = s, .notes = notes };
	im.ips = L(&im);
	/* What Strimzi forbids in spec.kafka.config (schemas/kafka/strimzi.tsv). */
	if (!c->kafka)
		c->kafka = kafka_tables_load(c->arena, &c->diags, arena_printf(c->arena, "%s/kafka", data_path(c, "schemas")));
	kustomization_order(&im);
	if (!pick_kafka(&im) || !clusters_known(&im))
		return NULL;
	struct value *gke_pool = M(&im), *external = NULL, *strimzi = NULL;
	struct value *kafka = read_kafka(&im, gke_pool, &external, &strimzi);
	struct value *registry = read_registry(&im);
	const char *secret_name = NULL;
	struct value *alertdb = read_alertdb(&im, &secret_name);
	/* topics (the registry's and the simulator's are generated from their sections) */
	struct value *topics = L(&im), *all_topics = L(&im);
	for (size_t i = 0; i < s->n; i++) {
		struct imp_obj *o = &s->items[i];
		if (!strcmp(o->kind, "KafkaTopic")) {
			struct value *t = read_topic(&im, o);
			if (t)
				seq_push(im.a, all_topics, t);
		}
	}
	struct value *sim = read_simulator(&im, all_topics);
	for (size_t i = 0, k = 0; i < s->n; i++) {
		struct imp_obj *o = &s->items[i];
		if (strcmp(o->kind, "KafkaTopic") || o->fate != IMP_SPEC)
			continue;
		struct value *t = all_topics->seq.items[k++];
		const char *tn = str(t, "name");
		if ((im.registry_topic && !strcmp(tn, im.registry_topic)) ||
		    (im.sim_topics[0] && !strcmp(tn, im.sim_topics[0])) || (im.sim_topics[1] && !strcmp(tn, im.sim_topics[1])))
			o->fate = IMP_GENERATED;
		else
			seq_push(im.a, topics, t);
	}
	if (map_get(registry, "hostname") || find(&im, "StrimziSchemaRegistry", NULL))
		put(&im, registry, "schemas", served_schemas(&im, topics, sim));
	struct value *topic_defaults = hoist_topic_defaults(&im, topics, all_topics);
	fit_retention(&im, kafka, topics, &topic_defaults, sim);
	struct value *kafdrop = read_kafdrop(&im);
	struct value *superusers = read_superusers(&im);
	struct value *users = L(&im);
	for (size_t i = 0; i < s->n; i++) {
		struct imp_obj *o = &s->items[i];
		if (strcmp(o->kind, "KafkaUser"))
			continue;
		const char *sn = NULL;
		bool generated = in_list(superusers, o->name) || (im.registry_user && !strcmp(o->name, im.registry_user)) ||
				 (im.alertdb_user && !strcmp(o->name, im.alertdb_user)) ||
				 (im.sim_user && !strcmp(o->name, im.sim_user)) ||
				 (im.kafdrop_user && !strcmp(o->name, im.kafdrop_user));
		struct value *u = read_user(&im, o, &sn, generated ? NULL : all_topics);
		if (sn && !secret_name)
			secret_name = sn;
		if (generated)
			o->fate = IMP_GENERATED;
		else
			seq_push(im.a, users, u);
	}
	struct value *secrets = M(&im);
	struct imp_obj *vs = find(&im, "VaultSecret", NULL);
	put(&im, secrets, "name", S(&im, vs ? vs->name : secret_name ? secret_name : "alert-stream-broker-secrets"));
	if (vs) {
		vs->fate = IMP_SPEC;
		put(&im, secrets, "vaultPath", str(vs->v, "spec.path") ? S(&im, str(vs->v, "spec.path")) : NULL);
	}
	struct value *platform = read_platform(&im, gke_pool);
	if (!external) {
		external = M(&im);
		put(&im, external, "enabled", v_bool(im.a, &imark, false));
	}
	struct value *spec = M(&im);
	put(&im, spec, "name", S(&im, env_name(&im, name)));
	put(&im, spec, "namespace", im.kafka->ns ? S(&im, im.kafka->ns) : NULL);
	put(&im, spec, "platform", platform);
	put(&im, spec, "strimzi", strimzi);
	put(&im, spec, "kafka", kafka);
	put(&im, spec, "external", external);
	put(&im, spec, "registry", registry);
	put(&im, spec, "topicDefaults", topic_defaults);
	put(&im, spec, "topics", topics);
	put(&im, spec, "superusers", superusers);
	put(&im, spec, "users", users);
	put(&im, spec, "secrets", secrets);
	put(&im, spec, "alertDatabase", alertdb);
	put(&im, spec, "simulator", sim);
	put(&im, spec, "kafdrop", kafdrop);
	for (size_t i = 0; i < s->n; i++) {
		struct imp_obj *o = &s->items[i];
		if (o->fate != IMP_UNSEEN)
			continue;
		if (!strcmp(o->kind, "Kustomization") || (!strcmp(o->kind, "Secret") && 0)) {
			o->fate = IMP_GENERATED;
			continue;
		}
		o->fate = IMP_LOST;
		const char *on = str(o->v, "metadata.name");
		static const char *const beside[] = { "KafkaConnect", "KafkaConnector", "KafkaMirrorMaker2", "KafkaMirrorMaker",
						      "KafkaBridge", "KafkaRebalance" };
		bool strimzi_app = false;
		for (size_t j = 0; j < sizeof beside / sizeof *beside; j++)
			strimzi_app |= !strcmp(o->kind, beside[j]);
		if (strimzi_app && !strncmp(o->api, "kafka.strimzi.io/", 17))
			lost(&im, o->v, o, "asbgen makes the Kafka cluster, its topics and users only (no Connect, MirrorMaker, Bridge or Cruise Control objects): keep it beside the render");
		else if (on && strstr(on, "operator"))
			lost(&im, o->v, o, "an operator's object: operators are installed apart from the environments asbgen renders");
		else
			lost(&im, o->v, o, "no part of the spec makes this object");
	}
	return spec;
}
