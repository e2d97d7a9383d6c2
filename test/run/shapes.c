// Before altcall_apply() every site runs its default; after it, the target
// the features chose, in every shape; re-apply follows feature changes.
// The build without the plugin must behave identically (same CHECK lines).
// RUN: %cc -O0 %s %rt -o %t.O0 && %run %t.O0 | FileCheck %s --check-prefixes=CHECK,PLUGIN
// RUN: %cc -O1 %s %rt -o %t.O1 && %run %t.O1 | FileCheck %s --check-prefixes=CHECK,PLUGIN
// RUN: %cc -O2 %s %rt -o %t.O2 && %run %t.O2 | FileCheck %s --check-prefixes=CHECK,PLUGIN
// RUN: %cc -O3 %s %rt -o %t.O3 && %run %t.O3 | FileCheck %s --check-prefixes=CHECK,PLUGIN
// RUN: %cc -Os %s %rt -o %t.Os && %run %t.Os | FileCheck %s --check-prefixes=CHECK,PLUGIN
// RUN: %cc -O2 -g %s %rt -o %t.g && %run %t.g | FileCheck %s --check-prefixes=CHECK,PLUGIN
// RUN: %cc-plain -O2 %s %rt -o %t.plain && %run %t.plain | FileCheck %s --check-prefixes=CHECK,FALLBACK
#include <altcall.h>
#include <stdio.h>

static char trace[64];
static int pos;
#define RAN(c) (trace[pos++] = (c))

#define F_A ALTCALL_SW_FEATURE(10)
#define F_B ALTCALL_SW_FEATURE(63)

__attribute__((noinline)) void void_new(int a, int b) { RAN('N'); (void)a; (void)b; }
__attribute__((noinline)) void void_old(int a, int b) { RAN('o'); (void)a; (void)b; }
__attribute__((noinline)) int int_new(int a) { RAN('N'); return a * 10; }
__attribute__((noinline)) int int_old(int a) { RAN('o'); return a + 1; }
static __attribute__((noinline)) long st_new(long a) { RAN('S'); return a * 100; }
static __attribute__((noinline)) long st_old(long a) { RAN('s'); return a - 1; }
struct big { long v[6]; };
__attribute__((noinline)) struct big big_new(int a) { RAN('B'); return (struct big){ { a, a, a, a, a, 2 } }; }
__attribute__((noinline)) struct big big_old(int a) { RAN('b'); return (struct big){ { a, a, a, a, a, 1 } }; }
__attribute__((noinline)) void log_it(int a) { RAN('L'); (void)a; }

int out;

__attribute__((noinline)) void s_call(int a, int b)
{
	ALTERNATIVE_IF(F_A)
		void_new(a, b);
	ALTERNATIVE_ELSE
		void_old(a, b);
	ALTERNATIVE_END
}

__attribute__((noinline)) void s_assign(int a)
{
	ALTERNATIVE_IF(F_A)
		out = int_new(a);
	ALTERNATIVE_ELSE
		out = int_old(a);
	ALTERNATIVE_END
}

__attribute__((noinline)) int s_return(int a)
{
	ALTERNATIVE_IF_NOT(F_B)
		return int_old(a);
	ALTERNATIVE_ELSE
		return int_new(a);
	ALTERNATIVE_END
}

__attribute__((noinline)) long s_static_tail(long a)
{
	ALTERNATIVE_IF(F_B)
		return st_new(a);
	ALTERNATIVE_ELSE
		return st_old(a);
	ALTERNATIVE_END
}

__attribute__((noinline)) long s_struct(int a)
{
	struct big r;
	ALTERNATIVE_IF(F_A)
		r = big_new(a);
	ALTERNATIVE_ELSE
		r = big_old(a);
	ALTERNATIVE_END
	return r.v[0] + r.v[5];
}

__attribute__((noinline)) void s_nocall_default(int a)
{
	ALTERNATIVE_IF(F_A)
		log_it(a);
	ALTERNATIVE_END
	RAN('.');
}

__attribute__((noinline)) void s_nocall_default_tail(int a)
{
	ALTERNATIVE_IF(F_A)
		log_it(a);
	ALTERNATIVE_END
}

__attribute__((noinline)) void s_nocall_alt(int a)
{
	ALTERNATIVE_IF_NOT(F_B)
		log_it(a);
	ALTERNATIVE_END
	RAN('.');
}

__attribute__((noinline)) int s_expr(int a)
{
	return ALTERNATIVE_CALL(F_B, int_new, int_old)(a) + 1000;
}

static void run(const char *when)
{
	long r1, r2, r3, r4;

	pos = 0;
	s_call(1, 2);
	s_assign(3);
	r1 = s_return(4);
	r2 = s_static_tail(5);
	r3 = s_struct(6);
	s_nocall_default(7);
	s_nocall_default_tail(8);
	s_nocall_alt(9);
	r4 = s_expr(10);
	trace[pos] = 0;
	printf("%s: %s out=%d r=%ld,%ld,%ld,%ld\n", when, trace, out, r1, r2, r3, r4);
}

int main(void)
{
	struct altcall_report rep;

	printf("plugin=%d\n", ALTCALL_PLUGIN);
	// PLUGIN: plugin=1
	// FALLBACK: plugin=0
	altcall_set_feature(F_A, 1);
	run("before");
	// CHECK-NEXT: before: ooosb.L.o out=4 r=5,4,7,1011
	int n = altcall_apply();
	altcall_get_report(&rep);
	printf("apply: %s refused=%u\n", n >= 0 ? "ok" : altcall_strerror(n), rep.refused);
	// CHECK-NEXT: apply: ok refused=0
	run("F_A");
	// CHECK-NEXT: F_A: NNosBL.LL.o out=30 r=5,4,8,1011
	altcall_set_feature(F_A, 0);
	altcall_set_feature(F_B, 1);
	n = altcall_apply();
	run("F_B");
	// CHECK-NEXT: F_B: ooNSb..N out=4 r=40,500,7,1100
	printf("again: %d\n", altcall_apply());
	// CHECK-NEXT: again: 0
	run("F_B");
	// CHECK-NEXT: F_B: ooNSb..N out=4 r=40,500,7,1100
	return 0;
}
