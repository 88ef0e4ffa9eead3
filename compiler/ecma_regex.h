/* ecma_regex.h - ECMA-262 regular expressions (JSON Schema's `pattern`,
 * `patternProperties`, format "regex") on PCRE2.
 *
 * PCRE2 implements what patterns need (lookaround, \p{...}, Unicode
 * classes, backreferences, \uXXXX and \u{...}); it runs in UTF mode with
 * the options that give ECMA semantics ($ only at the end, [] and [^],
 * unset backreferences match empty).  Where no option does, the source is
 * adjusted before compiling, and only there: `.` and \s take ECMA's line
 * terminators and Unicode white space, \v is VT, `[` in a class is a
 * character, and what PCRE2 accepts but ECMA-262 (with the u flag, as JSON
 * Schema asks) refuses is an error: other letter escapes (\a \Z \A \Q ...),
 * (?i) and other (? groups, (*VERB), possessive quantifiers.
 *
 * Known gap: \S inside a class ([\S\d]) is PCRE2's ASCII \S (NBSP counts
 * as non-space there; it does outside a class).
 *
 * Matching is a search, as JSON Schema says (anchor with ^ and $), bounded
 * by PCRE2's match and depth limits: a backtracking blowup gives up
 * (ECMA_GAVE_UP) instead of hanging.
 */
#ifndef ASBGEN_ECMA_REGEX_H
#define ASBGEN_ECMA_REGEX_H

#include <stdbool.h>
#include <stddef.h>

struct ecma_env; /* compile and match contexts and one match data, reused */
struct ecma_re;  /* a compiled pattern */

struct ecma_env *ecma_env_new(void);
void ecma_env_free(struct ecma_env *env);

/* Compile src (NUL-terminated UTF-8).  On error returns NULL and writes
 * why (at most whylen bytes, NUL-terminated). */
struct ecma_re *ecma_compile(struct ecma_env *env, const char *src, char *why, size_t whylen);
void ecma_re_free(struct ecma_re *re);

enum ecma_result { ECMA_NO_MATCH, ECMA_MATCH, ECMA_GAVE_UP };

/* Does re match somewhere in s[0..n)?  A string that is not UTF-8 matches
 * nothing. */
enum ecma_result ecma_match(struct ecma_env *env, const struct ecma_re *re, const char *s, size_t n);

/* Is src a pattern ecma_compile accepts? */
bool ecma_syntax_ok(const char *src);

#endif
