/* tmpl_image.c - laying a compiled template out as an image, and loading
 * it back (tmpl_image.h).
 *
 * Each object is written field by field into a zeroed record, so padding
 * and the caches evaluation fills in (an expr's hint, a site's
 * `reported`) are zero and the bytes depend on the tree only.  An object
 * two pointers share is laid out once: the tree keeps its sharing (a YAML
 * alias, a site and its tnode's text, a tnode's src and its entry's).
 */
#include "tmpl_image.h"
#include "arena.h"
#include "buf.h"
#include "expr_ast.h"
#include "hashmap.h"
#include "tmpl_compiled.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* Every record starts at a multiple of this: the strictest alignment of
 * the structs laid out (pointers, size_t, long long, double). */
#define ALIGN 8
_Static_assert(_Alignof(struct value) <= ALIGN && _Alignof(struct tnode) <= ALIGN &&
		       _Alignof(struct tent) <= ALIGN && _Alignof(struct tpart) <= ALIGN &&
		       _Alignof(struct expr_site) <= ALIGN && _Alignof(struct expr) <= ALIGN,
	       "records of an image are 8-aligned");

uint32_t tmpl_image_layout(void)
{
	/* The sizes and a few offsets that move when a field is added or
	 * reordered; a hash of them, so any change shows. */
	const size_t v[] = {
		sizeof(void *), sizeof(struct value), offsetof(struct value, mark), offsetof(struct value, str),
		sizeof(struct pair), sizeof(struct tnode), offsetof(struct tnode, ents),
		sizeof(struct tent), offsetof(struct tent, v2), sizeof(struct tpart), offsetof(struct tpart, line), offsetof(struct tpart, kv),
		sizeof(struct expr_site), offsetof(struct expr_site, bools), sizeof(struct expr),
		offsetof(struct expr, args), offsetof(struct expr, hint),
	};
	return hash_fnv1a32(v, sizeof v);
}

/* ---------------------------------------------------------------- laying out */

struct lay {
	struct buf *img;
	uint32_t *rel;
	size_t nrel, caprel;
	struct hashmap seen; /* an object's address (the key's bytes) -> its offset */
	struct arena *keys;  /* the keys: hashmap.h does not copy them */
	const char *file;    /* every mark must name it: the loader names the copy's */
	bool foreign;        /* one names another file */
};

/* Room for a record of size bytes, zeroed; its offset. */
static size_t lay_alloc(struct lay *L, size_t size)
{
	while (L->img->len % ALIGN)
		buf_putc(L->img, 0);
	size_t at = L->img->len;
	buf_grow(L->img, size);
	memset(L->img->data + at, 0, size);
	L->img->len += size;
	assert(at + size <= UINT32_MAX >> 1); /* relocations hold offset << 1 */
	return at;
}

static void put_rel(struct lay *L, size_t at, unsigned kind)
{
	if (L->nrel == L->caprel) {
		L->caprel = L->caprel ? 2 * L->caprel : 1024;
		L->rel = xrealloc(L->rel, L->caprel * sizeof *L->rel);
	}
	L->rel[L->nrel++] = (uint32_t)(at << 1 | kind);
}

/* The mark's file at `at`, NULL kept. */
static void put_file(struct lay *L, size_t at, const char *file)
{
	if (!file)
		return;
	L->foreign |= strcmp(file, L->file) != 0;
	put_rel(L, at, TMPL_RELOC_FILE);
}

/* The pointer at `at` points to the record at offset target. */
static void set_ptr(struct lay *L, size_t at, size_t target)
{
	uintptr_t v = target;
	memcpy(L->img->data + at, &v, sizeof v);
	put_rel(L, at, TMPL_RELOC_PTR);
}

/* The offset p's record is at when laid out already (true).  Keys are
 * (address, 0) for an object, (address, length + 1) for a string. */
static bool seen(struct lay *L, const void *p, size_t n, size_t *at)
{
	const struct { const void *p; size_t n; } k = { p, n };
	struct hm_entry *e = hashmap_get(&L->seen, (const char *)&k, sizeof k);
	if (e)
		*at = e->idx;
	return e != NULL;
}

static void remember(struct lay *L, const void *p, size_t n, size_t at)
{
	struct { const void *p; size_t n; } *k = arena_alloc(L->keys, sizeof *k);
	k->p = p;
	k->n = n;
	hashmap_put(&L->seen, (const char *)k, sizeof *k, NULL)->idx = at;
}

/* The record of object p (size bytes): true when it is new (*at: laid
 * out, zeroed, for the caller to fill), false when laid out already (*at:
 * where). */
static bool lay_record(struct lay *L, const void *p, size_t size, size_t *at)
{
	if (seen(L, p, 0, at))
		return false;
	*at = lay_alloc(L, size);
	remember(L, p, 0, *at);
	return true;
}

/* A record's bytes, from a zeroed local copy the caller filled in. */
#define PUT(L, at, rec) memcpy((L)->img->data + (at), &(rec), sizeof(rec))

/* n bytes at s and a NUL (strings may hold NULs: n says their length). */
static size_t lay_str(struct lay *L, const char *s, size_t n)
{
	size_t at;
	if (seen(L, s, n + 1, &at))
		return at;
	at = lay_alloc(L, n + 1);
	memcpy(L->img->data + at, s, n);
	remember(L, s, n + 1, at);
	return at;
}

static size_t lay_value(struct lay *L, const struct value *v);
static size_t lay_site(struct lay *L, const struct expr_site *s);
static size_t lay_expr(struct lay *L, const struct expr *e);
static size_t lay_tnode(struct lay *L, const struct tnode *t);

/* The pointer field at `at` to p's record (lay_<kind>), NULL kept. */
#define PTR(L, kind, at, p)                                       \
	do {                                                      \
		if (p)                                            \
			set_ptr((L), (at), lay_##kind((L), (p))); \
	} while (0)

/* An array of n elements of size bytes, pointed to by the field at `at`;
 * returns the array's offset, for its elements. */
static size_t lay_array(struct lay *L, size_t at, size_t n, size_t size)
{
	size_t arr = lay_alloc(L, n * size);
	set_ptr(L, at, arr);
	return arr;
}

/* A pointer field at `at` to a string, NULL kept. */
static void ptr_str(struct lay *L, size_t at, const char *s, size_t n)
{
	if (s)
		set_ptr(L, at, lay_str(L, s, n));
}

static size_t lay_value(struct lay *L, const struct value *v)
{
	size_t at;
	if (!lay_record(L, v, sizeof *v, &at))
		return at;
	struct value r;
	memset(&r, 0, sizeof r);
	r.kind = v->kind;
	r.flags = v->flags;
	r.mark.line = v->mark.line;
	r.mark.col = v->mark.col;
	switch (v->kind) {
	case V_NULL:
		break;
	case V_BOOL:
		r.b = v->b;
		break;
	case V_INT:
		r.i = v->i;
		break;
	case V_FLOAT:
		r.f = v->f;
		break;
	case V_STRING:
		r.str.len = v->str.len;
		break;
	case V_SEQ:
		r.seq.n = r.seq.cap = v->seq.n;
		break;
	case V_MAP:
		r.map.n = r.map.cap = v->map.n;
		break;
	}
	PUT(L, at, r);
	put_file(L, at + offsetof(struct value, mark.file), v->mark.file);
	if (v->kind == V_STRING) {
		ptr_str(L, at + offsetof(struct value, str.s), v->str.s, v->str.len);
	} else if (v->kind == V_SEQ && v->seq.n) {
		size_t items = lay_array(L, at + offsetof(struct value, seq.items), v->seq.n, sizeof *v->seq.items);
		for (size_t i = 0; i < v->seq.n; i++)
			PTR(L, value, items + i * sizeof *v->seq.items, v->seq.items[i]);
	} else if (v->kind == V_MAP && v->map.n) {
		size_t items = lay_array(L, at + offsetof(struct value, map.items), v->map.n, sizeof *v->map.items);
		for (size_t i = 0; i < v->map.n; i++) {
			size_t p = items + i * sizeof *v->map.items;
			PTR(L, value, p + offsetof(struct pair, key), v->map.items[i].key);
			PTR(L, value, p + offsetof(struct pair, val), v->map.items[i].val);
		}
	}
	return at;
}

static size_t lay_site(struct lay *L, const struct expr_site *s)
{
	size_t at;
	if (!lay_record(L, s, sizeof *s, &at))
		return at;
	struct expr_site r;
	memset(&r, 0, sizeof r);
	r.mark.line = s->mark.line;
	r.mark.col = s->mark.col;
	r.len = s->len;
	r.flags = s->flags;
	r.exact = s->exact;
	PUT(L, at, r);
	put_file(L, at + offsetof(struct expr_site, mark.file), s->mark.file);
	ptr_str(L, at + offsetof(struct expr_site, text), s->text, s->len);
	for (size_t i = 0; i < 2; i++)
		PTR(L, value, at + offsetof(struct expr_site, bools) + i * sizeof s->bools[0], s->bools[i]);
	return at;
}

static size_t lay_expr(struct lay *L, const struct expr *e)
{
	size_t at;
	if (!lay_record(L, e, sizeof *e, &at))
		return at;
	struct expr r;
	memset(&r, 0, sizeof r);
	r.kind = e->kind;
	r.fn = e->fn;
	r.start = e->start;
	r.end = e->end;
	r.namelen = e->namelen;
	r.nargs = e->nargs;
	PUT(L, at, r);
	PTR(L, value, at + offsetof(struct expr, lit), e->lit);
	ptr_str(L, at + offsetof(struct expr, name), e->name, e->name ? strlen(e->name) : 0);
	PTR(L, expr, at + offsetof(struct expr, l), e->l);
	PTR(L, expr, at + offsetof(struct expr, r), e->r);
	if (e->nargs) {
		size_t args = lay_array(L, at + offsetof(struct expr, args), e->nargs, sizeof *e->args);
		for (size_t i = 0; i < e->nargs; i++)
			PTR(L, expr, args + i * sizeof *e->args, e->args[i]);
	}
	return at;
}

static void lay_tent(struct lay *L, size_t at, const struct tent *en)
{
	struct tent r;
	memset(&r, 0, sizeof r);
	r.kind = en->kind;
	PUT(L, at, r);
	PTR(L, value, at + offsetof(struct tent, src), en->src);
	PTR(L, tnode, at + offsetof(struct tent, key), en->key);
	PTR(L, tnode, at + offsetof(struct tent, val), en->val);
	PTR(L, tnode, at + offsetof(struct tent, els), en->els);
	PTR(L, site, at + offsetof(struct tent, site), en->site);
	PTR(L, expr, at + offsetof(struct tent, e), en->e);
	ptr_str(L, at + offsetof(struct tent, v1), en->v1, en->v1 ? strlen(en->v1) : 0);
	ptr_str(L, at + offsetof(struct tent, v2), en->v2, en->v2 ? strlen(en->v2) : 0);
}

static size_t lay_tnode(struct lay *L, const struct tnode *t)
{
	size_t at;
	if (!lay_record(L, t, sizeof *t, &at))
		return at;
	struct tnode r;
	memset(&r, 0, sizeof r);
	r.kind = t->kind;
	r.nparts = t->nparts;
	r.nents = t->nents;
	PUT(L, at, r);
	PTR(L, value, at + offsetof(struct tnode, src), t->src);
	PTR(L, site, at + offsetof(struct tnode, site), t->site);
	PTR(L, expr, at + offsetof(struct tnode, e), t->e);
	if (t->nparts) {
		size_t parts = lay_array(L, at + offsetof(struct tnode, parts), t->nparts, sizeof *t->parts);
		for (size_t i = 0; i < t->nparts; i++) {
			size_t p = parts + i * sizeof *t->parts;
			struct tpart pr;
			memset(&pr, 0, sizeof pr);
			pr.len = t->parts[i].len;
			pr.line = t->parts[i].line;
			pr.kv = t->parts[i].kv;
			PUT(L, p, pr);
			ptr_str(L, p + offsetof(struct tpart, lit), t->parts[i].lit, t->parts[i].len);
			PTR(L, expr, p + offsetof(struct tpart, e), t->parts[i].e);
		}
	}
	if (t->nents) {
		size_t ents = lay_array(L, at + offsetof(struct tnode, ents), t->nents, sizeof *t->ents);
		for (size_t i = 0; i < t->nents; i++)
			lay_tent(L, ents + i * sizeof *t->ents, &t->ents[i]);
	}
	return at;
}

bool tmpl_image_build(const struct tnode *root, const char *file, struct buf *bytes, uint32_t **relocs,
		      size_t *nrelocs)
{
	struct lay L = { .img = bytes, .keys = arena_new(), .file = file };
	hashmap_init(&L.seen, L.keys);
	buf_reset(bytes);
	size_t at = lay_tnode(&L, root);
	assert(at == 0); /* the loader finds the root at the start */
	(void)at;
	arena_free(L.keys);
	*relocs = L.rel;
	*nrelocs = L.nrel;
	return !L.foreign;
}

/* ---------------------------------------------------------------- loading */

struct tnode *tmpl_image_load(struct arena *a, const struct tmpl_image *im, const char *file)
{
	if (im->layout != tmpl_image_layout() || im->size < sizeof(struct tnode))
		return NULL;
	unsigned char *base = arena_alloc(a, im->size);
	memcpy(base, im->bytes, im->size);
	for (uint32_t i = 0; i < im->nrelocs; i++) {
		uint32_t r = im->relocs[i];
		unsigned char *p = base + (r >> 1);
		uintptr_t v;
		if (r & TMPL_RELOC_FILE) {
			v = (uintptr_t)file;
		} else {
			memcpy(&v, p, sizeof v);
			v += (uintptr_t)base;
		}
		memcpy(p, &v, sizeof v);
	}
	return (struct tnode *)(void *)base;
}
