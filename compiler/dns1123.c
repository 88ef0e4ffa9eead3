/* dns1123.c - Kubernetes' DNS-1123 label and subdomain (see dns1123.h). */
#include "dns1123.h"

#include <string.h>

static bool lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* [a-z0-9]([-a-z0-9]*[a-z0-9])?, of any length. */
static bool label_form(const char *s, size_t n)
{
	if (n == 0 || !lower_alnum(s[0]) || !lower_alnum(s[n - 1]))
		return false;
	for (size_t i = 1; i + 1 < n; i++)
		if (!lower_alnum(s[i]) && s[i] != '-')
			return false;
	return true;
}

bool dns1123_label(const char *s, size_t n)
{
	return n <= DNS1123_LABEL_MAX && label_form(s, n);
}

bool dns1123_subdomain(const char *s, size_t n)
{
	if (n == 0 || n > DNS1123_SUBDOMAIN_MAX)
		return false;
	const char *end = s + n;
	for (const char *p = s;;) {
		const char *dot = memchr(p, '.', (size_t)(end - p));
		size_t l = dot ? (size_t)(dot - p) : (size_t)(end - p);
		/* Kubernetes' IsDNS1123Subdomain bounds the whole name, not each
		 * label: "a.<64 letters>" is a valid object name. */
		if (!label_form(p, l))
			return false;
		if (!dot)
			return true;
		p = dot + 1;
	}
}
