/* render_check.c - validate renders each valid spec's model in memory
 * (templates, emitters; nothing is written), so a spec that validates
 * always renders.  The work happens in a scratch arena cleared per spec, so
 * validating many files keeps memory flat; diagnostics that point into it
 * are copied out first. */
#include "render_check.h"
#include "render.h"
#include "arena.h"
#include "buf.h"
#include "cli.h"
#include "model.h"
#include "template.h"

struct checking {
	struct arena *a; /* the compilation's: a merged file's text outlives the scratch arena */
	struct diags *d;
	struct buf b; /* one output's text, reused and not kept */
};

/* Emit one output, for its diagnostics only. */
static void check_output(void *ctx, const struct tmpl_output *o)
{
	struct checking *k = ctx;
	render_output_text(k->a, k->d, o, NULL, NULL, &k->b);
}

int spec_render_check(struct ctx *c, const struct value *model, const char *tdir, struct tmpl_cache *tc,
		      struct arena *scratch)
{
	struct diags *d = &c->diags;
	size_t ndiag = d->n;
	struct checking k = { c->arena, d, BUF_INIT };
	int rendered = templates_render_each(scratch, d, tdir, model, tc, check_output, &render_check_formats, &k);
	buf_free(&k.b);
	/* Keep what new diagnostics point at.  The template files and their
	 * text (d's sources) live in the cache, not in the scratch arena. */
	for (size_t i = ndiag; i < d->n; i++)
		if (d->items[i].file)
			d->items[i].file = arena_strdup(c->arena, d->items[i].file);
	arena_clear(scratch);
	return rendered;
}

void spec_render_note(struct diags *d, const struct mark *spec)
{
	diag_at(d, SEV_ERROR, spec, "render-templates", "see the template error reported above for another spec",
		"the templates fail on this spec too");
}
