/* outdir.c - directory-relative file operations that never follow a link. */
#include "outdir.h"
#include "arena.h"
#include "diag.h"
#include "load.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Cached descriptors at most: a hand-edited record may name thousands of
 * directories, and each one open would run out of descriptors. */
#define OD_MAX_SUBS 128

#define LINK_HINT "replace the link with a real file or directory, or remove it; asbgen never follows links here"

void outdir_report_link(struct outdir *o, const char *rel, size_t len)
{
	diag_pos(o->d, SEV_ERROR, len ? arena_printf(o->a, "%s/%.*s", o->path, (int)len, rel) : o->path, 0, 0,
		 "out-symlink", LINK_HINT, "is a symbolic link; asbgen does not follow links in %s", o->path);
}

static void remember(struct arena *a, const char ***v, size_t *n, size_t *cap, const char *s)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		*v = arena_realloc(a, *v, *cap * sizeof **v, nc * sizeof **v);
		*cap = nc;
	}
	(*v)[(*n)++] = s;
}

/* mkdir -p of the path above the output directory: the user's -o DIR,
 * where links are the user's own and followed. */
static int make_above(struct outdir *o, const char *dir)
{
	size_t cap = 0;
	char *p = arena_strdup(o->a, dir);
	for (char *s = p + 1;; s++) {
		if (*s && *s != '/')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, 0755) == 0) {
			(void)chmod(p, 0755); /* whatever the umask */
			remember(o->a, &o->above, &o->nabove, &cap, arena_strdup(o->a, p));
		} else if (errno != EEXIST) {
			return -1;
		}
		*s = c;
		if (!c)
			return 0;
	}
}

/* openat(dirfd, name) as a directory, not following a link.  Returns the
 * descriptor or OD_*; a link is reported as rel[0..len). */
static int open_sub(struct outdir *o, int dirfd, const char *name, const char *rel, size_t len, bool create,
		    bool *made)
{
	*made = false;
	for (int tries = 0; tries < 2; tries++) {
		int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0) {
			if (*made)
				(void)fchmod(fd, 0755); /* whatever the umask */
			return fd;
		}
		if (errno == ELOOP || errno == ENOTDIR) {
			struct stat st;
			if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
				outdir_report_link(o, rel, len);
				return OD_REPORTED;
			}
			errno = ENOTDIR;
			return OD_MISSING;
		}
		if (errno != ENOENT)
			return OD_ERRNO;
		if (!create)
			return OD_MISSING;
		if (mkdirat(dirfd, name, 0755) == 0)
			*made = true;
		else if (errno != EEXIST)
			return OD_ERRNO;
	}
	return OD_ERRNO;
}

int outdir_open(struct outdir *o, struct arena *a, struct diags *d, const char *path, bool create, bool follow)
{
	memset(o, 0, sizeof *o);
	o->a = a;
	o->d = d;
	o->path = path;
	o->fd = o->pfd = -1;
	if (follow && !create) {
		o->fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (o->fd >= 0)
			return 0;
		if (errno == ENOENT || errno == ENOTDIR)
			return 1;
		diag_pos(d, SEV_ERROR, path, 0, 0, "io", NULL, "cannot open directory: %s", strerror(errno));
		return -1;
	}
	const char *slash = strrchr(path, '/');
	const char *parent = !slash ? "." : slash == path ? "/" : arena_strndup(a, path, (size_t)(slash - path));
	o->name = slash ? slash + 1 : path;
	if (!*o->name) {
		diag_pos(d, SEV_ERROR, path, 0, 0, "io", "name a directory", "not a directory name");
		return -1;
	}
	o->pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (o->pfd < 0 && create && errno == ENOENT && make_above(o, parent) == 0)
		o->pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (o->pfd < 0) {
		if (!create && (errno == ENOENT || errno == ENOTDIR))
			return 1;
		diag_pos(d, SEV_ERROR, parent, 0, 0, "io", "check the path and its permissions",
			 "cannot open directory: %s", strerror(errno));
		outdir_unmake(o);
		return -1;
	}
	int fd = open_sub(o, o->pfd, o->name, "", 0, create, &o->made_self);
	if (fd >= 0) {
		o->fd = fd;
		return 0;
	}
	if (fd == OD_MISSING && !create && errno == ENOENT)
		return 1;
	if (fd != OD_REPORTED)
		diag_pos(d, SEV_ERROR, path, 0, 0, "io", "check the path and its permissions",
			 "cannot open directory: %s", strerror(errno));
	outdir_unmake(o);
	return -1;
}

static void drop_subs(struct outdir *o)
{
	for (size_t i = 0; i < o->nsubs; i++)
		close(o->subs[i].fd);
	o->nsubs = o->last = 0;
}

void outdir_close(struct outdir *o)
{
	drop_subs(o);
	if (o->fd >= 0)
		close(o->fd);
	if (o->pfd >= 0)
		close(o->pfd);
	o->fd = o->pfd = -1;
}

static int cached(struct outdir *o, const char *rel, size_t len)
{
	if (o->last < o->nsubs && o->subs[o->last].len == len && !memcmp(o->subs[o->last].rel, rel, len))
		return o->subs[o->last].fd;
	for (size_t i = 0; i < o->nsubs; i++)
		if (o->subs[i].len == len && !memcmp(o->subs[i].rel, rel, len)) {
			o->last = i;
			return o->subs[i].fd;
		}
	return -1;
}

int outdir_dir(struct outdir *o, const char *rel, size_t len, bool create)
{
	if (o->fd < 0) {
		errno = ENOENT;
		return OD_MISSING;
	}
	if (len == 0)
		return o->fd;
	int fd = cached(o, rel, len);
	if (fd >= 0)
		return fd;
	/* The parent first (cached as well), then this component. */
	size_t plen = len;
	while (plen > 0 && rel[plen - 1] != '/')
		plen--;
	const char *name = arena_strndup(o->a, rel + plen, len - plen);
	if (plen)
		plen--; /* the slash */
	int pfd = outdir_dir(o, rel, plen, create);
	if (pfd < 0)
		return pfd;
	bool made;
	fd = open_sub(o, pfd, name, rel, len, create, &made);
	if (fd < 0)
		return fd;
	if (made)
		remember(o->a, &o->made, &o->nmade, &o->made_cap, arena_strndup(o->a, rel, len));
	if (o->nsubs == OD_MAX_SUBS)
		drop_subs(o); /* pfd is used already */
	if (o->nsubs == o->subs_cap) {
		size_t nc = o->subs_cap ? o->subs_cap * 2 : 8;
		o->subs = arena_realloc(o->a, o->subs, o->subs_cap * sizeof *o->subs, nc * sizeof *o->subs);
		o->subs_cap = nc;
	}
	o->subs[o->nsubs] = (struct od_sub){ arena_strndup(o->a, rel, len), len, fd };
	o->last = o->nsubs++;
	return fd;
}

int outdir_parent(struct outdir *o, const char *rel, bool create, const char **base)
{
	const char *slash = strrchr(rel, '/');
	*base = slash ? slash + 1 : rel;
	return outdir_dir(o, rel, slash ? (size_t)(slash - rel) : 0, create);
}

bool outdir_made_here(const struct outdir *o, const char *rel, size_t len)
{
	if (len == 0)
		return o->made_self;
	for (size_t i = o->nmade; i-- > 0;) /* a few directories: the last made first */
		if (!strncmp(o->made[i], rel, len) && !o->made[i][len])
			return true;
	return false;
}

int outdir_open_file(struct outdir *o, const char *rel)
{
	const char *base;
	int pfd = outdir_parent(o, rel, false, &base);
	if (pfd < 0)
		return pfd;
	int fd = openat(pfd, base, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	if (errno == ELOOP) {
		outdir_report_link(o, rel, strlen(rel));
		return OD_REPORTED;
	}
	return errno == ENOENT || errno == ENOTDIR ? OD_MISSING : OD_ERRNO;
}

char *outdir_read(struct outdir *o, const char *rel, const char *label, size_t *len, bool *missing)
{
	*missing = false;
	int fd = outdir_open_file(o, rel);
	if (fd == OD_MISSING && errno == ENOENT) {
		*missing = true;
		return NULL;
	}
	if (fd < 0) {
		if (fd != OD_REPORTED)
			diag_pos(o->d, SEV_ERROR, label, 0, 0, "io", "check the path and its permissions",
				 "cannot open: %s", strerror(errno));
		return NULL;
	}
	struct stat st;
	char *text = NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		diag_pos(o->d, SEV_ERROR, label, 0, 0, "io", "give the path of a regular file", "not a regular file");
	} else if ((unsigned long long)st.st_size > LOAD_MAX_FILE) {
		diag_pos(o->d, SEV_ERROR, label, 0, 0, "io", NULL, "file is %lld bytes; the limit is %u",
			 (long long)st.st_size, LOAD_MAX_FILE);
	} else {
		size_t n = (size_t)st.st_size, got = 0;
		text = arena_alloc(o->a, n + 1);
		ssize_t r = 0;
		while (got < n && ((r = read(fd, text + got, n - got)) > 0 || (r < 0 && errno == EINTR)))
			if (r > 0)
				got += (size_t)r;
		if (got != n) {
			diag_pos(o->d, SEV_ERROR, label, 0, 0, "io", NULL, "read error: %s",
				 r < 0 ? strerror(errno) : "the file shrank while it was read");
			text = NULL;
		} else {
			text[n] = '\0';
			diags_add_source(o->d, label, text, n);
			*len = n;
		}
	}
	close(fd);
	return text;
}

void outdir_forget(struct outdir *o, const char *rel, size_t len)
{
	size_t k = 0;
	for (size_t i = 0; i < o->nsubs; i++) {
		const struct od_sub *s = &o->subs[i];
		if (s->len >= len && !memcmp(s->rel, rel, len) && (s->len == len || s->rel[len] == '/'))
			close(s->fd);
		else
			o->subs[k++] = *s;
	}
	o->nsubs = k;
	o->last = 0;
}

void outdir_unmake(struct outdir *o)
{
	for (size_t i = o->nmade; i-- > 0;) {
		const char *base;
		int pfd = outdir_parent(o, o->made[i], false, &base);
		outdir_forget(o, o->made[i], strlen(o->made[i]));
		if (pfd >= 0)
			(void)unlinkat(pfd, base, AT_REMOVEDIR);
	}
	o->nmade = 0;
	if (o->made_self && o->pfd >= 0) {
		drop_subs(o);
		if (o->fd >= 0)
			close(o->fd);
		o->fd = -1;
		(void)unlinkat(o->pfd, o->name, AT_REMOVEDIR);
		o->made_self = false;
	}
	for (size_t i = o->nabove; i-- > 0;)
		(void)rmdir(o->above[i]);
	o->nabove = 0;
}
