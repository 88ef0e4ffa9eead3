/* arena.h - one allocator per compilation.
 *
 * Everything a compilation builds (loaded documents, the model, rendered
 * trees, diagnostics) lives in one arena and is freed at once.  Allocation
 * failure is fatal: like git's xmalloc, we print a message and exit 2, so
 * callers never see NULL from these functions.
 */
#ifndef ASBGEN_ARENA_H
#define ASBGEN_ARENA_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;

struct arena *arena_new(void);
void arena_free(struct arena *a);

/* The first member of struct arena (arena.c): the part of the current
 * chunk that is free, zero-filled and faulted in, [next, limit).  Exposed
 * for arena_alloc's inline fast path only: a compilation makes tens of
 * thousands of small allocations, and a call each was a twentieth of a
 * small render. */
struct arena_bump {
	unsigned char *next, *limit;
};

void *arena_alloc_slow(struct arena *a, size_t size);

/* Zero-filled, aligned to 8 bytes: enough for every type asbgen keeps in
 * an arena (none holds a long double or an __int128), and a tree node of
 * 40 bytes then takes 40, not 48 (10,000 users' model 4 MB less). */
static inline void *arena_alloc(struct arena *a, size_t size)
{
	struct arena_bump *b = (struct arena_bump *)a;
	size_t n = (size + 7) & ~(size_t)7;
	/* n - 1 wraps for 0 (a size of 0, or one so large it wrapped): the
	 * slow path sorts those out.  As integers: a new arena's pointers
	 * are both NULL. */
	if (n - 1 < (size_t)((uintptr_t)b->limit - (uintptr_t)b->next)) {
		void *p = b->next;
		b->next += n;
		return p;
	}
	return arena_alloc_slow(a, size);
}
/* Grow an arena block; the old block is abandoned (arena memory is never
 * freed one by one), so use it for small arrays, or prefer xrealloc. */
void *arena_realloc(struct arena *a, void *old, size_t old_size, size_t new_size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);
/* parts[0..n) joined: what arena_printf("%s%s...") gives, without the
 * formatting (a tenth of a large check's time went to vsnprintf). */
char *arena_concat(struct arena *a, const char *const *parts, size_t n);

/* Forget every allocation but keep the chunks for reuse: a scratch arena
 * for work done once per item (one output's tree, one spec's render)
 * stays as large as its largest item and maps nothing more. */
void arena_clear(struct arena *a);

/* Does p point into memory a handed out? */
bool arena_holds(const struct arena *a, const void *p);

/* Bytes handed out so far (for the benchmark's memory figure). */
size_t arena_used(const struct arena *a);
/* Bytes of the chunks it holds, the spare ones arena_clear kept too. */
size_t arena_held(const struct arena *a);

/* Checked heap allocation for buffers that outlive or outgrow an arena. */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
void die_oom(void) __attribute__((noreturn));

#endif
