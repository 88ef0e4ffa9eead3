/* render_cache.h - a render that would change nothing is not done again.
 *
 * After `asbgen render` writes an environment, it keeps a note outside
 * out/ (in the user's cache directory: never in the committed tree, whose
 * bytes must not depend on the machine): a digest of everything the render
 * read (the binary's build ID, the options, the spec, every file of the
 * template set and of the schemas, the files it merged into), and the
 * identity of every file it left in out/<environment>/ (device, inode,
 * size, modification and change times) with its diagnostics.  The next
 * render of the same spec into the same folder with the same digest, whose
 * files all still have those identities, has nothing to do: it reports the
 * same diagnostics and writes nothing.  Anything else renders as always.
 *
 * A file changed in the same clock tick as the render wrote it keeps its
 * times: files that new when the note is taken are marked racy, and a
 * later check reads them and compares their bytes (git's "racy clean").
 * The note goes before anything in out/ changes, so a render killed half
 * way leaves none.
 */
#ifndef ASBGEN_RENDER_CACHE_H
#define ASBGEN_RENDER_CACHE_H

#include <stdbool.h>
#include <stddef.h>

struct ctx;
struct out_set;

/* What the render of one spec reads besides its files. */
struct rcache_opts {
	const char *outdir; /* -o */
	const char *tdir;   /* the template set */
	unsigned only;      /* render --only: not cached (0 here) */
};

struct rcache;

/* The note for spec, or NULL when no note can apply (the spec is standard
 * input, there is no cache directory, the binary has no build ID, an
 * input cannot be read: the render then reports that itself). */
struct rcache *rcache_open(struct ctx *c, const char *spec, const struct rcache_opts *o);

/* Does out/ hold this render already?  Then *dir is its folder and, with
 * replay, the render's diagnostics were added to c->diags (`diff` has
 * them from its own model_load: a render that wrote has no others).  A
 * note with racy files that all checked out is taken again, without them. */
bool rcache_hit(struct ctx *c, struct rcache *rc, const char **dir, bool replay);

/* The spec's folder is about to be written: drop its note. */
void rcache_forget(struct rcache *rc);

/* s was written (out_commit returned 0); the render made diagnostics
 * c->diags.items[from..to): take its note. */
void rcache_store(struct ctx *c, struct rcache *rc, const struct out_set *s, size_t from, size_t to);

#endif
