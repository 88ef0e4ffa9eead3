/* kube.h - a small Kubernetes API client over libcurl: GET only.
 *
 * TLS verification is always on (the kubeconfig's CA, else the system's)
 * unless the caller asks to skip it.  The bearer token and the client key
 * never leave the request: no verbose mode, and any text from the server
 * or libcurl that is quoted in a message is redacted of the token and the
 * key in every form they can come back in, runs of them included
 * (redact.h).  Names the server gives that go into paths and messages
 * (resources, versions) must be DNS names.
 *
 * Every failure is reported once with a clear message and hint (ids
 * kube-connect, kube-timeout, kube-tls, kube-unauthorized, kube-forbidden,
 * kube-junk, kube-status); connection-level failures (refused, timeout,
 * TLS, 401) stop the client: later calls fail at once without a request.
 */
#ifndef ASBGEN_KUBE_H
#define ASBGEN_KUBE_H

#include <stdbool.h>

#include "value.h"

struct arena;
struct diags;
struct kubeconfig;

struct kube_opts {
	bool insecure;   /* --insecure-skip-tls-verify */
	long timeout_ms; /* whole request, connection included; 0: none */
};

struct kube;

/* NULL after reporting when libcurl cannot be set up. */
struct kube *kube_new(struct arena *a, struct diags *d, const struct kubeconfig *kc,
		      const struct kube_opts *o);
void kube_free(struct kube *k);

enum kube_status { KUBE_OK, KUBE_ABSENT, KUBE_FAILED };

/* GET server+path (path starts with '/').  KUBE_OK: *out is the answer, a
 * JSON object as a value tree (marks name the URL).  KUBE_ABSENT: 404.
 * KUBE_FAILED: reported.  `what` says what the request is for, in
 * messages (403: "get kafkatopics.kafka.strimzi.io in namespace x"). */
enum kube_status kube_get(struct kube *k, const char *path, const char *what, struct value **out);

/* The full URL of a path, for sources and messages. */
const char *kube_url(struct kube *k, const char *path);

/* Has a connection-level failure stopped the client? */
bool kube_stopped(const struct kube *k);

/* API discovery, as kubectl does it: /api/v1 or /apis/GROUP/VERSION,
 * cached per group/version.  KUBE_ABSENT: the server does not serve that
 * group/version or kind (a CRD not installed). */
struct kube_resource {
	const char *plural;  /* "kafkatopics" */
	bool namespaced;
};
enum kube_status kube_discover(struct kube *k, const char *group, const char *version, const char *kind,
			       struct kube_resource *out);

/* The version the server prefers for an API group (GET /apis/GROUP), for
 * when the rendered version is not served.  KUBE_ABSENT: no such group. */
enum kube_status kube_preferred_version(struct kube *k, const char *group, const char **version);

/* Parse a --request-timeout value: "30s", "500ms", "2m", "1h", or bare
 * seconds; 0 means no timeout.  false when malformed. */
bool kube_parse_timeout(const char *s, long *ms);

#endif
