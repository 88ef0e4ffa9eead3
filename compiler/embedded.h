/* embedded.h - the built-in templates and schema, compiled into the binary.
 *
 * At build time compiler/gen/embedgen.c loads every templates/ file (and
 * the environment schema, and the Kafka tables) as asbgen itself does and writes the resulting
 * trees as flat tables ($(BUILD)/embedded_data.c): a node array, child
 * index lists and one string blob.  At run time a file is still read from
 * its directory, as before; when its bytes are exactly those it was built
 * from, its tree is made from the tables (a few instructions a node)
 * instead of being parsed, a template's strings already flagged
 * VF_YAML_PLAIN where emit_yaml writes them as they are.  An edited
 * file, a site's own template or a file the build did not know is parsed
 * as it always was, so the tables are a cache keyed by content, never a
 * second source of truth.
 */
#ifndef ASBGEN_EMBEDDED_H
#define ASBGEN_EMBEDDED_H

#include <stddef.h>
#include <stdint.h>

#include "tmpl_image.h"
#include "value.h"

struct arena;

/* One node.  Strings: off/len into the blob (NUL-terminated there).
 * Sequences: off/len = the first index into the kid list, the item count;
 * mappings: the same with two kids (key, value) per entry.  Kid indices
 * are relative to the file's first node. */
struct emb_node {
	uint8_t kind;  /* enum vkind */
	uint8_t flags; /* VF_* */
	uint8_t nomark; /* synthesized without a file position */
	int32_t line, col;
	uint32_t off, len;
	union {
		long long i;
		double f;
	} num;
};

/* One embedded file: its path relative to its directory ("files.yaml",
 * "kubernetes/kafka.yaml"; "environment.schema.json"), the exact bytes it
 * was built from, and its nodes (root first). */
struct emb_file {
	const char *rel;
	uint32_t text_off, text_len;
	uint32_t first, nnodes;
};

struct emb_table {
	const struct emb_file *files;
	size_t nfiles;
	const struct emb_node *nodes;
	const uint32_t *kids;
	const char *blob;
};

/* The generated tables (embedded_data.c). */
extern const struct emb_table emb_templates, emb_schemas;

/* Each built-in template compiled at build time (tmpl_image.h), by its
 * place in emb_templates.files; bytes NULL for one without (the index,
 * a template the compiler reports anything about). */
extern const struct tmpl_image emb_template_images[];

/* The Kafka configuration tables (kafka_config.h), parsed at build time:
 * emb_kafka_src holds each schemas/kafka file's bytes (files without
 * nodes), emb_kafka[i] what file i of it reads as, a table or Strimzi's
 * rules. */
struct kafka_table;
struct kafka_strimzi;
struct emb_kafka {
	const struct kafka_table *table;
	const struct kafka_strimzi *strimzi;
};
extern const struct emb_table emb_kafka_src;
extern const struct emb_kafka emb_kafka[];

/* The file of t named rel whose embedded source is text[0..len), or NULL
 * (none by that name, or its content differs). */
const struct emb_file *emb_find(const struct emb_table *t, const char *rel, const char *text, size_t len);

/* The tree of f, built in a, every mark naming file (kept, not copied).
 * Strings point into the tables (never copied). */
struct value *emb_tree(struct arena *a, const struct emb_table *t, const struct emb_file *f, const char *file);

#endif
