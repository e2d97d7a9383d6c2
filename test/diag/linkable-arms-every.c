// A weak declaration left undefined in the unit is an error at every arm
// that names it, each at its own line, in every site of every function,
// in any shape, whatever else the unit holds: a declaration made weak or
// given a definition after the site counts as the unit ends.  Other
// errors of the unit (here a misused arm in the first function) do not
// hide these.
// RUN: not %cc -O2 -c -o /dev/null %s 2>&1 | FileCheck %s --implicit-check-not='internal compiler error' --implicit-check-not='error:'
// RUN: not %cc -O0 -c -o /dev/null %s 2>&1 | FileCheck %s --implicit-check-not='internal compiler error' --implicit-check-not='error:'
// RUN: not %cc -O2 -flto -c -o /dev/null %s 2>&1 | FileCheck %s --implicit-check-not='internal compiler error' --implicit-check-not='error:'
#include <altcall.h>

extern int opt(int) __attribute__((weak));
extern int opt2(int) __attribute__((weak));
int base(int), other(int), later_weak(int), later_defined(int);
int x;

void unrelated_error(int a)
{
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(1))
		x = base(a);
	ALTERNATIVE_ELSE
	// CHECK: linkable-arms-every.c:[[@LINE+1]]:19: error: an altcall arm must be exactly one call
		x = 3;
	ALTERNATIVE_END
}

int two_arms(int a)
{
	int r;

	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(1))
	// CHECK-DAG: linkable-arms-every.c:[[@LINE+1]]:21: error: altcall: 'opt' is a weak declaration with no definition in this unit
		r = opt(a);
	ALTERNATIVE_ELIF(ALTCALL_SW_FEATURE(2))
		r = other(a);
	ALTERNATIVE_ELIF(ALTCALL_SW_FEATURE(3))
	// CHECK-DAG: linkable-arms-every.c:[[@LINE+1]]:21: error: altcall: 'opt2' is a weak declaration with no definition in this unit
		r = opt2(a);
	ALTERNATIVE_ELSE
	// CHECK-DAG: linkable-arms-every.c:[[@LINE+1]]:21: error: altcall: 'opt' is a weak declaration with no definition in this unit
		r = opt(a);
	ALTERNATIVE_END
	return r;
}

int again(int a)
{
	int r;

	ALTERNATIVE_IF_NOT(ALTCALL_SW_FEATURE(1))
	// CHECK-DAG: linkable-arms-every.c:[[@LINE+1]]:21: error: altcall: 'opt' is a weak declaration with no definition in this unit
		r = opt(a);
	ALTERNATIVE_ELSE
		r = base(a);
	ALTERNATIVE_END
	return r;
}

int expression(int a)
{
	// CHECK-DAG: linkable-arms-every.c:[[@LINE+1]]:16: error: altcall: 'opt2' is a weak declaration with no definition in this unit
	return ALTERNATIVE_CALL(ALTCALL_SW_FEATURE(1), opt2, base)(a);
}

int declared_weak_later(int a)
{
	// CHECK-DAG: linkable-arms-every.c:[[@LINE+1]]:16: error: altcall: 'later_weak' is a weak declaration with no definition in this unit
	return ALTERNATIVE_CALL(ALTCALL_SW_FEATURE(1), later_weak, base)(a);
}

int defined_later_is_fine(int a)
{
	return ALTERNATIVE_CALL(ALTCALL_SW_FEATURE(1), later_defined, base)(a);
}

extern int later_weak(int) __attribute__((weak));
int later_defined(int a) { return a; }
