/* redact.c - secrets out of quoted text (see redact.h).
 *
 * Every window of REDACT_MIN_RUN bytes of every form goes into a hash set;
 * a span of the text in which each window is in the set is a run of some
 * form (or of overlapping forms: over-redacting is the safe side) and is
 * replaced.  One pass, each position hashed once: a 256 MiB answer costs
 * no more than its first `max` bytes of output need.
 */
#include "redact.h"
#include "arena.h"
#include "buf.h"

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

struct gram {
	uint64_t h; /* 0: empty slot */
	const char *label;
};

/* A form shorter than a window: matched whole. */
struct whole {
	const char *s;
	size_t n;
	const char *label;
};

struct redactor {
	struct arena *a;
	struct gram *tab;
	size_t cap, n; /* cap a power of two, n <= cap / 2 */
	struct whole *wholes;
	size_t nwholes, wholes_cap;
};

static uint64_t hash_window(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < REDACT_MIN_RUN; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h ? h : 1;
}

static struct gram *slot(struct gram *tab, size_t cap, uint64_t h)
{
	size_t j = (size_t)h & (cap - 1);
	while (tab[j].h && tab[j].h != h)
		j = (j + 1) & (cap - 1);
	return &tab[j];
}

static void put_gram(struct redactor *r, uint64_t h, const char *label)
{
	if ((r->n + 1) * 2 > r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 256;
		struct gram *t = arena_alloc(r->a, cap * sizeof *t);
		for (size_t i = 0; i < r->cap; i++)
			if (r->tab[i].h)
				*slot(t, cap, r->tab[i].h) = r->tab[i];
		r->tab = t; /* the old table is left to the arena */
		r->cap = cap;
	}
	struct gram *g = slot(r->tab, r->cap, h);
	if (!g->h) {
		g->h = h;
		g->label = label;
		r->n++;
	}
}

static const struct gram *get_gram(const struct redactor *r, const char *s)
{
	if (!r->cap)
		return NULL;
	const struct gram *g = slot(r->tab, r->cap, hash_window(s));
	return g->h ? g : NULL;
}

/* One form.  whole_ok: match it whole even when shorter than a window
 * (the raw secret; derived forms of fewer than 4 characters carry less
 * than 3 bytes of it and would match ordinary text). */
static void add_form(struct redactor *r, const char *s, size_t n, const char *label, bool whole_ok)
{
	if (n >= REDACT_MIN_RUN) {
		for (size_t i = 0; i + REDACT_MIN_RUN <= n; i++)
			put_gram(r, hash_window(s + i), label);
		return;
	}
	if (n == 0 || (!whole_ok && n < 4))
		return;
	if (r->nwholes == r->wholes_cap) {
		size_t cap = r->wholes_cap ? 2 * r->wholes_cap : 8;
		r->wholes = arena_realloc(r->a, r->wholes, r->wholes_cap * sizeof *r->wholes, cap * sizeof *r->wholes);
		r->wholes_cap = cap;
	}
	r->wholes[r->nwholes++] = (struct whole){ arena_strndup(r->a, s, n), n, label };
}

/* Base64 of s at each alignment it can have inside a longer text: the
 * characters that depend on s alone (not on the bytes before or after). */
static void add_base64(struct redactor *r, const char *s, size_t n, const char *label)
{
	static const char std[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	for (size_t shift = 0; shift < 3; shift++) {
		size_t len = shift + n, bits = 8 * len;
		char *out = arena_alloc(r->a, len / 3 * 4 + 8), *url = arena_alloc(r->a, len / 3 * 4 + 8);
		size_t o = 0;
		uint32_t acc = 0;
		int have = 0;
		for (size_t i = 0; i < len; i++) {
			acc = (acc << 8) | (i < shift ? 0u : (unsigned char)s[i - shift]);
			have += 8;
			while (have >= 6) {
				have -= 6;
				out[o++] = std[(acc >> have) & 63];
			}
		}
		size_t start = (8 * shift + 5) / 6, end = bits / 6;
		assert(end == o);
		/* When s ends the encoded text, its last character and the
		 * padding depend on s alone too. */
		if (have)
			out[o++] = std[(acc << (6 - have)) & 63];
		while (o % 4)
			out[o++] = '=';
		for (size_t i = start; i < o; i++)
			url[i] = out[i] == '+' ? '-' : out[i] == '/' ? '_' : out[i];
		add_form(r, out + start, o - start, label, false);
		if (memcmp(out + start, url + start, o - start) != 0)
			add_form(r, url + start, o - start, label, false);
	}
}

/* Percent-encoded (both hex cases) and with '/' escaped as JSON may. */
static void add_escaped(struct redactor *r, const char *s, size_t n, const char *label)
{
	static const char *const hex[] = { "0123456789ABCDEF", "0123456789abcdef" };
	bool plain = true, slash = false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
				  c == '-' || c == '.' || c == '_' || c == '~';
		plain &= unreserved;
		slash |= c == '/';
	}
	for (int h = 0; h < 2 && !plain; h++) {
		struct buf b = BUF_INIT;
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)s[i];
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
			    c == '.' || c == '_' || c == '~') {
				buf_putc(&b, (char)c);
			} else {
				buf_putc(&b, '%');
				buf_putc(&b, hex[h][c >> 4]);
				buf_putc(&b, hex[h][c & 15]);
			}
		}
		add_form(r, b.data, b.len, label, false);
		buf_free(&b);
	}
	if (slash) {
		struct buf b = BUF_INIT;
		for (size_t i = 0; i < n; i++) {
			if (s[i] == '/')
				buf_putc(&b, '\\');
			buf_putc(&b, s[i]);
		}
		add_form(r, b.data, b.len, label, false);
		buf_free(&b);
	}
}

struct redactor *redactor_new(struct arena *a)
{
	struct redactor *r = arena_alloc(a, sizeof *r);
	r->a = a;
	return r;
}

void redactor_add(struct redactor *r, const char *s, size_t n, const char *label)
{
	assert(n <= REDACT_MAX_SECRET);
	add_form(r, s, n, label, true);
	add_base64(r, s, n, label);
	add_escaped(r, s, n, label);
}

void redactor_add_pem(struct redactor *r, const char *pem, size_t n, const char *label)
{
	assert(n <= REDACT_MAX_SECRET);
	bool body = false, any = false;
	for (size_t i = 0; i < n;) {
		const char *nl = memchr(pem + i, '\n', n - i);
		size_t len = nl ? (size_t)(nl - (pem + i)) : n - i;
		const char *line = pem + i;
		i += len + (nl ? 1 : 0);
		while (len && (line[len - 1] == '\r' || line[len - 1] == ' '))
			len--;
		if (len >= 5 && !memcmp(line, "-----", 5)) {
			body = len >= 10 && !memcmp(line, "-----BEGIN", 10);
			continue;
		}
		/* Header lines of an encrypted PEM ("Proc-Type: 4,ENCRYPTED")
		 * are not secret, but harmless to take too. */
		if (body && len) {
			add_form(r, line, len, label, false);
			add_escaped(r, line, len, label);
			any = true;
		}
	}
	if (!any)
		add_form(r, pem, n, label, true); /* not PEM: the whole text */
	add_base64(r, pem, n, label);
}

/* Length of the secret at s[0..n), 0 if none; *label set. */
static size_t match_at(const struct redactor *r, const char *s, size_t n, const char **label)
{
	size_t best = 0;
	for (size_t w = 0; w < r->nwholes; w++)
		if (r->wholes[w].n > best && r->wholes[w].n <= n && !memcmp(s, r->wholes[w].s, r->wholes[w].n)) {
			best = r->wholes[w].n;
			*label = r->wholes[w].label;
		}
	if (n < REDACT_MIN_RUN)
		return best;
	const struct gram *g = get_gram(r, s);
	if (!g)
		return best;
	size_t j = 1;
	while (j + REDACT_MIN_RUN <= n && get_gram(r, s + j))
		j++;
	size_t run = j - 1 + REDACT_MIN_RUN;
	if (run > best) {
		best = run;
		*label = g->label;
	}
	return best;
}

const char *redact(const struct redactor *r, const char *s, size_t n, size_t max)
{
	struct buf b = BUF_INIT;
	size_t i = 0;
	while (i < n && b.len < max) {
		const char *label = NULL;
		size_t m = match_at(r, s + i, n - i, &label);
		if (m) {
			buf_puts(&b, label);
			i += m;
			continue;
		}
		unsigned char c = (unsigned char)s[i++];
		buf_putc(&b, c >= 0x20 && c != 0x7f ? (char)c : '?');
	}
	if (i < n)
		buf_puts(&b, "...");
	const char *out = arena_strdup(r->a, b.len ? buf_cstr(&b) : "");
	buf_free(&b);
	return out;
}
