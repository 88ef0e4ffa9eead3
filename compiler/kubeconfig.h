/* kubeconfig.h - the cluster and credentials of a kubeconfig context.
 *
 * Files are read with the YAML loader, so every problem is reported at its
 * file:line:column (ids kubeconfig-*).  Which files, as kubectl does: the
 * explicit --kubeconfig file alone; else every file of KUBECONFIG (a
 * colon-separated list; missing files are skipped), merged so that the
 * first file to set a value wins (current-context, and each cluster, user
 * and context by name); else ~/.kube/config.  Paths in a cluster or user
 * entry are relative to the file that holds the entry.
 *
 * Secrets (tokens, keys, passwords in URLs) are never put in a
 * diagnostic: the kubeconfig's text is not registered as a diagnostics
 * source, so no source line is ever quoted; messages name keys, not
 * values, the YAML loader's included (they are reworded, see
 * load_secret_yaml); a server URL that may hold credentials (any '@'), a
 * query or a control character is refused without being quoted.  Names
 * (context, cluster, user), paths and the accepted server URL are shown.
 *
 * A user's exec credential plugin is run here (execcred.h), once the
 * cluster has resolved; its token or certificate fills the same fields as
 * one written in the file, so the client does not know the difference.
 */
#ifndef ASBGEN_KUBECONFIG_H
#define ASBGEN_KUBECONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "value.h"

struct arena;
struct diags;

/* Where to look, given by the caller (so tests need no environment). */
struct kubeconfig_source {
	const char *explicit_path; /* --kubeconfig, or NULL */
	const char *env;           /* $KUBECONFIG, or NULL */
	const char *home;          /* $HOME, or NULL */
	const char *context;       /* --context, or NULL: current-context */
};

/* PEM bytes (certificates, keys), in the arena. */
struct blob {
	const char *data;
	size_t len;
};

struct kubeconfig {
	const char *file;     /* the file that named the context (for messages) */
	const char *context;  /* names of the context, cluster and user used */
	const char *cluster;
	const char *user;
	const char *server;   /* https://host[:port][/prefix], no trailing '/' */
	struct mark server_mark; /* where the kubeconfig says it */
	struct blob ca;       /* certificate-authority(-data); empty: system CAs */
	struct blob cert;     /* client-certificate(-data); empty: none */
	struct blob key;      /* client-key(-data) */
	const char *token;    /* token, tokenFile's content or the exec plugin's; NULL: none */
	bool insecure;        /* the cluster says insecure-skip-tls-verify: true */
};

/* Resolve the context.  Returns 0, or -1 after reporting (kubeconfig-*,
 * yaml-*, io). */
int kubeconfig_load(struct arena *a, struct diags *d, const struct kubeconfig_source *src,
		    struct kubeconfig *out);

/* Standard base64 (RFC 4648, padding optional, whitespace ignored) into
 * the arena.  Returns false on any other character. */
bool base64_decode(struct arena *a, const char *s, size_t n, struct blob *out);

#endif
