/* quantity.h - Kubernetes resource quantities ("35Ti", "1500Gi", "500m",
 * "1e3"), parsed as k8s.io/apimachinery's resource.ParseQuantity does.
 *
 * Grammar (from apimachinery's quantity.go):
 *   quantity  ::= [+-] number suffix
 *   number    ::= digits | digits "." [digits] | "." digits
 *   suffix    ::= "" | Ki Mi Gi Ti Pi Ei | n u m k M G T P E
 *               | (e|E) [+-] digits          (a decimal exponent)
 * Values are kept exactly, in nano-units (Kubernetes' own precision: a
 * value below 1n rounds up to 1n).  Where Kubernetes silently caps a value
 * at 2^63-1 units, this parser reports it out of range instead.
 */
#ifndef ASBGEN_QUANTITY_H
#define ASBGEN_QUANTITY_H

#include <stdbool.h>
#include <stddef.h>

struct quantity {
	bool negative;
	long long units; /* whole units (bytes, cores), >= 0 */
	long nanos;      /* 0..999999999 billionths of a unit */
};

/* Parse s[0..n).  Returns true, or false with *why set to a static
 * explanation ("unknown suffix 'TB'", ...). */
bool quantity_parse(const char *s, size_t n, struct quantity *q, const char **why);

/* <0, 0, >0 */
int quantity_cmp(const struct quantity *a, const struct quantity *b);

/* Whole units, rounded up as Kubernetes' Value() does; (0 if negative). */
long long quantity_ceil(const struct quantity *q);

/* Thousandths of a unit, rounded up (MilliValue()); for CPU. */
long long quantity_milli(const struct quantity *q);

struct value;
/* A tree's scalar as a quantity ("35Ti", "1000Gi", "500m", "1e3", 4),
 * exactly (compare with quantity_cmp).  false when v is not one. */
bool quantity_value(const struct value *v, struct quantity *out);

#endif
