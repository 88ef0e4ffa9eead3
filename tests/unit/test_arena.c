/* test_arena.c - the bump allocator (compiler/arena.c): every allocation
 * is zero-filled and writable, whether it comes from the heap chunk, from
 * a mapping pre-faulted a step at a time, from a block of its own or from
 * a chunk arena_clear handed back, through the inline fast path or the
 * slow one; arena_used, arena_held, arena_holds and arena_realloc keep
 * their word, and a cleared arena used again maps nothing more. */
#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "unit.h"

static bool all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* Allocate `total` bytes in pieces of sizes cycling through odd lengths,
 * each checked zero, then filled with a pattern; true when all were. */
static bool fill_pieces(struct arena *a, size_t total, unsigned char pattern)
{
	static const size_t sizes[] = { 1, 7, 24, 100, 333, 1000, 4095, 4097, 20000, 70000 };
	bool ok = true;
	for (size_t got = 0, i = 0; got < total; i++) {
		size_t n = sizes[i % (sizeof sizes / sizeof sizes[0])];
		unsigned char *p = arena_alloc(a, n);
		if (((uintptr_t)p & 7) || !all_zero(p, n))
			ok = false;
		memset(p, pattern, n);
		got += n;
	}
	return ok;
}

int main(void)
{
	struct arena *a = arena_new();
	/* 6 MiB: the heap chunk, mappings of 128 KiB to 2 MiB pre-faulted
	 * in steps, and huge-page chunks where the system has them. */
	CHECK("allocations are zero-filled and 8-byte aligned across chunks and pre-fault steps",
	      fill_pieces(a, 6u << 20, 0xA5));
	CHECK("arena_used counts what was handed out", arena_used(a) >= (6u << 20));

	unsigned char *big = arena_alloc(a, 3u << 20); /* a block of its own */
	bool big_ok = all_zero(big, 3u << 20);
	memset(big, 0x5A, 3u << 20);
	CHECK("a large block gets zero-filled memory of its own", big_ok);
	CHECK("arena_holds: its own memory yes, a stack address no",
	      arena_holds(a, big + 12345) && !arena_holds(a, &big_ok));

	arena_clear(a);
	CHECK("after arena_clear every reused byte is zero again", fill_pieces(a, 9u << 20, 0x3C));

	/* A scratch arena filled the same way after each clear: the chunks
	 * it kept, small ones too, take the second round (it once mapped a
	 * new chunk of its grown size while spares were left unused). */
	struct arena *s0 = arena_new();
	fill_pieces(s0, 5u << 20, 0x11);
	size_t held = arena_held(s0);
	arena_clear(s0);
	fill_pieces(s0, 5u << 20, 0x22);
	CHECK("arena_clear: the same use again maps nothing more", arena_held(s0) == held);
	arena_free(s0);

	struct arena *b = arena_new();
	unsigned char *q = arena_alloc(b, 10);
	arena_alloc(b, 17);
	arena_alloc(b, 0);
	CHECK("arena_used: each size rounded up to 8 (0 takes 8)", arena_used(b) == 16 + 24 + 8);
	CHECK("arena_holds: the end of the newest block yes, past what was handed out no",
	      arena_holds(b, q + 47) && !arena_holds(b, q + 48));
	arena_clear(b);
	CHECK("arena_clear: nothing handed out, nothing held", arena_used(b) == 0 && !arena_holds(b, q));
	arena_free(b);

	char *s = arena_strdup(a, "kafka");
	char *t = arena_realloc(a, s, 6, 64);
	CHECK("arena_realloc copies the old block and zero-fills the rest",
	      !strcmp(t, "kafka") && all_zero((unsigned char *)t + 6, 58));
	CHECK_STR("arena_printf formats past its stack buffer",
		  arena_printf(a, "%300s|", "x") + 299, "x|");
	arena_free(a);

	return UNIT_DONE();
}
