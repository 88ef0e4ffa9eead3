/* dirwalk.h - the files under a path, by extension, in a stable order.
 *
 * `asbgen check` reads manifests and CRDs from directories; the order must
 * not depend on the file system, so the paths are sorted (byte order). */
#ifndef ASBGEN_DIRWALK_H
#define ASBGEN_DIRWALK_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct diags;

struct pathlist {
	const char **items; /* in the arena */
	size_t n, cap;
};

/* Add `path` itself when it is a file (whatever its name), or every file
 * below it whose name ends with one of exts (NULL-terminated), recursing
 * into subdirectories; the entries added are sorted.  Unreadable paths are
 * reported with id `id` (e.g. "io", "crd-load"); returns false then. */
bool dirwalk_collect(struct arena *a, struct diags *d, const char *path,
		     const char *const *exts, const char *id, struct pathlist *out);

#endif
