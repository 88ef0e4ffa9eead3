/* read_tfvars.c - the literal subset of HCL that .tfvars files use, into a
 * value tree (see readers.h).  A recursive descent over the bytes; every
 * error names file:line:column and what was expected. */
#include "readers.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "load.h"

struct hreader {
	struct arena *a;
	struct diags *d;
	const char *label;
	const char *s;
	size_t n, i;
	int line;
	size_t line_start;
	int depth;
};

#define TF_HINT "tfvars hold literal values only: \"strings\", numbers, true, false, null, [lists] and {objects}"

static struct mark here(const struct hreader *r)
{
	return (struct mark){ r->label, r->line, (int)(r->i - r->line_start) + 1 };
}

static void fail(struct hreader *r, const char *hint, const char *fmt, const char *what)
	__attribute__((format(printf, 3, 0)));

static void fail(struct hreader *r, const char *hint, const char *fmt, const char *what)
{
	struct mark m = here(r);
	diag_pos(r->d, SEV_ERROR, r->label, m.line, m.col, "tfvars-syntax", hint ? hint : TF_HINT, fmt,
		 what);
}

/* A short description of what is at r->i, for messages. */
static const char *seen(struct hreader *r)
{
	if (r->i >= r->n)
		return "the end of the file";
	unsigned char ch = (unsigned char)r->s[r->i];
	if (ch == '\n')
		return "the end of the line";
	if (ch < 0x20 || ch >= 0x7F)
		return arena_printf(r->a, "byte 0x%02X", ch);
	return arena_printf(r->a, "'%c'", ch);
}

static bool is_ident_start(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
}

static bool is_ident(char ch)
{
	return is_ident_start(ch) || (ch >= '0' && ch <= '9') || ch == '-';
}

/* Skip blanks and comments; newlines too when nl.  Returns -1 on an
 * unterminated block comment (reported). */
static int skip(struct hreader *r, bool nl)
{
	while (r->i < r->n) {
		char ch = r->s[r->i];
		if (ch == ' ' || ch == '\t' || ch == '\r') {
			r->i++;
		} else if (ch == '\n' && nl) {
			r->i++;
			r->line++;
			r->line_start = r->i;
		} else if (ch == '#' || (ch == '/' && r->i + 1 < r->n && r->s[r->i + 1] == '/')) {
			while (r->i < r->n && r->s[r->i] != '\n')
				r->i++;
		} else if (ch == '/' && r->i + 1 < r->n && r->s[r->i + 1] == '*') {
			struct mark m = here(r);
			r->i += 2;
			while (r->i + 1 < r->n && !(r->s[r->i] == '*' && r->s[r->i + 1] == '/')) {
				if (r->s[r->i] == '\n') {
					r->line++;
					r->line_start = r->i + 1;
				}
				r->i++;
			}
			if (r->i + 1 >= r->n) {
				diag_pos(r->d, SEV_ERROR, r->label, m.line, m.col, "tfvars-syntax",
					 "close the comment with */", "unterminated /* comment");
				return -1;
			}
			r->i += 2;
		} else {
			break;
		}
	}
	return 0;
}

static int hexval(char ch)
{
	return ch >= '0' && ch <= '9' ? ch - '0'
	       : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
	       : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
}

/* A quoted string at r->i (the opening quote). */
static struct value *read_string(struct hreader *r)
{
	struct mark m = here(r);
	struct buf b = BUF_INIT;
	r->i++;
	for (;;) {
		if (r->i >= r->n || r->s[r->i] == '\n') {
			diag_pos(r->d, SEV_ERROR, r->label, m.line, m.col, "tfvars-syntax",
				 "close the string with \" on the same line (write a line break as \\n)",
				 "unterminated string");
			buf_free(&b);
			return NULL;
		}
		char ch = r->s[r->i];
		if (ch == '"')
			break;
		if ((ch == '$' || ch == '%') && r->i + 1 < r->n && r->s[r->i + 1] == '{') {
			fail(r, "a literal ${ or %{ is written $${ or %%{; tfvars cannot interpolate",
			     "%s: template interpolation is not allowed in a tfvars value",
			     ch == '$' ? "${" : "%{");
			buf_free(&b);
			return NULL;
		}
		if ((ch == '$' || ch == '%') && r->i + 2 < r->n && r->s[r->i + 1] == ch && r->s[r->i + 2] == '{') {
			buf_putc(&b, ch);
			buf_putc(&b, '{');
			r->i += 3;
			continue;
		}
		if ((unsigned char)ch < 0x20) {
			fail(r, "write control characters as escapes (\\t, \\n, \\uXXXX)",
			     "%s in a string", seen(r));
			buf_free(&b);
			return NULL;
		}
		if (ch != '\\') {
			buf_putc(&b, ch);
			r->i++;
			continue;
		}
		size_t esc = r->i++;
		char e = r->i < r->n ? r->s[r->i] : '\0';
		r->i++;
		switch (e) {
		case 'n': buf_putc(&b, '\n'); break;
		case 'r': buf_putc(&b, '\r'); break;
		case 't': buf_putc(&b, '\t'); break;
		case '"': buf_putc(&b, '"'); break;
		case '\\': buf_putc(&b, '\\'); break;
		case 'u':
		case 'U': {
			int digits = e == 'u' ? 4 : 8;
			unsigned long cp = 0;
			for (int k = 0; k < digits; k++) {
				int h = r->i < r->n ? hexval(r->s[r->i]) : -1;
				if (h < 0) {
					r->i = esc;
					fail(r, TF_HINT, "malformed \\%s escape: hex digits expected",
					     e == 'u' ? "uXXXX" : "UXXXXXXXX");
					buf_free(&b);
					return NULL;
				}
				cp = cp * 16 + (unsigned long)h;
				r->i++;
			}
			if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
				r->i = esc;
				fail(r, TF_HINT, "%s is not a Unicode scalar value", "the escape");
				buf_free(&b);
				return NULL;
			}
			buf_put_utf8(&b, cp);
			break;
		}
		default:
			r->i = esc;
			fail(r, "escapes are \\n \\r \\t \\\" \\\\ \\uXXXX \\UXXXXXXXX",
			     "unknown escape %s", arena_printf(r->a, "'\\%c'", e >= 0x20 && e < 0x7F ? e : '?'));
			buf_free(&b);
			return NULL;
		}
	}
	r->i++;
	struct value *v = v_strn(r->a, &m, b.data ? b.data : "", b.len);
	v->flags |= VF_QUOTED;
	buf_free(&b);
	return v;
}

static struct value *read_number(struct hreader *r)
{
	struct mark m = here(r);
	size_t start = r->i;
	bool is_float = false;
	if (r->s[r->i] == '-')
		r->i++;
	size_t digits = r->i;
	while (r->i < r->n && r->s[r->i] >= '0' && r->s[r->i] <= '9')
		r->i++;
	if (r->i == digits) {
		fail(r, TF_HINT, "a number expected after '-', not %s", seen(r));
		return NULL;
	}
	if (r->i + 1 < r->n && r->s[r->i] == '.' && r->s[r->i + 1] >= '0' && r->s[r->i + 1] <= '9') {
		is_float = true;
		r->i++;
		while (r->i < r->n && r->s[r->i] >= '0' && r->s[r->i] <= '9')
			r->i++;
	}
	if (r->i < r->n && (r->s[r->i] == 'e' || r->s[r->i] == 'E')) {
		is_float = true;
		r->i++;
		if (r->i < r->n && (r->s[r->i] == '+' || r->s[r->i] == '-'))
			r->i++;
		size_t exp = r->i;
		while (r->i < r->n && r->s[r->i] >= '0' && r->s[r->i] <= '9')
			r->i++;
		if (r->i == exp) {
			fail(r, TF_HINT, "an exponent expected, not %s", seen(r));
			return NULL;
		}
	}
	if (r->i < r->n && is_ident(r->s[r->i])) {
		fail(r, TF_HINT, "%s after a number", seen(r));
		return NULL;
	}
	char *t = arena_strndup(r->a, r->s + start, r->i - start);
	errno = 0;
	if (!is_float) {
		char *end;
		long long i = strtoll(t, &end, 10);
		if (errno == 0 && !*end)
			return v_int(r->a, &m, i);
		errno = 0;
	}
	char *end;
	double f = strtod(t, &end);
	if (*end || errno == ERANGE) {
		diag_pos(r->d, SEV_ERROR, r->label, m.line, m.col, "tfvars-syntax", TF_HINT,
			 "the number %s is out of range", t);
		return NULL;
	}
	return v_float(r->a, &m, f);
}

static struct value *read_value(struct hreader *r);

/* After an item of a list or object: a comma, or the closing bracket. */
static int after_item(struct hreader *r, char close, bool newline_separates)
{
	if (skip(r, !newline_separates) != 0)
		return -1;
	if (r->i < r->n && r->s[r->i] == ',') {
		r->i++;
		return 0;
	}
	if (r->i < r->n && (r->s[r->i] == close || (newline_separates && r->s[r->i] == '\n')))
		return 0;
	fail(r, TF_HINT, close == ']' ? "',' or ']' expected, not %s" : "',', a new line or '}' expected, not %s",
	     seen(r));
	return -1;
}

static struct value *read_list(struct hreader *r)
{
	struct value *seq = v_seq(r->a, &(struct mark){ 0 });
	seq->mark = here(r);
	r->i++;
	for (;;) {
		if (skip(r, true) != 0)
			return NULL;
		if (r->i < r->n && r->s[r->i] == ']')
			break;
		struct value *item = read_value(r);
		if (!item)
			return NULL;
		seq_push(r->a, seq, item);
		if (after_item(r, ']', false) != 0)
			return NULL;
	}
	r->i++;
	return seq;
}

/* An attribute or object key: an identifier or a quoted string. */
static struct value *read_key(struct hreader *r, bool quoted_ok)
{
	struct mark m = here(r);
	if (quoted_ok && r->i < r->n && r->s[r->i] == '"')
		return read_string(r);
	if (r->i >= r->n || !is_ident_start(r->s[r->i])) {
		fail(r, "a name is a letter or '_' followed by letters, digits, '_' or '-'",
		     quoted_ok ? "a key expected, not %s" : "an attribute name expected, not %s", seen(r));
		return NULL;
	}
	size_t start = r->i;
	while (r->i < r->n && is_ident(r->s[r->i]))
		r->i++;
	return v_strn(r->a, &m, r->s + start, r->i - start);
}

/* '=' (or ':' inside objects) after a key. */
static int read_equals(struct hreader *r, bool colon_ok, const char *key)
{
	if (skip(r, false) != 0)
		return -1;
	if (r->i < r->n && (r->s[r->i] == '=' || (colon_ok && r->s[r->i] == ':'))) {
		r->i++;
		return skip(r, false);
	}
	if (!colon_ok && r->i < r->n && (r->s[r->i] == '{' || r->s[r->i] == '"'))
		fail(r, "tfvars set variables (name = value); blocks belong in .tf files",
		     "%s: a block is not allowed in a tfvars file", key);
	else
		fail(r, TF_HINT, "'=' expected after the name, not %s", seen(r));
	return -1;
}

static int put_unique(struct hreader *r, struct value *map, struct value *k, struct value *v)
{
	const struct pair *prev = map_get_pair(map, k->str.s);
	if (prev) {
		diag_pos(r->d, SEV_ERROR, r->label, k->mark.line, k->mark.col, "tfvars-syntax",
			 "set each name once", "'%s' is set twice (first at line %d)", k->str.s,
			 prev->key->mark.line);
		return -1;
	}
	map_put(r->a, map, k, v);
	return 0;
}

static struct value *read_object(struct hreader *r)
{
	struct value *map = v_map(r->a, NULL);
	map->mark = here(r);
	r->i++;
	for (;;) {
		if (skip(r, true) != 0)
			return NULL;
		if (r->i < r->n && r->s[r->i] == '}')
			break;
		struct value *k = read_key(r, true);
		if (!k || read_equals(r, true, k->str.s) != 0)
			return NULL;
		struct value *v = read_value(r);
		if (!v || put_unique(r, map, k, v) != 0)
			return NULL;
		if (after_item(r, '}', true) != 0)
			return NULL;
	}
	r->i++;
	return map;
}

static struct value *read_value(struct hreader *r)
{
	if (r->i >= r->n) {
		fail(r, TF_HINT, "a value expected, not %s", seen(r));
		return NULL;
	}
	char ch = r->s[r->i];
	if (ch == '"')
		return read_string(r);
	if (ch == '-' || (ch >= '0' && ch <= '9'))
		return read_number(r);
	if (ch == '[' || ch == '{') {
		if (++r->depth > LOAD_MAX_DEPTH) {
			fail(r, "flatten the value", "nesting deeper than %s levels", arena_printf(r->a, "%d", LOAD_MAX_DEPTH));
			return NULL;
		}
		struct value *v = ch == '[' ? read_list(r) : read_object(r);
		r->depth--;
		return v;
	}
	if (ch == '<' && r->i + 1 < r->n && r->s[r->i + 1] == '<') {
		fail(r, "write the text as a \"string\" with \\n escapes", "%s: heredocs are not supported",
		     "<<");
		return NULL;
	}
	if (is_ident_start(ch)) {
		struct mark m = here(r);
		size_t start = r->i;
		while (r->i < r->n && (is_ident(r->s[r->i]) || r->s[r->i] == '.'))
			r->i++;
		size_t n = r->i - start;
		if (n == 4 && !memcmp(r->s + start, "true", 4))
			return v_bool(r->a, &m, true);
		if (n == 5 && !memcmp(r->s + start, "false", 5))
			return v_bool(r->a, &m, false);
		if (n == 4 && !memcmp(r->s + start, "null", 4))
			return v_null(r->a, &m);
		r->i = start;
		fail(r, TF_HINT, "'%s' is an expression; only literal values are allowed",
		     arena_strndup(r->a, r->s + start, n));
		return NULL;
	}
	fail(r, TF_HINT, "a value expected, not %s", seen(r));
	return NULL;
}

struct value *read_tfvars(struct arena *a, struct diags *d, const char *label,
			  const char *text, size_t len)
{
	struct hreader r = { a, d, label, text, len, 0, 1, 0, 0 };
	struct value *top = v_map(a, &(struct mark){ label, 1, 1 });
	if (memchr(text, '\0', len)) {
		r.i = (size_t)((const char *)memchr(text, '\0', len) - text);
		for (size_t k = 0; k < r.i; k++)
			if (text[k] == '\n') {
				r.line++;
				r.line_start = k + 1;
			}
		fail(&r, "a tfvars file is text", "%s in the file", "a NUL byte");
		return NULL;
	}
	for (;;) {
		if (skip(&r, true) != 0)
			return NULL;
		if (r.i >= r.n)
			break;
		struct value *k = read_key(&r, false);
		if (!k || read_equals(&r, false, k->str.s) != 0)
			return NULL;
		struct value *v = read_value(&r);
		if (!v || put_unique(&r, top, k, v) != 0)
			return NULL;
		if (skip(&r, false) != 0)
			return NULL;
		if (r.i < r.n && r.s[r.i] != '\n') {
			fail(&r, "put each attribute on its own line", "a new line expected after the value, not %s",
			     seen(&r));
			return NULL;
		}
	}
	return top;
}
