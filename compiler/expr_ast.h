/* expr_ast.h - the parsed form of an expression (expr.c).
 *
 * Private to expr.c but for tmpl_image.c, which lays compiled templates,
 * their expressions included, out as images at build time.
 */
#ifndef ASBGEN_EXPR_AST_H
#define ASBGEN_EXPR_AST_H

#include <stddef.h>

#include "value.h"

enum xk {
	X_LIT, X_VAR, X_GET, X_INDEX, X_CALL, X_NOT, X_NEG, X_AND, X_OR,
	X_EQ, X_NE, X_LT, X_LE, X_GT, X_GE, X_ADD, X_SUB
};

enum fn { F_LEN, F_STR, F_LOWER, F_UPPER, F_JOIN, F_KEYS, F_HAS, F_DEFAULT, F_FILES, F_INCLUDE };

struct expr {
	enum xk kind;
	enum fn fn;
	size_t start, end;  /* span in the site's text */
	struct value *lit;  /* X_LIT */
	const char *name;   /* X_VAR, X_GET: NUL-terminated */
	size_t namelen;
	struct expr *l, *r; /* operands; X_GET/X_INDEX: base l, index r */
	struct expr **args; /* X_CALL */
	size_t nargs;
	/* X_VAR, X_GET: where the name was found last time.  The model's
	 * mappings of one kind (10,000 users) have their keys in one order,
	 * so a name is nearly always at the same place: one compare instead
	 * of a scan.  Evaluation updates it, like a site's bools. */
	size_t hint;
};

#endif
