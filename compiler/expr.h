/* expr.h - the expression language of templates (see templates/README.md).
 *
 * An expression is parsed once into an AST (in the arena) and evaluated
 * many times against a scope: loop variables first, then the model's
 * top-level keys.  Evaluation never copies model subtrees: a path returns
 * the model's own node (keeping its mark); computed values are new nodes
 * marked with the template scalar that holds the expression.
 *
 * Errors are reported at the template position of the failing
 * subexpression (the scalar's mark plus the offset of the subexpression in
 * the scalar's text, when that offset maps to a column exactly).
 */
#ifndef ASBGEN_EXPR_H
#define ASBGEN_EXPR_H

#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include "value.h"

struct arena;
struct buf;
struct diags;
struct expr;

/* The text an expression was parsed from, for diagnostics. */
struct expr_site {
	struct mark mark; /* of the scalar (or key) holding the text */
	const char *text; /* the scalar's whole text */
	size_t len;
	unsigned flags;   /* the scalar's VF_ flags (VF_QUOTED) */
	bool exact;       /* text starts at mark (not a scalar: e.g. expr_eval_string) */
	bool reported;    /* an evaluation error was reported here: report no more */
	struct value *bools[2]; /* false and true results, made once per site */
};

/* Variables bound by loops, innermost first.  name is NUL-terminated. */
struct scope {
	const char *name;
	const struct value *val;
	const struct scope *up;
};

/* Is scope name a the name b?  The first two bytes first: most names met
 * on the way differ there, and a loop's is often one letter (u), which
 * they decide without a call. */
static inline bool expr_name_eq(const char *a, const char *b)
{
	return a[0] == b[0] && (!a[0] || (a[1] == b[1] && (!a[1] || strcmp(a + 2, b + 2) == 0)));
}

struct expr_env;

/* include(path) and files(prefix) are provided by the template engine.
 * They report their own errors (at site/off) and return NULL on failure. */
struct expr_hooks {
	struct value *(*include)(struct expr_env *env, const char *path,
				 const struct scope *sc, struct expr_site *site, size_t off);
	struct value *(*files)(struct expr_env *env, const char *prefix,
			       struct expr_site *site, size_t off);
};

struct expr_env {
	struct arena *a;
	struct diags *d;
	const struct value *model;    /* root scope; its top-level keys are variables */
	const struct expr_hooks *hooks; /* may be NULL */
	bool failed;                  /* set by every failed evaluation */
	/* Report nothing: a failure only sets failed (and marks no site
	 * reported), for a try whose failures are made again to be reported
	 * (template.c, line plans). */
	bool quiet;
};

/* Parse an expression from site->text starting at *pos.  With in_braces,
 * parsing stops at the '}' closing a "${" and *pos is set past it;
 * otherwise the expression must extend to the end of the text.
 * Returns NULL after reporting a syntax error (rule "tmpl-syntax"). */
struct expr *expr_parse(struct arena *a, struct diags *d, struct expr_site *site,
			size_t *pos, bool in_braces);

/* Evaluate.  Returns NULL on error (reported once per site, env->failed set).
 * The result must not be modified: it may be a model node. */
struct value *expr_eval(struct expr_env *env, struct expr_site *site,
			const struct expr *e, const struct scope *sc);

/* What an expression reads besides the model: fn(ctx, name, false) for
 * each variable, fn(ctx, path, true) for each include() of a literal path.
 * false when it may read more (files(), or include() of a computed path):
 * then its value depends on more than those names. */
typedef void (*expr_name_fn)(void *ctx, const char *name, bool is_include);
bool expr_names(const struct expr *e, expr_name_fn fn, void *ctx);

/* Offset of an expression's first character in its site's text. */
size_t expr_offset(const struct expr *e);

/* false, null, 0, 0.0, "", empty sequence or mapping are false. */
bool expr_truthy(const struct value *v);

/* Append the text of a scalar (string as is, int decimal, bool true/false,
 * float shortest round-trip form).  false for null, sequence and mapping. */
bool expr_scalar_text(struct buf *b, const struct value *v);

/* Report at an offset in a site's text (column computed when exact). */
void expr_error(struct diags *d, struct expr_site *site, size_t off, const char *id,
		const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* expr_error, once per site (its `reported`): a cached template is
 * instantiated for spec after spec and would fail the same way for each.
 * The diagnostic is keyed with the site's mark (diag.h, once).  The
 * message is formatted in a. */
void expr_site_verror(struct arena *a, struct diags *d, struct expr_site *site, size_t off,
		      const char *id, const char *hint, const char *fmt, va_list ap)
	__attribute__((format(printf, 7, 0)));

/* Is s[0..n) an identifier usable as a variable name (not a keyword)? */
bool expr_is_varname(const char *s, size_t n);

/* "did you mean 'x'?" when one candidate is close to name, else NULL. */
const char *expr_suggest(struct arena *a, const char *name, size_t n,
			 const char *const *cands, size_t ncands);

#endif
