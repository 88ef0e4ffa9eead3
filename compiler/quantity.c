/* quantity.c - Kubernetes resource quantities, exactly (see quantity.h). */
#include "quantity.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "value.h"

/* Exact arithmetic in nano-units needs more than 64 bits: 2^63-1 units is
 * about 9.2e27 nano-units.  GCC and Clang both provide this type. */
typedef unsigned __int128 u128;

#define NANO 1000000000u
#define U128_MAX (~(u128)0)

struct num {
	u128 mant;        /* significant digits */
	long long exp10;  /* value = mant * 10^exp10 (before the suffix) */
	bool sticky;      /* a nonzero digit was dropped below mant */
};

/* Take one decimal digit; beyond 128 bits, digits are dropped (an integer
 * digit then scales the exponent) and only remembered for rounding up. */
static void take_digit(struct num *x, int d, bool fraction)
{
	if (x->mant > (U128_MAX - (u128)d) / 10) {
		if (!fraction)
			x->exp10++;
		x->sticky |= d != 0;
		return;
	}
	x->mant = x->mant * 10 + (u128)d;
	if (fraction)
		x->exp10--;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* The suffix's base and exponent, as apimachinery's suffixer interprets it. */
static bool interpret_suffix(const char *s, size_t n, int *bin, long long *dec, const char **why)
{
	static const struct { const char *s; int bin, dec; } table[] = {
		{ "", 0, 0 }, { "n", 0, -9 }, { "u", 0, -6 }, { "m", 0, -3 },
		{ "k", 0, 3 }, { "M", 0, 6 }, { "G", 0, 9 }, { "T", 0, 12 }, { "P", 0, 15 }, { "E", 0, 18 },
		{ "Ki", 10, 0 }, { "Mi", 20, 0 }, { "Gi", 30, 0 }, { "Ti", 40, 0 }, { "Pi", 50, 0 }, { "Ei", 60, 0 },
	};
	*bin = 0;
	*dec = 0;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (strlen(table[i].s) == n && memcmp(table[i].s, s, n) == 0) {
			*bin = table[i].bin;
			*dec = table[i].dec;
			return true;
		}
	if (n > 1 && (s[0] == 'e' || s[0] == 'E')) {
		/* strconv.ParseInt(s[1:], 10, 64): an optional sign, then digits. */
		size_t i = 1;
		bool neg = false;
		if (s[i] == '+' || s[i] == '-')
			neg = s[i++] == '-';
		if (i == n) {
			*why = "the exponent has no digits";
			return false;
		}
		long long e = 0;
		for (; i < n; i++) {
			if (!is_digit(s[i])) {
				*why = "unknown suffix";
				return false;
			}
			if (e > (LLONG_MAX - 9) / 10) {
				*why = "the exponent does not fit in 64 bits";
				return false;
			}
			e = e * 10 + (s[i] - '0');
		}
		*dec = neg ? -e : e;
		return true;
	}
	*why = "unknown suffix";
	return false;
}

bool quantity_parse(const char *s, size_t n, struct quantity *q, const char **why)
{
	memset(q, 0, sizeof *q);
	if (n == 0) {
		*why = "empty quantity";
		return false;
	}
	size_t i = 0;
	bool neg = false;
	if (s[i] == '+' || s[i] == '-')
		neg = s[i++] == '-';
	struct num x = { 0, 0, false };
	size_t digits = 0;
	for (; i < n && is_digit(s[i]); i++, digits++)
		take_digit(&x, s[i] - '0', false);
	if (i < n && s[i] == '.')
		for (i++; i < n && is_digit(s[i]); i++, digits++)
			take_digit(&x, s[i] - '0', true);
	/* Kubernetes reads a quantity without digits ("-", ".", "Ki") as 0;
	 * asbgen refuses it: it is always a mistake in a spec. */
	if (digits == 0) {
		*why = "no digits before the suffix";
		return false;
	}
	/* The suffix: letters of "eEinumkKMGTP", then an optional sign and
	 * digits (an exponent), and nothing after. */
	size_t suf = i;
	while (i < n && strchr("eEinumkKMGTP", s[i]) && s[i])
		i++;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	while (i < n && is_digit(s[i]))
		i++;
	if (i != n) {
		*why = memchr(s, ' ', n) ? "a space is not allowed" : "unknown suffix";
		return false;
	}
	int bin;
	long long dec;
	if (!interpret_suffix(s + suf, n - suf, &bin, &dec, why))
		return false;

	/* value in nano-units = mant * 2^bin * 10^(exp10 + dec + 9) */
	u128 m = x.mant;
	long long e = x.exp10;
	bool sticky = x.sticky;
	while (bin && m > (U128_MAX >> bin)) { /* keep room for the binary factor */
		sticky |= m % 10 != 0;
		m /= 10;
		e++;
	}
	m <<= bin;
	/* The exponent may be huge ("1e-999999"): clamp it, the result is
	 * the same (0 rounds up to 1n, or the value is out of range). */
	long long scale = dec;
	if (scale > 1000)
		scale = 1000;
	if (scale < -1000)
		scale = -1000;
	e += scale + 9;
	for (; e > 0 && m; e--) {
		if (m > U128_MAX / 10) {
			*why = "too large: more than 2^63-1 units (Kubernetes would silently cap it)";
			return false;
		}
		m *= 10;
	}
	for (; e < 0 && m; e++) {
		sticky |= m % 10 != 0;
		m /= 10;
	}
	/* Kubernetes rounds away from zero to its nano precision. */
	if (sticky)
		m++;
	const u128 max = (u128)LLONG_MAX * NANO + (NANO - 1);
	if (m > max) {
		*why = "too large: more than 2^63-1 units (Kubernetes would silently cap it)";
		return false;
	}
	q->units = (long long)(m / NANO);
	q->nanos = (long)(m % NANO);
	q->negative = neg && m != 0;
	return true;
}

int quantity_cmp(const struct quantity *a, const struct quantity *b)
{
	if (a->negative != b->negative)
		return a->negative ? -1 : 1;
	int c = a->units != b->units ? (a->units < b->units ? -1 : 1)
				    : a->nanos != b->nanos ? (a->nanos < b->nanos ? -1 : 1) : 0;
	return a->negative ? -c : c;
}

long long quantity_ceil(const struct quantity *q)
{
	if (q->negative)
		return -q->units;
	if (q->nanos && q->units == LLONG_MAX)
		return LLONG_MAX;
	return q->units + (q->nanos ? 1 : 0);
}

long long quantity_milli(const struct quantity *q)
{
	long long milli = (q->nanos + 999999) / 1000000;
	if (q->negative)
		milli = -(q->nanos / 1000000);
	if (q->units > (LLONG_MAX - 1000) / 1000)
		return q->negative ? LLONG_MIN : LLONG_MAX;
	long long u = q->units * 1000;
	return q->negative ? -u + milli : u + milli;
}

bool quantity_value(const struct value *v, struct quantity *out)
{
	/* Exactly, as Kubernetes compares them: in floating point, "1Ei" and
	 * "1Ei" plus one byte are equal, and the result depends on how wide
	 * long double is (Valgrind, other architectures). */
	const char *why;
	char num[64];
	if (!v)
		return false;
	if (v->kind == V_INT) {
		snprintf(num, sizeof num, "%lld", (long long)v->i);
		return quantity_parse(num, strlen(num), out, &why);
	}
	if (v->kind == V_FLOAT) {
		if (!isfinite(v->f))
			return false;
		snprintf(num, sizeof num, "%.17g", v->f);
		return quantity_parse(num, strlen(num), out, &why);
	}
	if (v->kind != V_STRING)
		return false;
	return quantity_parse(v->str.s, v->str.len, out, &why);
}
