/* curl_api.h - libcurl, opened when a command first needs it.
 *
 * Only `asbgen diff --live` speaks HTTP, but a binary linked with libcurl
 * loads it and its ~30 dependencies (TLS libraries, Kerberos, LDAP...) on
 * every start: 4.3 ms measured here, more than validating a small spec
 * takes.  So libcurl is opened with dlopen by the code that talks to the
 * cluster, and its functions are called through this table.  The headers
 * (and so the types and constants) are still libcurl's own.
 */
#ifndef ASBGEN_CURL_API_H
#define ASBGEN_CURL_API_H

#include <curl/curl.h>

struct diags;
struct mark;

/* The soname asbgen was built against (Debian: package libcurl4), and the
 * environment variable that names another file to load instead (a libcurl
 * installed elsewhere). */
#define CURL_API_SONAME "libcurl.so.4"
#define CURL_API_ENV "ASBGEN_LIBCURL"

struct curl_api {
	void *handle; /* from dlopen */
	CURLcode (*global_init)(long flags);
	void (*global_cleanup)(void);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *curl, CURLoption option, ...);
	CURLcode (*easy_perform)(CURL *curl);
	CURLcode (*easy_getinfo)(CURL *curl, CURLINFO info, ...);
	void (*easy_cleanup)(CURL *curl);
	const char *(*easy_strerror)(CURLcode code);
	struct curl_slist *(*slist_append)(struct curl_slist *list, const char *s);
	void (*slist_free_all)(struct curl_slist *list);
	CURLU *(*url)(void);
	CURLUcode (*url_set)(CURLU *u, CURLUPart what, const char *part, unsigned int flags);
	void (*url_cleanup)(CURLU *u);
	const char *(*url_strerror)(CURLUcode code);
};

/* Open libcurl and find every function.  Returns 0, or -1 after reporting
 * (id kube-libcurl) at `why` (may be NULL): libcurl is missing, or too old
 * for a function asbgen uses.  Close what was opened with curl_api_close. */
int curl_api_open(struct curl_api *api, struct diags *d, const struct mark *why);
void curl_api_close(struct curl_api *api);

#endif
