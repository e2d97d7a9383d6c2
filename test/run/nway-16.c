// 16 arms with a condition (an ALTERNATIVE_IF and 15 ALTERNATIVE_ELIF), the
// most a site takes: without ELSE (16 written arms, "no call" the default)
// and with one (17 written arms; ELSE is not counted), and the expression
// form with 16 ALTERNATIVE_CALLs.  Before apply the default runs; after it
// the first arm whose feature is present, whichever of the 16 it is.  The
// same with and without the plugin.
// RUN: %cc -O0 %s %rt -o %t0 && %run %t0 | FileCheck %s
// RUN: %cc -O2 %s %rt -o %t2 && %run %t2 | FileCheck %s
// RUN: %cc -Os -g %s %rt -o %ts && %run %ts | FileCheck %s
// RUN: %cc-plain -O2 %s %rt -o %tp && %run %tp | FileCheck %s
// RUN: %cc -O2 -c %s -o %t.o && %sites %t.o | FileCheck %s --check-prefix=SITES
#include <altcall.h>
#include <stdio.h>

static int last;

#define ARM(n) static void a##n(int x) { last = (n) * 100 + x; }
ARM(1) ARM(2) ARM(3) ARM(4) ARM(5) ARM(6) ARM(7) ARM(8)
ARM(9) ARM(10) ARM(11) ARM(12) ARM(13) ARM(14) ARM(15) ARM(16)
static void dflt(int x) { last = x; }
static int v1(int x) { return 100 + x; }
static int v16(int x) { return 1600 + x; }
static int vd(int x) { return x; }

#define SW(n) ALTCALL_SW_FEATURE(n)
#define NOINLINE __attribute__((noinline))

// SITES: site no_else{{[+0-9a-fx]*}} {{call|jmp|bl|b}} __altcall_nop default=none arm1=a1 if=sw:1 arm2=a2 if=sw:2 {{.*}} arm16=a16 if=sw:16{{$}}
NOINLINE void no_else(int x)
{
	ALTERNATIVE_IF(SW(1)) a1(x);
	ALTERNATIVE_ELIF(SW(2)) a2(x);
	ALTERNATIVE_ELIF(SW(3)) a3(x);
	ALTERNATIVE_ELIF(SW(4)) a4(x);
	ALTERNATIVE_ELIF(SW(5)) a5(x);
	ALTERNATIVE_ELIF(SW(6)) a6(x);
	ALTERNATIVE_ELIF(SW(7)) a7(x);
	ALTERNATIVE_ELIF(SW(8)) a8(x);
	ALTERNATIVE_ELIF(SW(9)) a9(x);
	ALTERNATIVE_ELIF(SW(10)) a10(x);
	ALTERNATIVE_ELIF(SW(11)) a11(x);
	ALTERNATIVE_ELIF(SW(12)) a12(x);
	ALTERNATIVE_ELIF(SW(13)) a13(x);
	ALTERNATIVE_ELIF(SW(14)) a14(x);
	ALTERNATIVE_ELIF(SW(15)) a15(x);
	ALTERNATIVE_ELIF(SW(16)) a16(x);
	ALTERNATIVE_END
}

// SITES: site with_else{{[+0-9a-fx]*}} {{call|jmp|bl|b}} dflt default=dflt arm1=a1 if=sw:1 {{.*}} arm16=a16 if=sw:16{{$}}
NOINLINE void with_else(int x)
{
	ALTERNATIVE_IF(SW(1)) a1(x);
	ALTERNATIVE_ELIF(SW(2)) a2(x);
	ALTERNATIVE_ELIF(SW(3)) a3(x);
	ALTERNATIVE_ELIF(SW(4)) a4(x);
	ALTERNATIVE_ELIF(SW(5)) a5(x);
	ALTERNATIVE_ELIF(SW(6)) a6(x);
	ALTERNATIVE_ELIF(SW(7)) a7(x);
	ALTERNATIVE_ELIF(SW(8)) a8(x);
	ALTERNATIVE_ELIF(SW(9)) a9(x);
	ALTERNATIVE_ELIF(SW(10)) a10(x);
	ALTERNATIVE_ELIF(SW(11)) a11(x);
	ALTERNATIVE_ELIF(SW(12)) a12(x);
	ALTERNATIVE_ELIF(SW(13)) a13(x);
	ALTERNATIVE_ELIF(SW(14)) a14(x);
	ALTERNATIVE_ELIF(SW(15)) a15(x);
	ALTERNATIVE_ELIF(SW(16)) a16(x);
	ALTERNATIVE_ELSE dflt(x);
	ALTERNATIVE_END
}

// SITES: site expression{{[+0-9a-fx]*}} {{call|jmp|bl|b}} vd default=vd arm1=v1 if=sw:1 {{.*}} arm16=v16 if=sw:16{{$}}
// SITES: 3 sites
#define C(n, f, rest) ALTERNATIVE_CALL(SW(n), f, rest)
NOINLINE int expression(int x)
{
	return C(1, v1, C(2, v1, C(3, v1, C(4, v1, C(5, v1, C(6, v1, C(7, v1, C(8, v1,
	       C(9, v1, C(10, v1, C(11, v1, C(12, v1, C(13, v1, C(14, v1, C(15, v1,
	       C(16, v16, vd))))))))))))))))(x);
}

static void show(const char *when)
{
	int a, b;

	last = -1;
	no_else(1);
	a = last;
	last = -1;
	with_else(2);
	b = last;
	printf("%s: no_else=%d with_else=%d expression=%d\n", when, a, b, expression(3));
}

int main(void)
{
	int r;

	show("before");
	// Only the 16th arm's feature: the last arm of each site.
	altcall_set_feature(SW(16), 1);
	r = altcall_apply();
	printf("apply: %s\n", r >= 0 ? "ok" : altcall_strerror(r));
	show("16");
	// The 15th as well: the first that holds wins.
	altcall_set_feature(SW(15), 1);
	r = altcall_apply();
	printf("apply: %s\n", r >= 0 ? "ok" : altcall_strerror(r));
	show("15+16");
	return 0;
}
// CHECK: before: no_else=-1 with_else=2 expression=3
// CHECK-NEXT: apply: ok
// CHECK-NEXT: 16: no_else=1601 with_else=1602 expression=1603
// CHECK-NEXT: apply: ok
// CHECK-NEXT: 15+16: no_else=1501 with_else=1502 expression=103
