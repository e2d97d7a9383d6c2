// x86-64 -mcmodel=large has no direct call: every site is an error there,
// at the site, instead of an indirect call the runtime could not patch.
// RUN: not %cc -O2 -mcmodel=large -c -o /dev/null %s 2>&1 | FileCheck %s --implicit-check-not='internal compiler error'
// RUN: not %cc -O0 -mcmodel=large -c -o /dev/null %s 2>&1 | FileCheck %s --implicit-check-not='internal compiler error'
// REQUIRES: x86_64
#include <altcall.h>

void a(void);
void b(void);

void site(void)
{
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(0))
		a();
	ALTERNATIVE_ELSE
	// CHECK: cmodel-large.c:[[@LINE+1]]:17: error: altcall site cannot be a direct call here; a site must be one direct call (not available with '-mcmodel=large' or '-mforce-indirect-call')
		b();
	ALTERNATIVE_END
}
