/* write.c - atomic writes, the record of written files, pruning, and the
 * repair of what a killed render left.
 *
 * Every file operation under out/<environment>/ goes through outdir.c, so
 * no symbolic link there is followed.  A commit runs in an order that
 * leaves, whenever it is killed, a state the next render repairs:
 *   1. (prepare) every changed file goes to a temporary beside it, with an
 *      unpredictable name made with O_EXCL; one syncfs;
 *   2. when there is something to prune and new files, a record listing
 *      the old files and the new ones (what is in flight) goes first;
 *      with nothing to prune, the new record itself goes first;
 *   3. the temporaries are renamed into place;
 *   4. the recorded files this render no longer produces are removed;
 *   5. temporaries of killed renders (TMP_MARK) are removed;
 *   6. the new record.
 * So the record on disk always lists every file a render may have put
 * there, and leftover temporaries are found by their name wherever they
 * are.  A fresh folder (nothing there yet) is made whole under a stand-in
 * name beside it (".<name>" TMP_MARK "<hex>"), its files under their own
 * names, flushed, then renamed into place at once: no temporary or rename
 * per file, and a render killed on the way leaves no folder, only the
 * stand-in, which the next render of that folder removes.
 */
#define _GNU_SOURCE /* syncfs (Linux) */
#include "write.h"
#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "kinds.h"
#include "outdir.h"
#include "template.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Temporaries are ".<name>" TMP_MARK "<hex>" (older versions: the pid). */
#define TMP_MARK ".asbgen-tmp."
/* Depth of the search for stale temporaries (a tree deeper is not ours). */
#define TMP_SCAN_DEPTH 64

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The record: one path per line after '#' comment lines.  *bad after
 * reporting (a link, an unreadable record). */
static const char **read_record(struct arena *a, struct outdir *od, size_t *n, bool *bad)
{
	size_t len = 0;
	bool missing;
	char *text = outdir_read(od, RECORD_NAME, arena_printf(a, "%s/%s", od->path, RECORD_NAME), &len, &missing);
	*n = 0;
	*bad = !text && !missing;
	if (!text)
		return NULL;
	text = arena_strndup(a, text, len); /* d's source keeps the original */
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
	return n && bsearch(&path, sorted, n, sizeof *sorted, str_cmp) != NULL;
}

/* What the new record lists, sorted, without repeats: the produced files
 * (sorted, n of them) and, for a render of some kinds only (s->only), the
 * recorded files of the other kinds, which stay asbgen's. */
static const char **record_paths(struct arena *a, const struct out_set *s, const char **sorted,
				 const char **rec, size_t nrec, size_t *n)
{
	*n = s->n;
	if (!s->only)
		return sorted;
	const char **v = arena_alloc(a, (s->n + nrec + 1) * sizeof *v);
	if (s->n)
		memcpy(v, sorted, s->n * sizeof *v);
	size_t k = s->n;
	for (size_t i = 0; i < nrec; i++)
		if (!kinds_match(s->only, rec[i]))
			v[k++] = rec[i];
	qsort(v, k, sizeof *v, str_cmp);
	size_t m = 0;
	for (size_t i = 0; i < k; i++)
		if (!m || strcmp(v[m - 1], v[i]))
			v[m++] = v[i];
	*n = m;
	return v;
}

static char *record_text(struct arena *a, const char *spec, const char **paths, size_t n, bool in_flight,
			 size_t *len)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "# Files written by asbgen render from %s.\n"
		       "# A later render removes the listed files it no longer produces,\n"
		       "# and never touches anything else in this directory.\n", spec);
	if (in_flight)
		buf_puts(&b, "# A render is writing these (old and new files); the next render completes it.\n");
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s\n", paths[i]);
	char *t = arena_strndup(a, b.data, b.len);
	*len = b.len;
	buf_free(&b);
	return t;
}

/* Compare a file on disk with f: the size first, then the bytes, read
 * into a reused buffer (*scratch) rather than kept.  Returns a file_state,
 * or -1 after reporting (a link); *is_dir when a directory is there. */
static int state_of(struct outdir *od, const struct out_file *f, struct buf *scratch, bool *is_dir)
{
	*is_dir = false;
	/* In a directory this render made, nothing is there yet: no lookup
	 * (a fresh folder of 10,000 users: 40,000 fewer system calls). */
	const char *slash = strrchr(f->path, '/');
	if (outdir_made_here(od, f->path, slash ? (size_t)(slash - f->path) : 0))
		return FILE_NEW;
	int fd = outdir_open_file(od, f->path);
	if (fd == OD_REPORTED)
		return -1;
	if (fd < 0)
		return FILE_NEW; /* missing, or unreadable as it always was */
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		*is_dir = S_ISDIR(st.st_mode);
		close(fd);
		return FILE_NEW;
	}
	enum file_state r = FILE_CHANGED;
	if ((size_t)st.st_size == f->len) {
		buf_reset(scratch);
		buf_grow(scratch, f->len + 1); /* one more: a file that grew shows */
		size_t got = 0;
		ssize_t n;
		/* One read gives the whole file (its size is f->len), so no
		 * second read to see the end. */
		while (got < f->len &&
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

/* Is a recorded, no longer produced path a file to remove?  1 yes, 0 no
 * (gone, or a directory: no longer ours), -1 after reporting a link. */
static int stale_file(struct outdir *od, const char *rel)
{
	const char *base;
	int pfd = outdir_parent(od, rel, false, &base);
	if (pfd == OD_REPORTED)
		return -1;
	struct stat st;
	if (pfd < 0 || fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) != 0 || S_ISDIR(st.st_mode))
		return 0;
	if (S_ISLNK(st.st_mode)) {
		outdir_report_link(od, rel, strlen(rel));
		return -1;
	}
	return 1;
}

/* Is name one of asbgen's temporaries? */
static bool is_temp_name(const char *name)
{
	if (name[0] != '.')
		return false;
	const char *m = NULL;
	for (const char *p = name; (p = strstr(p, TMP_MARK)) != NULL; p++)
		m = p;
	if (!m || m == name)
		return false;
	const char *h = m + strlen(TMP_MARK);
	size_t n = strspn(h, "0123456789abcdef");
	return n > 0 && n <= 32 && !h[n];
}

/* Stale temporaries below directory rel: each is passed to fn (remove
 * them, or list them).  Links are not followed, directories named like a
 * temporary are left alone; the produced files are not temporaries
 * whatever their names. */
struct temp_scan {
	struct arena *a;
	struct outdir *od;
	const char **sorted;
	size_t n;
	bool remove;
	const char *keep;          /* this render's record temporary, or NULL */
	change_fn fn;
	void *ctx;
	size_t found;
	int failed;
};

static void scan_temps(struct temp_scan *ts, const char *rel, int depth)
{
	int fd = outdir_dir(ts->od, rel, strlen(rel), false);
	if (fd < 0) {
		if (fd == OD_REPORTED)
			ts->failed = 1;
		return;
	}
	int dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dp = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!dp) {
		if (dfd >= 0)
			close(dfd);
		return; /* an unreadable directory of the user's holds none of ours */
	}
	/* Collected, then sorted: what is listed does not depend on the file
	 * system's order. */
	struct pathlist { const char **v; size_t n, cap; } subs = { 0 }, temps = { 0 };
	struct dirent *de;
	while ((de = readdir(dp)) != NULL) {
		const char *name = de->d_name;
		if (name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2])))
			continue;
		unsigned char type = de->d_type;
		if (type == DT_UNKNOWN) {
			struct stat st;
			if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
				continue;
			type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISLNK(st.st_mode) ? DT_LNK : DT_REG;
		}
		struct pathlist *l = type == DT_DIR ? &subs : &temps;
		if (type == DT_DIR ? depth >= TMP_SCAN_DEPTH : !is_temp_name(name))
			continue;
		if (l->n == l->cap) {
			size_t nc = l->cap ? l->cap * 2 : 8;
			l->v = arena_realloc(ts->a, l->v, l->cap * sizeof *l->v, nc * sizeof *l->v);
			l->cap = nc;
		}
		l->v[l->n++] = arena_strdup(ts->a, name);
	}
	if (temps.n > 1)
		qsort(temps.v, temps.n, sizeof *temps.v, str_cmp);
	for (size_t i = 0; i < temps.n; i++) {
		const char *path = *rel ? arena_printf(ts->a, "%s/%s", rel, temps.v[i]) : temps.v[i];
		if (produced(ts->sorted, ts->n, path) || (ts->keep && !strcmp(path, ts->keep)))
			continue;
		if (ts->remove && unlinkat(dfd, temps.v[i], 0) != 0)
			continue; /* gone already, or not ours to remove */
		ts->found++;
		if (ts->fn)
			ts->fn(ts->ctx, ts->od->path, path, FILE_STALE);
	}
	closedir(dp);
	if (subs.n > 1)
		qsort(subs.v, subs.n, sizeof *subs.v, str_cmp);
	for (size_t i = 0; i < subs.n; i++)
		scan_temps(ts, *rel ? arena_printf(ts->a, "%s/%s", rel, subs.v[i]) : subs.v[i], depth + 1);
}

int out_compare(struct arena *a, struct diags *d, const struct out_set *s, change_fn fn, void *ctx,
		size_t *ndiffs)
{
	size_t diffs = 0;
	*ndiffs = 0;
	struct outdir od;
	if (outdir_open(&od, a, d, s->dir, false, false) < 0)
		return -1;
	int rc = -1;
	struct buf scratch = BUF_INIT;
	const char **sorted = sorted_paths(a, s);
	bool is_dir, bad;
	for (size_t i = 0; i < s->n; i++) {
		int st = state_of(&od, &s->files[i], &scratch, &is_dir);
		if (st < 0)
			goto out;
		if (st != FILE_SAME) {
			diffs++;
			if (fn)
				fn(ctx, s->dir, s->files[i].path, st);
		}
	}
	size_t nrec, nlisted;
	const char **rec = read_record(a, &od, &nrec, &bad);
	if (bad)
		goto out;
	const char **listed = record_paths(a, s, sorted, rec, nrec, &nlisted);
	for (size_t i = 0; i < nrec; i++) {
		if (produced(listed, nlisted, rec[i]))
			continue;
		/* As out_commit removes it: a directory there is left alone. */
		int k = stale_file(&od, rec[i]);
		if (k < 0)
			goto out;
		if (k) {
			diffs++;
			if (fn)
				fn(ctx, s->dir, rec[i], FILE_STALE);
		}
	}
	/* The record itself is part of the output. */
	struct out_file r = { RECORD_NAME, NULL, 0 };
	r.data = record_text(a, s->spec, listed, nlisted, false, &r.len);
	int rst = state_of(&od, &r, &scratch, &is_dir);
	if (rst < 0)
		goto out;
	if (rst != FILE_SAME) {
		diffs++;
		if (fn)
			fn(ctx, s->dir, RECORD_NAME, rst);
	}
	/* What a killed render left, which the next render removes. */
	struct temp_scan ts = { a, &od, listed, nlisted, false, NULL, fn, ctx, 0, 0 };
	scan_temps(&ts, "", 0);
	if (ts.failed)
		goto out;
	diffs += ts.found;
	*ndiffs = diffs;
	rc = 0;
out:
	buf_free(&scratch);
	outdir_close(&od);
	return rc;
}

/* Flush the temporaries to disk before any rename, so that no rename can
 * put an unwritten file in place after a crash.  One syncfs for the file
 * system that holds the directory, not an fsync per file (10,000 of those
 * take seconds) nor sync() (which also waits for every other file system). */
static void sync_dir_fs(int fd)
{
#ifdef __linux__
	if (syncfs(fd) != 0)
		sync(); /* (not expected once the files are written) */
#else
	(void)fd;
	sync();
#endif
}

struct out_pending {
	const struct out_set *s;
	struct outdir od;          /* s->dir, open (and locked) */
	const char **rec;          /* the old record */
	size_t nrec;
	const char **prune;        /* its files this render removes */
	size_t nprune;
	struct out_file *all;      /* s's files, then the new record */
	size_t n;
	const char **tmps;         /* temporary of each changed file, else NULL */
	enum file_state *states;
	size_t tmps_written;
	const char *flight_tmp;    /* the record of old and new files, or NULL */
	bool record_first;         /* nothing to prune: the new record goes first */
	const char **sorted;       /* what the new record lists (record_paths) */
	size_t nsorted;
	uint64_t rnd;              /* state of the temporaries' names */
	bool chmod_files;          /* the umask takes bits from 0644: fchmod each file */
	/* A fresh folder: written whole under this name beside it (the
	 * outdir's own), files under their own names, renamed into place at
	 * commit; NULL otherwise. */
	const char *stage;
	const char *stage_into;    /* the folder's name, beside it */
};

/* splitmix64: names nobody can guess from the seed's absence. */
static uint64_t next_rnd(struct out_pending *p)
{
	uint64_t z = (p->rnd += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static void seed_rnd(struct out_pending *p)
{
	if (getrandom(&p->rnd, sizeof p->rnd, GRND_NONBLOCK) == (ssize_t)sizeof p->rnd)
		return;
	/* No entropy yet (early boot): O_EXCL still makes a planted name fail. */
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	p->rnd = (uint64_t)getpid() << 32 ^ (uint64_t)ts.tv_nsec ^ (uint64_t)ts.tv_sec ^ (uint64_t)(uintptr_t)p;
}

/* Write data to a new temporary beside rel; *tmp is set as soon as it
 * exists (so out_abort removes it).  0, -1 (errno), or -2 after reporting. */
static int write_tmp(struct out_pending *p, const char *rel, const char *data, size_t len, const char **tmp)
{
	const char *base;
	int pfd = outdir_parent(&p->od, rel, true, &base);
	if (pfd == OD_REPORTED)
		return -2;
	if (pfd < 0)
		return -1;
	int fd = -1;
	const char *name = NULL;
	if (p->stage) { /* nobody sees the folder yet: the file itself */
		name = base;
		fd = openat(pfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	}
	for (int tries = 0; fd < 0 && !p->stage && tries < 16; tries++) {
		name = arena_printf(p->od.a, ".%s" TMP_MARK "%016llx", base, (unsigned long long)next_rnd(p));
		fd = openat(pfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd < 0 && errno != EEXIST)
			return -1;
	}
	if (fd < 0)
		return -1;
	*tmp = base == rel ? name : arena_printf(p->od.a, "%.*s/%s", (int)(base - 1 - rel), rel, name);
	int rc = p->chmod_files ? fchmod(fd, 0644) : 0; /* 0644 whatever the umask */
	size_t off = 0;
	while (rc == 0 && off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0 && errno != EINTR)
			rc = -1;
		else if (w > 0)
			off += (size_t)w;
	}
	int e = errno;
	if (close(fd) != 0 && rc == 0)
		return -1;
	errno = e;
	return rc;
}

static void unlink_rel(struct outdir *od, const char *rel)
{
	const char *base;
	int pfd = outdir_parent(od, rel, false, &base);
	if (pfd >= 0)
		(void)unlinkat(pfd, base, 0);
}

/* Remove the temporaries not renamed into place (the in-flight record's too). */
static void remove_temps(struct out_pending *p)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->tmps[i])
			unlink_rel(&p->od, p->tmps[i]);
	if (p->flight_tmp)
		unlink_rel(&p->od, p->flight_tmp);
}

void out_abort(struct out_pending *p)
{
	if (!p)
		return;
	remove_temps(p);
	/* Deepest first: a directory made here is empty again. */
	outdir_unmake(&p->od);
	outdir_close(&p->od);
}

static void io_error(struct out_pending *p, const char *rel, int rc, const char *what)
{
	if (rc == -2)
		return; /* reported */
	diag_pos(p->od.d, SEV_ERROR, arena_printf(p->od.a, "%s/%s", p->s->dir, rel), 0, 0, "io",
		 "check free space and permissions", "%s: %s; nothing was changed", what, strerror(errno));
}

/* The record of old and new files, sorted, without repeats. */
static const char **flight_paths(struct arena *a, struct out_pending *p, size_t *n)
{
	size_t ns = p->nsorted;
	const char **v = arena_alloc(a, (ns + p->nrec + 1) * sizeof *v);
	if (ns)
		memcpy(v, p->sorted, ns * sizeof *v);
	if (p->nrec)
		memcpy(v + ns, p->rec, p->nrec * sizeof *v);
	qsort(v, ns + p->nrec, sizeof *v, str_cmp);
	size_t k = 0;
	for (size_t i = 0; i < ns + p->nrec; i++)
		if (!k || strcmp(v[k - 1], v[i]))
			v[k++] = v[i];
	*n = k;
	return v;
}

/* The names in directory dfd that start with prefix ("" for all; never
 * "." or ".."), read whole first: removing while reading may skip some. */
static const char **dir_names(struct arena *a, int dfd, const char *prefix, size_t *n)
{
	*n = 0;
	int rfd = dup(dfd);
	DIR *dp = rfd >= 0 ? fdopendir(rfd) : NULL;
	if (!dp) {
		if (rfd >= 0)
			close(rfd);
		return NULL;
	}
	const char **names = NULL;
	size_t cap = 0, plen = strlen(prefix);
	for (struct dirent *e; (e = readdir(dp));) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || strncmp(e->d_name, prefix, plen) != 0)
			continue;
		if (*n == cap) {
			names = arena_realloc(a, names, cap * sizeof *names, (cap ? 2 * cap : 16) * sizeof *names);
			cap = cap ? 2 * cap : 16;
		}
		names[(*n)++] = arena_strdup(a, e->d_name);
	}
	closedir(dp);
	return names;
}

/* Remove what dfd holds, never following a link (a killed render's
 * stand-in: only what asbgen wrote, at most TMP_SCAN_DEPTH deep). */
static void remove_tree(struct arena *a, int dfd, int depth)
{
	size_t n;
	const char **names = dir_names(a, dfd, "", &n);
	for (size_t i = 0; i < n; i++) {
		if (unlinkat(dfd, names[i], 0) == 0 || depth >= TMP_SCAN_DEPTH)
			continue;
		int sub = openat(dfd, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0)
			continue;
		remove_tree(a, sub, depth + 1);
		close(sub);
		(void)unlinkat(dfd, names[i], AT_REMOVEDIR);
	}
}

/* The stand-ins of dir's name that killed renders left in its parent
 * (pfd), but mine and one another render holds (locked). */
static void remove_stale_stages(struct arena *a, int pfd, const char *name, const char *mine)
{
	size_t n;
	const char **stale = dir_names(a, pfd, arena_printf(a, ".%s" TMP_MARK, name), &n);
	for (size_t i = 0; i < n; i++) {
		if (mine && !strcmp(stale[i], mine))
			continue;
		int fd = openat(pfd, stale[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			remove_tree(a, fd, 0);
			(void)unlinkat(pfd, stale[i], AT_REMOVEDIR);
		}
		close(fd);
	}
}

struct out_pending *out_prepare(struct arena *a, struct diags *d, const struct out_set *s)
{
	struct out_pending *p = arena_alloc(a, sizeof *p);
	p->s = s;
	size_t n = p->n = s->n + 1;
	p->tmps = arena_alloc(a, n * sizeof *p->tmps);
	p->states = arena_alloc(a, n * sizeof *p->states);
	/* The folder as it is; when it is not there, a fresh folder is made
	 * under a stand-in name beside it: see out_pending.stage.  (Not for
	 * an empty set: teardown's.) */
	int r = outdir_open(&p->od, a, d, s->dir, false, false);
	if (r < 0)
		return NULL;
	seed_rnd(p);
	if (r == 1) {
		outdir_close(&p->od);
		const char *slash = strrchr(s->dir, '/');
		if (s->n) {
			p->stage_into = slash ? slash + 1 : s->dir;
			p->stage = arena_printf(a, "%.*s.%s" TMP_MARK "%016llx", slash ? (int)(slash + 1 - s->dir) : 0,
						s->dir, p->stage_into, (unsigned long long)next_rnd(p));
		}
		if (outdir_open(&p->od, a, d, p->stage ? p->stage : s->dir, true, false) != 0)
			return NULL;
	}
	if (p->stage) {
		if (!p->od.made_self) { /* (a 64-bit random name taken: not expected) */
			diag_pos(d, SEV_ERROR, p->stage, 0, 0, "io", "render again", "cannot make a new folder here");
			goto fail;
		}
		p->od.path = s->dir; /* messages name the folder, not its stand-in */
	}
	/* Two renders at once would remove each other's temporaries. */
	if (flock(p->od.fd, LOCK_EX | LOCK_NB) != 0) {
		diag_pos(d, SEV_ERROR, s->dir, 0, 0, "io", "wait for the other render to finish, then render again",
			 "another asbgen render is writing here; nothing was changed");
		goto fail;
	}
	/* What renders killed while making a fresh folder left beside it
	 * (locked first: another render's, in use, is locked too). */
	remove_stale_stages(a, p->od.pfd, p->stage ? p->stage_into : p->od.name, p->stage ? p->od.name : NULL);
	/* The old record, before the new one replaces it. */
	bool bad, is_dir;
	p->rec = read_record(a, &p->od, &p->nrec, &bad);
	if (bad)
		goto fail;

	struct out_file *all = p->all = arena_alloc(a, n * sizeof *all);
	if (s->n) /* teardown's set is empty: no files array to copy */
		memcpy(all, s->files, s->n * sizeof *all);
	const char **sorted = p->sorted = record_paths(a, s, sorted_paths(a, s), p->rec, p->nrec, &p->nsorted);
	all[s->n].path = RECORD_NAME;
	all[s->n].data = record_text(a, s->spec, sorted, p->nsorted, false, &all[s->n].len);

	/* What to prune, checked now (a link on the way fails the render
	 * before anything changed). */
	p->prune = arena_alloc(a, (p->nrec + 1) * sizeof *p->prune);
	bool new_files = false;
	for (size_t i = 0; i < p->nrec; i++) {
		if (produced(sorted, p->nsorted, p->rec[i]))
			continue;
		int k = stale_file(&p->od, p->rec[i]);
		if (k < 0)
			goto fail;
		if (k)
			p->prune[p->nprune++] = p->rec[i];
	}

	/* Every changed file to a temporary beside its destination. */
	struct buf scratch = BUF_INIT;
	/* Read once (umask can only be read by setting it): with the usual
	 * 022 a new file is 0644 already, and 10,000 users' 40,000 fchmods
	 * were a twentieth of a render into a fresh folder. */
	mode_t um = umask(0);
	umask(um);
	p->chmod_files = (um & 0644) != 0;
	const char **rec_sorted = arena_alloc(a, (p->nrec + 1) * sizeof *rec_sorted);
	if (p->nrec) {
		memcpy(rec_sorted, p->rec, p->nrec * sizeof *rec_sorted);
		qsort(rec_sorted, p->nrec, sizeof *rec_sorted, str_cmp);
	}
	for (size_t i = 0; i < n; i++) {
		int st = state_of(&p->od, &all[i], &scratch, &is_dir);
		if (st < 0)
			goto fail_buf;
		p->states[i] = st;
		if (i < s->n && !produced(rec_sorted, p->nrec, all[i].path))
			new_files = true;
		if (st == FILE_SAME)
			continue;
		/* rename() cannot replace a directory: find out now, while
		 * nothing has changed, not halfway through the renames. */
		if (is_dir) {
			diag_pos(d, SEV_ERROR, arena_printf(a, "%s/%s", s->dir, all[i].path), 0, 0, "io",
				 "move the directory away; asbgen writes a file there",
				 "cannot write: it is a directory; nothing was changed");
			goto fail_buf;
		}
		int rc = write_tmp(p, all[i].path, all[i].data, all[i].len, &p->tmps[i]);
		if (rc != 0) {
			io_error(p, all[i].path, rc, "cannot write");
			goto fail_buf;
		}
		p->tmps_written++;
	}
	buf_free(&scratch);
	if (p->tmps[s->n]) {
		if (!p->nprune) {
			p->record_first = true;
		} else if (new_files) {
			size_t nf, len;
			const char **fl = flight_paths(a, p, &nf);
			const char *text = record_text(a, s->spec, fl, nf, true, &len);
			int rc = write_tmp(p, RECORD_NAME, text, len, &p->flight_tmp);
			if (rc != 0) {
				io_error(p, RECORD_NAME, rc, "cannot write");
				goto fail;
			}
		}
	}
	return p;
fail_buf:
	buf_free(&scratch);
fail:
	out_abort(p);
	return NULL;
}

/* Rename temporary tmp (beside rel) to rel.  0, or -1 after reporting. */
static int rename_into(struct out_pending *p, const char *tmp, const char *rel)
{
	const char *base, *tbase;
	int pfd = outdir_parent(&p->od, rel, false, &base);
	if (pfd == OD_REPORTED)
		return -1;
	tbase = strrchr(tmp, '/');
	tbase = tbase ? tbase + 1 : tmp;
	if (pfd < 0 || renameat(pfd, tbase, pfd, base) != 0) {
		diag_pos(p->od.d, SEV_ERROR, arena_printf(p->od.a, "%s/%s", p->s->dir, rel), 0, 0, "io", NULL,
			 "cannot rename into place: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Remove a stale file, then the directories that left empty (unlinkat
 * refuses non-empty ones), up to the environment's directory. */
static int prune_one(struct out_pending *p, const char *rel, change_fn fn, void *ctx)
{
	const char *base;
	int pfd = outdir_parent(&p->od, rel, false, &base);
	if (pfd == OD_REPORTED)
		return -1;
	if (pfd < 0)
		return 0; /* gone since prepare */
	if (unlinkat(pfd, base, 0) != 0) {
		if (errno == ENOENT)
			return 0;
		diag_pos(p->od.d, SEV_ERROR, arena_printf(p->od.a, "%s/%s", p->s->dir, rel), 0, 0, "io", NULL,
			 "cannot remove stale file: %s", strerror(errno));
		return -1;
	}
	if (fn)
		fn(ctx, p->s->dir, rel, FILE_STALE);
	for (size_t len = (size_t)(base - rel); len > 1;) {
		len--; /* the slash */
		char *dir = arena_strndup(p->od.a, rel, len);
		const char *dbase;
		int dpfd = outdir_parent(&p->od, dir, false, &dbase);
		if (dpfd < 0 || unlinkat(dpfd, dbase, AT_REMOVEDIR) != 0)
			break;
		outdir_forget(&p->od, dir, len);
		len = (size_t)(dbase - dir);
	}
	return 0;
}

int out_teardown(struct arena *a, struct diags *d, const char *dir, const char *spec, change_fn fn, void *ctx,
		 bool *dir_kept)
{
	struct outdir od;
	*dir_kept = false;
	int r = outdir_open(&od, a, d, dir, false, false);
	if (r != 0)
		return r < 0 ? -1 : 1;
	bool bad;
	size_t n;
	const char **rec = read_record(a, &od, &n, &bad);
	outdir_close(&od);
	if (bad)
		return -1;
	if (!rec)
		return 1;
	/* An empty render: every recorded file is stale, and goes. */
	struct out_set empty = { .dir = dir, .spec = spec };
	struct out_pending *p = out_prepare(a, d, &empty);
	if (!p || out_commit(a, d, p, fn, ctx) != 0)
		return -1;
	if ((r = outdir_open(&od, a, d, dir, false, false)) != 0)
		return r < 0 ? -1 : 0;
	if (unlinkat(od.fd, RECORD_NAME, 0) != 0 && errno != ENOENT) {
		diag_pos(d, SEV_ERROR, arena_printf(a, "%s/%s", dir, RECORD_NAME), 0, 0, "io", NULL,
			 "cannot remove the record: %s", strerror(errno));
		outdir_close(&od);
		return -1;
	}
	outdir_close(&od);
	/* Files asbgen did not write keep the directory. */
	if (rmdir(dir) != 0) {
		if (errno != ENOTEMPTY && errno != EEXIST) {
			diag_pos(d, SEV_ERROR, dir, 0, 0, "io", NULL, "cannot remove the directory: %s", strerror(errno));
			return -1;
		}
		*dir_kept = true;
	}
	return 0;
}

/* A fresh folder into place, whole: its files are flushed first, so the
 * name never shows a folder with a file missing or short. */
static int commit_stage(struct out_pending *p, change_fn fn, void *ctx)
{
	sync_dir_fs(p->od.fd);
	int r = renameat2(p->od.pfd, p->od.name, p->od.pfd, p->stage_into, RENAME_NOREPLACE);
	if (r != 0 && (errno == EINVAL || errno == ENOSYS)) /* a file system without NOREPLACE */
		r = renameat(p->od.pfd, p->od.name, p->od.pfd, p->stage_into); /* never over a non-empty one */
	if (r != 0) {
		diag_pos(p->od.d, SEV_ERROR, p->s->dir, 0, 0, "io",
			 errno == EEXIST || errno == ENOTEMPTY ? "another render made it meanwhile: render again" : NULL,
			 "cannot put the new folder in place: %s; nothing was changed", strerror(errno));
		out_abort(p);
		return -1;
	}
	for (size_t i = 0; fn && i < p->s->n; i++)
		fn(ctx, p->s->dir, p->all[i].path, p->states[i]);
	outdir_close(&p->od);
	return 0;
}

int out_commit(struct arena *a, struct diags *d, struct out_pending *p, change_fn fn, void *ctx)
{
	(void)d; /* p's outdir reports to it */
	const struct out_set *s = p->s;
	int failed = 0;
	if (p->stage)
		return commit_stage(p, fn, ctx);
	if (p->tmps_written || p->flight_tmp)
		sync_dir_fs(p->od.fd);
	size_t ri = s->n; /* the record */
	if (p->flight_tmp) {
		if (!(failed = rename_into(p, p->flight_tmp, RECORD_NAME) != 0))
			p->flight_tmp = NULL;
	} else if (p->record_first) {
		if (!(failed = rename_into(p, p->tmps[ri], RECORD_NAME) != 0))
			p->tmps[ri] = NULL;
	}
	/* Rename into place (atomic per file). */
	for (size_t i = 0; !failed && i < s->n; i++) {
		if (!p->tmps[i])
			continue;
		if ((failed = rename_into(p, p->tmps[i], p->all[i].path) != 0))
			break;
		p->tmps[i] = NULL;
		if (fn)
			fn(ctx, s->dir, p->all[i].path, p->states[i]);
	}
	/* Remove what an earlier render wrote and this one did not. */
	for (size_t i = 0; !failed && i < p->nprune; i++)
		failed = prune_one(p, p->prune[i], fn, ctx) != 0;
	/* What killed renders left (this one's are renamed, but the record's). */
	if (!failed) {
		struct temp_scan ts = { a, &p->od, p->sorted, p->nsorted, true, p->tmps[ri], fn, ctx, 0, 0 };
		scan_temps(&ts, "", 0);
		failed = ts.failed;
	}
	if (!failed && p->tmps[ri]) {
		if (!(failed = rename_into(p, p->tmps[ri], RECORD_NAME) != 0))
			p->tmps[ri] = NULL;
	}
	/* After a failure, the record on disk still lists every file asbgen
	 * may have written: the next render finishes the work. */
	remove_temps(p);
	outdir_close(&p->od);
	return failed ? -1 : 0;
}
