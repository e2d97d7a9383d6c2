// -fplugin-arg-altcall-verbose on sites with an arm table: the note counts
// the alternatives in the singular for one ("1 alternative", a two-way
// site on ALTCALL_ALL) and in the plural for more.
// RUN: %cc -O2 -c %s -o /dev/null -fplugin-arg-altcall-verbose 2>&1 | FileCheck %s --implicit-check-not='internal compiler error' --implicit-check-not='1 alternatives'
#include <altcall.h>

int dflt(int), one(int), two(int);

int all_two_way(int x)
{
	int r;

	// CHECK: verbose-nway.c:[[@LINE+4]]:{{[0-9]+}}: note: altcall site: call dflt, 1 alternative: one if 0x1+0x2{{$}}
	ALTERNATIVE_IF(ALTCALL_ALL(ALTCALL_SW_FEATURE(1), ALTCALL_SW_FEATURE(2)))
		r = one(x);
	ALTERNATIVE_ELSE
		r = dflt(x);
	ALTERNATIVE_END
	return r + 1;
}

int three_way(int x)
{
	int r;

	// CHECK: verbose-nway.c:[[@LINE+6]]:{{[0-9]+}}: note: altcall site: call dflt, 2 alternatives: one if 0x1, two if 0x2+0x3{{$}}
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(1))
		r = one(x);
	ALTERNATIVE_ELIF(ALTCALL_ALL(ALTCALL_SW_FEATURE(2), ALTCALL_SW_FEATURE(3)))
		r = two(x);
	ALTERNATIVE_ELSE
		r = dflt(x);
	ALTERNATIVE_END
	return r + 1;
}
