// -freorder-blocks-and-partition moves a site on an unlikely path into the
// function's .cold part (section .text.unlikely): the record follows it there
// and the site is patched like any other.
// The profile run never takes the unlikely path, so GCC makes it cold.
// RUN: rm -rf %t.prof && mkdir -p %t.prof
// RUN: %cc -O2 -fprofile-generate -fprofile-dir=%t.prof -c %s -o %t.o
// RUN: %cc -O2 -fprofile-generate %t.o %rt -o %t.gen && %run %t.gen train
// RUN: %cc -O2 -fprofile-use -fprofile-dir=%t.prof -freorder-blocks-and-partition -c %s -o %t.o
// RUN: %cc -O2 %t.o %rt -o %t && %run %t | FileCheck %s
// RUN: %cc -O2 -fprofile-use -fprofile-dir=%t.prof -freorder-blocks-and-partition -S %s -o %t.s
// RUN: %asm < %t.s | FileCheck %s --check-prefix=ASM
// RUN: %sites %t | FileCheck %s --check-prefix=SITES
#include <altcall.h>
#include <stdio.h>
#include <stdlib.h>

static int last;
__attribute__((noinline)) void err_old(int x) { last = -x; }
__attribute__((noinline)) void err_new(int x) { last = x; }
__attribute__((noinline, cold)) void complain(int x) { fprintf(stderr, "odd input %d\n", x); }

__attribute__((noinline)) int work(int x)
{
	if (__builtin_expect(x == 12345, 0)) {
		ALTERNATIVE_IF(ALTCALL_SW_FEATURE(1))
			err_new(x);
		ALTERNATIVE_ELSE
			err_old(x);
		ALTERNATIVE_END
		complain(x);
	}
	return x + 1;
}

int main(int argc, char **argv)
{
	if (argc > 1) {		/* training: only the likely path */
		int s = 0;
		for (int i = 0; i < 100000; i++)
			s += work(i & 1023);
		return s == 0;
	}
	work(12345);
	printf("before: %d\n", last);
	altcall_set_feature(ALTCALL_SW_FEATURE(1), 1);
	printf("apply: %d\n", altcall_apply());
	work(12345);
	printf("after: %d\n", last);
	return 0;
}
// CHECK: before: -12345
// CHECK-NEXT: apply: {{[1-9]}}
// CHECK-NEXT: after: 12345

// ASM: .long [[SITE:\.L[0-9]+]]-.
// ASM-NEXT: .long err_old-.
// ASM: .section .text.unlikely
// ASM: work.cold:
// ASM: [[SITE]]:
// ASM-NEXT: {{call|bl}} err_old
// SITES: site work.cold{{(\+0x[0-9a-f]+)?}} {{call|bl}} err_old default=err_old alt=err_new feature=sw:1
