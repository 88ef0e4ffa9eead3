/* spec_sound.c - the sections of a spec its schema errors lie in, and the
 * spec without them (see spec_sound.h). */
#include "spec_sound.h"
#include "arena.h"
#include "diag.h"
#include "schema.h"

#include <string.h>

static int cmp_pos(int l1, int c1, int l2, int c2)
{
	return l1 != l2 ? (l1 < l2 ? -1 : 1) : c1 != c2 ? (c1 < c2 ? -1 : 1) : 0;
}

/* The entry of mapping m whose text holds line:col (an entry runs from its
 * key to the next key): its index, -1 when line:col comes before the first
 * key, -2 when the keys are not in document order (merge keys) or have no
 * position. */
static long entry_at(const struct value *m, int line, int col)
{
	long found = -1;
	for (size_t i = 0; i < m->map.n; i++) {
		const struct mark *k = &m->map.items[i].key->mark;
		if (k->line <= 0)
			return -2;
		if (i) {
			const struct mark *prev = &m->map.items[i - 1].key->mark;
			if (cmp_pos(prev->line, prev->col, k->line, k->col) >= 0)
				return -2;
		}
		if (cmp_pos(k->line, k->col, line, col) <= 0)
			found = (long)i;
	}
	return found;
}

/* Marks of the units taken out: whole[i] for the top-level entry i, or
 * part[i][j] for entry j of its mapping. */
struct cut {
	bool *whole;
	bool **part;
};

static bool mark_error(struct arena *a, const struct value *spec, struct cut *cut, const struct diag *g)
{
	if (!g->file || !spec->mark.file || strcmp(g->file, spec->mark.file) || g->line <= 0)
		return false;
	long i = entry_at(spec, g->line, g->col);
	if (i < 0)
		return false; /* the spec as a whole (a required key missing) */
	const struct value *v = spec->map.items[i].val;
	long j = v->kind == V_MAP && !cut->whole[i] ? entry_at(v, g->line, g->col) : -1;
	if (j == -2)
		return false;
	if (j < 0) {
		cut->whole[i] = true;
		return true;
	}
	if (!cut->part[i])
		cut->part[i] = arena_alloc(a, v->map.n * sizeof *cut->part[i]);
	cut->part[i][j] = true;
	return true;
}

static const char **add_name(struct arena *a, const char **names, size_t *n, const char *name)
{
	names = arena_realloc(a, names, *n * sizeof *names, (*n + 1) * sizeof *names);
	names[(*n)++] = name;
	return names;
}

struct value *spec_sound_part(struct arena *a, const struct schema *s, const struct value *spec,
			      const struct diags *d, size_t from, const char ***unsound, size_t *n)
{
	*unsound = NULL;
	*n = 0;
	if (!spec || spec->kind != V_MAP || !spec->map.n)
		return NULL;
	size_t nt = spec->map.n;
	struct cut cut = { arena_alloc(a, nt * sizeof *cut.whole), arena_alloc(a, nt * sizeof *cut.part) };
	for (size_t k = from; k < d->n; k++)
		if (d->items[k].sev == SEV_ERROR && !mark_error(a, spec, &cut, &d->items[k]))
			return NULL;

	const char **names = NULL;
	size_t nn = 0;
	struct value *out = v_map(a, &spec->mark);
	out->flags = spec->flags;
	for (size_t i = 0; i < nt; i++) {
		const struct pair *p = &spec->map.items[i];
		const struct value *v = p->val;
		if (cut.whole[i]) {
			names = add_name(a, names, &nn, p->key->str.s);
			continue;
		}
		if (!cut.part[i]) {
			map_put(a, out, p->key, p->val);
			continue;
		}
		struct value *m = v_map(a, &v->mark);
		m->flags = v->flags;
		for (size_t j = 0; j < v->map.n; j++) {
			const struct pair *q = &v->map.items[j];
			if (!cut.part[i][j]) {
				map_put(a, m, q->key, q->val);
				continue;
			}
			names = add_name(a, names, &nn, arena_printf(a, "%s.%s", p->key->str.s, q->key->str.s));
		}
		map_put(a, out, p->key, m);
	}
	/* Sound only if the schema accepts what is left: a required section
	 * cannot go, and an alias may hold a bad node in another section. */
	if (!schema_is_valid(s, out))
		return NULL;
	*unsound = names;
	*n = nn;
	return out;
}
