/* tmpl_compiled.h - the compiled form of a template file.
 *
 * A template tree compiles into a tree of tnodes (tmpl_compile.c), which
 * template.c instantiates against a model.  The built-in templates are
 * compiled at build time (embedgen) and laid out as relocatable images
 * (tmpl_image.h), so a start-up copies them instead of compiling.
 * Compiled trees are immutable but for the caches evaluation keeps in
 * them (an expr_site's `reported`, an expr's `hint`).
 */
#ifndef ASBGEN_TMPL_COMPILED_H
#define ASBGEN_TMPL_COMPILED_H

#include <stdbool.h>
#include <stddef.h>

#include "expr.h"
#include "value.h"

enum tkind { TN_STATIC, TN_EXPR, TN_INTERP, TN_MAP, TN_SEQ, TN_BAD };
enum ekind { EN_PLAIN, EN_IF, EN_FOR };

struct tpart {
	const char *lit; /* literal text, or NULL for an expression */
	size_t len;
	struct expr *e;
	/* lit is valid UTF-8 without a line break: a text of such parts and
	 * of values known to be so is a line emit_text writes as it is
	 * (VF_TEXT_LINE), the clients' README's lines of each user. */
	bool line;
};

struct tnode;

/* An entry of a mapping or an item of a sequence. */
struct tent {
	enum ekind kind;
	const struct value *src; /* mapping key, or sequence item */
	struct tnode *key;       /* EN_PLAIN in a mapping */
	struct tnode *val;       /* value, item, or directive body */
	struct tnode *els;       /* EN_IF: the $else body, or NULL */
	struct expr_site *site;  /* EN_IF/EN_FOR: the directive's text */
	struct expr *e;          /* condition or collection */
	const char *v1, *v2;     /* EN_FOR: variables (v2 NULL for one) */
};

struct tnode {
	enum tkind kind;
	const struct value *src; /* template node (TN_STATIC: the output) */
	struct expr_site *site;  /* TN_EXPR, TN_INTERP */
	struct expr *e;          /* TN_EXPR */
	struct tpart *parts;     /* TN_INTERP */
	size_t nparts;
	struct tent *ents;       /* TN_MAP, TN_SEQ */
	size_t nents;
};


/* Report an error at m (sets env->failed). */
void tmpl_err(struct expr_env *env, const struct mark *m, const char *id, const char *hint,
	      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The site of a string node's text, in env->a. */
struct expr_site *tmpl_site(struct expr_env *env, const struct value *v);

/* Compile a template tree (or one scalar: a path, a key) in env->a.  Never
 * NULL: what fails to compile is reported, env->failed set, and the node
 * left TN_BAD or out. */
struct tnode *tmpl_compile(struct expr_env *env, const struct value *v);
struct tnode *tmpl_compile_scalar(struct expr_env *env, const struct value *v);

/* "VAR in EXPR" or "I, VAR in EXPR" from site->text at pos (what: the
 * directive, for the hint).  false after reporting. */
bool tmpl_parse_for(struct expr_env *env, struct expr_site *site, size_t pos, const char *what,
		    const char **v1, const char **v2, struct expr **e);

/* Flag VF_YAML_PLAIN on the strings a compiled tree outputs as they are. */
void tmpl_mark_plain(const struct tnode *t);

#endif
