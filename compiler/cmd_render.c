/* cmd_render.c - `asbgen render`: spec -> model -> templates -> emitters -> files. */
#include "arena.h"
#include "cli.h"
#include "kinds.h"
#include "render.h"
#include "render_cache.h"
#include "spool.h"
#include "write.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"usage: asbgen render SPEC... [-o DIR] [--check] [--stdout] [--only KIND[,KIND]]\n"
	"                     [--templates DIR] [--format text|json|github] [--quiet]\n"
	"                     [--phase full|bootstrap] [--testid ID] [--accept prune]\n"
	"                     [--no-cache]\n"
	"\n"
	"Render each environment spec into DIR/<environment>/ (default DIR: out):\n"
	"kubernetes/ manifests with a kustomization.yaml, helm/ Phalanx values and\n"
	"secrets, terraform/ tfvars, clients/ Kafka client configurations (Java,\n"
	"librdkafka, Kafka Connect) with a README, and a record of the files\n"
	"written (.asbgen-files).  Nothing is written unless every\n"
	"spec renders; files are replaced atomically; files an earlier render wrote\n"
	"and this one no longer produces are removed; nothing else is touched.\n"
	"SPEC may be a directory (its .yaml and .yml files) or - (standard input);\n"
	"after --, every argument is a SPEC.\n"
	"\n"
	"  -o, --output DIR   where environment directories go (default: out)\n"
	"  --check            write nothing; list files that differ; exit 1 if any\n"
	"  --stdout           print the rendered files instead of writing them, each\n"
	"                     after a '---' and a '# Source: DIR/PATH' line; all or\n"
	"                     nothing (held back in $TMPDIR until every spec renders)\n"
	"  --only KINDS       only these kinds of output: kubernetes, helm, terraform,\n"
	"                     clients (comma-separated; the first directory of a\n"
	"                     file's path).  With --stdout, kubernetes is the objects\n"
	"                     alone (not kustomization.yaml): a manifest stream for\n"
	"                     kubectl or an Argo CD plugin.  With -o and --check, the\n"
	"                     files of other kinds are left as they are\n"
	"  --templates DIR    use this template set instead of the installed one\n"
	"  --format FMT       diagnostics as text (default), json or github (workflow\n"
	"                     commands on standard output; with --check, one per\n"
	"                     file that differs)\n"
	"  --phase PHASE      full (default), or bootstrap: without the external\n"
	"                     listener, its load balancers and certificate, so that\n"
	"                     a new or restarted cluster's brokers can start first\n"
	"  --testid ID        render the test instance ID of each spec into\n"
	"                     DIR/<environment>-ID/: its own namespace, host names,\n"
	"                     buckets and Vault path, no production address (README,\n"
	"                     \"Test instances\"); asbgen teardown removes it\n"
	"  --accept prune     let the render of a production environment remove\n"
	"                     the files of Kubernetes objects (Argo CD then deletes them)\n"
	"  --no-cache         render even when the last render of this spec into\n"
	"                     this folder read the same inputs and its files are\n"
	"                     untouched (README, \"Re-rendering\")\n"
	"  -q, --quiet        do not list written files\n"
	"\n"
	"exit: 0 written (--check: up to date), 1 invalid spec (--check: files\n"
	"differ, or a production object would be removed), 2 usage or I/O error\n";

/* Render one spec fully in memory.  Returns 0 or -1 (diagnostics added).
 * *production: the spec's production flag node, when it is true. */
static int render_one(struct ctx *c, const char *spec_path, const char *tdir, const char *outdir,
		      struct out_set *set, const struct value **production, render_stream_fn fn, void *fctx)
{
	struct value *model = model_load(c, spec_path);
	if (!model)
		return -1;
	const struct value *p = v_path(model, "env.production");
	*production = v_as_bool(p, false) ? p : NULL;
	return render_spec_stream(c, model, spec_display_name(c->arena, spec_path), tdir, outdir, set, fn, fctx);
}

/* render --stdout: each file, as it is made, onto the stream held back
 * until every spec has rendered (spool.h).  The kubernetes kind on a
 * stream is its objects: the kustomization is kustomize's list of them. */
struct stream {
	struct spool spool;
	kind_set only;
};

/* What the spool keeps in memory before it uses a temporary file (and
 * then between its writes): an environment's stream is 0.1 MB, 10,000
 * users' 50 MB, and a larger buffer is only a larger peak. */
#define STREAM_MEM (256u << 10)

static void stream_file(void *ctx, const char *dir, const char *path, const char *text, size_t len, bool first)
{
	struct stream *st = ctx;
	if (st->only && (!kinds_match(st->only, path) || kinds_is_kustomization(path)))
		return;
	if (first) {
		/* The line in one piece when it fits: five additions per file
		 * were most of the stream's own cost. */
		static const char pre[] = "---\n# Source: ";
		char line[1024];
		size_t dn = strlen(dir), pn = strlen(path), n = sizeof pre - 1 + dn + 1 + pn + 1;
		if (n <= sizeof line) {
			memcpy(line, pre, sizeof pre - 1);
			memcpy(line + sizeof pre - 1, dir, dn);
			line[sizeof pre - 1 + dn] = '/';
			memcpy(line + sizeof pre + dn, path, pn);
			line[n - 1] = '\n';
			spool_add(&st->spool, line, n);
		} else {
			spool_add(&st->spool, pre, sizeof pre - 1);
			spool_add(&st->spool, dir, dn);
			spool_add(&st->spool, "/", 1);
			spool_add(&st->spool, path, pn);
			spool_add(&st->spool, "\n", 1);
		}
	}
	spool_add(&st->spool, text, len);
}

/* A render of some kinds only: the set keeps their files, and the
 * writer leaves the recorded files of the others alone (write.h). */
static void keep_kinds(struct out_set *s, kind_set only)
{
	size_t k = 0;
	for (size_t i = 0; i < s->n; i++)
		if (kinds_match(only, s->files[i].path))
			s->files[k++] = s->files[i];
	s->n = k;
	s->only = only;
}

/* The Kubernetes object files a render would remove (Argo CD's prune then
 * deletes the objects from the cluster). */
struct pruned {
	struct arena *a;
	const char **paths;
	size_t n;
};

static void on_stale(void *ctx, const char *dir, const char *path, enum file_state st)
{
	(void)dir;
	struct pruned *p = ctx;
	if (st != FILE_STALE || strncmp(path, "kubernetes/", 11) != 0 || !strcmp(path, "kubernetes/kustomization.yaml"))
		return;
	p->paths = arena_realloc(p->a, p->paths, p->n * sizeof *p->paths, (p->n + 1) * sizeof *p->paths);
	p->paths[p->n++] = arena_strdup(p->a, path);
}

/* A production environment's objects are not pruned by a render unless
 * the command says so.  Returns 0, or -1 after reporting. */
static int production_prune(struct ctx *c, const struct out_set *s, const struct value *production)
{
	struct pruned p = { c->arena, NULL, 0 };
	size_t ndiffs;
	if (out_compare(c->arena, &c->diags, s, on_stale, &p, &ndiffs) != 0)
		return -1;
	for (size_t i = 0; i < p.n; i++)
		diag_at(&c->diags, SEV_ERROR, &production->mark, "render-production-prune",
			"check that the object should go (asbgen diff shows it), then render with --accept prune",
			"%s is a production environment: this render would remove %s/%s, and Argo CD's prune would "
			"delete its object from the cluster", path_base(s->dir), s->dir, p.paths[i]);
	return p.n ? -1 : 0;
}

struct report {
	bool quiet;
	bool check;
	bool json;
	struct ctx *github;   /* --check --format github: each file an annotation */
	const char *spec;     /* the spec of the files being reported */
};

static const char *state_word(enum file_state st, bool check)
{
	switch (st) {
	case FILE_NEW: return check ? "missing" : "created";
	case FILE_CHANGED: return check ? "differs" : "updated";
	case FILE_STALE: return check ? "stale" : "removed";
	default: return "same";
	}
}

static void on_change(void *ctx, const char *dir, const char *path, enum file_state st)
{
	const struct report *r = ctx;
	if (!r->quiet || (r->check && !r->json))
		printf("%-8s %s/%s\n", state_word(st, r->check), dir, path);
	if (!r->github)
		return;
	/* A missing file has no line to land on: its spec is the cause. */
	struct ctx *c = r->github;
	const char *file = arena_printf(c->arena, "%s/%s", dir, path);
	diag_pos(&c->diags, SEV_ERROR, st == FILE_NEW ? r->spec : file, 0, 0, "render-stale",
		 arena_printf(c->arena, "run asbgen render %s and commit the result", spec_display_name(c->arena, r->spec)),
		 "%s is %s: %s", file, state_word(st, true),
		 st == FILE_NEW ? "a fresh render writes it"
		 : st == FILE_STALE ? "a fresh render removes it" : "a fresh render writes other bytes");
}

/* The text of --help, for completion and suggestions (commands.c). */
const char *const cmd_render_help = help;

int cmd_render(int argc, char **argv)
{
	struct ctx c;
	ctx_init(&c);
	const char *outdir = "out", *tdir = NULL, *fmt = NULL;
	bool check = false, to_stdout = false, quiet = false, dashdash = false, accept_prune = false;
	bool no_cache = false;
	kind_set only = 0;
	const char **specs = NULL;
	size_t nspecs = 0, cap = 0;
	int rc = EXIT_OK;
	for (int i = 1; i < argc; i++) {
		const char *v;
		int r;
		if (dashdash || (argv[i][0] != '-' || !argv[i][1])) {
			if (!spec_args_add(&c, "render", argv[i], &specs, &nspecs, &cap)) {
				ctx_report(&c);
				ctx_free(&c);
				return EXIT_USAGE;
			}
		} else if (!strcmp(argv[i], "--")) {
			dashdash = true;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(help, stdout);
			ctx_free(&c);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--check")) {
			check = true;
		} else if (!strcmp(argv[i], "--stdout")) {
			to_stdout = true;
		} else if (!strcmp(argv[i], "--no-cache")) {
			no_cache = true;
		} else if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet")) {
			quiet = true;
		} else if ((r = opt_value(argc, argv, &i, "-o", &v)) != 0 ||
			   (r = opt_value(argc, argv, &i, "--output", &v)) != 0) {
			if (r < 0)
				goto usage;
			outdir = v;
		} else if ((r = opt_value(argc, argv, &i, "--templates", &v)) != 0) {
			if (r < 0)
				goto usage;
			tdir = v;
		} else if ((r = opt_value(argc, argv, &i, "--format", &v)) != 0) {
			if (r < 0)
				goto usage;
			fmt = v;
		} else if ((r = opt_value(argc, argv, &i, "--phase", &v)) != 0) {
			if (r < 0 || !parse_phase("render", v, &c.bootstrap))
				goto usage;
		} else if ((r = opt_value(argc, argv, &i, "--testid", &v)) != 0) {
			if (r < 0 || !parse_testid("render", v, &c.testid))
				goto usage;
		} else if ((r = opt_value(argc, argv, &i, "--accept", &v)) != 0) {
			if (r < 0)
				goto usage;
			if (strcmp(v, "prune") != 0) {
				fprintf(stderr, "asbgen render: --accept takes 'prune' (danger rules are accepted by asbgen diff)\n");
				goto usage;
			}
			accept_prune = true;
		} else if ((r = opt_value(argc, argv, &i, "--only", &v)) != 0) {
			if (r < 0 || !kinds_parse("render", v, &only))
				goto usage;
		} else {
			unknown_option("render", argv[i], help);
			goto usage;
		}
	}
	/* An empty path is a mistake (-o "" would write to /<environment>/). */
	if (!*outdir || (tdir && !*tdir)) {
		fprintf(stderr, "asbgen render: %s needs a directory, not an empty string\n",
			!*outdir ? "-o/--output" : "--templates");
		goto usage;
	}
	if (!nspecs || (check && to_stdout) || (fmt && !parse_format(fmt, &c.format))) {
		if (fmt && !parse_format(fmt, &c.format))
			fprintf(stderr, "asbgen render: unknown format '%s'\n", fmt);
		goto usage;
	}
	if (!tdir)
		tdir = data_path(&c, "templates");
	/* JSON diagnostics own standard output. */
	if (c.format == DIAG_JSON)
		quiet = true;

	/* Render everything before writing anything. */
	struct out_set *sets = arena_alloc(c.arena, nspecs * sizeof *sets);
	const struct value **production = arena_alloc(c.arena, nspecs * sizeof *production);
	/* A spec whose last render into this folder read the same inputs
	 * and left files nobody touched since has nothing to do (its note:
	 * render_cache.h); [from, to) are the diagnostics of each render. */
	struct rcache **notes = arena_alloc(c.arena, nspecs * sizeof *notes);
	bool *done = arena_alloc(c.arena, nspecs * sizeof *done);
	size_t *from = arena_alloc(c.arena, nspecs * sizeof *from), *to = arena_alloc(c.arena, nspecs * sizeof *to);
	struct rcache_opts ro = { outdir, tdir, to_stdout ? 0 : only };
	struct stream st = { .only = only };
	spool_init(&st.spool, STREAM_MEM);
	bool ok = true;
	for (size_t i = 0; i < nspecs; i++) {
		production[i] = NULL;
		notes[i] = no_cache || to_stdout ? NULL : rcache_open(&c, specs[i], &ro);
		from[i] = c.diags.n;
		const char *dir;
		if ((done[i] = rcache_hit(&c, notes[i], &dir, true)))
			sets[i] = (struct out_set){ .dir = dir, .spec = specs[i] };
		else if (render_one(&c, specs[i], tdir, outdir, &sets[i], &production[i],
				    to_stdout ? stream_file : NULL, &st) != 0)
			ok = false;
		else if (only && !to_stdout)
			keep_kinds(&sets[i], only);
		to[i] = c.diags.n;
		for (size_t j = 0; ok && j < i; j++)
			if (!strcmp(sets[j].dir, sets[i].dir)) {
				diag_pos(&c.diags, SEV_ERROR, specs[i], 0, 0, "render-duplicate-env",
					 "give each environment its own name",
					 "%s renders into %s, as %s does", specs[i], sets[i].dir, specs[j]);
				ok = false;
			}
	}
	for (size_t i = 0; ok && !check && !to_stdout && !accept_prune && i < nspecs; i++)
		if (!done[i] && production[i] && production_prune(&c, &sets[i], production[i]) != 0)
			ok = false;
	if (!ok) {
		ctx_report(&c);
		rc = EXIT_INVALID;
		for (size_t i = 0; i < c.diags.n; i++)
			if (!strcmp(c.diags.items[i].id, "io") || !strcmp(c.diags.items[i].id, "out-symlink"))
				rc = EXIT_USAGE;
		if (nspecs > 0)
			fputs("asbgen render: nothing was written\n", stderr);
		spool_free(&st.spool);
		ctx_free(&c);
		return rc;
	}
	/* Every environment's files to temporaries before any is renamed into
	 * place: a write error in the last one leaves the first unchanged. */
	struct out_pending **pend = arena_alloc(c.arena, nspecs * sizeof *pend);
	for (size_t i = 0; !check && !to_stdout && i < nspecs; i++) {
		pend[i] = NULL;
		if (done[i])
			continue;
		/* Before anything changes: a render killed half way leaves no note. */
		rcache_forget(notes[i]);
		if ((pend[i] = out_prepare(c.arena, &c.diags, &sets[i])) != NULL)
			continue;
		for (size_t j = 0; j < i; j++)
			if (pend[j])
				out_abort(pend[j]);
		ctx_report(&c);
		fputs("asbgen render: nothing was written\n", stderr);
		spool_free(&st.spool);
		ctx_free(&c);
		return EXIT_USAGE;
	}
	struct report rep = { quiet, check, c.format == DIAG_JSON, check && c.format == DIAG_GITHUB ? &c : NULL, NULL };
	for (size_t i = 0; i < nspecs; i++) {
		struct out_set *s = &sets[i];
		rep.spec = specs[i];
		if (done[i] || to_stdout) /* --stdout: on the spool, printed below */
			continue;
		if (check) {
			size_t ndiffs;
			if (out_compare(c.arena, &c.diags, s, on_change, &rep, &ndiffs) != 0)
				rc = EXIT_USAGE;
			else if (ndiffs > 0 && rc == EXIT_OK)
				rc = EXIT_INVALID;
		} else if (out_commit(c.arena, &c.diags, pend[i], on_change, &rep) != 0) {
			rc = EXIT_USAGE;
		} else {
			rcache_store(&c, notes[i], s, from[i], to[i]);
		}
	}
	if (to_stdout && (fflush(stdout) != 0 || spool_flush(&st.spool, fileno(stdout)) != 0)) {
		/* A spill that failed wrote nothing to standard output. */
		fprintf(stderr, "asbgen render: %s: %s\n",
			st.spool.err ? "cannot hold the output in a temporary file ($TMPDIR)"
				     : "cannot write to standard output",
			strerror(errno));
		rc = EXIT_USAGE;
	}
	spool_free(&st.spool);
	ctx_report(&c);
	if (check && rc == EXIT_INVALID)
		fputs("asbgen render --check: rendered output differs from what is on disk; run asbgen render\n", stderr);
	ctx_free(&c);
	return rc;
usage:
	fputs(help, stderr);
	ctx_free(&c);
	return EXIT_USAGE;
}
