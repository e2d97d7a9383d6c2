// An alternative more than 128 MiB from its site is out of reach of b/bl:
// altcall_apply() refuses that site (ALTCALL_ERANGE), leaves it calling its
// default, reports it, and still patches the sites it can.
// RUN: %cc -O2 -static %s %rt -Wl,--section-start=.far_text=0x30000000 -o %t
// RUN: %sites --features=sw:1 %t | FileCheck %s --check-prefix=SITES
// RUN: %sites --apply --features=sw:1 %t | FileCheck %s --check-prefix=APPLY
// APPLY-DAG: site to_far{{.*}} chosen=far_new apply: refuse (target out of the instruction's reach)
// APPLY-DAG: site to_near{{.*}} chosen=near_new apply: patch
// RUN: %run %t | FileCheck %s
// REQUIRES: aarch64
#include <altcall.h>
#include <stdio.h>

__attribute__((noinline)) const char *near_old(void) { return "near_old"; }
__attribute__((noinline)) const char *near_new(void) { return "near_new"; }
__attribute__((noinline, section(".far_text"))) const char *far_new(void) { return "far_new"; }

// SITES: site to_far{{(\+0x[0-9a-f]+)?}} {{bl|b}} near_old default=near_old alt=far_new feature=sw:1 chosen=far_new
__attribute__((noinline)) const char *to_far(void)
{
	const char *r;
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(1))
		r = far_new();
	ALTERNATIVE_ELSE
		r = near_old();
	ALTERNATIVE_END
	return r;
}

// SITES: site to_near{{(\+0x[0-9a-f]+)?}} {{bl|b}} near_old default=near_old alt=near_new feature=sw:1 chosen=near_new
__attribute__((noinline)) const char *to_near(void)
{
	const char *r;
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(1))
		r = near_new();
	ALTERNATIVE_ELSE
		r = near_old();
	ALTERNATIVE_END
	return r;
}

int main(void)
{
	struct altcall_report rep;

	altcall_set_feature(ALTCALL_SW_FEATURE(1), 1);
	int ret = altcall_apply();
	altcall_get_report(&rep);
	printf("apply=%d patched=%u refused=%u: %s, %s\n", ret, rep.patched,
	       rep.refused, altcall_strerror(rep.first_error),
	       rep.first_refused_site ? "site reported" : "no site");
	printf("to_far: %s\nto_near: %s\n", to_far(), to_near());
	return 0;
}
// CHECK: apply=-2 patched=1 refused=1: target out of the instruction's reach, site reported
// CHECK-NEXT: to_far: near_old
// CHECK-NEXT: to_near: near_new
