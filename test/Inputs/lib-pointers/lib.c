/* A library with run-time dispatch through an ops struct, as xxHash's
 * DISPATCH=1 build does: the implementation is chosen once (here by
 * LIBSUM_IMPL, standing in for cpuid), the ops filled, and then the
 * library says its pointers are final: altcall_pointers_final().
 *   -DFILL=lazy  (default) on the first call, from whatever thread makes it
 *   -DFILL=init  in libsum_init(), which the program calls
 *   -DFILL=ctor  in a constructor, at load
 *   -DBROKEN     lazy, but it says its pointers are final before it
 *                fills them: the control of the stress test (its sites
 *                stay on their trampolines, which the test must see).
 * It publishes "ready" before it declares the pointers final, so that
 * other threads run the sites while they are patched (the live protocol). */
#include <altcall.h>
#include <altcall/runtime.h>
#include <stdlib.h>
#include <string.h>
#include "lib.h"

#define lazy 1
#define init 2
#define ctor 3
#ifndef FILL
#define FILL lazy
#endif

static unsigned long calls[2];

static unsigned adler_generic(unsigned state, const unsigned char *p, unsigned long n)
{
	unsigned a = state & 0xffff, b = state >> 16;

	__atomic_fetch_add(&calls[0], 1, __ATOMIC_RELAXED);
	while (n--) {
		a = (a + *p++) % 65521;
		b = (b + a) % 65521;
	}
	return b << 16 | a;
}

/* The same sums, the modulo deferred over blocks (zlib's way). */
static unsigned adler_fast(unsigned state, const unsigned char *p, unsigned long n)
{
	unsigned long a = state & 0xffff, b = state >> 16;

	__atomic_fetch_add(&calls[1], 1, __ATOMIC_RELAXED);
	while (n) {
		unsigned long block = n < 5552 ? n : 5552;

		n -= block;
		while (block--) {
			a += *p++;
			b += a;
		}
		a %= 65521;
		b %= 65521;
	}
	return (unsigned)(b << 16 | a);
}

static unsigned sum_generic(const void *p, unsigned long n) { return adler_generic(1, p, n); }
static unsigned sum_fast(const void *p, unsigned long n) { return adler_fast(1, p, n); }
static unsigned update_generic(unsigned s, const void *p, unsigned long n) { return adler_generic(s, p, n); }
static unsigned update_fast(unsigned s, const void *p, unsigned long n) { return adler_fast(s, p, n); }
static unsigned sum_wrong(const void *p, unsigned long n) { (void)p; (void)n; return 0xbad; }
static unsigned update_wrong(unsigned s, const void *p, unsigned long n) { (void)s; (void)p; (void)n; return 0xbad; }

/* Static: a pointer site refers to its own image's pointer. */
static struct {
	unsigned (*sum)(const void *, unsigned long);
	unsigned (*update)(unsigned, const void *, unsigned long);
	void (*trace)(const char *);	/* optional, never set here */
} ops;
static const char *chosen = "";
static int state;	/* 0 not chosen, 1 choosing, 2 ready */

static void choose(void)
{
	const char *want = getenv("LIBSUM_IMPL");
	int fast = !want || strcmp(want, "generic");

#ifdef BROKEN
	altcall_pointers_final();	/* too early: nothing set yet */
#endif
	/* What cpuid costs under a hypervisor, and then some: a window. */
	for (volatile int spin = 0; spin < 20000; spin++)
		;
	ops.sum = fast ? sum_fast : sum_generic;
	ops.update = fast ? update_fast : update_generic;
	chosen = fast ? "fast" : "generic";
	/* Other threads may call now, through the trampolines... */
	__atomic_store_n(&state, 2, __ATOMIC_RELEASE);
	/* ...while the pointers, final, become direct calls under them. */
#ifndef BROKEN
	altcall_pointers_final();
#endif
}

static void ready(void)
{
#if FILL == lazy
	int was = 0;

	if (__atomic_load_n(&state, __ATOMIC_ACQUIRE) == 2)
		return;
	if (__atomic_compare_exchange_n(&state, &was, 1, 0, __ATOMIC_ACQUIRE,
					__ATOMIC_ACQUIRE)) {
		choose();
		return;
	}
	while (__atomic_load_n(&state, __ATOMIC_ACQUIRE) != 2)
		;
#endif
}

void libsum_init(void)
{
#if FILL == init
	choose();
#endif
}

#if FILL == ctor
__attribute__((constructor)) static void libsum_ctor(void)
{
	choose();
}
#endif

unsigned libsum(const void *p, unsigned long n)
{
	ready();
	if (ops.trace)
		alternative_vcall(ops.trace, "sum");
	return alternative_call(ops.sum, p, n);
}

unsigned libsum_update(unsigned s, const void *p, unsigned long n)
{
	ready();
	return alternative_call(ops.update, s, p, n);
}

const char *libsum_chosen(void) { return chosen; }
unsigned long libsum_calls(int i) { return __atomic_load_n(&calls[i], __ATOMIC_RELAXED); }

void libsum_poison(void)
{
	ops.sum = sum_wrong;
	ops.update = update_wrong;
}

#if ALTCALL_PLUGIN
extern const struct altcall_site __start_altcall_sites[], __stop_altcall_sites[];
#endif

unsigned libsum_sites(unsigned *on_chosen, unsigned *on_tramp, unsigned *other)
{
	unsigned n = 0;

	*on_chosen = *on_tramp = *other = 0;
#if ALTCALL_PLUGIN
	for (const struct altcall_site *r = __start_altcall_sites; r < __stop_altcall_sites; r++) {
		struct altcall_site_resolved res;
		const void *site, *now;

		altcall_record_resolve((const unsigned char *)r, (altcall_addr)(unsigned long)r, &res);
		const void *value = *(const void *const *)(unsigned long)res.alt;

		if (!altcall_site_target(r, &site, &now))
			(*other)++;
		else if (value && now == value)
			(*on_chosen)++;
		else if (!value && (altcall_addr)(unsigned long)now == res.dflt)
			(*on_tramp)++;
		else
			(*other)++;
		n++;
	}
#endif
	return n;
}
