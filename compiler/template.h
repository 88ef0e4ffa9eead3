/* template.h - instantiating templates against the model.
 *
 * A template set is a directory: DIR/files.yaml lists the outputs, each a
 * template file (one YAML document: the shape of the output) with an
 * output path.  Instantiation walks the template tree and builds a new tree,
 * substituting nodes (never pasting text), so output is well-formed
 * whatever the values.  The language is described in templates/README.md.
 *
 * Each template file is loaded and compiled (expressions parsed) once per
 * render, however many outputs or include() calls use it.  Output trees
 * share nodes with the template (static parts keep its marks) and with the
 * model (substituted subtrees keep the spec's marks); they are immutable.
 */
#ifndef ASBGEN_TEMPLATE_H
#define ASBGEN_TEMPLATE_H

#include <stddef.h>

#include "value.h"

struct arena;
struct diags;

#define TMPL_INDEX "files.yaml"
#define TMPL_MAX_INCLUDE_DEPTH 16

struct tmpl_output {
	const char *path;          /* relative output path */
	const struct value *header; /* the index entry's header text (a string), or NULL */
	/* A .tfvars file the output is merged into (tfvars_merge.h), or NULL;
	 * into_mark: the spec line that named it, else the index entry */
	const char *into;
	struct mark into_mark;
	const char *template_path; /* template file (as loaded, i.e. DIR/...) */
	struct mark path_mark;     /* the index entry's path, for errors about it */
	struct mark doc_mark;      /* the template's root, for errors about doc */
	struct value *doc;         /* instantiated tree, ready for an emitter */
	/* Or, doc NULL: the output already written in its format, from a
	 * line plan (templates_render_each, struct tmpl_formats). */
	const char *text;
	size_t len;
	/* templates_render_each with in_parts: doc is a part of the output's
	 * top-level sequence and more parts follow. */
	bool more;
};

struct tmpl_set {
	struct tmpl_output *items; /* in the arena */
	size_t n;
};

/* Render every output listed in dir/files.yaml against model.
 * Returns 0, or -1 after reporting diagnostics (out is then still filled
 * with what could be rendered; docs of failed outputs may be NULL). */
int templates_render(struct arena *a, struct diags *d, const char *dir,
		     const struct value *model, struct tmpl_set *out);

/* Templates loaded and compiled once, for rendering many models from the
 * same directory (validate of many specs).  Output trees of a cached
 * render share nodes with the cache: free it after them. */
struct tmpl_cache;
struct tmpl_cache *tmpl_cache_new(void);
void tmpl_cache_free(struct tmpl_cache *tc);
/* templates_render with a cache (NULL: none).  Problems of a template
 * file are reported by the render that loads it. */
int templates_render_cached(struct arena *a, struct diags *d, const char *dir,
			    const struct value *model, struct tmpl_set *out, struct tmpl_cache *tc);

/* One output at a time (render and validate): fn gets each output in
 * order, its doc (and text) NULL when it failed.  The doc and the text
 * live in scratch space reused after fn returns: emit it there, keep only
 * the text.  A render
 * of 10,000 users then never holds 10,000 trees (20 MB) at once.  Returns
 * as templates_render_cached. */
typedef void (*tmpl_each_fn)(void *ctx, const struct tmpl_output *o);
/* What the caller's formats allow (format.h); either may be NULL.
 * in_parts: may the output at path, its top level a collection of this
 * kind (V_SEQ, V_MAP), come in parts, the items or entries of each
 * written after those of the one before (format.h, in_parts)?  Asked of
 * an output whose template has a `$for` at the top level (only a loop
 * makes an output large).  Then fn gets it in parts of a few hundred
 * items, o->more set on all but the last (which has no doc when the
 * output failed), and no part is kept after fn returns.  A mapping's keys
 * are checked for duplicates across its parts.
 * lines: the entry writer of path's format (format.h, lines), or NULL.
 * An output of such a format whose template is a mapping of fixed keys
 * is then written entry by entry without its tree (memo: the shared
 * subtrees' text, emit.h), and fn gets its text (o->text) instead; when
 * anything is amiss the tree is made after all, as it would have been,
 * and reports it. */
typedef bool (*tmpl_parts_fn)(const char *path, enum vkind kind);
struct emit_lines;
struct emit_memo;
struct tmpl_formats {
	tmpl_parts_fn in_parts;
	const struct emit_lines *(*lines)(const char *path);
	struct emit_memo *memo;
};
int templates_render_each(struct arena *a, struct diags *d, const char *dir,
			  const struct value *model, struct tmpl_cache *tc,
			  tmpl_each_fn fn, const struct tmpl_formats *fmts, void *fctx);

/* Instantiate one template tree in the model's scope (dir: for include();
 * may be NULL when include() is not needed).  files() is not available.
 * Returns NULL after reporting diagnostics. */
struct value *tmpl_instantiate(struct arena *a, struct diags *d, const char *dir,
			       const struct value *tmpl, const struct value *model);

/* Evaluate one expression (for tests and for `for`/`if` fields).  `at` is
 * the position of src's first character.  Returns NULL after reporting. */
struct value *expr_eval_string(struct arena *a, struct diags *d, const char *src,
			       const struct mark *at, const struct value *model);

/* Is p a safe relative path: not empty, not absolute, no empty, "." or
 * ".." components, no backslash or control characters? */
int tmpl_path_ok(const char *p, size_t n);

#endif
