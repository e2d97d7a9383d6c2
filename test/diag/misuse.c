// Every misuse of a site is an error at the offending expression, every
// error in the file is reported, and nothing ICEs.  In gnu17: before C23
// (GCC 15's default) 'void kr();' declares a function without a prototype.
// RUN: not %cc -std=gnu17 -O2 -c -o /dev/null %s 2>&1 | FileCheck %s --implicit-check-not='internal compiler error' --implicit-check-not='error:'
// RUN: not %cc -std=gnu17 -O0 -c -o /dev/null %s 2>&1 | FileCheck %s --implicit-check-not='internal compiler error' --implicit-check-not='error:'
#include <altcall.h>

void f2(int, int);
void g2(int, int);
int fi(int);
int gi(int);
long gl(long);
void fp(double);
void (*fptr)(int, int);
void kr();
int x, y, n;

void not_constant(int feature)
{
	// CHECK: misuse.c:[[@LINE+1]]:9: error: the feature of an altcall site must be an integer constant expression
	ALTERNATIVE_IF(feature)
		f2(1, 2);
	ALTERNATIVE_ELSE
		g2(1, 2);
	ALTERNATIVE_END
}

void out_of_range(void)
{
	// CHECK: misuse.c:[[@LINE+1]]:9: error: software feature 64 is out of range (0 to 63)
	ALTERNATIVE_IF(64)
		f2(1, 2);
	ALTERNATIVE_ELSE
		g2(1, 2);
	ALTERNATIVE_END
	// CHECK: misuse.c:[[@LINE+1]]:9: error: altcall feature '65536' is out of range; use 'ALTCALL_SW_FEATURE(n)' or an 'ALTCALL_CPU_*' constant
	ALTERNATIVE_IF(0x10000)
		f2(1, 2);
	ALTERNATIVE_ELSE
		g2(1, 2);
	ALTERNATIVE_END
	// CHECK: misuse.c:[[@LINE+1]]:9: error: altcall feature 0x4001 is in the class of 'alternative_call' sites
	ALTERNATIVE_IF(0x4001)
		f2(1, 2);
	ALTERNATIVE_ELSE
		g2(1, 2);
	ALTERNATIVE_END
}

void two_statements(void)
{
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(1))
		f2(1, 2);
	// CHECK: misuse.c:[[@LINE+1]]:17: error: an altcall arm must be exactly one call, found 2 statements
		f2(3, 4);
	ALTERNATIVE_ELSE
		g2(1, 2);
	ALTERNATIVE_END
}

void not_a_call(void)
{
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(1))
	// CHECK: misuse.c:[[@LINE+1]]:19: error: an altcall arm must be exactly one call of the form 'f(args);', 'lhs = f(args);' or 'return f(args);'
		x = 3;
	ALTERNATIVE_ELSE
		x = gi(1);
	ALTERNATIVE_END
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(1))
	// CHECK: misuse.c:[[@LINE+1]]:17: error: an altcall arm must be exactly one call of the form
		x += fi(1);
	ALTERNATIVE_ELSE
	// CHECK: misuse.c:[[@LINE+1]]:17: error: an altcall arm must be exactly one call of the form
		x += gi(1);
	ALTERNATIVE_END
}

void declares(void)
{
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(1))
	// CHECK: misuse.c:[[@LINE+1]]:21: error: an altcall arm cannot declare variables; declare them before the site
		int t = fi(1);
		(void)t;
	ALTERNATIVE_ELSE
		g2(1, 2);
	ALTERNATIVE_END
}

void different_args(int a, int b)
{
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(1))
		f2(a, b);
	ALTERNATIVE_ELSE
	// CHECK: misuse.c:[[@LINE+1]]:17: error: both altcall arms must pass the same arguments; argument 2 differs
		g2(a, a);
	ALTERNATIVE_END
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(1))
		x = fi(a);
	ALTERNATIVE_ELSE
	// CHECK: misuse.c:[[@LINE+1]]:21: error: both altcall arms must assign to the same left-hand side
		y = gi(a);
	ALTERNATIVE_END
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(1))
		x = fi(a);
	ALTERNATIVE_ELSE
	// CHECK: misuse.c:[[@LINE+1]]:17: error: both altcall arms must have the same form, found 'lhs = f(args);' and 'f(args);'
		gi(a);
	ALTERNATIVE_END
}

void incompatible(void)
{
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(1))
		x = fi(1);
	ALTERNATIVE_ELSE
	// CHECK: misuse.c:[[@LINE+1]]:21: error: altcall targets 'fi' and 'gl' have incompatible types 'int(int)' and 'long int(long int)'
		x = gl(1);
	ALTERNATIVE_END
}

void through_pointer(void)
{
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(1))
	// CHECK: misuse.c:[[@LINE+1]]:17: error: an altcall arm must call a function by name, not through a pointer
		fptr(1, 2);
	ALTERNATIVE_ELSE
		g2(1, 2);
	ALTERNATIVE_END
}

void builtin_and_kr(void *d, const void *s)
{
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(1))
	// CHECK: misuse.c:[[@LINE+1]]:17: error: an altcall arm cannot call the built-in function '__builtin_memcpy'
		__builtin_memcpy(d, s, 4);
	ALTERNATIVE_ELSE
	// CHECK: misuse.c:[[@LINE+1]]:17: error: an altcall arm cannot call the built-in function '__builtin_memmove'
		__builtin_memmove(d, s, 4);
	ALTERNATIVE_END
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(1))
	// CHECK: misuse.c:[[@LINE+1]]:17: error: 'kr' has no prototype; an altcall target needs one
		kr();
	ALTERNATIVE_ELSE
	// CHECK: misuse.c:[[@LINE+1]]:17: error: 'kr' has no prototype; an altcall target needs one
		kr();
	ALTERNATIVE_END
}

void nested(void)
{
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(1))
	// CHECK: misuse.c:[[@LINE+1]]:17: error: altcall sites cannot be nested; combine the features in one site per call
		ALTERNATIVE_IF(ALTCALL_SW_FEATURE(2))
			f2(1, 2);
		ALTERNATIVE_ELSE
			g2(1, 2);
		ALTERNATIVE_END
	ALTERNATIVE_ELSE
		g2(1, 2);
	ALTERNATIVE_END
}

int no_else(int a)
{
	// CHECK: misuse.c:[[@LINE+2]]:21: error: 'lhs = f(args);' needs a call in both altcall arms; only 'f(args);' may be left without ELSE
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(1))
		x = fi(a);
	ALTERNATIVE_END
	// CHECK: misuse.c:[[@LINE+2]]:24: error: 'return f(args);' needs a call in both altcall arms
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(1))
		return fi(a);
	ALTERNATIVE_END
	// CHECK: misuse.c:[[@LINE+2]]:21: error: an altcall site with a 'no call' arm evaluates its arguments either way; argument 1 has side effects
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(1))
		f2(n++, a);
	ALTERNATIVE_END
	// CHECK: misuse.c:[[@LINE+1]]:9: error: an altcall site needs a call in at least one arm
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(1))
	ALTERNATIVE_END
	return 0;
}

int expression_form(void)
{
	// CHECK: misuse.c:[[@LINE+1]]:9: error: 'ALTERNATIVE_CALL' takes two function names, not pointers
	ALTERNATIVE_CALL(ALTCALL_SW_FEATURE(1), fptr, g2)(1, 2);
	// CHECK: misuse.c:[[@LINE+1]]:16: error: the feature of an altcall site must be an integer constant expression
	return ALTERNATIVE_CALL(n, fi, gi)(1);
}

int marker_misuse(void)
{
	// CHECK: misuse.c:[[@LINE+1]]:16: error: '__altcall_cond' may only be used through the 'ALTERNATIVE_*' macros of 'altcall.h'
	return __altcall_cond(1, 0);
}
