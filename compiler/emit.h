/* emit.h - value trees to output text: YAML, JSON, HCL (.tfvars), Java
 * .properties, librdkafka .conf, text (.md).
 *
 * Each emitter writes straight into a buf (no YAML library on this path: a
 * direct writer is several times faster than libfyaml's general emitter).
 * Each appends text to out and returns 0, or returns -1 after reporting to d
 * at the offending node's mark; on error out is restored to its length on
 * entry.  Output is deterministic: same tree, same bytes.
 *
 * Rule ids reported: emit-utf8 (a string is not valid UTF-8), emit-depth
 * (nesting deeper than EMIT_MAX_DEPTH), emit-json-number (inf/nan in JSON),
 * emit-hcl-top (tfvars document not a mapping), emit-hcl-name (attribute name
 * not an identifier), emit-hcl-number, emit-properties-top,
 * emit-properties-type (sequence or null in .properties),
 * emit-properties-number, emit-properties-duplicate (two entries flatten to
 * the same key; these four also for librdkafka .conf), emit-librdkafka-text
 * (a string with no librdkafka form), emit-librdkafka-line (a line longer
 * than kcat reads), emit-text-type (a text document that is not a sequence,
 * or a line that is not a scalar), emit-text-line (a line break in a line).
 */
#ifndef ASBGEN_EMIT_H
#define ASBGEN_EMIT_H

#include "buf.h"
#include "diag.h"
#include "value.h"

#define EMIT_MAX_DEPTH 1000

/* One document, no leading '---'.  Block style, 2-space indentation; strings
 * are quoted whenever a YAML 1.1 or 1.2 parser could read them as anything
 * but the same string. */
int emit_yaml(struct buf *out, const struct value *doc, struct diags *d);
/* The text of shared subtrees (VF_SHARED), kept for the outputs of one
 * render. */
struct emit_memo;
struct emit_memo *emit_memo_new(void);
void emit_memo_free(struct emit_memo *m);
/* emit_yaml, but a mapping or sequence with VF_SHARED that is met at the
 * same place (indentation, whether it starts on its parent's line) a
 * second time has its text kept in m, and copied from there after: the
 * labels every object includes and the ACL entries that 10,000 users
 * share are written once.  m may be NULL (emit_yaml). */
int emit_yaml_shared(struct buf *out, const struct value *doc, struct diags *d, struct emit_memo *m);
/* Set VF_YAML_PLAIN on string v when it can be written as a plain YAML
 * scalar (key or value).  For nodes built once and emitted many times:
 * template text, the model's keys and shared ACL entries. */
void emit_yaml_mark_plain(struct value *v);
/* 2-space indent, final newline. */
int emit_json(struct buf *out, const struct value *doc, struct diags *d);
/* doc must be a mapping: a .tfvars file, laid out as `terraform fmt` would. */
int emit_hcl(struct buf *out, const struct value *doc, struct diags *d);
/* Java .properties; nested mappings flattened with '.'. */
int emit_properties(struct buf *out, const struct value *doc, struct diags *d);
/* A librdkafka configuration (kcat -F): the same key=value lines without
 * escapes; a string that cannot be written as it is is an error. */
int emit_librdkafka(struct buf *out, const struct value *doc, struct diags *d);
/* A format written an entry at a time (format.h, lines): a template that
 * is a mapping of fixed keys is written without making its tree
 * (template.c, line plans), each entry by the code its emitter writes it
 * with, so the bytes are the same.  Both return -1 after reporting to d,
 * b as it was. */
struct emit_place {
	int ind, depth;         /* of the mapping the entry is in (YAML) */
	struct emit_memo *memo; /* shared subtrees' text (emit_yaml_shared), or NULL */
};
struct emit_lines {
	/* Append key k (a string) of a mapping at column ind: for YAML
	 * indented, with its colon; for key=value a top-level key, escaped. */
	int (*key)(struct buf *b, const struct value *k, int ind, struct diags *d);
	/* Append the entry of key (as key() wrote it) and value v, at. */
	int (*line)(struct buf *b, const char *key, size_t klen, const struct value *v,
		    const struct emit_place *at, struct diags *d);
	/* A mapping value is written below its key (YAML), not flattened
	 * into dotted keys: a plan may nest. */
	bool nests;
};
extern const struct emit_lines emit_yaml_lines, emit_properties_lines, emit_librdkafka_lines;
/* Text (Markdown): doc is a sequence of lines, each a string, a number or
 * a boolean without a line break; each is written with a newline. */
int emit_text(struct buf *out, const struct value *doc, struct diags *d);

/* The emitter of a path's format (format.h: the table of formats), or
 * NULL: .yaml/.yml, .json, .tfvars/.hcl, .properties, any case. */
typedef int (*emit_fn)(struct buf *, const struct value *, struct diags *);
emit_fn emit_for_path(const char *path);
/* Its comment prefix ("# "), or NULL (JSON, an unknown extension). */
const char *emit_comment_prefix(const char *path);

#endif
