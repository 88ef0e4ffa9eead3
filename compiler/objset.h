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

#include <stdbool.h>

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
	const char *rel;      /* its file below out/<environment>/; NULL live */
};

struct objset {
	struct object *items; /* in the arena */
	size_t n, cap;
};

struct arena;
struct ctx;
struct out_set;

#define OBJ_FILE_KIND "File"

/* Append o (its strings and tree must live in the arena or longer). */
void objset_add(struct arena *a, struct objset *s, const struct object *o);

/* Sort by identity (group, kind, namespace, name), so output is
 * deterministic whatever order the sources came in. */
void objset_sort(struct objset *s);

/* The object with this identity, or NULL.  s must be sorted. */
const struct object *objset_find(const struct objset *s, const char *group, const char *kind,
				 const char *ns, const char *name);

/* Compare identities: <0, 0, >0 (group, kind, namespace, name). */
int object_cmp(const struct object *x, const struct object *y);

/* Fill o's identity from a Kubernetes document (apiVersion, kind,
 * metadata.namespace, metadata.name).  Returns false when doc has no
 * apiVersion, kind or metadata.name (it is then not a Kubernetes object). */
bool object_from_k8s(struct arena *a, struct value *doc, const char *source, struct object *o);

/* "KafkaTopic alert-stream-broker/alerts" or "File helm/values-x.yaml". */
const char *object_label(struct arena *a, const struct object *o);

/* Parse one output file's text into objects, with the reader its format
 * picks (format.h, any case of the extension): Kubernetes documents (by
 * identity) from YAML and JSON, every other file as one File object named
 * rel (YAML and JSON as their tree, .properties as a mapping of strings,
 * .tfvars/.hcl as a mapping of values, anything else as a string).
 * label names the file in diagnostics.  Returns 0, or -1 after reporting. */
int objset_add_file(struct ctx *c, struct objset *s, const char *label, const char *rel,
		    const char *text, size_t len);

/* The objects of a render held in memory (render_spec's out_set). */
int objset_from_out_set(struct ctx *c, const struct out_set *set, struct objset *out);

/* The objects of a rendered folder out/<environment>/: the files its
 * .asbgen-files record lists (files added by hand are not asbgen's).
 * Reports "diff-folder" when dir or its record does not exist, parse
 * errors at file:line:col, and warns "diff-duplicate" when an identity is
 * defined twice (the diff compares the first, by file name and line).
 * Returns 0, or -1 after reporting. */
int objset_from_dir(struct ctx *c, const char *dir, struct objset *out);

/* Does folder dir hold exactly set's files (its record lists the same
 * paths, each with the same bytes)?  Then their objects are the same on
 * both sides and neither needs parsing: diff of an unchanged folder of
 * 10,000 users reads the files instead of parsing 20,000 documents twice.
 * Quiet: anything else (a link, a missing record) is false, and the full
 * reading reports it. */
bool objset_dir_same(const char *dir, const struct out_set *set);

/* Render a model (model_load; NULL: the spec was not valid, -1) in memory
 * and take its objects; spec_name as in the rendered headers. */
int objset_from_model(struct ctx *c, const struct value *model, const char *spec_name, const char *tdir,
		      struct objset *out, const char **env);

/* Render a spec in memory and take its objects.  env (may be NULL) gets
 * the environment's name.  Returns 0, or -1 after reporting. */
int objset_from_spec(struct ctx *c, const char *spec_path, const char *tdir, struct objset *out,
		     const char **env);

/* The same for a spec given as text (a spec at a git revision); label
 * names it in diagnostics and spec_name in the rendered headers. */
int objset_from_spec_text(struct ctx *c, const char *label, const char *spec_name,
			  const char *text, size_t len, const char *tdir, struct objset *out,
			  const char **env);

#endif
