/* render.h - one spec rendered fully in memory: model, templates, emitters.
 * Shared by `asbgen render` (which writes the files) and `asbgen diff`
 * (which compares them). */
#ifndef ASBGEN_RENDER_H
#define ASBGEN_RENDER_H

#include "value.h"

struct ctx;
struct out_set;

/* Render a loaded and checked spec into set: set->dir is outdir/<env>,
 * each file's text exactly as `asbgen render` writes it.  spec_name is the
 * name recorded in the files' headers.  Returns 0, or -1 after reporting. */
int render_spec(struct ctx *c, const struct value *spec, const char *spec_name, const char *tdir,
		const char *outdir, struct out_set *set);

#endif
