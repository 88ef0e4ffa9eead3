/* cmd_diff.c - `asbgen diff`: what a sync would change, and whether it is
 * dangerous.  The new side is always a fresh render of SPEC in memory; the
 * old side is the committed out/<environment>/, another folder, or the
 * same spec as it was at a git revision. */
#include "arena.h"
#include "cli.h"
#include "diff.h"
#include "kube.h"
#include "live.h"
#include "load.h"
#include "objset.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static const char help[] =
	"usage: asbgen diff SPEC [-o DIR | --against DIR | --base REV] [--templates DIR]\n"
	"                   [--format text|json|markdown|github]\n"
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
	"  --templates DIR    use this template set instead of the installed one\n"
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
	"exit codes: 0 no changes, 1 changes, 3 a dangerous change, 2 an error\n";

#define GIT_HINT "check that REV exists (git log --oneline REV) and that the spec was committed there under the same path"

/* Read both pipes until both close (poll, so neither can fill and block
 * git).  out: stdout, capped at LOAD_MAX_FILE; err: the first KiB of stderr. */
static int drain(int fo, int fe, char **out, size_t *olen, char *err, size_t errcap)
{
	size_t cap = 0, elen = 0;
	*out = NULL;
	*olen = 0;
	struct pollfd p[2] = { { fo, POLLIN, 0 }, { fe, POLLIN, 0 } };
	int open_fds = 2;
	char tmp[8192];
	while (open_fds) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		for (int k = 0; k < 2; k++) {
			if (p[k].fd < 0 || !(p[k].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ssize_t n = read(p[k].fd, tmp, sizeof tmp);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				p[k].fd = -1;
				open_fds--;
				continue;
			}
			if (k == 0) {
				if (*olen + (size_t)n > LOAD_MAX_FILE)
					return -1;
				if (*olen + (size_t)n + 1 > cap) {
					cap = (*olen + (size_t)n + 1) * 2;
					*out = xrealloc(*out, cap);
				}
				memcpy(*out + *olen, tmp, (size_t)n);
				*olen += (size_t)n;
				(*out)[*olen] = '\0';
			} else if (elen + 1 < errcap) {
				size_t m = (size_t)n < errcap - 1 - elen ? (size_t)n : errcap - 1 - elen;
				memcpy(err + elen, tmp, m);
				elen += m;
				err[elen] = '\0';
			}
		}
	}
	return 0;
}

/* `git -C DIR show REV:./NAME` without a shell.  Returns the text in the
 * arena, or NULL after reporting (id "diff-base"). */
static char *git_show(struct ctx *c, const char *spec_path, const char *rev, size_t *len)
{
	const char *base = path_base(spec_path);
	const char *dir = base == spec_path ? "." : arena_strndup(c->arena, spec_path, (size_t)(base - spec_path));
	const char *obj = arena_printf(c->arena, "%s:./%s", rev, base);
	char *argv[] = { "git", "-C", (char *)dir, "show", (char *)obj, NULL };
	int po[2], pe[2];
	if (pipe(po) != 0) {
		diag_pos(&c->diags, SEV_ERROR, NULL, 0, 0, "diff-base", NULL, "cannot run git: %s", strerror(errno));
		return NULL;
	}
	if (pipe(pe) != 0) {
		diag_pos(&c->diags, SEV_ERROR, NULL, 0, 0, "diff-base", NULL, "cannot run git: %s", strerror(errno));
		close(po[0]);
		close(po[1]);
		return NULL;
	}
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int rc = posix_spawn_file_actions_init(&fa);
	if (rc == 0) {
		/* Each step fails only for lack of memory: stop at the first. */
		if ((rc = posix_spawn_file_actions_adddup2(&fa, po[1], 1)) == 0 &&
		    (rc = posix_spawn_file_actions_adddup2(&fa, pe[1], 2)) == 0 &&
		    (rc = posix_spawn_file_actions_addclose(&fa, po[0])) == 0 &&
		    (rc = posix_spawn_file_actions_addclose(&fa, pe[0])) == 0 &&
		    (rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0)) == 0)
			rc = posix_spawnp(&pid, "git", &fa, NULL, argv, environ);
		posix_spawn_file_actions_destroy(&fa);
	}
	close(po[1]);
	close(pe[1]);
	if (rc != 0) {
		close(po[0]);
		close(pe[0]);
		diag_pos(&c->diags, SEV_ERROR, NULL, 0, 0, "diff-base", "install git, or compare with a folder (--against DIR)",
			 "cannot run git: %s", strerror(rc));
		return NULL;
	}
	char *out, err[1024] = "";
	int dr = drain(po[0], pe[0], &out, len, err, sizeof err);
	close(po[0]);
	close(pe[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (dr != 0) {
		free(out);
		diag_pos(&c->diags, SEV_ERROR, NULL, 0, 0, "diff-base", GIT_HINT,
			 "git show %s: cannot read its output (or it is larger than %u MiB)", obj,
			 LOAD_MAX_FILE >> 20);
		return NULL;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		free(out);
		err[strcspn(err, "\n")] = '\0';
		diag_pos(&c->diags, SEV_ERROR, NULL, 0, 0, "diff-base", GIT_HINT,
			 "git -C %s show %s failed: %s", dir, obj, *err ? err : "no message");
		return NULL;
	}
	char *text = arena_strndup(c->arena, out ? out : "", *len);
	free(out);
	return text;
}

struct opts {
	const char *spec, *outdir, *against, *base, *tdir, *format;
	bool live;              /* --live and its options */
	bool live_option_given; /* a --live option without --live is a mistake */
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
		} else if (!strcmp(argv[i], "--live")) {
			o->live = true;
		} else if (!strcmp(argv[i], "--insecure-skip-tls-verify")) {
			o->lo.insecure = o->live_option_given = true;
		} else if ((r = opt_value(argc, argv, &i, "--kubeconfig", &v)) != 0) {
			if (r < 0)
				return -1;
			o->lo.src.explicit_path = v;
			o->live_option_given = true;
		} else if ((r = opt_value(argc, argv, &i, "--context", &v)) != 0) {
			if (r < 0)
				return -1;
			o->lo.src.context = v;
			o->live_option_given = true;
		} else if ((r = opt_value(argc, argv, &i, "--request-timeout", &v)) != 0) {
			if (r < 0)
				return -1;
			if (!kube_parse_timeout(v, &o->lo.timeout_ms)) {
				fprintf(stderr, "asbgen diff: --request-timeout '%s' is not a duration (30s, 500ms, 2m, 0 for none)\n", v);
				return -1;
			}
			o->live_option_given = true;
		} else if ((r = opt_value(argc, argv, &i, "--format", &v)) != 0) {
			if (r < 0)
				return -1;
			o->format = v;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "asbgen diff: unknown option '%s'\n", argv[i]);
			return -1;
		} else if (o->spec) {
			fprintf(stderr, "asbgen diff: one spec at a time ('%s' and '%s')\n", o->spec, argv[i]);
			return -1;
		} else {
			if (!spec_name_usable("diff", argv[i]))
				return -1;
			o->spec = argv[i];
		}
	}
	if (!o->spec) {
		fputs("asbgen diff: no spec given\n", stderr);
		return -1;
	}
	/* An empty path is a mistake, not the current or the root directory. */
	const char *empty = !*o->outdir ? "-o/--output" : o->against && !*o->against ? "--against"
			  : o->tdir && !*o->tdir ? "--templates"
			  : o->lo.src.explicit_path && !*o->lo.src.explicit_path ? "--kubeconfig" : NULL;
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
		const char *name = path_base(o->spec);
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
	o.lo.timeout_ms = LIVE_DEFAULT_TIMEOUT_MS;
	o.lo.src.env = getenv("KUBECONFIG");
	o.lo.src.home = getenv("HOME");
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
	if (objset_from_spec(&c, o.spec, o.tdir, &new, &env) != 0 ||
	    shapes_load(c.arena, &c.diags, o.tdir, &shapes) != 0 ||
	    load_old(&c, &o, env, &old, &old_label, &new, &prune, &old_spec) != 0) {
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
	struct diff_report rep;
	diff_objsets(c.arena, &shapes, &old, &new, old_label, arena_printf(c.arena, "render of %s", o.spec), &rep);
	if (o.live)
		diff_add_prune(c.arena, &rep, &prune);
	/* With the old spec known, each difference gets the spec change that
	 * causes it (its single-edit renders report nothing). */
	const char *spec_label = o.base ? old_label : NULL;
	if (!old_spec && !o.live && (rep.n || rep.ndangers))
		old_spec = head_spec(&c, &o, &shapes, &old, &spec_label);
	const struct value *new_spec = old_spec && (rep.n || rep.ndangers) ? load_yaml_file(c.arena, &c.diags, o.spec) : NULL;
	if (new_spec && diff_attribute(&c, &rep, &shapes, &old, &new, old_spec, new_spec, spec_label, o.tdir) == 0 &&
	    !o.base)
		rep.changes_from = spec_label;
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
