/* test_dns1123.c - Kubernetes' DNS-1123 label and subdomain rules. */
#include <string.h>

#include "dns1123.h"
#include "unit.h"

static bool label(const char *s) { return dns1123_label(s, strlen(s)); }
static bool sub(const char *s) { return dns1123_subdomain(s, strlen(s)); }

int main(void)
{
	char l63[64], l64[65], d253[254], d254[255];
	memset(l63, 'a', 63);
	l63[63] = '\0';
	memset(l64, 'a', 64);
	l64[64] = '\0';
	/* 4 labels of 63 and a 1-character one: 63*4 + 4 dots + 1 = 257; build 253 exactly */
	for (size_t i = 0; i < 253; i++)
		d253[i] = (i % 64 == 63) ? '.' : 'a';
	d253[253] = '\0';
	memcpy(d254, d253, 253);
	d254[253] = 'a';
	d254[254] = '\0';

	CHECK("label: letters, digits, inner '-'", label("a") && label("0") && label("kafka-0") && label("a--b"));
	CHECK("label: 63 characters, not 64", label(l63) && !label(l64));
	CHECK("label: not empty, no capitals, no '_' or '.'", !label("") && !label("Kafka") && !label("a_b") && !label("a.b"));
	CHECK("label: no '-' at either end", !label("-a") && !label("a-"));
	CHECK("label: a prefix by length", dns1123_label("abc.def", 3) && !dns1123_label("abc.def", 4));
	CHECK("subdomain: labels joined by dots", sub("a") && sub("alerts.v7-1") && sub("lsst-alerts-v7.1"));
	CHECK("subdomain: each label by the label rule", !sub("a..b") && !sub("x.-y") && !sub(".a") && !sub("a.") &&
								!sub("a.B") && !sub("a.b-"));
	/* IsDNS1123Subdomain bounds the whole name (253), not each part. */
	char a64[67] = "a.";
	memcpy(a64 + 2, l64, 65);
	CHECK("subdomain: a part of 64 is fine (only the whole is bounded)", sub(l64) && sub(a64));
	CHECK("subdomain: 253 characters, not 254", sub(d253) && !sub(d254));
	CHECK("subdomain: empty", !sub("") && !dns1123_subdomain("a", 0));
	CHECK("subdomain: a prefix by length", dns1123_subdomain("example.org/name", 11));
	return UNIT_DONE();
}
