#include <altcall.h>

/* The same base name and the same static names as the other unit. */
static __attribute__((noinline)) const char *old(void) { return "b-old"; }
static __attribute__((noinline)) const char *new(void) { return "b-new"; }

const char *which_b(void)
{
	const char *r;
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(1))
		r = new();
	ALTERNATIVE_ELSE
		r = old();
	ALTERNATIVE_END
	return r;
}
