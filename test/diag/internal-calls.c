// Calls without a callee (GCC's internal functions, e.g. the overflow
// builtins, as in the Linux kernel's <linux/overflow.h>) pass through the
// plugin untouched, and in an arm they are an error (the built-in message,
// at the name: the call has no callee left to name), never an ICE.
// RUN: %cc -O2 -DNO_MISUSE -c %s -o %t.o
// RUN: %cc -O0 -DNO_MISUSE -c %s -o %t0.o
// RUN: not %cc -O2 -c %s -o %t.o 2>&1 | FileCheck %s --implicit-check-not='internal compiler error' --implicit-check-not='error:'
#include <altcall.h>

static inline unsigned long size_mul(unsigned long a, unsigned long b)
{
	unsigned long r;
	if (__builtin_mul_overflow(a, b, &r))
		return ~0ul;
	return r;
}

unsigned long use(unsigned long a)
{
	int sum;
	return size_mul(a, 3) + __builtin_add_overflow((int)a, 1, &sum) + __builtin_expect(a, 0);
}

#ifndef NO_MISUSE
_Bool flag;
int arms(int a, int b)
{
	int r;
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(1))
	// CHECK: internal-calls.c:[[@LINE+1]]:24: error: an altcall arm cannot call the built-in function '__builtin_mul_overflow'
		flag = __builtin_mul_overflow(a, b, &r);
	ALTERNATIVE_ELSE
	// CHECK: internal-calls.c:[[@LINE+1]]:24: error: an altcall arm cannot call the built-in function '__builtin_add_overflow'
		flag = __builtin_add_overflow(a, b, &r);
	ALTERNATIVE_END
	return r;
}
#endif
