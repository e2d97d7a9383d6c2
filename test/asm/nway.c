// N-way sites (ALTERNATIVE_ELIF, ALTCALL_ALL, nested ALTERNATIVE_CALL) in
// every shape: still one direct call to the default at the record's label,
// no conditional branch, and the record points at an arm table that lists
// every other arm in source order with all the features of its condition.
// A two-way site on one feature keeps the classic 14-byte record.
// RUN: %cc -O0 -S -o - %s | %asm | FileCheck %s %{insns} --check-prefixes=CHECK,NOTAIL --implicit-check-not='{{^[[:space:]]+[a-z]+[[:space:]].*__altcall_(site|cond)}}' --implicit-check-not='{{^[[:space:]]+(j(n?[abcegloprsz]|n?[abgl]e|p[eo])|b\.[a-z]+|cbn?z|tbn?z)[[:space:]]}}'
// RUN: %cc -O2 -S -o - %s | %asm | FileCheck %s %{insns} --check-prefixes=CHECK,TAIL --implicit-check-not='{{^[[:space:]]+[a-z]+[[:space:]].*__altcall_(site|cond)}}' --implicit-check-not='{{^[[:space:]]+(j(n?[abcegloprsz]|n?[abgl]e|p[eo])|b\.[a-z]+|cbn?z|tbn?z)[[:space:]]}}'
// RUN: %cc -Os -S -o - %s | %asm | FileCheck %s %{insns} --check-prefixes=CHECK,TAIL --implicit-check-not='{{^[[:space:]]+[a-z]+[[:space:]].*__altcall_(site|cond)}}' --implicit-check-not='{{^[[:space:]]+(j(n?[abcegloprsz]|n?[abgl]e|p[eo])|b\.[a-z]+|cbn?z|tbn?z)[[:space:]]}}'
// The same bytes in the object: 3 arms of single features cost 14 + 15 bytes.
// RUN: %cc -O2 -c -o %t.o %s
// RUN: %sites %t.o | FileCheck %s --check-prefix=SITES
// SITES-COUNT-8: site
#include <altcall.h>

void f0(int, int), f1(int, int), f2(int, int), f3(int, int), f4(int, int),
     f5(int, int), f6(int, int), f7(int, int);
int v0(int), v1(int), v2(int), v3(int), v4(int), v5(int), v6(int), v7(int);
int g, out;

#define SW(n) ALTCALL_SW_FEATURE(n)
#ifdef __x86_64__
#define CPU_FEATURE ALTCALL_CPU_AVX2				/* 0x8e25 */
#else
#define CPU_FEATURE ALTCALL_CPU_ATOMICS			/* 0x8008 */
#endif

// Statement, 3 arms; the second condition on two features.
// CHECK:      .pushsection .rodata.altcall_arms,"a",{{[@%]}}progbits
// CHECK-NEXT: [[CALL3:\.L[0-9]+]].arms:
// CHECK-NEXT: .byte 2
// CHECK-NEXT: .long f1-.
// CHECK-NEXT: .byte 1
// CHECK-NEXT: .short 0x1
// CHECK-NEXT: .long f2-.
// CHECK-NEXT: .byte 2
// CHECK-NEXT: .short 0x2, [[CPU]]
// CHECK-NEXT: .popsection
// CHECK-NEXT: .pushsection altcall_sites,"aR",{{[@%]}}progbits
// CHECK-NEXT: .long [[CALL3]]-.
// CHECK-NEXT: .long f0-.
// CHECK-NEXT: .long [[CALL3]].arms-.
// CHECK-NEXT: .short 0x4001
// CHECK-NEXT: .popsection
// CHECK:      call3:
// CHECK:      [[CALL3]]:
// CHECK-NEXT: [[CALL]] f0[[PLT]]
void call3(int a, int b)
{
	ALTERNATIVE_IF(SW(1))
		f1(a, b);
	ALTERNATIVE_ELIF(ALTCALL_ALL(SW(2), CPU_FEATURE))
		f2(a, b);
	ALTERNATIVE_ELSE
		f0(a, b);
	ALTERNATIVE_END
	g++;
}

// Assignment, 4 arms.
// CHECK:      [[ASSIGN4:\.L[0-9]+]].arms:
// CHECK-NEXT: .byte 3
// CHECK-NEXT: .long v1-.
// CHECK-NEXT: .byte 1
// CHECK-NEXT: .short 0x1
// CHECK-NEXT: .long v2-.
// CHECK-NEXT: .byte 1
// CHECK-NEXT: .short 0x2
// CHECK-NEXT: .long v3-.
// CHECK-NEXT: .byte 3
// CHECK-NEXT: .short 0x3, 0x4, 0x5
// CHECK-NEXT: .popsection
// CHECK-NEXT: .pushsection altcall_sites,"aR",{{[@%]}}progbits
// CHECK-NEXT: .long [[ASSIGN4]]-.
// CHECK-NEXT: .long v0-.
// CHECK-NEXT: .long [[ASSIGN4]].arms-.
// CHECK-NEXT: .short 0x4001
// CHECK:      assign4:
// CHECK:      [[ASSIGN4]]:
// CHECK-NEXT: [[CALL]] v0[[PLT]]
void assign4(int a)
{
	ALTERNATIVE_IF(SW(1))
		out = v1(a);
	ALTERNATIVE_ELIF(SW(2))
		out = v2(a);
	ALTERNATIVE_ELIF(ALTCALL_ALL(SW(3), SW(4), SW(5)))
		out = v3(a);
	ALTERNATIVE_ELSE
		out = v0(a);
	ALTERNATIVE_END
	g++;
}

// Return (a tail call once optimised), 8 arms, the last condition on the
// most features a condition takes.
// CHECK:      [[RET8:\.L[0-9]+]].arms:
// CHECK-NEXT: .byte 7
// CHECK-NEXT: .long v1-.
// CHECK-NEXT: .byte 1
// CHECK-NEXT: .short 0x1
// CHECK-NEXT: .long v2-.
// CHECK-NEXT: .byte 1
// CHECK-NEXT: .short 0x2
// CHECK-NEXT: .long v3-.
// CHECK-NEXT: .byte 1
// CHECK-NEXT: .short 0x3
// CHECK-NEXT: .long v4-.
// CHECK-NEXT: .byte 1
// CHECK-NEXT: .short 0x4
// CHECK-NEXT: .long v5-.
// CHECK-NEXT: .byte 1
// CHECK-NEXT: .short 0x5
// CHECK-NEXT: .long v6-.
// CHECK-NEXT: .byte 1
// CHECK-NEXT: .short 0x6
// CHECK-NEXT: .long v7-.
// CHECK-NEXT: .byte 8
// CHECK-NEXT: .short 0x7, 0x8, 0x9, 0xa, 0xb, 0xc, 0xd, 0xe
// CHECK-NEXT: .popsection
// CHECK-NEXT: .pushsection altcall_sites,"aR",{{[@%]}}progbits
// CHECK-NEXT: .long [[RET8]]-.
// CHECK-NEXT: .long v0-.
// CHECK-NEXT: .long [[RET8]].arms-.
// CHECK-NEXT: .short 0x4001
// CHECK:      return8:
// CHECK:      [[RET8]]:
// NOTAIL-NEXT: [[CALL]] v0[[PLT]]
// TAIL-NEXT:   [[TAIL]] v0[[PLT]]
int return8(int a)
{
	ALTERNATIVE_IF(SW(1))
		return v1(a);
	ALTERNATIVE_ELIF(SW(2))
		return v2(a);
	ALTERNATIVE_ELIF(SW(3))
		return v3(a);
	ALTERNATIVE_ELIF(SW(4))
		return v4(a);
	ALTERNATIVE_ELIF(SW(5))
		return v5(a);
	ALTERNATIVE_ELIF(SW(6))
		return v6(a);
	ALTERNATIVE_ELIF(ALTCALL_ALL(SW(7), SW(8), SW(9), SW(10), SW(11), SW(12), SW(13), SW(14)))
		return v7(a);
	ALTERNATIVE_ELSE
		return v0(a);
	ALTERNATIVE_END
}

// No ELSE, 3 arms: the default is "no call".
// CHECK:      [[NOELSE:\.L[0-9]+]].arms:
// CHECK-NEXT: .byte 2
// CHECK-NEXT: .long f1-.
// CHECK-NEXT: .byte 1
// CHECK-NEXT: .short 0x1
// CHECK-NEXT: .long f2-.
// CHECK-NEXT: .byte 1
// CHECK-NEXT: .short 0x2
// CHECK-NEXT: .popsection
// CHECK-NEXT: .pushsection altcall_sites,"aR",{{[@%]}}progbits
// CHECK-NEXT: .long [[NOELSE]]-.
// CHECK-NEXT: .long 0
// CHECK-NEXT: .long [[NOELSE]].arms-.
// CHECK-NEXT: .short 0x4001
// CHECK:      noelse3:
// CHECK:      [[NOELSE]]:
// CHECK-NEXT: [[CALL]] __altcall_nop
void noelse3(int a, int b)
{
	ALTERNATIVE_IF(SW(1))
		f1(a, b);
	ALTERNATIVE_ELIF(SW(2))
		f2(a, b);
	ALTERNATIVE_END
	g++;
}

// Expression form, 3 arms: ALTERNATIVE_CALL as another's default.
// CHECK:      [[EXPR3:\.L[0-9]+]].arms:
// CHECK-NEXT: .byte 2
// CHECK-NEXT: .long v1-.
// CHECK-NEXT: .byte 1
// CHECK-NEXT: .short 0x1
// CHECK-NEXT: .long v2-.
// CHECK-NEXT: .byte 2
// CHECK-NEXT: .short 0x2, 0x3
// CHECK-NEXT: .popsection
// CHECK-NEXT: .pushsection altcall_sites,"aR",{{[@%]}}progbits
// CHECK-NEXT: .long [[EXPR3]]-.
// CHECK-NEXT: .long v0-.
// CHECK-NEXT: .long [[EXPR3]].arms-.
// CHECK-NEXT: .short 0x4001
// CHECK:      expr3:
// CHECK:      [[EXPR3]]:
// CHECK-NEXT: [[CALL]] v0[[PLT]]
int expr3(int a)
{
	return ALTERNATIVE_CALL(SW(1), v1,
				ALTERNATIVE_CALL(ALTCALL_ALL(SW(2), SW(3)), v2, v0))(a) + 1;
}

// Expression form, 8 arms.
// CHECK:      [[EXPR8:\.L[0-9]+]].arms:
// CHECK-NEXT: .byte 7
// CHECK-NEXT: .long v7-.
// CHECK-NEXT: .byte 1
// CHECK-NEXT: .short 0x7
// CHECK-NEXT: .long v6-.
// CHECK-NEXT: .byte 1
// CHECK-NEXT: .short 0x6
// CHECK-NEXT: .long v5-.
// CHECK-NEXT: .byte 1
// CHECK-NEXT: .short 0x5
// CHECK-NEXT: .long v4-.
// CHECK-NEXT: .byte 1
// CHECK-NEXT: .short 0x4
// CHECK-NEXT: .long v3-.
// CHECK-NEXT: .byte 1
// CHECK-NEXT: .short 0x3
// CHECK-NEXT: .long v2-.
// CHECK-NEXT: .byte 1
// CHECK-NEXT: .short 0x2
// CHECK-NEXT: .long v1-.
// CHECK-NEXT: .byte 1
// CHECK-NEXT: .short 0x1
// CHECK-NEXT: .popsection
// CHECK-NEXT: .pushsection altcall_sites,"aR",{{[@%]}}progbits
// CHECK-NEXT: .long [[EXPR8]]-.
// CHECK-NEXT: .long v0-.
// CHECK-NEXT: .long [[EXPR8]].arms-.
// CHECK-NEXT: .short 0x4001
// CHECK:      expr8:
// CHECK:      [[EXPR8]]:
// CHECK-NEXT: [[CALL]] v0[[PLT]]
int expr8(int a)
{
	return ALTERNATIVE_CALL(SW(7), v7,
	       ALTERNATIVE_CALL(SW(6), v6,
	       ALTERNATIVE_CALL(SW(5), v5,
	       ALTERNATIVE_CALL(SW(4), v4,
	       ALTERNATIVE_CALL(SW(3), v3,
	       ALTERNATIVE_CALL(SW(2), v2,
	       ALTERNATIVE_CALL(SW(1), v1, v0)))))))(a) + 1;
}

// Two arms on two features: a one-arm table.  IF_NOT's first arm stays the
// default and the ELSE arm takes the condition.
// CHECK:      [[NOT2:\.L[0-9]+]].arms:
// CHECK-NEXT: .byte 1
// CHECK-NEXT: .long f1-.
// CHECK-NEXT: .byte 2
// CHECK-NEXT: .short 0x1, 0x2
// CHECK-NEXT: .popsection
// CHECK-NEXT: .pushsection altcall_sites,"aR",{{[@%]}}progbits
// CHECK-NEXT: .long [[NOT2]]-.
// CHECK-NEXT: .long f0-.
// CHECK-NEXT: .long [[NOT2]].arms-.
// CHECK-NEXT: .short 0x4001
// CHECK:      not2:
// CHECK:      [[NOT2]]:
// CHECK-NEXT: [[CALL]] f0[[PLT]]
void not2(int a, int b)
{
	ALTERNATIVE_IF_NOT(ALTCALL_ALL(SW(1), SW(2)))
		f0(a, b);
	ALTERNATIVE_ELSE
		f1(a, b);
	ALTERNATIVE_END
	g++;
}

// One feature, two arms: the classic record, no table.
// CHECK:      .pushsection altcall_sites,"aR",{{[@%]}}progbits
// CHECK-NEXT: .long [[CLASSIC:\.L[0-9]+]]-.
// CHECK-NEXT: .long f0-.
// CHECK-NEXT: .long f1-.
// CHECK-NEXT: .short 0x3
// CHECK-NEXT: .popsection
// CHECK:      classic:
// CHECK:      [[CLASSIC]]:
// CHECK-NEXT: [[CALL]] f0[[PLT]]
void classic(int a, int b)
{
	ALTERNATIVE_IF(ALTCALL_ALL(SW(3)))
		f1(a, b);
	ALTERNATIVE_ELSE
		f0(a, b);
	ALTERNATIVE_END
	g++;
}
