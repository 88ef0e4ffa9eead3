/* execcred.c - a kubeconfig user's exec credential plugin (see execcred.h). */
#include "execcred.h"
#include "arena.h"
#include "diag.h"
#include "redact.h"
#include "spawn.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

extern char **environ;

#define EXEC_GROUP "client.authentication.k8s.io/"
#define RUN_HINT "run the plugin by hand to see its message (asbgen never shows a credential plugin's output)"

static const char b64chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Standard base64 with padding: the CA for provideClusterInfo goes as
 * certificate-authority-data, as in a kubeconfig. */
static char *base64_encode(struct arena *a, const char *s, size_t n)
{
	char *out = arena_alloc(a, (n + 2) / 3 * 4 + 1), *o = out;
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
		*o++ = b64chars[v >> 18 & 63];
		*o++ = b64chars[v >> 12 & 63];
		*o++ = i + 1 < n ? b64chars[v >> 6 & 63] : '=';
		*o++ = i + 2 < n ? b64chars[v & 63] : '=';
	}
	*o = '\0';
	return out;
}

/* The ExecCredential request, as KUBERNETES_EXEC_INFO's value. */
static char *request(struct arena *a, const struct exec_plugin *p, const struct kubeconfig *cl)
{
	json_t *spec = json_pack("{s:b}", "interactive", 0);
	if (spec && p->cluster_info) {
		json_t *c = json_pack("{s:s}", "server", cl->server);
		if (c && cl->ca.len &&
		    json_object_set_new(c, "certificate-authority-data",
					json_string(base64_encode(a, cl->ca.data, cl->ca.len))) != 0) {
			json_decref(c);
			c = NULL;
		}
		if (c && cl->insecure && json_object_set_new(c, "insecure-skip-tls-verify", json_true()) != 0) {
			json_decref(c);
			c = NULL;
		}
		if (!c || json_object_set_new(spec, "cluster", c) != 0) {
			json_decref(spec);
			spec = NULL;
		}
	}
	json_t *req = spec ? json_pack("{s:s,s:s,s:o}", "apiVersion", p->api_version, "kind", "ExecCredential",
				       "spec", spec)
			   : NULL;
	char *text = req ? json_dumps(req, JSON_COMPACT) : NULL;
	json_decref(req);
	if (!text)
		die_oom();
	char *copy = arena_strdup(a, text);
	free(text);
	return copy;
}

/* asbgen's environment, then the kubeconfig's env entries (a name given
 * there replaces the inherited one), then KUBERNETES_EXEC_INFO. */
static char **environment(struct arena *a, const struct exec_plugin *p, const char *info)
{
	size_t n = 0, k = 0, extra = 0;
	while (environ[n])
		n++;
	while (p->env[extra])
		extra++;
	char **env = arena_alloc(a, (n + extra + 2) * sizeof *env);
	for (size_t i = 0; i < n; i++) {
		const char *e = environ[i];
		size_t nl = strcspn(e, "=");
		bool replaced = nl == strlen("KUBERNETES_EXEC_INFO") && !strncmp(e, "KUBERNETES_EXEC_INFO", nl);
		for (size_t j = 0; j < extra && !replaced; j++)
			replaced = !strncmp(p->env[j], e, nl) && p->env[j][nl] == '=';
		if (!replaced)
			env[k++] = (char *)e;
	}
	for (size_t j = 0; j < extra; j++)
		env[k++] = (char *)p->env[j];
	env[k++] = arena_printf(a, "KUBERNETES_EXEC_INFO=%s", info);
	env[k] = NULL;
	return env;
}

/* "user 'U': exec plugin CMD: WHAT" */
static int fail(struct diags *d, const struct exec_plugin *p, const char *hint, const char *what)
{
	diag_at(d, SEV_ERROR, p->mark, "kubeconfig-exec", hint, "user '%s': exec plugin %s: %s", p->user, p->argv[0],
		what);
	return -1;
}

/* status.<key>: absent (0), a non-empty string (1), anything else (-1). */
static int status_str(const json_t *status, const char *key, const char **out)
{
	const json_t *v = json_object_get(status, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return -1;
	*out = json_string_value(v);
	return **out ? 1 : 0;
}

/* The plugin's answer.  Nothing of its text goes into a message: only
 * the names of keys and the position of a JSON syntax error. */
static int parse(struct arena *a, struct diags *d, const struct exec_plugin *p, const char *text, size_t len,
		 struct exec_credential *out)
{
	json_error_t jerr;
	json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc) {
		return fail(d, p, RUN_HINT, arena_printf(a, "printed no ExecCredential (not JSON at line %d, column %d)",
							  jerr.line, jerr.column));
	}
	int rc = -1;
	const json_t *api = json_object_get(doc, "apiVersion"), *kind = json_object_get(doc, "kind");
	const json_t *status = json_object_get(doc, "status");
	const char *token, *cert, *key;
	int rt, rcert, rkey;
	if (!json_is_object(doc) || !json_is_string(kind) || strcmp(json_string_value(kind), "ExecCredential") != 0)
		fail(d, p, RUN_HINT, json_is_object(doc) ? "printed an object that is not an ExecCredential"
						   : "printed JSON that is not an ExecCredential object");
	else if (!json_is_string(api) || strcmp(json_string_value(api), p->api_version) != 0)
		fail(d, p, "set the user's exec apiVersion to the version the plugin answers with",
		     arena_printf(a, "answered with another apiVersion than the %s it was asked for", p->api_version));
	else if (!json_is_object(status))
		fail(d, p, RUN_HINT, "printed an ExecCredential without status (no credential)");
	else if ((rt = status_str(status, "token", &token)) < 0 ||
		 (rcert = status_str(status, "clientCertificateData", &cert)) < 0 ||
		 (rkey = status_str(status, "clientKeyData", &key)) < 0)
		fail(d, p, RUN_HINT, "printed an ExecCredential whose status.token, clientCertificateData or clientKeyData is not a string");
	else if (rcert != rkey)
		fail(d, p, RUN_HINT, rcert ? "printed a client certificate without its key" : "printed a client key without its certificate");
	else if (!rt && !rcert)
		fail(d, p, RUN_HINT, "printed an ExecCredential with neither a token nor a client certificate");
	else if ((token && (strlen(token) > REDACT_MAX_SECRET || strpbrk(token, "\r\n"))) ||
		 (key && strlen(key) > REDACT_MAX_SECRET))
		fail(d, p, RUN_HINT, "printed a token or key longer than 64 KiB, or a token with a line break");
	else {
		out->token = token ? arena_strdup(a, token) : NULL;
		if (cert) {
			out->cert.data = arena_strdup(a, cert);
			out->cert.len = strlen(cert);
			out->key.data = arena_strdup(a, key);
			out->key.len = strlen(key);
		}
		rc = 0;
	}
	json_decref(doc);
	return rc;
}

int exec_credential_get(struct arena *a, struct diags *d, const struct exec_plugin *p,
			const struct kubeconfig *cluster, struct exec_credential *out)
{
	memset(out, 0, sizeof *out);
	char **env = environment(a, p, request(a, p, cluster));
	struct spawn_run r = { .argv = (char *const *)p->argv, .envp = env, .max_out = EXEC_PLUGIN_MAX_OUTPUT,
			       .timeout_ms = EXEC_PLUGIN_TIMEOUT_S * 1000 };
	enum spawn_result res = spawn_capture(&r);
	switch (res) {
	case SPAWN_NOT_STARTED:
		return fail(d, p,
			    p->install_hint ? p->install_hint
					    : "install the plugin, or put its folder on PATH (a command with a '/' is "
					      "relative to the kubeconfig's folder)",
			    arena_printf(a, "cannot be run: %s", strerror(r.spawn_errno)));
	case SPAWN_TIMEOUT:
		return fail(d, p, RUN_HINT, arena_printf(a, "gave no answer within %d s and was stopped", EXEC_PLUGIN_TIMEOUT_S));
	case SPAWN_TOO_LONG:
		return fail(d, p, RUN_HINT, arena_printf(a, "printed more than %u KiB and was stopped", EXEC_PLUGIN_MAX_OUTPUT >> 10));
	case SPAWN_IO:
		return fail(d, p, NULL, arena_printf(a, "cannot read its output: %s", strerror(errno)));
	case SPAWN_OK:
		break;
	}
	int rc;
	if (WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0)
		rc = parse(a, d, p, r.out, r.out_len, out);
	else
		rc = fail(d, p, p->install_hint && WIFEXITED(r.status) && WEXITSTATUS(r.status) == 127
					? p->install_hint
					: RUN_HINT,
			  WIFEXITED(r.status) ? arena_printf(a, "failed (exit status %d)", WEXITSTATUS(r.status))
					      : arena_printf(a, "failed (killed by signal %d)", WTERMSIG(r.status)));
	/* Its output held the credential: not left in freed memory. */
	if (r.out)
		memset(r.out, 0, r.out_len);
	free(r.out);
	return rc;
}
