/* diff.h - the semantic diff of two object sets, its danger rules and
 * its printers (`asbgen diff`).
 *
 * Objects are matched by identity (objset.h), not by file.  A changed
 * object lists every field that differs, by path:
 *   spec.kafka.listeners[name=external].configuration.brokers[broker=6].advertisedHost
 *   metadata.annotations["argocd.argoproj.io/sync-wave"]
 *   spec.authorization.acls[]        (an item of a list compared as a set)
 *   spec.template.pod.tolerations[2] (a list compared by position)
 * How a list is compared (by position, as a set, or by a key field) is
 * decided by path patterns: an output's own, declared next to its template
 * in files.yaml (shape.h), then those of the Kubernetes API in diff.c.  Danger rules (danger.c)
 * then look at the changes for what cannot be applied or would lose data.
 *
 * Everything a report holds lives in the arena given to diff_objsets.
 */
#ifndef ASBGEN_DIFF_H
#define ASBGEN_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "objset.h"
#include "quantity.h"
#include "shape.h"
#include "value.h"

struct arena;

/* One field that differs: old NULL when added, new NULL when removed. */
struct field_change {
	const char *path;
	const struct value *old, *new;
};

enum obj_change { OBJ_ADDED, OBJ_REMOVED, OBJ_CHANGED };

struct obj_diff {
	enum obj_change kind;
	const struct object *old, *new; /* old NULL when added, new NULL when removed */
	const struct object *id;        /* whichever side exists (new when both) */
	struct field_change *fields;    /* OBJ_CHANGED only */
	size_t nfields;
	const struct out_shape *shape;  /* a changed file's declared shape, or NULL */
};

/* A dangerous change: what would happen (msg) and what to do (hint). */
struct danger {
	const char *id;      /* "danger-storage-shrink", ... */
	const struct object *obj;
	const char *path;    /* the field, or NULL for the object itself */
	const char *msg;
	const char *hint;
	bool accepted;       /* acknowledged with --accept RULE */
};

struct diff_report {
	const char *old_label, *new_label; /* "out/usdfdev", "render of usdfdev.yaml" */
	struct obj_diff *items;            /* sorted by identity */
	size_t n, cap;
	size_t nadded, nremoved, nchanged;
	/* Dangers in a fixed order: per object in item order, then those that
	 * span objects (API version, external addresses), then those of prune
	 * candidates. */
	struct danger *dangers;
	size_t ndangers, dangers_cap;
	size_t naccepted;                  /* dangers acknowledged (diff_accept) */
	bool production;                   /* the spec says production: true */
	/* Objects only in the cluster that a prune sync would delete (set by
	 * `diff --live` through diff_add_prune); shown in their own section. */
	const struct object **prune;
	size_t nprune, prune_cap;
};

/* Every danger rule id, NULL-terminated (for --accept). */
extern const char *const danger_rules[];

/* Acknowledge every danger whose rule id is one of rules[0..n): it is
 * still shown, marked accepted, and no longer makes the exit code 3.
 * used[k] (may be NULL) is set when rules[k] matched a danger. */
void diff_accept(struct diff_report *r, const char *const *rules, size_t n, bool *used);

/* Compare two sets (sorted or not: they are sorted here) and run the
 * danger rules.  shapes (shapes_load; may be NULL) are the outputs'
 * declared list rules and address locations.  labels may be NULL.
 * Always succeeds. */
void diff_objsets(struct arena *a, const struct out_shapes *shapes, const struct objset *old,
		  const struct objset *new, const char *old_label, const char *new_label,
		  struct diff_report *out);

/* Add prune candidates (objects present only live).  The removal rules
 * (danger-topic-removed, danger-user-removed) apply to them too. */
void diff_add_prune(struct arena *a, struct diff_report *r, const struct objset *prune);

/* 0 nothing changes, 1 something does (including prune candidates),
 * 3 a dangerous change (EXIT_OK, EXIT_INVALID, EXIT_DANGER). */
int diff_exit_code(const struct diff_report *r);

/* Readable text, grouped per object; ANSI colours when color. */
void diff_print_text(FILE *fp, const struct diff_report *r, bool color);
/* One JSON document, described by schemas/diff.schema.json.  Returns 0,
 * or -1 when the document cannot be built (an invalid UTF-8 string). */
int diff_print_json(FILE *fp, const struct diff_report *r);

/* The danger rules (danger.c): append r's dangers for its items and its
 * prune candidates.  Called by diff_objsets and diff_add_prune. */
void danger_check(struct arena *a, struct diff_report *r, size_t first_item, size_t first_prune);

#endif
