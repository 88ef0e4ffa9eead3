/* cmd_diff.c - `asbgen diff`: what a sync would change, and whether it is
 * dangerous.  The new side is always a fresh render of SPEC in memory; the
 * old side is the committed out/<environment>/, another folder, or the
 * same spec as it was at a git revision. */
#include "arena.h"
#include "cli.h"
#include "diff.h"
#include "kinds.h"
#include "kube.h"
#include "live.h"
#include "load.h"
#include "objset.h"
#include "render.h"
#include "render_cache.h"
#include "spawn.h"
#include "write.h"
#include "suggest.h"
#include "value.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static const char help[] =
	"usage: asbgen diff SPEC [-o DIR | --against DIR | --base REV] [--templates DIR]\n"
	"                   [--only KIND[,KIND]] [--format text|json|markdown|github] [--no-cache]\n"
	"       asbgen diff SPEC --live [--kubeconfig FILE] [--context NAME]\n"
	"                   [--request-timeout T] [--insecure-skip-tls-verify]\n"
	"\n"
	"Render SPEC in memory and compare it, object by object, with what it\n"
	"replaces: by default the committed DIR/<environment>/ (DIR: out).  Objects\n"
	"are matched by API group, kind, namespace and name; Helm values, tfvars and\n"
	"client files by path.  Each changed field is shown with its old and new\n"
	"value; lists without meaningful order (ACLs) are compared as sets, keyed\n"
	"lists (listeners, brokers, volumes) by their key.  Changes that cannot be\n"
	"applied or would lose data are reported with a rule id and a hint.\n"
	"\n"
	"  -o, --output DIR   compare with DIR/<environment>/ (default: out)\n"
	"  --against DIR      compare with this rendered environment folder\n"
	"  --base REV         compare with SPEC as committed at git revision REV\n"
	"                     (git show REV:./SPEC, run in SPEC's directory),\n"
	"                     rendered with the current templates\n"
	"  --live             compare with the objects in the cluster (the old side):\n"
	"                     server-set fields are dropped, objects not yet created\n"
	"                     are additions, and objects of the rendered kinds that\n"
	"                     the render lacks (and no other controller owns) are\n"
	"                     listed as prune candidates\n"
	"  --kubeconfig FILE  with --live: this kubeconfig (default: $KUBECONFIG, a\n"
	"                     colon-separated list, else ~/.kube/config)\n"
	"  --context NAME     with --live: this context (default: current-context)\n"
	"  --request-timeout T  with --live: per request, 30s by default (500ms, 1m)\n"
	"  --insecure-skip-tls-verify  with --live: do not verify the server's\n"
	"                     certificate (unsafe; TLS is verified otherwise)\n"
	"  --only KINDS       compare only these kinds of output: kubernetes, helm,\n"
	"                     terraform, clients (comma-separated)\n"
	"  --templates DIR    use this template set instead of the installed one\n"
	"  --no-cache         render and compare even when DIR/<environment>/ is as\n"
	"                     the last render of SPEC there left it, from the same\n"
	"                     inputs (its note: README, \"Re-rendering\"; then there\n"
	"                     is no difference to find)\n"
	"  --phase PHASE      render the new side in this phase (full, bootstrap):\n"
	"                     diff --phase bootstrap shows the cold-start edit\n"
	"  --testid ID        the test instance ID (asbgen render --testid): compared\n"
	"                     with DIR/<environment>-ID/ (--base: both sides)\n"
	"  --accept RULE[,RULE]  acknowledge the dangers of these rules: still shown,\n"
	"                     marked accepted, no longer exit 3 (a spec with\n"
	"                     production: true must accept each danger it syncs)\n"
	"  --format FMT       text (default; coloured on a terminal unless NO_COLOR\n"
	"                     is set), json (schemas/diff.schema.json), markdown (a\n"
	"                     pull-request comment: dangers first, a collapsible\n"
	"                     section per object) or github (each danger as a\n"
	"                     workflow command ::error file=,line=,col=:: at the\n"
	"                     spec line that causes it, then the text)\n"
	"\n"
	"Added and removed objects are shown whole, multi-line values as a unified\n"
	"diff.  With --base, the differences are grouped by the spec change that\n"
	"causes each (every edit of the spec is rendered alone to find out), and\n"
	"each danger names the spec position of its cause.\n"
	"\n"
	"exit codes: 0 no changes, 1 changes (dangers all accepted), 3 a dangerous\n"
	"            change not accepted, 2 an error\n";

#define GIT_HINT "check that REV exists (git log --oneline REV) and that the spec was committed there under the same path"

/* `git -C DIR show REV:./NAME` without a shell.  Returns the text in the
 * arena, or NULL after reporting (id "diff-base"). */
static char *git_show(struct ctx *c, const char *spec_path, const char *rev, size_t *len)
{
	const char *base = path_base(spec_path);
	const char *dir = base == spec_path ? "." : arena_strndup(c->arena, spec_path, (size_t)(base - spec_path));
	const char *obj = arena_printf(c->arena, "%s:./%s", rev, base);
	char *argv[] = { "git", "-C", (char *)dir, "show", (char *)obj, NULL };
	char err[1024];
	struct spawn_run r = { .argv = argv, .max_out = LOAD_MAX_FILE, .err = err, .errcap = sizeof err };
	enum spawn_result res = spawn_capture(&r);
	if (res == SPAWN_NOT_STARTED) {
		diag_pos(&c->diags, SEV_ERROR, NULL, 0, 0, "diff-base", "install git, or compare with a folder (--against DIR)",
			 "cannot run git: %s", strerror(r.spawn_errno));
		return NULL;
	}
	if (res != SPAWN_OK) {
		diag_pos(&c->diags, SEV_ERROR, NULL, 0, 0, "diff-base", GIT_HINT,
			 "git show %s: cannot read its output (or it is larger than %u MiB)", obj,
			 LOAD_MAX_FILE >> 20);
		return NULL;
	}
	if (!WIFEXITED(r.status) || WEXITSTATUS(r.status) != 0) {
		free(r.out);
		err[strcspn(err, "\n")] = '\0';
		diag_pos(&c->diags, SEV_ERROR, NULL, 0, 0, "diff-base", GIT_HINT,
			 "git -C %s show %s failed: %s", dir, obj, *err ? err : "no message");
		return NULL;
	}
	*len = r.out_len;
	char *text = arena_strndup(c->arena, r.out, r.out_len);
	free(r.out);
	return text;
}

struct opts {
	const char *spec, *outdir, *against, *base, *tdir, *format;
	const char *accept[32]; /* --accept RULE[,RULE...] */
	size_t naccept;
	bool bootstrap;         /* --phase bootstrap: of the new side */
	const char *testid;     /* --testid ID: both sides' test instance */
	kind_set only;          /* --only: the kinds of output compared */
	bool no_cache;          /* --no-cache: never trust the render's note */
	bool live;              /* --live and its options */
	bool live_option_given; /* a --live option without --live is a mistake */
	struct live_opts lo;
};

/* --accept RULE[,RULE...]: danger rule ids (danger_rules). */
static int parse_accept(const char *v, struct opts *o)
{
	size_t nrules = 0;
	while (danger_rules[nrules])
		nrules++;
	for (const char *p = v; *p;) {
		size_t n = strcspn(p, ",");
		const char *rule = NULL;
		for (size_t k = 0; k < nrules && !rule; k++)
			if (strlen(danger_rules[k]) == n && !strncmp(danger_rules[k], p, n))
				rule = danger_rules[k];
		if (!rule) {
			const char *close = suggest_closest(p, n, danger_rules, nrules);
			fprintf(stderr, "asbgen diff: --accept '%.*s' is not a danger rule%s%s%s (see asbgen diff --help)\n",
				(int)n, p, close ? "; did you mean '" : "", close ? close : "", close ? "'?" : "");
			return -1;
		}
		if (o->naccept == sizeof o->accept / sizeof o->accept[0]) {
			fputs("asbgen diff: too many --accept rules\n", stderr);
			return -1;
		}
		o->accept[o->naccept++] = rule;
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

/* Returns 0, 1 for --help, -1 on a usage error (reported). */
static int parse(int argc, char **argv, struct opts *o)
{
	bool dashdash = false;
	for (int i = 1; i < argc; i++) {
		const char *v;
		int r;
		if (!dashdash && !strcmp(argv[i], "--")) {
			dashdash = true;
			continue;
		}
		if (dashdash || argv[i][0] != '-' || !argv[i][1])
			goto spec;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
		if ((r = opt_value(argc, argv, &i, "-o", &v)) != 0 ||
		    (r = opt_value(argc, argv, &i, "--output", &v)) != 0) {
			if (r < 0)
				return -1;
			o->outdir = v;
		} else if ((r = opt_value(argc, argv, &i, "--against", &v)) != 0) {
			if (r < 0)
				return -1;
			o->against = v;
		} else if ((r = opt_value(argc, argv, &i, "--base", &v)) != 0) {
			if (r < 0)
				return -1;
			o->base = v;
		} else if ((r = opt_value(argc, argv, &i, "--templates", &v)) != 0) {
			if (r < 0)
				return -1;
			o->tdir = v;
		} else if ((r = opt_value(argc, argv, &i, "--phase", &v)) != 0) {
			if (r < 0 || !parse_phase("diff", v, &o->bootstrap))
				return -1;
		} else if ((r = opt_value(argc, argv, &i, "--testid", &v)) != 0) {
			if (r < 0 || !parse_testid("diff", v, &o->testid))
				return -1;
		} else if ((r = opt_value(argc, argv, &i, "--accept", &v)) != 0) {
			if (r < 0 || parse_accept(v, o) < 0)
				return -1;
		} else if (!strcmp(argv[i], "--no-cache")) {
			o->no_cache = true;
		} else if (!strcmp(argv[i], "--live")) {
			o->live = true;
		} else if ((r = cli_live_option("diff", argc, argv, &i, &o->lo)) != 0) {
			if (r < 0)
				return -1;
			o->live_option_given = true;
		} else if ((r = opt_value(argc, argv, &i, "--format", &v)) != 0) {
			if (r < 0)
				return -1;
			o->format = v;
		} else if ((r = opt_value(argc, argv, &i, "--only", &v)) != 0) {
			if (r < 0 || !kinds_parse("diff", v, &o->only))
				return -1;
		} else {
			unknown_option("diff", argv[i], help);
			return -1;
		}
		continue;
	spec:
		if (o->spec) {
			fprintf(stderr, "asbgen diff: one spec at a time ('%s' and '%s')\n", o->spec, argv[i]);
			return -1;
		}
		if (!spec_name_usable("diff", argv[i]))
			return -1;
		o->spec = argv[i];
	}
	if (!o->spec) {
		fputs("asbgen diff: no spec given\n", stderr);
		return -1;
	}
	/* An empty path is a mistake, not the current or the root directory. */
	const char *empty = !*o->outdir ? "-o/--output" : o->against && !*o->against ? "--against"
			  : o->tdir && !*o->tdir ? "--templates"
			  : NULL;
	if (empty) {
		fprintf(stderr, "asbgen diff: %s needs a path, not an empty string\n", empty);
		return -1;
	}
	if (o->against && o->base) {
		fputs("asbgen diff: --against and --base name two different old sides; give one\n", stderr);
		return -1;
	}
	if (o->live && (o->against || o->base)) {
		fputs("asbgen diff: --live compares with the cluster; --against and --base name other old sides\n", stderr);
		return -1;
	}
	if (o->live_option_given && !o->live) {
		fputs("asbgen diff: --kubeconfig, --context, --request-timeout and --insecure-skip-tls-verify go with --live\n",
		      stderr);
		return -1;
	}
	if (strcmp(o->format, "text") && strcmp(o->format, "json") && strcmp(o->format, "markdown") &&
	    strcmp(o->format, "github")) {
		fprintf(stderr, "asbgen diff: unknown format '%s' (text, json, markdown or github)\n", o->format);
		return -1;
	}
	if (o->base && !strcmp(o->spec, "-")) {
		fputs("asbgen diff: --base reads the spec from git; give its path, not - (standard input)\n", stderr);
		return -1;
	}
	if (o->base && (!*o->base || o->base[0] == '-' || strchr(o->base, ':'))) {
		fprintf(stderr, "asbgen diff: '%s' is not a git revision (a branch, tag or commit: origin/main, HEAD~1)\n",
			o->base);
		return -1;
	}
	return 0;
}

/* The old side.  With --live, the cluster's objects, and the new side
 * keeps only what a cluster holds (no Helm values, tfvars or client files).
 * Returns 0, or -1 after reporting. */
static int load_old(struct ctx *c, const struct opts *o, const char *env, struct objset *old,
		    const char **label, struct objset *new, struct objset *prune, const struct value **old_spec)
{
	if (o->live) {
		size_t k = 0;
		for (size_t i = 0; i < new->n; i++)
			if (live_is_cluster_object(&new->items[i]))
				new->items[k++] = new->items[i];
		new->n = k;
		return live_fetch(c->arena, &c->diags, &o->lo, new, old, prune, label);
	}
	if (o->base) {
		size_t len;
		char *text = git_show(c, o->spec, o->base, &len);
		if (!text)
			return -1;
		const char *name = spec_display_name(c->arena, o->spec);
		const char *src = arena_printf(c->arena, "%s:%s", o->base, o->spec);
		*label = arena_printf(c->arena, "%s (rendered with the current templates)", src);
		size_t from = c->diags.n;
		int rc = objset_from_spec_text(c, src, name, text, len, o->tdir, old, NULL);
		/* The base revision's warnings are not the change's: only its
		 * errors (it cannot be compared) are shown. */
		diags_drop_warnings_since(&c->diags, from);
		/* its tree again, as written, for the spec changes (diff_attribute) */
		if (rc == 0)
			*old_spec = load_yaml_string(c->arena, &c->diags, src, text, len);
		return rc;
	}
	const char *dir = o->against ? o->against : arena_printf(c->arena, "%s/%s", o->outdir, env);
	*label = dir;
	return objset_from_dir(c, dir, old);
}

/* --only: the objects of the files of those kinds (a live object is of
 * kind kubernetes). */
static void keep_kinds(struct objset *s, kind_set only)
{
	size_t k = 0;
	for (size_t i = 0; i < s->n; i++)
		if (kinds_match(only, s->items[i].rel))
			s->items[k++] = s->items[i];
	s->n = k;
}

/* The text of --help, for completion and suggestions (commands.c). */
const char *const cmd_diff_help = help;

/* Against a folder, the spec the folder was rendered from is not known;
 * when the spec as committed at HEAD renders exactly the old side, it is
 * (so the differences can be grouped by spec change).  Quiet: no git, no
 * repository or another render just means no grouping.  Returns the
 * committed spec's tree, or NULL. */
static const struct value *head_spec(struct ctx *c, const struct opts *o, const struct out_shapes *shapes,
				     const struct objset *old, const char **label)
{
	size_t from = c->diags.n, len;
	const struct value *spec = NULL;
	char *text = git_show(c, o->spec, "HEAD", &len);
	const char *src = arena_printf(c->arena, "HEAD:%s", o->spec);
	struct objset head = { 0 };
	struct diff_report same;
	if (text && objset_from_spec_text(c, src, path_base(o->spec), text, len, o->tdir, &head, NULL) == 0) {
		diff_objsets(c->arena, shapes, old, &head, NULL, NULL, &same);
		if (!same.n)
			spec = load_yaml_string(c->arena, &c->diags, src, text, len);
	}
	diags_drop_since(&c->diags, from);
	*label = src;
	return spec;
}

int cmd_diff(int argc, char **argv)
{
	struct opts o = { .outdir = "out", .format = "text" };
	cli_live_defaults(&o.lo);
	int pr = parse(argc, argv, &o);
	if (pr != 0) {
		fputs(help, pr > 0 ? stdout : stderr);
		return pr > 0 ? EXIT_OK : EXIT_USAGE;
	}
	struct ctx c;
	ctx_init(&c);
	bool json = !strcmp(o.format, "json");
	if (json)
		c.format = DIAG_JSON;
	if (!o.tdir)
		o.tdir = data_path(&c, "templates");
	struct objset old = { 0 }, new = { 0 }, prune = { 0 };
	struct out_shapes shapes;
	const char *env = NULL, *old_label = NULL;
	const struct value *old_spec = NULL;
	c.bootstrap = o.bootstrap;
	c.testid = o.testid;
	const struct value *model = model_load(&c, o.spec);
	/* out/ as the last render of this spec left it, that render's inputs
	 * unchanged (its note, render_cache.h): no difference, and no render
	 * needed.  The model's diagnostics are all a render that wrote had. */
	struct rcache_opts ro = { o.outdir, o.tdir, 0 };
	struct rcache *note = model && !o.no_cache && !o.live && !o.base && !o.against ? rcache_open(&c, o.spec, &ro) : NULL;
	bool same = rcache_hit(&c, note, &old_label, false);
	c.bootstrap = false; /* the old side (--base) is as committed */
	struct out_set fresh = { 0 };
	int rendered = same ? 0 : model ? render_spec(&c, model, spec_display_name(c.arena, o.spec), o.tdir, "(render)", &fresh) : -1;
	if (rendered == 0 && !same) {
		env = path_base(fresh.dir);
		/* A folder holding this render byte for byte has no difference:
		 * nothing to parse on either side. */
		if (!o.live && !o.base) {
			old_label = o.against ? o.against : arena_printf(c.arena, "%s/%s", o.outdir, env);
			same = objset_dir_same(old_label, &fresh);
		}
	}
	if (rendered != 0 || (!same && objset_from_out_set(&c, &fresh, &new) != 0) ||
	    shapes_load(c.arena, &c.diags, o.tdir, &shapes) != 0 ||
	    (!same && load_old(&c, &o, env, &old, &old_label, &new, &prune, &old_spec) != 0)) {
		/* with --format json, the diagnostics array is standard output */
		ctx_report(&c);
		fputs("asbgen diff: nothing compared\n", stderr);
		ctx_free(&c);
		return EXIT_USAGE;
	}
	/* warnings: on stderr as text, as standard output is the report's */
	if (c.diags.n) {
		diags_sort(&c.diags);
		diags_print(stderr, &c.diags, DIAG_TEXT, diag_want_color(stderr));
	}
	keep_kinds(&old, o.only);
	keep_kinds(&new, o.only);
	keep_kinds(&prune, o.only);
	struct diff_report rep;
	shapes.model = model; /* names the files of a component switched off */
	diff_objsets(c.arena, &shapes, &old, &new, old_label, arena_printf(c.arena, "render of %s", o.spec), &rep);
	if (o.bootstrap)
		danger_bootstrap_phase(&rep);
	if (o.live)
		diff_add_prune(c.arena, &rep, &prune);
	/* With the old spec known, each difference gets the spec change that
	 * causes it (its single-edit renders report nothing). */
	const char *spec_label = o.base ? old_label : NULL;
	/* (--phase bootstrap: what differs is the phase, not the spec) */
	if (!old_spec && !o.live && !o.bootstrap && (rep.n || rep.ndangers))
		old_spec = head_spec(&c, &o, &shapes, &old, &spec_label);
	const struct value *new_spec = old_spec && (rep.n || rep.ndangers) ? load_yaml_file(c.arena, &c.diags, o.spec) : NULL;
	if (new_spec && diff_attribute(&c, &rep, &shapes, &old, &new, old_spec, new_spec, spec_label, o.tdir) == 0 &&
	    !o.base)
		rep.changes_from = spec_label;
	rep.production = v_as_bool(v_path(model, "env.production"), false);
	bool used[sizeof o.accept / sizeof o.accept[0]] = { false };
	diff_accept(&rep, o.accept, o.naccept, used);
	for (size_t k = 0; k < o.naccept; k++)
		if (!used[k])
			fprintf(stderr, "asbgen diff: warning: --accept %s matched no dangerous change\n", o.accept[k]);
	int rc = diff_exit_code(&rep);
	if (json) {
		if (diff_print_json(stdout, &rep) != 0) {
			fputs("asbgen diff: the report cannot be written as JSON (a value is not UTF-8)\n", stderr);
			rc = EXIT_USAGE;
		}
	} else if (!strcmp(o.format, "markdown")) {
		diff_print_markdown(stdout, &rep);
	} else if (!strcmp(o.format, "github")) {
		diff_print_github(stdout, c.arena, &rep, o.spec);
		diff_print_text(stdout, &rep, false);
	} else {
		diff_print_text(stdout, &rep, diag_want_color(stdout));
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fputs("asbgen diff: cannot write the report\n", stderr);
		rc = EXIT_USAGE;
	}
	ctx_free(&c);
	return rc;
}
