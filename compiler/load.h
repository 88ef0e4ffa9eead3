/* load.h - YAML (and JSON) into value trees, with source marks.
 *
 * Parsing uses libfyaml's event API and builds our own tree directly: it is
 * several times faster than building a libfyaml document, and it lets us
 * resolve aliases and merge keys ourselves with bounds on expansion.  Text
 * in the plain block subset most files are written in is read by
 * yaml_fast.c instead, faster still, into the same events and tree.
 *
 * Typing follows the YAML 1.2 core schema for plain scalars: null, ~, true,
 * false, integers (decimal, 0x, 0o), floats (.inf, .nan, 1e3) are typed;
 * everything else, and every quoted or block scalar, is a string.  YAML 1.1
 * spellings (yes, no, on, off, 0755 as octal) are strings.
 *
 * Aliases share the anchored node (no copy); merge keys (<<) copy the
 * merged mapping's entries that the mapping does not set itself.
 * Duplicate keys are errors.  Errors go to diags with file:line:column;
 * the functions then return NULL (or -1).
 */
#ifndef ASBGEN_LOAD_H
#define ASBGEN_LOAD_H

#include <stddef.h>

#include "value.h"

struct arena;
struct diags;

/* Limits that keep hostile input bounded. */
#define LOAD_MAX_DEPTH 256          /* nesting of collections */
#define LOAD_MAX_FILE (64u << 20)   /* bytes in one input file */
#define LOAD_MAX_NODES (8u << 20)   /* nodes, counting merge copies */

/* Read a whole file into the arena (NUL-terminated).  Registers the text as
 * a diagnostics source.  Returns NULL and reports on error (id "io"). */
char *load_file_text(struct arena *a, struct diags *d, const char *path, size_t *len);

/* Exactly one document expected (a file without one is reported, id
 * "yaml-empty").  `path` is used for marks and is kept (not copied). */
struct value *load_yaml_file(struct arena *a, struct diags *d, const char *path);
struct value *load_yaml_string(struct arena *a, struct diags *d, const char *path,
			       const char *text, size_t len);

/* Every document of a multi-document stream, empty documents ("---" with
 * nothing after it, a file of comments) skipped; a written null (`null`,
 * `~`) is a document.  Returns the number of documents, or -1 on error. */
int load_yaml_stream(struct arena *a, struct diags *d, const char *path,
		     const char *text, size_t len, struct value ***docs);
/* The same, read by libfyaml alone, never by yaml_fast.c: tests compare
 * the two readers' trees with it. */
int load_yaml_stream_libfyaml(struct arena *a, struct diags *d, const char *path, const char *text, size_t len,
			      struct value ***docs);
/* The same, but a repeated key is a warning and the later one is read
 * (what kubectl does with a manifest that repeats one): asbgen import. */
int load_yaml_stream_lenient(struct arena *a, struct diags *d, const char *path, const char *text, size_t len,
			     struct value ***docs);

#endif
