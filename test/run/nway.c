// N-way sites pick the first arm (in source order) whose features are all
// present, for every combination of the four software features involved,
// re-applied from whatever the previous combination chose; before the first
// apply every site runs its default.  The same with the plugin at every -O
// level, under LTO (the arm tables are emitted by lto1), and without it.  The CHECK lines were written from the first-match
// rule alone, not from a run.
// RUN: %cc -O0 %s %rtso -o %t.O0 && %run %t.O0 | FileCheck %s
// RUN: %cc -O1 %s %rtso -o %t.O1 && %run %t.O1 | FileCheck %s
// RUN: %cc -O2 %s %rtso -o %t.O2 && %run %t.O2 | FileCheck %s
// RUN: %cc -O3 %s %rtso -o %t.O3 && %run %t.O3 | FileCheck %s
// RUN: %cc -Os %s %rtso -o %t.Os && %run %t.Os | FileCheck %s
// RUN: %cc -O2 -g %s %rtso -o %t.g && %run %t.g | FileCheck %s
// RUN: %cc -O2 -flto %s %rtso -o %t.lto && %run %t.lto | FileCheck %s
// RUN: %cc-plain -O2 %s %rtso -o %t.plain && %run %t.plain | FileCheck %s
// The plugin builds really patched the sites (a plain branch would pass the
// checks above too): every call site is a record, apply patched some.
// RUN: %sites %t.O2 | FileCheck %s --check-prefix=SITES
// SITES-COUNT-6: site {{.*}}
#include <altcall.h>
#include <stdio.h>

#define F1 ALTCALL_SW_FEATURE(1)
#define F2 ALTCALL_SW_FEATURE(2)
#define F3 ALTCALL_SW_FEATURE(3)
#define F4 ALTCALL_SW_FEATURE(4)

static char ran;
#define ARM(name, c) \
	__attribute__((noinline)) void name(int a, int b) { ran = c; (void)a; (void)b; } \
	__attribute__((noinline)) int name##_v(int a) { ran = c; return a + c; }
ARM(arm_a, 'A') ARM(arm_b, 'B') ARM(arm_c, 'C') ARM(arm_d, 'D')
ARM(arm_e, 'E') ARM(arm_f, 'F') ARM(arm_g, 'G') ARM(dflt, 'd')

int out;

__attribute__((noinline)) void s_stmt(int a, int b)
{
	ALTERNATIVE_IF(F1)
		arm_a(a, b);
	ALTERNATIVE_ELIF(ALTCALL_ALL(F2, F3))
		arm_b(a, b);
	ALTERNATIVE_ELIF(F4)
		arm_c(a, b);
	ALTERNATIVE_ELSE
		dflt(a, b);
	ALTERNATIVE_END
}

__attribute__((noinline)) void s_assign(int a)
{
	ALTERNATIVE_IF(F3)
		out = arm_a_v(a);
	ALTERNATIVE_ELIF(ALTCALL_ALL(F1, F2))
		out = arm_b_v(a);
	ALTERNATIVE_ELSE
		out = dflt_v(a);
	ALTERNATIVE_END
}

__attribute__((noinline)) int s_return(int a)
{
	ALTERNATIVE_IF(ALTCALL_ALL(F1, F2))
		return arm_a_v(a);
	ALTERNATIVE_ELIF(ALTCALL_ALL(F2, F3))
		return arm_b_v(a);
	ALTERNATIVE_ELIF(F1)
		return arm_c_v(a);
	ALTERNATIVE_ELIF(ALTCALL_ALL(F3, F4))
		return arm_d_v(a);
	ALTERNATIVE_ELIF(F2)
		return arm_e_v(a);
	ALTERNATIVE_ELIF(F3)
		return arm_f_v(a);
	ALTERNATIVE_ELIF(F4)
		return arm_g_v(a);
	ALTERNATIVE_ELSE
		return dflt_v(a);
	ALTERNATIVE_END
}

__attribute__((noinline)) void s_no_else(int a, int b)
{
	ALTERNATIVE_IF(F2)
		arm_a(a, b);
	ALTERNATIVE_ELIF(F4)
		arm_b(a, b);
	ALTERNATIVE_END
}

__attribute__((noinline)) int s_expr(int a)
{
	return ALTERNATIVE_CALL(F4, arm_a_v,
				ALTERNATIVE_CALL(ALTCALL_ALL(F1, F3), arm_b_v, dflt_v))(a) * 2;
}

__attribute__((noinline)) void s_if_not(int a, int b)
{
	ALTERNATIVE_IF_NOT(ALTCALL_ALL(F1, F2))
		dflt(a, b);
	ALTERNATIVE_ELSE
		arm_a(a, b);
	ALTERNATIVE_END
}

/* Which arm each site ran; "-" for no call.  Values are checked too: an
 * arm must get the site's arguments and its result must reach the caller. */
static void run_sites(const char *what)
{
	char s, a, r, n, e, i;
	int bad = 0, v;

	ran = '-'; s_stmt(1, 2); s = ran;
	ran = '-'; s_assign(3); a = ran; bad |= out != 3 + a;
	ran = '-'; v = s_return(4); r = ran; bad |= v != 4 + r;
	ran = '-'; s_no_else(5, 6); n = ran;
	ran = '-'; v = s_expr(7); e = ran; bad |= v != 2 * (7 + e);
	ran = '-'; s_if_not(8, 9); i = ran;
	printf("%s: s=%c a=%c r=%c n=%c e=%c i=%c%s\n", what, s, a, r, n, e, i,
	       bad ? " BAD VALUE" : "");
}

int main(void)
{
	char what[16];
	unsigned m;

	run_sites("before");
	for (m = 0; m < 16; m++) {
		altcall_set_feature(F1, m & 1);
		altcall_set_feature(F2, m & 2);
		altcall_set_feature(F3, m & 4);
		altcall_set_feature(F4, m & 8);
		if (altcall_apply() < 0)
			printf("apply refused\n");
		snprintf(what, sizeof(what), "mask %2u", m);
		run_sites(what);
	}
	return 0;
}

// CHECK:      before: s=d a=d r=d n=- e=d i=d
// CHECK-NEXT: mask  0: s=d a=d r=d n=- e=d i=d
// CHECK-NEXT: mask  1: s=A a=d r=C n=- e=d i=d
// CHECK-NEXT: mask  2: s=d a=d r=E n=A e=d i=d
// CHECK-NEXT: mask  3: s=A a=B r=A n=A e=d i=A
// CHECK-NEXT: mask  4: s=d a=A r=F n=- e=d i=d
// CHECK-NEXT: mask  5: s=A a=A r=C n=- e=B i=d
// CHECK-NEXT: mask  6: s=B a=A r=B n=A e=d i=d
// CHECK-NEXT: mask  7: s=A a=A r=A n=A e=B i=A
// CHECK-NEXT: mask  8: s=C a=d r=G n=B e=A i=d
// CHECK-NEXT: mask  9: s=A a=d r=C n=B e=A i=d
// CHECK-NEXT: mask 10: s=C a=d r=E n=A e=A i=d
// CHECK-NEXT: mask 11: s=A a=B r=A n=A e=A i=A
// CHECK-NEXT: mask 12: s=C a=A r=D n=B e=A i=d
// CHECK-NEXT: mask 13: s=A a=A r=C n=B e=A i=d
// CHECK-NEXT: mask 14: s=B a=A r=B n=A e=A i=d
// CHECK-NEXT: mask 15: s=A a=A r=A n=A e=A i=A
