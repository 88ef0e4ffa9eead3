/* cmd_status.c - `asbgen status --live`: is what the spec renders healthy
 * in the cluster?  The findings and their fixes are status.c's. */
#include "arena.h"
#include "cli.h"
#include "kube.h"
#include "live.h"
#include "objset.h"
#include "status.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"usage: asbgen status SPEC --live [--kubeconfig FILE] [--context NAME]\n"
	"                     [--request-timeout T] [--insecure-skip-tls-verify]\n"
	"                     [--templates DIR] [--format text|json]\n"
	"\n"
	"Read the cluster's state for everything SPEC renders and report what is\n"
	"wrong, in the operator manual's terms, each with its fix: resources not\n"
	"Ready (Kafka, node pools, topics, users, the schema registry,\n"
	"certificates), topics stuck deleting, pods crash looping or Pending,\n"
	"volumes Pending or not resized, load balancers without their pinned\n"
	"address, a failed schema sync Job, password Secrets not filled from Vault.\n"
	"Credentials as for asbgen diff --live (see its --help).\n"
	"\n"
	"  --format F   text (default) or json, for monitoring\n"
	"\n"
	"exit codes: 0 healthy (warnings allowed), 1 degraded,\n"
	"            2 usage error, or the cluster could not be read\n";

const char *const cmd_status_help = help;

struct opts {
	const char *spec, *tdir, *format;
	bool live;
	struct live_opts lo;
};

/* Returns 0, 1 for --help, -1 on a usage error (reported). */
static int parse(int argc, char **argv, struct opts *o)
{
	for (int i = 1; i < argc; i++) {
		const char *v;
		int r;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
		if ((r = cli_live_option("status", argc, argv, &i, &o->lo)) != 0) {
			if (r < 0)
				return -1;
		} else if (!strcmp(argv[i], "--live")) {
			o->live = true;
		} else if ((r = opt_value(argc, argv, &i, "--templates", &v)) != 0) {
			if (r < 0)
				return -1;
			o->tdir = v;
		} else if ((r = opt_value(argc, argv, &i, "--format", &v)) != 0) {
			if (r < 0)
				return -1;
			if (strcmp(v, "text") != 0 && strcmp(v, "json") != 0) {
				fprintf(stderr, "asbgen status: --format is text or json, not '%s'\n", v);
				return -1;
			}
			o->format = v;
		} else if (cli_spec_operand("status", argv[i], &o->spec) < 0) {
			return -1;
		}
	}
	if (!cli_spec_given("status", o->spec))
		return -1;
	if (!o->live) {
		fprintf(stderr, "asbgen status: it reads the cluster: give --live\n");
		return -1;
	}
	if (o->tdir && !*o->tdir) {
		fprintf(stderr, "asbgen status: --templates needs a directory\n");
		return -1;
	}
	return 0;
}

static size_t count(const struct status_report *r, enum finding_sev sev)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n; i++)
		n += r->items[i].sev == sev;
	return n;
}

static void print_text(FILE *fp, const char *env, const char *cluster, const struct status_report *r, bool ok)
{
	size_t deg = count(r, FINDING_DEGRADED), warn = count(r, FINDING_WARNING);
	fprintf(fp, "%s on %s: %s\n", env, cluster, !ok ? "unknown (the cluster could not be read)" : deg ? "degraded" : "healthy");
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < r->n; i++) {
			const struct finding *f = &r->items[i];
			if ((pass == 0) != (f->sev == FINDING_DEGRADED))
				continue;
			fprintf(fp, "%s: %s %s%s%s: %s [%s]\n", f->sev == FINDING_DEGRADED ? "degraded" : "warning", f->kind,
				f->ns, *f->ns ? "/" : "", f->name, f->msg, f->rule);
			if (f->fix)
				fprintf(fp, "  fix: %s\n", f->fix);
		}
	fprintf(fp, "%zu degraded, %zu warning%s; %zu objects read\n", deg, warn, warn == 1 ? "" : "s", r->checked);
}

static int print_json(FILE *fp, const char *env, const char *cluster, const struct status_report *r, bool ok)
{
	size_t deg = count(r, FINDING_DEGRADED);
	json_t *fs = json_array();
	for (size_t i = 0; fs && i < r->n; i++) {
		const struct finding *f = &r->items[i];
		json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s?}", "severity",
				      f->sev == FINDING_DEGRADED ? "degraded" : "warning", "rule", f->rule, "kind", f->kind,
				      "namespace", f->ns, "name", f->name, "message", f->msg, "fix", f->fix);
		if (!j || json_array_append_new(fs, j) != 0) {
			json_decref(fs);
			fs = NULL;
		}
	}
	json_t *doc = fs ? json_pack("{s:s,s:s,s:s,s:{s:I,s:I,s:I},s:o}", "environment", env, "cluster", cluster,
				     "status", !ok ? "unknown" : deg ? "degraded" : "healthy", "summary", "degraded",
				     (json_int_t)deg, "warnings", (json_int_t)count(r, FINDING_WARNING), "read",
				     (json_int_t)r->checked, "findings", fs)
			 : NULL;
	int rc = doc && json_dumpf(doc, fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0 ? 0 : -1;
	if (rc == 0)
		fputc('\n', fp);
	json_decref(doc);
	return rc;
}

int cmd_status(int argc, char **argv)
{
	struct opts o = { .format = "text" };
	cli_live_defaults(&o.lo);
	int pr = parse(argc, argv, &o);
	if (pr != 0) {
		fputs(help, pr > 0 ? stdout : stderr);
		return pr > 0 ? EXIT_OK : EXIT_USAGE;
	}
	struct ctx c;
	ctx_init(&c);
	bool json = !strcmp(o.format, "json");
	if (!o.tdir)
		o.tdir = data_path(&c, "templates");
	struct objset rendered = { 0 };
	const char *env = NULL, *cluster = NULL;
	struct kube *k = NULL;
	if (objset_from_spec(&c, o.spec, o.tdir, &rendered, &env) != 0 ||
	    !(k = live_connect(c.arena, &c.diags, &o.lo, &cluster))) {
		ctx_report(&c);
		fputs("asbgen status: nothing read\n", stderr);
		ctx_free(&c);
		return EXIT_USAGE;
	}
	objset_sort(&rendered);
	struct status_report rep = { 0 };
	bool ok = status_check(c.arena, &c.diags, k, &rendered, &rep) == 0;
	kube_free(k);
	/* errors and warnings of the reading itself: on stderr */
	if (c.diags.n) {
		diags_sort(&c.diags);
		diags_print(stderr, &c.diags, DIAG_TEXT, diag_want_color(stderr));
	}
	int rc = !ok ? EXIT_USAGE : count(&rep, FINDING_DEGRADED) ? EXIT_INVALID : EXIT_OK;
	if (json) {
		if (print_json(stdout, env, cluster, &rep, ok) != 0) {
			fputs("asbgen status: the report cannot be written as JSON (a value is not UTF-8)\n", stderr);
			rc = EXIT_USAGE;
		}
	} else {
		print_text(stdout, env, cluster, &rep, ok);
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fputs("asbgen status: cannot write the report\n", stderr);
		rc = EXIT_USAGE;
	}
	ctx_free(&c);
	return rc;
}
