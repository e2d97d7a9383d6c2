// Errors about an arm are at the arm, in every position of a site: a
// declaration where it is declared (also in an ELIF or ELSE arm, not at
// the IF), and a built-in function that the C front end folds away before
// the plugin sees the call (abs (x) becomes an ABS_EXPR, strlen ("abc")
// a constant) gets the built-in message, at the function's name, as a
// built-in that stays a call does (diag/misuse.c).
// RUN: not %cc -O2 -c -o /dev/null %s 2>&1 | FileCheck %s --implicit-check-not='internal compiler error' --implicit-check-not='error:'
// RUN: not %cc -O0 -c -o /dev/null %s 2>&1 | FileCheck %s --implicit-check-not='internal compiler error' --implicit-check-not='error:'
// RUN: not %cc -O2 -g -c -o /dev/null %s 2>&1 | FileCheck %s --implicit-check-not='internal compiler error' --implicit-check-not='error:'
#include <altcall.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void f(int), g(int), h(int);
int fi(int), gi(int);
double fd(double);
unsigned long fs(const char *);
int x;
double dx;
unsigned long ux;

#define SW(n) ALTCALL_SW_FEATURE(n)
#define MY_ABS(v) abs(v)

void declaration_in_elif(void)
{
	ALTERNATIVE_IF(SW(1))
		f(1);
	ALTERNATIVE_ELIF(SW(2))
	// CHECK: arm-locations.c:[[@LINE+1]]:21: error: an altcall arm cannot declare variables; declare them before the site
		int y = 1;
		g(y);
	ALTERNATIVE_ELSE
		h(1);
	ALTERNATIVE_END
}

void declaration_in_else(void)
{
	ALTERNATIVE_IF(SW(1))
		f(1);
	ALTERNATIVE_ELSE
	// CHECK: arm-locations.c:[[@LINE+1]]:34: error: an altcall arm cannot declare variables; declare them before the site
		static const int z = 2;
		h(z);
	ALTERNATIVE_END
}

void abs_in_if(int a)
{
	ALTERNATIVE_IF(SW(1))
	// CHECK: arm-locations.c:[[@LINE+1]]:21: error: an altcall arm cannot call the built-in function 'abs'
		x = abs(a);
	ALTERNATIVE_ELSE
		x = fi(a);
	ALTERNATIVE_END
}

void abs_in_elif(int a)
{
	ALTERNATIVE_IF(SW(1))
		x = fi(a);
	ALTERNATIVE_ELIF(SW(2))
		x = gi(a);
	ALTERNATIVE_ELIF(SW(3))
	// CHECK: arm-locations.c:[[@LINE+1]]:21: error: an altcall arm cannot call the built-in function 'abs'
		x = abs(a);
	ALTERNATIVE_END
}

int builtin_abs_return(int a)
{
	ALTERNATIVE_IF(SW(1))
		return fi(a);
	ALTERNATIVE_ELSE
	// CHECK: arm-locations.c:[[@LINE+1]]:24: error: an altcall arm cannot call the built-in function '__builtin_abs'
		return __builtin_abs(a);
	ALTERNATIVE_END
}

void abs_statement(int a)
{
	ALTERNATIVE_IF(SW(1))
	// CHECK: arm-locations.c:[[@LINE+1]]:17: error: an altcall arm cannot call the built-in function 'abs'
		abs(a);
	ALTERNATIVE_ELSE
		fi(a);
	ALTERNATIVE_END
}

void abs_through_a_macro(int a)
{
	ALTERNATIVE_IF(SW(1))
	// CHECK: arm-locations.c:[[@LINE+1]]:21: error: an altcall arm cannot call the built-in function 'abs'
		x = MY_ABS(a);
	ALTERNATIVE_ELSE
		x = fi(a);
	ALTERNATIVE_END
}

void fabs_arm(double a)
{
	ALTERNATIVE_IF(SW(1))
		dx = fd(a);
	ALTERNATIVE_ELSE
	// CHECK: arm-locations.c:[[@LINE+1]]:22: error: an altcall arm cannot call the built-in function 'fabs'
		dx = fabs(a);
	ALTERNATIVE_END
}

void folded_to_a_constant(const char *s)
{
	ALTERNATIVE_IF(SW(1))
	// CHECK: arm-locations.c:[[@LINE+1]]:22: error: an altcall arm cannot call the built-in function 'strlen'
		ux = strlen("abc");
	ALTERNATIVE_ELSE
		ux = fs(s);
	ALTERNATIVE_END
}

// Not a call, and no built-in: the message for every other arm.
void not_a_call(int a)
{
	ALTERNATIVE_IF(SW(1))
		x = fi(a);
	ALTERNATIVE_ELSE
	// CHECK: arm-locations.c:[[@LINE+1]]:19: error: an altcall arm must be exactly one call of the form 'f(args);', 'lhs = f(args);' or 'return f(args);'
		x = a + 1;
	ALTERNATIVE_END
}
