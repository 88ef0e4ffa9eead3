/* testid.h - test instances (render --testid ID, seed 004's "testid").
 *
 * A test instance is the same environment under other names, so that it
 * can run beside the real one: a spec transform between defaults and the
 * model (as --phase bootstrap is), so the model, the checks and the
 * templates see an ordinary spec.  What it renames and drops, and the
 * testInstance section that scales it, are in the README ("Test
 * instances").  Every name it derives is checked against the limit of
 * what it names (id "testid-limit", at the spec key it comes from).
 */
#ifndef ASBGEN_TESTID_H
#define ASBGEN_TESTID_H

#include <stdbool.h>

struct arena;
struct diags;
struct value;

/* Seed 004's rule: ^[a-z][a-z0-9]*$. */
bool testid_valid(const char *id);

/* The test instance of a spec whose defaults are filled: a shallow copy
 * sharing the untouched nodes (and every position).  NULL after
 * reporting when a derived name is too long or addresses cannot be given. */
struct value *testid_apply(struct arena *a, struct diags *d, struct value *spec, const char *id);

/* The limits of the names the model derives from the transformed spec
 * (default buckets, Strimzi's Service names).  Reports errors to d. */
void testid_check(struct arena *a, struct diags *d, const struct value *spec, const struct value *model,
		  const char *id);

#endif
