/* redact.h - take secrets out of text that asbgen did not write.
 *
 * What an API server, a proxy in front of it or libcurl says is quoted in
 * diagnostics; a careless server echoes the credentials it was sent.  A
 * redactor knows the secrets (the bearer token, the client key) and every
 * form in which they can come back:
 *
 *  - the secret itself (the header asbgen sends is `Bearer TOKEN`, so an
 *    echoed header holds it raw);
 *  - its base64, standard and URL-safe, at each of the three alignments
 *    it can have inside a longer base64 text (base64 of `Bearer TOKEN` or
 *    of `user:TOKEN`, as a proxy logging basic auth would write it): the
 *    characters that depend on the secret alone, and the last one with
 *    the padding when the secret ends the text;
 *  - its percent-encoding and its JSON escaping of '/' (a raw JSON body).
 *
 * A part of a form is a secret too: a server that echoes the first few
 * characters of the token ("token abcdefgh... rejected") or cuts the
 * header short leaks them.  So every run of REDACT_MIN_RUN or more
 * consecutive characters of any form is replaced, whole forms shorter
 * than that as well (the raw secret always; derived forms of 4 characters
 * or more).  Six characters: a run of 5 or fewer that may still be shown
 * carries at most 30 bits of a base64 token, and is as likely to be an
 * ordinary word; longer minimums would let "the first 8 characters" out.
 */
#ifndef ASBGEN_REDACT_H
#define ASBGEN_REDACT_H

#include <stddef.h>

struct arena;

#define REDACT_MIN_RUN 6
/* The longest secret a redactor takes (a token or key is a few KiB). */
#define REDACT_MAX_SECRET (64u << 10)

struct redactor;

struct redactor *redactor_new(struct arena *a);

/* Add the secret s[0..n) and its forms, replaced by `label` ("[token]").
 * n at most REDACT_MAX_SECRET (the caller refuses longer secrets). */
void redactor_add(struct redactor *r, const char *s, size_t n, const char *label);

/* Add each line of a PEM text's base64 body (a client key), and the
 * forms of the whole text (how client-key-data holds it). */
void redactor_add_pem(struct redactor *r, const char *pem, size_t n, const char *label);

/* s[0..n), safe to print: every secret replaced by its label, control
 * bytes made '?', cut after `max` bytes of output ("..." then).  In the
 * redactor's arena.  Redaction looks at the whole input, so a secret that
 * straddles the cut is still caught. */
const char *redact(const struct redactor *r, const char *s, size_t n, size_t max);

#endif
