/* test_yaml_fast.c - yaml_fast.c gives libfyaml's tree or declines.
 *
 * Every YAML file of the checkout and of ../shared/reference (or
 * $ASBGEN_SHARED/reference) is loaded twice: as asbgen loads it (the fast
 * reader first) and by libfyaml alone; the results must be the same tree,
 * kinds, values, flags and marks, or the same diagnostics.  The
 * environment specs, and mutations of them (each line dropped, doubled,
 * indented, its ": " and quotes changed), make the fast reader meet text
 * it must decline or read exactly.
 */
#include <stdlib.h>

#include "arena.h"
#include "diag.h"
#include "dirwalk.h"
#include "load.h"
#include "yaml_fast.h"
#include "unit.h"

static bool same_tree(const struct value *a, const struct value *b, char *why, size_t wn)
{
	if (a->kind != b->kind || a->flags != b->flags || a->mark.line != b->mark.line || a->mark.col != b->mark.col) {
		snprintf(why, wn, "%s at %d:%d (flags %u) vs %s at %d:%d (flags %u)", vkind_name(a->kind), a->mark.line,
			 a->mark.col, a->flags, vkind_name(b->kind), b->mark.line, b->mark.col, b->flags);
		return false;
	}
	switch (a->kind) {
	case V_BOOL: return a->b == b->b;
	case V_INT: return a->i == b->i;
	case V_FLOAT: return a->f == b->f || (a->f != a->f && b->f != b->f);
	case V_STRING:
		if (a->str.len != b->str.len || memcmp(a->str.s, b->str.s, a->str.len)) {
			snprintf(why, wn, "'%.40s' vs '%.40s' at %d:%d", a->str.s, b->str.s, a->mark.line, a->mark.col);
			return false;
		}
		return true;
	case V_SEQ:
		if (a->seq.n != b->seq.n)
			return false;
		for (size_t i = 0; i < a->seq.n; i++)
			if (!same_tree(a->seq.items[i], b->seq.items[i], why, wn))
				return false;
		return true;
	case V_MAP:
		if (a->map.n != b->map.n) {
			snprintf(why, wn, "%zu vs %zu entries at %d:%d", (size_t)a->map.n, (size_t)b->map.n, a->mark.line, a->mark.col);
			return false;
		}
		for (size_t i = 0; i < a->map.n; i++)
			if (!same_tree(a->map.items[i].key, b->map.items[i].key, why, wn) ||
			    !same_tree(a->map.items[i].val, b->map.items[i].val, why, wn))
				return false;
		return true;
	default: return true;
	}
}

static bool count_ev(void *ctx, const struct yaml_ev *e)
{
	(void)ctx;
	(void)e;
	return true;
}

/* Both readers on one text: NULL when they agree, else why not.  *fast:
 * the fast reader read it whole. */
static const char *compare(struct arena *a, const char *path, const char *text, size_t len, bool *fast)
{
	static char why[300];
	struct diags d1, d2;
	diags_init(&d1, a);
	diags_init(&d2, a);
	struct value **x = NULL, **y = NULL;
	int n1 = load_yaml_stream(a, &d1, path, text, len, &x);
	int n2 = load_yaml_stream_libfyaml(a, &d2, path, text, len, &y);
	*fast = yaml_fast_parse(a, path, text, len, count_ev, NULL) == 0;
	const char *res = NULL;
	if (n1 != n2) {
		snprintf(why, sizeof why, "%d documents vs libfyaml's %d", n1, n2);
		res = why;
	} else if (d1.n != d2.n) {
		snprintf(why, sizeof why, "%zu diagnostics vs libfyaml's %zu", d1.n, d2.n);
		res = why;
	} else {
		for (int i = 0; i < n1 && !res; i++)
			if (!same_tree(x[i], y[i], why, sizeof why))
				res = why;
		for (size_t i = 0; i < d1.n && !res; i++)
			if (strcmp(d1.items[i].msg, d2.items[i].msg) || d1.items[i].line != d2.items[i].line ||
			    d1.items[i].col != d2.items[i].col) {
				snprintf(why, sizeof why, "diagnostic '%s' vs '%s'", d1.items[i].msg, d2.items[i].msg);
				res = why;
			}
	}
	diags_free(&d1);
	diags_free(&d2);
	return res;
}

/* Every file under root: the number read, fast, and the first difference. */
static void corpus(const char *root, const char *name, size_t min_fast)
{
	struct arena *a = arena_new();
	struct diags d;
	diags_init(&d, a);
	static const char *const exts[] = { ".yaml", ".yml", NULL };
	struct pathlist pl = { 0 };
	if (!dirwalk_collect(a, &d, root, exts, "io", &pl)) {
		printf("# %s: %s not readable, skipped\n", name, root);
		diags_free(&d);
		arena_free(a);
		return;
	}
	size_t nfast = 0, nbad = 0;
	char first[600] = "";
	for (size_t i = 0; i < pl.n; i++) {
		size_t len;
		char *t = unit_slurp(pl.items[i], &len);
		if (!t)
			continue;
		struct arena *fa = arena_new();
		bool fast;
		const char *why = compare(fa, pl.items[i], t, len, &fast);
		nfast += fast;
		if (why && !nbad++)
			snprintf(first, sizeof first, "%s: %s", pl.items[i], why);
		arena_free(fa);
		free(t);
	}
	char title[700];
	snprintf(title, sizeof title, "yaml_fast %s: the same trees as libfyaml (%s)", name, nbad ? first : "all");
	CHECK(title, nbad == 0);
	snprintf(title, sizeof title, "yaml_fast %s: the fast reader reads at least %zu files", name, min_fast);
	CHECK(title, nfast >= min_fast);
	printf("# %s: %zu files, %zu read by the fast reader\n", name, pl.n, nfast);
	diags_free(&d);
	arena_free(a);
}

/* Edits of one line of text: a list of variants, each checked. */
static void mutations(const char *path)
{
	size_t len;
	char *t = unit_slurp(path, &len);
	CHECK("yaml_fast mutations: the spec is readable", t != NULL);
	if (!t)
		return;
	size_t nlines = 0, nbad = 0, nfast = 0, ncases = 0;
	const char *ls[4096];
	for (const char *p = t; p < t + len && nlines < 4096;) {
		ls[nlines++] = p;
		const char *nl = memchr(p, '\n', (size_t)(t + len - p));
		p = nl ? nl + 1 : t + len;
	}
	char first[600] = "";
	char *buf = malloc(2 * len + 64);
	for (size_t i = 0; i < nlines; i++) {
		const char *end = i + 1 < nlines ? ls[i + 1] : t + len;
		size_t pre = (size_t)(ls[i] - t), ll = (size_t)(end - ls[i]);
		for (int kind = 0; kind < 8; kind++) {
			size_t n = 0;
			memcpy(buf, t, pre);
			n = pre;
			switch (kind) {
			case 0: break;                                       /* line dropped */
			case 1: memcpy(buf + n, ls[i], ll); n += ll; memcpy(buf + n, ls[i], ll); n += ll; break;
			case 2: buf[n++] = ' '; memcpy(buf + n, ls[i], ll); n += ll; break;      /* indented */
			case 3: memcpy(buf + n, ls[i], ll); n += ll; if (n > pre + 1 && buf[n - 1] == '\n') n--; break;
			default: {
				/* a character replaced: ": " joined, a quote, a dash, a colon */
				static const char *from[] = { ": ", "'", "- ", " " }, *to[] = { ":", "\"", "-", ": " };
				const char *hit = NULL;
				for (size_t k = 0; k + strlen(from[kind - 4]) <= ll; k++)
					if (!memcmp(ls[i] + k, from[kind - 4], strlen(from[kind - 4]))) {
						hit = ls[i] + k;
						break;
					}
				if (!hit)
					continue;
				size_t k = (size_t)(hit - ls[i]);
				memcpy(buf + n, ls[i], k);
				n += k;
				memcpy(buf + n, to[kind - 4], strlen(to[kind - 4]));
				n += strlen(to[kind - 4]);
				memcpy(buf + n, hit + strlen(from[kind - 4]), ll - k - strlen(from[kind - 4]));
				n += ll - k - strlen(from[kind - 4]);
			}
			}
			memcpy(buf + n, end, (size_t)(t + len - end));
			n += (size_t)(t + len - end);
			buf[n] = '\0';
			struct arena *fa = arena_new();
			bool fast;
			const char *why = compare(fa, path, buf, n, &fast);
			ncases++;
			nfast += fast;
			if (why && !nbad++)
				snprintf(first, sizeof first, "line %zu, edit %d: %s", i + 1, kind, why);
			arena_free(fa);
		}
	}
	char title[800];
	snprintf(title, sizeof title, "yaml_fast mutations of %s: the same trees or diagnostics as libfyaml (%s)", path,
		 nbad ? first : "all");
	CHECK(title, nbad == 0);
	printf("# mutations of %s: %zu texts, %zu read by the fast reader\n", path, ncases, nfast);
	free(buf);
	free(t);
}

int main(void)
{
	const char *shared = getenv("ASBGEN_SHARED");
	char ref[4096];
	snprintf(ref, sizeof ref, "%s/reference", shared ? shared : "../shared");
	corpus("environments", "environments", 5);
	corpus("examples", "examples", 1);
	corpus("templates", "templates", 1);
	corpus("tests", "tests", 1);
	corpus(ref, "reference", 0);
	mutations("environments/usdfdev.yaml");
	mutations("environments/idfint.yaml");
	return UNIT_DONE();
}
