/* SPDX-License-Identifier: MIT */
/*
 * Per-call microbenchmark: what every variant's translation unit shares.
 *
 * Each variant is a driver, drive_NAME(n), that calls a callee n times in a
 * loop and returns the sum of what the calls returned.  The callee body is
 * the same everywhere: return x + K, with K naming the target (1 = the
 * default, 2 = the alternative, WRONG_K = a target no correct run reaches),
 * so the sum proves which target ran and how often.  The sum stays in a
 * register: a counter in memory would chain every call to the previous one
 * through store forwarding (~5 cycles) and hide the call's own cost.
 *
 * Callees and drivers are noipa: the optimisers must treat every call as a
 * call to an unknown function, which is what an altcall site's placeholder
 * looks like to them, so that the direct-call baseline gets no IPA register
 * allocation or constant propagation that the other variants cannot get.
 */
#ifndef PERCALL_H
#define PERCALL_H

#define WRONG_K 1000

/* Random target choice for the mispredicting variants: a 64 KiB table of
 * 0/1, longer than any branch history the predictors can learn. */
#define BITS_MASK 0xffff
extern unsigned char percall_bits[BITS_MASK + 1];

typedef long (*driver_fn)(long n);

struct variant {
	const char *name;	/* the row label */
	const char *sym;	/* the driver's symbol: callgrind names it, "count" selects by it */
	driver_fn drive;
	int k;			/* expected K of every call; 0: K from percall_bits */
	const char *tu;		/* translation unit, to name its compiler flags */
};

#define NOIPA __attribute__((noipa))

/* used: some are reached only from asm or through pointers set at run time. */
#define CALLEE(name, k) \
	static NOIPA __attribute__((used)) long name(long x) { return x + (k); }

/* One driver: CALL is a statement that sets r from a call with argument i. */
#define DRIVER(fn, attrs, CALL)						\
	NOIPA attrs long fn(long n)					\
	{								\
		long acc = 0;						\
		for (long i = 0; i < n; i++) {				\
			long r;						\
			CALL;						\
			acc += r;					\
		}							\
		return acc;						\
	}

#define VSTR_(x) #x
#define VSTR(x) VSTR_(x)
#define VARIANT(name, fn, k, tu) { name, VSTR(fn), fn, k, tu }
#define END_OF_VARIANTS { 0, 0, 0, 0, 0 }

#endif /* PERCALL_H */
