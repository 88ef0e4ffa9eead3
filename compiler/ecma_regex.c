/* ecma_regex.c - ECMA-262 patterns compiled and matched by PCRE2 (see
 * ecma_regex.h for what is adjusted and why). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "ecma_regex.h"
#include "arena.h"
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Bounds on one match: a pattern that backtracks exponentially on some
 * string gives up after this many steps (well under a second) instead of
 * hanging validation; ordinary patterns take tens of steps. */
#define ECMA_MATCH_LIMIT 1000000u
#define ECMA_DEPTH_LIMIT 10000u

struct ecma_env {
	pcre2_compile_context *cc;
	pcre2_match_context *mc;
	pcre2_match_data *md; /* one pair: only "does it match" is asked */
};

struct ecma_re {
	pcre2_code *code;
};

struct ecma_env *ecma_env_new(void)
{
	struct ecma_env *env = xmalloc(sizeof *env);
	env->cc = pcre2_compile_context_create(NULL);
	env->mc = pcre2_match_context_create(NULL);
	env->md = pcre2_match_data_create(1, NULL);
	if (!env->cc || !env->mc || !env->md)
		die_oom();
	/* \u{1F600} as ECMA's u flag reads it (PCRE2_ALT_BSUX alone takes
	 * \uXXXX and \xXX only). */
	if (pcre2_set_compile_extra_options(env->cc, PCRE2_EXTRA_ALT_BSUX) != 0 ||
	    pcre2_set_match_limit(env->mc, ECMA_MATCH_LIMIT) != 0 ||
	    pcre2_set_depth_limit(env->mc, ECMA_DEPTH_LIMIT) != 0)
		die_oom();
	return env;
}

void ecma_env_free(struct ecma_env *env)
{
	if (!env)
		return;
	pcre2_match_data_free(env->md);
	pcre2_match_context_free(env->mc);
	pcre2_compile_context_free(env->cc);
	free(env);
}

static bool fail(char *why, size_t whylen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool fail(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return false;
}

/* ECMA white space and line terminators; PCRE2's \s (no UCP) is the ASCII
 * part, \p{Zs} needs only UTF mode. */
#define ECMA_SPACE "\\s\\u00a0\\ufeff\\u2028\\u2029\\p{Zs}"

/* {n}, {n,}, {n,m} at p: its length, else 0 (then '{' is a character). */
static size_t brace_quantifier(const char *p)
{
	const char *q = p + 1;
	if (*q < '0' || *q > '9')
		return 0;
	while (*q >= '0' && *q <= '9')
		q++;
	if (*q == ',')
		for (q++; *q >= '0' && *q <= '9'; q++)
			;
	return *q == '}' ? (size_t)(q - p + 1) : 0;
}

static bool is_letter(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* src as PCRE2 source in out; false (why set) for what ECMA-262 refuses. */
static bool adapt(const char *src, struct buf *out, char *why, size_t whylen)
{
	bool in_class = false;
	for (const char *p = src; *p;) {
		int c = (unsigned char)*p;
		if (c == '\\') {
			int e = (unsigned char)p[1];
			switch (e) {
			case 's':
				buf_puts(out, in_class ? ECMA_SPACE : "[" ECMA_SPACE "]");
				p += 2;
				continue;
			case 'S':
				buf_puts(out, in_class ? "\\S" : "[^" ECMA_SPACE "]");
				p += 2;
				continue;
			case 'v': /* PCRE2: any vertical space */
				buf_puts(out, "\\x0b");
				p += 2;
				continue;
			case 'c':
				if (!is_letter((unsigned char)p[2]))
					return fail(why, whylen, "\\c must be followed by a letter");
				buf_add(out, p, 3);
				p += 3;
				continue;
			case '0':
				if (p[2] >= '0' && p[2] <= '9')
					return fail(why, whylen, "\\0%c: octal escapes are not ECMA 262", p[2]);
				break;
			case 'd': case 'D': case 'w': case 'W': case 'b': case 'B': case 'f': case 'n':
			case 'r': case 't': case 'x': case 'u': case 'p': case 'P': case 'k':
				break;
			case '\0':
				return fail(why, whylen, "the pattern ends with a lone backslash");
			default:
				if (is_letter(e))
					return fail(why, whylen, "\\%c is not an ECMA 262 escape", e);
			}
			/* the escape as written (an identity escape of a multi-byte
			 * character copies its lead byte; the loop copies the rest) */
			buf_add(out, p, 2);
			p += 2;
			continue;
		}
		if (in_class) {
			if (c == ']')
				in_class = false;
			if (c == '[') /* PCRE2 would start a POSIX class [:alpha:] */
				buf_putc(out, '\\');
			buf_putc(out, (char)c);
			p++;
			continue;
		}
		size_t q = 0; /* a quantifier's length */
		switch (c) {
		case '[':
			in_class = true;
			buf_putc(out, '[');
			p++;
			if (*p == '^')
				buf_putc(out, *p++);
			if (*p == ']') { /* [] and [^]: with PCRE2_ALLOW_EMPTY_CLASS */
				buf_putc(out, *p++);
				in_class = false;
			}
			continue;
		case '.':
			buf_puts(out, "[^\\n\\r\\u2028\\u2029]");
			p++;
			continue;
		case '(':
			if (p[1] == '*')
				return fail(why, whylen, "(*...) is not ECMA 262");
			if (p[1] == '?' && !(p[2] == ':' || p[2] == '=' || p[2] == '!' ||
					     (p[2] == '<' && (p[3] == '=' || p[3] == '!' || is_letter((unsigned char)p[3]) ||
							      p[3] == '_' || p[3] == '$'))))
				return fail(why, whylen, "(?%.1s is not an ECMA 262 group", p[2] ? p + 2 : "");
			break;
		case '*': case '+': case '?':
			q = 1;
			break;
		case '{':
			q = brace_quantifier(p);
			break;
		}
		if (!q) {
			buf_putc(out, (char)c);
			p++;
			continue;
		}
		buf_add(out, p, q);
		p += q;
		if (*p == '?') /* lazy */
			buf_putc(out, *p++);
		if (*p == '+')
			return fail(why, whylen, "possessive quantifiers (%.*s+) are not ECMA 262", (int)q, p - q);
	}
	return true;
}

struct ecma_re *ecma_compile(struct ecma_env *env, const char *src, char *why, size_t whylen)
{
	struct buf b = BUF_INIT;
	if (!adapt(src, &b, why, whylen)) {
		buf_free(&b);
		return NULL;
	}
	int err;
	PCRE2_SIZE off;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)buf_cstr(&b), b.len,
					 PCRE2_UTF | PCRE2_ALT_BSUX | PCRE2_ALLOW_EMPTY_CLASS |
						 PCRE2_MATCH_UNSET_BACKREF | PCRE2_DOLLAR_ENDONLY |
						 PCRE2_NEVER_BACKSLASH_C,
					 &err, &off, env->cc);
	buf_free(&b);
	if (!code) {
		/* The offset is into the adjusted text: the message alone. */
		PCRE2_UCHAR msg[160];
		if (pcre2_get_error_message(err, msg, sizeof msg) < 0)
			snprintf((char *)msg, sizeof msg, "error %d", err);
		fail(why, whylen, "PCRE2: %s", (const char *)msg);
		return NULL;
	}
	struct ecma_re *re = xmalloc(sizeof *re);
	re->code = code;
	return re;
}

void ecma_re_free(struct ecma_re *re)
{
	if (!re)
		return;
	pcre2_code_free(re->code);
	free(re);
}

enum ecma_result ecma_match(struct ecma_env *env, const struct ecma_re *re, const char *s, size_t n)
{
	int rc = pcre2_match(re->code, (PCRE2_SPTR)s, n, 0, 0, env->md, env->mc);
	if (rc >= 0)
		return ECMA_MATCH;
	switch (rc) {
	case PCRE2_ERROR_MATCHLIMIT:
	case PCRE2_ERROR_DEPTHLIMIT:
	case PCRE2_ERROR_HEAPLIMIT:
	case PCRE2_ERROR_JIT_STACKLIMIT:
	case PCRE2_ERROR_NOMEMORY:
		return ECMA_GAVE_UP;
	default: /* no match, or a subject that is not UTF-8 */
		return ECMA_NO_MATCH;
	}
}

bool ecma_syntax_ok(const char *src)
{
	struct ecma_env *env = ecma_env_new();
	char why[200];
	struct ecma_re *re = ecma_compile(env, src, why, sizeof why);
	bool ok = re != NULL;
	ecma_re_free(re);
	ecma_env_free(env);
	return ok;
}
