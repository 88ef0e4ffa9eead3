/* write.h - putting rendered files on disk, all or nothing.
 *
 * A render first produces every file in memory.  Writing then puts each
 * changed file next to its destination as a temporary file; only when all
 * of them are written does it rename them into place, so an error (a full
 * disk, a permission) leaves the old tree as it was.  A record of the files
 * asbgen wrote (RECORD_NAME) lets the next render remove the files it no
 * longer produces, and never anything else.  No symbolic link in the
 * directory is followed (outdir.h); a render killed at any point leaves a
 * state the next one repairs (see write.c).
 */
#ifndef ASBGEN_WRITE_H
#define ASBGEN_WRITE_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct diags;

#define RECORD_NAME ".asbgen-files"

struct out_file {
	const char *path;   /* relative to the environment's directory */
	const char *data;
	size_t len;
};

struct out_set {
	const char *dir;    /* out/<environment> */
	const char *spec;   /* the spec's name, for the record's header */
	struct out_file *files;
	size_t n;
	/* 0, or a partial render (render --only): files holds the selected
	 * kinds' files only, and the recorded files of other kinds stay on
	 * disk and in the record, untouched (kinds.h). */
	unsigned only;
	/* Files the render read besides the spec and the template set (the
	 * file a .tfvars output is merged into): the render cache's inputs. */
	const char **reads;
	size_t nreads;
};

enum file_state { FILE_SAME, FILE_CHANGED, FILE_NEW, FILE_STALE };

/* Callback for each file that is not FILE_SAME (path relative to dir). */
typedef void (*change_fn)(void *ctx, const char *dir, const char *path, enum file_state st);

/* Compare with the disk: *ndiffs is the number of files that differ, are
 * missing or are stale (recorded but no longer produced, or temporaries a
 * killed render left).  Returns 0, or -1 after reporting (a symbolic link
 * in the directory: see outdir.h). */
int out_compare(struct arena *a, struct diags *d, const struct out_set *s, change_fn fn, void *ctx,
		size_t *ndiffs);

/* Writing changed files, updating the record and removing stale recorded
 * files takes two steps, so that several environments are written all or
 * nothing (errors have id "io"): out_prepare writes every changed file of s to a temporary
 * beside its destination and checks that it can be renamed there (nothing
 * is changed yet; NULL after reporting, temporaries removed); out_commit
 * renames them into place and removes stale files (0, or -1 after
 * reporting); out_abort removes the temporaries of a prepared set that is
 * not to be committed.  A prepared set holds its directory open and
 * locked until it is committed or aborted. */
struct out_pending;
struct out_pending *out_prepare(struct arena *a, struct diags *d, const struct out_set *s);
int out_commit(struct arena *a, struct diags *d, struct out_pending *p, change_fn fn, void *ctx);
void out_abort(struct out_pending *p);

/* asbgen teardown: remove every file the record of s->dir lists (as a
 * render that produces nothing would prune them, crash-safe in the same
 * way), then the record, then the directory when that left it empty.
 * Nothing else is touched.  Returns 0; 1 when the directory or its record
 * is not there (nothing done, nothing reported); -1 after reporting. */
int out_teardown(struct arena *a, struct diags *d, const char *dir, const char *spec, change_fn fn, void *ctx,
		 bool *dir_kept);

#endif
