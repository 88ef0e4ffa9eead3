/* validate_run.h - validating many specs in parallel workers, reported as
 * one worker checking them in order would report them.
 *
 * Each worker is a compilation of its own (struct ctx: arena, schema,
 * diagnostics) with a template cache of its own; workers take the next
 * spec in order from a shared counter.  What a worker reports per spec is
 * merged in the specs' order, so the report does not depend on the number
 * of workers or on which worker took which spec: a cached template
 * reports a failure for the first spec only (diag.h, `once`), and the
 * merge drops what a later spec's worker reported again. */
#ifndef ASBGEN_VALIDATE_RUN_H
#define ASBGEN_VALIDATE_RUN_H

#include <stddef.h>

struct ctx;
struct validation;

/* How many workers for n specs when the user did not say: one per CPU
 * this process may run on, and at least VALIDATE_SPECS_PER_JOB specs each
 * (a worker loads the schema and the templates itself). */
#define VALIDATE_SPECS_PER_JOB 16
unsigned validate_auto_jobs(size_t n);

/* Validate specs[0..n) (paths, "-" for standard input) with templates
 * from tdir in `jobs` workers (at least 1; fewer when threads cannot be
 * made), appending their diagnostics to c->diags in the specs' order and
 * their sources to its sources.  c->testid applies to each.  The
 * diagnostics point into the returned state: free it after reporting. */
struct validation *validate_specs(struct ctx *c, const char *const *specs, size_t n, const char *tdir,
				  unsigned jobs);
void validation_free(struct validation *v);

#endif
