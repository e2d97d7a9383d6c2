// Diagnostics that name what is wrong, once, at the user's line:
// a site nested in an arm's argument; alternative_call on an rvalue; arms
// whose types differ only in a calling convention; an arm calling a function
// that has no declaration (gnu89, or any C with the warning only).
// RUN: not %cc -std=gnu89 -Wno-implicit-function-declaration -O2 -c -o /dev/null %s 2>&1 | FileCheck %s --check-prefixes=CHECK,%{arch} --implicit-check-not='internal compiler error' --implicit-check-not='error:'
#include <altcall.h>

int a(int);
int b(int);
int (*get(void))(int);
#ifdef __x86_64__
int __attribute__((ms_abi)) other_abi(int);
#endif

int nested_in_argument(int x)
{
	int r;

	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(1))
	// CHECK: pointing.c:[[@LINE+1]]:21: error: altcall sites cannot be nested; combine the features in one site per call
		r = a(ALTERNATIVE_CALL(ALTCALL_SW_FEATURE(2), a, b)(x));
	ALTERNATIVE_ELSE
	// CHECK: pointing.c:[[@LINE+1]]:21: error: altcall sites cannot be nested; combine the features in one site per call
		r = b(ALTERNATIVE_CALL(ALTCALL_SW_FEATURE(2), a, b)(x));
	ALTERNATIVE_END
	return r;
}

int rvalue_pointer(int x)
{
	// CHECK: pointing.c:[[@LINE+1]]:16: error: 'alternative_call' needs a function pointer at a fixed address: a global, a field of a global struct or an element of a global array at a constant index
	return alternative_call(get(), x);
}

// (arm64 has no second calling convention for C functions.)
// AARCH64-NOT: calling convention
#ifdef __x86_64__
int calling_convention(int x)
{
	int r;

	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(3))
		r = other_abi(x);
	ALTERNATIVE_ELSE
	// X86_64: pointing.c:[[@LINE+1]]:21: error: altcall targets 'other_abi' and 'a' differ in their calling convention: 'ms_abi' only on 'other_abi'
		r = a(x);
	ALTERNATIVE_END
	return r;
}
#endif

int implicit_declaration(int x)
{
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(4))
	// CHECK: pointing.c:[[@LINE+1]]:17: error: 'undeclared_fn' has no prototype; an altcall target needs one (it is called without a declaration)
		undeclared_fn(x);
	ALTERNATIVE_ELSE
		a(x);
	ALTERNATIVE_END
	return 0;
}
