/* schema_format.c - the "format" checks of JSON Schema draft-07 that
 * asbgen implements: hostname, ipv4, ipv6, uri (regex is ecma_regex.c,
 * through schema_regex_syntax_ok); and the content of strings
 * (contentEncoding base64, contentMediaType application/json). */
#include "schema.h"
#include "arena.h"
#include "kubeconfig.h" /* base64_decode */

#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

static bool is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool is_hex(int c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

/* RFC 1123 host name: dot-separated labels of letters, digits and hyphens,
 * not starting or ending with a hyphen, 1-63 characters each, at most 253
 * in all.  A single trailing dot (the DNS root) is accepted. */
static bool fmt_hostname(const char *s, size_t n)
{
	if (n && s[n - 1] == '.')
		n--;
	if (n == 0 || n > 253)
		return false;
	size_t lab = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '.') {
			if (lab == 0 || lab > 63 || s[i - 1] == '-')
				return false;
			lab = 0;
			continue;
		}
		unsigned char c = (unsigned char)s[i];
		if (!(is_alpha(c) || is_digit(c) || c == '-'))
			return false;
		if (lab == 0 && c == '-')
			return false;
		lab++;
	}
	return true;
}

/* Dotted quad, four decimal numbers 0-255, no leading zeros, ASCII only. */
bool schema_ipv4_parse(const char *s, size_t n, uint32_t *out)
{
	uint32_t ip = 0;
	size_t i = 0;
	for (int part = 0; part < 4; part++) {
		size_t start = i;
		unsigned v = 0;
		while (i < n && is_digit((unsigned char)s[i]) && i - start < 3)
			v = v * 10 + (unsigned)(s[i++] - '0');
		size_t len = i - start;
		if (len == 0 || v > 255 || (len > 1 && s[start] == '0'))
			return false;
		ip = ip << 8 | v;
		if (part < 3) {
			if (i >= n || s[i] != '.')
				return false;
			i++;
		}
	}
	if (i != n)
		return false;
	if (out)
		*out = ip;
	return true;
}

static bool fmt_ipv4(const char *s, size_t n) { return schema_ipv4_parse(s, n, NULL); }

/* RFC 4291 text form, including "::" and an embedded dotted quad; no zone
 * index.  inet_pton does the grammar; we first refuse what it is lenient
 * about (an embedded IPv4 part with leading zeros). */
static bool fmt_ipv6(const char *s, size_t n)
{
	char tmp[64];
	if (n == 0 || n >= sizeof tmp || memchr(s, '\0', n))
		return false;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	const char *dot = strchr(tmp, '.');
	if (dot) {
		const char *v4 = strrchr(tmp, ':');
		if (!v4 || v4 > dot || !fmt_ipv4(v4 + 1, strlen(v4 + 1)))
			return false;
	}
	unsigned char out[16];
	return inet_pton(AF_INET6, tmp, out) == 1;
}

/* RFC 3986 character classes. */
static bool is_unreserved(int c) { return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~'; }
static bool is_subdelim(int c) { return c && strchr("!$&'()*+,;=", c) != NULL; }

/* Checks s[*i..end) against (allowed | pct-encoded)*, stopping at the first
 * character that is neither; returns false on a bad %-escape. */
static bool scan(const char *s, size_t *i, size_t end, const char *extra)
{
	while (*i < end) {
		int c = (unsigned char)s[*i];
		if (c == '%') {
			if (*i + 2 >= end || !is_hex((unsigned char)s[*i + 1]) || !is_hex((unsigned char)s[*i + 2]))
				return false;
			*i += 3;
		} else if (is_unreserved(c) || is_subdelim(c) || (c && strchr(extra, c))) {
			(*i)++;
		} else {
			break;
		}
	}
	return true;
}

/* RFC 3986 "URI" (absolute, with scheme; fragment allowed). */
static bool fmt_uri(const char *s, size_t n)
{
	size_t i = 0;
	if (n == 0 || !is_alpha((unsigned char)s[0]))
		return false;
	while (i < n && (is_alpha((unsigned char)s[i]) || is_digit((unsigned char)s[i]) ||
			 s[i] == '+' || s[i] == '-' || s[i] == '.'))
		i++;
	if (i >= n || s[i] != ':')
		return false;
	i++;
	if (i + 1 < n && s[i] == '/' && s[i + 1] == '/') {
		i += 2;
		size_t aend = i;
		while (aend < n && s[aend] != '/' && s[aend] != '?' && s[aend] != '#')
			aend++;
		/* userinfo@ */
		const char *at = memchr(s + i, '@', aend - i);
		if (at) {
			size_t uend = (size_t)(at - s);
			if (!scan(s, &i, uend, ":") || i != uend)
				return false;
			i = uend + 1;
		}
		if (i < aend && s[i] == '[') {
			const char *rb = memchr(s + i, ']', aend - i);
			if (!rb)
				return false;
			size_t hend = (size_t)(rb - s);
			if (i + 1 < hend && (s[i + 1] == 'v' || s[i + 1] == 'V')) {
				size_t j = i + 2;
				size_t hs = j;
				while (j < hend && is_hex((unsigned char)s[j]))
					j++;
				if (j == hs || j >= hend || s[j] != '.')
					return false;
				j++;
				if (j >= hend || !scan(s, &j, hend, ":") || j != hend)
					return false;
			} else if (!fmt_ipv6(s + i + 1, hend - i - 1)) {
				return false;
			}
			i = hend + 1;
		} else {
			if (!scan(s, &i, aend, ""))
				return false;
		}
		if (i < aend && s[i] == ':') {
			i++;
			while (i < aend && is_digit((unsigned char)s[i]))
				i++;
		}
		if (i != aend)
			return false;
	}
	/* path */
	if (!scan(s, &i, n, ":@/"))
		return false;
	if (i < n && s[i] == '?') {
		i++;
		if (!scan(s, &i, n, ":@/?"))
			return false;
	}
	if (i < n && s[i] == '#') {
		i++;
		if (!scan(s, &i, n, ":@/?"))
			return false;
	}
	return i == n;
}

bool schema_format_valid(const char *format, const char *s, size_t len, bool *known)
{
	bool k = true, ok = true;
	if (strcmp(format, "hostname") == 0)
		ok = fmt_hostname(s, len);
	else if (strcmp(format, "ipv4") == 0)
		ok = fmt_ipv4(s, len);
	else if (strcmp(format, "ipv6") == 0)
		ok = fmt_ipv6(s, len);
	else if (strcmp(format, "uri") == 0)
		ok = fmt_uri(s, len);
	else if (strcmp(format, "regex") == 0)
		ok = !memchr(s, '\0', len) && schema_regex_syntax_ok(s);
	else
		k = false;
	if (known)
		*known = k;
	return ok;
}

const char *schema_content_problem(struct arena *a, const char *encoding, const char *media, const char *s,
				   size_t len)
{
	struct blob body = { s, len };
	if (encoding && strcmp(encoding, "base64") == 0 && !base64_decode(a, s, len, &body))
		return "is not base64 (contentEncoding)";
	if (media && strcmp(media, "application/json") == 0) {
		json_error_t err;
		json_t *j = json_loadb(body.data, body.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
		if (!j)
			return body.data != s ? "decodes to text that is not JSON (contentMediaType application/json)"
					      : "is not JSON (contentMediaType application/json)";
		json_decref(j);
	}
	return NULL;
}
