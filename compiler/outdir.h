/* outdir.h - files under an output directory, never through a symbolic link.
 *
 * out/<environment>/ may hold what a pull request or another local user
 * put there, symbolic links included (git carries them).  Every operation
 * below it is relative to a descriptor of the directory opened once with
 * O_DIRECTORY|O_NOFOLLOW, and each path component is opened with
 * O_NOFOLLOW: a link anywhere on the way is reported (id "out-symlink",
 * naming it), never followed.  Subdirectory descriptors are cached, as
 * files come grouped by directory (10,000 KafkaUsers in kubernetes/).
 */
#ifndef ASBGEN_OUTDIR_H
#define ASBGEN_OUTDIR_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct diags;

/* Returns of outdir_parent and outdir_open_file besides a descriptor. */
#define OD_REPORTED (-1) /* a symbolic link on the way, reported */
#define OD_MISSING (-2)  /* not there: errno ENOENT, or ENOTDIR (a file where a directory goes) */
#define OD_ERRNO (-3)    /* another error, in errno; not reported */

struct od_sub {
	const char *rel; /* relative directory, "" for the directory itself */
	size_t len;
	int fd;
};

struct outdir {
	struct arena *a;
	struct diags *d;
	const char *path;     /* as named in messages: out/minimal */
	int fd;               /* the directory; -1 when it does not exist */
	int pfd;              /* its parent (where it was made), or -1 */
	const char *name;     /* its name in the parent */
	bool made_self;       /* outdir_open made it */
	const char **above;   /* directories of the path above it made by outdir_open */
	size_t nabove;
	const char **made;    /* subdirectories made, relative, in order */
	size_t nmade, made_cap;
	struct od_sub *subs;  /* open subdirectories */
	size_t nsubs, subs_cap, last;
};

/* Open path (a directory).  create: make it and its parents (0755) when
 * missing.  follow: the last component may be a symbolic link (a folder
 * the user named); otherwise a link there is reported.  Returns 0; 1 when
 * it does not exist (only without create; o->fd is -1 and every file is
 * missing); -1 after reporting. */
int outdir_open(struct outdir *o, struct arena *a, struct diags *d, const char *path, bool create,
		bool follow);
void outdir_close(struct outdir *o);

/* Descriptor of the directory that holds rel (a safe relative path), and
 * *base its last component.  create: make missing directories (0755,
 * whatever the umask), remembered for outdir_unmake.  The descriptor stays
 * owned by o: use it before the next call.  Returns it, or OD_*. */
int outdir_parent(struct outdir *o, const char *rel, bool create, const char **base);
/* Descriptor of directory rel ("" for the directory itself), or OD_*. */
int outdir_dir(struct outdir *o, const char *rel, size_t len, bool create);

/* Was directory rel[0..len) ("" for the directory itself) made by this
 * outdir (outdir_open or outdir_parent with create)?  Then it holds only
 * what this process put there. */
bool outdir_made_here(const struct outdir *o, const char *rel, size_t len);

/* Open file rel for reading (O_NONBLOCK: a FIFO must not hang); a link
 * there is reported.  Returns a descriptor the caller closes, or OD_*. */
int outdir_open_file(struct outdir *o, const char *rel);

/* Read file rel whole, as load_file_text does (a regular file, at most
 * LOAD_MAX_FILE bytes; label names it in messages and in d's sources).
 * NULL with *missing set when it does not exist; NULL after reporting
 * otherwise. */
char *outdir_read(struct outdir *o, const char *rel, const char *label, size_t *len, bool *missing);

/* Report that rel (a file or a directory on the way to one) is a link. */
void outdir_report_link(struct outdir *o, const char *rel, size_t len);

/* Directory rel was removed: close and drop its descriptor, and those of
 * the directories below it. */
void outdir_forget(struct outdir *o, const char *rel, size_t len);

/* Remove the directories outdir_open and outdir_parent made (deepest
 * first; only empty ones go). */
void outdir_unmake(struct outdir *o);

#endif
