/* SPDX-License-Identifier: MIT */
/*
 * Per-call microbenchmark driver.
 *
 *   percall list                 print "name<TAB>tu<TAB>driver symbol" per variant
 *   percall count N [SYMBOL]     run every variant (or the one whose driver is
 *                                SYMBOL) once with N calls: for instruction
 *                                counting (callgrind, qemu)
 *   percall time N REPS          x86-64: REPS rounds over all variants,
 *                                interleaved, printing "name<TAB>tu" and each
 *                                round's TSC ticks per call
 *
 * Every run of every driver is checked: its sum must be what the expected
 * target, called exactly N times, returns; a wrong sum exits 1.
 */
#define _GNU_SOURCE
#include <altcall.h>
#include <altcall/runtime.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__)
#include <x86intrin.h>
#endif
#include "percall.h"

unsigned char percall_bits[BITS_MASK + 1];

extern const struct variant percall_plain_variants[], percall_altcall_variants_before[],
	percall_altcall_variants_after[];
void percall_plain_setup(void);
void percall_altcall_setup_before(void);
void percall_altcall_setup_after(void);
void percall_altcall_applied(void);
#if defined(__x86_64__)
extern const struct variant percall_variants_retpoline[], percall_variants_cet[];
void percall_setup_retpoline(void);
void percall_setup_cet(void);
#elif defined(__aarch64__)
extern const struct variant percall_variants_bti[];
void percall_setup_bti(void);
#endif

extern const struct altcall_site __start_altcall_sites[], __stop_altcall_sites[];
extern const char __start_bench_patched[], __stop_bench_patched[];

#define MAX_VARIANTS 32
#define MAX_REPS 1000
static struct variant all[MAX_VARIANTS];
static unsigned n_all;

static void add(const struct variant *v)
{
	for (; v->name; v++) {
		if (n_all == MAX_VARIANTS) {
			fprintf(stderr, "percall: more than %d variants\n", MAX_VARIANTS);
			exit(1);
		}
		all[n_all++] = *v;
	}
}

static int in_patched(const struct altcall_site *r)
{
	const char *site = (const char *)&r->site + r->site;

	return site >= __start_bench_patched && site < __stop_bench_patched;
}

/*
 * Apply only the records of the "after" translation unit: they are one
 * contiguous run of the section (one object's input section), found by
 * their site addresses.  Every other site keeps the bytes the compiler
 * emitted, i.e. stays "before apply".  Each applied site must be rewritten.
 */
static void apply_patched_sites(void)
{
	const struct altcall_site *first = NULL, *last = NULL;

	for (const struct altcall_site *r = __start_altcall_sites; r < __stop_altcall_sites; r++) {
		if (!in_patched(r))
			continue;
		if (last && last != r - 1) {
			fprintf(stderr, "percall: bench_patched records are not contiguous\n");
			exit(1);
		}
		if (!first)
			first = r;
		last = r;
	}
	if (!first) {
		fprintf(stderr, "percall: no altcall record in bench_patched\n");
		exit(1);
	}
	altcall_set_feature(ALTCALL_SW_FEATURE(0), 1);
	int want = (int)(last - first + 1);
	int got = altcall_apply_user(first, last + 1);
	if (got != want) {
		fprintf(stderr, "percall: altcall_apply_user() = %d (%s), want %d sites patched\n",
			got, got < 0 ? altcall_strerror(got) : "too few", want);
		exit(1);
	}
}

/* Deterministic pseudo-random 0/1 table (xorshift64). */
static void fill_bits(void)
{
	unsigned long long x = 0x9e3779b97f4a7c15ull;

	for (unsigned i = 0; i <= BITS_MASK; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		percall_bits[i] = (unsigned char)(x >> 63);
	}
}

/* The sum a driver must return: sum of i + K over i < n.  Constant work
 * whatever n, so that counting instructions by difference between two
 * values of n sees the drivers alone. */
static long expected(long n, int k)
{
	static long ones_before[BITS_MASK + 2];	/* ones in percall_bits[0..j) */
	long sum = n * (n - 1) / 2;

	if (k)
		return sum + (long)k * n;
	for (unsigned j = 0; j <= BITS_MASK; j++)
		ones_before[j + 1] = ones_before[j] + percall_bits[j];
	return sum + n + (n / (BITS_MASK + 1)) * ones_before[BITS_MASK + 1] +
	       ones_before[n & BITS_MASK];
}

static long want_fixed[3], want_random;

static void check(const struct variant *v, long got)
{
	long want = v->k ? want_fixed[v->k] : want_random;

	if (got != want) {
		fprintf(stderr, "percall: %s: sum %ld, want %ld (wrong target or call count)\n",
			v->name, got, want);
		exit(1);
	}
}

static void setup(long n)
{
	fill_bits();
	for (int k = 1; k <= 2; k++)
		want_fixed[k] = expected(n, k);
	want_random = expected(n, 0);

	percall_plain_setup();
	percall_altcall_setup_before();
	percall_altcall_setup_after();
	add(percall_plain_variants);
	add(percall_altcall_variants_before);
	add(percall_altcall_variants_after);
#if defined(__x86_64__)
	percall_setup_retpoline();
	percall_setup_cet();
	add(percall_variants_retpoline);
	add(percall_variants_cet);
#elif defined(__aarch64__)
	percall_setup_bti();
	add(percall_variants_bti);
#endif
	apply_patched_sites();
	percall_altcall_applied();
}

#if defined(__x86_64__)
/* Pin to one CPU: a migration in the middle of a measurement would add the
 * cost of a cold cache and predictors to one variant only. */
static void pin(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set))
		return;
	for (int cpu = CPU_SETSIZE - 1; cpu >= 0; cpu--) {
		if (CPU_ISSET(cpu, &set)) {
			CPU_ZERO(&set);
			CPU_SET(cpu, &set);
			sched_setaffinity(0, sizeof(set), &set);
			return;
		}
	}
}

static unsigned long long ticks(void)
{
	unsigned aux;
	unsigned long long t = __rdtscp(&aux);

	_mm_lfence();
	return t;
}

static void time_all(long n, int reps)
{
	static double per_call[MAX_VARIANTS][MAX_REPS];

	pin();
	/* One warm-up round, then rounds that each start one variant later,
	 * so that no variant always runs right after the same other one. */
	for (unsigned v = 0; v < n_all; v++)
		check(&all[v], all[v].drive(n));
	for (int rep = 0; rep < reps; rep++) {
		for (unsigned j = 0; j < n_all; j++) {
			unsigned v = (j + (unsigned)rep) % n_all;
			unsigned long long t0 = ticks();
			long sum = all[v].drive(n);
			unsigned long long t1 = ticks();
			check(&all[v], sum);
			per_call[v][rep] = (double)(t1 - t0) / (double)n;
		}
	}
	for (unsigned v = 0; v < n_all; v++) {
		printf("%s\t%s", all[v].name, all[v].tu);
		for (int rep = 0; rep < reps; rep++)
			printf("\t%.4f", per_call[v][rep]);
		printf("\n");
	}
}
#endif

static int usage(const char *argv0)
{
	fprintf(stderr, "usage: %s list | count N [SYMBOL] | time N REPS\n", argv0);
	return 2;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage(argv[0]);
	if (!strcmp(argv[1], "list")) {
		setup(1);
		for (unsigned v = 0; v < n_all; v++)
			printf("%s\t%s\t%s\n", all[v].name, all[v].tu, all[v].sym);
		return 0;
	}
	if (argc < 3)
		return usage(argv[0]);
	long n = atol(argv[2]);
	if (n < 1) {
		fprintf(stderr, "percall: N must be positive\n");
		return 2;
	}
	setup(n);

	if (!strcmp(argv[1], "count")) {
		const char *only = argc > 3 ? argv[3] : NULL;
		unsigned ran = 0;
		for (unsigned v = 0; v < n_all; v++) {
			if (only && strcmp(only, all[v].sym))
				continue;
			check(&all[v], all[v].drive(n));
			ran++;
		}
		if (!ran) {
			fprintf(stderr, "percall: no variant %s\n", only);
			return 2;
		}
		return 0;
	}
#if defined(__x86_64__)
	if (!strcmp(argv[1], "time") && argc == 4) {
		int reps = atoi(argv[3]);
		if (reps < 1 || reps > MAX_REPS) {
			fprintf(stderr, "percall: REPS must be 1..%d\n", MAX_REPS);
			return 2;
		}
		time_all(n, reps);
		return 0;
	}
#endif
	return usage(argv[0]);
}
