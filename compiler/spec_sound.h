/* spec_sound.h - the part of a spec that its schema errors leave sound.
 *
 * A spec with schema errors gets its semantic checks too, where their
 * inputs are sound (spec.c): each schema error lies in a section of the
 * spec, a top-level key or, below a mapping one, its key ("users",
 * "kafka.config"); the spec without those sections, if the schema then
 * accepts it (a required section cannot go, an alias may carry an error
 * elsewhere), is what the model is built from, and only the groups of
 * checks that read none of the sections run (spec_check_sound).  Anything
 * else (an error that no section holds, one in another file, merge keys at
 * the top, marks out of document order) gives NULL: no semantic checks, as
 * before. */
#ifndef ASBGEN_SPEC_SOUND_H
#define ASBGEN_SPEC_SOUND_H

#include <stddef.h>

#include "value.h"

struct arena;
struct diags;
struct schema;

/* The spec without the sections holding the errors d->items[from..], or
 * NULL.  *unsound (in a) gets the section names, *n their count. */
struct value *spec_sound_part(struct arena *a, const struct schema *s, const struct value *spec,
			      const struct diags *d, size_t from, const char ***unsound, size_t *n);

#endif
