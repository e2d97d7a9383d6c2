// A record refers to its arms PC-relatively: an arm that is a weak
// declaration left undefined in the unit (the link failed, or a PIE got
// text relocations), or on arm64 a GNU ifunc (no PC-relative data
// relocation reaches one), is an error at the site.  A weak definition,
// and a weak declaration defined later in the unit, are fine; so is an
// ifunc on x86-64, where the reference goes through the PLT.
// Each offending arm is reported where it is written, every one of them:
// test/diag/linkable-arms-every.c.
// RUN: not %cc -O2 -c -o /dev/null -DWEAK %s 2>&1 | FileCheck %s --check-prefix=WEAK --implicit-check-not='internal compiler error' --implicit-check-not='error:'
// RUN: %cc -O2 -c -o /dev/null %s
// (The ifunc case: linkable-arms-ifunc.test.)
#include <altcall.h>

extern int opt(int) __attribute__((weak));
int base(int);
int weak_defined(int x) __attribute__((weak));
int weak_defined(int x) { return x; }
extern int defined_later(int) __attribute__((weak));
static int impl(int x) { return x; }
static int (*resolve(void))(int) { return impl; }
int fancy(int) __attribute__((ifunc("resolve")));

#ifdef WEAK
int weak_arm(int x)
{
	int r;

	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(1))
	// WEAK: linkable-arms.c:[[@LINE+1]]:21: error: altcall: 'opt' is a weak declaration with no definition in this unit; a site record cannot refer to a function that may not exist: define it (a weak definition is fine) or call it through a pointer ('altcall_ptr_call')
		r = opt(x);
	ALTERNATIVE_ELSE
		r = base(x);
	ALTERNATIVE_END
	return r;
}
#endif

#ifdef IFUNC
int ifunc_arm(int x)
{
	// IFUNC-X86_64-NOT: error
	// IFUNC-AARCH64: linkable-arms.c:[[@LINE+1]]:{{[0-9]+}}: error: altcall: 'fancy' is a GNU 'ifunc', which an arm64 site record cannot refer to; use its implementations as the arms
	return ALTERNATIVE_CALL(ALTCALL_SW_FEATURE(2), fancy, base)(x);
}
#endif

int fine(int x)
{
	return ALTERNATIVE_CALL(ALTCALL_SW_FEATURE(3), weak_defined, base)(x) +
	       ALTERNATIVE_CALL(ALTCALL_SW_FEATURE(4), defined_later, base)(x);
}

int defined_later(int x) { return x + 1; }
