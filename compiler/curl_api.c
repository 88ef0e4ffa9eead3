/* curl_api.c - libcurl through dlopen (see curl_api.h). */
#include "curl_api.h"
#include "diag.h"

#include <dlfcn.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Each entry: the symbol and where its address goes in struct curl_api. */
static const struct {
	const char *name;
	size_t offset;
} symbols[] = {
#define SYM(field, name) { name, offsetof(struct curl_api, field) }
	SYM(global_init, "curl_global_init"),
	SYM(global_cleanup, "curl_global_cleanup"),
	SYM(easy_init, "curl_easy_init"),
	SYM(easy_setopt, "curl_easy_setopt"),
	SYM(easy_perform, "curl_easy_perform"),
	SYM(easy_getinfo, "curl_easy_getinfo"),
	SYM(easy_cleanup, "curl_easy_cleanup"),
	SYM(easy_strerror, "curl_easy_strerror"),
	SYM(slist_append, "curl_slist_append"),
	SYM(slist_free_all, "curl_slist_free_all"),
	SYM(url, "curl_url"),
	SYM(url_set, "curl_url_set"),
	SYM(url_cleanup, "curl_url_cleanup"),
	SYM(url_strerror, "curl_url_strerror"),
#undef SYM
};

int curl_api_open(struct curl_api *api, struct diags *d, const struct mark *why)
{
	memset(api, 0, sizeof *api);
	const char *lib = getenv(CURL_API_ENV);
	if (!lib || !*lib)
		lib = CURL_API_SONAME;
	api->handle = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
	if (!api->handle) {
		const char *err = dlerror();
		diag_at(d, SEV_ERROR, why, "kube-libcurl",
			"install libcurl (Debian: apt-get install libcurl4), or name it in " CURL_API_ENV,
			"talking to the cluster needs libcurl, which cannot be loaded: %s", err ? err : lib);
		return -1;
	}
	for (size_t i = 0; i < sizeof symbols / sizeof symbols[0]; i++) {
		void *f = dlsym(api->handle, symbols[i].name);
		if (!f) {
			diag_at(d, SEV_ERROR, why, "kube-libcurl",
				"install libcurl 7.77 or later (Debian 12's libcurl4 is 7.88)",
				"the libcurl loaded (%s) has no %s", lib, symbols[i].name);
			curl_api_close(api);
			return -1;
		}
		/* A data pointer to a function pointer: what dlsym is for (POSIX
		 * guarantees the conversion). */
		memcpy((char *)api + symbols[i].offset, &f, sizeof f);
	}
	return 0;
}

void curl_api_close(struct curl_api *api)
{
	if (api->handle)
		dlclose(api->handle);
	memset(api, 0, sizeof *api);
}
