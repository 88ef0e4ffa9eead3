/* execcred.h - run a kubeconfig user's exec credential plugin.
 *
 * The client.authentication.k8s.io protocol, as kubectl runs
 * gke-gcloud-auth-plugin or an OIDC login helper: the command is started
 * with the kubeconfig's args and env added to asbgen's environment, and
 * KUBERNETES_EXEC_INFO holding an ExecCredential request (interactive:
 * false; the cluster's server and CA when provideClusterInfo is set).  It
 * prints an ExecCredential whose status holds a token, or a client
 * certificate and key (PEM), or both.
 *
 * What asbgen does differently from kubectl, and why:
 *  - the plugin never gets a terminal: stdin is /dev/null and
 *    interactiveMode Always is refused (asbgen runs in CI and hooks);
 *  - neither its stdout nor its stderr is ever shown: both may hold the
 *    credential or parts of it (a failing plugin is named, with its exit
 *    status, and the user is told to run it by hand to see why);
 *  - it gets EXEC_PLUGIN_TIMEOUT_S to answer, then is killed;
 *  - the credential is used for this one run; expirationTimestamp is not
 *    needed (no run outlives a token's lifetime in practice) and is
 *    ignored.
 */
#ifndef ASBGEN_EXECCRED_H
#define ASBGEN_EXECCRED_H

#include <stdbool.h>

#include "kubeconfig.h"

#define EXEC_PLUGIN_TIMEOUT_S 60
#define EXEC_PLUGIN_MAX_OUTPUT (1u << 20)

struct exec_plugin {
	const char *user;           /* the user entry's name, for messages */
	const struct mark *mark;    /* its exec: key */
	const char *api_version;    /* client.authentication.k8s.io/v1 or v1beta1 */
	const char *const *argv;    /* argv[0] the command (resolved), NULL-terminated */
	const char *const *env;     /* NAME=VALUE added to the environment, NULL-terminated */
	const char *install_hint;   /* installHint, or NULL */
	bool cluster_info;          /* provideClusterInfo */
};

struct exec_credential {
	const char *token;          /* NULL: none */
	struct blob cert, key;      /* PEM; empty: none */
};

/* Run the plugin and read its credential.  `cluster` gives the server, CA
 * and insecure flag for provideClusterInfo.  Returns 0, or -1 after
 * reporting (kubeconfig-exec). */
int exec_credential_get(struct arena *a, struct diags *d, const struct exec_plugin *p,
			const struct kubeconfig *cluster, struct exec_credential *out);

#endif
