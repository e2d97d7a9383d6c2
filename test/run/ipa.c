// The optimisers must assume nothing about a site's default target:
//  - IPA-RA: the default clobbers no register, the alternative clobbers
//    every call-clobbered one; callers of the site's function kept values
//    in those registers if the site's clobbers were taken from the default;
//  - const/pure: a const default must not let calls be merged or dropped;
//  - inlining: a tiny static default must not be inlined into the site.
// RUN: %cc -O2 %s %rt -o %t && %run %t | FileCheck %s
// RUN: %cc -O3 -fipa-ra %s %rt -o %t3 && %run %t3 | FileCheck %s
// RUN: %cc -O2 -S -o - %s | FileCheck %s %{insns} --check-prefix=ASM
#include <altcall.h>
#include <stdio.h>

// Clobbers every call-clobbered register of the psABI.
void clobber_all(void);
#ifdef __x86_64__
__asm__(".text\n.globl clobber_all\n.type clobber_all,@function\n"
	"clobber_all:\n"
	"\tmovq $0x5a5a5a5a, %rax\n\tmovq %rax, %rcx\n\tmovq %rax, %rdx\n"
	"\tmovq %rax, %rsi\n\tmovq %rax, %rdi\n\tmovq %rax, %r8\n"
	"\tmovq %rax, %r9\n\tmovq %rax, %r10\n\tmovq %rax, %r11\n"
	"\tpcmpeqd %xmm0, %xmm0\n\tpcmpeqd %xmm1, %xmm1\n\tpcmpeqd %xmm2, %xmm2\n"
	"\tpcmpeqd %xmm3, %xmm3\n\tpcmpeqd %xmm4, %xmm4\n\tpcmpeqd %xmm5, %xmm5\n"
	"\tret\n.size clobber_all, .-clobber_all\n");
#else
__asm__(".text\n.globl clobber_all\n.type clobber_all,%function\n"
	"clobber_all:\n"
	"\tmov x0, #0x5a5a\n\tmov x1, x0\n\tmov x2, x0\n\tmov x3, x0\n"
	"\tmov x4, x0\n\tmov x5, x0\n\tmov x6, x0\n\tmov x7, x0\n"
	"\tmov x8, x0\n\tmov x9, x0\n\tmov x10, x0\n\tmov x11, x0\n"
	"\tmov x12, x0\n\tmov x13, x0\n\tmov x14, x0\n\tmov x15, x0\n"
	"\tmov x16, x0\n\tmov x17, x0\n"
	"\tmovi v0.16b, #0xff\n\tmovi v1.16b, #0xff\n\tmovi v2.16b, #0xff\n"
	"\tmovi v3.16b, #0xff\n\tmovi v16.16b, #0xff\n\tmovi v17.16b, #0xff\n"
	"\tret\n.size clobber_all, .-clobber_all\n");
#endif

// -fipa-ra learns this clobbers nothing.
static __attribute__((noinline)) void clobber_none(void) { __asm__ volatile(""); }

__attribute__((noinline)) void site(void)
{
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(0))
		clobber_all();
	ALTERNATIVE_ELSE
		clobber_none();
	ALTERNATIVE_END
}

// Many values live across the call: with a wrong clobber set for site(),
// GCC keeps them in rcx, rdx, rsi, ... and the sums below go wrong.
__attribute__((noinline)) long keep_live(long a, long b, long c, long d, long e, long f)
{
	long s = 0;
	for (int i = 0; i < 4; i++) {
		long x = a * i, y = b + i, z = c - i, u = d ^ i, v = e | i, w = f + 2 * i;
		site();
		s += x + y + z + u + v + w;
	}
	return s;
}

// A const default: the three calls must stay three calls.
static int calls;
static __attribute__((noinline, const)) int const_old(int a) { return a; }
static __attribute__((noinline)) int counting_new(int a) { return a + ++calls; }

__attribute__((noinline)) int three_calls(int a)
{
	int s = 0, t;
	for (int i = 0; i < 3; i++) {
		ALTERNATIVE_IF(ALTCALL_SW_FEATURE(1))
			t = counting_new(a);
		ALTERNATIVE_ELSE
			t = const_old(a);
		ALTERNATIVE_END
		s += t;
	}
	return s;
}

int main(void)
{
	long before = keep_live(1, 2, 3, 4, 5, 6);
	int c_before = three_calls(10);
	altcall_set_feature(ALTCALL_SW_FEATURE(0), 1);
	altcall_set_feature(ALTCALL_SW_FEATURE(1), 1);
	int n = altcall_apply();
	long after = keep_live(1, 2, 3, 4, 5, 6);
	int c_after = three_calls(10);
	printf("patched=%d live: %ld %ld\n", n, before, after);
	printf("const: %d %d calls=%d\n", c_before, c_after, calls);
	return 0;
}
// The sums must not change when the site starts clobbering everything.
// CHECK: patched={{[1-9][0-9]*}} live: 108 108
// Three separate calls to counting_new: 11 + 12 + 13.
// CHECK: const: 30 36 calls=3

// The default is called, not inlined, and stays emitted.
// ASM: clobber_none:
// ASM: site:
// ASM: {{(call|jmp) clobber_none@PLT|bl? clobber_none}}

