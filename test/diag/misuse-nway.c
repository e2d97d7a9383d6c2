// Misuses of N-way sites (ALTERNATIVE_ELIF, ALTCALL_ALL, nested
// ALTERNATIVE_CALL) that the plugin finds: each an error at the offending
// arm, condition or argument; every one in the file reported; no ICE.
// RUN: not %cc -O2 -c -o /dev/null %s 2>&1 | FileCheck %s --implicit-check-not='internal compiler error' --implicit-check-not='error:'
// RUN: not %cc -O0 -c -o /dev/null %s 2>&1 | FileCheck %s --implicit-check-not='internal compiler error' --implicit-check-not='error:'
#include <altcall.h>

void f2(int, int), g2(int, int), h2(int, int);
void fl(long, int);
int fi(int), gi(int), hi(int);
int x, y, n;

#define SW(n) ALTCALL_SW_FEATURE(n)

void elif_args(void)
{
	ALTERNATIVE_IF(SW(1))
		f2(1, 2);
	ALTERNATIVE_ELIF(SW(2))
	// CHECK: misuse-nway.c:[[@LINE+1]]:17: error: all altcall arms must pass the same arguments; argument 2 differs
		g2(1, 3);
	ALTERNATIVE_ELSE
		h2(1, 2);
	ALTERNATIVE_END
}

void elif_form(void)
{
	ALTERNATIVE_IF(SW(1))
		x = fi(1);
	ALTERNATIVE_ELIF(SW(2))
	// CHECK: misuse-nway.c:[[@LINE+1]]:17: error: all altcall arms must have the same form, found 'lhs = f(args);' and 'f(args);'
		gi(1);
	ALTERNATIVE_ELSE
		x = hi(1);
	ALTERNATIVE_END
}

void elif_lhs(void)
{
	ALTERNATIVE_IF(SW(1))
		x = fi(1);
	ALTERNATIVE_ELIF(SW(2))
		x = gi(1);
	ALTERNATIVE_ELIF(SW(3))
	// CHECK: misuse-nway.c:[[@LINE+1]]:21: error: all altcall arms must assign to the same left-hand side
		y = hi(1);
	ALTERNATIVE_ELSE
		x = hi(1);
	ALTERNATIVE_END
}

void elif_type(void)
{
	ALTERNATIVE_IF(SW(1))
		f2(1, 2);
	ALTERNATIVE_ELIF(SW(2))
	// CHECK: misuse-nway.c:[[@LINE+1]]:17: error: altcall targets 'f2' and 'fl' have incompatible types 'void(int,  int)' and 'void(long int,  int)'
		fl(1, 2);
	ALTERNATIVE_ELSE
		g2(1, 2);
	ALTERNATIVE_END
}

void elif_not_constant(int feature)
{
	ALTERNATIVE_IF(SW(1))
		f2(1, 2);
	// CHECK: misuse-nway.c:[[@LINE+1]]:9: error: the feature of an altcall site must be an integer constant expression
	ALTERNATIVE_ELIF(ALTCALL_ALL(SW(2), feature))
		g2(1, 2);
	ALTERNATIVE_END
}

void elif_pointer_class(void)
{
	ALTERNATIVE_IF(SW(1))
		f2(1, 2);
	// CHECK: misuse-nway.c:[[@LINE+1]]:9: error: altcall feature 0x4000 is in the class of 'alternative_call' sites
	ALTERNATIVE_ELIF(ALTCALL_ALL(SW(2), 0x4000))
		g2(1, 2);
	ALTERNATIVE_END
}

void no_else_assign(void)
{
	ALTERNATIVE_IF(SW(1))
	// CHECK: misuse-nway.c:[[@LINE+1]]:21: error: 'lhs = f(args);' needs a call in all altcall arms; only 'f(args);' may be left without ELSE
		x = fi(1);
	ALTERNATIVE_ELIF(SW(2))
		x = gi(1);
	ALTERNATIVE_END
}

void no_else_side_effects(void)
{
	ALTERNATIVE_IF(SW(1))
	// CHECK: misuse-nway.c:[[@LINE+1]]:21: error: an altcall site with a 'no call' arm evaluates its arguments either way; argument 1 has side effects
		f2(n++, 2);
	ALTERNATIVE_ELIF(SW(2))
		g2(n++, 2);
	ALTERNATIVE_END
}

void too_many_arms(void)
{
	ALTERNATIVE_IF(SW(1)) f2(1, 2);
	ALTERNATIVE_ELIF(SW(2)) f2(1, 2);
	ALTERNATIVE_ELIF(SW(3)) f2(1, 2);
	ALTERNATIVE_ELIF(SW(4)) f2(1, 2);
	ALTERNATIVE_ELIF(SW(5)) f2(1, 2);
	ALTERNATIVE_ELIF(SW(6)) f2(1, 2);
	ALTERNATIVE_ELIF(SW(7)) f2(1, 2);
	ALTERNATIVE_ELIF(SW(8)) f2(1, 2);
	ALTERNATIVE_ELIF(SW(9)) f2(1, 2);
	ALTERNATIVE_ELIF(SW(10)) f2(1, 2);
	ALTERNATIVE_ELIF(SW(11)) f2(1, 2);
	ALTERNATIVE_ELIF(SW(12)) f2(1, 2);
	ALTERNATIVE_ELIF(SW(13)) f2(1, 2);
	ALTERNATIVE_ELIF(SW(14)) f2(1, 2);
	ALTERNATIVE_ELIF(SW(15)) f2(1, 2);
	ALTERNATIVE_ELIF(SW(16)) f2(1, 2);
	// The 17th arm with a condition, not the ELSE after it.
	// CHECK: misuse-nway.c:[[@LINE+1]]:9: error: an altcall site has at most 16 arms with a condition (an 'ALTERNATIVE_IF' and 15 'ALTERNATIVE_ELIF'; 'ALTERNATIVE_ELSE' is not counted)
	ALTERNATIVE_ELIF(SW(17)) f2(1, 2);
	ALTERNATIVE_ELSE g2(1, 2);
	ALTERNATIVE_END
}

void too_many_arms_no_else(void)
{
	ALTERNATIVE_IF(SW(1)) f2(1, 2);
	ALTERNATIVE_ELIF(SW(2)) f2(1, 2);
	ALTERNATIVE_ELIF(SW(3)) f2(1, 2);
	ALTERNATIVE_ELIF(SW(4)) f2(1, 2);
	ALTERNATIVE_ELIF(SW(5)) f2(1, 2);
	ALTERNATIVE_ELIF(SW(6)) f2(1, 2);
	ALTERNATIVE_ELIF(SW(7)) f2(1, 2);
	ALTERNATIVE_ELIF(SW(8)) f2(1, 2);
	ALTERNATIVE_ELIF(SW(9)) f2(1, 2);
	ALTERNATIVE_ELIF(SW(10)) f2(1, 2);
	ALTERNATIVE_ELIF(SW(11)) f2(1, 2);
	ALTERNATIVE_ELIF(SW(12)) f2(1, 2);
	ALTERNATIVE_ELIF(SW(13)) f2(1, 2);
	ALTERNATIVE_ELIF(SW(14)) f2(1, 2);
	ALTERNATIVE_ELIF(SW(15)) f2(1, 2);
	ALTERNATIVE_ELIF(SW(16)) f2(1, 2);
	// CHECK: misuse-nway.c:[[@LINE+1]]:9: error: an altcall site has at most 16 arms with a condition
	ALTERNATIVE_ELIF(SW(17)) f2(1, 2);
	ALTERNATIVE_END
}

#define C(n, rest) ALTERNATIVE_CALL(SW(n), fi, rest)
int too_many_expression_arms(int a)
{
	// CHECK: misuse-nway.c:[[@LINE+1]]:16: error: an altcall site has at most 16 arms with a condition (16 'ALTERNATIVE_CALL's; the last 'old_fn' is not counted)
	return C(1, C(2, C(3, C(4, C(5, C(6, C(7, C(8, C(9, C(10, C(11, C(12, C(13, C(14, C(15, C(16, C(17, gi)))))))))))))))))(a);
}

int sixteen_expression_arms_are_fine(int a)
{
	return C(1, C(2, C(3, C(4, C(5, C(6, C(7, C(8, C(9, C(10, C(11, C(12, C(13, C(14, C(15, C(16, gi))))))))))))))))(a);
}

int expression_nested_new(int a)
{
	// CHECK: misuse-nway.c:[[@LINE+1]]:16: error: an 'ALTERNATIVE_CALL' may only be the default ('old_fn') of another
	return ALTERNATIVE_CALL(SW(1), ALTERNATIVE_CALL(SW(2), fi, gi), hi)(a);
}
