// Sites in init text (functions in a section .init.*, as a kernel's
// __init) call trampolines in that same section: before apply they follow
// the pointer, apply makes each a direct call to its value, like any other
// site.  The init function's tail site through a pointer is a call on
// x86-64 (a jmp to a label of its own section would be shortened by gas to
// 2 bytes): apply would refuse a site it cannot rewrite, so "refused=0"
// also says every site kept its 5-byte form.  In user space .init.text is
// an orphan section that ld places in the text segment.
// RUN: %cc -O0 %s %rt -o %t0 && %run %t0 | FileCheck %s --check-prefixes=CHECK,PLUGIN
// RUN: %cc -O2 %s %rt -o %t2 && %run %t2 | FileCheck %s --check-prefixes=CHECK,PLUGIN
// RUN: %cc -O2 -fPIE -pie -ffunction-sections %s %rt -o %tp && %run %tp | FileCheck %s --check-prefixes=CHECK,PLUGIN
// RUN: %cc-plain -O2 %s %rt -o %tf && %run %tf | FileCheck %s --check-prefixes=CHECK,FALLBACK
// RUN: %sites --apply %t2 | FileCheck %s --check-prefixes=SITES,SITES-%{arch}
#include <altcall.h>
#include <stdio.h>

struct ops { long (*a)(long); long (*b)(long); } ops;

static long a_generic(long x) { return x + 1; }
static long a_fast(long x) { return x + 100; }
static long b_generic(long x) { return x * 2; }
static long b_fast(long x) { return x * 3; }

#define init_text __attribute__((section(".init.text"), noinline, used))

init_text long init_call(long x)
{
	return alternative_call(ops.a, x) + 1;
}

init_text long init_tail(long x)
{
	return alternative_call(ops.b, x);
}

__attribute__((noinline, used)) long text_call(long x)
{
	return alternative_call(ops.b, x) + 1;
}

static void run(const char *when)
{
	printf("%s: init_call=%ld init_tail=%ld text_call=%ld\n", when,
	       init_call(1), init_tail(2), text_call(3));
}

int main(void)
{
	struct altcall_report rep;

	ops.a = a_generic;
	ops.b = b_generic;
	run("before");
	// CHECK: before: init_call=3 init_tail=4 text_call=7
	ops.a = a_fast;
	ops.b = b_fast;
	run("set");
	// CHECK-NEXT: set: init_call=102 init_tail=6 text_call=10
	int n = altcall_apply();
	altcall_get_report(&rep);
	printf("apply: %s sites=%u refused=%u unset=%u\n",
	       n >= 0 ? "ok" : altcall_strerror(n), rep.sites, rep.refused, rep.unset);
	// PLUGIN-NEXT: apply: ok sites=3 refused=0 unset=0
	// FALLBACK-NEXT: apply: ok sites=0 refused=0 unset=0
	/* Patched: the sites no longer follow the pointers. */
	ops.a = a_generic;
	ops.b = b_generic;
	run("after");
	// PLUGIN-NEXT: after: init_call=102 init_tail=6 text_call=10
	// FALLBACK-NEXT: after: init_call=3 init_tail=4 text_call=7
	return 0;
}

// SITES: site init_call+0x{{[0-9a-f]+}} {{call|bl}} trampoline default=trampoline alt=*ops feature=pointer
// SITES-X86_64: site init_tail{{(\+0x[0-9a-f]+)?}} call trampoline default=trampoline alt=*ops+0x8 feature=pointer
// SITES-AARCH64: site init_tail{{(\+0x[0-9a-f]+)?}} {{jmp|b|bl}} trampoline default=trampoline alt=*ops+0x8 feature=pointer
// SITES: site text_call+0x{{[0-9a-f]+}} {{call|bl}} trampoline default=trampoline alt=*ops+0x8 feature=pointer
