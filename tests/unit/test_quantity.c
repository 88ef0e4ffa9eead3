/* test_quantity.c - Kubernetes quantities, against the values Kubernetes
 * documents ("Resource Management for Pods and Containers": 128974848,
 * 129e6, 129M, 128974848000m and 123Mi are all about the same memory;
 * 0.1 CPU is 100m) and apimachinery's quantity_test.go cases. */
#include "quantity.h"
#include "unit.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

static bool parse(const char *s, struct quantity *q)
{
	const char *why = NULL;
	return quantity_parse(s, strlen(s), q, &why);
}

/* s parses to exactly units + nanos/1e9 (negative when neg). */
static void exact(const char *s, bool neg, long long units, long nanos)
{
	struct quantity q;
	char name[128];
	snprintf(name, sizeof name, "quantity '%s' = %s%lld + %ldn", s, neg ? "-" : "", units, nanos);
	CHECK(name, parse(s, &q) && q.negative == neg && q.units == units && q.nanos == nanos);
}

static void bad(const char *s)
{
	struct quantity q;
	const char *why = NULL;
	char name[128];
	snprintf(name, sizeof name, "quantity '%s' is refused with a reason", s);
	CHECK(name, !quantity_parse(s, strlen(s), &q, &why) && why && *why);
}

static void test_documented(void)
{
	/* kubernetes.io: "the following represent roughly the same value" */
	exact("128974848", false, 128974848, 0);
	exact("129e6", false, 129000000, 0);
	exact("129M", false, 129000000, 0);
	exact("128974848000m", false, 128974848, 0);
	exact("123Mi", false, 128974848, 0);
	/* "0.1 is equivalent to the expression 100m" */
	struct quantity a, b;
	CHECK("0.1 == 100m", parse("0.1", &a) && parse("100m", &b) && quantity_cmp(&a, &b) == 0);
	CHECK("milli of 0.1 is 100", parse("0.1", &a) && quantity_milli(&a) == 100);
	/* "400m of memory is 0.4 bytes" */
	exact("400m", false, 0, 400000000);
	CHECK("ceil of 400m is 1 byte", parse("400m", &a) && quantity_ceil(&a) == 1);
}

static void test_suffixes(void)
{
	exact("1Ki", false, 1024, 0);
	exact("1Mi", false, 1048576, 0);
	exact("1Gi", false, 1073741824, 0);
	exact("35Ti", false, 38482906972160LL, 0);
	exact("1500Gi", false, 1610612736000LL, 0);
	exact("1Pi", false, 1125899906842624LL, 0);
	exact("7Ei", false, 8070450532247928832LL, 0);
	exact("1k", false, 1000, 0);
	exact("1G", false, 1000000000, 0);
	exact("1T", false, 1000000000000LL, 0);
	exact("1P", false, 1000000000000000LL, 0);
	exact("1E", false, 1000000000000000000LL, 0);
	exact("500m", false, 0, 500000000);
	exact("5u", false, 0, 5000);
	exact("100n", false, 0, 100);
	exact("1.5Gi", false, 1610612736, 0);
	exact("0.5Ki", false, 512, 0);
	exact("1e3", false, 1000, 0);
	exact("1E3", false, 1000, 0);
	exact("1e+3", false, 1000, 0);
	exact("1e-3", false, 0, 1000000);
	exact("1.5e3", false, 1500, 0);
	exact("2.5E-1", false, 0, 250000000);
}

static void test_numbers(void)
{
	exact("0", false, 0, 0);
	exact("-0", false, 0, 0);
	exact("+5", false, 5, 0);
	exact("-5", true, 5, 0);
	exact("-1.5", true, 1, 500000000);
	exact("5.", false, 5, 0);
	exact(".5", false, 0, 500000000);
	exact("0005", false, 5, 0);
	exact("1.000000001", false, 1, 1);
	/* Below Kubernetes' precision: rounded up to 1n, away from zero. */
	exact("0.0000000001", false, 0, 1);
	exact("1.0000000001", false, 1, 1);
	exact("-0.0000000001", true, 0, 1);
	exact("1e-999999999999", false, 0, 1);
	exact("0e999999999999", false, 0, 0);
	exact("9223372036854775807", false, LLONG_MAX, 0);
	exact("9223372036854775807.999999999", false, LLONG_MAX, 999999999);
	/* Many digits, exact while they fit. */
	exact("0.000000000000000000000000000000000000000000000000000000000000000000000000001Ki", false, 0, 1);
	exact("100000000000000000000000000000000e-30", false, 100, 0);
}

static void test_invalid(void)
{
	bad("");
	bad("35TB");
	bad("1 Gi");
	bad(" 1");
	bad("1.1.M");
	bad("1+1.0M");
	bad("0.1mi");
	bad("0.1am");
	bad("aoeu");
	bad("1i");
	bad("-3.01i");
	bad("1e");
	bad("1E+");
	bad("1K");
	bad("1KiB");
	bad("Ki");
	bad(".");
	bad("-");
	bad("1e99999999999999999999");
	bad("9223372036854775808");
	bad("8Ei");
	bad("10E");
	bad("1e19");
	bad("99999999999999999999999999999999999999999999999999");
}

static void test_compare(void)
{
	struct quantity a, b;
	CHECK("16Gi < 32Gi", parse("16Gi", &a) && parse("32Gi", &b) && quantity_cmp(&a, &b) < 0);
	CHECK("1 > 999m", parse("1", &a) && parse("999m", &b) && quantity_cmp(&a, &b) > 0);
	CHECK("-1 < 0", parse("-1", &a) && parse("0", &b) && quantity_cmp(&a, &b) < 0);
	CHECK("-2 < -1", parse("-2", &a) && parse("-1", &b) && quantity_cmp(&a, &b) < 0);
	CHECK("1Ki == 1024", parse("1Ki", &a) && parse("1024", &b) && quantity_cmp(&a, &b) == 0);
	CHECK("milli of 4 is 4000", parse("4", &a) && quantity_milli(&a) == 4000);
	CHECK("milli of 1n is 1 (rounded up)", parse("1n", &a) && quantity_milli(&a) == 1);
	CHECK("ceil of 1.5 is 2", parse("1.5", &a) && quantity_ceil(&a) == 2);
	CHECK("milli saturates", parse("9223372036854775807", &a) && quantity_milli(&a) == LLONG_MAX);
}

int main(void)
{
	test_documented();
	test_suffixes();
	test_numbers();
	test_invalid();
	test_compare();
	return UNIT_DONE();
}
