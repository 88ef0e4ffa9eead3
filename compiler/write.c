/* write.c - atomic writes, the record of written files, pruning. */
#define _GNU_SOURCE /* syncfs (Linux) */
#include "write.h"
#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "template.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Read a file if it exists; NULL otherwise. */
static char *read_all(struct arena *a, const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	struct buf b = BUF_INIT;
	char tmp[65536];
	size_t n;
	while ((n = fread(tmp, 1, sizeof tmp, fp)) > 0)
		buf_add(&b, tmp, n);
	bool err = ferror(fp);
	fclose(fp);
	if (err) {
		buf_free(&b);
		return NULL;
	}
	char *s = arena_strndup(a, b.data ? b.data : "", b.len);
	*len = b.len;
	buf_free(&b);
	return s;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The record: one path per line after '#' comment lines. */
static const char **read_record(struct arena *a, const char *dir, size_t *n)
{
	size_t len;
	char *text = read_all(a, arena_printf(a, "%s/%s", dir, RECORD_NAME), &len);
	*n = 0;
	if (!text)
		return NULL;
	size_t cap = 16;
	const char **paths = arena_alloc(a, cap * sizeof *paths);
	for (char *line = text; *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		/* Only safe relative paths (the rule outputs follow), and never the
		 * record itself: a hand-edited record must not make us delete
		 * anything outside the directory, nor the record. */
		if (*line && *line != '#' && tmpl_path_ok(line, strlen(line)) && strcmp(line, RECORD_NAME) != 0) {
			if (*n == cap) {
				paths = arena_realloc(a, paths, cap * sizeof *paths, cap * 2 * sizeof *paths);
				cap *= 2;
			}
			paths[(*n)++] = line;
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	return paths;
}

/* The produced paths, sorted, for bsearch: the record of a 10,000-user
 * render has 10,000 entries to look up (a linear scan each was most of
 * the time of a render that changed nothing). */
static const char **sorted_paths(struct arena *a, const struct out_set *s)
{
	const char **paths = arena_alloc(a, (s->n + 1) * sizeof *paths);
	for (size_t i = 0; i < s->n; i++)
		paths[i] = s->files[i].path;
	qsort(paths, s->n, sizeof *paths, str_cmp);
	return paths;
}

static bool produced(const char **sorted, size_t n, const char *path)
{
	return bsearch(&path, sorted, n, sizeof *sorted, str_cmp) != NULL;
}

static char *record_text(struct arena *a, const struct out_set *s, const char **paths, size_t *len)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "# Files written by asbgen render from %s.\n"
		       "# A later render removes the listed files it no longer produces,\n"
		       "# and never touches anything else in this directory.\n", s->spec);
	for (size_t i = 0; i < s->n; i++)
		buf_printf(&b, "%s\n", paths[i]);
	char *t = arena_strndup(a, b.data, b.len);
	*len = b.len;
	buf_free(&b);
	return t;
}

/* Compare a file on disk with f: the size first, then the bytes, read
 * into a reused buffer (*scratch) rather than kept. */
static enum file_state state_of(struct arena *a, const char *dir, const struct out_file *f,
				struct buf *scratch)
{
	/* O_NONBLOCK: a FIFO put where a file goes must not hang the render. */
	int fd = open(arena_printf(a, "%s/%s", dir, f->path), O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return FILE_NEW;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return FILE_NEW; /* as an unreadable file always was */
	}
	enum file_state r = FILE_CHANGED;
	if ((size_t)st.st_size == f->len) {
		buf_reset(scratch);
		buf_grow(scratch, f->len + 1); /* one more: a file that grew shows */
		size_t got = 0;
		ssize_t n;
		while (got <= f->len &&
		       ((n = read(fd, scratch->data + got, f->len + 1 - got)) > 0 ||
			(n < 0 && errno == EINTR)))
			if (n > 0)
				got += (size_t)n;
		if (got == f->len && memcmp(scratch->data, f->data, f->len) == 0)
			r = FILE_SAME;
	}
	close(fd);
	return r;
}

size_t out_compare(struct arena *a, const struct out_set *s, change_fn fn, void *ctx)
{
	size_t diffs = 0;
	struct buf scratch = BUF_INIT;
	const char **sorted = sorted_paths(a, s);
	for (size_t i = 0; i < s->n; i++) {
		enum file_state st = state_of(a, s->dir, &s->files[i], &scratch);
		if (st != FILE_SAME) {
			diffs++;
			if (fn)
				fn(ctx, s->dir, s->files[i].path, st);
		}
	}
	size_t nrec;
	const char **rec = read_record(a, s->dir, &nrec);
	for (size_t i = 0; i < nrec; i++) {
		if (produced(sorted, s->n, rec[i]))
			continue;
		/* As out_commit removes it: a directory there is left alone. */
		struct stat st;
		if (lstat(arena_printf(a, "%s/%s", s->dir, rec[i]), &st) == 0 && !S_ISDIR(st.st_mode)) {
			diffs++;
			if (fn)
				fn(ctx, s->dir, rec[i], FILE_STALE);
		}
	}
	/* The record itself is part of the output. */
	struct out_file r = { RECORD_NAME, NULL, 0 };
	r.data = record_text(a, s, sorted, &r.len);
	enum file_state rst = state_of(a, s->dir, &r, &scratch);
	if (rst != FILE_SAME) {
		diffs++;
		if (fn)
			fn(ctx, s->dir, RECORD_NAME, rst);
	}
	buf_free(&scratch);
	return diffs;
}

/* Flush the temporaries to disk before any rename, so that no rename can
 * put an unwritten file in place after a crash.  One syncfs for the file
 * system that holds dir, not an fsync per file (10,000 of those take
 * seconds) nor sync() (which also waits for every other file system). */
static void sync_dir_fs(const char *dir)
{
#ifdef __linux__
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0 || syncfs(fd) != 0)
		sync(); /* (not expected once the files are written) */
	if (fd >= 0)
		close(fd);
#else
	(void)dir;
	sync();
#endif
}

static int write_tmp(const char *tmp, const char *data, size_t len)
{
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (fd < 0)
		return -1;
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		off += (size_t)w;
	}
	if (close(fd) != 0)
		return -1;
	return 0;
}

struct out_pending {
	const struct out_set *s;
	const char **rec;          /* the old record */
	size_t nrec;
	struct out_file *all;      /* s's files, then the new record */
	size_t n;
	const char **tmps;         /* temporary of each changed file, else NULL */
	enum file_state *states;
	size_t tmps_written;
	const char **made;         /* directories made for the temporaries */
	size_t nmade, made_cap;
	const char *last_dir;      /* the last file's directory, known to exist */
	const char **sorted;       /* s's paths, sorted (see produced) */
};

/* mkdir -p for the directories of path; each one made is remembered, so
 * that out_abort can remove it again. */
static int make_parents(struct arena *a, struct out_pending *pd, const char *path)
{
	/* Files come grouped by directory (10,000 KafkaUsers in kubernetes/):
	 * most need no mkdir at all. */
	const char *slash = strrchr(path, '/');
	size_t dlen = slash ? (size_t)(slash - path) : 0;
	if (pd->last_dir && strlen(pd->last_dir) == dlen && memcmp(pd->last_dir, path, dlen) == 0)
		return 0;
	char *p = arena_strdup(a, path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) == 0) {
			if (pd->nmade == pd->made_cap) {
				size_t cap = pd->made_cap ? pd->made_cap * 2 : 8;
				pd->made = arena_realloc(a, pd->made, pd->made_cap * sizeof *pd->made,
							 cap * sizeof *pd->made);
				pd->made_cap = cap;
			}
			pd->made[pd->nmade++] = arena_strdup(a, p);
		} else if (errno != EEXIST) {
			return -1;
		}
		*s = '/';
	}
	pd->last_dir = arena_strndup(a, path, dlen);
	return 0;
}

void out_abort(struct out_pending *p)
{
	for (size_t i = 0; p && i < p->n; i++)
		if (p->tmps[i])
			unlink(p->tmps[i]);
	/* Deepest first: a directory made here is empty again. */
	for (size_t i = p ? p->nmade : 0; i-- > 0;)
		rmdir(p->made[i]);
}

struct out_pending *out_prepare(struct arena *a, struct diags *d, const struct out_set *s)
{
	struct out_pending *p = arena_alloc(a, sizeof *p);
	p->s = s;
	/* The old record, before the new one replaces it. */
	p->rec = read_record(a, s->dir, &p->nrec);

	size_t n = p->n = s->n + 1;
	struct out_file *all = p->all = arena_alloc(a, n * sizeof *all);
	memcpy(all, s->files, s->n * sizeof *all);
	const char **sorted = sorted_paths(a, s);
	all[s->n].path = RECORD_NAME;
	all[s->n].data = record_text(a, s, sorted, &all[s->n].len);
	p->sorted = sorted;
	struct buf scratch = BUF_INIT;

	/* Every changed file to a temporary beside its destination. */
	p->tmps = arena_alloc(a, n * sizeof *p->tmps);
	p->states = arena_alloc(a, n * sizeof *p->states);
	long pid = (long)getpid();
	for (size_t i = 0; i < n; i++) {
		p->states[i] = state_of(a, s->dir, &all[i], &scratch);
		if (p->states[i] == FILE_SAME)
			continue;
		const char *dst = arena_printf(a, "%s/%s", s->dir, all[i].path);
		/* rename() cannot replace a directory: find out now, while
		 * nothing has changed, not halfway through the renames. */
		struct stat st;
		if (lstat(dst, &st) == 0 && S_ISDIR(st.st_mode)) {
			diag_pos(d, SEV_ERROR, dst, 0, 0, "io", "move the directory away; asbgen writes a file there",
				 "cannot write: it is a directory; nothing was changed");
			goto fail;
		}
		const char *slash = strrchr(dst, '/');
		p->tmps[i] = arena_printf(a, "%.*s/.%s.asbgen-tmp.%ld", (int)(slash - dst), dst, slash + 1,
					  pid);
		p->tmps_written++;
		if (make_parents(a, p, dst) != 0 || write_tmp(p->tmps[i], all[i].data, all[i].len) != 0) {
			diag_pos(d, SEV_ERROR, dst, 0, 0, "io", "check free space and permissions",
				 "cannot write: %s; nothing was changed", strerror(errno));
			goto fail;
		}
	}
	buf_free(&scratch);
	return p;
fail:
	buf_free(&scratch);
	out_abort(p);
	return NULL;
}

int out_commit(struct arena *a, struct diags *d, struct out_pending *p, change_fn fn, void *ctx)
{
	const struct out_set *s = p->s;
	int failed = 0;
	if (p->tmps_written)
		sync_dir_fs(s->dir);
	/* Rename into place (atomic per file). */
	for (size_t i = 0; i < p->n; i++) {
		if (!p->tmps[i])
			continue;
		const char *dst = arena_printf(a, "%s/%s", s->dir, p->all[i].path);
		if (rename(p->tmps[i], dst) != 0) {
			diag_pos(d, SEV_ERROR, dst, 0, 0, "io", NULL, "cannot rename into place: %s",
				 strerror(errno));
			unlink(p->tmps[i]);
			failed = 1;
			continue;
		}
		if (fn && i < s->n)
			fn(ctx, s->dir, p->all[i].path, p->states[i]);
	}
	/* Remove what an earlier render wrote and this one did not. */
	for (size_t i = 0; !failed && i < p->nrec; i++) {
		const char *r = p->rec[i];
		if (produced(p->sorted, s->n, r))
			continue;
		char *f = arena_printf(a, "%s/%s", s->dir, r);
		/* A recorded file replaced by a directory is no longer ours. */
		struct stat st;
		if (lstat(f, &st) == 0 && S_ISDIR(st.st_mode))
			continue;
		if (unlink(f) == 0) {
			if (fn)
				fn(ctx, s->dir, r, FILE_STALE);
			/* Drop directories the removal left empty (rmdir refuses
			 * non-empty ones), up to the environment's directory. */
			for (char *slash; (slash = strrchr(f, '/')) && slash > f + strlen(s->dir);) {
				*slash = '\0';
				if (rmdir(f) != 0)
					break;
			}
		} else if (errno != ENOENT) {
			diag_pos(d, SEV_ERROR, f, 0, 0, "io", NULL, "cannot remove stale file: %s",
				 strerror(errno));
			failed = 1;
		}
	}
	return failed ? -1 : 0;
}
