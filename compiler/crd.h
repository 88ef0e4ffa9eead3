/* crd.h - Kubernetes CustomResourceDefinitions as schemas for the engine.
 *
 * CRDs (apiextensions.k8s.io/v1) are read from files and directories; each
 * served version with an openAPIV3Schema defines the schema of the objects
 * whose apiVersion is "<group>/<version>" and whose kind is the CRD's kind.
 * The semantics are those of ../shared/conformance/crdcheck.py, the
 * project's reference checker, exactly:
 *
 * - the OpenAPI schema is made strict: an object schema of type "object"
 *   with properties, without additionalProperties and without
 *   x-kubernetes-preserve-unknown-fields, gets additionalProperties: false
 *   (unknown fields are errors, as kubectl apply --validate=strict);
 * - x-kubernetes-int-or-string replaces type (and any anyOf) by
 *   anyOf [integer, string];  nullable adds "null" to a given type;
 * - other x-kubernetes-* keys, default, description, example and format
 *   are dropped (formats are not checked);
 * - those rules apply where crdcheck.py applies them: the schemas under
 *   properties, patternProperties, items and additionalProperties (when
 *   mappings), not, allOf, anyOf and oneOf; subschemas elsewhere are kept
 *   as written;
 * - the schema is read as JSON Schema draft 4 (what crdcheck.py's
 *   Draft4Validator does): boolean exclusiveMinimum/exclusiveMaximum,
 *   "integer" means an integer as written (1, not 1.0), and keywords of
 *   later drafts (const, contains, propertyNames, if/then/else) are ignored;
 * - apiVersion and kind are strings and metadata a mapping on every object,
 *   unless the CRD's schema says otherwise;
 * - a later definition of the same apiVersion and kind replaces an earlier
 *   one; versions with served: false are not served.
 *
 * Schemas are built lazily, on the first object of their (group, version,
 * kind), and kept: a directory of manifests costs one translation per kind.
 */
#ifndef ASBGEN_CRD_H
#define ASBGEN_CRD_H

#include <stdbool.h>

#include <jansson.h>

#include "value.h"

struct arena;
struct diags;
struct schema;
struct crd_set;

struct crd_set *crd_set_new(struct arena *a);
void crd_set_free(struct crd_set *cs);

/* Read every CustomResourceDefinition in the .yaml and .yml files below path
 * (or in the file path).  Documents of other kinds are skipped.  Problems
 * are reported (ids crd-load, crd-not-mapping, crd-malformed, and the
 * loader's yaml-* ids); returns false when anything could not be read. */
bool crd_set_load(struct crd_set *cs, struct diags *d, const char *path);

/* Number of (apiVersion, kind) pairs served. */
size_t crd_set_count(const struct crd_set *cs);

enum crd_match {
	CRD_SERVED,      /* *out is the schema */
	CRD_NOT_SERVED,  /* a CRD defines the group and kind, not this version */
	CRD_UNKNOWN_KIND, /* CRDs define the group, not this kind (a typo?) */
	CRD_UNKNOWN,     /* no CRD defines the kind (Deployment, Secret, ...) */
	CRD_BROKEN,      /* the CRD's schema cannot be used (reported once) */
};

/* The schema for objects of apiVersion and kind.  For CRD_NOT_SERVED,
 * *other (if not NULL) is set to the served versions, comma-separated; for
 * CRD_UNKNOWN_KIND, to the closest kind of the group, or NULL. */
enum crd_match crd_set_lookup(struct crd_set *cs, struct diags *d, const char *api_version,
			      const char *kind, struct schema **out, const char **other);

/* The translation itself, for tests: a new JSON Schema (draft-07 document
 * for the engine) from an openAPIV3Schema.  root: add the implicit
 * apiVersion, kind and metadata properties.  NULL when openapi is not a
 * JSON object. */
json_t *crd_translate(const json_t *openapi, bool root);

#endif
