/* SPDX-License-Identifier: MIT */
/*
 * Driver of bench/bench_library.py:
 *   libdispatch count N LEN   N calls of libdispatch_crc32c() on LEN bytes
 *                             (instruction counting: callgrind)
 *   libdispatch time N LEN R  R rounds of N calls, TSC ticks per call each
 * Every result is checked against the table implementation; a wrong one
 * exits 1.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__)
#include <x86intrin.h>
#endif

const char *libdispatch_init(void);
uint32_t libdispatch_crc32c(uint32_t crc, const void *p, size_t n);
uint32_t libdispatch_reference(uint32_t crc, const void *p, size_t n);
unsigned libdispatch_patched(void);

static unsigned char buf[4096];

static __attribute__((noinline)) uint32_t drive(long n, size_t len)
{
	uint32_t acc = 0;

	for (long i = 0; i < n; i++)
		acc = libdispatch_crc32c(acc, buf, len);
	return acc;
}

int main(int argc, char **argv)
{
	long n = atol(argv[2]);
	size_t len = (size_t)atol(argv[3]);
	uint32_t want = 0;
	const char *impl = libdispatch_init();

	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 131 + 7);
	if (len > sizeof(buf))
		return 2;
	for (long i = 0; i < n; i++)
		want = libdispatch_reference(want, buf, len);
	if (!strcmp(argv[1], "count")) {
		if (drive(n, len) != want) {
			fprintf(stderr, "libdispatch: wrong CRC\n");
			return 1;
		}
		printf("%s %u\n", impl, libdispatch_patched());
		return 0;
	}
#if defined(__x86_64__)
	for (int r = 0; r < atoi(argv[4]); r++) {
		unsigned aux;
		uint64_t t0 = __rdtscp(&aux);
		uint32_t got = drive(n, len);
		uint64_t t1 = __rdtscp(&aux);

		if (got != want) {
			fprintf(stderr, "libdispatch: wrong CRC\n");
			return 1;
		}
		printf("%.3f\n", (double)(t1 - t0) / n);
	}
#endif
	return 0;
}
