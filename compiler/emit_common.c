/* emit_common.c - scalar helpers shared by the emitters, and emitter choice. */
#include "emit_common.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	int len;
	unsigned min;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2, min = 0x80, c &= 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3, min = 0x800, c &= 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4, min = 0x10000, c &= 0x07;
	} else {
		return 0;
	}
	if ((size_t)len > n)
		return 0;
	for (int k = 1; k < len; k++) {
		if ((s[k] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[k] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

size_t utf8_check(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		/* Output is nearly all ASCII: skip it eight bytes at a time. */
		if (n - i >= 8) {
			uint64_t w;
			memcpy(&w, p + i, 8);
			if (!(w & 0x8080808080808080ull)) {
				i += 8;
				continue;
			}
		}
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		unsigned cp;
		int l = utf8_decode(p + i, n - i, &cp);
		if (!l)
			return i;
		i += (size_t)l;
	}
	return n;
}

int emit_err_utf8(struct diags *d, const struct value *v, size_t off)
{
	diag_at(d, SEV_ERROR, &v->mark, "emit-utf8",
		"output files are UTF-8; check the encoding of the input that produced this value",
		"string is not valid UTF-8 (bad byte 0x%02X at offset %zu)",
		(unsigned)(unsigned char)v->str.s[off], off);
	return -1;
}

int emit_err_depth(struct diags *d, const struct value *v)
{
	diag_at(d, SEV_ERROR, &v->mark, "emit-depth",
		"flatten the structure, or check the template for runaway recursion",
		"value nested deeper than %d levels", EMIT_MAX_DEPTH);
	return -1;
}

int emit_err_nonfinite(struct diags *d, const struct value *v, const char *id, const char *hint,
		       const char *format)
{
	diag_at(d, SEV_ERROR, &v->mark, id, hint, "cannot write %s in %s", isnan(v->f) ? "NaN" : "infinity",
		format);
	return -1;
}

size_t emit_fmt_int(char *buf, long long i)
{
	char tmp[EMIT_NUM_MAX];
	size_t n = 0, k = 0;
	unsigned long long u = i < 0 ? 0ULL - (unsigned long long)i : (unsigned long long)i;
	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (i < 0)
		buf[k++] = '-';
	while (n)
		buf[k++] = tmp[--n];
	buf[k] = '\0';
	return k;
}

size_t emit_fmt_float(char *buf, double f, bool yaml_style)
{
	char tmp[EMIT_NUM_MAX];
	int len = 0;
	for (int prec = 1; prec <= 17; prec++) {
		len = snprintf(tmp, sizeof tmp, "%.*g", prec, f);
		if (strtod(tmp, NULL) == f)
			break;
	}
	/* Now tmp is like 1, -0, 1.5, 1e+300, 1.5e-07: give it a '.'. */
	const char *e = strchr(tmp, 'e');
	bool dot = strchr(tmp, '.') != NULL;
	size_t k = 0;
	if (dot || (e && !yaml_style)) {
		memcpy(buf, tmp, (size_t)len + 1);
		return (size_t)len;
	}
	size_t mant = e ? (size_t)(e - tmp) : (size_t)len;
	memcpy(buf, tmp, mant);
	k = mant;
	buf[k++] = '.';
	buf[k++] = '0';
	if (e) {
		size_t rest = (size_t)len - mant;
		memcpy(buf + k, e, rest);
		k += rest;
	}
	buf[k] = '\0';
	return k;
}

void emit_repeat(struct buf *b, char c, size_t n)
{
	if (!n)
		return;
	buf_grow(b, n);
	memset(b->data + b->len, c, n);
	b->len += n;
	b->data[b->len] = '\0';
}

bool emit_escape_common(struct buf *b, unsigned ch)
{
	const char *e;
	switch (ch) {
	case '"': e = "\\\""; break;
	case '\\': e = "\\\\"; break;
	case '\n': e = "\\n"; break;
	case '\r': e = "\\r"; break;
	case '\t': e = "\\t"; break;
	default: return false;
	}
	buf_add(b, e, 2);
	return true;
}

void emit_escape_u00(struct buf *b, unsigned ch, bool upper)
{
	const char *hex = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char u[6] = { '\\', 'u', '0', '0', hex[(ch >> 4) & 0xF], hex[ch & 0xF] };
	buf_add(b, u, 6);
}

bool emit_json_scalar(struct buf *b, const struct value *v)
{
	char num[EMIT_NUM_MAX];
	switch (v->kind) {
	case V_NULL:
		buf_add(b, "null", 4);
		return true;
	case V_BOOL:
		buf_puts(b, v->b ? "true" : "false");
		return true;
	case V_INT:
		buf_add(b, num, emit_fmt_int(num, v->i));
		return true;
	case V_FLOAT:
		if (!isfinite(v->f))
			return false;
		buf_add(b, num, emit_fmt_float(num, v->f, false));
		return true;
	default:
		return false;
	}
}

int emit_fail(struct buf *out, size_t start)
{
	out->len = start;
	if (out->data)
		out->data[start] = '\0';
	return -1;
}

bool hcl_ident(const char *s, size_t n)
{
	if (n == 0 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_'))
		return false;
	for (size_t i = 1; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return false;
	}
	return true;
}

/* A JSON string literal of s (paths must be unambiguous). */
void path_put_quoted(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	buf_putc(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '"' || ch == '\\') {
			buf_putc(b, '\\');
			buf_putc(b, (char)ch);
		} else if (ch < 0x20 || ch == 0x7F) {
			char t[6] = { '\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 0xF] };
			buf_add(b, t, 6);
		} else {
			buf_putc(b, (char)ch);
		}
	}
	buf_putc(b, '"');
}

void path_put_key(struct buf *path, const char *s, size_t n)
{
	if (hcl_ident(s, n)) {
		if (path->len)
			buf_putc(path, '.');
		buf_add(path, s, n);
	} else {
		buf_putc(path, '[');
		path_put_quoted(path, s, n);
		buf_putc(path, ']');
	}
}

void path_put_item_key(struct buf *path, const char *field, const char *k)
{
	static const char safe[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:/-";
	buf_printf(path, "[%s=", field);
	if (*k && strspn(k, safe) == strlen(k))
		buf_puts(path, k);
	else
		path_put_quoted(path, k, strlen(k));
	buf_putc(path, ']');
}
