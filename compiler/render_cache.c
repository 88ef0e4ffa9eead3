/* render_cache.c - the note that lets a render with nothing to do stop
 * early (render_cache.h says what it holds and when it applies).
 *
 * The note is a text file, one entry per line:
 *   asbgen-render-cache 1
 *   inputs HEX                       digest of what the render read
 *   dir PATH                         out/<environment> as rendered
 *   read HEX PATH                    a file merged into, and its bytes' hash
 *   d DEV INO SIZE MS MNS CS CNS REL  a directory of the folder ("" itself):
 *                                    a file added or removed there changes it
 *   f DEV INO SIZE MS MNS CS CNS H REL   a file; H its bytes' hash when it was
 *                                    racy, else "-"
 *   diag SEV LINE COL ID\tFILE\tMSG\tHINT   (\t, \n, \\ escaped; "-" none)
 * Paths come last on their line, so they may hold blanks.
 */
#define _GNU_SOURCE /* dl_iterate_phdr */
#include "render_cache.h"
#include "arena.h"
#include "buf.h"
#include "cli.h"
#include "diag.h"
#include "dirwalk.h"
#include "hashmap.h"
#include "outdir.h"
#include "write.h"

#include <assert.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define NOTE_MAGIC "asbgen-render-cache 1"
/* A file changed this close to the note's time may keep its times: its
 * bytes are compared instead.  Sub-second file systems tick in
 * milliseconds; others in one or two seconds. */
#define RACY_FINE_NS 50000000LL
#define RACY_COARSE_NS 2000000000LL
#define NOTE_MAX_DEPTH 16

struct ident {
	unsigned long long dev, ino, size;
	long long ms, mns, cs, cns;
};

struct nfile {
	const char *rel;
	struct ident id;
	bool racy;
	uint64_t hash; /* racy: of its bytes */
};

struct nread {
	const char *path;
	uint64_t hash;
};

struct note {
	uint64_t inputs;
	const char *dir;
	struct nread *reads;
	size_t nreads;
	struct nfile *dirs, *files;
	size_t ndirs, nfiles;
	struct diag *diags;
	size_t ndiags;
};

struct rcache {
	struct arena *a;
	const char *path;    /* the note */
	const char *cachedir;
	uint64_t inputs;
	const char *spec;
	const char *outdir, *tdir, *schemas;
};

/* ---------------------------------------------------------------- hashing */

static uint64_t h_str(uint64_t h, const char *s)
{
	size_t n = strlen(s);
	h = hash_fnv1a_add(h, &n, sizeof n);
	return hash_fnv1a_add(h, s, n);
}

/* A whole file into b (reset first); false when it cannot be read. */
static bool read_all(int dirfd, const char *path, struct buf *b)
{
	buf_reset(b);
	int fd = openat(dirfd, path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return false;
	struct stat st;
	bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	if (ok)
		buf_grow(b, (size_t)st.st_size + 1);
	for (ssize_t n; ok;) {
		buf_grow(b, 65536);
		n = read(fd, b->data + b->len, 65536);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ok = n == 0;
			break;
		}
		b->len += (size_t)n;
	}
	close(fd);
	return ok;
}

static bool hash_file(int dirfd, const char *path, struct buf *b, uint64_t *h)
{
	if (!read_all(dirfd, path, b))
		return false;
	*h = hash_fnv1a(b->data ? b->data : "", b->len);
	return true;
}

/* Every file below dir (sorted), its path and bytes, into *h. */
static bool hash_tree(struct arena *a, const char *dir, struct buf *b, uint64_t *h)
{
	char real[PATH_MAX];
	if (!realpath(dir, real))
		return false;
	struct diags quiet;
	diags_init(&quiet, a);
	struct pathlist files = { 0 };
	static const char *const any[] = { "", NULL };
	bool ok = dirwalk_collect(a, &quiet, real, any, "io", &files);
	diags_free(&quiet);
	*h = h_str(*h, real);
	for (size_t i = 0; ok && i < files.n; i++) {
		uint64_t fh;
		if (!hash_file(AT_FDCWD, files.items[i], b, &fh))
			return false;
		*h = h_str(*h, files.items[i] + strlen(real));
		*h = hash_fnv1a_add(*h, &fh, sizeof fh);
	}
	return ok;
}

/* The GNU build ID of the running program: any other build of asbgen,
 * whatever its version string, renders differently. */
struct build_id {
	unsigned char id[64];
	size_t n;
};

static int find_build_id(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	struct build_id *b = data;
	/* The first object is the program itself. */
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_NOTE)
			continue;
		const unsigned char *p = (const unsigned char *)(info->dlpi_addr + ph->p_vaddr);
		const unsigned char *end = p + ph->p_memsz;
		while ((size_t)(end - p) >= sizeof(ElfW(Nhdr))) {
			const ElfW(Nhdr) *nh = (const ElfW(Nhdr) *)p;
			size_t name = (nh->n_namesz + 3) & ~(size_t)3, desc = (nh->n_descsz + 3) & ~(size_t)3;
			const unsigned char *np = p + sizeof *nh;
			if ((size_t)(end - np) < name + desc)
				break;
			if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 && !memcmp(np, "GNU", 4) &&
			    nh->n_descsz && nh->n_descsz <= sizeof b->id) {
				memcpy(b->id, np + name, nh->n_descsz);
				b->n = nh->n_descsz;
				return 1;
			}
			p = np + name + desc;
		}
	}
	return 1;
}

/* ---------------------------------------------------------------- opening */

static const char *cache_dir(struct arena *a)
{
	const char *d = getenv("ASBGEN_CACHE_DIR");
	if (d && *d)
		return d[0] == '/' ? arena_strdup(a, d) : NULL;
	const char *x = getenv("XDG_CACHE_HOME");
	if (x && x[0] == '/')
		return arena_printf(a, "%s/asbgen", x);
	const char *home = getenv("HOME");
	if (home && home[0] == '/')
		return arena_printf(a, "%s/.cache/asbgen", home);
	return NULL;
}

/* mkdir -p for the cache directory (0700: it names the user's folders). */
static bool make_dirs(struct arena *a, const char *dir)
{
	char *p = arena_strdup(a, dir);
	for (char *s = p + 1;; s++) {
		if (*s == '/' || !*s) {
			char ch = *s;
			*s = '\0';
			if (mkdir(p, 0700) != 0 && errno != EEXIST)
				return false;
			*s = ch;
			if (!ch)
				return true;
		}
	}
}

/* The note's file for this spec, folder and options. */
static const char *note_path(struct rcache *rc, const struct ctx *c)
{
	char spec[PATH_MAX], out[PATH_MAX];
	if (!realpath(rc->spec, spec) || !realpath(rc->outdir, out))
		return NULL;
	uint64_t h = h_str(HASH_FNV1A_INIT, spec);
	h = h_str(h, out);
	h = h_str(h, c->testid ? c->testid : "");
	h = h_str(h, c->bootstrap ? "bootstrap" : "full");
	return arena_printf(rc->a, "%s/render-%016llx", rc->cachedir, (unsigned long long)h);
}

/* The digest of everything the render reads (render_cache.h). */
static bool inputs_digest(struct rcache *rc, const struct ctx *c, uint64_t *out)
{
	struct build_id bid = { .n = 0 };
	dl_iterate_phdr(find_build_id, &bid);
	if (!bid.n)
		return false;
	uint64_t h = hash_fnv1a_add(HASH_FNV1A_INIT, NOTE_MAGIC, strlen(NOTE_MAGIC));
	h = hash_fnv1a_add(h, bid.id, bid.n);
	h = h_str(h, c->testid ? c->testid : "");
	h = h_str(h, c->bootstrap ? "bootstrap" : "full");
	/* The paths as given: the note's folder, merged files and the files
	 * of its diagnostics are named from them (relative ones from the
	 * working directory). */
	h = h_str(h, rc->spec);
	h = h_str(h, rc->outdir);
	/* The spec's name in each file's header comes from where its git
	 * checkout starts. */
	h = h_str(h, spec_display_name(rc->a, rc->spec));
	struct buf b = BUF_INIT;
	uint64_t sh;
	bool ok = hash_file(AT_FDCWD, rc->spec, &b, &sh) && hash_tree(rc->a, rc->tdir, &b, &h) &&
		  hash_tree(rc->a, rc->schemas, &b, &h);
	buf_free(&b);
	*out = hash_fnv1a_add(h, &sh, sizeof sh);
	return ok;
}

struct rcache *rcache_open(struct ctx *c, const char *spec, const struct rcache_opts *o)
{
	if (!strcmp(spec, "-") || o->only)
		return NULL;
	struct rcache *rc = arena_alloc(c->arena, sizeof *rc);
	rc->a = c->arena;
	rc->spec = spec;
	rc->outdir = o->outdir;
	rc->tdir = o->tdir;
	rc->schemas = data_path(c, "schemas");
	rc->cachedir = cache_dir(c->arena);
	if (!rc->cachedir || !inputs_digest(rc, c, &rc->inputs))
		return NULL;
	rc->path = note_path(rc, c); /* NULL until the folder exists */
	return rc;
}

/* ---------------------------------------------------------------- reading */

static char *unescape(struct arena *a, const char *s, size_t n)
{
	if (n == 1 && s[0] == '-')
		return NULL;
	char *r = arena_alloc(a, n + 1), *w = r;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			i++;
			*w++ = s[i] == 't' ? '\t' : s[i] == 'n' ? '\n' : s[i];
		} else {
			*w++ = s[i];
		}
	}
	*w = '\0';
	return r;
}

static void escape(struct buf *b, const char *s)
{
	if (!s) {
		buf_putc(b, '-');
		return;
	}
	if (!strcmp(s, "-")) {
		buf_puts(b, "\\-");
		return;
	}
	for (; *s; s++) {
		if (*s == '\t')
			buf_puts(b, "\\t");
		else if (*s == '\n')
			buf_puts(b, "\\n");
		else if (*s == '\\')
			buf_puts(b, "\\\\");
		else
			buf_putc(b, *s);
	}
}

/* A decimal number and the blank after it. */
static bool num(const char **p, unsigned long long *v)
{
	const char *s = *p;
	if (*s < '0' || *s > '9')
		return false;
	unsigned long long x = 0;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (x > (ULLONG_MAX - 9) / 10)
			return false;
		x = x * 10 + (unsigned)(*s - '0');
	}
	if (*s != ' ')
		return false;
	*v = x;
	*p = s + 1;
	return true;
}

static bool hex(const char **p, uint64_t *v)
{
	char *end;
	errno = 0;
	unsigned long long x = strtoull(*p, &end, 16);
	if (errno || end == *p || *end != ' ')
		return false;
	*v = x;
	*p = end + 1;
	return true;
}

#define PUSH(a, arr, n, cap, item)                                                                   \
	do {                                                                                             \
		if ((n) == (cap)) {                                                                          \
			size_t nc_ = (cap) ? 2 * (cap) : 64;                                                 \
			(arr) = arena_realloc((a), (arr), (cap) * sizeof *(arr), nc_ * sizeof *(arr));       \
			(cap) = nc_;                                                                         \
		}                                                                                            \
		(arr)[(n)++] = (item);                                                                       \
	} while (0)

static bool parse_ident(const char **p, struct ident *id)
{
	unsigned long long v[7];
	for (size_t i = 0; i < 7; i++)
		if (!num(p, &v[i]))
			return false;
	*id = (struct ident){ v[0], v[1], v[2], (long long)v[3], (long long)v[4], (long long)v[5], (long long)v[6] };
	return true;
}

static bool parse_diag(struct arena *a, const char *s, struct diag *dg)
{
	unsigned long long sev, line, col;
	if (!num(&s, &sev) || !num(&s, &line) || !num(&s, &col) || sev > SEV_NOTE || line > INT_MAX ||
	    col > INT_MAX)
		return false;
	const char *f[4];
	size_t fl[4];
	for (int i = 0; i < 4; i++) {
		const char *t = strchr(s, '\t');
		if (!t && i < 3)
			return false;
		f[i] = s;
		fl[i] = t ? (size_t)(t - s) : strlen(s);
		s = t ? t + 1 : s + fl[i];
	}
	*dg = (struct diag){ .sev = (enum severity)sev, .line = (int)line, .col = (int)col };
	dg->id = unescape(a, f[0], fl[0]);
	dg->file = unescape(a, f[1], fl[1]);
	dg->msg = unescape(a, f[2], fl[2]);
	dg->hint = unescape(a, f[3], fl[3]);
	return dg->id && dg->msg;
}

static bool note_read(struct arena *a, const char *path, struct note *n)
{
	memset(n, 0, sizeof *n);
	struct buf b = BUF_INIT;
	/* A NUL byte would end a line early: not a note asbgen wrote. */
	if (!read_all(AT_FDCWD, path, &b) || !b.len || b.data[b.len - 1] != '\n' || memchr(b.data, '\0', b.len)) {
		buf_free(&b);
		return false;
	}
	char *text = arena_strndup(a, b.data, b.len);
	buf_free(&b);
	size_t capr = 0, capd = 0, capf = 0, capg = 0;
	bool ok = true, magic = false, have_inputs = false;
	for (char *line = text; ok && *line;) {
		char *nl = strchr(line, '\n'); /* there is one: the text ends with it */
		*nl = '\0';
		const char *p = line;
		if (!magic) {
			ok = magic = !strcmp(line, NOTE_MAGIC);
		} else if (!strncmp(p, "inputs ", 7)) {
			p += 7;
			char *end;
			errno = 0;
			n->inputs = strtoull(p, &end, 16);
			ok = !errno && end != p && !*end;
			have_inputs = true;
		} else if (!strncmp(p, "dir ", 4)) {
			n->dir = p + 4;
		} else if (!strncmp(p, "read ", 5)) {
			p += 5;
			struct nread r;
			ok = hex(&p, &r.hash) && *p;
			r.path = p;
			if (ok)
				PUSH(a, n->reads, n->nreads, capr, r);
		} else if (!strncmp(p, "d ", 2)) {
			p += 2;
			struct nfile d = { .rel = NULL };
			ok = parse_ident(&p, &d.id);
			d.rel = p;
			if (ok)
				PUSH(a, n->dirs, n->ndirs, capd, d);
		} else if (!strncmp(p, "f ", 2)) {
			p += 2;
			struct nfile f = { .rel = NULL };
			ok = parse_ident(&p, &f.id);
			if (ok && p[0] == '-' && p[1] == ' ') {
				p += 2;
			} else if (ok) {
				f.racy = true;
				ok = hex(&p, &f.hash);
			}
			f.rel = p;
			ok = ok && *p;
			if (ok)
				PUSH(a, n->files, n->nfiles, capf, f);
		} else if (!strncmp(p, "diag ", 5)) {
			struct diag dg;
			ok = parse_diag(a, p + 5, &dg);
			if (ok)
				PUSH(a, n->diags, n->ndiags, capg, dg);
		} else {
			ok = false; /* a newer format: not ours to trust */
		}
		line = nl + 1;
	}
	return ok && magic && have_inputs && n->dir && n->nfiles;
}

/* ---------------------------------------------------------------- identities */

static void ident_of(const struct stat *st, struct ident *id)
{
	*id = (struct ident){ st->st_dev, st->st_ino, (unsigned long long)st->st_size,
			      st->st_mtim.tv_sec, st->st_mtim.tv_nsec, st->st_ctim.tv_sec, st->st_ctim.tv_nsec };
}

static bool same_ident(const struct ident *a, const struct ident *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size && a->ms == b->ms && a->mns == b->mns &&
	       a->cs == b->cs && a->cns == b->cns;
}

static long long ns_of(long long s, long long ns)
{
	return s * 1000000000LL + ns;
}

/* Changed at or after t (ns): times that may not show a change made in
 * the same tick. */
static bool is_racy(const struct ident *id, long long t)
{
	return ns_of(id->cs, id->cns) >= t || ns_of(id->ms, id->mns) >= t;
}

/* The identity of rel in od, never through a link: false when it is not
 * there, not of that type, or a link is on the way. */
static bool stat_rel(struct outdir *od, const char *rel, bool dir, struct stat *st)
{
	if (dir) {
		int fd = outdir_dir(od, rel, strlen(rel), false);
		return fd >= 0 && fstat(fd, st) == 0 && S_ISDIR(st->st_mode);
	}
	const char *base;
	int pfd = outdir_parent(od, rel, false, &base);
	return pfd >= 0 && fstatat(pfd, base, st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st->st_mode);
}

static bool hash_rel(struct outdir *od, const char *rel, struct buf *b, uint64_t *h)
{
	const char *base;
	int pfd = outdir_parent(od, rel, false, &base);
	return pfd >= 0 && hash_file(pfd, base, b, h);
}

/* ---------------------------------------------------------------- writing */

/* Take n's identities now and write it (the old note first removed).
 * Failures are not reported: without a note the next render is a full
 * one, as it would be anyway. */
static void note_write(struct rcache *rc, struct note *n)
{
	struct arena *a = arena_new();
	struct diags quiet;
	diags_init(&quiet, a);
	struct outdir od;
	struct buf text = BUF_INIT, scratch = BUF_INIT;
	bool ok = outdir_open(&od, a, &quiet, n->dir, false, false) == 0;
	struct timespec now;
	ok = ok && clock_gettime(CLOCK_REALTIME, &now) == 0;
	struct stat st;
	/* The folder's time resolution, from the folder itself. */
	bool coarse = ok && stat_rel(&od, "", true, &st) && !st.st_mtim.tv_nsec && !st.st_ctim.tv_nsec;
	long long t0 = ns_of(now.tv_sec, now.tv_nsec) - (coarse ? RACY_COARSE_NS : RACY_FINE_NS);
	/* A directory has no bytes to compare: one changed that recently
	 * gets no note (the next render, a full one, takes it).  A render
	 * into a new folder stops here. */
	for (size_t i = 0; ok && i < n->ndirs; i++)
		if ((ok = stat_rel(&od, n->dirs[i].rel, true, &st))) {
			ident_of(&st, &n->dirs[i].id);
			ok = !is_racy(&n->dirs[i].id, t0);
		}
	for (size_t i = 0; ok && i < n->nfiles; i++)
		if ((ok = stat_rel(&od, n->files[i].rel, false, &st)))
			ident_of(&st, &n->files[i].id);
	for (size_t i = 0; ok && i < n->nfiles; i++) {
		struct nfile *f = &n->files[i];
		f->racy = is_racy(&f->id, t0);
		if (f->racy)
			ok = hash_rel(&od, f->rel, &scratch, &f->hash);
	}
	if (ok) {
		buf_printf(&text, "%s\ninputs %016llx\ndir %s\n", NOTE_MAGIC, (unsigned long long)rc->inputs, n->dir);
		for (size_t i = 0; i < n->nreads; i++)
			buf_printf(&text, "read %016llx %s\n", (unsigned long long)n->reads[i].hash, n->reads[i].path);
		for (size_t i = 0; i < n->ndirs; i++)
			buf_printf(&text, "d %llu %llu %llu %lld %lld %lld %lld %s\n", n->dirs[i].id.dev, n->dirs[i].id.ino,
				   n->dirs[i].id.size, n->dirs[i].id.ms, n->dirs[i].id.mns, n->dirs[i].id.cs,
				   n->dirs[i].id.cns, n->dirs[i].rel);
		for (size_t i = 0; i < n->nfiles; i++) {
			const struct nfile *f = &n->files[i];
			buf_printf(&text, "f %llu %llu %llu %lld %lld %lld %lld ", f->id.dev, f->id.ino, f->id.size,
				   f->id.ms, f->id.mns, f->id.cs, f->id.cns);
			if (f->racy)
				buf_printf(&text, "%016llx %s\n", (unsigned long long)f->hash, f->rel);
			else
				buf_printf(&text, "- %s\n", f->rel);
		}
		for (size_t i = 0; i < n->ndiags; i++) {
			const struct diag *g = &n->diags[i];
			buf_printf(&text, "diag %d %d %d ", (int)g->sev, g->line < 0 ? 0 : g->line,
				   g->col < 0 ? 0 : g->col);
			escape(&text, g->id);
			buf_putc(&text, '\t');
			escape(&text, g->file);
			buf_putc(&text, '\t');
			escape(&text, g->msg);
			buf_putc(&text, '\t');
			escape(&text, g->hint);
			buf_putc(&text, '\n');
		}
	}
	outdir_close(&od); /* safe after a failed outdir_open too */
	const char *tmp = ok ? arena_printf(a, "%s.tmp.%ld", rc->path, (long)getpid()) : NULL;
	int fd = ok ? open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600) : -1;
	if (fd >= 0) {
		size_t off = 0;
		while (off < text.len) {
			ssize_t w = write(fd, text.data + off, text.len - off);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				break;
			off += (size_t)w;
		}
		bool written = off == text.len;
		if (close(fd) != 0 || !written || rename(tmp, rc->path) != 0)
			unlink(tmp);
	}
	buf_free(&text);
	buf_free(&scratch);
	diags_free(&quiet);
	arena_free(a);
}

/* ---------------------------------------------------------------- the API */

bool rcache_hit(struct ctx *c, struct rcache *rc, const char **dir, bool replay)
{
	if (!rc || !rc->path)
		return false;
	struct arena *a = arena_new();
	struct note n;
	bool ok = note_read(a, rc->path, &n) && n.inputs == rc->inputs;
	struct buf b = BUF_INIT;
	for (size_t i = 0; ok && i < n.nreads; i++) {
		uint64_t h;
		ok = hash_file(AT_FDCWD, n.reads[i].path, &b, &h) && h == n.reads[i].hash;
	}
	struct diags quiet;
	diags_init(&quiet, a);
	struct outdir od;
	bool opened = ok, racy = false;
	ok = ok && outdir_open(&od, a, &quiet, n.dir, false, false) == 0;
	struct stat st;
	struct ident id;
	for (size_t i = 0; ok && i < n.ndirs; i++)
		if ((ok = stat_rel(&od, n.dirs[i].rel, true, &st))) {
			ident_of(&st, &id);
			ok = same_ident(&id, &n.dirs[i].id);
		}
	for (size_t i = 0; ok && i < n.nfiles; i++) {
		const struct nfile *f = &n.files[i];
		if ((ok = stat_rel(&od, f->rel, false, &st))) {
			ident_of(&st, &id);
			ok = same_ident(&id, &f->id);
		}
		if (ok && f->racy) {
			uint64_t h;
			ok = hash_rel(&od, f->rel, &b, &h) && h == f->hash;
			racy = true;
		}
	}
	if (opened)
		outdir_close(&od);
	diags_free(&quiet);
	if (ok) {
		*dir = arena_strdup(c->arena, n.dir);
		/* The diagnostics as the render made them, with the lines they
		 * quote (their files are inputs, unchanged). */
		for (size_t i = 0; replay && i < n.ndiags; i++) {
			const struct diag *g = &n.diags[i];
			const char *file = g->file ? arena_strdup(c->arena, g->file) : NULL;
			if (file && g->line > 0 && !diags_find_source(&c->diags, file) && read_all(AT_FDCWD, file, &b))
				diags_add_source(&c->diags, file, arena_strndup(c->arena, b.data ? b.data : "", b.len),
						 b.len);
			diag_pos(&c->diags, g->sev, file, g->line, g->col, arena_strdup(c->arena, g->id),
				 g->hint ? arena_strdup(c->arena, g->hint) : NULL, "%s", g->msg);
		}
		if (racy)
			note_write(rc, &n); /* checked by their bytes: now old enough to trust */
	}
	buf_free(&b);
	arena_free(a);
	return ok;
}

void rcache_forget(struct rcache *rc)
{
	if (rc && rc->path)
		unlink(rc->path);
}

static int rel_cmp(const void *x, const void *y)
{
	return strcmp(((const struct nfile *)x)->rel, ((const struct nfile *)y)->rel);
}

void rcache_store(struct ctx *c, struct rcache *rc, const struct out_set *s, size_t from, size_t to)
{
	if (!rc || s->only)
		return;
	/* The spec and the templates as they are now: one edited while the
	 * render ran makes the note name what the render did not read. */
	uint64_t again;
	if (!inputs_digest(rc, c, &again) || again != rc->inputs || !make_dirs(rc->a, rc->cachedir))
		return;
	if (!rc->path && !(rc->path = note_path(rc, c)))
		return;
	struct note n = { .dir = s->dir };
	size_t capd = 0;
	struct hashmap seen = { 0 };
	PUSH(rc->a, n.dirs, n.ndirs, capd, ((struct nfile){ .rel = "" }));
	n.files = arena_alloc(rc->a, (s->n + 1) * sizeof *n.files);
	for (size_t i = 0; i < s->n; i++) {
		const char *p = s->files[i].path;
		n.files[n.nfiles++] = (struct nfile){ .rel = p };
		/* Each directory on the way, once. */
		for (const char *sl = strchr(p, '/'); sl; sl = strchr(sl + 1, '/'))
			if (hashmap_add(&seen, p, (size_t)(sl - p)))
				PUSH(rc->a, n.dirs, n.ndirs, capd,
				     ((struct nfile){ .rel = arena_strndup(rc->a, p, (size_t)(sl - p)) }));
	}
	hashmap_free(&seen);
	n.files[n.nfiles++] = (struct nfile){ .rel = RECORD_NAME };
	qsort(n.files, n.nfiles, sizeof *n.files, rel_cmp);
	struct buf b = BUF_INIT;
	n.reads = arena_alloc(rc->a, (s->nreads ? s->nreads : 1) * sizeof *n.reads);
	for (size_t i = 0; i < s->nreads; i++) {
		n.reads[n.nreads] = (struct nread){ .path = s->reads[i] };
		if (!hash_file(AT_FDCWD, s->reads[i], &b, &n.reads[n.nreads++].hash)) {
			buf_free(&b);
			return;
		}
	}
	buf_free(&b);
	assert(from <= to && to <= c->diags.n);
	n.diags = c->diags.items + from;
	n.ndiags = to - from;
	note_write(rc, &n);
}
