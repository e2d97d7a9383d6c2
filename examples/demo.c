/* SPDX-License-Identifier: MIT */
/*
 * altcall demo: three sites, shown before and after altcall_apply().
 * Each line names the function that actually ran and the instruction bytes
 * at the site, so the patch can be seen, not just inferred.
 *
 *   altcall-demo [--no-avx2] [--fast-path] [--sum]
 */
#include <altcall.h>
#include <altcall/runtime.h>
#include <stdio.h>
#include <string.h>

#define FAST_PATH ALTCALL_SW_FEATURE(0)

static const char *ran;

static __attribute__((noinline)) unsigned popcount_generic(unsigned long x)
{
	unsigned n = 0;

	ran = "popcount_generic";
	for (; x; x &= x - 1)
		n++;
	return n;
}

static __attribute__((noinline, target("popcnt"))) unsigned popcount_hw(unsigned long x)
{
	ran = "popcount_hw (POPCNT)";
	return (unsigned)__builtin_popcountl(x);
}

static __attribute__((noinline)) void sum_scalar(const int *v, int n, long *out)
{
	ran = "sum_scalar";
	for (*out = 0; n--; )
		*out += *v++;
}

static __attribute__((noinline, target("avx2"))) void sum_avx2(const int *v, int n, long *out)
{
	ran = "sum_avx2";
	for (*out = 0; n--; )
		*out += *v++;
}

static __attribute__((noinline)) void log_slow(const char *what)
{
	ran = "log_slow";
	(void)what;
}

/* Xen-style ops, filled at init: alternative_call makes the call direct. */
static __attribute__((noinline)) int hash_fnv(const char *s)
{
	unsigned h = 2166136261u;

	ran = "hash_fnv";
	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return (int)(h & 0xffff);
}

static __attribute__((noinline)) int hash_sum(const char *s)
{
	int h = 0;

	ran = "hash_sum";
	while (*s)
		h += *s++;
	return h;
}

struct hash_ops {
	int (*hash)(const char *);
} hash_ops;

int demo_hash(const char *s)
{
	return alternative_call(hash_ops.hash, s);
}

unsigned demo_popcount(unsigned long x)
{
	ALTERNATIVE_IF(ALTCALL_CPU_POPCNT)
		return popcount_hw(x);
	ALTERNATIVE_ELSE
		return popcount_generic(x);
	ALTERNATIVE_END
}

void demo_sum(const int *v, int n, long *out)
{
	ALTERNATIVE_IF(ALTCALL_CPU_AVX2)
		sum_avx2(v, n, out);
	ALTERNATIVE_ELSE
		sum_scalar(v, n, out);
	ALTERNATIVE_END
}

void demo_log(const char *what)
{
	/* Without ELSE: no call at all once the fast path is chosen. */
	ALTERNATIVE_IF_NOT(FAST_PATH)
		log_slow(what);
	ALTERNATIVE_END
}

extern const struct altcall_site __start_altcall_sites[], __stop_altcall_sites[];

static const char *name_of(const void *fn)
{
	static const struct { const void *fn; const char *name; } known[] = {
		{ popcount_generic, "popcount_generic" }, { popcount_hw, "popcount_hw" },
		{ sum_scalar, "sum_scalar" }, { sum_avx2, "sum_avx2" },
		{ log_slow, "log_slow" }, { __altcall_nop, "__altcall_nop" },
		{ hash_fnv, "hash_fnv" }, { hash_sum, "hash_sum" },
	};
	for (unsigned i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (known[i].fn == fn)
			return known[i].name;
	return "?";
}

/* The bytes at each site, decoded (x86-64: E8 call, E9 jmp, 5-byte NOP). */
static void show_sites(void)
{
	for (const struct altcall_site *r = __start_altcall_sites; r < __stop_altcall_sites; r++) {
		const unsigned char *b = (const unsigned char *)&r->site + r->site;
		int rel = (int)((unsigned)b[1] | (unsigned)b[2] << 8 | (unsigned)b[3] << 16 |
				(unsigned)b[4] << 24);
		printf("    site %p: %02x %02x %02x %02x %02x  ", (const void *)b,
		       b[0], b[1], b[2], b[3], b[4]);
		const unsigned char *to = b + 5 + rel;
		const unsigned char *dflt = (const unsigned char *)&r->dflt + r->dflt;
		if ((b[0] == 0xe8 || b[0] == 0xe9) && r->feature == ALTCALL_FEATURE_POINTER &&
		    to == dflt)
			printf("%s trampoline (jmp *hash_ops.hash)\n", b[0] == 0xe8 ? "call" : "jmp ");
		else if (b[0] == 0xe8 || b[0] == 0xe9)
			printf("%s %s\n", b[0] == 0xe8 ? "call" : "jmp ", name_of(to));
		else
			printf("nop\n");
	}
}

static void run_sites(void)
{
	static const int v[] = { 1, 2, 3, 4 };
	long sum;
	unsigned pc;

	ran = "nothing";
	pc = demo_popcount(0xf0f0);
	printf("  popcount(0xf0f0) = %u  via %s\n", pc, ran);
	demo_sum(v, 4, &sum);
	printf("  sum(1..4)        = %ld via %s\n", sum, ran);
	ran = "nothing (the call became a NOP)";
	demo_log("hello");
	printf("  log(\"hello\")      via %s\n", ran);
	int h = demo_hash("altcall");
	printf("  hash(\"altcall\")   = %d via %s\n", h, ran);
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--no-avx2"))
			altcall_set_feature(ALTCALL_CPU_AVX2, 0);
		else if (!strcmp(argv[i], "--fast-path"))
			altcall_set_feature(FAST_PATH, 1);
		else if (strcmp(argv[i], "--sum"))
			return fprintf(stderr, "usage: %s [--no-avx2] [--fast-path] [--sum]\n", argv[0]), 2;
	}
	hash_ops.hash = argc > 1 && !strcmp(argv[argc - 1], "--sum") ? hash_sum : hash_fnv;
	printf("altcall %s\n", ALTCALL_PLUGIN ? "plugin build" : "fallback build");
	printf("features: POPCNT=%d AVX2=%d fast-path=%d\n",
	       altcall_feature_enabled(ALTCALL_CPU_POPCNT),
	       altcall_feature_enabled(ALTCALL_CPU_AVX2),
	       altcall_feature_enabled(FAST_PATH));

	printf("before altcall_apply():\n");
	run_sites();
	show_sites();

	int patched = altcall_apply();
	struct altcall_report rep;
	altcall_get_report(&rep);
	printf("altcall_apply() = %d (%u sites, %u patched, %u refused)\n",
	       patched, rep.sites, rep.patched, rep.refused);

	printf("after altcall_apply():\n");
	run_sites();
	show_sites();
	return patched < 0;
}
