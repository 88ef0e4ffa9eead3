/* import.h - `asbgen import`: Kubernetes manifests of one namespace back
 * into an environment spec.
 *
 * Three phases, one file each: import_read.c (files and folders into
 * objects with their positions), import.c (objects into a spec tree) and
 * import_write.c (the tree as YAML a person would write).  Every object
 * read gets a fate: it became spec, asbgen generates it anyway from what
 * did, or it cannot be expressed (reported, with why). */
#ifndef ASBGEN_IMPORT_H
#define ASBGEN_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "value.h"

struct ctx;
struct buf;

enum imp_fate { IMP_UNSEEN, IMP_SPEC, IMP_GENERATED, IMP_LOST };

struct imp_obj {
	struct value *v; /* the whole object; v->mark is where it starts */
	const char *api, *kind, *name, *ns;
	enum imp_fate fate;
};

struct imp_set {
	struct imp_obj *items;
	size_t n, cap;
};

/* The objects of every FILE_OR_DIR (a folder: its .yaml, .yml and .json
 * files below it, sorted); List objects unwrapped.  Errors (unreadable
 * or binary files, YAML that is not Kubernetes objects, several
 * namespaces, nothing at all) are reported; false then. */
bool import_read(struct ctx *c, char *const *args, size_t nargs, struct imp_set *out);

/* The same from the cluster (import --live): the objects of namespace ns
 * of the kinds import reads, those other controllers made left out,
 * server fields stripped as diff --live strips them (live.h). */
struct live_opts;
bool import_read_live(struct ctx *c, const struct live_opts *lo, const char *ns, struct imp_set *out);

/* The spec of the objects, or NULL after reporting an error (no Kafka,
 * two Kafka clusters, a user of a missing cluster).  Each object's fate
 * is set; losses and repairs are warnings (import-lost, import-repaired).
 * name: --name, or NULL to infer it.  notes gets one string per thing
 * inferred rather than read, for the spec's header comment. */
struct value *import_build(struct ctx *c, struct imp_set *s, const char *name, struct value *notes);

/* Drop every key whose removal leaves the spec's model as it is (a
 * default, or a value asbgen derives anyway).  spec must be valid. */
struct value *import_prune(struct ctx *c, struct value *spec);

/* Render spec in memory and compare its Kubernetes objects with the
 * input's: each difference a warning at the input object (import-differs).
 * Returns the number of differences, -1 when the spec does not render. */
int import_verify(struct ctx *c, struct value *spec, const struct imp_set *s);

/* The spec as YAML: keys in the order of the README's spec, the notes as
 * a header comment, a topic list several users share as an anchor. */
void import_write(struct buf *out, const struct value *spec, const struct value *notes);

#endif
