// Errors about an arm are at the arm, in every position of a site: a
// declaration where it is declared (also in an ELIF or ELSE arm, not at
// the IF).
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
