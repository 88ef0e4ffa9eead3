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

#include "emit.h"
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
	/* lit is printable ASCII without a backslash: a text of such parts
	 * and of values known to be so, without a blank at either end, is a
	 * key=value value written as it is (VF_KV_VAL), the JAAS lines. */
	bool kv;
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


/* A template written an entry at a time, for a format that can (emit.h,
 * struct emit_lines): a mapping of fixed keys, some under $if, their
 * values scalars, fixed subtrees, or (YAML) mappings of the same kind
 * (the client files, the KafkaUsers: 40,000 of 10,000 users' outputs).
 * Its entries are in the order the tree's would be emitted, each key
 * written once and each entry of fixed text written once; a render
 * writes an output from it without making the tree (template.c). */
enum lkind { LN_TEXT, LN_VALUE, LN_MAP, LN_IF };

struct lplan;

struct lent {
	enum lkind kind;
	/* LN_TEXT: the whole entry; LN_VALUE: its key as the format writes
	 * it (YAML: indented, with the colon); LN_MAP: the same, its
	 * entries below it (then) */
	const char *text;
	size_t len;
	unsigned key;              /* LN_TEXT, LN_VALUE, LN_MAP: the key's number (per mapping, per text) */
	int ind, depth;            /* of the mapping it is in */
	const struct tnode *val;   /* LN_VALUE: an expression or an interpolation */
	const struct tent *en;     /* LN_IF: the directive */
	const struct lplan *then, *els; /* LN_IF: the bodies (els may be NULL); LN_MAP: its entries */
	/* LN_VALUE, LN_IF: the variables its expressions read.  One that
	 * reads no loop variable (and includes nothing: opaque) is the same
	 * for every output of a render (the bootstrap servers, whether the
	 * registry is enabled): its entry or its condition is kept, for the
	 * render numbered gen. */
	const char **names;
	size_t nnames;
	bool opaque;
	unsigned long gen;
	const char *memo; /* LN_VALUE: the entry */
	size_t memo_len;
	bool memo_true;   /* LN_IF: the condition */
};

/* At most this many keys: a set of them fits a word. */
#define LPLAN_MAX_KEYS 64

struct lplan {
	struct lent *ents;
	size_t n;
};

/* The plan of root for el, in a; NULL when root is not such a mapping
 * (anything else: a loop, a computed key, a sequence made by the
 * template, files(), a fixed entry the format cannot write): the tree is
 * made then, and reports what is wrong.  Reports nothing. */
const struct lplan *tmpl_lines_plan(struct arena *a, const struct tnode *root, const struct emit_lines *el);

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
