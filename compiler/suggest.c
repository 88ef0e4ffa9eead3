/* suggest.c - "did you mean" (see suggest.h). */
#include "suggest.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "arena.h"

int suggest_distance(const char *a, size_t alen, const char *b, size_t blen, int max)
{
	if (alen > SUGGEST_MAX_LEN || blen > SUGGEST_MAX_LEN)
		return max + 1;
	if ((alen > blen ? alen - blen : blen - alen) > (size_t)max)
		return max + 1;
	/* three rows: the one before the previous is needed for swaps */
	int r0[SUGGEST_MAX_LEN + 1], r1[SUGGEST_MAX_LEN + 1], r2[SUGGEST_MAX_LEN + 1];
	int *pp = r0, *prev = r1, *cur = r2;
	for (size_t j = 0; j <= blen; j++)
		prev[j] = (int)j;
	int prev_best = 0;
	for (size_t i = 1; i <= alen; i++) {
		cur[0] = (int)i;
		int best = cur[0];
		for (size_t j = 1; j <= blen; j++) {
			int v = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			cur[j] = v;
			if (v < best)
				best = v;
		}
		/* a later row is at least the smaller of this row's minimum and
		 * the previous one's plus one (a swap reaches back two rows) */
		if (best > max && prev_best > max)
			return max + 1;
		prev_best = best;
		int *t = pp;
		pp = prev;
		prev = cur;
		cur = t;
	}
	return prev[blen] > max ? max + 1 : prev[blen];
}

const char *suggest_closest(const char *w, size_t wn, const char *const *cands, size_t n)
{
	enum { PREFIX = 1000, NONE = 1001 };
	const char *best = NULL;
	int best_score = NONE;
	if (wn > SUGGEST_MAX_LEN)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const char *c = cands[i];
		size_t cn = strlen(c);
		int score;
		int max = wn <= 4 || cn <= 3 ? 1 : wn / 3 > 2 ? (int)(wn / 3) : 2;
		int dist;
		if (wn == cn && !strncasecmp(w, c, wn))
			score = 0;
		else if ((dist = suggest_distance(w, wn, c, cn, max)) <= max)
			score = dist;
		else if ((wn >= 3 && cn > wn && strncmp(c, w, wn) == 0) ||
			 (cn >= 3 && wn > cn && strncmp(w, c, cn) == 0))
			score = PREFIX;
		else
			continue;
		if (score < best_score) {
			best_score = score;
			best = c;
		}
	}
	return best;
}

const char *suggest_hint(struct arena *a, const char *w, size_t wn, const char *const *cands, size_t n)
{
	const char *c = suggest_closest(w, wn, cands, n);
	return c ? arena_printf(a, "did you mean '%s'?", c) : NULL;
}
