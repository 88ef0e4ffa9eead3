/* kinds.h - the kinds of output (`--only KIND[,KIND]`): a rendered file's
 * kind is the first directory of its path below out/<environment>/
 * (kubernetes/, helm/, terraform/, clients/, as templates/files.yaml puts
 * them), so a template set's own layout decides it and no list of files
 * lives in C.  A file outside those directories has no kind: --only never
 * selects it. */
#ifndef ASBGEN_KINDS_H
#define ASBGEN_KINDS_H

#include <stdbool.h>

/* A set of kinds; 0 means no --only (every file). */
typedef unsigned kind_set;

#define KIND_KUBERNETES 1u

/* Parse "kubernetes,helm" into *set.  On an unknown or empty kind, prints
 * "asbgen CMD: ..." (with the closest kind) and returns false. */
bool kinds_parse(const char *cmd, const char *arg, kind_set *set);

/* Is the file at rel (relative to out/<environment>/) selected?  Every
 * file is when set is 0.  rel NULL: an object of the cluster (diff
 * --live), of kind kubernetes. */
bool kinds_match(kind_set set, const char *rel);

/* Is rel kustomize's index of a directory (kustomization.yaml, .yml or
 * Kustomization, the names kustomize reads)?  It lists the objects; it is
 * not one of them. */
bool kinds_is_kustomization(const char *rel);

/* The kind names, comma-separated, for help and errors. */
extern const char kinds_list[];

#endif
