/* check_network.c - the external listener: one override per broker, valid
 * and unique host names and IPs, what TLS needs, and on bare metal that
 * every pinned IP lies in the MetalLB pool's range. */
#include "check.h"
#include "arena.h"
#include "schema.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *ip_text(struct check *c, uint32_t ip)
{
	return arena_printf(c->a, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
}

/* The MetalLB pool: "a.b.c.d/n" or "a.b.c.d-e.f.g.h". */
static bool parse_range(struct check *c, const struct value *v, uint32_t *lo, uint32_t *hi)
{
	const char *s = v->str.s;
	const char *slash = strchr(s, '/'), *dash = strchr(s, '-');
	const char *hint = "write a CIDR (134.79.23.0/24) or a range of two addresses (10.0.0.10-10.0.0.20)";
	if (slash) {
		char *end;
		const char *bits = slash + 1;
		long n = strtol(bits, &end, 10);
		uint32_t ip;
		if (!schema_ipv4_parse(s, (size_t)(slash - s), &ip) || end == bits || *end || n < 0 || n > 32 ||
		    (bits[0] == '0' && bits[1])) {
			check_error(c, v, "address-range", hint, "platform.bareMetal.addressRange: '%s' is not a valid CIDR", s);
			return false;
		}
		uint32_t mask = n ? ~(uint32_t)0 << (32 - n) : 0;
		*lo = ip & mask;
		*hi = *lo | ~mask;
		return true;
	}
	if (dash) {
		if (!schema_ipv4_parse(s, (size_t)(dash - s), lo) || !schema_ipv4_parse(dash + 1, strlen(dash + 1), hi)) {
			check_error(c, v, "address-range", hint, "platform.bareMetal.addressRange: '%s' is not a valid address range", s);
			return false;
		}
		if (*lo > *hi) {
			check_error(c, v, "address-range", "write the lower address first",
				    "platform.bareMetal.addressRange: '%s' ends before it starts", s);
			return false;
		}
		return true;
	}
	check_error(c, v, "address-range", hint, "platform.bareMetal.addressRange: '%s' is neither a CIDR nor a range", s);
	return false;
}

/* One listener address: the bootstrap or a broker override. */
struct endpoint {
	const char *what;        /* "external.bootstrap", "external.brokers[2]" */
	const struct value *node;
	const struct value *host, *ip;
	uint32_t addr;
	bool addr_ok;
};

static void check_endpoint_values(struct check *c, struct endpoint *e, bool have_range, uint32_t lo, uint32_t hi,
				  const struct value *range)
{
	if (e->host && e->host->kind == V_STRING && !check_hostname(e->host->str.s))
		check_error(c, e->host, "external-host",
			    "a DNS name: dot-separated labels of letters, digits and '-', at most 63 each and 253 in all",
			    "%s.host: '%s' is not a valid DNS name", e->what, e->host->str.s);
	if (e->ip && e->ip->kind == V_STRING) {
		e->addr_ok = schema_ipv4_parse(e->ip->str.s, e->ip->str.len, &e->addr);
		if (!e->addr_ok)
			check_error(c, e->ip, "external-ip", "write an IPv4 address: four numbers 0-255, no leading zeros",
				    "%s.ip: '%s' is not a valid IPv4 address", e->what, e->ip->str.s);
		else if (have_range && (e->addr < lo || e->addr > hi))
			check_error(c, e->ip, "address-outside",
				    "MetalLB only hands out addresses of its pool: use an address in the range, or widen platform.bareMetal.addressRange",
				    "%s.ip: %s is outside the MetalLB pool's range %s (%sline %d)", e->what, e->ip->str.s,
				    range->str.s, strchr(range->str.s, '/') ? arena_printf(c->a, "%s-%s, ", ip_text(c, lo), ip_text(c, hi)) : "",
				    range->mark.line);
	}
}

void check_network(struct check *c)
{
	const struct value *ext = map_get(c->spec, "external");
	uint32_t lo = 0, hi = 0;
	bool have_range = false;
	const struct value *range = v_path(c->spec, "platform.bareMetal.addressRange");
	if (!c->gke && range && range->kind == V_STRING)
		have_range = parse_range(c, range, &lo, &hi);

	const struct value *boot = map_get(ext, "bootstrap"), *brokers = map_get(ext, "brokers");
	size_t nb = brokers && brokers->kind == V_SEQ ? brokers->seq.n : 0;
	struct endpoint *eps = arena_alloc(c->a, (nb + 1) * sizeof *eps);
	eps[0] = (struct endpoint){ "external.bootstrap", boot, map_get(boot, "host"), map_get(boot, "ip"), 0, false };
	for (size_t i = 0; i < nb; i++) {
		const struct value *x = brokers->seq.items[i];
		eps[i + 1] = (struct endpoint){ arena_printf(c->a, "external.brokers[%zu]", i), x, map_get(x, "host"),
						map_get(x, "ip"), 0, false };
	}
	for (size_t i = 0; i <= nb; i++)
		check_endpoint_values(c, &eps[i], have_range, lo, hi, range);

	/* Hosts and IPs are unique across the bootstrap and the brokers. */
	for (size_t i = 1; i <= nb; i++)
		for (size_t j = 0; j < i; j++) {
			const struct endpoint *a = &eps[i], *b = &eps[j];
			if (a->host && b->host && a->host->kind == V_STRING && b->host->kind == V_STRING &&
			    !strcasecmp(a->host->str.s, b->host->str.s)) {
				check_error(c, a->host, "external-host-duplicate",
					    "each broker advertises its own host, and the bootstrap has its own",
					    "%s.host: '%s' is also %s's (line %d)", a->what, a->host->str.s, b->what, b->host->mark.line);
				break;
			}
		}
	for (size_t i = 1; i <= nb; i++)
		for (size_t j = 0; j < i; j++) {
			const struct endpoint *a = &eps[i], *b = &eps[j];
			if (a->addr_ok && b->addr_ok && a->addr == b->addr) {
				check_error(c, a->ip, "external-ip-duplicate",
					    "each load balancer needs its own address",
					    "%s.ip: %s is also %s's (line %d)", a->what, a->ip->str.s, b->what, b->ip->mark.line);
				break;
			}
		}

	/* Exactly one override per broker node id. */
	for (size_t i = 1; i <= nb; i++) {
		const struct value *id = map_get(eps[i].node, "nodeId");
		if (!id || id->kind != V_INT)
			continue;
		bool dup = false;
		for (size_t j = 1; j < i && !dup; j++) {
			const struct value *o = map_get(eps[j].node, "nodeId");
			if (o && o->kind == V_INT && o->i == id->i) {
				check_error(c, id, "external-duplicate", "keep one entry per broker",
					    "%s: node id %lld already has an entry (%s, line %d)", eps[i].what, id->i, eps[j].what,
					    o->mark.line);
				dup = true;
			}
		}
		if (!dup && c->brokers.ok && !check_pool_has(&c->brokers, id->i))
			check_error(c, id, "external-node-id",
				    "use the node id of a broker (kafka.brokers.nodeIds, or 0..count-1)",
				    "%s: node id %lld is not a broker's (brokers: %s)", eps[i].what, id->i,
				    check_pool_ids_text(c, &c->brokers));
	}
	bool tls = v_as_bool(v_path(ext, "tls.enabled"), false);
	const struct value *tls_at = v_path(ext, "tls.enabled");
	if (c->brokers.ok && (nb || tls)) {
		long long *ids = arena_alloc(c->a, ((size_t)c->brokers.n + 1) * sizeof *ids);
		long long nmissing = 0;
		for (long long k = 0; k < c->brokers.n; k++) {
			long long id = check_pool_id(&c->brokers, k);
			bool found = false;
			for (size_t i = 1; i <= nb && !found; i++) {
				const struct value *x = map_get(eps[i].node, "nodeId");
				found = x && x->kind == V_INT && x->i == id;
			}
			if (!found)
				ids[nmissing++] = id;
		}
		const char *list = check_ids_text(c, ids, nmissing);
		bool one = nmissing == 1;
		if (nmissing && nb)
			check_error(c, brokers, "external-missing-broker",
				    one ? arena_printf(c->a, "add - {nodeId: %lld, host: ..., ip: ...} to external.brokers", ids[0])
					: "add an entry {nodeId: ..., host: ..., ip: ...} for each of them to external.brokers",
				    "broker%s %s ha%s no entry in external.brokers (brokers: %s)", one ? "" : "s", list,
				    one ? "s" : "ve", check_pool_ids_text(c, &c->brokers));
		else if (nmissing)
			check_error(c, tls_at, "external-tls", "list every broker in external.brokers with its nodeId, host and ip",
				    "TLS on the external listener needs a host and a static IP for every broker: broker%s %s ha%s none",
				    one ? "" : "s", list, one ? "s" : "ve");
	}
	if (!tls)
		return;
	for (size_t i = 0; i <= nb; i++) {
		const struct endpoint *e = &eps[i];
		const char *missing = !e->host && !e->ip ? "host and no ip" : !e->host ? "host" : !e->ip ? "ip" : NULL;
		if (missing)
			check_error(c, check_first(e->node, ext, NULL), "external-tls",
				    "the certificate names every host, and each host needs a pinned address for its DNS record",
				    "TLS is enabled (line %d) but %s has no %s", tls_at->mark.line, e->what, missing);
	}
}
