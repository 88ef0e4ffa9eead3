/* objset.h - sets of deployment objects, the unit `asbgen diff` compares.
 *
 * Whatever the source (a fresh render in memory, a folder of rendered
 * files, a spec as it was at a git revision, or the live cluster), both
 * sides of a diff are reduced to an objset: every Kubernetes object with
 * its identity, and every other output (Helm values, tfvars, client
 * properties) as one object per file, so one engine compares them all.
 */
#ifndef ASBGEN_OBJSET_H
#define ASBGEN_OBJSET_H

#include <stddef.h>

#include "value.h"

/* Identity.  Kubernetes objects: API group ("" for the core group), kind,
 * namespace ("" when cluster-scoped or unset) and name; the version is not
 * part of it (v1beta2 -> v1 is a change of the same object).  Other files:
 * group "", kind "File", namespace "", name = the path relative to the
 * environment's directory. */
struct object {
	const char *group;
	const char *version;  /* "v1", "v1beta2"; "" for files */
	const char *kind;
	const char *ns;
	const char *name;
	const char *source;   /* where it came from: a path, or a URL (live) */
	struct value *v;      /* the whole object (or the file's content) */
};

struct objset {
	struct object *items; /* in the arena */
	size_t n, cap;
};

#endif
