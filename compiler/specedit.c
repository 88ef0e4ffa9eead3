/* specedit.c - in-place edits of a spec file (see specedit.h). */
#include "specedit.h"
#include "arena.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

void specedit_init(struct specedit *e, struct arena *a, const char *text, size_t len)
{
	memset(e, 0, sizeof *e);
	e->a = a;
	e->text = text;
	e->len = len;
}

/* Byte offset of a mark (line and column count characters from 1), or
 * (size_t)-1 when it is not in the text. */
static size_t offset_of(const struct specedit *e, const struct mark *m)
{
	if (!m || m->line < 1 || m->col < 1)
		return (size_t)-1;
	size_t i = 0;
	for (int line = 1; line < m->line; line++) {
		const char *nl = memchr(e->text + i, '\n', e->len - i);
		if (!nl)
			return (size_t)-1;
		i = (size_t)(nl - e->text) + 1;
	}
	for (int col = 1; col < m->col; col++) {
		if (i >= e->len || e->text[i] == '\n')
			return (size_t)-1;
		i++;
		while (i < e->len && ((unsigned char)e->text[i] & 0xC0) == 0x80)
			i++; /* a UTF-8 continuation byte: the same character */
	}
	return i;
}

static void push(struct specedit *e, size_t at, size_t del, const char *ins)
{
	if (e->n == e->cap) {
		size_t cap = e->cap ? 2 * e->cap : 8;
		e->edits = arena_realloc(e->a, e->edits, e->cap * sizeof *e->edits, cap * sizeof *e->edits);
		e->cap = cap;
	}
	e->edits[e->n++] = (struct edit){ at, del, ins };
}

/* The end of the scalar token starting at i (quoted or plain, one line). */
static size_t scalar_end(const struct specedit *e, size_t i, bool flow)
{
	const char *t = e->text;
	if (t[i] == '"' || t[i] == '\'') {
		char q = t[i];
		for (size_t j = i + 1; j < e->len && t[j] != '\n'; j++) {
			if (q == '"' && t[j] == '\\') {
				j++;
				continue;
			}
			if (t[j] == q) {
				if (q == '\'' && j + 1 < e->len && t[j + 1] == '\'') {
					j++;
					continue;
				}
				return j + 1;
			}
		}
		return (size_t)-1;
	}
	size_t j = i;
	while (j < e->len && t[j] != '\n' && !(flow && (t[j] == ',' || t[j] == '}' || t[j] == ']')) &&
	       !(t[j] == '#' && j > i && (t[j - 1] == ' ' || t[j - 1] == '\t')))
		j++;
	while (j > i && (t[j - 1] == ' ' || t[j - 1] == '\t'))
		j--;
	return j;
}

/* Is offset i inside a flow collection on its line (an unclosed '{'
 * or '[' before it)?  Enough for the one-line flow mappings specs use. */
static bool in_flow(const struct specedit *e, size_t i)
{
	size_t s = i;
	while (s > 0 && e->text[s - 1] != '\n')
		s--;
	int depth = 0;
	for (size_t j = s; j < i; j++)
		depth += e->text[j] == '{' || e->text[j] == '[' ? 1 : e->text[j] == '}' || e->text[j] == ']' ? -1 : 0;
	return depth > 0;
}

/* Does the token before offset i (on its line) start with '&' or '!'?
 * The loader marks an anchored or tagged scalar at its text, and a new
 * value there would change every alias of it too. */
static bool after_anchor_or_tag(const struct specedit *e, size_t i)
{
	size_t j = i;
	while (j > 0 && (e->text[j - 1] == ' ' || e->text[j - 1] == '\t'))
		j--;
	size_t end = j;
	while (j > 0 && e->text[j - 1] != ' ' && e->text[j - 1] != '\t' && e->text[j - 1] != '\n')
		j--;
	return end > j && (e->text[j] == '&' || e->text[j] == '!');
}

int specedit_set(struct specedit *e, const struct value *v, const char *text, const char **why)
{
	size_t i = offset_of(e, &v->mark);
	if (!v_is_scalar(v) || i == (size_t)-1 || e->text[i] == '|' || e->text[i] == '>' || e->text[i] == '&' ||
	    e->text[i] == '*' || e->text[i] == '!' || after_anchor_or_tag(e, i)) {
		*why = "the value is not a plain or quoted scalar on one line (an anchor, alias, tag or block scalar): "
		       "edit it by hand";
		return -1;
	}
	size_t end = scalar_end(e, i, in_flow(e, i));
	if (end == (size_t)-1 || end <= i) {
		*why = "the value's text could not be found at its position: edit it by hand";
		return -1;
	}
	push(e, i, end - i, text);
	return 0;
}

/* The '}' closing the flow mapping that opens at i. */
static size_t flow_close(const struct specedit *e, size_t i)
{
	int depth = 0;
	char q = 0;
	for (size_t j = i; j < e->len; j++) {
		char c = e->text[j];
		if (q) {
			if (c == '\\' && q == '"')
				j++;
			else if (c == q)
				q = 0;
			continue;
		}
		if (c == '"' || c == '\'')
			q = c;
		else if (c == '#' && j > 0 && (e->text[j - 1] == ' ' || e->text[j - 1] == '\n'))
			return (size_t)-1; /* a comment inside: leave it to a person */
		else if (c == '{' || c == '[')
			depth++;
		else if (c == '}' || c == ']') {
			if (--depth == 0)
				return c == '}' ? j : (size_t)-1;
		}
	}
	return (size_t)-1;
}

int specedit_add(struct specedit *e, const struct value *m, const char *key, const char *text, const char **why)
{
	size_t i = offset_of(e, &m->mark);
	*why = "the mapping's layout is not one asbgen can extend safely: add the key by hand";
	if (m->kind != V_MAP || i == (size_t)-1)
		return -1;
	if (e->text[i] == '{') {
		size_t close = flow_close(e, i);
		if (close == (size_t)-1)
			return -1;
		size_t at = close;
		while (at > i + 1 && (e->text[at - 1] == ' ' || e->text[at - 1] == '\t'))
			at--;
		bool empty = at == i + 1;
		push(e, at, 0, arena_printf(e->a, "%s%s: %s", empty ? "" : ", ", key, text));
		return 0;
	}
	/* A block mapping: the mark is its first key.  The new pair goes on
	 * the next line, when the first pair's value ends on its own line. */
	if (m->map.n == 0)
		return -1;
	const struct pair *first = &m->map.items[0];
	if (!v_is_scalar(first->val) || first->val->mark.line != first->key->mark.line)
		return -1;
	size_t vi = offset_of(e, &first->val->mark);
	if (vi == (size_t)-1 || e->text[vi] == '|' || e->text[vi] == '>')
		return -1;
	const char *nl = memchr(e->text + vi, '\n', e->len - vi);
	size_t at = nl ? (size_t)(nl - e->text) + 1 : e->len;
	int indent = m->mark.col - 1;
	push(e, at, 0,
	     arena_printf(e->a, "%s%*s%s: %s\n", nl ? "" : "\n", indent, "", key, text));
	return 0;
}

static int cmp_edit(const void *x, const void *y)
{
	const struct edit *a = x, *b = y;
	return a->at < b->at ? -1 : a->at > b->at;
}

char *specedit_result(struct specedit *e, size_t *len)
{
	if (e->n)
		qsort(e->edits, e->n, sizeof *e->edits, cmp_edit);
	size_t n = e->len;
	for (size_t k = 0; k < e->n; k++)
		n += strlen(e->edits[k].ins) - e->edits[k].del;
	char *out = arena_alloc(e->a, n + 1), *o = out;
	size_t from = 0;
	for (size_t k = 0; k < e->n; k++) {
		const struct edit *x = &e->edits[k];
		/* edits never overlap: each is a different node */
		memcpy(o, e->text + from, x->at - from);
		o += x->at - from;
		size_t il = strlen(x->ins);
		memcpy(o, x->ins, il);
		o += il;
		from = x->at + x->del;
	}
	memcpy(o, e->text + from, e->len - from);
	o += e->len - from;
	*o = '\0';
	*len = (size_t)(o - out);
	return out;
}

int specedit_write(const char *path, const char *text, size_t len, const char **why)
{
	/* A new file (asbgen import -o) is 0644, as render writes. */
	struct stat st = { .st_mode = 0644 }, old;
	if (stat(path, &old) == 0)
		st = old;
	else if (errno != ENOENT) {
		*why = "cannot stat it";
		return -1;
	}
	unsigned long long rnd = 0;
	if (getrandom(&rnd, sizeof rnd, GRND_NONBLOCK) != (ssize_t)sizeof rnd)
		rnd = (unsigned long long)getpid() << 20 ^ (unsigned long long)st.st_ino;
	const char *slash = strrchr(path, '/');
	char tmp[4096];
	int n = snprintf(tmp, sizeof tmp, "%.*s.%s.asbgen-tmp.%016llx", slash ? (int)(slash - path + 1) : 0, path,
			 slash ? slash + 1 : path, rnd);
	if (n < 0 || (size_t)n >= sizeof tmp) {
		errno = ENAMETOOLONG;
		*why = "cannot name a temporary beside it";
		return -1;
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, st.st_mode & 07777);
	if (fd < 0) {
		*why = "cannot create a temporary beside it";
		return -1;
	}
	size_t done = 0;
	while (done < len) {
		ssize_t w = write(fd, text + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	int e = errno;
	/* fchmod: the umask may have taken bits away from the file's mode. */
	if (done != len || fchmod(fd, st.st_mode & 07777) != 0 || fsync(fd) != 0) {
		e = done != len ? e : errno;
		close(fd);
		unlink(tmp);
		errno = e;
		*why = "cannot write the temporary";
		return -1;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		e = errno;
		unlink(tmp);
		errno = e;
		*why = "cannot put the new text in place";
		return -1;
	}
	return 0;
}
