/* validate_run.c - many specs in parallel workers, merged in order (see
 * validate_run.h). */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include "validate_run.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "cli.h"
#include "hashmap.h"
#include "render_check.h"
#include "template.h"

/* What one spec reported: a range of its worker's diagnostics. */
struct spec_result {
	size_t worker;
	size_t from, render_from, to; /* [from, render_from) loading and checks, then the render */
	bool render_failed;           /* the templates failed on it */
	struct mark spec;             /* its model's mark, for spec_render_note */
};

struct worker {
	struct validation *v;
	size_t id;
	struct ctx c;
	struct tmpl_cache *tc;
	struct arena *scratch; /* renders (render_check.h) */
	struct arena *sa;      /* the current spec's; cleared unless it reported something */
	struct arena **kept;   /* those of specs that reported something */
	size_t nkept, capkept;
	pthread_t thread;
	bool started;
};

struct validation {
	const char *const *specs;
	size_t n;
	const char *tdir;
	const char *testid;
	atomic_size_t next; /* the next spec a worker takes */
	struct spec_result *res;
	struct worker *w;
	size_t nw;
};

unsigned validate_auto_jobs(size_t n)
{
	long cpus = 0;
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof set, &set) == 0)
		cpus = CPU_COUNT(&set);
	if (cpus < 1)
		cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (cpus < 1)
		cpus = 1;
	size_t most = n / VALIDATE_SPECS_PER_JOB;
	if ((size_t)cpus < most)
		most = (size_t)cpus;
	return most ? (unsigned)most : 1;
}

/* Forget the source texts held by a (the spec's, not the templates'
 * that a cache keeps), before a is cleared. */
static void drop_sources_in(struct diags *d, const struct arena *a)
{
	size_t k = 0;
	for (size_t i = 0; i < d->nsources; i++)
		if (!arena_holds(a, d->sources[i].text) && !arena_holds(a, d->sources[i].path))
			d->sources[k++] = d->sources[i];
	d->nsources = k;
}

static void keep_arena(struct worker *w)
{
	if (w->nkept == w->capkept) {
		w->capkept = w->capkept ? 2 * w->capkept : 8;
		w->kept = xrealloc(w->kept, w->capkept * sizeof *w->kept);
	}
	w->kept[w->nkept++] = w->sa;
	w->sa = arena_new();
}

/* One spec, in the worker's compilation.  Each spec is compiled in an
 * arena of its own, cleared for the next one unless a diagnostic points
 * into it (its text, its marks): memory stays that of one spec, not of
 * all (146 MiB for 1,000 small specs, every page of it faulted in and
 * zeroed). */
static void check_one(struct worker *w, size_t i)
{
	struct ctx *c = &w->c;
	struct spec_result *r = &w->v->res[i];
	r->worker = w->id;
	r->from = c->diags.n;
	c->arena = w->sa;
	struct value *model = model_load(c, w->v->specs[i]);
	r->render_from = c->diags.n;
	if (model) {
		r->spec = model->mark;
		r->render_failed = spec_render_check(c, model, w->v->tdir, w->tc, w->scratch) != 0;
	}
	c->arena = c->keep;
	r->to = c->diags.n;
	/* A failed render is reported for this spec at least by the merge's
	 * note, which points into the arena (its mark, its source). */
	if (r->to > r->from || r->render_failed) {
		keep_arena(w);
	} else {
		drop_sources_in(&c->diags, w->sa);
		arena_clear(w->sa);
	}
}

static void *work(void *arg)
{
	struct worker *w = arg;
	for (;;) {
		/* In increasing order within a worker: what its cache reports
		 * once is then reported for its first spec that meets it. */
		size_t i = atomic_fetch_add(&w->v->next, 1);
		if (i >= w->v->n)
			break;
		check_one(w, i);
	}
	return NULL;
}

static void worker_init(struct worker *w, struct validation *v, size_t id)
{
	w->v = v;
	w->id = id;
	ctx_init(&w->c);
	w->c.testid = v->testid;
	w->c.keep = w->c.arena;
	w->tc = tmpl_cache_new();
	w->scratch = arena_new();
	w->sa = arena_new();
}

/* The once key of g (diag.h) as a string, for the merge's set. */
static const char *once_key(struct arena *a, const struct diag *g, size_t *len)
{
	const struct mark *m = g->once;
	char *k = arena_printf(a, "%d:%d:%s", m->line, m->col, m->file ? m->file : "");
	*len = strlen(k);
	return k;
}

/* Spec after spec, as one worker would have reported them: a diagnostic
 * keyed `once` is dropped when an earlier spec reported that key (a
 * spec's own repeats of a key all stay: a file's first load reports
 * several); a spec whose templates failed with no error of its render
 * left gets the note that one worker's cache gives it. */
static void merge(struct ctx *c, struct validation *v)
{
	struct hashmap seen;
	hashmap_init(&seen, c->arena);
	struct key {
		const char *s;
		size_t n;
	} *fresh = NULL; /* the keys this spec reports first */
	size_t nfresh = 0, capfresh = 0;
	for (size_t i = 0; i < v->n; i++) {
		const struct spec_result *r = &v->res[i];
		const struct diags *wd = &v->w[r->worker].c.diags;
		size_t render_errors = 0;
		nfresh = 0;
		for (size_t k = r->from; k < r->to; k++) {
			const struct diag *g = &wd->items[k];
			if (g->once) {
				size_t len;
				const char *key = once_key(c->arena, g, &len);
				if (hashmap_get(&seen, key, len))
					continue;
				if (nfresh == capfresh) {
					capfresh = capfresh ? 2 * capfresh : 16;
					fresh = xrealloc(fresh, capfresh * sizeof *fresh);
				}
				fresh[nfresh++] = (struct key){ key, len };
			}
			diags_append(&c->diags, g);
			if (k >= r->render_from && g->sev == SEV_ERROR)
				render_errors++;
		}
		if (r->render_failed && render_errors == 0)
			spec_render_note(&c->diags, &r->spec);
		for (size_t k = 0; k < nfresh; k++)
			hashmap_add(&seen, fresh[k].s, fresh[k].n);
	}
	free(fresh);
	for (size_t j = 0; j < v->nw; j++) {
		const struct diags *wd = &v->w[j].c.diags;
		for (size_t k = 0; k < wd->nsources; k++)
			diags_add_source(&c->diags, wd->sources[k].path, wd->sources[k].text, wd->sources[k].len);
	}
}

struct validation *validate_specs(struct ctx *c, const char *const *specs, size_t n, const char *tdir,
				  unsigned jobs)
{
	struct validation *v = xcalloc(1, sizeof *v);
	v->specs = specs;
	v->n = n;
	v->tdir = tdir;
	v->testid = c->testid;
	atomic_init(&v->next, 0);
	v->res = xcalloc(n ? n : 1, sizeof *v->res);
	v->nw = jobs < 1 ? 1 : jobs > n ? (n ? n : 1) : jobs;
	v->w = xcalloc(v->nw, sizeof *v->w);
	for (size_t j = 0; j < v->nw; j++)
		worker_init(&v->w[j], v, j);
	/* This thread is worker 0.  A thread that cannot be made leaves its
	 * share to the others: the counter hands out whatever is left. */
	for (size_t j = 1; j < v->nw; j++)
		v->w[j].started = pthread_create(&v->w[j].thread, NULL, work, &v->w[j]) == 0;
	work(&v->w[0]);
	for (size_t j = 1; j < v->nw; j++)
		if (v->w[j].started)
			pthread_join(v->w[j].thread, NULL);
	merge(c, v);
	return v;
}

void validation_free(struct validation *v)
{
	if (!v)
		return;
	for (size_t j = 0; j < v->nw; j++) {
		struct worker *w = &v->w[j];
		tmpl_cache_free(w->tc);
		arena_free(w->scratch);
		arena_free(w->sa);
		for (size_t k = 0; k < w->nkept; k++)
			arena_free(w->kept[k]);
		free(w->kept);
		ctx_free(&w->c);
	}
	free(v->w);
	free(v->res);
	free(v);
}
