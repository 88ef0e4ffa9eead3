/* load.c - parser events into value trees.
 *
 * The events come from yaml_fast.c (the plain block subset) or, for any
 * other text, from libfyaml's event parser.
 *
 * One pass over the event stream with an explicit stack (no recursion, so a
 * deeply nested input cannot overflow the C stack).  Each node's fully
 * expanded size is tracked so that alias bombs are rejected here, once,
 * instead of making every later tree walk explode.
 */
#include "load.h"
#include "arena.h"
#include "diag.h"
#include "yaml_fast.h"

#include <errno.h>
#include <libfyaml.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

char *load_file_text(struct arena *a, struct diags *d, const char *path, size_t *len)
{
	/* O_NONBLOCK: a FIFO given by mistake is refused below at once,
	 * instead of waiting forever for a writer.  Plain read(2), no stdio:
	 * a render reads fifty files, and a FILE cost two more system calls
	 * and a buffer each. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		diag_pos(d, SEV_ERROR, path, 0, 0, "io", "check the path and its permissions",
			 "cannot open: %s", strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		diag_pos(d, SEV_ERROR, path, 0, 0, "io", "give the path of a regular file",
			 "not a regular file");
		close(fd);
		return NULL;
	}
	if ((unsigned long long)st.st_size > LOAD_MAX_FILE) {
		diag_pos(d, SEV_ERROR, path, 0, 0, "io", NULL,
			 "file is %lld bytes; the limit is %u", (long long)st.st_size, LOAD_MAX_FILE);
		close(fd);
		return NULL;
	}
	size_t n = (size_t)st.st_size, got = 0;
	char *text = arena_alloc(a, n + 1);
	while (got < n) {
		ssize_t r = read(fd, text + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			diag_pos(d, SEV_ERROR, path, 0, 0, "io", NULL, "read error: %s",
				 r < 0 ? strerror(errno) : "the file shrank while it was read");
			close(fd);
			return NULL;
		}
		got += (size_t)r;
	}
	close(fd);
	text[n] = '\0';
	diags_add_source(d, path, text, n);
	if (len)
		*len = n;
	return text;
}

/* ---- scalar typing (YAML 1.2 core schema) ---- */

static bool all_digits(const char *s, const char *end, int base)
{
	if (s == end)
		return false;
	for (; s < end; s++) {
		int c = (unsigned char)*s;
		bool ok = base == 8 ? (c >= '0' && c <= '7')
			: base == 16 ? ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))
			: (c >= '0' && c <= '9');
		if (!ok)
			return false;
	}
	return true;
}

static bool is_core_float(const char *s, size_t n)
{
	const char *p = s, *end = s + n;
	if (p < end && (*p == '-' || *p == '+'))
		p++;
	size_t rest = (size_t)(end - p);
	if (rest == 4 && (!memcmp(p, ".inf", 4) || !memcmp(p, ".Inf", 4) || !memcmp(p, ".INF", 4)))
		return true;
	if (n == 4 && (!memcmp(s, ".nan", 4) || !memcmp(s, ".NaN", 4) || !memcmp(s, ".NAN", 4)))
		return true;
	const char *q = p;
	while (q < end && *q >= '0' && *q <= '9')
		q++;
	bool int_digits = q > p;
	bool frac_digits = false;
	if (q < end && *q == '.') {
		q++;
		const char *f = q;
		while (q < end && *q >= '0' && *q <= '9')
			q++;
		frac_digits = q > f;
	}
	if (!int_digits && !frac_digits)
		return false;
	if (q < end && (*q == 'e' || *q == 'E')) {
		q++;
		if (q < end && (*q == '-' || *q == '+'))
			q++;
		const char *e = q;
		while (q < end && *q >= '0' && *q <= '9')
			q++;
		if (q == e)
			return false;
	}
	return q == end;
}

struct loader {
	struct arena *a;
	struct diags *d;
	const char *path;
	size_t nodes;      /* expanded node count of the current document */
	bool failed;
	bool dup_last_wins; /* load_yaml_stream_lenient: a repeated key is a warning */
	bool libfyaml_only; /* load_yaml_stream_libfyaml */
	/* anchors: open-addressing hash from name to (node, expanded size) */
	struct anchor { const char *name; size_t len; struct value *v; size_t size; } *anchors;
	size_t anchors_cap, anchors_n;
};

static struct mark mark_of(struct loader *L, struct fy_event *ev)
{
	struct mark m = { L->path, 0, 0 };
	const struct fy_mark *fm = fy_event_start_mark(ev);
	if (fm) {
		m.line = fm->line + 1;
		m.col = fm->column + 1;
	}
	return m;
}

/* A token's start as a mark; false when there is no token or no position. */
static bool token_mark(struct loader *L, struct fy_token *t, struct mark *m)
{
	const struct fy_mark *fm = t ? fy_token_start_mark(t) : NULL;
	if (!fm)
		return false;
	*m = (struct mark){ L->path, fm->line + 1, fm->column + 1 };
	return true;
}

/* Where the event ends (its start when libfyaml gives no end). */
static struct mark end_mark_of(struct loader *L, struct fy_event *ev)
{
	struct mark m = mark_of(L, ev);
	const struct fy_mark *fm = fy_event_end_mark(ev);
	if (fm) {
		m.line = fm->line + 1;
		m.col = fm->column + 1;
	}
	return m;
}

static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

static void anchor_put(struct loader *L, const char *name, size_t len, struct value *v, size_t size)
{
	if ((L->anchors_n + 1) * 2 > L->anchors_cap) {
		size_t cap = L->anchors_cap ? L->anchors_cap * 2 : 64;
		struct anchor *t = xcalloc(cap, sizeof *t);
		for (size_t i = 0; i < L->anchors_cap; i++) {
			if (!L->anchors[i].name)
				continue;
			size_t j = hash_bytes(L->anchors[i].name, L->anchors[i].len) & (cap - 1);
			while (t[j].name)
				j = (j + 1) & (cap - 1);
			t[j] = L->anchors[i];
		}
		free(L->anchors);
		L->anchors = t;
		L->anchors_cap = cap;
	}
	size_t j = hash_bytes(name, len) & (L->anchors_cap - 1);
	while (L->anchors[j].name) {
		/* A redefined anchor replaces the old one for later aliases. */
		if (L->anchors[j].len == len && !memcmp(L->anchors[j].name, name, len)) {
			L->anchors[j].v = v;
			L->anchors[j].size = size;
			return;
		}
		j = (j + 1) & (L->anchors_cap - 1);
	}
	L->anchors[j] = (struct anchor){ arena_strndup(L->a, name, len), len, v, size };
	L->anchors_n++;
}

static struct anchor *anchor_get(struct loader *L, const char *name, size_t len)
{
	if (!L->anchors_cap)
		return NULL;
	size_t j = hash_bytes(name, len) & (L->anchors_cap - 1);
	while (L->anchors[j].name) {
		if (L->anchors[j].len == len && !memcmp(L->anchors[j].name, name, len))
			return &L->anchors[j];
		j = (j + 1) & (L->anchors_cap - 1);
	}
	return NULL;
}

static bool tag_is(const char *t, size_t n, const char *name)
{
	/* "!!str" arrives resolved as "tag:yaml.org,2002:str". */
	static const char prefix[] = "tag:yaml.org,2002:";
	size_t pl = sizeof prefix - 1, nl = strlen(name);
	return t && n == pl + nl && !memcmp(t, prefix, pl) && !memcmp(t + pl, name, nl);
}

/* Build a scalar node from its text, style and tag (e->tag: NULL when
 * none). */
static struct value *make_scalar(struct loader *L, const struct mark *m, const struct yaml_ev *e)
{
	const char *s = e->s, *t = e->tag;
	size_t n = e->n, tl = e->tlen;
	bool plain = e->plain;
	if (t && !(tl == 1 && t[0] == '!')) {
		if (tag_is(t, tl, "str")) {
			plain = false;
		} else if (tag_is(t, tl, "int") || tag_is(t, tl, "float") || tag_is(t, tl, "bool") ||
			   tag_is(t, tl, "null")) {
			plain = true; /* resolve as if plain; checked below */
		} else {
			diag_at(L->d, SEV_ERROR, e->tag_mark.line ? &e->tag_mark : m, "yaml-tag",
				"remove the tag; asbgen reads plain YAML", "unsupported tag '%.*s'", (int)tl, t);
			L->failed = true;
			return v_null(L->a, m);
		}
	}
	struct value *v = NULL;
	if (plain) {
		if (n == 0 || (n == 1 && s[0] == '~') || (n == 4 && (!memcmp(s, "null", 4) ||
			!memcmp(s, "Null", 4) || !memcmp(s, "NULL", 4)))) {
			v = v_null(L->a, m);
		} else if ((n == 4 && (!memcmp(s, "true", 4) || !memcmp(s, "True", 4) || !memcmp(s, "TRUE", 4)))) {
			v = v_bool(L->a, m, true);
		} else if (n == 5 && (!memcmp(s, "false", 5) || !memcmp(s, "False", 5) || !memcmp(s, "FALSE", 5))) {
			v = v_bool(L->a, m, false);
		} else {
			const char *p = s, *end = s + n;
			int base = 10;
			bool neg = false;
			if (n > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'x')) {
				base = s[1] == 'o' ? 8 : 16;
				p += 2;
			} else if (p < end && (*p == '-' || *p == '+')) {
				neg = *p == '-';
				p++;
			}
			if (all_digits(p, end, base)) {
				char tmp[72];
				size_t dl = (size_t)(end - p);
				if (dl >= sizeof tmp - 2) {
					errno = ERANGE;
				} else {
					tmp[0] = neg ? '-' : '+';
					memcpy(tmp + 1, p, dl);
					tmp[dl + 1] = '\0';
					errno = 0;
				}
				long long i = errno ? 0 : strtoll(tmp, NULL, base);
				if (errno == ERANGE) {
					diag_at(L->d, SEV_ERROR, m, "yaml-int-range",
						"quote it if it is meant as text",
						"integer %.*s does not fit in 64 bits", (int)(n > 40 ? 40 : n), s);
					L->failed = true;
					return v_null(L->a, m);
				}
				v = v_int(L->a, m, i);
			} else if (is_core_float(s, n)) {
				char *tmp = arena_strndup(L->a, s, n);
				const char *q = tmp + (tmp[0] == '-' || tmp[0] == '+');
				double f;
				if (q[0] == '.' && (q[1] == 'i' || q[1] == 'I'))
					f = tmp[0] == '-' ? -INFINITY : INFINITY;
				else if (tmp[0] == '.' && (tmp[1] == 'n' || tmp[1] == 'N'))
					f = NAN;
				else
					f = strtod(tmp, NULL);
				v = v_float(L->a, m, f);
			}
		}
		if (!v && t && !tag_is(t, tl, "str")) {
			diag_at(L->d, SEV_ERROR, m, "yaml-tag", "make the value match its tag",
				"'%.*s' is not a valid value for tag '%.*s'", (int)n, s, (int)tl, t);
			L->failed = true;
		}
	}
	if (!v) {
		v = v_strn(L->a, m, s, n);
		if (!e->plain)
			v->flags |= VF_QUOTED;
	}
	return v;
}

/* An open collection on the stack. */
struct frame {
	struct value *v;
	size_t size;               /* expanded node count so far */
	const char *anchor;        /* anchor to register when it closes */
	size_t anchor_len;
	struct value *key;         /* mapping: pending key (NULL: expecting a key) */
	bool key_is_merge;
	struct value **merges;     /* mapping: merged mappings, in order */
	size_t nmerges, merges_cap;
};

/* Is the next node the key of the innermost mapping? */
static bool expecting_key(const struct frame *stack, size_t depth)
{
	return depth > 0 && stack[depth - 1].v->kind == V_MAP && !stack[depth - 1].key;
}

static void frame_add_merge(struct loader *L, struct frame *f, struct value *src, const struct mark *at)
{
	if (src->kind == V_SEQ) {
		for (size_t i = 0; i < src->seq.n; i++)
			frame_add_merge(L, f, src->seq.items[i], at);
		return;
	}
	if (src->kind != V_MAP) {
		/* Point at the merge key: the value may be an alias whose own
		 * mark is where its anchor was defined. */
		diag_at(L->d, SEV_ERROR, at, "yaml-merge",
			"merge keys take an alias of a mapping, or a list of them: '<<: *defaults'",
			"the value of a merge key (<<) must be a mapping, not %s %s",
			src->kind == V_INT ? "an" : "a", vkind_name(src->kind));
		L->failed = true;
		return;
	}
	if (f->nmerges == f->merges_cap) {
		f->merges_cap = f->merges_cap ? f->merges_cap * 2 : 4;
		f->merges = arena_realloc(L->a, f->merges, f->nmerges * sizeof *f->merges,
					  f->merges_cap * sizeof *f->merges);
	}
	f->merges[f->nmerges++] = src;
}

static int key_cmp(const void *pa, const void *pb)
{
	const struct pair *a = *(const struct pair *const *)pa, *b = *(const struct pair *const *)pb;
	size_t n = a->key->str.len < b->key->str.len ? a->key->str.len : b->key->str.len;
	int c = memcmp(a->key->str.s, b->key->str.s, n);
	if (c)
		return c;
	if (a->key->str.len != b->key->str.len)
		return a->key->str.len < b->key->str.len ? -1 : 1;
	return a < b ? -1 : a > b; /* earlier entry first */
}

static void report_dup(struct loader *L, const struct pair *first, const struct pair *again)
{
	diag_at(L->d, SEV_ERROR, &again->key->mark, "yaml-duplicate-key",
		"remove one of them; YAML mappings cannot repeat a key",
		"duplicate key '%s' (first set at line %d)", again->key->str.s, first->key->mark.line);
	L->failed = true;
}

/* A repeated key where the later one wins (what kubectl's YAML reader
 * does with Helm output that repeats one): reported, the earlier dropped. */
static void drop_dups(struct loader *L, struct value *m)
{
	for (size_t i = m->map.n; i-- > 1;)
		for (size_t j = 0; j < i; j++) {
			const struct value *a = m->map.items[i].key, *b = m->map.items[j].key;
			if (a->str.len != b->str.len || memcmp(a->str.s, b->str.s, a->str.len))
				continue;
			diag_at(L->d, SEV_WARNING, &a->mark, "yaml-duplicate-key", "remove one of them",
				"duplicate key '%s' (first set at line %d): the later one is read, as kubectl reads it",
				a->str.s, b->mark.line);
			memmove(&m->map.items[j], &m->map.items[j + 1], (m->map.n - j - 1) * sizeof *m->map.items);
			m->map.n--;
			i--;
			j--;
		}
}

/* Close a mapping: reject duplicate keys, then apply merge keys. */
static void finish_map(struct loader *L, struct frame *f)
{
	struct value *m = f->v;
	if (L->dup_last_wins)
		drop_dups(L, m);
	size_t n = m->map.n;
	if (n <= 16) {
		for (size_t i = 1; i < n; i++)
			for (size_t j = 0; j < i; j++)
				if (m->map.items[i].key->str.len == m->map.items[j].key->str.len &&
				    !memcmp(m->map.items[i].key->str.s, m->map.items[j].key->str.s,
					    m->map.items[i].key->str.len)) {
					report_dup(L, &m->map.items[j], &m->map.items[i]);
					break;
				}
	} else {
		const struct pair **idx = xmalloc(n * sizeof *idx);
		for (size_t i = 0; i < n; i++)
			idx[i] = &m->map.items[i];
		qsort(idx, n, sizeof *idx, key_cmp);
		for (size_t i = 1; i < n; i++)
			if (idx[i]->key->str.len == idx[i - 1]->key->str.len &&
			    !memcmp(idx[i]->key->str.s, idx[i - 1]->key->str.s, idx[i]->key->str.len))
				report_dup(L, idx[i - 1], idx[i]);
		free(idx);
	}
	/* Merged entries never override explicit ones; earlier merges win. */
	for (size_t k = 0; k < f->nmerges; k++) {
		const struct value *src = f->merges[k];
		for (size_t i = 0; i < src->map.n; i++) {
			if (map_get_pair(m, src->map.items[i].key->str.s))
				continue;
			map_put(L->a, m, src->map.items[i].key, src->map.items[i].val);
		}
	}
}

static void report_fy_errors(struct loader *L, struct fy_diag *diag)
{
	void *iter = NULL;
	struct fy_diag_error *err;
	bool any = false;
	while ((err = fy_diag_errors_iterate(diag, &iter)) != NULL) {
		if (err->type != FYET_ERROR)
			continue;
		const char *msg = err->msg ? err->msg : "syntax error";
		diag_pos(L->d, SEV_ERROR, L->path, err->line > 0 ? err->line : 1,
			 err->column > 0 ? err->column : 1, "yaml-syntax",
			 "fix the YAML syntax at this position", "%s", msg);
		any = true;
	}
	if (!any)
		diag_pos(L->d, SEV_ERROR, L->path, 0, 0, "yaml-syntax", NULL, "invalid YAML");
	L->failed = true;
}

/* Reject text that is not UTF-8 before the parser sees it: binary junk
 * should get one clear message, not a parser's guess. */
static bool check_text(struct loader *L, const char *s, size_t n)
{
	int line = 1, col = 1;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
		bool ok = len && i + len <= n;
		for (size_t k = 1; ok && k < len; k++)
			ok = ((unsigned char)s[i + k] >> 6) == 2;
		if (ok && len == 2 && c < 0xC2)
			ok = false; /* overlong */
		if (!ok || c == 0) {
			diag_pos(L->d, SEV_ERROR, L->path, line, col, "yaml-encoding",
				 "spec files are UTF-8 text; is this a binary file?",
				 c == 0 ? "NUL byte in input" : "invalid UTF-8 byte 0x%02x", c);
			return false;
		}
		if (c == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
		i += len;
	}
	return true;
}

static int stream(struct loader *Lp, const char *text, size_t len, struct value ***docs_out);

int load_yaml_stream(struct arena *a, struct diags *d, const char *path,
		     const char *text, size_t len, struct value ***docs_out)
{
	struct loader L = { .a = a, .d = d, .path = path };
	return stream(&L, text, len, docs_out);
}

int load_yaml_stream_libfyaml(struct arena *a, struct diags *d, const char *path, const char *text, size_t len,
			      struct value ***docs_out)
{
	struct loader L = { .a = a, .d = d, .path = path, .libfyaml_only = true };
	return stream(&L, text, len, docs_out);
}

int load_yaml_stream_lenient(struct arena *a, struct diags *d, const char *path, const char *text, size_t len,
			     struct value ***docs_out)
{
	struct loader L = { .a = a, .d = d, .path = path, .dup_last_wins = true };
	return stream(&L, text, len, docs_out);
}

/* The tree being built from events, whichever parser produces them. */
struct builder {
	struct loader L;
	struct frame *stack;
	size_t depth, stack_cap;
	struct value **docs;
	size_t ndocs, docs_cap;
	struct value *root;
};

/* Attach a finished node to the open collection (or make it the root). */
static void attach(struct builder *B, struct value *node, size_t node_size, bool empty_doc, bool was_alias,
		   const struct mark *m)
{
	struct loader *L = &B->L;
	struct arena *a = L->a;
	/* Count expanded nodes: bounds every later walk of the tree. */
	L->nodes += node_size;
	if (node_size > LOAD_MAX_NODES || L->nodes > LOAD_MAX_NODES * 4) {
		diag_at(L->d, SEV_ERROR, &node->mark, "yaml-too-large", "reduce the number of aliases to large nodes",
			"document expands to more than %u nodes (alias expansion?)", LOAD_MAX_NODES);
		L->failed = true;
		return;
	}
	if (B->depth == 0) {
		B->root = empty_doc ? NULL : node; /* a written null (null, ~) is a document */
		return;
	}
	struct frame *p = &B->stack[B->depth - 1];
	if (p->size + node_size > LOAD_MAX_NODES) {
		diag_at(L->d, SEV_ERROR, &node->mark, "yaml-too-large", "reduce the number of aliases to large nodes",
			"document expands to more than %u nodes (alias expansion?)", LOAD_MAX_NODES);
		L->failed = true;
		return;
	}
	p->size += node_size;
	if (p->v->kind == V_SEQ) {
		seq_push(a, p->v, node);
	} else if (!p->key) {
		if (!v_is_scalar(node)) {
			diag_at(L->d, SEV_ERROR, &node->mark, "yaml-complex-key", "use a plain string as the key",
				"a %s cannot be a mapping key", vkind_name(node->kind));
			L->failed = true;
			return;
		}
		/* Keys are always strings: "1: x" has key "1". */
		p->key_is_merge = node->kind == V_STRING && !(node->flags & VF_QUOTED) && node->str.len == 2 &&
				  !memcmp(node->str.s, "<<", 2);
		p->key = node->kind == V_STRING ? node : NULL;
		if (!p->key) {
			/* A typed key (1, true, ~) stands for its text. */
			const char *txt = node->kind == V_NULL ? "" : NULL;
			char tmp[64];
			if (node->kind == V_BOOL)
				txt = node->b ? "true" : "false";
			else if (node->kind == V_INT) {
				snprintf(tmp, sizeof tmp, "%lld", node->i);
				txt = tmp;
			} else if (node->kind == V_FLOAT) {
				snprintf(tmp, sizeof tmp, "%.17g", node->f);
				txt = tmp;
			}
			p->key = v_str(a, &node->mark, txt ? txt : "");
		}
	} else {
		/* An alias's node carries its anchor's position; the alias
		 * itself is where the merge is written. */
		if (p->key_is_merge)
			frame_add_merge(L, p, node, was_alias ? m : &node->mark);
		else
			map_put(a, p->v, p->key, node);
		p->key = NULL;
		p->key_is_merge = false;
	}
}

/* One event into the tree.  Returns false once the build has failed
 * (reported). */
static bool build(struct builder *B, const struct yaml_ev *e)
{
	struct loader *L = &B->L;
	struct arena *a = L->a;
	struct value *node = NULL; /* a finished node to attach */
	size_t node_size = 0;
	bool empty_doc = false; /* "---" with nothing after it: not a document */
	const char *anchor = NULL;
	size_t alen = 0;

	switch (e->type) {
	case YEV_DOC_START:
		B->root = NULL;
		L->nodes = 0;
		break;
	case YEV_DOC_END:
		if (B->root) {
			if (B->ndocs == B->docs_cap) {
				B->docs_cap = B->docs_cap ? B->docs_cap * 2 : 4;
				B->docs = arena_realloc(a, B->docs, B->ndocs * sizeof *B->docs,
							B->docs_cap * sizeof *B->docs);
			}
			B->docs[B->ndocs++] = B->root;
		}
		break;
	case YEV_SCALAR:
		if (memchr(e->s, '\0', e->n)) {
			/* "\0" would cut the C string short, after the schema's
			 * patterns had seen the whole value. */
			diag_at(L->d, SEV_ERROR, &e->m, "yaml-nul",
				"remove the \\0 escape: no name, path or value asbgen reads can hold a NUL character",
				"NUL character (\\0) in a %s", expecting_key(B->stack, B->depth) ? "key" : "value");
			L->failed = true;
			break;
		}
		empty_doc = B->depth == 0 && e->n == 0 && e->plain && !e->tag && !e->anchor;
		node = make_scalar(L, &e->m, e);
		/* A key stays the text the user wrote: "0o17:" is the key
		 * "0o17", not "15" (make_scalar still checks its tag). */
		if (expecting_key(B->stack, B->depth) && v_is_scalar(node) && node->kind != V_STRING)
			node = v_strn(a, &e->m, e->s, e->n);
		node_size = 1;
		anchor = e->anchor;
		alen = e->alen;
		break;
	case YEV_ALIAS: {
		struct anchor *an = anchor_get(L, e->s, e->n);
		if (!an) {
			diag_at(L->d, SEV_ERROR, &e->m, "yaml-alias", "define the anchor (&name) before using it",
				"unknown anchor '*%.*s'", (int)e->n, e->s);
			L->failed = true;
			break;
		}
		node = an->v;
		node_size = an->size;
		break;
	}
	case YEV_SEQ_START:
	case YEV_MAP_START: {
		bool is_map = e->type == YEV_MAP_START;
		if (B->depth >= LOAD_MAX_DEPTH) {
			diag_at(L->d, SEV_ERROR, &e->m, "yaml-depth", "flatten the structure", "nesting deeper than %d levels",
				LOAD_MAX_DEPTH);
			L->failed = true;
			break;
		}
		if (e->tag && !(e->tlen == 1 && e->tag[0] == '!') && !tag_is(e->tag, e->tlen, is_map ? "map" : "seq")) {
			diag_at(L->d, SEV_ERROR, &e->m, "yaml-tag", "remove the tag; asbgen reads plain YAML",
				"unsupported tag '%.*s'", (int)e->tlen, e->tag);
			L->failed = true;
			break;
		}
		if (B->depth == B->stack_cap) {
			B->stack_cap = B->stack_cap ? B->stack_cap * 2 : 16;
			B->stack = xrealloc(B->stack, B->stack_cap * sizeof *B->stack);
		}
		struct frame *f = &B->stack[B->depth++];
		memset(f, 0, sizeof *f);
		f->v = is_map ? v_map(a, &e->m) : v_seq(a, &e->m);
		f->size = 1;
		if (e->anchor) {
			f->anchor = arena_strndup(a, e->anchor, e->alen);
			f->anchor_len = e->alen;
		}
		break;
	}
	case YEV_SEQ_END:
	case YEV_MAP_END: {
		struct frame *f = &B->stack[B->depth - 1];
		if (e->type == YEV_MAP_END)
			finish_map(L, f);
		node = f->v;
		node_size = f->size;
		if (f->anchor)
			anchor_put(L, f->anchor, f->anchor_len, node, node_size);
		B->depth--;
		break;
	}
	default:
		break;
	}
	if (node && anchor)
		anchor_put(L, anchor, alen, node, node_size);
	if (node && !L->failed)
		attach(B, node, node_size, empty_doc, e->type == YEV_ALIAS, &e->m);
	return !L->failed;
}

/* A libfyaml event as asbgen's, its marks moved to where the user sees
 * the node; `last` is where the previous event ended. */
static void from_fy(struct builder *B, struct fy_event *ev, const struct mark *last, struct yaml_ev *e)
{
	struct loader *L = &B->L;
	memset(e, 0, sizeof *e);
	e->m = mark_of(L, ev);
	struct fy_token *tag = NULL, *anchor = NULL;
	switch (ev->type) {
	case FYET_DOCUMENT_START: e->type = YEV_DOC_START; break;
	case FYET_DOCUMENT_END: e->type = YEV_DOC_END; break;
	case FYET_SEQUENCE_END: e->type = YEV_SEQ_END; break;
	case FYET_MAPPING_END: e->type = YEV_MAP_END; break;
	case FYET_SCALAR: {
		e->type = YEV_SCALAR;
		e->s = fy_token_get_text(ev->scalar.value, &e->n);
		if (!e->s) {
			e->s = "";
			e->n = 0;
		}
		enum fy_scalar_style style = fy_token_scalar_style(ev->scalar.value);
		e->plain = style == FYSS_PLAIN;
		/* libfyaml marks a quoted scalar after its opening quote;
		 * point at the quote, where the user sees the value start. */
		if ((style == FYSS_SINGLE_QUOTED || style == FYSS_DOUBLE_QUOTED) && e->m.col > 1)
			e->m.col--;
		/* An empty value ("key:") has no token, so no position: point
		 * at its key, where the user sees it. */
		if (e->m.line == 0 && B->depth > 0 && B->stack[B->depth - 1].v->kind == V_MAP &&
		    B->stack[B->depth - 1].key)
			e->m = B->stack[B->depth - 1].key->mark;
		/* A sequence item ("-", "[!!str , x]"): its tag or anchor if it
		 * has one, else where the previous event ended. */
		if (e->m.line == 0 && !token_mark(L, ev->scalar.tag, &e->m)) {
			if (token_mark(L, ev->scalar.anchor, &e->m) && e->m.col > 1)
				e->m.col--; /* libfyaml marks the name; point at the '&' */
			else if (e->m.line == 0)
				e->m = *last;
		}
		tag = ev->scalar.tag;
		anchor = ev->scalar.anchor;
		break;
	}
	case FYET_ALIAS:
		e->type = YEV_ALIAS;
		/* libfyaml marks the name; point at the '*'. */
		if (e->m.col > 1)
			e->m.col--;
		e->s = fy_token_get_text(ev->alias.anchor, &e->n);
		if (!e->s) {
			e->s = "";
			e->n = 0;
		}
		break;
	case FYET_SEQUENCE_START:
	case FYET_MAPPING_START: {
		bool is_map = ev->type == FYET_MAPPING_START;
		e->type = is_map ? YEV_MAP_START : YEV_SEQ_START;
		tag = is_map ? ev->mapping_start.tag : ev->sequence_start.tag;
		anchor = is_map ? ev->mapping_start.anchor : ev->sequence_start.anchor;
		break;
	}
	default: e->type = YEV_OTHER; break;
	}
	if (tag) {
		e->tag = fy_token_get_text(tag, &e->tlen);
		token_mark(L, tag, &e->tag_mark);
	}
	if (anchor)
		e->anchor = fy_token_get_text(anchor, &e->alen);
}

/* The whole stream through libfyaml's event parser. */
static void parse_fy(struct builder *B, const char *text, size_t len)
{
	struct loader *L = &B->L;
	struct fy_diag_cfg dcfg;
	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	dcfg.colorize = false;
	struct fy_diag *diag = fy_diag_create(&dcfg);
	if (!diag)
		die_oom();
	fy_diag_set_collect_errors(diag, true);
	struct fy_parse_cfg cfg = {
		.flags = FYPCF_QUIET | FYPCF_COLLECT_DIAG | FYPCF_DEFAULT_VERSION_1_2 | FYPCF_DISABLE_RECYCLING |
			 FYPCF_ALLOW_DUPLICATE_KEYS,
		.diag = diag,
	};
	struct fy_parser *fyp = fy_parser_create(&cfg);
	if (!fyp)
		die_oom();
	if (fy_parser_set_string(fyp, text, len) != 0)
		die_oom();
	struct mark last = { L->path, 1, 1 }; /* where the previous event ended */
	struct fy_event *ev;
	while (!L->failed && (ev = fy_parser_parse(fyp)) != NULL) {
		struct yaml_ev e;
		from_fy(B, ev, &last, &e);
		build(B, &e);
		struct mark end = end_mark_of(L, ev);
		if (end.line)
			last = end;
		fy_parser_event_free(fyp, ev);
	}
	if (!L->failed && fy_parser_get_stream_error(fyp))
		report_fy_errors(L, diag);
	fy_parser_destroy(fyp);
	fy_diag_destroy(diag);
}

static bool build_cb(void *ctx, const struct yaml_ev *e)
{
	return build(ctx, e);
}

static void builder_free(struct builder *B)
{
	free(B->stack);
	free(B->L.anchors);
}

static int stream(struct loader *Lp, const char *text, size_t len, struct value ***docs_out)
{
	*docs_out = NULL;
	if (!check_text(Lp, text, len))
		return -1;
	struct builder B = { .L = *Lp };
	/* Most input (every environment spec) is in the plain block subset
	 * yaml_fast.c reads several times faster than libfyaml.  It gives
	 * the tree libfyaml would or declines; anything it reported is then
	 * dropped and libfyaml reads the text, so diagnostics are libfyaml's.
	 * Not for the lenient reader, whose duplicate-key warnings would
	 * have to be taken back. */
	if (!B.L.dup_last_wins && !B.L.libfyaml_only) {
		size_t mark = B.L.d->n;
		if (yaml_fast_parse(B.L.a, B.L.path, text, len, build_cb, &B) == 0 && !B.L.failed) {
			builder_free(&B);
			*docs_out = B.docs;
			return (int)B.ndocs;
		}
		diags_drop_since(B.L.d, mark);
		builder_free(&B);
		B = (struct builder){ .L = *Lp };
	}
	parse_fy(&B, text, len);
	builder_free(&B);
	if (B.L.failed)
		return -1;
	*docs_out = B.docs;
	return (int)B.ndocs;
}

struct value *load_yaml_string(struct arena *a, struct diags *d, const char *path,
			       const char *text, size_t len)
{
	struct value **docs;
	int n = load_yaml_stream(a, d, path, text, len, &docs);
	if (n < 0)
		return NULL;
	if (n == 0) {
		diag_pos(d, SEV_ERROR, path, 1, 1, "yaml-empty", "write the environment spec in this file",
			 "the file is empty");
		return NULL;
	}
	if (n > 1) {
		diag_at(d, SEV_ERROR, &docs[1]->mark, "yaml-multiple-documents",
			"keep one document per file (remove the second '---')",
			"expected one YAML document, found %d", n);
		return NULL;
	}
	return docs[0];
}

struct value *load_yaml_file(struct arena *a, struct diags *d, const char *path)
{
	size_t len;
	char *text = load_file_text(a, d, path, &len);
	if (!text)
		return NULL;
	return load_yaml_string(a, d, path, text, len);
}
