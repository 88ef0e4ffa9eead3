/* yaml11.c - plain scalars typed as PyYAML (YAML 1.1) types them. */
#include "yaml11.h"
#include "arena.h"
#include "diag.h"

#include <errno.h>
#include <math.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

/* PyYAML's implicit resolvers (yaml/resolver.py), in POSIX ERE. */
static const char *const bool_re =
	"^(yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$";
static const char *const int_re =
	"^([-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+"
	"|[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+)$";
static const char *const float_re =
	"^([-+]?([0-9][0-9_]*)\\.[0-9_]*([eE][-+][0-9]+)?|\\.[0-9][0-9_]*([eE][-+][0-9]+)?"
	"|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN))$";
static const char *const null_re = "^(~|null|Null|NULL|)$";
static const char *const timestamp_re =
	"^([0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
	"|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?([Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](\\.[0-9]*)?"
	"([ \t]*(Z|[-+][0-9][0-9]?(:[0-9][0-9])?))?)$";

enum { RE_BOOL, RE_INT, RE_FLOAT, RE_NULL, RE_TIMESTAMP, RE_N };

struct yaml11 {
	regex_t re[RE_N];
	/* line starts of the last source looked at: marks -> text */
	const struct source *src;
	size_t *lines, nlines;
};

struct yaml11 *yaml11_new(void)
{
	static const char *const src[RE_N] = { bool_re, int_re, float_re, null_re, timestamp_re };
	struct yaml11 *y = xcalloc(1, sizeof *y);
	for (int i = 0; i < RE_N; i++) {
		if (regcomp(&y->re[i], src[i], REG_EXTENDED | REG_NOSUB) != 0) {
			while (i-- > 0)
				regfree(&y->re[i]);
			free(y);
			return NULL;
		}
	}
	return y;
}

void yaml11_free(struct yaml11 *y)
{
	if (!y)
		return;
	for (int i = 0; i < RE_N; i++)
		regfree(&y->re[i]);
	free(y->lines);
	free(y);
}

/* "1_000" -> "1000", lower-cased when asked; false if it does not fit. */
static bool strip(const char *s, char *out, size_t cap, bool lower)
{
	size_t n = 0;
	for (; *s; s++) {
		if (*s == '_')
			continue;
		if (n + 1 >= cap)
			return false;
		out[n++] = lower && *s >= 'A' && *s <= 'Z' ? (char)(*s - 'A' + 'a') : *s;
	}
	out[n] = '\0';
	return true;
}

/* Base-60 "1:20:30" (sign already taken off); false on overflow. */
static bool sexagesimal(const char *s, double *out)
{
	double v = 0;
	for (const char *p = s; *p;) {
		char *end;
		double part = strtod(p, &end);
		if (end == p)
			return false;
		v = v * 60 + part;
		p = *end == ':' ? end + 1 : end;
		if (*end && *end != ':')
			break;
	}
	*out = v;
	return isfinite(v);
}

/* PyYAML's construct_yaml_int.  NULL when the value does not fit 64 bits
 * (left as it was: such numbers are not in manifests). */
static struct value *make_int(struct arena *a, const struct mark *m, const char *text)
{
	char buf[128];
	if (!strip(text, buf, sizeof buf, false))
		return NULL;
	const char *p = buf;
	int sign = 1;
	if (*p == '-')
		sign = -1;
	if (*p == '+' || *p == '-')
		p++;
	long long v;
	errno = 0;
	char *end = NULL;
	if (!strcmp(p, "0")) {
		v = 0;
	} else if (!strncmp(p, "0b", 2)) {
		v = strtoll(p + 2, &end, 2);
	} else if (!strncmp(p, "0x", 2)) {
		v = strtoll(p + 2, &end, 16);
	} else if (p[0] == '0') {
		v = strtoll(p, &end, 8);
	} else if (strchr(p, ':')) {
		double d;
		if (!sexagesimal(p, &d) || d > 9.2e18)
			return NULL;
		v = (long long)d;
	} else {
		v = strtoll(p, &end, 10);
	}
	if (errno || (end && (*end || end == p)))
		return NULL;
	return v_int(a, m, sign * v);
}

/* PyYAML's construct_yaml_float. */
static struct value *make_float(struct arena *a, const struct mark *m, const char *text)
{
	char buf[128];
	if (!strip(text, buf, sizeof buf, true))
		return NULL;
	const char *p = buf;
	double sign = 1;
	if (*p == '-')
		sign = -1;
	if (*p == '+' || *p == '-')
		p++;
	double v;
	if (!strcmp(p, ".inf")) {
		v = INFINITY;
	} else if (!strcmp(p, ".nan")) {
		v = NAN;
	} else if (strchr(p, ':')) {
		if (!sexagesimal(p, &v))
			return NULL;
	} else {
		char *end;
		v = strtod(p, &end);
		if (*end)
			return NULL;
	}
	return v_float(a, m, sign * v);
}

static bool match(const regex_t *re, const char *s)
{
	return regexec(re, s, 0, NULL, 0) == 0;
}

/* The node for plain text `s` as PyYAML types it; NULL: a string. */
static struct value *resolve(struct yaml11 *y, struct arena *a, const struct mark *m, const char *s)
{
	if (match(&y->re[RE_BOOL], s))
		return v_bool(a, m, s[0] == 'y' || s[0] == 'Y' || s[0] == 't' || s[0] == 'T' ||
					    ((s[0] == 'o' || s[0] == 'O') && (s[1] == 'n' || s[1] == 'N')));
	if (match(&y->re[RE_FLOAT], s))
		return make_float(a, m, s);
	if (match(&y->re[RE_INT], s))
		return make_int(a, m, s);
	if (match(&y->re[RE_NULL], s))
		return v_null(a, m);
	return NULL;
}

/* The source text of a scalar the YAML 1.2 loader typed (an integer or a
 * float: one token without spaces), from its mark; NULL if not found. */
static const char *token_at(struct yaml11 *y, struct arena *a, const struct diags *d, const struct mark *m)
{
	if (!m->file || m->line < 1 || m->col < 1)
		return NULL;
	const struct source *src = diags_find_source(d, m->file);
	if (!src)
		return NULL;
	if (src != y->src) {
		free(y->lines);
		y->lines = NULL;
		y->nlines = 0;
		size_t cap = 0;
		for (size_t i = 0; i <= src->len; i++) {
			if (i == 0 || src->text[i - 1] == '\n') {
				if (y->nlines == cap) {
					cap = cap ? cap * 2 : 256;
					y->lines = xrealloc(y->lines, cap * sizeof *y->lines);
				}
				y->lines[y->nlines++] = i;
			}
		}
		y->src = src;
	}
	if ((size_t)m->line > y->nlines)
		return NULL;
	size_t at = y->lines[m->line - 1] + (size_t)m->col - 1;
	const char *p = src->text + at, *end = src->text + src->len;
	if (p >= end)
		return NULL;
	/* An anchor or a tag before the scalar: skip it. */
	while (p < end && (*p == '&' || *p == '!')) {
		while (p < end && *p != ' ' && *p != '\t' && *p != '\n')
			p++;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
	}
	const char *q = p;
	while (q < end && ((*q >= '0' && *q <= '9') || (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
			   *q == '-' || *q == '+' || *q == '.' || *q == '_' || *q == ':'))
		q++;
	/* "1:" would be a key; a plain scalar does not end with ':'. */
	while (q > p && q[-1] == ':')
		q--;
	if (q == p)
		return NULL;
	return arena_strndup(a, p, (size_t)(q - p));
}

bool yaml11_is_timestamp(struct yaml11 *y, const struct value *v)
{
	return v->kind == V_STRING && !(v->flags & VF_QUOTED) && strlen(v->str.s) == v->str.len &&
	       v->str.len >= 10 && match(&y->re[RE_TIMESTAMP], v->str.s);
}

/* Is t the spelling the YAML 1.2 loader read as v?  (Guards against a
 * mark that does not lead to the scalar's text.) */
static bool same_as_loaded(const struct value *v, const char *t)
{
	const char *p = t;
	int sign = 1;
	if (*p == '-' || *p == '+')
		sign = *p++ == '-' ? -1 : 1;
	char *end;
	errno = 0;
	if (v->kind == V_INT) {
		long long x;
		if (!strncmp(p, "0o", 2))
			x = strtoll(p + 2, &end, 8);
		else if (!strncmp(p, "0x", 2))
			x = strtoll(p + 2, &end, 16);
		else
			x = strtoll(p, &end, 10);
		return !errno && !*end && end != p && sign * x == v->i;
	}
	if (!strcmp(p, ".inf") || !strcmp(p, ".Inf") || !strcmp(p, ".INF"))
		return isinf(v->f) && (v->f < 0) == (sign < 0);
	if (!strcmp(p, ".nan") || !strcmp(p, ".NaN") || !strcmp(p, ".NAN"))
		return isnan(v->f);
	double x = strtod(p, &end);
	return !*end && end != p && sign * x == v->f;
}

const struct value *yaml11_retype(struct yaml11 *y, struct arena *a, const struct diags *d,
				  const struct value *v)
{
	switch (v->kind) {
	case V_STRING: {
		if (v->flags & VF_QUOTED || strlen(v->str.s) != v->str.len)
			return v;
		struct value *r = resolve(y, a, &v->mark, v->str.s);
		return r ? r : v;
	}
	case V_INT:
	case V_FLOAT: {
		const char *t = token_at(y, a, d, &v->mark);
		if (!t || !same_as_loaded(v, t))
			return v;
		struct value *r = resolve(y, a, &v->mark, t);
		return r ? r : v_str(a, &v->mark, t);
	}
	case V_SEQ: {
		struct value *out = NULL;
		for (size_t i = 0; i < v->seq.n; i++) {
			const struct value *it = yaml11_retype(y, a, d, v->seq.items[i]);
			if (it != v->seq.items[i] && !out) {
				out = v_seq(a, &v->mark);
				for (size_t j = 0; j < i; j++)
					seq_push(a, out, v->seq.items[j]);
			}
			if (out)
				seq_push(a, out, (struct value *)it);
		}
		return out ? out : v;
	}
	case V_MAP: {
		struct value *out = NULL;
		for (size_t i = 0; i < v->map.n; i++) {
			const struct pair *p = &v->map.items[i];
			const struct value *it = yaml11_retype(y, a, d, p->val);
			if (it != p->val && !out) {
				out = v_map(a, &v->mark);
				for (size_t j = 0; j < i; j++)
					map_put(a, out, v->map.items[j].key, v->map.items[j].val);
			}
			if (out)
				map_put(a, out, p->key, (struct value *)it);
		}
		if (out)
			out->flags = v->flags;
		return out ? out : v;
	}
	default:
		return v;
	}
}

/* Does YAML 1.2 (asbgen's reading) take plain text t as a number?
 * [-+]? then 0o777, 0xFF, or digits with an optional fraction and
 * exponent. */
static bool yaml12_number(const char *t)
{
	const char *p = t + (*t == '-' || *t == '+');
	if (p[0] == '0' && (p[1] == 'o' || p[1] == 'x')) {
		const char *digits = p[1] == 'o' ? "01234567" : "0123456789abcdefABCDEF";
		return p[2] && strspn(p + 2, digits) == strlen(p + 2);
	}
	size_t n = strspn(p, "0123456789");
	p += n;
	if (*p == '.') {
		size_t f = strspn(p + 1, "0123456789");
		n += f;
		p += 1 + f;
	}
	if (!n)
		return false;
	if (*p == 'e' || *p == 'E') {
		p += 1 + (p[1] == '-' || p[1] == '+');
		size_t e = strspn(p, "0123456789");
		if (!e)
			return false;
		p += e;
	}
	return *p == '\0';
}

/* The engine's hint for a YAML typing surprise quotes the value as it
 * prints it (true): give the spelling written (yes) and say who reads it
 * so, since asbgen's own YAML 1.2 reading would not. */
const char *yaml11_hint(struct yaml11 *y, struct arena *a, const struct diags *d, const struct diag *g)
{
	const char *lead = "YAML reads this as ";
	struct mark m = { g->file, g->line, g->col };
	if (!strcmp(g->id, "schema-type") && strstr(g->msg, "got string '") &&
	    (strstr(g->msg, "expected an integer") || strstr(g->msg, "expected a number"))) {
		/* A plain 0o10 or 1e3: a number to asbgen, a string to YAML 1.1.
		 * The engine's own hint ("remove the quotes", for 1e3) does not
		 * fit a value written without quotes; a quoted one has no token. */
		const char *t = token_at(y, a, d, &m);
		return t && yaml12_number(t) ? arena_printf(a, "Kubernetes tools (YAML 1.1) read %s as a string; "
				       "write the number in decimal", t)
			 : g->hint;
	}
	if (!g->hint || strncmp(g->hint, lead, strlen(lead)) != 0)
		return g->hint;
	const char *t = token_at(y, a, d, &m);
	if (!t)
		return g->hint;
	const char *what = g->hint + strlen(lead);
	size_t wn = strcspn(what, ";");
	return arena_printf(a, "Kubernetes tools (YAML 1.1) read %s as %.*s; quote it to pass a string: \"%s\"",
			    t, (int)wn, what, t);
}
