/* arena.c - bump allocator in chained chunks. */
#include "arena.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define ARENA_FIRST_CHUNK (64 * 1024)
#define ARENA_MAX_CHUNK (16u << 20)
#define ARENA_ALIGN 8 /* arena.h's arena_alloc rounds to it too */

/* Chunks are anonymous mappings.  Touching fresh pages one 4 KiB fault at
 * a time costs several times more on the VMs we run on (2.6 ms per MB
 * against 0.5), and large renders allocate tens of MB, so small chunks are
 * pre-faulted: PREFAULT_STEP bytes at a time as the bump pointer reaches
 * them (MADV_POPULATE_WRITE), not all at once (MAP_POPULATE), because the
 * newest chunk is mostly unused when the work ends: a small render left
 * 650 KiB of its last 1 MiB chunk zeroed and charged for nothing.  Where
 * the kernel has no MADV_POPULATE_WRITE (before 5.14), chunks are mapped
 * with MAP_POPULATE as before.  Chunks of 2 MiB and more are aligned to
 * 2 MiB and given to transparent huge pages (MADV_HUGEPAGE) when the
 * system offers them: one fault then maps 2 MiB, and only the part of a
 * chunk actually used is ever faulted and zeroed (pre-faulting 16 MiB
 * chunks zeroed memory the render never used, and zeroing is the biggest
 * single cost of a large render here).  Where THP is off, big chunks are
 * pre-faulted like small ones.  Chunks grow geometrically so the number of
 * mappings stays small.  Fresh mappings are zero-filled, a heap chunk is
 * zeroed a page at a time as it is handed out, and bump allocation never
 * reuses memory (arena_clear zeroes what it hands back), so allocations
 * are zero-filled without a memset each. */
#define HUGE_PAGE (2u << 20)
#define PREFAULT_STEP (64u << 10)
struct chunk {
	struct chunk *next;
	size_t size, used, mapped; /* mapped 0: from the heap (malloc) */
	/* data[0..zeroed) is zero-filled: all of a mapping; a heap chunk is
	 * zeroed as it is handed out (most arenas use a few KiB of it, and
	 * zeroing 64 KiB for each was a sixth of a small render). */
	size_t zeroed;
	/* A mapping's bytes from its start known faulted in (all of it for
	 * huge pages and MAP_POPULATE; SIZE_MAX for a heap chunk). */
	size_t faulted;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

struct arena {
	/* First: arena.h's arena_alloc reads it.  It bumps in head, whose
	 * `used` is then behind: sync_head brings it up to date. */
	struct arena_bump bump;
	struct chunk *head;
	struct chunk *spare; /* chunks arena_clear emptied, for reuse */
	bool no_prefault;  /* MADV_POPULATE_WRITE failed: MAP_POPULATE instead */
	size_t next_size; /* size of the next chunk */
};

/* head->used as the inline fast path left it. */
static void sync_head(struct arena *a)
{
	if (a->head)
		a->head->used = (size_t)((uintptr_t)a->bump.next - (uintptr_t)a->head->data);
}

/* The fast path's region: the rest of head that is zeroed and faulted. */
static void set_bump(struct arena *a)
{
	struct chunk *c = a->head;
	if (!c) {
		a->bump.next = a->bump.limit = NULL;
		return;
	}
	size_t lim = c->zeroed;
	if (c->faulted != SIZE_MAX && c->faulted - sizeof(struct chunk) < lim)
		lim = c->faulted - sizeof(struct chunk);
	if (lim > c->size)
		lim = c->size;
	if (lim < c->used)
		lim = c->used;
	a->bump.next = c->data + c->used;
	a->bump.limit = c->data + lim;
}

void die_oom(void)
{
	fputs("asbgen: out of memory\n", stderr);
	exit(2);
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		die_oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		die_oom();
	return p;
}

void *xrealloc(void *p, size_t size)
{
	void *q = realloc(p, size ? size : 1);
	if (!q)
		die_oom();
	return q;
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xmalloc(n), s, n);
}

struct arena *arena_new(void)
{
	return xcalloc(1, sizeof(struct arena));
}

static void chunk_free(struct chunk *c)
{
	if (c->mapped)
		munmap(c, c->mapped);
	else
		free(c);
}

void arena_free(struct arena *a)
{
	if (!a)
		return;
	for (struct chunk *c = a->head, *next; c; c = next) {
		next = c->next;
		chunk_free(c);
	}
	for (struct chunk *c = a->spare, *next; c; c = next) {
		next = c->next;
		chunk_free(c);
	}
	free(a);
}

/* Does the kernel give huge pages to a region that asks (THP "always" or
 * "madvise", not "never")?  Read for each big chunk: a few per render. */
static bool thp_available(void)
{
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
	if (!f)
		return false;
	char line[128];
	bool ok = fgets(line, sizeof line, f) && !strstr(line, "[never]");
	fclose(f);
	return ok;
}

/* A 2 MiB-aligned mapping of `mapped` bytes (a multiple of HUGE_PAGE) that
 * faults in huge pages; NULL when the system has no THP (the caller then
 * pre-faults 4 KiB pages with MAP_POPULATE). */
static void *map_huge(size_t mapped)
{
#ifdef MADV_HUGEPAGE
	if (!thp_available())
		return NULL;
	size_t span = mapped + HUGE_PAGE;
	unsigned char *raw = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED)
		return NULL;
	/* Trim the unaligned head and the tail so the chunk starts on a huge
	 * page boundary (THP only maps aligned 2 MiB ranges). */
	uintptr_t start = ((uintptr_t)raw + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
	unsigned char *p = (unsigned char *)start;
	size_t head = (size_t)(p - raw), tail = span - head - mapped;
	if (head)
		munmap(raw, head);
	if (tail)
		munmap(p + mapped, tail);
	if (madvise(p, mapped, MADV_HUGEPAGE) != 0) {
		munmap(p, mapped);
		return NULL;
	}
	return p;
#else
	(void)mapped;
	return NULL;
#endif
}

/* A chunk arena_clear emptied with room for want, or NULL. */
static struct chunk *take_spare(struct arena *a, size_t want)
{
	for (struct chunk **pp = &a->spare; *pp; pp = &(*pp)->next)
		if ((*pp)->size >= want) {
			struct chunk *c = *pp;
			*pp = c->next;
			return c;
		}
	return NULL;
}

/* A chunk of at least `want` bytes: an emptied one of a, else a new one.
 * The first chunk of an arena comes from the heap: arenas that live for
 * one small job (one .properties file's keys) then cost no mmap/munmap
 * pair, whose TLB shootdowns cost more than the job. */
static struct chunk *chunk_new(struct arena *a, size_t want)
{
	struct chunk *c = take_spare(a, want);
	if (c)
		return c;
	if (want > SIZE_MAX - sizeof(struct chunk) - HUGE_PAGE)
		die_oom();
	size_t mapped = (sizeof(struct chunk) + want + 4095) & ~(size_t)4095;
	if (!a->head && !a->spare && want <= ARENA_FIRST_CHUNK) {
		c = malloc(sizeof(struct chunk) + want);
		if (!c)
			die_oom();
		c->next = NULL;
		c->size = want;
		c->used = c->mapped = c->zeroed = 0;
		c->faulted = SIZE_MAX; /* the heap's own business */
		return c;
	}
	if (mapped >= HUGE_PAGE) {
		mapped = (mapped + HUGE_PAGE - 1) & ~(size_t)(HUGE_PAGE - 1);
		c = map_huge(mapped);
	}
	size_t faulted = mapped; /* huge pages fault 2 MiB at a time */
	if (!c) {
		int populate = a->no_prefault ? MAP_POPULATE : 0;
		c = mmap(NULL, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | populate, -1, 0);
		if (c == MAP_FAILED)
			die_oom();
		faulted = populate ? mapped : 0;
	}
	c->faulted = faulted;
	c->mapped = mapped;
	c->size = mapped - sizeof(struct chunk);
	c->used = 0;
	c->zeroed = c->size;
	return c;
}

/* Fault in c's pages up to the PREFAULT_STEP boundary past its bump
 * pointer, in one system call. */
static void prefault(struct arena *a, struct chunk *c)
{
	size_t end = sizeof(struct chunk) + c->used;
	size_t want = (end + PREFAULT_STEP - 1) & ~(size_t)(PREFAULT_STEP - 1);
	if (want > c->mapped)
		want = c->mapped;
#ifdef MADV_POPULATE_WRITE
	if (madvise((unsigned char *)c + c->faulted, want - c->faulted, MADV_POPULATE_WRITE) == 0) {
		c->faulted = want;
		return;
	}
#endif
	/* An older kernel: this chunk's pages fault one by one, later
	 * chunks are mapped with MAP_POPULATE. */
	a->no_prefault = true;
	c->faulted = c->mapped;
}

void *arena_alloc_slow(struct arena *a, size_t size)
{
	if (size > SIZE_MAX - HUGE_PAGE)
		die_oom();
	size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (size == 0)
		size = ARENA_ALIGN;
	sync_head(a);
	struct chunk *c = a->head;
	if (!c || c->size - c->used < size) {
		if (!a->next_size)
			a->next_size = ARENA_FIRST_CHUNK;
		if (size > a->next_size / 4) {
			/* A large block gets its own chunk behind the current
			 * one, so the current chunk's free space is not wasted. */
			c = chunk_new(a, size);
			if (a->head) {
				c->next = a->head->next;
				a->head->next = c;
			} else {
				c->next = NULL;
				a->head = c;
			}
		} else {
			/* Every spare that fits first, the small ones too: a
			 * scratch arena's next_size has grown with its largest
			 * use, and asking only for that size left the smaller
			 * spares unused while a new mapping was faulted in
			 * (3 MB more at each big output of 10,000 users). */
			c = take_spare(a, size);
			if (!c) {
				c = chunk_new(a, a->next_size);
				if (a->next_size < ARENA_MAX_CHUNK)
					a->next_size *= 2;
			}
			c->next = a->head;
			a->head = c;
		}
	}
	void *p = c->data + c->used;
	c->used += size;
	if (sizeof(struct chunk) + c->used > c->faulted)
		prefault(a, c);
	if (c->used > c->zeroed) {
		size_t z = (c->used + 4095) & ~(size_t)4095;
		if (z > c->size)
			z = c->size;
		memset(c->data + c->zeroed, 0, z - c->zeroed);
		c->zeroed = z;
	}
	if (c == a->head)
		set_bump(a);
	return p;
}

void arena_clear(struct arena *a)
{
	sync_head(a);
	struct chunk *keep = a->head;
	if (!keep)
		return;
	/* The other chunks are kept for reuse, not unmapped: a scratch
	 * arena cleared once per output or per spec would otherwise map and
	 * unmap a chunk each time, and every munmap interrupts the other
	 * cores (TLB shootdown).  What it keeps is its largest single use.
	 * Allocations are zero-filled: zero what was handed out (still in
	 * the cache). */
	for (struct chunk *c = keep->next, *next; c; c = next) {
		next = c->next;
		memset(c->data, 0, c->used);
		c->used = 0;
		c->next = a->spare;
		a->spare = c;
	}
	memset(keep->data, 0, keep->used);
	keep->used = 0;
	keep->next = NULL;
	set_bump(a);
}

void *arena_realloc(struct arena *a, void *old, size_t old_size, size_t new_size)
{
	void *p = arena_alloc(a, new_size);
	if (old && old_size)
		memcpy(p, old, old_size < new_size ? old_size : new_size);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_concat(struct arena *a, const char *const *parts, size_t n)
{
	size_t len = 0;
	for (size_t i = 0; i < n; i++)
		len += strlen(parts[i]);
	char *p = arena_alloc(a, len + 1), *q = p;
	for (size_t i = 0; i < n; i++) {
		size_t k = strlen(parts[i]);
		memcpy(q, parts[i], k);
		q += k;
	}
	*q = '\0';
	return p;
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	/* Most strings fit the stack buffer: one formatting pass. */
	char tmp[256];
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return arena_strdup(a, "(format error)");
	if ((size_t)n < sizeof tmp)
		return arena_strndup(a, tmp, (size_t)n);
	char *p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

bool arena_holds(const struct arena *a, const void *p)
{
	uintptr_t q = (uintptr_t)p;
	for (const struct chunk *c = a->head; c; c = c->next) {
		size_t used = c == a->head ? (size_t)((uintptr_t)a->bump.next - (uintptr_t)c->data) : c->used;
		if (q >= (uintptr_t)c->data && q < (uintptr_t)c->data + used)
			return true;
	}
	return false;
}

size_t arena_held(const struct arena *a)
{
	size_t n = 0;
	for (const struct chunk *c = a->head; c; c = c->next)
		n += c->size;
	for (const struct chunk *c = a->spare; c; c = c->next)
		n += c->size;
	return n;
}

size_t arena_used(const struct arena *a)
{
	size_t n = 0;
	for (const struct chunk *c = a->head; c; c = c->next)
		n += c == a->head ? (size_t)((uintptr_t)a->bump.next - (uintptr_t)c->data) : c->used;
	return n;
}
