/* SPDX-License-Identifier: MIT */
/*
 * Linked with -Wl,--wrap=mprotect into a second apply binary: counts the
 * runtime's mprotect calls and the time spent in them, to say what bounds
 * the apply (the timed binary is linked without it).
 */
#include <stddef.h>
#include <sys/mman.h>
#include <time.h>

unsigned long mprotect_trace_calls;
unsigned long long mprotect_trace_ns;

int __real_mprotect(void *addr, size_t len, int prot);

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
}

int __wrap_mprotect(void *addr, size_t len, int prot)
{
	unsigned long long t0 = now_ns();
	int ret = __real_mprotect(addr, len, prot);

	mprotect_trace_ns += now_ns() - t0;
	mprotect_trace_calls++;
	return ret;
}
