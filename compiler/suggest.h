/* suggest.h - "did you mean": one edit distance and one policy for every
 * hint that names the closest of some candidates (schema keys and enums,
 * template names, directives and index keys, topic and level names).
 *
 * The policy, in order of preference (ties: the first candidate):
 *   1. the same word in another case ("Replicas" for "replicas");
 *   2. an edit distance (optimal string alignment: insertions, deletions,
 *      substitutions and swaps of two neighbours) of at most 1 when the
 *      misspelt word has 4 characters or fewer or the candidate 3 or fewer
 *      ("nope" is not "name"), else at most max(2, len / 3) where len is
 *      the misspelt word's length (the longer a name, the more typos it
 *      carries);
 *   3. one word a prefix of the other, of 3 characters or more.
 * Words longer than SUGGEST_MAX_LEN are not compared.
 */
#ifndef ASBGEN_SUGGEST_H
#define ASBGEN_SUGGEST_H

#include <stddef.h>

struct arena;

#define SUGGEST_MAX_LEN 64

/* The edit distance of a and b, or max + 1 when it is larger than max (or
 * a word is longer than SUGGEST_MAX_LEN). */
int suggest_distance(const char *a, size_t alen, const char *b, size_t blen, int max);

/* The closest of n candidates to w[0..wn) under the policy above, or NULL. */
const char *suggest_closest(const char *w, size_t wn, const char *const *cands, size_t n);

/* "did you mean 'x'?" for the closest candidate (in a), or NULL. */
const char *suggest_hint(struct arena *a, const char *w, size_t wn, const char *const *cands, size_t n);

#endif
