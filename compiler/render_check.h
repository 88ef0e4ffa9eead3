/* render_check.h - what makes `asbgen validate` a promise that `render`
 * succeeds: the spec's model, templates and emitters run in memory. */
#ifndef ASBGEN_RENDER_CHECK_H
#define ASBGEN_RENDER_CHECK_H

struct arena;
struct diags;
struct mark;
struct ctx;
struct tmpl_cache;
struct value;

/* Render a valid spec's model (from model_load) fully in memory and throw the
 * result away; problems are reported to c->diags.  tdir: the template
 * directory; tc (not NULL): templates compiled once for all the specs
 * (free it after reporting: diagnostics may point into it, and d's
 * sources of the templates live in it); scratch: an arena for the work,
 * cleared before returning, which the caller keeps for the next spec (a
 * fresh arena per spec maps and unmaps its chunks each time).  Returns 0,
 * or -1 when the templates failed: then, if nothing this spec reported
 * says why (a cached template reports a failure once, keyed in diag.h's
 * `once`), the caller adds spec_render_note. */
int spec_render_check(struct ctx *c, const struct value *model, const char *tdir, struct tmpl_cache *tc,
		      struct arena *scratch);
/* That a spec fails in the templates, reported above for another spec. */
void spec_render_note(struct diags *d, const struct mark *spec);

#endif
