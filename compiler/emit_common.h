/* emit_common.h - scalar helpers shared by the emitters (internal). */
#ifndef ASBGEN_EMIT_COMMON_H
#define ASBGEN_EMIT_COMMON_H

#include <stdbool.h>
#include <stddef.h>

#include "emit.h"

/* Decode one UTF-8 sequence at s[0..n).  Returns its length (1-4) and sets
 * *cp, or 0 when malformed (truncated, overlong, surrogate, > U+10FFFF). */
int utf8_decode(const unsigned char *s, size_t n, unsigned *cp);

/* Offset of the first malformed byte in s[0..n), or n when all valid. */
size_t utf8_check(const char *s, size_t n);

/* Report a string that is not valid UTF-8 (rule emit-utf8).  Returns -1. */
int emit_err_utf8(struct diags *d, const struct value *v, size_t off);
/* Report nesting deeper than EMIT_MAX_DEPTH (rule emit-depth).  Returns -1. */
int emit_err_depth(struct diags *d, const struct value *v);

#define EMIT_NUM_MAX 40

/* Decimal integer; returns the length.  buf needs EMIT_NUM_MAX bytes. */
size_t emit_fmt_int(char *buf, long long i);

/* Shortest "%.Ng" that reads back as the same double, always containing '.'
 * or 'e' so it is not read back as an integer.  With yaml_style the mantissa
 * always has a '.' (1.0e+300: YAML 1.1 resolvers want it).  f must be finite.
 * Returns the length; buf needs EMIT_NUM_MAX bytes. */
size_t emit_fmt_float(char *buf, double f, bool yaml_style);

/* An HCL identifier: a letter or '_', then letters, digits, '_' or '-'.
 * Such a name is written bare (tfvars keys, diff paths), others quoted. */
bool hcl_ident(const char *s, size_t n);

/* Paths into a tree (diff's, `asbgen model --sources`): key s[0..n) after
 * path, bare with a '.' when it is an HCL identifier, else as ["..."];
 * path_put_quoted writes that JSON string literal alone. */
void path_put_key(struct buf *path, const char *s, size_t n);
void path_put_quoted(struct buf *b, const char *s, size_t n);
/* An item of a list keyed by field: [field=k], k quoted unless it is
 * plain (letters, digits, . _ : / -). */
void path_put_item_key(struct buf *path, const char *field, const char *k);

/* The escapes JSON, HCL and YAML double-quoted strings share (\" \\ \n \r
 * \t), written to b; false, and nothing written, for any other character. */
bool emit_escape_common(struct buf *b, unsigned ch);
/* "\u00XX" for a control character (upper: hex digits in capitals). */
void emit_escape_u00(struct buf *b, unsigned ch, bool upper);

/* Write v when it is null, a boolean, an integer or a finite float, as
 * JSON and HCL both spell them (floats in shortest round-trip form);
 * false, and nothing written, for anything else. */
bool emit_json_scalar(struct buf *b, const struct value *v);
/* Report a float emit_json_scalar refused (infinite or NaN) in format
 * ("JSON", "HCL") under rule id, with hint; -1. */
int emit_err_nonfinite(struct diags *d, const struct value *v, const char *id, const char *hint,
		       const char *format);

/* An emitter's failure: out back to its length on entry (start); -1. */
int emit_fail(struct buf *out, size_t start);

/* Append n bytes of c. */
void emit_repeat(struct buf *b, char c, size_t n);

#endif
