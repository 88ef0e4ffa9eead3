/* check_accept.c - acceptWarnings: warnings a spec accepts as known, each
 * with its reason, so that CI output stays quiet until something new
 * appears.  Runs after every other check: an accepted warning is dropped
 * from the diagnostics; an acceptance that matches no warning is itself a
 * warning, so that one cannot outlive what it was written for. */
#include "check.h"
#include "arena.h"
#include "diag.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

struct acceptance {
	const struct value *at;   /* the acceptWarnings item */
	size_t index;             /* its index */
	const char *rule;
	const char *path;         /* NULL: every warning of the rule */
	const struct value *node; /* what path names */
	long long lo, hi;         /* the text it spans (span) */
	size_t matched;
};

struct accepting {
	struct acceptance *acc;
	size_t n;
};

/* The node a path names: map keys (which may hold dots themselves: the
 * longest key that fits wins) and [N] list indexes. */
static const struct value *resolve(const struct value *v, const char *p)
{
	while (v && *p) {
		if (*p == '[') {
			char *end;
			unsigned long long i = strtoull(p + 1, &end, 10);
			if (v->kind != V_SEQ || end == p + 1 || *end != ']' || !isdigit((unsigned char)p[1]) || i >= v->seq.n)
				return NULL;
			v = v->seq.items[i];
			p = end + 1;
		} else if (v->kind == V_MAP) {
			const struct value *best = NULL;
			size_t blen = 0;
			for (size_t i = 0; i < v->map.n; i++) {
				const struct value *k = v->map.items[i].key;
				size_t n = k->str.len;
				if (n > blen && !strncmp(p, k->str.s, n) && (!p[n] || p[n] == '.' || p[n] == '[')) {
					best = v->map.items[i].val;
					blen = n;
				}
			}
			if (!best)
				return NULL;
			v = best;
			p += blen;
		} else {
			return NULL;
		}
		if (*p == '.')
			p++;
	}
	return v;
}

/* A position in the spec's text, in reading order. */
static long long pos(int line, int col)
{
	return (long long)line << 32 | (unsigned)col;
}

/* The text a node spans: from its first mark to the last of the nodes
 * below it.  A warning between the two points at the node or below it
 * (an alias's node, written elsewhere, is not in the span). */
static void span(const struct value *v, const char *file, long long *lo, long long *hi)
{
	if (v->mark.file && !strcmp(v->mark.file, file)) {
		long long p = pos(v->mark.line, v->mark.col);
		*lo = p < *lo ? p : *lo;
		*hi = p > *hi ? p : *hi;
	}
	if (v->kind == V_MAP)
		for (size_t i = 0; i < v->map.n; i++) {
			span(v->map.items[i].key, file, lo, hi);
			span(v->map.items[i].val, file, lo, hi);
		}
	if (v->kind == V_SEQ)
		for (size_t i = 0; i < v->seq.n; i++)
			span(v->seq.items[i], file, lo, hi);
}

static bool accepted(void *ctx, const struct diag *w)
{
	struct accepting *s = ctx;
	bool any = false;
	for (size_t i = 0; i < s->n; i++) {
		struct acceptance *a = &s->acc[i];
		bool here = !a->path || (w->file && a->node->mark.file && !strcmp(w->file, a->node->mark.file) &&
					 pos(w->line, w->col) >= a->lo && pos(w->line, w->col) <= a->hi);
		if (w->id && !strcmp(w->id, a->rule) && here) {
			a->matched++;
			any = true;
		}
	}
	return any;
}

static bool blank(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return !*s;
}

void check_accept(struct check *c, size_t from)
{
	const struct value *list = map_get(c->model, "acceptWarnings");
	if (!list || list->kind != V_SEQ || !list->seq.n)
		return;
	struct accepting s = { arena_alloc(c->a, list->seq.n * sizeof *s.acc), 0 };
	for (size_t i = 0; i < list->seq.n; i++) {
		const struct value *e = list->seq.items[i];
		const struct value *rule = map_get(e, "rule"), *path = map_get(e, "path"), *reason = map_get(e, "reason");
		if (!rule || rule->kind != V_STRING)
			continue; /* the schema reports it */
		if (!reason || reason->kind != V_STRING || blank(reason->str.s)) {
			check_error(c, reason ? reason : e, "accept-warnings",
				    "say why the warning is acceptable, so that a reader can judge it later",
				    "acceptWarnings[%zu] has no reason", i);
			continue;
		}
		struct acceptance *a = &s.acc[s.n];
		*a = (struct acceptance){ e, i, rule->str.s, NULL, NULL, 0, 0, 0 };
		if (path && path->kind == V_STRING) {
			a->path = path->str.s;
			a->node = resolve(c->spec, a->path);
			if (!a->node || !a->node->mark.file) {
				check_error(c, path, "accept-warnings",
					    "write the path of a node of this spec, such as topicDefaults.replicas or topics[2]",
					    "acceptWarnings[%zu].path '%s' names nothing written in the spec", i, a->path);
				continue;
			}
			a->lo = LLONG_MAX;
			a->hi = LLONG_MIN;
			span(a->node, a->node->mark.file, &a->lo, &a->hi);
		}
		s.n++;
	}
	diags_drop_warnings_if(c->d, from, accepted, &s);
	for (size_t i = 0; i < s.n; i++)
		if (!s.acc[i].matched)
			check_warning(c, s.acc[i].at, "accept-unused", "remove the acceptance: the warning it was written for is gone",
				      "acceptWarnings[%zu] accepts %s%s%s, but no such warning is reported", s.acc[i].index, s.acc[i].rule,
				      s.acc[i].path ? " at " : "", s.acc[i].path ? s.acc[i].path : "");
}
