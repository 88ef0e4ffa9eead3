/* test_suggest.c - the one "did you mean" policy (compiler/suggest.h). */
#include <string.h>

#include "arena.h"
#include "suggest.h"
#include "unit.h"

static const char *closest(const char *w, const char *const *c, size_t n)
{
	const char *s = suggest_closest(w, strlen(w), c, n);
	return s ? s : "(none)";
}

int main(void)
{
	CHECK("distance: one insertion", suggest_distance("replica", 7, "replicas", 8, 2) == 1);
	CHECK("distance: two", suggest_distance("rplica", 6, "replicas", 8, 2) == 2);
	CHECK("distance: capped at max + 1", suggest_distance("abc", 3, "xyzxyz", 6, 2) == 3 &&
						     suggest_distance("abcdef", 6, "uvwxyz", 6, 2) == 3);
	CHECK("distance: a swap of neighbours is one", suggest_distance("nmae", 4, "name", 4, 2) == 1);
	CHECK("distance: equal", suggest_distance("same", 4, "same", 4, 0) == 0);
	char long_word[66];
	memset(long_word, 'a', 65);
	long_word[65] = '\0';
	CHECK("distance: longer than 64 is not compared", suggest_distance(long_word, 65, long_word, 65, 5) == 6);

	static const char *const keys[] = { "replicas", "partitions", "config", "name" };
	CHECK_STR("closest: a typo", closest("replcas", keys, 4), "replicas");
	CHECK_STR("closest: another case first", closest("Name", keys, 4), "name");
	CHECK_STR("closest: a swap", closest("nmae", keys, 4), "name");
	CHECK_STR("closest: a prefix of 3 or more", closest("part", keys, 4), "partitions");
	CHECK_STR("closest: nothing near", closest("zzzzzz", keys, 4), "(none)");
	static const char *const shorts[] = { "if", "for", "each" };
	CHECK_STR("closest: short words allow one edit", closest("fo", shorts, 3), "for");
	CHECK_STR("closest: not two", closest("xy", shorts, 3), "(none)");
	static const char *const topics[] = { "lsst-alerts-v7.1", "lsst-alerts-v7.2" };
	CHECK_STR("closest: ties go to the first", closest("lsst-alerts-v7.3", topics, 2), "lsst-alerts-v7.1");
	CHECK_STR("closest: long names allow len/3 edits", closest("lsst-alrts-v71", topics, 2), "lsst-alerts-v7.1");
	struct arena *a = arena_new();
	CHECK_STR("hint", suggest_hint(a, "confg", 5, keys, 4), "did you mean 'config'?");
	CHECK("hint: none", suggest_hint(a, "zzzzzz", 6, keys, 4) == NULL);
	arena_free(a);
	return UNIT_DONE();
}
