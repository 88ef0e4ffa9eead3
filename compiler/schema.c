/* schema.c - JSON Schema draft-07 validation of value trees.
 *
 * A schema object (reachable through the keywords that hold schemas, or
 * unknown keywords whose value is an object, which $ref may point into) is
 * "compiled" into a struct cnode that holds its keywords, its base URI and
 * its compiled regexes: when validation first meets it, or all of a
 * document's when it is loaded if it has an "$id" below its root.
 * Documents are struct value trees (jdoc.h): the built-in schema comes
 * from the tables compiled into the binary without being parsed or
 * converted, a file through jansson once.  The nodes are found again by
 * node pointer through a hash table, so validation does one lookup per
 * schema visited and allocates nothing while the instance is valid.  Paths
 * for messages are a chain of frames on the C stack, turned into text only
 * when something is reported.
 */
#include "schema.h"
#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "ecma_regex.h"
#include "embedded.h"
#include "hashmap.h"
#include "jdoc.h"
#include "json_value.h"
#include "suggest.h"

#include <assert.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define EV_MAX_DEPTH 1000 /* nested schema evaluations */

/* ------------------------------------------------------------------ */
/* Pointer-keyed hash table */

struct pmap {
	const void **keys;
	void **vals;
	size_t cap, n; /* cap is a power of two */
};

static size_t phash(const void *p, size_t cap)
{
	uint64_t x = (uint64_t)(uintptr_t)p;
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (size_t)x & (cap - 1);
}

static void *pmap_get(const struct pmap *m, const void *k)
{
	if (!m->cap)
		return NULL;
	for (size_t i = phash(k, m->cap);; i = (i + 1) & (m->cap - 1)) {
		if (m->keys[i] == k)
			return m->vals[i];
		if (!m->keys[i])
			return NULL;
	}
}

static void pmap_put(struct pmap *m, const void *k, void *v);

static void pmap_grow(struct pmap *m)
{
	struct pmap old = *m;
	m->cap = old.cap ? old.cap * 2 : 64;
	m->n = 0;
	m->keys = xcalloc(m->cap, sizeof *m->keys);
	m->vals = xcalloc(m->cap, sizeof *m->vals);
	for (size_t i = 0; i < old.cap; i++)
		if (old.keys[i])
			pmap_put(m, old.keys[i], old.vals[i]);
	free(old.keys);
	free(old.vals);
}

static void pmap_put(struct pmap *m, const void *k, void *v)
{
	if ((m->n + 1) * 2 > m->cap)
		pmap_grow(m);
	size_t i = phash(k, m->cap);
	while (m->keys[i] && m->keys[i] != k)
		i = (i + 1) & (m->cap - 1);
	if (!m->keys[i])
		m->n++;
	m->keys[i] = k;
	m->vals[i] = v;
}

static void pmap_free(struct pmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

/* ------------------------------------------------------------------ */
/* Schema state */

enum { T_NULL = 1, T_BOOL = 2, T_INT = 4, T_NUM = 8, T_STR = 16, T_ARR = 32, T_OBJ = 64 };

enum rx_state { RX_OK, RX_INVALID };

struct rx {
	struct ecma_re *re;
	enum rx_state st;
	const char *src;
	const char *why; /* for RX_INVALID */
	bool pending;    /* not compiled yet (rx_ready) */
	bool warned;
	struct rx *next; /* list of all, for schema_free */
	/* Results by string (idx: 1 + enum ecma_result): 10,000 users name
	 * the same hundred topics. */
	struct hashmap seen;
};

#define RX_MEMO_MAX_LEN 256   /* longer strings are matched every time */
/* Results kept per pattern: the strings that repeat (topic names) come
 * early; the 10,000 distinct user names would only fill pages. */
#define RX_MEMO_MAX 4096

/* ecma_match of a compiled pattern, remembered per string (the keys are
 * copied into the schema's arena, which outlives every instance). */
static enum ecma_result rx_match(struct arena *a, struct ecma_env *env, struct rx *r, const char *str, size_t len)
{
	struct hm_entry *e = len <= RX_MEMO_MAX_LEN ? hashmap_get(&r->seen, str, len) : NULL;
	if (e)
		return (enum ecma_result)(e->idx - 1);
	enum ecma_result m = ecma_match(env, r->re, str, len);
	if (len <= RX_MEMO_MAX_LEN && r->seen.n < RX_MEMO_MAX)
		hashmap_put(&r->seen, arena_strndup(a, str, len), len, NULL)->idx = 1 + (size_t)m;
	return m;
}

struct pprop {
	const char *key;
	struct rx *rx;
	const struct value *sub;
};

struct cnode {
	const struct value *j;
	const char *base; /* base URI in effect for this node */
	const char *description;
	const struct value *ref; /* string; when set, other keywords are ignored */
	const struct value *ref_target;
	const char *ref_base;
	const char *ref_error; /* resolution failed */
	bool ref_resolved;
	bool has_type;
	unsigned types;
	const struct value *enum_, *const_;
	const struct value *properties, *additional_props, *property_names, *required, *dependencies;
	struct pprop *pp;
	size_t npp;
	const struct value *items, *additional_items, *contains;
	long long min_items, max_items, min_props, max_props, min_len, max_len; /* -1: absent */
	bool unique;
	const struct value *minimum, *maximum, *ex_minimum, *ex_maximum, *multiple_of;
	struct rx *pattern;
	const char *format;
	const char *content_encoding, *content_media; /* checked kinds only, else NULL */
	const struct value *all_of, *any_of, *one_of, *not_, *if_, *then_, *else_;
	bool checked_elsewhere; /* "x-asbgen-check": a semantic check owns the value rules */
};

struct resource {
	const char *uri; /* absolute, with "#name" for location-independent ids */
	const struct value *node;
	const char *base;
};

struct schema {
	struct arena *a;
	const struct value *root; /* in a, as are the documents fetched */
	const char *name;
	const char *base;
	struct pmap nodes; /* document node -> struct cnode* */
	struct resource *res;
	size_t nres, res_cap;
	const char **failed; /* URIs the fetch hook could not give */
	size_t nfailed, failed_cap;
	struct rx *rxs;
	struct ecma_env *rxenv; /* made with the first pattern used */
	struct urimap { const char *prefix, *path; } *maps; /* schema_map_uri */
	size_t nmaps;
	schema_fetch_fn fetch;
	void *fetch_ctx;
	/* Compile every schema node of a document when it is indexed (a
	 * document with an "$id" below its root: the ids must be known
	 * before a $ref resolves), else each node when validation first
	 * meets it: a spec uses part of the schema. */
	bool walk_all;
	bool int_literal; /* "integer" takes V_INT only (draft 4 validators) */
	bool defer_checked; /* skip value rules of "x-asbgen-check" nodes */
	void *defaults_plan; /* defaults.c's reading of the document, made once */
};

/* ------------------------------------------------------------------ */
/* Patterns (ecma_regex.c: ECMA 262 on PCRE2) */

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A pattern, compiled when first used: a spec names a few of the schema's
 * keys.  One per distinct source (the image grammar stands at four keys). */
static struct rx *rx_compile(struct schema *s, const char *src)
{
	for (struct rx *r = s->rxs; r; r = r->next)
		if (!strcmp(r->src, src))
			return r;
	struct rx *r = arena_alloc(s->a, sizeof *r);
	r->src = src;
	r->pending = true;
	r->next = s->rxs;
	s->rxs = r;
	return r;
}

static enum rx_state rx_ready(struct schema *s, struct rx *r)
{
	if (!r->pending)
		return r->st;
	r->pending = false;
	if (!s->rxenv)
		s->rxenv = ecma_env_new();
	char why[200];
	r->re = ecma_compile(s->rxenv, r->src, why, sizeof why);
	r->st = r->re ? RX_OK : RX_INVALID;
	if (!r->re)
		r->why = arena_strdup(s->a, why);
	return r->st;
}

bool schema_regex_syntax_ok(const char *src)
{
	return ecma_syntax_ok(src);
}

/* ------------------------------------------------------------------ */
/* URIs (RFC 3986 section 5) */

struct uri {
	const char *scheme, *auth, *path, *query, *frag;
	size_t scheme_n, auth_n, path_n, query_n, frag_n;
	bool has_scheme, has_auth, has_query, has_frag;
};

static void uri_parse(const char *s, struct uri *u)
{
	memset(u, 0, sizeof *u);
	const char *p = s;
	const char *q = p;
	while (*q && *q != ':' && *q != '/' && *q != '?' && *q != '#')
		q++;
	if (*q == ':' && q > p) {
		u->has_scheme = true;
		u->scheme = p;
		u->scheme_n = (size_t)(q - p);
		p = q + 1;
	}
	if (p[0] == '/' && p[1] == '/') {
		p += 2;
		u->has_auth = true;
		u->auth = p;
		while (*p && *p != '/' && *p != '?' && *p != '#')
			p++;
		u->auth_n = (size_t)(p - u->auth);
	}
	u->path = p;
	while (*p && *p != '?' && *p != '#')
		p++;
	u->path_n = (size_t)(p - u->path);
	if (*p == '?') {
		u->has_query = true;
		u->query = ++p;
		while (*p && *p != '#')
			p++;
		u->query_n = (size_t)(p - u->query);
	}
	if (*p == '#') {
		u->has_frag = true;
		u->frag = p + 1;
		u->frag_n = strlen(p + 1);
	}
}

/* RFC 3986 5.2.4 */
static void remove_dots(struct buf *out, const char *in, size_t n)
{
	char *tmp = xmalloc(n + 1);
	memcpy(tmp, in, n);
	tmp[n] = '\0';
	const char *p = tmp;
	size_t start = out->len;
	while (*p) {
		if (strncmp(p, "../", 3) == 0) {
			p += 3;
		} else if (strncmp(p, "./", 2) == 0) {
			p += 2;
		} else if (strncmp(p, "/./", 3) == 0) {
			p += 2;
		} else if (strcmp(p, "/.") == 0) {
			p += 1;
			buf_putc(out, '/');
			break;
		} else if (strncmp(p, "/../", 4) == 0 || strcmp(p, "/..") == 0) {
			bool last = p[3] == '\0';
			p += 3;
			while (out->len > start && out->data[out->len - 1] != '/')
				out->len--;
			if (out->len > start)
				out->len--;
			if (last) {
				buf_putc(out, '/');
				break;
			}
		} else if (strcmp(p, ".") == 0 || strcmp(p, "..") == 0) {
			break;
		} else {
			const char *q = p + (*p == '/');
			while (*q && *q != '/')
				q++;
			buf_add(out, p, (size_t)(q - p));
			p = q;
		}
	}
	free(tmp);
}

/* Resolve ref against base; the result lives in the arena. */
static const char *uri_resolve(struct arena *a, const char *base, const char *ref)
{
	struct uri b, r;
	uri_parse(base, &b);
	uri_parse(ref, &r);
	struct buf out = BUF_INIT;
	const struct uri *auth_from, *query_from;
	const char *scheme = r.has_scheme ? r.scheme : b.scheme;
	size_t scheme_n = r.has_scheme ? r.scheme_n : b.scheme_n;
	bool has_scheme = r.has_scheme || b.has_scheme;
	if (has_scheme) {
		buf_add(&out, scheme, scheme_n);
		buf_putc(&out, ':');
	}
	if (r.has_scheme || r.has_auth) {
		auth_from = &r;
		query_from = &r;
		if (auth_from->has_auth) {
			buf_puts(&out, "//");
			buf_add(&out, r.auth, r.auth_n);
		}
		remove_dots(&out, r.path, r.path_n);
	} else {
		auth_from = &b;
		if (b.has_auth) {
			buf_puts(&out, "//");
			buf_add(&out, b.auth, b.auth_n);
		}
		if (r.path_n == 0) {
			buf_add(&out, b.path, b.path_n);
			query_from = r.has_query ? &r : &b;
		} else {
			query_from = &r;
			if (r.path[0] == '/') {
				remove_dots(&out, r.path, r.path_n);
			} else {
				struct buf m = BUF_INIT;
				if (b.has_auth && b.path_n == 0) {
					buf_putc(&m, '/');
				} else {
					size_t k = b.path_n;
					while (k > 0 && b.path[k - 1] != '/')
						k--;
					buf_add(&m, b.path, k);
				}
				buf_add(&m, r.path, r.path_n);
				remove_dots(&out, m.data, m.len);
				buf_free(&m);
			}
		}
	}
	(void)auth_from;
	if (query_from->has_query) {
		buf_putc(&out, '?');
		buf_add(&out, query_from->query, query_from->query_n);
	}
	if (r.has_frag) {
		buf_putc(&out, '#');
		buf_add(&out, r.frag, r.frag_n);
	}
	const char *res = arena_strndup(a, out.data ? out.data : "", out.len);
	buf_free(&out);
	return res;
}

/* ------------------------------------------------------------------ */
/* Index and compile */

/* The keywords walk() reads, and those whose value is data, never a
 * schema (the rest, known or not, may hold schemas $ref points into).
 * Sorted by name for kw_find. */
enum kw {
	KW_COMMENT, KW_ID, KW_REF, KW_SCHEMA, KW_ADDITIONAL_ITEMS, KW_ADDITIONAL_PROPERTIES, KW_ALL_OF,
	KW_ANY_OF, KW_CONST, KW_CONTAINS, KW_CONTENT_ENCODING, KW_CONTENT_MEDIA_TYPE, KW_DEFAULT,
	KW_DEFINITIONS, KW_DEPENDENCIES, KW_DESCRIPTION, KW_ELSE, KW_ENUM, KW_EXAMPLES,
	KW_EXCLUSIVE_MAXIMUM, KW_EXCLUSIVE_MINIMUM, KW_FORMAT, KW_IF, KW_ITEMS, KW_MAX_ITEMS,
	KW_MAX_LENGTH, KW_MAX_PROPERTIES, KW_MAXIMUM, KW_MIN_ITEMS, KW_MIN_LENGTH, KW_MIN_PROPERTIES,
	KW_MINIMUM, KW_MULTIPLE_OF, KW_NOT, KW_ONE_OF, KW_PATTERN, KW_PATTERN_PROPERTIES,
	KW_PROPERTIES, KW_PROPERTY_NAMES, KW_READ_ONLY, KW_REQUIRED, KW_THEN, KW_TITLE, KW_TYPE,
	KW_UNIQUE_ITEMS, KW_WRITE_ONLY, KW_X_ASBGEN_CHECK, KW_N
};

static const struct {
	const char *name;
	bool data;
} kw_names[KW_N] = {
	[KW_COMMENT] = { "$comment", true }, [KW_ID] = { "$id", true }, [KW_REF] = { "$ref", true },
	[KW_SCHEMA] = { "$schema", true }, [KW_ADDITIONAL_ITEMS] = { "additionalItems", false },
	[KW_ADDITIONAL_PROPERTIES] = { "additionalProperties", false }, [KW_ALL_OF] = { "allOf", false },
	[KW_ANY_OF] = { "anyOf", false }, [KW_CONST] = { "const", true }, [KW_CONTAINS] = { "contains", false },
	[KW_CONTENT_ENCODING] = { "contentEncoding", true },
	[KW_CONTENT_MEDIA_TYPE] = { "contentMediaType", true }, [KW_DEFAULT] = { "default", true },
	[KW_DEFINITIONS] = { "definitions", false }, [KW_DEPENDENCIES] = { "dependencies", false },
	[KW_DESCRIPTION] = { "description", true }, [KW_ELSE] = { "else", false },
	[KW_ENUM] = { "enum", true }, [KW_EXAMPLES] = { "examples", true },
	[KW_EXCLUSIVE_MAXIMUM] = { "exclusiveMaximum", true },
	[KW_EXCLUSIVE_MINIMUM] = { "exclusiveMinimum", true }, [KW_FORMAT] = { "format", true },
	[KW_IF] = { "if", false }, [KW_ITEMS] = { "items", false }, [KW_MAX_ITEMS] = { "maxItems", true },
	[KW_MAX_LENGTH] = { "maxLength", true }, [KW_MAX_PROPERTIES] = { "maxProperties", true },
	[KW_MAXIMUM] = { "maximum", true }, [KW_MIN_ITEMS] = { "minItems", true },
	[KW_MIN_LENGTH] = { "minLength", true }, [KW_MIN_PROPERTIES] = { "minProperties", true },
	[KW_MINIMUM] = { "minimum", true }, [KW_MULTIPLE_OF] = { "multipleOf", true },
	[KW_NOT] = { "not", false }, [KW_ONE_OF] = { "oneOf", false }, [KW_PATTERN] = { "pattern", true },
	[KW_PATTERN_PROPERTIES] = { "patternProperties", false }, [KW_PROPERTIES] = { "properties", false },
	[KW_PROPERTY_NAMES] = { "propertyNames", false }, [KW_READ_ONLY] = { "readOnly", true },
	[KW_REQUIRED] = { "required", true }, [KW_THEN] = { "then", false }, [KW_TITLE] = { "title", true },
	[KW_TYPE] = { "type", true }, [KW_UNIQUE_ITEMS] = { "uniqueItems", true },
	[KW_WRITE_ONLY] = { "writeOnly", true }, [KW_X_ASBGEN_CHECK] = { "x-asbgen-check", false },
};

/* The keyword named k (a C string), or KW_N for another key. */
static enum kw kw_find(const char *k)
{
	size_t lo = 0, hi = KW_N;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int r = strcmp(k, kw_names[mid].name);
		if (r == 0)
			return (enum kw)mid;
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return KW_N;
}

static void add_resource(struct schema *s, const char *uri, const struct value *node, const char *base)
{
	for (size_t i = 0; i < s->nres; i++)
		if (strcmp(s->res[i].uri, uri) == 0)
			return; /* first one wins */
	if (s->nres == s->res_cap) {
		s->res_cap = s->res_cap ? s->res_cap * 2 : 8;
		s->res = xrealloc(s->res, s->res_cap * sizeof *s->res);
	}
	s->res[s->nres].uri = uri;
	s->res[s->nres].node = node;
	s->res[s->nres].base = base;
	s->nres++;
}

static long long kw_count(const struct value *v)
{
	if (jd_is_integer(v) && jd_integer_value(v) >= 0)
		return jd_integer_value(v);
	if (jd_is_real(v) && jd_real_value(v) >= 0 && jd_real_value(v) < 9e18 &&
	    jd_real_value(v) == floor(jd_real_value(v)))
		return (long long)jd_real_value(v);
	return -1;
}

static unsigned type_bit(const char *t)
{
	static const struct { const char *n; unsigned bit; } names[] = {
		{ "null", T_NULL }, { "boolean", T_BOOL }, { "integer", T_INT },
		{ "number", T_NUM | T_INT }, { "string", T_STR }, { "array", T_ARR },
		{ "object", T_OBJ },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(t, names[i].n) == 0)
			return names[i].bit;
	return 0;
}

static void walk(struct schema *s, const struct value *n, const char *base);

static void walk_map(struct schema *s, const struct value *o, const char *base)
{
	for (size_t i = 0; i < jd_object_size(o); i++)
		walk(s, o->map.items[i].val, base);
}

static void walk_arr(struct schema *s, const struct value *a, const char *base)
{
	if (jd_is_array(a))
		for (size_t i = 0; i < jd_array_size(a); i++)
			walk(s, jd_array_get(a, i), base);
}

static const struct value *schema_kw(const struct value *v)
{
	return v && (jd_is_object(v) || jd_is_boolean(v)) ? v : NULL;
}

static void walk(struct schema *s, const struct value *n, const char *base)
{
	if (!jd_is_object(n) || pmap_get(&s->nodes, n))
		return;
	/* One pass over the keys instead of a lookup per keyword: kw[K] is
	 * what jd_object_get(n, name of K) gives (a key with a NUL inside
	 * is not that keyword). */
	const struct value *kw[KW_N] = { 0 };
	/* Each key's keyword as a C string, for the sub-schema pass below
	 * (the first WALK_KEYS of them: a schema object has a dozen). */
	enum { WALK_KEYS = 64 };
	_Static_assert(KW_N <= UCHAR_MAX, "a keyword fits in a byte");
	unsigned char ws[WALK_KEYS];
	for (size_t i = 0; i < n->map.n; i++) {
		const struct value *k = n->map.items[i].key;
		enum kw w = kw_find(k->str.s);
		if (i < WALK_KEYS)
			ws[i] = (unsigned char)w;
		if (w != KW_N && k->str.len == strlen(k->str.s))
			kw[w] = n->map.items[i].val;
	}
	struct cnode *c = arena_alloc(s->a, sizeof *c);
	c->j = n;
	const struct value *ref = kw[KW_REF];
	if (jd_is_string(ref))
		c->ref = ref;
	const struct value *id = kw[KW_ID];
	if (jd_is_string(id) && !c->ref) {
		const char *abs = uri_resolve(s->a, base, jd_string_value(id));
		const char *hash = strchr(abs, '#');
		if (hash && hash[1] && hash[1] != '/') {
			add_resource(s, abs, n, base); /* location-independent "#name" */
		} else {
			base = hash ? arena_strndup(s->a, abs, (size_t)(hash - abs)) : abs;
			add_resource(s, base, n, base);
		}
	}
	c->base = base;
	pmap_put(&s->nodes, n, c);

	const struct value *desc = kw[KW_DESCRIPTION];
	if (jd_is_string(desc))
		c->description = jd_string_value(desc);
	const struct value *t = kw[KW_TYPE];
	if (jd_is_string(t)) {
		c->has_type = true;
		c->types = type_bit(jd_string_value(t));
	} else if (jd_is_array(t)) {
		c->has_type = true;
		for (size_t i = 0; i < jd_array_size(t); i++)
			if (jd_is_string(jd_array_get(t, i)))
				c->types |= type_bit(jd_string_value(jd_array_get(t, i)));
	}
	c->enum_ = jd_is_array(kw[KW_ENUM]) ? kw[KW_ENUM] : NULL;
	c->const_ = kw[KW_CONST];
	c->properties = jd_is_object(kw[KW_PROPERTIES]) ? kw[KW_PROPERTIES] : NULL;
	c->additional_props = schema_kw(kw[KW_ADDITIONAL_PROPERTIES]);
	c->property_names = schema_kw(kw[KW_PROPERTY_NAMES]);
	c->required = jd_is_array(kw[KW_REQUIRED]) ? kw[KW_REQUIRED] : NULL;
	c->dependencies = jd_is_object(kw[KW_DEPENDENCIES]) ? kw[KW_DEPENDENCIES] : NULL;
	const struct value *pp = kw[KW_PATTERN_PROPERTIES];
	if (jd_is_object(pp) && jd_object_size(pp)) {
		c->pp = arena_alloc(s->a, jd_object_size(pp) * sizeof *c->pp);
		for (size_t i = 0; i < pp->map.n; i++) {
			const char *k = pp->map.items[i].key->str.s;
			c->pp[c->npp].key = k;
			c->pp[c->npp].rx = rx_compile(s, k);
			c->pp[c->npp].sub = pp->map.items[i].val;
			c->npp++;
		}
	}
	const struct value *items = kw[KW_ITEMS];
	c->items = jd_is_object(items) || jd_is_boolean(items) || jd_is_array(items) ? items : NULL;
	c->additional_items = schema_kw(kw[KW_ADDITIONAL_ITEMS]);
	c->contains = schema_kw(kw[KW_CONTAINS]);
	c->min_items = kw_count(kw[KW_MIN_ITEMS]);
	c->max_items = kw_count(kw[KW_MAX_ITEMS]);
	c->min_props = kw_count(kw[KW_MIN_PROPERTIES]);
	c->max_props = kw_count(kw[KW_MAX_PROPERTIES]);
	c->min_len = kw_count(kw[KW_MIN_LENGTH]);
	c->max_len = kw_count(kw[KW_MAX_LENGTH]);
	c->unique = jd_is_true(kw[KW_UNIQUE_ITEMS]);
#define NUMKW(field, w) c->field = jd_is_number(kw[w]) ? kw[w] : NULL
	NUMKW(minimum, KW_MINIMUM);
	NUMKW(maximum, KW_MAXIMUM);
	NUMKW(ex_minimum, KW_EXCLUSIVE_MINIMUM);
	NUMKW(ex_maximum, KW_EXCLUSIVE_MAXIMUM);
	NUMKW(multiple_of, KW_MULTIPLE_OF);
#undef NUMKW
	if (c->multiple_of && jd_number_value(c->multiple_of) <= 0)
		c->multiple_of = NULL;
	const struct value *pat = kw[KW_PATTERN];
	if (jd_is_string(pat))
		c->pattern = rx_compile(s, jd_string_value(pat));
	const struct value *fmt = kw[KW_FORMAT];
	if (jd_is_string(fmt))
		c->format = jd_string_value(fmt);
	const struct value *ce = kw[KW_CONTENT_ENCODING], *cm = kw[KW_CONTENT_MEDIA_TYPE];
	if (jd_is_string(ce) && !strcmp(jd_string_value(ce), "base64"))
		c->content_encoding = jd_string_value(ce);
	if (jd_is_string(cm) && !strcmp(jd_string_value(cm), "application/json"))
		c->content_media = jd_string_value(cm);
	c->checked_elsewhere = jd_is_string(kw[KW_X_ASBGEN_CHECK]);
	c->all_of = jd_is_array(kw[KW_ALL_OF]) ? kw[KW_ALL_OF] : NULL;
	c->any_of = jd_is_array(kw[KW_ANY_OF]) ? kw[KW_ANY_OF] : NULL;
	c->one_of = jd_is_array(kw[KW_ONE_OF]) ? kw[KW_ONE_OF] : NULL;
	c->not_ = schema_kw(kw[KW_NOT]);
	c->if_ = schema_kw(kw[KW_IF]);
	c->then_ = schema_kw(kw[KW_THEN]);
	c->else_ = schema_kw(kw[KW_ELSE]);

	/* Sub-schemas, with this node's base (keys compared as C strings). */
	for (size_t i = 0; s->walk_all && i < n->map.n; i++) {
		const struct value *v = n->map.items[i].val;
		enum kw w = i < WALK_KEYS ? (enum kw)ws[i] : kw_find(n->map.items[i].key->str.s);
		if (w == KW_PROPERTIES || w == KW_PATTERN_PROPERTIES || w == KW_DEFINITIONS || w == KW_DEPENDENCIES)
			walk_map(s, v, base);
		else if (w == KW_ITEMS || w == KW_ALL_OF || w == KW_ANY_OF || w == KW_ONE_OF)
			jd_is_array(v) ? walk_arr(s, v, base) : walk(s, v, base);
		else if (w == KW_N || !kw_names[w].data)
			walk(s, v, base); /* additionalProperties, not, if, ... and unknown keywords */
	}
}

static struct cnode *cnode_get(struct schema *s, const struct value *n, const char *base)
{
	struct cnode *c = pmap_get(&s->nodes, n);
	if (!c) {
		walk(s, n, base);
		c = pmap_get(&s->nodes, n);
	}
	return c;
}

/* Is there an "$id" in an object below v (data included: when in doubt,
 * compile all)? */
static bool nested_id(const struct value *v, int depth)
{
	if (depth > EV_MAX_DEPTH)
		return true;
	if (jd_is_array(v)) {
		for (size_t i = 0; i < v->seq.n; i++)
			if (nested_id(v->seq.items[i], depth + 1))
				return true;
	} else if (jd_is_object(v)) {
		for (size_t i = 0; i < v->map.n; i++) {
			const struct value *k = v->map.items[i].key;
			if ((depth > 0 && k->str.len == 3 && !memcmp(k->str.s, "$id", 3)) ||
			    nested_id(v->map.items[i].val, depth + 1))
				return true;
		}
	}
	return false;
}

static void index_document(struct schema *s, const struct value *root, const char *uri)
{
	add_resource(s, uri, root, uri);
	if (nested_id(root, 0))
		s->walk_all = true; /* for this document and those after it */
	walk(s, root, uri);
}

static struct schema *schema_new(struct arena *a, const struct value *root, const char *name, const char *base)
{
	struct schema *s = xcalloc(1, sizeof *s);
	s->a = a;
	s->root = root;
	s->name = name;
	s->base = base ? base : "";
	index_document(s, root, s->base);
	return s;
}

/* Document j as a tree in a; takes over the reference to j. */
static const struct value *doc_from_json(struct arena *a, json_t *j)
{
	struct value *v = value_from_json(a, j, NULL);
	json_decref(j);
	return v;
}

struct schema *schema_from_json(struct arena *a, json_t *root, const char *name)
{
	return schema_new(a, doc_from_json(a, root), name, "");
}

/* A JSON document of any type (a schema may be `true`); integers beyond 64
 * bits are read as doubles then, as numbers compare by value. */
static json_t *load_json_any(const char *path, json_error_t *err)
{
	size_t flags = JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL | JSON_DECODE_ANY;
	json_t *j = json_load_file(path, flags, err);
	if (!j && json_error_code(err) == json_error_numeric_overflow)
		j = json_load_file(path, flags | JSON_DECODE_INT_AS_REAL, err);
	return j;
}

/* Default fetch hook of schema_load: a URI mapped by schema_map_uri, else
 * other local files, by file: URI. */
static json_t *fetch_file(const char *uri, void *ctx)
{
	const struct schema *s = ctx;
	json_error_t err;
	for (size_t i = 0; i < s->nmaps; i++) {
		const char *pre = s->maps[i].prefix;
		size_t n = strlen(pre);
		if (strncmp(uri, pre, n) == 0 && (pre[n - 1] == '/' || !uri[n])) {
			char *path = xmalloc(strlen(s->maps[i].path) + strlen(uri + n) + 1);
			strcpy(path, s->maps[i].path);
			strcat(path, uri + n);
			json_t *j = load_json_any(path, &err);
			free(path);
			return j;
		}
	}
	if (strncmp(uri, "file://", 7) != 0)
		return NULL;
	const char *path = uri + 7;
	char *dec = xmalloc(strlen(path) + 1), *w = dec;
	for (const char *p = path; *p; p++) {
		int h1, h2;
		if (*p == '%' && (h1 = hexval((unsigned char)p[1])) >= 0 && (h2 = hexval((unsigned char)p[2])) >= 0) {
			*w++ = (char)(h1 * 16 + h2);
			p += 2;
		} else {
			*w++ = *p;
		}
	}
	*w = '\0';
	json_t *j = load_json_any(dec, &err);
	free(dec);
	return j;
}

/* The built-in document whose bytes path holds (embedded.h), already
 * parsed at build time, as a tree in a; NULL when path differs from each
 * or cannot be read (load_json_any then reads it, and reports). */
static const struct value *load_json_embedded(struct arena *a, const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *rel = slash ? slash + 1 : path;
	const struct emb_file *f = NULL;
	for (size_t i = 0; i < emb_schemas.nfiles && !f; i++)
		if (!strcmp(emb_schemas.files[i].rel, rel))
			f = &emb_schemas.files[i];
	if (!f)
		return NULL;
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	/* One byte more than the built-in file: a longer file differs. */
	size_t want = (size_t)f->text_len + 1;
	char *buf = xmalloc(want);
	size_t got = fread(buf, 1, want, fp);
	fclose(fp);
	const struct value *v = got == f->text_len && emb_find(&emb_schemas, rel, buf, got)
		? emb_tree(a, &emb_schemas, f, arena_strdup(a, path)) : NULL;
	free(buf);
	return v;
}

struct schema *schema_load(struct arena *a, struct diags *d, const char *path)
{
	const struct value *root = load_json_embedded(a, path);
	if (!root) {
		json_error_t err;
		json_t *j = load_json_any(path, &err);
		if (!j) {
			diag_pos(d, SEV_ERROR, path, err.line > 0 ? err.line : 0, err.column > 0 ? err.column : 0,
				 "schema-load", NULL, "cannot load schema: %s", err.text);
			return NULL;
		}
		root = doc_from_json(a, j);
	}
	if (!jd_is_object(root) && !jd_is_boolean(root)) {
		diag_pos(d, SEV_ERROR, path, 1, 1, "schema-load", "a schema is a JSON object or a boolean",
			 "cannot load schema: the document is %s, not an object or a boolean",
			 jd_is_array(root) ? "an array" : jd_is_string(root) ? "a string" :
			 jd_is_null(root) ? "null" : "a number");
		return NULL;
	}
	const char *base;
	if (path[0] == '/') {
		base = arena_printf(a, "file://%s", path);
	} else {
		char cwd[4096];
		base = getcwd(cwd, sizeof cwd) ? arena_printf(a, "file://%s/%s", cwd, path)
					       : arena_printf(a, "file:%s", path);
	}
	struct schema *s = schema_new(a, root, arena_strdup(a, path), base);
	s->fetch = fetch_file;
	s->fetch_ctx = s;
	return s;
}

void schema_map_uri(struct schema *s, const char *prefix, const char *path)
{
	assert(prefix[0]);
	s->maps = arena_realloc(s->a, s->maps, s->nmaps * sizeof *s->maps, (s->nmaps + 1) * sizeof *s->maps);
	s->maps[s->nmaps].prefix = prefix;
	s->maps[s->nmaps].path = path;
	s->nmaps++;
}

void schema_set_defer_checked(struct schema *s, bool on)
{
	s->defer_checked = on;
}

void schema_set_integer_literal(struct schema *s, bool on)
{
	s->int_literal = on;
}

void schema_set_fetch(struct schema *s, schema_fetch_fn fn, void *ctx)
{
	s->fetch = fn;
	s->fetch_ctx = ctx;
}

const struct value *schema_document(const struct schema *s) { return s ? s->root : NULL; }

void **schema_defaults_plan(const struct schema *s, struct arena **a)
{
	struct schema *m = (struct schema *)s; /* a cache: the schema itself does not change */
	*a = m->a;
	return &m->defaults_plan;
}

void schema_free(struct schema *s)
{
	if (!s)
		return;
	for (struct rx *r = s->rxs; r; r = r->next) {
		ecma_re_free(r->re);
		hashmap_free(&r->seen);
	}
	ecma_env_free(s->rxenv);
	free(s->failed);
	free(s->res);
	pmap_free(&s->nodes);
	free(s);
}

/* ------------------------------------------------------------------ */
/* $ref resolution */

/* Percent-decode then follow a JSON pointer (RFC 6901) from node. */
static const struct value *json_pointer(const struct value *node, const char *frag)
{
	size_t n = strlen(frag);
	char *dec = xmalloc(n + 1), *w = dec;
	for (const char *p = frag; *p; p++) {
		int h1, h2;
		if (*p == '%' && (h1 = hexval((unsigned char)p[1])) >= 0 && (h2 = hexval((unsigned char)p[2])) >= 0) {
			*w++ = (char)(h1 * 16 + h2);
			p += 2;
		} else {
			*w++ = *p;
		}
	}
	*w = '\0';
	const char *p = dec;
	if (*p && *p != '/')
		node = NULL;
	while (node && *p == '/') {
		p++;
		char tok[1024];
		size_t t = 0;
		while (*p && *p != '/' && t + 1 < sizeof tok) {
			if (p[0] == '~' && p[1] == '0') {
				tok[t++] = '~';
				p += 2;
			} else if (p[0] == '~' && p[1] == '1') {
				tok[t++] = '/';
				p += 2;
			} else {
				tok[t++] = *p++;
			}
		}
		tok[t] = '\0';
		if (jd_is_object(node)) {
			node = jd_object_get(node, tok);
		} else if (jd_is_array(node)) {
			char *end;
			if (!t || (t > 1 && tok[0] == '0') || tok[0] < '0' || tok[0] > '9') {
				node = NULL;
				break;
			}
			unsigned long idx = strtoul(tok, &end, 10);
			node = *end ? NULL : jd_array_get(node, idx);
		} else {
			node = NULL;
		}
	}
	free(dec);
	return node;
}

static const struct resource *find_resource(const struct schema *s, const char *uri, size_t n)
{
	for (size_t i = 0; i < s->nres; i++)
		if (strlen(s->res[i].uri) == n && memcmp(s->res[i].uri, uri, n) == 0)
			return &s->res[i];
	return NULL;
}

static void resolve_ref(struct schema *s, struct cnode *c)
{
	c->ref_resolved = true;
	const char *abs = uri_resolve(s->a, c->base, jd_string_value(c->ref));
	const char *hash = strchr(abs, '#');
	size_t docn = hash ? (size_t)(hash - abs) : strlen(abs);
	const char *frag = hash ? hash + 1 : "";
	const struct resource *r = NULL;
	if (*frag && *frag != '/') {
		r = find_resource(s, abs, strlen(abs)); /* "#name" id */
		if (r) {
			c->ref_target = r->node;
			c->ref_base = r->base;
			return;
		}
	}
	r = find_resource(s, abs, docn);
	if (!r && s->fetch) {
		char *doc = arena_strndup(s->a, abs, docn);
		bool tried = false;
		for (size_t i = 0; i < s->nfailed; i++)
			tried |= strcmp(s->failed[i], doc) == 0;
		json_t *j = tried ? NULL : s->fetch(doc, s->fetch_ctx);
		if (j) {
			index_document(s, doc_from_json(s->a, j), doc);
			r = find_resource(s, abs, docn);
		} else if (!tried) {
			if (s->nfailed == s->failed_cap) {
				s->failed_cap = s->failed_cap ? s->failed_cap * 2 : 4;
				s->failed = xrealloc(s->failed, s->failed_cap * sizeof *s->failed);
			}
			s->failed[s->nfailed++] = doc;
		}
	}
	if (!r) {
		c->ref_error = arena_printf(s->a, "cannot resolve $ref '%s' (no schema known as '%.*s')",
					    jd_string_value(c->ref), (int)docn, abs);
		return;
	}
	const struct value *t = *frag ? json_pointer(r->node, frag) : r->node;
	if (!t) {
		c->ref_error = arena_printf(s->a, "cannot resolve $ref '%s' (no such location)",
					    jd_string_value(c->ref));
		return;
	}
	c->ref_target = t;
	struct cnode *tc = pmap_get(&s->nodes, t);
	/* Not compiled yet (compiled when met, walk_all off): no "$id" below
	 * the document's root, so every node of it has its root's base. */
	struct cnode *rc = !tc && !s->walk_all ? pmap_get(&s->nodes, r->node) : NULL;
	c->ref_base = tc ? tc->base : rc ? rc->base : r->base;
}

/* ------------------------------------------------------------------ */
/* Values and numbers */

static unsigned vtypes(const struct schema *s, const struct value *v)
{
	switch (v->kind) {
	case V_NULL: return T_NULL;
	case V_BOOL: return T_BOOL;
	case V_INT: return T_INT | T_NUM;
	case V_FLOAT:
		if (s->int_literal)
			return T_NUM;
		return isfinite(v->f) && v->f == floor(v->f) ? (T_INT | T_NUM) : T_NUM;
	case V_STRING: return T_STR;
	case V_SEQ: return T_ARR;
	case V_MAP: return T_OBJ;
	}
	return 0;
}

/* -1, 0, 1; 2 when unordered (NaN). */
static int cmp_ll_d(long long a, double b)
{
	if (isnan(b))
		return 2;
	long double la = (long double)a, lb = (long double)b;
	return la < lb ? -1 : la > lb;
}

static int cmp_num(bool ai, long long a_i, double a_f, bool bi, long long b_i, double b_f)
{
	if (ai && bi)
		return a_i < b_i ? -1 : a_i > b_i;
	if (ai)
		return cmp_ll_d(a_i, b_f);
	if (bi) {
		int c = cmp_ll_d(b_i, a_f);
		return c == 2 ? 2 : -c;
	}
	if (isnan(a_f) || isnan(b_f))
		return 2;
	return a_f < b_f ? -1 : a_f > b_f;
}

/* Two numbers (instance or schema), 1 == 1.0: as cmp_num. */
static int cmp_values(const struct value *a, const struct value *b)
{
	return cmp_num(a->kind == V_INT, a->kind == V_INT ? a->i : 0, a->kind == V_FLOAT ? a->f : 0,
		       b->kind == V_INT, b->kind == V_INT ? b->i : 0, b->kind == V_FLOAT ? b->f : 0);
}

static bool is_num(const struct value *v) { return v->kind == V_INT || v->kind == V_FLOAT; }

/* JSON equality of two values, of the instance or the schema (1 == 1.0,
 * key order ignored). */
static bool veq(const struct value *a, const struct value *b)
{
	if (is_num(a) && is_num(b))
		return cmp_values(a, b) == 0;
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case V_SEQ:
		if (a->seq.n != b->seq.n)
			return false;
		for (size_t i = 0; i < a->seq.n; i++)
			if (!veq(a->seq.items[i], b->seq.items[i]))
				return false;
		return true;
	case V_MAP:
		if (a->map.n != b->map.n)
			return false;
		for (size_t i = 0; i < a->map.n; i++) {
			const struct value *k = a->map.items[i].key;
			const struct pair *bp = map_get_pairn(b, k->str.s, k->str.len);
			if (!bp || !veq(a->map.items[i].val, bp->val))
				return false;
		}
		return true;
	default:
		return v_equal(a, b);
	}
}

static size_t utf8_len(const char *s, size_t n)
{
	size_t cps = 0;
	for (size_t i = 0; i < n; i++)
		cps += ((unsigned char)s[i] & 0xC0) != 0x80;
	return cps;
}

static bool multiple_ok(const struct value *v, const struct value *m)
{
	if (v->kind == V_INT && jd_is_integer(m)) {
		long long d = jd_integer_value(m);
		if (d == -1 || d == 1)
			return true;
		return v->i % d == 0;
	}
	double x = v->kind == V_INT ? (double)v->i : v->f;
	double q = x / jd_number_value(m);
	if (!isfinite(q))
		return false;
	double r = nearbyint(q);
	return fabs(q - r) <= 4 * DBL_EPSILON * fmax(1.0, fabs(q));
}

/* ------------------------------------------------------------------ */
/* Evaluation */

struct pframe {
	const struct pframe *up;
	const char *key; /* NULL: index */
	size_t klen, idx;
};

struct refent {
	const struct value *target;
	const struct value *v;
};

struct ev {
	struct schema *s;
	struct diags *d; /* NULL while probing */
	struct arena *a; /* for messages */
	int depth, nrefs;
	bool overflow;
	struct refent refs[EV_MAX_DEPTH];
};

static bool plain_key(const char *k, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)k[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == '/' || c == '$' || c >= 0x80))
			return false;
	}
	return true;
}

/* "kafka.brokers[0].name"; "" at the top. */
static const char *path_str(struct arena *a, const struct pframe *p)
{
	const struct pframe *fr[EV_MAX_DEPTH + 64];
	size_t n = 0;
	for (; p && n < sizeof fr / sizeof fr[0]; p = p->up)
		fr[n++] = p;
	struct buf b = BUF_INIT;
	while (n-- > 0) {
		const struct pframe *f = fr[n];
		if (!f->key) {
			buf_printf(&b, "[%zu]", f->idx);
		} else if (plain_key(f->key, f->klen)) {
			if (b.len)
				buf_putc(&b, '.');
			buf_add(&b, f->key, f->klen);
		} else {
			buf_puts(&b, "[\"");
			for (size_t i = 0; i < f->klen; i++) {
				if (f->key[i] == '"' || f->key[i] == '\\')
					buf_putc(&b, '\\');
				buf_putc(&b, f->key[i]);
			}
			buf_puts(&b, "\"]");
		}
	}
	const char *r = arena_strndup(a, b.data ? b.data : "", b.len);
	buf_free(&b);
	return r;
}

/* "kafka.x: " or "" */
static const char *at(struct ev *e, const struct pframe *p)
{
	const char *ps = path_str(e->a, p);
	return *ps ? arena_printf(e->a, "%s: ", ps) : "";
}

/* " in kafka.x" or "" */
static const char *in(struct ev *e, const struct pframe *p)
{
	const char *ps = path_str(e->a, p);
	return *ps ? arena_printf(e->a, " in %s", ps) : "";
}

static void report_(struct ev *e, const struct value *v, const char *id, const char *hint,
		    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Report an error at v's mark; arguments are not even evaluated while
 * probing, so building paths and texts costs nothing on that path. */
#define rep(e, ...) do { if ((e)->d) report_((e), __VA_ARGS__); } while (0)

static void report_(struct ev *e, const struct value *v, const char *id, const char *hint,
		    const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = arena_vprintf(e->a, fmt, ap);
	va_end(ap);
	diag_at(e->d, SEV_ERROR, v ? &v->mark : NULL, id, hint, "%s", msg);
}

/* Shortest "%g" text that reads back as f. */
static const char *fmt_double(struct arena *a, double f)
{
	if (isnan(f))
		return ".nan";
	if (isinf(f))
		return f > 0 ? ".inf" : "-.inf";
	char tmp[40];
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*g", prec, f);
		if (strtod(tmp, NULL) == f)
			break;
	}
	if (!strpbrk(tmp, ".eEn")) /* keep it visibly a float: 1.0, not 1 */
		strcat(tmp, ".0");
	return arena_strdup(a, tmp);
}

/* Short rendering of a scalar: 'text', 35, true; collections by kind. */
static const char *vrepr(struct arena *a, const struct value *v)
{
	switch (v->kind) {
	case V_NULL: return "null";
	case V_BOOL: return v->b ? "true" : "false";
	case V_INT: return arena_printf(a, "%lld", v->i);
	case V_FLOAT: return fmt_double(a, v->f);
	case V_STRING:
		if (utf8_len(v->str.s, v->str.len) > 60) {
			size_t cut = 57;
			while (cut > 0 && ((unsigned char)v->str.s[cut] & 0xC0) == 0x80)
				cut--;
			return arena_printf(a, "'%.*s...'", (int)cut, v->str.s);
		}
		return arena_printf(a, "'%s'", v->str.s);
	case V_SEQ: return "a sequence";
	case V_MAP: return "a mapping";
	}
	return "?";
}

/* "integer 35", "string 'x'", "a mapping", "null" */
static const char *vdescribe(struct arena *a, const struct value *v)
{
	switch (v->kind) {
	case V_NULL: case V_SEQ: case V_MAP:
		return vrepr(a, v);
	case V_FLOAT:
		return arena_printf(a, "number %s", fmt_double(a, v->f));
	default:
		return arena_printf(a, "%s %s", vkind_name(v->kind), vrepr(a, v));
	}
}

static const char *jrepr(struct arena *a, const struct value *j)
{
	if (jd_is_string(j))
		return arena_printf(a, "'%s'", jd_string_value(j));
	/* Only in messages: jansson writes the JSON. */
	json_t *jj = value_to_json(j);
	char *s = jj ? json_dumps(jj, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
	const char *r = arena_strdup(a, s ? s : "?");
	free(s);
	json_decref(jj);
	return r;
}

static const char *types_text(struct arena *a, unsigned t)
{
	static const struct { unsigned bit; const char *text; } names[] = {
		{ T_STR, "a string" }, { T_INT, "an integer" }, { T_NUM, "a number" },
		{ T_BOOL, "a boolean" }, { T_OBJ, "a mapping" }, { T_ARR, "a sequence" },
		{ T_NULL, "null" },
	};
	if (t & T_NUM)
		t &= ~(unsigned)T_INT;
	const char *out = NULL;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (!(t & names[i].bit))
			continue;
		out = out ? arena_printf(a, "%s or %s", out, names[i].text) : names[i].text;
	}
	return out ? out : "nothing (no valid type)";
}

int schema_edit_distance(const char *a, size_t alen, const char *b, size_t blen, int max)
{
	return suggest_distance(a, alen, b, blen, max);
}

static bool ev(struct ev *e, const struct value *sch, const char *base, const struct value *v,
	       const struct pframe *p);

/* Evaluate into a scratch list; the caller reads and frees it. */
static bool ev_scratch(struct ev *e, struct diags *scratch, const struct value *sch, const char *base,
		       const struct value *v, const struct pframe *p)
{
	diags_init(scratch, e->a);
	struct diags *saved = e->d;
	e->d = scratch;
	bool ok = ev(e, sch, base, v, p);
	e->d = saved;
	return ok;
}

static bool probe(struct ev *e, const struct value *sch, const char *base, const struct value *v,
		  const struct pframe *p)
{
	struct diags *saved = e->d;
	e->d = NULL;
	bool ok = ev(e, sch, base, v, p);
	e->d = saved;
	return ok;
}

static void replay(struct ev *e, const struct diags *from)
{
	for (size_t i = 0; i < from->n; i++) {
		const struct diag *g = &from->items[i];
		diag_pos(e->d, g->sev, g->file, g->line, g->col, g->id, g->hint, "%s", g->msg);
	}
}

/* Follow $ref chains (bounded) to the node that says what a branch is. */
static struct cnode *branch_node(struct ev *e, const struct value *sch, const char *base)
{
	struct cnode *c = jd_is_object(sch) ? cnode_get(e->s, sch, base) : NULL;
	for (int hops = 0; c && c->ref && hops < 16; hops++) {
		if (!c->ref_resolved)
			resolve_ref(e->s, c);
		if (!c->ref_target || !jd_is_object(c->ref_target))
			return NULL;
		c = cnode_get(e->s, c->ref_target, c->ref_base);
	}
	return c;
}

/* YAML typing surprises, said in operator terms; else the description. */
static const char *type_hint(struct ev *e, unsigned want, const struct value *v, const char *desc)
{
	if (!e->d)
		return NULL;
	/* A whole float where only integers pass (the integer-literal rule):
	 * say the integer to write, as Kubernetes' validation would refuse it. */
	if ((want & T_INT) && !(want & T_NUM) && v->kind == V_FLOAT && isfinite(v->f) &&
	    v->f == floor(v->f) && fabs(v->f) < 9.2e18)
		return arena_printf(e->a, "write %lld: an integer is written without a decimal point or exponent",
				    (long long)v->f);
	if ((want & T_STR) && (v->kind == V_INT || v->kind == V_FLOAT || v->kind == V_BOOL))
		return arena_printf(e->a, "YAML reads this as %s %s; quote it to pass a string: \"%s\"",
				    v->kind == V_INT ? "an" : "a", vkind_name(v->kind), vrepr(e->a, v));
	if (v->kind == V_NULL && !(want & T_NULL))
		return desc ? arena_printf(e->a, "the value is empty; %s", desc) : "the value is empty";
	if (v->kind == V_STRING && (want & T_BOOL)) {
		static const char *const yaml11[] = { "yes", "no", "on", "off", "y", "n", "true", "false", NULL };
		for (int i = 0; yaml11[i]; i++)
			if (v->str.len == strlen(yaml11[i]) && !strncasecmp(v->str.s, yaml11[i], v->str.len))
				return "write true or false, unquoted (yes/no/on/off are strings in YAML 1.2)";
	}
	if (v->kind == V_STRING && (want & (T_INT | T_NUM)) && v->str.len) {
		char *end;
		strtod(v->str.s, &end);
		if (*end == '\0' && end != v->str.s)
			return "remove the quotes to pass a number";
	}
	return desc;
}

/* Does v fail a const/enum that branch c puts on one of v's keys (as in
 * {"properties": {"kind": {"const": "gke"}}})?  Then c is not the branch
 * the author meant, whatever else it says. */
static bool discriminator_mismatch(struct ev *e, struct cnode *c, const struct value *v)
{
	if (v->kind != V_MAP || !c->properties)
		return false;
	for (size_t i = 0; i < v->map.n; i++) {
		const struct value *k = v->map.items[i].key;
		const struct value *ps = jd_object_getn(c->properties, k->str.s, k->str.len);
		struct cnode *pc = ps ? branch_node(e, ps, c->base) : NULL;
		if (!pc || !(pc->const_ || pc->enum_))
			continue;
		if (pc->const_ && !veq(v->map.items[i].val, pc->const_))
			return true;
		if (pc->enum_) {
			bool any = false;
			for (size_t j = 0; j < jd_array_size(pc->enum_) && !any; j++)
				any = veq(v->map.items[i].val, jd_array_get(pc->enum_, j));
			if (!any)
				return true;
		}
	}
	return false;
}

/* anyOf / oneOf that no branch matched: say something useful. */
static void report_alternatives(struct ev *e, const struct value *arr, const char *base, const struct value *v,
				const struct pframe *p, const char *id, const char *kw)
{
	size_t n = jd_array_size(arr);
	unsigned want = 0;
	size_t ncand = 0, best = 0;
	struct diags best_d = { 0 };
	bool have_best = false;
	for (size_t i = 0; i < n; i++) {
		const struct value *b = jd_array_get(arr, i);
		struct cnode *c = branch_node(e, b, base);
		if (c && c->has_type && !(c->types & vtypes(e->s, v))) {
			want |= c->types;
			continue; /* wrong kind of value for this branch */
		}
		if (jd_is_false(b) || (c && discriminator_mismatch(e, c, v)))
			continue;
		ncand++;
		struct diags sd;
		ev_scratch(e, &sd, b, base, v, p);
		if (!have_best || sd.nerrors < best_d.nerrors) {
			if (have_best)
				diags_free(&best_d);
			best_d = sd;
			best = i;
			have_best = true;
		} else {
			diags_free(&sd);
		}
	}
	const char *ps = at(e, p);
	if (ncand == 0) {
		rep(e, v, "schema-type", type_hint(e, want, v, NULL), "%sexpected %s, got %s", ps,
		    types_text(e->a, want), vdescribe(e->a, v));
	} else if (ncand == 1 && have_best && best_d.n > 0) {
		replay(e, &best_d); /* the only branch that fits the kind of value: its errors are precise */
	} else if (have_best) {
		const char *hint = best_d.n
			? arena_printf(e->a, "closest is alternative %zu of %zu: %s", best + 1, n, best_d.items[0].msg)
			: NULL;
		rep(e, v, id, hint, "%smatches none of the %zu alternatives allowed here (%s)", ps, n, kw);
	} else {
		rep(e, v, id, NULL, "%smatches none of the alternatives allowed here (%s)", ps, kw);
	}
	if (have_best)
		diags_free(&best_d);
}

static bool ev_ref(struct ev *e, struct cnode *c, const struct value *v, const struct pframe *p)
{
	if (!c->ref_resolved)
		resolve_ref(e->s, c);
	if (!c->ref_target) {
		rep(e, v, "schema-ref", NULL, "%s%s", at(e, p), c->ref_error);
		return false;
	}
	for (int i = e->nrefs; i-- > 0;) {
		if (e->refs[i].v != v)
			break; /* an outer $ref on another node: the instance moved on */
		if (e->refs[i].target == c->ref_target) {
			rep(e, v, "schema-ref", "the schema refers to itself without descending into the value",
			    "%sendless $ref loop at '%s'", at(e, p), jd_string_value(c->ref));
			return false;
		}
	}
	if (e->nrefs >= EV_MAX_DEPTH)
		return false;
	e->refs[e->nrefs].target = c->ref_target;
	e->refs[e->nrefs].v = v;
	e->nrefs++;
	bool ok = ev(e, c->ref_target, c->ref_base, v, p);
	e->nrefs--;
	return ok;
}

#define FAIL() do { ok = false; if (!e->d) goto out; } while (0)

static bool ev_object(struct ev *e, struct cnode *c, const struct value *v, const struct pframe *p)
{
	bool ok = true;
	size_t n = v->map.n;
	if (c->min_props >= 0 && n < (unsigned long long)c->min_props) {
		rep(e, v, "schema-properties", c->description, "%shas %zu key%s, at least %lld required",
		    at(e, p), n, n == 1 ? "" : "s", c->min_props);
		FAIL();
	}
	if (c->max_props >= 0 && n > (unsigned long long)c->max_props) {
		rep(e, v, "schema-properties", c->description, "%shas %zu keys, at most %lld allowed",
		    at(e, p), n, c->max_props);
		FAIL();
	}
	if (c->required) {
		for (size_t i = 0; i < jd_array_size(c->required); i++) {
			const struct value *r = jd_array_get(c->required, i);
			if (!jd_is_string(r) || map_get_pair(v, jd_string_value(r)))
				continue;
			const char *hint = NULL;
			const struct value *ps = c->properties ? jd_object_get(c->properties, jd_string_value(r)) : NULL;
			const struct value *pd = jd_is_object(ps) ? jd_object_get(ps, "description") : NULL;
			if (e->d && jd_is_string(pd))
				hint = arena_printf(e->a, "%s: %s", jd_string_value(r), jd_string_value(pd));
			else if (e->d && c->description) /* a conditional's own: if/then */
				hint = arena_printf(e->a, "%s: %s", jd_string_value(r), c->description);
			rep(e, v, "schema-required", hint, "missing required key '%s'%s", jd_string_value(r), in(e, p));
			FAIL();
		}
	}
	if (c->dependencies) {
		for (size_t di = 0; di < c->dependencies->map.n; di++) {
			const char *k = c->dependencies->map.items[di].key->str.s;
			const struct value *dep = c->dependencies->map.items[di].val;
			const struct pair *kp = map_get_pair(v, k);
			if (!kp)
				continue;
			if (jd_is_array(dep)) {
				for (size_t i = 0; i < jd_array_size(dep); i++) {
					const struct value *r = jd_array_get(dep, i);
					if (!jd_is_string(r) || map_get_pair(v, jd_string_value(r)))
						continue;
					rep(e, kp->key, "schema-dependencies", NULL, "key '%s'%s requires key '%s' as well",
					    k, in(e, p), jd_string_value(r));
					FAIL();
				}
			} else if (!ev(e, dep, c->base, v, p)) {
				FAIL();
			}
		}
	}
	for (size_t i = 0; i < n; i++) {
		const struct pair *kv = &v->map.items[i];
		const struct value *key = kv->key;
		struct pframe kf = { p, key->str.s, key->str.len, 0 };
		bool matched = false;
		if (c->property_names && !probe(e, c->property_names, c->base, key, &kf)) {
			if (e->d) {
				struct diags sd;
				ev_scratch(e, &sd, c->property_names, c->base, key, &kf);
				rep(e, key, "schema-properties", sd.n ? sd.items[0].msg : NULL,
				    "key '%s' is not an allowed name%s", key->str.s, in(e, p));
				diags_free(&sd);
			}
			FAIL();
		}
		if (c->properties) {
			const struct value *ps = jd_object_getn(c->properties, key->str.s, key->str.len);
			if (ps) {
				matched = true;
				if (!ev(e, ps, c->base, kv->val, &kf))
					FAIL();
			}
		}
		for (size_t k = 0; k < c->npp; k++) {
			struct rx *r = c->pp[k].rx;
			if (rx_ready(e->s, r) != RX_OK) {
				/* Cannot tell: the key is not "additional", and its
				 * value is not checked against this entry. */
				matched = true;
				if (e->d && !r->warned) {
					r->warned = true;
					diag_pos(e->d, SEV_WARNING, e->s->name, 0, 0, "schema-regex",
						 "keys are not checked against this pattern",
						 "schema patternProperties '%s' cannot be checked: %s", r->src, r->why);
				}
				continue;
			}
			enum ecma_result m = rx_match(e->s->a, e->s->rxenv, r, key->str.s, key->str.len);
			if (m == ECMA_GAVE_UP) {
				matched = true; /* reported here, not as "additional" too */
				rep(e, key, "schema-pattern", NULL,
				    "key '%s'%s cannot be matched against the patternProperties '%s': "
				    "matching gave up (the pattern backtracks too much)", key->str.s, in(e, p), r->src);
				FAIL();
			} else if (m == ECMA_MATCH) {
				matched = true;
				if (!ev(e, c->pp[k].sub, c->base, kv->val, &kf))
					FAIL();
			}
		}
		if (matched || !c->additional_props)
			continue;
		if (jd_is_false(c->additional_props)) {
			const char *hint = NULL;
			if (e->d && c->properties && jd_object_size(c->properties)) {
				size_t np = jd_object_size(c->properties), j = 0;
				const char **names = xmalloc(np * sizeof *names);
				for (j = 0; j < np; j++)
					names[j] = c->properties->map.items[j].key->str.s;
				const char *dym = suggest_closest(key->str.s, key->str.len, names, np);
				if (dym) {
					hint = arena_printf(e->a, "did you mean '%s'?", dym);
				} else if (np <= 12) {
					struct buf b = BUF_INIT;
					for (j = 0; j < np; j++)
						buf_printf(&b, "%s%s", j ? ", " : "allowed keys: ", names[j]);
					hint = arena_strdup(e->a, buf_cstr(&b));
					buf_free(&b);
				}
				free(names);
			}
			const char *ps = path_str(e->a, p);
			rep(e, key, "schema-unknown-key", hint, "unknown key '%s'%s%s", key->str.s,
			    *ps ? " in " : "", ps);
			FAIL();
		} else if (!ev(e, c->additional_props, c->base, kv->val, &kf)) {
			FAIL();
		}
	}
out:
	return ok;
}

static bool ev_array(struct ev *e, struct cnode *c, const struct value *v, const struct pframe *p)
{
	bool ok = true;
	size_t n = v->seq.n;
	if (c->min_items >= 0 && n < (unsigned long long)c->min_items) {
		rep(e, v, "schema-items", c->description, "%shas %zu item%s, at least %lld required",
		    at(e, p), n, n == 1 ? "" : "s", c->min_items);
		FAIL();
	}
	if (c->max_items >= 0 && n > (unsigned long long)c->max_items) {
		rep(e, v, "schema-items", c->description, "%shas %zu items, at most %lld allowed",
		    at(e, p), n, c->max_items);
		FAIL();
	}
	if (c->items) {
		bool tuple = jd_is_array(c->items);
		size_t nt = tuple ? jd_array_size(c->items) : 0;
		for (size_t i = 0; i < n; i++) {
			struct pframe f = { p, NULL, 0, i };
			const struct value *is = !tuple ? c->items : i < nt ? jd_array_get(c->items, i) : c->additional_items;
			if (!is)
				break;
			if (tuple && i >= nt && jd_is_false(is)) {
				rep(e, v->seq.items[i], "schema-items", NULL, "%sunexpected item: at most %zu item%s allowed",
				    at(e, &f), nt, nt == 1 ? "" : "s");
				FAIL();
				break;
			}
			if (!ev(e, is, c->base, v->seq.items[i], &f))
				FAIL();
		}
	}
	if (c->contains) {
		bool found = false;
		for (size_t i = 0; i < n && !found; i++) {
			struct pframe f = { p, NULL, 0, i };
			found = probe(e, c->contains, c->base, v->seq.items[i], &f);
		}
		if (!found) {
			const struct value *cd = jd_is_object(c->contains) ? jd_object_get(c->contains, "description") : NULL;
			rep(e, v, "schema-items", jd_is_string(cd) ? jd_string_value(cd) : NULL,
			    "%sno item matches what the sequence must contain", at(e, p));
			FAIL();
		}
	}
	if (c->unique) {
		for (size_t i = 1; i < n; i++) {
			for (size_t j = 0; j < i; j++) {
				if (veq(v->seq.items[i], v->seq.items[j])) {
					struct pframe f = { p, NULL, 0, i };
					rep(e, v->seq.items[i], "schema-unique", "items must be unique",
					    "%sduplicate of item [%zu]", at(e, &f), j);
					FAIL();
					break;
				}
			}
		}
	}
out:
	return ok;
}

static bool ev_string(struct ev *e, struct cnode *c, const struct value *v, const struct pframe *p)
{
	bool ok = true;
	if (c->min_len >= 0 || c->max_len >= 0) {
		size_t n = utf8_len(v->str.s, v->str.len);
		if (c->min_len >= 0 && n < (unsigned long long)c->min_len) {
			if (n == 0)
				rep(e, v, "schema-length", c->description, "%sempty string, at least %lld character%s required",
				    at(e, p), c->min_len, c->min_len == 1 ? "" : "s");
			else
				rep(e, v, "schema-length", c->description, "%sstring is %zu character%s long, at least %lld required",
				    at(e, p), n, n == 1 ? "" : "s", c->min_len);
			FAIL();
		}
		if (c->max_len >= 0 && n > (unsigned long long)c->max_len) {
			rep(e, v, "schema-length", c->description, "%sstring is %zu characters long, at most %lld allowed",
			    at(e, p), n, c->max_len);
			FAIL();
		}
	}
	struct rx *r = c->pattern;
	if (r && rx_ready(e->s, r) != RX_OK) {
		if (e->d && !r->warned) {
			r->warned = true;
			diag_pos(e->d, SEV_WARNING, e->s->name, 0, 0, "schema-regex",
				 "values are not checked against this pattern",
				 "schema pattern '%s' cannot be checked: %s", r->src, r->why);
		}
	} else if (r) {
		enum ecma_result m = rx_match(e->s->a, e->s->rxenv, r, v->str.s, v->str.len);
		/* A grammar (an image reference) is too long to quote: the
		 * description says it in words. */
		const char *pat = m == ECMA_MATCH || !e->d ? NULL
			: strlen(r->src) > 200
			? arena_printf(e->a, "pattern of this key (%zu characters; see the schema)", strlen(r->src))
			: arena_printf(e->a, "pattern '%s'", r->src);
		if (m == ECMA_GAVE_UP) {
			rep(e, v, "schema-pattern", c->description,
			    "%s%s cannot be matched against the %s: matching gave up (the pattern backtracks too much)",
			    at(e, p), vrepr(e->a, v), pat);
			FAIL();
		} else if (m == ECMA_NO_MATCH) {
			rep(e, v, "schema-pattern", c->description, "%s%s does not match the %s", at(e, p),
			    vrepr(e->a, v), pat);
			FAIL();
		}
	}
	if (c->content_encoding || c->content_media) {
		const char *why = schema_content_problem(e->a, c->content_encoding, c->content_media, v->str.s, v->str.len);
		if (why) {
			rep(e, v, "schema-content", c->description, "%s%s %s", at(e, p), vrepr(e->a, v), why);
			FAIL();
		}
	}
	if (c->format) {
		bool known;
		if (!schema_format_valid(c->format, v->str.s, v->str.len, &known)) {
			rep(e, v, "schema-format", c->description, "%s%s is not a valid %s", at(e, p),
			    vrepr(e->a, v), c->format);
			FAIL();
		}
	}
out:
	return ok;
}

static bool ev_number(struct ev *e, struct cnode *c, const struct value *v, const struct pframe *p)
{
	bool ok = true;
	int r;
	if (c->minimum && ((r = cmp_values(v, c->minimum)) < 0 || r == 2)) {
		rep(e, v, "schema-range", c->description, "%s%s is less than the minimum %s", at(e, p),
		    vrepr(e->a, v), jrepr(e->a, c->minimum));
		FAIL();
	}
	if (c->maximum && ((r = cmp_values(v, c->maximum)) > 0)) {
		rep(e, v, "schema-range", c->description, "%s%s is greater than the maximum %s", at(e, p),
		    vrepr(e->a, v), jrepr(e->a, c->maximum));
		FAIL();
	}
	if (c->ex_minimum && ((r = cmp_values(v, c->ex_minimum)) <= 0 || r == 2)) {
		rep(e, v, "schema-range", c->description, "%s%s must be greater than %s", at(e, p),
		    vrepr(e->a, v), jrepr(e->a, c->ex_minimum));
		FAIL();
	}
	if (c->ex_maximum && ((r = cmp_values(v, c->ex_maximum)) >= 0)) {
		rep(e, v, "schema-range", c->description, "%s%s must be less than %s", at(e, p),
		    vrepr(e->a, v), jrepr(e->a, c->ex_maximum));
		FAIL();
	}
	if (c->multiple_of && !multiple_ok(v, c->multiple_of)) {
		rep(e, v, "schema-range", c->description, "%s%s is not a multiple of %s", at(e, p),
		    vrepr(e->a, v), jrepr(e->a, c->multiple_of));
		FAIL();
	}
out:
	return ok;
}

static bool ev_enum(struct ev *e, struct cnode *c, const struct value *v, const struct pframe *p)
{
	size_t n = jd_array_size(c->enum_);
	for (size_t i = 0; i < n; i++)
		if (veq(v, jd_array_get(c->enum_, i)))
			return true;
	if (!e->d)
		return false;
	struct buf b = BUF_INIT;
	const char **strs = xmalloc((n ? n : 1) * sizeof *strs);
	size_t ns = 0;
	for (size_t i = 0; i < n; i++) {
		const struct value *j = jd_array_get(c->enum_, i);
		if (jd_is_string(j))
			strs[ns++] = jd_string_value(j);
	}
	const char *dym = v->kind == V_STRING ? suggest_closest(v->str.s, v->str.len, strs, ns) : NULL;
	free(strs);
	if (dym)
		buf_printf(&b, "did you mean '%s'? ", dym);
	buf_puts(&b, "allowed: ");
	for (size_t i = 0; i < n && i < 20; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", jrepr(e->a, jd_array_get(c->enum_, i)));
	if (n > 20)
		buf_printf(&b, ", ... (%zu in all)", n);
	rep(e, v, "schema-enum", buf_cstr(&b), "%s%s is not one of the allowed values", at(e, p),
	    vrepr(e->a, v));
	buf_free(&b);
	return false;
}

static bool ev_node(struct ev *e, struct cnode *c, const struct value *v, const struct pframe *p)
{
	bool ok = true;
	unsigned vt = vtypes(e->s, v);
	if (c->has_type && !(c->types & vt)) {
		rep(e, v, "schema-type", type_hint(e, c->types, v, c->description), "%sexpected %s, got %s",
		    at(e, p), types_text(e->a, c->types), vdescribe(e->a, v));
		return false; /* the other keywords would only repeat this */
	}
	/* The check that owns this value reports it, with its own id and
	 * with what the schema cannot know (the broker count, the pool). */
	bool values = !(c->checked_elsewhere && e->s->defer_checked);
	if (values && c->enum_ && !ev_enum(e, c, v, p))
		FAIL();
	if (c->const_ && !veq(v, c->const_)) {
		rep(e, v, "schema-const", c->description, "%smust be %s, got %s", at(e, p),
		    jrepr(e->a, c->const_), vrepr(e->a, v));
		FAIL();
	}
	switch (v->kind) {
	case V_MAP:
		if (!ev_object(e, c, v, p))
			FAIL();
		break;
	case V_SEQ:
		if (!ev_array(e, c, v, p))
			FAIL();
		break;
	case V_STRING:
		if (values && !ev_string(e, c, v, p))
			FAIL();
		break;
	case V_INT: case V_FLOAT:
		if (values && !ev_number(e, c, v, p))
			FAIL();
		break;
	default:
		break;
	}
	if (c->all_of) {
		for (size_t i = 0; i < jd_array_size(c->all_of); i++)
			if (!ev(e, jd_array_get(c->all_of, i), c->base, v, p))
				FAIL();
	}
	if (c->any_of) {
		bool any = false;
		for (size_t i = 0; i < jd_array_size(c->any_of) && !any; i++)
			any = probe(e, jd_array_get(c->any_of, i), c->base, v, p);
		if (!any) {
			if (e->d)
				report_alternatives(e, c->any_of, c->base, v, p, "schema-anyof", "anyOf");
			FAIL();
		}
	}
	if (c->one_of) {
		size_t nb = jd_array_size(c->one_of), nvalid = 0, first = 0, second = 0;
		for (size_t i = 0; i < nb; i++) {
			if (probe(e, jd_array_get(c->one_of, i), c->base, v, p)) {
				if (nvalid == 0)
					first = i;
				else if (nvalid == 1)
					second = i;
				nvalid++;
				if (nvalid > 1 && !e->d)
					break;
			}
		}
		if (nvalid == 0) {
			if (e->d)
				report_alternatives(e, c->one_of, c->base, v, p, "schema-oneof", "oneOf");
			FAIL();
		} else if (nvalid > 1) {
			rep(e, v, "schema-oneof", "exactly one alternative must match; make the value specific to one",
			    "%smatches %zu of the alternatives (%zu and %zu, oneOf) but must match exactly one",
			    at(e, p), nvalid, first + 1, second + 1);
			FAIL();
		}
	}
	if (c->not_ && probe(e, c->not_, c->base, v, p)) {
		const struct value *nd = jd_is_object(c->not_) ? jd_object_get(c->not_, "description") : NULL;
		rep(e, v, "schema-not", jd_is_string(nd) ? jd_string_value(nd) : c->description,
		    "%s%s is not allowed here (it matches a schema under 'not')", at(e, p), vrepr(e->a, v));
		FAIL();
	}
	if (c->if_ && (c->then_ || c->else_)) {
		const struct value *branch = probe(e, c->if_, c->base, v, p) ? c->then_ : c->else_;
		if (branch && !ev(e, branch, c->base, v, p))
			FAIL();
	}
out:
	return ok;
}

static bool ev(struct ev *e, const struct value *sch, const char *base, const struct value *v,
	       const struct pframe *p)
{
	if (jd_is_true(sch))
		return true;
	if (jd_is_false(sch)) {
		rep(e, v, "schema-false", NULL, "%s%s is not allowed here", at(e, p), vrepr(e->a, v));
		return false;
	}
	if (!jd_is_object(sch))
		return true; /* not a schema: nothing to check */
	if (e->depth >= EV_MAX_DEPTH) {
		if (!e->overflow)
			rep(e, v, "schema-ref", "the schema nests (or refers to itself) too deeply",
			    "%svalidation stopped: more than %d nested schemas", at(e, p), EV_MAX_DEPTH);
		e->overflow = true;
		return false;
	}
	struct cnode *c = cnode_get(e->s, sch, base);
	e->depth++;
	bool ok = c->ref ? ev_ref(e, c, v, p) : ev_node(e, c, v, p);
	e->depth--;
	return ok;
}

static bool run(struct diags *d, const struct schema *cs, const struct value *v, struct arena *a)
{
	struct schema *s = (struct schema *)cs; /* caches fill lazily */
	struct ev *e = xcalloc(1, sizeof *e);
	e->s = s;
	e->d = d;
	e->a = a;
	bool ok = ev(e, s->root, s->base, v, NULL);
	free(e);
	return ok;
}

int schema_validate(struct diags *d, const struct schema *s, const struct value *instance)
{
	if (!s || !instance)
		return 0;
	size_t before = d->nerrors;
	run(d, s, instance, d->arena);
	return (int)(d->nerrors - before);
}

bool schema_is_valid(const struct schema *s, const struct value *instance)
{
	if (!s || !instance)
		return true;
	return run(NULL, s, instance, s->a);
}
