// Sites inside GNU C nested functions are lowered with their outermost
// function (GCC gives nested functions no PRE_GENERICIZE event of their
// own): before, they were left as calls to the undefined markers.
// RUN: %cc -O0 %s %rt -o %t0 && %run %t0 | FileCheck %s
// RUN: %cc -O2 %s %rt -o %t2 && %run %t2 | FileCheck %s
// RUN: %cc-plain -O2 %s %rt -o %tp && %run %tp | FileCheck %s
// RUN: %cc -O2 -c %s -o %t.o && %sites %t.o | FileCheck %s --check-prefix=SITES
// SITES-COUNT-3: feature=sw:{{[0-9]+}}
#include <altcall.h>
#include <stdio.h>

static const char *ran;
__attribute__((noinline)) void slow(int x) { ran = x ? "slow" : "slow0"; }
__attribute__((noinline)) void fast(int x) { ran = x ? "fast" : "fast0"; }
__attribute__((noinline)) int twice(int x) { return 2 * x; }
__attribute__((noinline)) int thrice(int x) { return 3 * x; }

static int outer(int x)
{
	int depth = 0;

	void inner(int y)
	{
		void innermost(int z)
		{
			ALTERNATIVE_IF(ALTCALL_SW_FEATURE(2))
				fast(z);
			ALTERNATIVE_ELSE
				slow(z);
			ALTERNATIVE_END
			depth = 2;
		}
		ALTERNATIVE_IF(ALTCALL_SW_FEATURE(1))
			fast(y);
		ALTERNATIVE_ELSE
			slow(y);
		ALTERNATIVE_END
		innermost(y);
	}
	inner(x);
	return depth + ALTERNATIVE_CALL(ALTCALL_SW_FEATURE(1), thrice, twice)(x);
}

int main(void)
{
	// CHECK: before: slow 4
	int r = outer(1);
	printf("before: %s %d\n", ran, r);
	altcall_set_feature(ALTCALL_SW_FEATURE(2), 1);
	altcall_apply();
	// CHECK-NEXT: after: fast 4
	r = outer(1);
	printf("after: %s %d\n", ran, r);
	return 0;
}
