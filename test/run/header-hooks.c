// The header's hooks for environments with their own names (the Linux kit):
// - altcall_ptr_call/altcall_ptr_vcall always; Xen's alternative_call and
//   alternative_vcall unless ALTCALL_NO_XEN_NAMES, and never over an
//   existing alternative_call (x86 Linux has one): an error, not a
//   redefinition;
// - ALTCALL_FEATURE_WORD maps a site's condition to its feature word;
// - ALTCALL_DEFAULT_ONLY (code without a runtime) keeps every site on its
//   default without the plugin;
// - ALTCALL_FEATURE_TEST(f) (code without a runtime that tests a feature
//   itself: arm64 KVM's nVHE hyp code) answers each condition, as written,
//   without the plugin.
// RUN: %cc -O2 %s %rt -o %t && %run %t | FileCheck %s --check-prefixes=CHECK,APPLIED,XEN
// RUN: %cc-plain -O2 %s %rt -o %tp && %run %tp | FileCheck %s --check-prefixes=CHECK,APPLIED,XEN
// RUN: %cc -O2 -DALTCALL_NO_XEN_NAMES -DKERNEL_STYLE %s %rt -o %tk && %run %tk | FileCheck %s --check-prefixes=CHECK,APPLIED,KERNEL
// RUN: %cc-plain -O2 -DALTCALL_DEFAULT_ONLY %s -o %td && %run %td | FileCheck %s --check-prefixes=CHECK,DEFAULT,XEN
// RUN: %cc-plain -O2 -DOWN_TEST=1 %s -o %to1 && %run %to1 | FileCheck %s --check-prefixes=CHECK,APPLIED,XEN,ASKED
// RUN: %cc-plain -O2 -DOWN_TEST=0 %s -o %to0 && %run %to0 | FileCheck %s --check-prefixes=CHECK,DEFAULT,XEN,ASKED
// RUN: not %cc -O2 -c -DEXISTING %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=EXISTING --implicit-check-not='internal compiler error'
// RUN: not %cc-plain -O2 -c -DEXISTING %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=EXISTING
// EXISTING: error: #error "altcall: alternative_call is already defined (x86 <asm/alternative.h>?): define ALTCALL_NO_XEN_NAMES and use altcall_ptr_call()"
#include <stdio.h>

#ifdef EXISTING
#define alternative_call(oldfunc, newfunc, feature, output, input...) 0
#endif
#ifdef KERNEL_STYLE
/* As <asm/alternative.h> and the kit's <linux/altcall.h> do it. */
#define alternative_call(oldfunc, newfunc, feature, output, input...) 5
/* Conditions are numbers + 100 (a "capability"), mapped to software features. */
#define ALTCALL_FEATURE_WORD(f)	((f) - 100)
#define FEATURE 103
#else
#define FEATURE ALTCALL_SW_FEATURE(3)
#endif
#ifdef OWN_TEST
/* No runtime linked: the environment's own test answers every condition. */
#define ALTCALL_FEATURE_TEST(f)	own_test(f)
#endif
#include <altcall.h>

#ifdef OWN_TEST
static int asked, asked_other;
static int own_test(unsigned f)
{
	asked += f == ALTCALL_SW_FEATURE(3);
	asked_other += f != ALTCALL_SW_FEATURE(3);
	return OWN_TEST;
}
#endif

static int which;
static void dflt(int x) { which = x; }
static void alt(int x) { which = 10 * x; }
static int ret_dflt(int x) { return x; }
static int ret_alt(int x) { return 10 * x; }
static int (*hook)(int) = ret_alt;

int main(void)
{
#if !defined(ALTCALL_DEFAULT_ONLY) && !defined(OWN_TEST)
	altcall_set_feature(ALTCALL_SW_FEATURE(3), 1);
	altcall_apply();
#endif

	ALTERNATIVE_IF(FEATURE)
		alt(2);
	ALTERNATIVE_ELSE
		dflt(2);
	ALTERNATIVE_END
	// APPLIED: statement: 20
	// DEFAULT: statement: 2
	printf("statement: %d\n", which);
	// APPLIED: expression: 30
	// DEFAULT: expression: 3
	printf("expression: %d\n", ALTERNATIVE_CALL(FEATURE, ret_alt, ret_dflt)(3));
	// CHECK: pointer: 40
	printf("pointer: %d\n", altcall_ptr_call(hook, 4));
#ifdef KERNEL_STYLE
	// The environment's own macro is untouched.
	// KERNEL: own alternative_call: 5
	printf("own alternative_call: %d\n", alternative_call(a, b, c, d, e));
#else
	// XEN: xen name: 50
	printf("xen name: %d\n", alternative_call(hook, 5));
#endif
#ifdef OWN_TEST
	// ASKED: own test: asked 2 times, 0 other
	printf("own test: asked %d times, %d other\n", asked, asked_other);
#endif
	return 0;
}
