/* kube.c - Kubernetes API GETs over libcurl (see kube.h). */
#include "kube.h"
#include "arena.h"
#include "buf.h"
#include "curl_api.h"
#include "diag.h"
#include "json_value.h"
#include "kubeconfig.h"
#include "redact.h"
#include "version.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define KUBE_MAX_BODY (256u << 20) /* bytes of one answer */

/* One discovered group/version. */
struct gv_cache {
	const char *gv;             /* "v1", "kafka.strimzi.io/v1" */
	enum kube_status status;
	const struct value *list;   /* the APIResourceList, when KUBE_OK */
};

struct kube {
	struct arena *a;
	struct diags *d;
	const struct kubeconfig *kc;
	struct curl_api api; /* libcurl, opened by kube_new */
	bool initialised;    /* curl_global_init done */
	CURL *curl;
	struct curl_slist *headers;
	long timeout_ms;
	bool stopped;
	char errbuf[CURL_ERROR_SIZE];
	struct buf body;
	struct gv_cache *cache;
	size_t ncache, cache_cap;
	struct redactor *secrets; /* what scrub takes out */
};

/* Text from the server or libcurl, safe to print: the token and the
 * client key redacted in every form (redact.h), control bytes made '?',
 * cut at `max` bytes. */
static const char *scrub(struct kube *k, const char *s, size_t n, size_t max)
{
	return redact(k->secrets, s, n, max);
}

/* jansson's parse error without its " near 'TEXT'": the text is the
 * server's, and a few characters of an echoed token are below what
 * scrub catches. */
static const char *json_error_safe(struct kube *k, const char *text)
{
	const char *near = strstr(text, " near '");
	return scrub(k, text, near ? (size_t)(near - text) : strlen(text), 160);
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	struct buf *b = ud;
	size_t len = size * n;
	if (b->len + len > KUBE_MAX_BODY)
		return 0; /* libcurl then fails with CURLE_WRITE_ERROR */
	buf_add(b, p, len);
	return len;
}

#define SETOPT(k, opt, val) ((k)->api.easy_setopt((k)->curl, (opt), (val)) == CURLE_OK)

static bool set_blob(struct kube *k, CURLoption opt, const struct blob *b)
{
	struct curl_blob cb = { (void *)b->data, b->len, CURL_BLOB_COPY };
	return k->api.easy_setopt(k->curl, opt, &cb) == CURLE_OK;
}

static bool configure(struct kube *k, const struct kube_opts *o)
{
	const struct kubeconfig *kc = k->kc;
	bool ok = SETOPT(k, CURLOPT_ERRORBUFFER, k->errbuf) &&
		  SETOPT(k, CURLOPT_NOSIGNAL, 1L) &&
		  SETOPT(k, CURLOPT_PROTOCOLS_STR, "https") &&
		  SETOPT(k, CURLOPT_FOLLOWLOCATION, 0L) &&
		  SETOPT(k, CURLOPT_VERBOSE, 0L) &&
		  SETOPT(k, CURLOPT_WRITEFUNCTION, on_body) &&
		  SETOPT(k, CURLOPT_WRITEDATA, &k->body) &&
		  SETOPT(k, CURLOPT_ACCEPT_ENCODING, "") &&
		  SETOPT(k, CURLOPT_TIMEOUT_MS, o->timeout_ms) &&
		  SETOPT(k, CURLOPT_CONNECTTIMEOUT_MS, o->timeout_ms) &&
		  SETOPT(k, CURLOPT_SSL_VERIFYPEER, o->insecure ? 0L : 1L) &&
		  SETOPT(k, CURLOPT_SSL_VERIFYHOST, o->insecure ? 0L : 2L);
	if (ok && kc->ca.data)
		ok = set_blob(k, CURLOPT_CAINFO_BLOB, &kc->ca);
	if (ok && kc->cert.data)
		ok = SETOPT(k, CURLOPT_SSLCERTTYPE, "PEM") && set_blob(k, CURLOPT_SSLCERT_BLOB, &kc->cert) &&
		     SETOPT(k, CURLOPT_SSLKEYTYPE, "PEM") && set_blob(k, CURLOPT_SSLKEY_BLOB, &kc->key);
	if (!ok)
		return false;
	struct curl_slist *h = k->api.slist_append(NULL, "Accept: application/json");
	if (h)
		h = k->api.slist_append(h, "User-Agent: asbgen/" ASBGEN_VERSION);
	if (h && kc->token) {
		char *auth = arena_printf(k->a, "Authorization: Bearer %s", kc->token);
		struct curl_slist *h2 = k->api.slist_append(h, auth);
		memset(auth, 0, strlen(auth)); /* the list holds its own copy */
		if (!h2) {
			k->api.slist_free_all(h);
			h = NULL;
		} else {
			h = h2;
		}
	}
	if (!h)
		return false;
	k->headers = h;
	return SETOPT(k, CURLOPT_HTTPHEADER, k->headers);
}

/* Parse the server URL as libcurl will, so that a bad port or host is
 * reported at its line in the kubeconfig, not as a failed request. */
static bool server_url_ok(struct kube *k)
{
	const struct kubeconfig *kc = k->kc;
	CURLU *url = k->api.url();
	if (!url) {
		diag_at(k->d, SEV_ERROR, &kc->server_mark, "kubeconfig-server", NULL, "out of memory");
		return false;
	}
	CURLUcode uc = k->api.url_set(url, CURLUPART_URL, kc->server, 0);
	k->api.url_cleanup(url);
	if (uc != CURLUE_OK) {
		diag_at(k->d, SEV_ERROR, &kc->server_mark, "kubeconfig-server",
			"give the API server's address as https://HOST[:PORT][/PATH]",
			"cluster '%s': server '%s' is not a valid URL: %s", kc->cluster, kc->server,
			k->api.url_strerror(uc));
		return false;
	}
	return true;
}

struct kube *kube_new(struct arena *a, struct diags *d, const struct kubeconfig *kc, const struct kube_opts *o)
{
	struct kube *k = xcalloc(1, sizeof *k);
	k->a = a;
	k->d = d;
	k->kc = kc;
	k->timeout_ms = o->timeout_ms;
	k->secrets = redactor_new(a);
	if (kc->token)
		redactor_add(k->secrets, kc->token, strlen(kc->token), "[token]");
	if (kc->key.data)
		redactor_add_pem(k->secrets, kc->key.data, kc->key.len, "[client key]");
	if (curl_api_open(&k->api, d, NULL) != 0) {
		kube_free(k);
		return NULL;
	}
	if (k->api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		diag_pos(d, SEV_ERROR, NULL, 0, 0, "kube-connect", NULL, "libcurl cannot be initialised");
		kube_free(k);
		return NULL;
	}
	k->initialised = true;
	if (!server_url_ok(k)) {
		kube_free(k);
		return NULL;
	}
	k->curl = k->api.easy_init();
	if (!k->curl || !configure(k, o)) {
		diag_pos(d, SEV_ERROR, NULL, 0, 0, "kube-connect",
			 "libcurl 7.77 or later with OpenSSL is needed (Debian's libcurl4-openssl-dev)",
			 "libcurl cannot be set up for %s", kc->server);
		kube_free(k);
		return NULL;
	}
	if (kc->insecure && !o->insecure)
		diag_pos(d, SEV_WARNING, kc->file, 0, 0, "kubeconfig-insecure",
			 "give --insecure-skip-tls-verify to skip verification on purpose",
			 "cluster '%s' says insecure-skip-tls-verify: true; asbgen verifies TLS anyway", kc->cluster);
	return k;
}

void kube_free(struct kube *k)
{
	if (!k)
		return;
	if (k->curl)
		k->api.easy_cleanup(k->curl);
	if (k->headers)
		k->api.slist_free_all(k->headers);
	if (k->initialised)
		k->api.global_cleanup();
	curl_api_close(&k->api);
	buf_free(&k->body);
	free(k->cache);
	free(k);
}

bool kube_stopped(const struct kube *k)
{
	return k->stopped;
}

const char *kube_url(struct kube *k, const char *path)
{
	return arena_printf(k->a, "%s%s", k->kc->server, path);
}

static const char *timeout_text(struct kube *k, long ms)
{
	if (ms % 1000 == 0)
		return arena_printf(k->a, "%lds", ms / 1000);
	return arena_printf(k->a, "%ldms", ms);
}

/* A libcurl failure: say what went wrong in words a user can act on. */
static void report_curl(struct kube *k, CURLcode rc, const char *url)
{
	const char *detail = scrub(k, k->errbuf, strlen(k->errbuf), 300);
	if (!*detail)
		detail = k->api.easy_strerror(rc);
	k->stopped = true;
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
		diag_pos(k->d, SEV_ERROR, NULL, 0, 0, "kube-connect",
			 "is the API server up at that address?  Check the cluster's server in the kubeconfig",
			 "cannot connect to %s: connection refused (%s)", k->kc->server, detail);
		return;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		diag_pos(k->d, SEV_ERROR, NULL, 0, 0, "kube-connect",
			 "check the cluster's server in the kubeconfig, and your DNS or VPN",
			 "cannot resolve the API server's host in %s (%s)", k->kc->server, detail);
		return;
	case CURLE_OPERATION_TIMEDOUT:
		diag_pos(k->d, SEV_ERROR, NULL, 0, 0, "kube-timeout",
			 "check the network path (VPN, firewall), or give a longer --request-timeout",
			 "no answer from %s within %s (GET %s)", k->kc->server, timeout_text(k, k->timeout_ms), url);
		return;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
		diag_pos(k->d, SEV_ERROR, NULL, 0, 0, "kube-tls",
			 k->kc->ca.data ? "the server's certificate is not signed by the kubeconfig's certificate-authority: fix the CA, "
					  "or give --insecure-skip-tls-verify to skip verification (unsafe)"
					: "the kubeconfig gives no certificate-authority, so the system's CAs were used: add the cluster's CA, "
					  "or give --insecure-skip-tls-verify to skip verification (unsafe)",
			 "TLS verification of %s failed: %s", k->kc->server, detail);
		return;
	case CURLE_SSL_CERTPROBLEM:
		diag_pos(k->d, SEV_ERROR, NULL, 0, 0, "kube-tls",
			 "client-certificate and client-key must be PEM and belong together",
			 "the kubeconfig's client certificate or key cannot be used: %s", detail);
		return;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_SSL_CIPHER:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
		diag_pos(k->d, SEV_ERROR, NULL, 0, 0, "kube-tls",
			 k->kc->cert.data ? "the server may not accept the client certificate; check the kubeconfig's user"
					  : "the server may require a client certificate (client-certificate-data in the kubeconfig's user)",
			 "the TLS connection to %s failed: %s", k->kc->server, detail);
		return;
	case CURLE_WRITE_ERROR:
		diag_pos(k->d, SEV_ERROR, NULL, 0, 0, "kube-junk", "is the server a Kubernetes API server?",
			 "the answer to GET %s is larger than %u MiB", url, KUBE_MAX_BODY >> 20);
		return;
	default:
		diag_pos(k->d, SEV_ERROR, NULL, 0, 0, "kube-connect", "check the cluster's server in the kubeconfig",
			 "GET %s failed: %s", url, detail);
		return;
	}
}

/* The `message` of a Kubernetes Status answer, if the body is one. */
static const char *status_message(struct kube *k)
{
	json_error_t err;
	json_t *j = json_loadb(k->body.data ? k->body.data : "", k->body.len, 0, &err);
	const char *msg = NULL;
	if (j && json_is_object(j)) {
		json_t *m = json_object_get(j, "message");
		if (json_is_string(m))
			msg = scrub(k, json_string_value(m), json_string_length(m), 300);
	}
	json_decref(j);
	return msg;
}

static void report_status(struct kube *k, long code, const char *url, const char *what)
{
	const char *msg = status_message(k);
	const char *user = k->kc->user ? arena_printf(k->a, "user '%s'", k->kc->user) : "anonymous access";
	if (code == 401) {
		k->stopped = true;
		diag_pos(k->d, SEV_ERROR, NULL, 0, 0, "kube-unauthorized",
			 "the token may have expired or the client certificate is not trusted: get fresh credentials "
			 "(kubectl create token, gcloud container clusters get-credentials) and check the context's user",
			 "the API server %s rejected the credentials of %s of context '%s' (401 Unauthorized)",
			 k->kc->server, user, k->kc->context);
		return;
	}
	if (code == 403) {
		diag_pos(k->d, SEV_ERROR, NULL, 0, 0, "kube-forbidden",
			 "ask for RBAC permission to get and list the rendered kinds in the namespace "
			 "(check with kubectl auth can-i)",
			 "%s may not %s (403 Forbidden)%s%s", user, what, msg ? ": " : "", msg ? msg : "");
		return;
	}
	diag_pos(k->d, SEV_ERROR, NULL, 0, 0, "kube-status", "is the server a Kubernetes API server, and healthy?",
		 "GET %s answered HTTP %ld%s%s", url, code, msg ? ": " : "", msg ? msg : "");
}

enum kube_status kube_get(struct kube *k, const char *path, const char *what, struct value **out)
{
	*out = NULL;
	if (k->stopped)
		return KUBE_FAILED;
	const char *url = kube_url(k, path);
	buf_reset(&k->body);
	k->errbuf[0] = '\0';
	if (!SETOPT(k, CURLOPT_URL, url)) {
		diag_pos(k->d, SEV_ERROR, NULL, 0, 0, "kube-connect", "check the cluster's server in the kubeconfig",
			 "not a usable URL: %s", url);
		k->stopped = true;
		return KUBE_FAILED;
	}
	CURLcode rc = k->api.easy_perform(k->curl);
	if (rc != CURLE_OK) {
		report_curl(k, rc, url);
		return KUBE_FAILED;
	}
	long code = 0;
	k->api.easy_getinfo(k->curl, CURLINFO_RESPONSE_CODE, &code);
	if (code == 404) {
		/* An API server says 404 with a Status object; anything else
		 * (a web server's page) means the address is not an API server,
		 * and "absent" would wrongly show every object as an addition. */
		json_error_t err;
		json_t *j = json_loadb(k->body.data ? k->body.data : "", k->body.len, 0, &err);
		bool status = j && json_is_object(j) && json_is_string(json_object_get(j, "kind")) &&
			      !strcmp(json_string_value(json_object_get(j, "kind")), "Status");
		json_decref(j);
		if (status)
			return KUBE_ABSENT;
		diag_pos(k->d, SEV_ERROR, NULL, 0, 0, "kube-junk",
			 "is the server address that of a Kubernetes API server (not a proxy or another web server)?",
			 "GET %s answered 404 without a Kubernetes Status: \"%s\"", url,
			 scrub(k, k->body.data ? k->body.data : "", k->body.len, 60));
		k->stopped = true;
		return KUBE_FAILED;
	}
	if (code != 200) {
		report_status(k, code, url, what);
		return KUBE_FAILED;
	}
	json_error_t err;
	json_t *j = json_loadb(k->body.data ? k->body.data : "", k->body.len, 0, &err);
	if (!j || !json_is_object(j)) {
		char *ct = NULL;
		k->api.easy_getinfo(k->curl, CURLINFO_CONTENT_TYPE, &ct);
		diag_pos(k->d, SEV_ERROR, NULL, 0, 0, "kube-junk",
			 "is the server address that of a Kubernetes API server (not a proxy or a login page)?",
			 "the answer to GET %s is not a JSON object (content type %s%s): \"%s\"", url,
			 ct ? scrub(k, ct, strlen(ct), 80) : "none",
			 j ? "" : arena_printf(k->a, "; %s at byte %d", json_error_safe(k, err.text), err.position),
			 scrub(k, k->body.data ? k->body.data : "", k->body.len, 60));
		json_decref(j);
		k->stopped = true;
		return KUBE_FAILED;
	}
	*out = value_from_json(k->a, j, url);
	json_decref(j);
	return KUBE_OK;
}

/* ---- discovery ---- */

static const struct gv_cache *discover_gv(struct kube *k, const char *group, const char *version)
{
	const char *gv = *group ? arena_printf(k->a, "%s/%s", group, version) : version;
	for (size_t i = 0; i < k->ncache; i++)
		if (!strcmp(k->cache[i].gv, gv))
			return &k->cache[i];
	const char *path = *group ? arena_printf(k->a, "/apis/%s/%s", group, version)
				  : arena_printf(k->a, "/api/%s", version);
	struct value *list = NULL;
	enum kube_status st = kube_get(k, path, arena_printf(k->a, "discover the resources of %s", gv), &list);
	if (st == KUBE_OK && (!map_get(list, "resources") || map_get(list, "resources")->kind != V_SEQ)) {
		diag_pos(k->d, SEV_ERROR, NULL, 0, 0, "kube-junk", "is the server a Kubernetes API server?",
			 "the answer to GET %s is not an APIResourceList (no resources list)", kube_url(k, path));
		st = KUBE_FAILED;
	}
	if (k->ncache == k->cache_cap) {
		k->cache_cap = k->cache_cap ? 2 * k->cache_cap : 8;
		k->cache = xrealloc(k->cache, k->cache_cap * sizeof *k->cache);
	}
	struct gv_cache *c = &k->cache[k->ncache++];
	c->gv = gv;
	c->status = st;
	c->list = st == KUBE_OK ? list : NULL;
	return c;
}

/* A resource or version name as the API server may give it (lower-case
 * DNS characters): it goes into request paths and messages, so anything
 * else (a '/', a '?', an echoed header) is refused, never quoted. */
static bool api_name_ok(const char *s, bool dots)
{
	size_t n = strlen(s);
	if (n == 0 || n > 253)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      (i > 0 && (s[i] == '-' || (dots && s[i] == '.')))))
			return false;
	return true;
}

enum kube_status kube_discover(struct kube *k, const char *group, const char *version, const char *kind,
			       struct kube_resource *out)
{
	const struct gv_cache *c = discover_gv(k, group, version);
	if (c->status != KUBE_OK)
		return c->status;
	const struct value *res = map_get(c->list, "resources");
	for (size_t i = 0; i < res->seq.n; i++) {
		const struct value *r = res->seq.items[i];
		const char *name = v_as_str(map_get(r, "name"), NULL);
		/* Subresources (kafkas/status) share the kind; skip them. */
		if (!name || strchr(name, '/') || strcmp(v_as_str(map_get(r, "kind"), ""), kind) != 0)
			continue;
		if (!api_name_ok(name, true)) {
			diag_pos(k->d, SEV_ERROR, NULL, 0, 0, "kube-junk", "is the server a Kubernetes API server?",
				 "the answer to GET %s names the resource of %s with characters no resource name holds",
				 kube_url(k, *group ? arena_printf(k->a, "/apis/%s/%s", group, version)
						    : arena_printf(k->a, "/api/%s", version)), kind);
			return KUBE_FAILED;
		}
		out->plural = name;
		out->namespaced = v_as_bool(map_get(r, "namespaced"), false);
		return KUBE_OK;
	}
	return KUBE_ABSENT;
}

enum kube_status kube_preferred_version(struct kube *k, const char *group, const char **version)
{
	const char *path = arena_printf(k->a, "/apis/%s", group);
	struct value *g = NULL;
	enum kube_status st = kube_get(k, path, arena_printf(k->a, "discover the API group %s", group), &g);
	if (st != KUBE_OK)
		return st;
	const char *v = v_as_str(v_path(g, "preferredVersion.version"), NULL);
	if (!v || !api_name_ok(v, false)) {
		diag_pos(k->d, SEV_ERROR, NULL, 0, 0, "kube-junk", "is the server a Kubernetes API server?",
			 "the answer to GET %s is not an APIGroup (no preferredVersion, or not a version name)",
			 kube_url(k, path));
		return KUBE_FAILED;
	}
	*version = v;
	return KUBE_OK;
}

bool kube_parse_timeout(const char *s, long *ms)
{
	char *end;
	if (!s || !*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	unsigned long long n = strtoull(s, &end, 10);
	if (end == s || errno)
		return false;
	unsigned long long mul;
	if (!*end || !strcmp(end, "s"))
		mul = 1000;
	else if (!strcmp(end, "ms"))
		mul = 1;
	else if (!strcmp(end, "m"))
		mul = 60000;
	else if (!strcmp(end, "h"))
		mul = 3600000;
	else
		return false;
	if (n > (unsigned long long)LONG_MAX / mul)
		return false;
	*ms = (long)(n * mul);
	return true;
}
