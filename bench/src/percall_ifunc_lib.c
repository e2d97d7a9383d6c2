/* SPDX-License-Identifier: MIT */
/*
 * The ifunc variant's callee, in a shared library so that the bench calls
 * it through the PLT, as a program calls glibc's memcpy.  The resolver
 * returns the "alternative" (K = 2), as a CPU-feature resolver would.
 */
#include "percall.h"

CALLEE(callee_alt, 2)

static long (*resolve_percall_ifunc(void))(long)
{
	return callee_alt;
}

long percall_ifunc(long x) __attribute__((ifunc("resolve_percall_ifunc")));
