// Misplaced ALTERNATIVE_ELIF and an overlong ALTCALL_ALL are compile errors
// from <altcall.h> itself, the same with and without the plugin, located by
// a note at the user's line.  After IF_NOT and with too many features the
// error names what is wrong; outside a site and after ELSE the ELIF's
// "} else" is a syntax error there (and the plugin, when it gets that far,
// says the ELIF is outside a site).
// RUN: not %cc -DCASE=1 -c -o /dev/null %s 2>&1 | FileCheck %s --check-prefix=OUTSIDE --implicit-check-not='internal compiler error'
// RUN: not %cc-plain -DCASE=1 -c -o /dev/null %s 2>&1 | FileCheck %s --check-prefix=OUTSIDE
// RUN: not %cc -DCASE=2 -c -o /dev/null %s 2>&1 | FileCheck %s --check-prefix=IFNOT --implicit-check-not='internal compiler error'
// RUN: not %cc-plain -DCASE=2 -c -o /dev/null %s 2>&1 | FileCheck %s --check-prefix=IFNOT
// RUN: not %cc -DCASE=3 -c -o /dev/null %s 2>&1 | FileCheck %s --check-prefix=AFTERELSE --implicit-check-not='internal compiler error'
// RUN: not %cc-plain -DCASE=3 -c -o /dev/null %s 2>&1 | FileCheck %s --check-prefix=AFTERELSE
// RUN: not %cc -DCASE=4 -c -o /dev/null %s 2>&1 | FileCheck %s --check-prefix=NINE --implicit-check-not='internal compiler error'
// RUN: not %cc-plain -DCASE=4 -c -o /dev/null %s 2>&1 | FileCheck %s --check-prefix=NINE
#include <altcall.h>

void f(int), g(int), h(int);
#define SW(n) ALTCALL_SW_FEATURE(n)

void site(int x)
{
#if CASE == 1
	if (x)
		f(x);
	// OUTSIDE: error: expected identifier or '(' before 'else'
	// OUTSIDE: nway-syntax.c:[[@LINE+1]]:9: note: in expansion of macro 'ALTERNATIVE_ELIF'
	ALTERNATIVE_ELIF(SW(1))
		g(x);
	ALTERNATIVE_END
#elif CASE == 2
	ALTERNATIVE_IF_NOT(SW(1))
		f(x);
	// IFNOT: error: 'ALTERNATIVE_ELIF_needs_ALTERNATIVE_IF' undeclared
	// IFNOT: nway-syntax.c:[[@LINE+1]]:9: note: in expansion of macro 'ALTERNATIVE_ELIF'
	ALTERNATIVE_ELIF(SW(2))
		g(x);
	ALTERNATIVE_ELSE
		h(x);
	ALTERNATIVE_END
#elif CASE == 3
	ALTERNATIVE_IF(SW(1))
		f(x);
	ALTERNATIVE_ELSE
		h(x);
	// AFTERELSE: error: 'else' without a previous 'if'
	// AFTERELSE: nway-syntax.c:[[@LINE+1]]:9: note: in expansion of macro 'ALTERNATIVE_ELIF'
	ALTERNATIVE_ELIF(SW(2))
		g(x);
	ALTERNATIVE_END
#elif CASE == 4
	// NINE: error: 'ALTCALL_ALL_takes_at_most_8_features' undeclared
	// NINE: nway-syntax.c:[[@LINE+1]]:9: note: in expansion of macro 'ALTERNATIVE_IF'
	ALTERNATIVE_IF(ALTCALL_ALL(SW(1), SW(2), SW(3), SW(4), SW(5), SW(6), SW(7), SW(8), SW(9)))
		f(x);
	ALTERNATIVE_ELSE
		g(x);
	ALTERNATIVE_END
#endif
}
