// Every site shape becomes one direct call (or a tail-call branch of full
// reach) right at its record's label, with no conditional branch left and
// no placeholder or marker in the code.
// RUN: %cc -O0 -S -o - %s | %asm | FileCheck %s %{insns} --check-prefixes=CHECK,NOTAIL --implicit-check-not='{{^[[:space:]]+[a-z]+[[:space:]].*__altcall_(site|cond)}}' --implicit-check-not='{{^[[:space:]]+(j(n?[abcegloprsz]|n?[abgl]e|p[eo])|b\.[a-z]+|cbn?z|tbn?z)[[:space:]]}}'
// RUN: %cc -O1 -S -o - %s | %asm | FileCheck %s %{insns} --check-prefixes=CHECK,NOTAIL --implicit-check-not='{{^[[:space:]]+[a-z]+[[:space:]].*__altcall_(site|cond)}}' --implicit-check-not='{{^[[:space:]]+(j(n?[abcegloprsz]|n?[abgl]e|p[eo])|b\.[a-z]+|cbn?z|tbn?z)[[:space:]]}}'
// RUN: %cc -O2 -S -o - %s | %asm | FileCheck %s %{insns} --check-prefixes=CHECK,TAIL,TAIL-%{arch} --implicit-check-not='{{^[[:space:]]+[a-z]+[[:space:]].*__altcall_(site|cond)}}' --implicit-check-not='{{^[[:space:]]+(j(n?[abcegloprsz]|n?[abgl]e|p[eo])|b\.[a-z]+|cbn?z|tbn?z)[[:space:]]}}'
// RUN: %cc -O3 -S -o - %s | %asm | FileCheck %s %{insns} --check-prefixes=CHECK,TAIL,TAIL-%{arch} --implicit-check-not='{{^[[:space:]]+[a-z]+[[:space:]].*__altcall_(site|cond)}}' --implicit-check-not='{{^[[:space:]]+(j(n?[abcegloprsz]|n?[abgl]e|p[eo])|b\.[a-z]+|cbn?z|tbn?z)[[:space:]]}}'
// RUN: %cc -Os -S -o - %s | %asm | FileCheck %s %{insns} --check-prefixes=CHECK,TAIL,TAIL-%{arch} --implicit-check-not='{{^[[:space:]]+[a-z]+[[:space:]].*__altcall_(site|cond)}}' --implicit-check-not='{{^[[:space:]]+(j(n?[abcegloprsz]|n?[abgl]e|p[eo])|b\.[a-z]+|cbn?z|tbn?z)[[:space:]]}}'
// RUN: %cc -O2 -g -S -o - %s | %asm | FileCheck %s %{insns} --check-prefixes=CHECK,TAIL,TAIL-%{arch} --implicit-check-not='{{^[[:space:]]+[a-z]+[[:space:]].*__altcall_(site|cond)}}'
#include <altcall.h>

void new_fn(int, int);
void old_fn(int, int);
int new_val(int);
int old_val(int);
int g, out;

#ifdef __x86_64__
#define CPU_FEATURE ALTCALL_CPU_AVX2				/* 0x8e25 */
#define RAW_CPU_FEATURE ALTCALL_CPU_X86(7u, 0, ALTCALL_X86_EBX, 9)	/* 0x8e29 */
#else
#define CPU_FEATURE ALTCALL_CPU_ATOMICS			/* 0x8008 */
#define RAW_CPU_FEATURE ALTCALL_CPU_HWCAP2(17)			/* 0x8051 */
#endif

// CHECK:      .pushsection altcall_sites,"aR",{{[@%]}}progbits
// CHECK-NEXT: .long [[LCALL:\.L[0-9]+]]-.
// CHECK-NEXT: .long old_fn-.
// CHECK-NEXT: .long new_fn-.
// CHECK-NEXT: .short 0x1
// CHECK-NEXT: .popsection
// CHECK:      shape_call:
// CHECK:      [[LCALL]]:
// CHECK-NEXT: [[CALL]] old_fn[[PLT]]
void shape_call(int a, int b)
{
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(1))
		new_fn(a, b);
	ALTERNATIVE_ELSE
		old_fn(a, b);
	ALTERNATIVE_END
	g++;
}

// CHECK:      .pushsection altcall_sites,"aR",{{[@%]}}progbits
// CHECK-NEXT: .long [[ASSIGN:\.L[0-9]+]]-.
// CHECK-NEXT: .long old_val-.
// CHECK-NEXT: .long new_val-.
// CHECK-NEXT: .short [[CPU]]
// CHECK:      shape_assign:
// CHECK:      [[ASSIGN]]:
// CHECK-NEXT: [[CALL]] old_val[[PLT]]
void shape_assign(int a)
{
	ALTERNATIVE_IF(CPU_FEATURE)
		out = new_val(a);
	ALTERNATIVE_ELSE
		out = old_val(a);
	ALTERNATIVE_END
	g++;
}

// IF_NOT: the first arm is the default.
// CHECK:      .pushsection altcall_sites,"aR",{{[@%]}}progbits
// CHECK-NEXT: .long [[RET:\.L[0-9]+]]-.
// CHECK-NEXT: .long old_val-.
// CHECK-NEXT: .long new_val-.
// CHECK-NEXT: .short 0x2
// CHECK:      shape_return:
// CHECK:      [[RET]]:
// NOTAIL-NEXT: [[CALL]] old_val[[PLT]]
// TAIL-NEXT:   [[TAIL]] old_val[[PLT]]
int shape_return(int a)
{
	ALTERNATIVE_IF_NOT(ALTCALL_SW_FEATURE(2))
		return old_val(a);
	ALTERNATIVE_ELSE
		return new_val(a);
	ALTERNATIVE_END
}

// No ELSE on IF: the default is "no call" (the runtime's __altcall_nop).
// CHECK:      .pushsection altcall_sites,"aR",{{[@%]}}progbits
// CHECK-NEXT: .long [[NOCALL:\.L[0-9]+]]-.
// CHECK-NEXT: .long 0
// CHECK-NEXT: .long new_fn-.
// CHECK-NEXT: .short 0x3
// CHECK:      shape_nocall_default:
// CHECK:      [[NOCALL]]:
// CHECK-NEXT: [[CALL]] __altcall_nop[[PLT]]
void shape_nocall_default(int a)
{
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(3))
		new_fn(a, 1);
	ALTERNATIVE_END
	g++;
}

// No ELSE on IF_NOT: the alternative is "no call".
// CHECK:      .pushsection altcall_sites,"aR",{{[@%]}}progbits
// CHECK-NEXT: .long [[NOALT:\.L[0-9]+]]-.
// CHECK-NEXT: .long old_fn-.
// CHECK-NEXT: .long 0
// CHECK-NEXT: .short 0x4
// CHECK:      shape_nocall_alt:
// CHECK:      [[NOALT]]:
// CHECK-NEXT: [[CALL]] old_fn[[PLT]]
void shape_nocall_alt(int a)
{
	ALTERNATIVE_IF_NOT(ALTCALL_SW_FEATURE(4))
		old_fn(a, 2);
	ALTERNATIVE_END
	g++;
}

// The expression form, with a raw cpuid bit (leaf 7, EBX bit 9).
// CHECK:      .pushsection altcall_sites,"aR",{{[@%]}}progbits
// CHECK-NEXT: .long [[EXPR:\.L[0-9]+]]-.
// CHECK-NEXT: .long old_val-.
// CHECK-NEXT: .long new_val-.
// CHECK-NEXT: .short [[RAWCPU]]
// CHECK:      shape_expr:
// CHECK:      [[EXPR]]:
// CHECK-NEXT: [[CALL]] old_val[[PLT]]
int shape_expr(int a)
{
	return ALTERNATIVE_CALL(RAW_CPU_FEATURE, new_val, old_val)(a) * 3;
}

// A tail call to a static default: on x86 it stays a call (gas would
// shorten the jmp); arm64's b always has full reach.
static __attribute__((noinline)) int local_old(int a) { return a + 1; }
static __attribute__((noinline)) int local_new(int a) { return a + 2; }
// CHECK:      .pushsection altcall_sites,"aR",{{[@%]}}progbits
// CHECK-NEXT: .long [[LOCAL:\.L[0-9]+]]-.
// CHECK-NEXT: .long local_old-.
// CHECK-NEXT: .long local_new-.
// CHECK-NEXT: .short 0x5
// CHECK:      shape_local_tail:
// CHECK:      [[LOCAL]]:
// NOTAIL-NEXT: [[CALL]] local_old[[PLT]]
// TAIL-X86_64-NEXT: call local_old@PLT
// TAIL-AARCH64-NEXT: b local_old
int shape_local_tail(int a)
{
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(5))
		return local_new(a);
	ALTERNATIVE_ELSE
		return local_old(a);
	ALTERNATIVE_END
}
