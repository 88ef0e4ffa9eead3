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
