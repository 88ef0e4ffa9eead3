/* strimzi.c - the Strimzi release table. */
#include "strimzi.h"

#include <stdlib.h>
#include <string.h>

static const struct strimzi_release releases[] = {
	{ "0.40.0", "v1beta2", "3.6.0 3.6.1 3.7.0" },
	{ "0.41.0", "v1beta2", "3.6.0 3.6.1 3.6.2 3.7.0" },
	{ "0.42.0", "v1beta2", "3.6.0 3.6.1 3.6.2 3.7.0 3.7.1" },
	{ "0.43.0", "v1beta2", "3.7.0 3.7.1 3.8.0" },
	{ "0.44.0", "v1beta2", "3.7.0 3.7.1 3.8.0" },
	{ "0.45.0", "v1beta2", "3.8.0 3.8.1 3.9.0" },
	{ "0.45.1", "v1beta2", "3.8.0 3.8.1 3.9.0 3.9.1" },
	{ "0.46.0", "v1beta2", "3.9.0 4.0.0" },
	{ "0.46.1", "v1beta2", "3.9.0 4.0.0" },
	{ "0.47.0", "v1beta2", "3.9.0 3.9.1 4.0.0" },
	{ "0.48.0", "v1beta2", "4.0.0 4.1.0" },
	{ "0.49.0", "v1 v1beta2", "4.0.0 4.0.1 4.1.0 4.1.1" },
	{ "0.49.1", "v1 v1beta2", "4.0.0 4.0.1 4.1.0 4.1.1" },
	{ "0.50.0", "v1 v1beta2", "4.0.0 4.0.1 4.1.0 4.1.1" },
	{ "0.50.1", "v1 v1beta2", "4.0.0 4.0.1 4.1.0 4.1.1" },
	{ "0.51.0", "v1 v1beta2", "4.1.0 4.1.1 4.2.0" },
	{ "1.0.0", "v1", "4.1.0 4.1.1 4.1.2 4.2.0" },
	{ "1.1.0", "v1", "4.2.0 4.2.1 4.3.0" },
};

const struct strimzi_release *strimzi_releases(size_t *n)
{
	*n = sizeof releases / sizeof releases[0];
	return releases;
}

const struct strimzi_release *strimzi_find(const char *version)
{
	for (size_t i = 0; i < sizeof releases / sizeof releases[0]; i++)
		if (strcmp(releases[i].version, version) == 0)
			return &releases[i];
	return NULL;
}

/* Is `word` one of the space-separated words of `list`? */
static bool has_word(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = list; *p;) {
		const char *e = strchr(p, ' ');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		if (l == n && memcmp(p, word, n) == 0)
			return true;
		p += l + (e ? 1 : 0);
	}
	return false;
}

bool strimzi_supports_kafka(const struct strimzi_release *r, const char *kafka)
{
	return has_word(r->kafka, kafka);
}

bool strimzi_serves_api(const struct strimzi_release *r, const char *api)
{
	return has_word(r->apis, api);
}

void strimzi_default_kafka(const struct strimzi_release *r, char *buf, size_t len)
{
	const char *last = strrchr(r->kafka, ' ');
	last = last ? last + 1 : r->kafka;
	size_t n = strlen(last);
	if (n >= len)
		n = len - 1;
	memcpy(buf, last, n);
	buf[n] = '\0';
}
