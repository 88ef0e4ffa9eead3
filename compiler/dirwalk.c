/* dirwalk.c - the files under a path, by extension, sorted. */
#include "dirwalk.h"
#include "arena.h"
#include "diag.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void push(struct arena *a, struct pathlist *l, const char *p)
{
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 16;
		l->items = arena_realloc(a, l->items, l->cap * sizeof *l->items, nc * sizeof *l->items);
		l->cap = nc;
	}
	l->items[l->n++] = p;
}

static bool has_ext(const char *name, const char *const *exts)
{
	size_t n = strlen(name);
	for (; *exts; exts++) {
		size_t e = strlen(*exts);
		if (n > e && strcmp(name + n - e, *exts) == 0)
			return true;
	}
	return false;
}

static int cmp_path(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Depth bound: a symlink loop must end, not exhaust the stack. */
#define DIRWALK_MAX_DEPTH 64

static bool walk(struct arena *a, struct diags *d, const char *dir, const char *const *exts,
		 const char *id, struct pathlist *out, int depth)
{
	if (depth > DIRWALK_MAX_DEPTH) {
		diag_pos(d, SEV_ERROR, dir, 0, 0, id, "check for a symbolic link loop",
			 "directories nested more than %d deep", DIRWALK_MAX_DEPTH);
		return false;
	}
	DIR *dp = opendir(dir);
	if (!dp) {
		diag_pos(d, SEV_ERROR, dir, 0, 0, id, NULL, "cannot read directory: %s", strerror(errno));
		return false;
	}
	bool ok = true;
	struct dirent *de;
	/* errno tells a read error from the end of the directory. */
	while ((errno = 0, de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.' && (!de->d_name[1] || (de->d_name[1] == '.' && !de->d_name[2])))
			continue;
		const char *p = arena_printf(a, "%s%s%s", dir,
					     dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/", de->d_name);
		struct stat st;
		if (stat(p, &st) != 0) {
			diag_pos(d, SEV_ERROR, p, 0, 0, id, NULL, "cannot read: %s", strerror(errno));
			ok = false;
		} else if (S_ISDIR(st.st_mode)) {
			ok = walk(a, d, p, exts, id, out, depth + 1) && ok;
		} else if (S_ISREG(st.st_mode) && has_ext(de->d_name, exts)) {
			push(a, out, p);
		}
	}
	if (errno) {
		diag_pos(d, SEV_ERROR, dir, 0, 0, id, NULL, "cannot read directory: %s", strerror(errno));
		ok = false;
	}
	closedir(dp);
	return ok;
}

bool dirwalk_collect(struct arena *a, struct diags *d, const char *path,
		     const char *const *exts, const char *id, struct pathlist *out)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		diag_pos(d, SEV_ERROR, path, 0, 0, id, NULL, "cannot read: %s", strerror(errno));
		return false;
	}
	if (!S_ISDIR(st.st_mode)) {
		push(a, out, path);
		return true;
	}
	size_t first = out->n;
	bool ok = walk(a, d, path, exts, id, out, 0);
	if (out->n > first) /* an empty directory may leave items NULL */
		qsort(out->items + first, out->n - first, sizeof *out->items, cmp_path);
	return ok;
}
