/* cmd_pin.c - `asbgen pin --live`: the new-environment step of the manual
 * ("first sync without external addresses, read the addresses the load
 * balancers got, pin them") as a command.  The external listener's
 * LoadBalancer Services are read from the cluster and their addresses
 * written into the spec's external.bootstrap.ip and external.brokers[].ip,
 * in place (specedit.h): nothing else in the file changes. */
#include "arena.h"
#include "cli.h"
#include "kube.h"
#include "live.h"
#include "load.h"
#include "specedit.h"
#include "value.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"usage: asbgen pin SPEC --live [--dry-run] [--kubeconfig FILE] [--context NAME]\n"
	"                  [--request-timeout T] [--insecure-skip-tls-verify]\n"
	"\n"
	"Read the external addresses the Kafka listener's load balancers got and\n"
	"write them into SPEC as external.bootstrap.ip and external.brokers[].ip.\n"
	"Only those values change: comments, anchors and order stay as written.\n"
	"Refuses, writing nothing, while any of the Services has no address yet.\n"
	"Credentials as for asbgen diff --live.\n"
	"\n"
	"  --dry-run    say what would change; write nothing\n"
	"\n"
	"exit codes: 0 pinned (or nothing to pin), 1 refused (a Service without an\n"
	"            address, or the edited spec would not validate), 2 usage error,\n"
	"            or the cluster could not be read\n";

const char *const cmd_pin_help = help;

struct opts {
	const char *spec;
	bool live, dry_run;
	struct live_opts lo;
};

static int parse(int argc, char **argv, struct opts *o)
{
	for (int i = 1; i < argc; i++) {
		int r;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
		if ((r = cli_live_option("pin", argc, argv, &i, &o->lo)) != 0) {
			if (r < 0)
				return -1;
		} else if (!strcmp(argv[i], "--live")) {
			o->live = true;
		} else if (!strcmp(argv[i], "--dry-run")) {
			o->dry_run = true;
		} else if (cli_spec_operand("pin", argv[i], &o->spec) < 0) {
			return -1;
		}
	}
	if (!cli_spec_given("pin", o->spec))
		return -1;
	if (!o->live) {
		fprintf(stderr, "asbgen pin: it reads the addresses from the cluster: give --live\n");
		return -1;
	}
	return 0;
}

/* One address the cluster gave: the bootstrap (node -1) or a broker's. */
struct given {
	long long node;
	const char *service, *ip; /* ip NULL: none yet */
};

/* The node a per-broker Service serves: its selector names the pod
 * (strimzi.io/pod-name with StrimziPodSets, the StatefulSet label before),
 * whose name ends in the node id.  -1 for the bootstrap Service. */
static long long service_node(const struct value *svc)
{
	const struct value *sel = v_path(svc, "spec.selector");
	const char *pod = v_as_str(map_get(sel, "strimzi.io/pod-name"), NULL);
	if (!pod)
		pod = v_as_str(map_get(sel, "statefulset.kubernetes.io/pod-name"), NULL);
	if (!pod)
		return -1;
	const char *dash = strrchr(pod, '-');
	if (!dash || !dash[1])
		return -2;
	char *end;
	long long id = strtoll(dash + 1, &end, 10);
	return *end || id < 0 ? -2 : id;
}

static const char *ingress_ip(const struct value *svc)
{
	const struct value *ing = v_path(svc, "status.loadBalancer.ingress");
	if (!ing || ing->kind != V_SEQ || !ing->seq.n)
		return NULL;
	return v_as_str(map_get(ing->seq.items[0], "ip"), NULL);
}

/* The LoadBalancer Services of the Kafka cluster.  Returns the count, or
 * -1 after reporting. */
static long read_services(struct ctx *c, struct kube *k, const char *ns, const char *cluster, struct given **out)
{
	struct kube_resource res;
	enum kube_status st = kube_discover(k, "", "v1", "Service", &res);
	if (st != KUBE_OK) {
		if (st == KUBE_ABSENT)
			diag_pos(&c->diags, SEV_ERROR, NULL, 0, 0, "kube-junk", "is the server a Kubernetes API server?",
				 "the cluster does not serve v1 Services");
		return -1;
	}
	const char *path = arena_printf(c->arena, "%s?labelSelector=%s", live_collection_path(c->arena, "", "v1", &res, ns),
					live_segment(c->arena, arena_printf(c->arena, "strimzi.io/cluster=%s", cluster)));
	struct value *list = NULL;
	if (kube_get(k, path, arena_printf(c->arena, "list services in namespace %s", ns), &list) != KUBE_OK)
		return -1;
	const struct value *items = map_get(list, "items");
	size_t n = items && items->kind == V_SEQ ? items->seq.n : 0;
	*out = arena_alloc(c->arena, (n + 1) * sizeof **out);
	long m = 0;
	for (size_t i = 0; i < n; i++) {
		const struct value *s = items->seq.items[i];
		if (strcmp(v_as_str(v_path(s, "spec.type"), ""), "LoadBalancer") != 0)
			continue;
		long long node = service_node(s);
		if (node < -1)
			continue;
		(*out)[m++] = (struct given){ node, v_as_str(v_path(s, "metadata.name"), "?"), ingress_ip(s) };
	}
	return m;
}

/* Pin one address into `where` (external.bootstrap or a broker entry). */
static int pin_one(struct ctx *c, struct specedit *e, const struct value *where, const char *label,
		   const struct given *g, bool *changed)
{
	const struct value *cur = map_get(where, "ip");
	const char *why = NULL;
	if (cur && !strcmp(v_as_str(cur, ""), g->ip)) {
		printf("  %s.ip: %s (unchanged)\n", label, g->ip);
		return 0;
	}
	int r = cur ? specedit_set(e, cur, g->ip, &why) : specedit_add(e, where, "ip", g->ip, &why);
	if (r < 0) {
		diag_at(&c->diags, SEV_ERROR, cur ? &cur->mark : &where->mark, "pin-edit", why,
			"cannot write %s.ip = %s (Service %s) here", label, g->ip, g->service);
		return -1;
	}
	if (cur)
		printf("  %s.ip: %s -> %s (Service %s)\n", label, v_as_str(cur, "?"), g->ip, g->service);
	else
		printf("  %s.ip: %s (added; Service %s)\n", label, g->ip, g->service);
	*changed = true;
	return 0;
}

int cmd_pin(int argc, char **argv)
{
	struct opts o = { 0 };
	cli_live_defaults(&o.lo);
	int pr = parse(argc, argv, &o);
	if (pr != 0) {
		fputs(help, pr > 0 ? stdout : stderr);
		return pr > 0 ? EXIT_OK : EXIT_USAGE;
	}
	struct ctx c;
	ctx_init(&c);
	int rc = EXIT_USAGE;
	struct value *model = model_load(&c, o.spec);
	size_t len = 0;
	char *text = model ? load_file_text(c.arena, &c.diags, o.spec, &len) : NULL;
	struct value *doc = text ? load_yaml_string(c.arena, &c.diags, o.spec, text, len) : NULL;
	if (!doc) {
		rc = model ? EXIT_USAGE : EXIT_INVALID;
		goto out;
	}
	const char *ns = v_as_str(v_path(model, "env.namespace"), "");
	const char *cluster = v_as_str(v_path(model, "kafka.clusterName"), "");
	const char *label = NULL;
	struct kube *k = live_connect(c.arena, &c.diags, &o.lo, &label);
	struct given *g = NULL;
	long ng = k ? read_services(&c, k, ns, cluster, &g) : -1;
	if (k)
		kube_free(k);
	if (ng < 0)
		goto out;
	printf("%s: the external addresses on %s\n", o.spec, label);
	const struct value *ext = map_get(doc, "external");
	const struct value *boot = map_get(ext, "bootstrap"), *brokers = map_get(ext, "brokers");
	struct specedit e;
	specedit_init(&e, c.arena, text, len);
	bool changed = false, refused = false;
	for (long i = 0; i < ng; i++) {
		if (!g[i].ip) {
			diag_pos(&c.diags, SEV_ERROR, NULL, 0, 0, "pin-pending",
				 "wait until the load balancer gives it one (asbgen status --live shows why it has not), then run asbgen pin again",
				 "Service %s/%s has no external address yet: nothing is pinned", ns, g[i].service);
			refused = true;
		}
	}
	if (ng == 0) {
		diag_pos(&c.diags, SEV_ERROR, NULL, 0, 0, "pin-pending",
			 "sync the environment first: Strimzi creates the Services when it reconciles the Kafka",
			 "Kafka %s/%s has no LoadBalancer Services in the cluster", ns, cluster);
		refused = true;
	}
	for (long i = 0; i < ng && !refused; i++) {
		if (g[i].node == -1) {
			if (!boot || boot->kind != V_MAP)
				diag_at(&c.diags, SEV_ERROR, ext ? &ext->mark : &doc->mark, "pin-edit",
					"add external.bootstrap: {host: HOST} to the spec, then run asbgen pin again",
					"the spec has no external.bootstrap to pin %s (Service %s) into", g[i].ip, g[i].service);
			else if (pin_one(&c, &e, boot, "external.bootstrap", &g[i], &changed) == 0)
				continue;
			refused = true;
			continue;
		}
		const struct value *entry = NULL;
		for (size_t j = 0; brokers && brokers->kind == V_SEQ && j < brokers->seq.n && !entry; j++)
			if (v_as_int(map_get(brokers->seq.items[j], "nodeId"), -1) == g[i].node)
				entry = brokers->seq.items[j];
		if (!entry) {
			diag_at(&c.diags, SEV_WARNING, brokers ? &brokers->mark : ext ? &ext->mark : &doc->mark, "pin-node",
				"add {nodeId: N, host: HOST} to external.brokers for it, then run asbgen pin again",
				"Service %s serves node %lld, which external.brokers does not list: its address %s is not pinned",
				g[i].service, g[i].node, g[i].ip);
			continue;
		}
		if (pin_one(&c, &e, entry, arena_printf(c.arena, "external.brokers[nodeId=%lld]", g[i].node), &g[i],
			    &changed) < 0)
			refused = true;
	}
	if (refused) {
		rc = EXIT_INVALID;
		goto out;
	}
	rc = EXIT_OK;
	if (!changed) {
		printf("nothing to pin: %s already has every address\n", o.spec);
		goto out;
	}
	size_t nlen;
	char *edited = specedit_result(&e, &nlen);
	/* The edited spec must be as valid as the one read. */
	struct ctx check;
	ctx_init(&check);
	check.format = c.format;
	if (!model_load_text(&check, o.spec, path_base(o.spec), edited, nlen)) {
		ctx_report(&check);
		ctx_free(&check);
		fprintf(stderr, "asbgen pin: the edited spec would not validate: %s is unchanged\n", o.spec);
		rc = EXIT_INVALID;
		goto out;
	}
	ctx_free(&check);
	if (o.dry_run) {
		printf("--dry-run: %s is unchanged\n", o.spec);
		goto out;
	}
	const char *why;
	if (specedit_write(o.spec, edited, nlen, &why) != 0) {
		diag_pos(&c.diags, SEV_ERROR, o.spec, 0, 0, "io", NULL, "%s: %s: %s", o.spec, why, strerror(errno));
		rc = EXIT_USAGE;
		goto out;
	}
	printf("pinned: %s written; render it and commit both\n", o.spec);
out:
	ctx_report(&c);
	if (fflush(stdout) != 0 || ferror(stdout))
		rc = EXIT_USAGE;
	ctx_free(&c);
	return rc;
}
