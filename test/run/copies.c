// Every copy the optimisers make of a site (inlining into several callers,
// full unrolling, cloning) is its own call with its own record, and every
// copy is patched.
// RUN: %cc -O0 %s %rt -o %t0 && %run %t0 | FileCheck %s
// RUN: %cc -O2 %s %rt -o %t2 && %run %t2 | FileCheck %s --check-prefixes=CHECK,COPIES
// RUN: %cc -O3 %s %rt -o %t3 && %run %t3 | FileCheck %s --check-prefixes=CHECK,COPIES
// RUN: %cc -O3 -funroll-all-loops %s %rt -o %t4 && %run %t4 | FileCheck %s --check-prefixes=CHECK,COPIES
// RUN: %cc -O3 -c %s -o %t3.o && %sites %t3.o | FileCheck %s --check-prefix=RECORDS
#include <altcall.h>
#include <stdio.h>

static int fast_calls, slow_calls;
__attribute__((noinline)) int fast(int x) { fast_calls++; return x * 2; }
__attribute__((noinline)) int slow(int x) { slow_calls++; return x * 2; }

static inline int pick(int x)
{
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(5))
		return fast(x);
	ALTERNATIVE_ELSE
		return slow(x);
	ALTERNATIVE_END
}

__attribute__((noinline)) int caller_a(int x) { return pick(x) + 1; }
__attribute__((noinline)) int caller_b(int x) { return pick(x) * 3; }
__attribute__((noinline)) int unrolled(void)
{
	int s = 0;
#pragma GCC unroll 4
	for (int i = 0; i < 4; i++)
		s += pick(i);
	return s;
}

static int run(void)
{
	return caller_a(1) + caller_b(2) + unrolled();
}

int main(void)
{
	struct altcall_report rep;
	int before = run();
	int before_slow = slow_calls;
	altcall_set_feature(ALTCALL_SW_FEATURE(5), 1);
	altcall_apply();
	altcall_get_report(&rep);
	slow_calls = 0;
	int after = run();
	printf("sites=%u refused=%u\n", rep.sites, rep.refused);
	printf("before=%d slow=%d after=%d fast=%d slow=%d\n", before, before_slow,
	       after, fast_calls, slow_calls);
	return 0;
}
// At -O0 pick() is one function: one site.  Optimised, each caller and
// each unrolled iteration holds a copy.
// CHECK: sites={{[0-9]+}} refused=0
// COPIES-NOT: sites=1 refused
// CHECK: before=27 slow=6 after=27 fast=6 slow=0

// RECORDS-DAG: site caller_a{{(\+0x[0-9a-f]+)?}} {{call|jmp|bl|b}} slow default=slow alt=fast feature=sw:5
// RECORDS-DAG: site caller_b{{(\+0x[0-9a-f]+)?}} {{call|bl}} slow default=slow alt=fast feature=sw:5
// RECORDS-DAG: site unrolled+0x{{[0-9a-f]+}} {{call|bl}} slow
// RECORDS-DAG: site unrolled+0x{{[0-9a-f]+}} {{call|bl}} slow
// RECORDS-DAG: site unrolled+0x{{[0-9a-f]+}} {{call|bl}} slow
// RECORDS-DAG: site unrolled+0x{{[0-9a-f]+}} {{call|bl}} slow
// RECORDS: 6 sites
