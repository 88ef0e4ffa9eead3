/* shape.h - what `asbgen diff` and its danger rules know about an output's
 * shape, declared next to its template in files.yaml, not in C:
 *
 *   - path: helm/values-${env.name}.yaml
 *     template: helm/values.yaml
 *     diff:
 *       keyed:                       # lists compared item by item, by a field
 *         alert-stream-broker.users: username
 *       sets:                        # lists whose order means nothing
 *         - alert-stream-broker.superusers
 *       addresses: alert-stream-broker.kafka.externalListener
 *   - path: kubernetes/deployment-${kafdrop.name}.yaml
 *     template: kubernetes/kafdrop-deployment.yaml
 *     if: kafdrop.enabled
 *     diff:
 *       component: kafdrop           # the component whose switch removes it
 *
 * Paths are map keys joined with '.', list levels left out ("**" stands for
 * any number of keys), as diff prints them without the list items.
 * `addresses` is where the external listener's addresses live: under it,
 * bootstrap.host / bootstrap.ip and brokers (keyed by broker) .host / .ip,
 * which danger-external-address watches.  `component` names the model
 * section whose `enabled` switches the output (the entry's `if:` must test
 * it): its files removed while it is off are danger-component-removed.
 *
 * A declared path must exist in the template's shape (its literal keys, or a
 * ${...} key, through $if/$for directives and list items; a ${...} value is
 * opaque and accepts any path below it): a template edited so that a rule
 * would silently stop applying fails with tmpl-diff, at the declaration.
 */
#ifndef ASBGEN_SHAPE_H
#define ASBGEN_SHAPE_H

#include <stdbool.h>
#include <stddef.h>

#include "value.h"

struct arena;
struct diags;

enum list_mode { LIST_ORDERED, LIST_SET, LIST_KEYED };

/* How the lists at a path pattern are compared (LIST_KEYED: by key). */
struct list_rule {
	const char *pattern;
	enum list_mode mode;
	const char *key;
};

/* One index entry's declaration. */
struct out_shape {
	const char *path;        /* the entry's output path, ${...} unexpanded */
	struct list_rule *lists; /* keyed first, then sets, in declaration order */
	size_t nlists;
	const char *addresses;   /* NULL when the output has no external addresses */
	const char *component;   /* the model section that switches it, or NULL */
};

struct out_shapes {
	struct out_shape *items; /* in index order */
	size_t n;
	/* The new render's model, which names a component's files (its ${...}
	 * expanded) when they are gone; NULL: not known. */
	const struct value *model;
};

/* Parse an entry's `diff:` mapping and check its paths against tmpl (the
 * template file's document as loaded, directives unexpanded; tname names
 * it in messages).  Returns 0, or -1 after reporting tmpl-diff at the
 * offending node. */
int shape_parse(struct arena *a, struct diags *d, const struct value *decl, const struct value *tmpl,
		const char *tname, struct out_shape *out);

/* What a declaration needs from its entry: a component's entry is rendered
 * under `if: COMPONENT.enabled` (cond: the entry's if, or NULL).  Returns 0,
 * or -1 after reporting tmpl-diff. */
int shape_check_entry(struct arena *a, struct diags *d, const struct value *decl, const struct out_shape *s,
		      const struct value *cond);

/* The declarations of every entry of dir/files.yaml that has one.  The
 * index itself is checked by the render; here an entry without a string
 * path and template is skipped.  Returns 0, or -1 after reporting. */
int shapes_load(struct arena *a, struct diags *d, const char *dir, struct out_shapes *out);

/* The declaration of the entry whose path rel was rendered from (each
 * ${...} of the entry's path stands for one or more characters other than
 * '/'), or NULL.  s may be NULL. */
const struct out_shape *shapes_find(const struct out_shapes *s, const char *rel);

/* The component whose entry renders the file rel under s->model (its path
 * with each ${a.b} the model's value there), or NULL. */
const char *shapes_component(struct arena *a, const struct out_shapes *s, const char *rel);

#endif
