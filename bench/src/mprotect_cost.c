/* SPDX-License-Identifier: MIT */
/*
 * What the patching cost is made of, measured without the runtime:
 *
 *   mprotect_cost FILE SPAN SITES REPS
 *
 * maps SPAN bytes of FILE (a file of at least that size, in the page
 * cache) privately and read+execute, as a program's text is, and writes 5
 * bytes at SITES sites spread evenly over it, each group of sites read
 * first and then written between an mprotect to RWX and one back:
 *
 *   site    one mprotect pair per site
 *   batch   one pair per 128 sites (what the runtime's user platform does:
 *           the core hands it patches in batches of 128)
 *   page    one pair per page
 *   once    one pair for the whole span: the page faults alone
 *
 * Each mode runs REPS times on a fresh mapping (so every page faults again:
 * a read fault, then a copy-on-write fault) and prints
 * "mode<TAB>median ns<TAB>mprotect pairs".
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define BATCH 128
#define MAX_REPS 64

static long page;

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

/* Read sites [lo, hi) at their offsets, then write them under one pair. */
static void patch_group(unsigned char *base, const size_t *off, size_t lo, size_t hi)
{
	volatile unsigned char sink = 0;

	for (size_t i = lo; i < hi; i++)
		sink ^= base[off[i]];
	size_t first = off[lo] & ~(size_t)(page - 1);
	size_t last = (off[hi - 1] + 5 + (size_t)page - 1) & ~(size_t)(page - 1);
	if (mprotect(base + first, last - first, PROT_READ | PROT_WRITE | PROT_EXEC)) {
		perror("mprotect");
		exit(1);
	}
	for (size_t i = lo; i < hi; i++)
		memset(base + off[i], 0x90 ^ sink, 5);
	if (mprotect(base + first, last - first, PROT_READ | PROT_EXEC)) {
		perror("mprotect");
		exit(1);
	}
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: %s FILE SPAN SITES REPS\n", argv[0]);
		return 2;
	}
	page = sysconf(_SC_PAGESIZE);
	size_t span = (size_t)atol(argv[2]);
	size_t sites = (size_t)atol(argv[3]);
	int reps = atoi(argv[4]);
	int fd = open(argv[1], O_RDONLY);
	if (fd < 0 || sites < 1 || span < 5 * sites || reps < 1 || reps > MAX_REPS) {
		fprintf(stderr, "mprotect_cost: bad arguments\n");
		return 2;
	}
	size_t *off = malloc(sites * sizeof(*off));
	for (size_t i = 0; i < sites; i++)
		off[i] = i * (span - 5) / (sites > 1 ? sites - 1 : 1);
	size_t len = (span + (size_t)page - 1) & ~(size_t)(page - 1);

	static const char *const modes[] = { "site", "batch", "page", "once" };
	for (unsigned m = 0; m < 4; m++) {
		long long t[MAX_REPS];
		size_t pairs = 0;
		for (int r = 0; r < reps; r++) {
			unsigned char *base = mmap(NULL, len, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
			if (base == MAP_FAILED) {
				perror("mmap");
				return 1;
			}
			pairs = 0;
			long long t0 = now_ns();
			for (size_t lo = 0, hi; lo < sites; lo = hi, pairs++) {
				switch (m) {
				case 0: hi = lo + 1; break;
				case 1: hi = lo + BATCH < sites ? lo + BATCH : sites; break;
				case 2:
					for (hi = lo + 1; hi < sites &&
					     off[hi] / (size_t)page == off[lo] / (size_t)page; hi++)
						;
					break;
				default: hi = sites; break;
				}
				patch_group(base, off, lo, hi);
			}
			t[r] = now_ns() - t0;
			munmap(base, len);
		}
		qsort(t, (size_t)reps, sizeof(t[0]), cmp_ll);
		printf("%s\t%lld\t%zu\n", modes[m], t[reps / 2], pairs);
	}
	return 0;
}
