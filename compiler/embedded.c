/* embedded.c - trees of the built-in files from the tables compiled into
 * the binary (embedded.h). */
#include "embedded.h"
#include "arena.h"

#include <string.h>

const struct emb_file *emb_find(const struct emb_table *t, const char *rel, const char *text, size_t len)
{
	for (size_t i = 0; i < t->nfiles; i++) {
		const struct emb_file *f = &t->files[i];
		if (strcmp(f->rel, rel) != 0)
			continue;
		return f->text_len == len && memcmp(t->blob + f->text_off, text, len) == 0 ? f : NULL;
	}
	return NULL;
}

struct value *emb_tree(struct arena *a, const struct emb_table *t, const struct emb_file *f, const char *file)
{
	/* One block for the nodes (arena memory is zeroed), then each node's
	 * fields; a node two parents share (a YAML alias) stays shared. */
	struct value *vs = arena_alloc(a, f->nnodes * sizeof *vs);
	const struct emb_node *ns = t->nodes + f->first;
	for (uint32_t i = 0; i < f->nnodes; i++) {
		const struct emb_node *n = &ns[i];
		struct value *v = &vs[i];
		v->kind = (enum vkind)n->kind;
		v->flags = n->flags;
		if (!n->nomark)
			v->mark = (struct mark){ file, n->line, n->col };
		switch (v->kind) {
		case V_NULL:
			break;
		case V_BOOL:
			v->b = n->num.i != 0;
			break;
		case V_INT:
			v->i = n->num.i;
			break;
		case V_FLOAT:
			v->f = n->num.f;
			break;
		case V_STRING:
			v->str.s = t->blob + n->off;
			v->str.len = n->len;
			break;
		case V_SEQ: {
			const uint32_t *k = t->kids + n->off;
			if (n->len)
				v->seq.items = arena_alloc(a, n->len * sizeof *v->seq.items);
			for (uint32_t j = 0; j < n->len; j++)
				v->seq.items[j] = &vs[k[j]];
			v->seq.n = v->seq.cap = n->len;
			break;
		}
		case V_MAP: {
			const uint32_t *k = t->kids + n->off;
			if (n->len)
				v->map.items = arena_alloc(a, n->len * sizeof *v->map.items);
			for (uint32_t j = 0; j < n->len; j++) {
				v->map.items[j].key = &vs[k[2 * j]];
				v->map.items[j].val = &vs[k[2 * j + 1]];
			}
			v->map.n = v->map.cap = n->len;
			break;
		}
		}
	}
	return vs;
}

/* Node i of f as a jansson value (a new reference, NULL when out of
 * memory).  Depth is bounded: jansson's parser accepted the document at
 * build time (at most 2048 levels). */
static json_t *emb_json_node(const struct emb_table *t, const struct emb_file *f, uint32_t i)
{
	const struct emb_node *n = &t->nodes[f->first + i];
	switch ((enum vkind)n->kind) {
	case V_NULL:
		return json_null();
	case V_BOOL:
		return json_boolean(n->num.i);
	case V_INT:
		return json_integer(n->num.i);
	case V_FLOAT:
		return json_real(n->num.f);
	case V_STRING:
		return json_stringn_nocheck(t->blob + n->off, n->len);
	case V_SEQ: {
		json_t *a = json_array();
		for (uint32_t j = 0; a && j < n->len; j++)
			if (json_array_append_new(a, emb_json_node(t, f, t->kids[n->off + j])) != 0) {
				json_decref(a);
				return NULL;
			}
		return a;
	}
	case V_MAP: {
		json_t *o = json_object();
		for (uint32_t j = 0; o && j < n->len; j++) {
			const struct emb_node *k = &t->nodes[f->first + t->kids[n->off + 2 * j]];
			if (json_object_setn_new_nocheck(o, t->blob + k->off, k->len,
							 emb_json_node(t, f, t->kids[n->off + 2 * j + 1])) != 0) {
				json_decref(o);
				return NULL;
			}
		}
		return o;
	}
	}
	return NULL;
}

json_t *emb_json(const struct emb_table *t, const struct emb_file *f)
{
	return emb_json_node(t, f, 0);
}
