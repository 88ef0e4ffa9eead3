/* check_components.c - what the optional components need from the rest of
 * the spec: the registry (alert database), a listener they can connect to
 * (client certificates for the registry, alert database and simulator,
 * SCRAM for Kafdrop), and Kafdrop's ingress host.  Without these checks the
 * templates would stop at a null value, far from the line to change. */
#include "check.h"

#include <stdio.h>

#include <stdbool.h>

/* The spec's node of a component's switch, or the component, or the spec. */
static const struct value *switch_at(const struct check *c, const char *component)
{
	char path[64];
	snprintf(path, sizeof path, "%s.enabled", component);
	return check_first(check_written(v_path(c->spec, path)), v_path(c->spec, component), c->spec);
}

static bool on(const struct check *c, const char *component)
{
	char path[64];
	snprintf(path, sizeof path, "%s.enabled", component);
	return v_as_bool(v_path(c->model, path), false);
}

static void check_needs_registry(struct check *c)
{
	if (!on(c, "alertDatabase") || on(c, "registry"))
		return;
	check_error(c, switch_at(c, "alertDatabase"), "component-registry",
		    "enable the registry (registry.hostname), or turn the alert database off: alertDatabase: {enabled: false}",
		    "the alert database archives alerts with their schemas from the registry, which is off (registry.enabled: false)");
}

static void check_listeners(struct check *c)
{
	static const struct { const char *component, *what; } tls_users[] = {
		{ "registry", "the schema registry" },
		{ "alertDatabase", "the alert database" },
		{ "simulator", "the simulator" },
	};
	const struct value *tls = v_path(c->model, "kafka.bootstrapInternal");
	for (size_t i = 0; i < sizeof tls_users / sizeof tls_users[0]; i++)
		if (on(c, tls_users[i].component) && (!tls || tls->kind != V_STRING))
			check_error(c, switch_at(c, tls_users[i].component), "listener-missing",
				    "add an internal listener with tls: true and authentication: tls to kafka.listeners",
				    "%s connects with a client certificate, and kafka.listeners has no listener with tls authentication",
				    tls_users[i].what);
	const struct value *scram = v_path(c->model, "kafka.scramListener");
	if (on(c, "kafdrop") && (!scram || scram->kind != V_MAP))
		check_error(c, switch_at(c, "kafdrop"), "kafdrop-listener",
			    "add an internal listener with authentication: scram-sha-512 to kafka.listeners",
			    "Kafdrop connects with SCRAM-SHA-512, and kafka.listeners has no scram-sha-512 listener");
}

static void check_kafdrop_ingress(struct check *c)
{
	if (!on(c, "kafdrop") || !v_as_bool(v_path(c->model, "kafdrop.ingress.enabled"), false))
		return;
	const struct value *h = v_path(c->model, "kafdrop.ingress.hostname");
	if (h && h->kind == V_STRING)
		return;
	check_error(c, check_first(check_written(v_path(c->spec, "kafdrop.ingress.enabled")),
				   v_path(c->spec, "kafdrop.ingress"), v_path(c->spec, "kafdrop")),
		    "kafdrop-ingress-host", "set kafdrop.ingress.hostname, or kafdrop.ingress.enabled: false",
		    "Kafdrop's ingress has no host (kafdrop.ingress.hostname)");
}

static const char *const reads_components[] = { "kafka", "registry", "alertDatabase", "simulator", "kafdrop", NULL };

void check_components(struct check *c)
{
	if (!check_reads_sound(c, reads_components))
		return;
	check_needs_registry(c);
	check_listeners(c);
	check_kafdrop_ingress(c);
}
