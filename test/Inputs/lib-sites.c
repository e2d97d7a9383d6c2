#include <altcall.h>

static __attribute__((noinline)) const char *legacy(void) { return "legacy"; }
static __attribute__((noinline)) const char *modern(void) { return "modern"; }

__attribute__((visibility("default"))) const char *lib_which(void)
{
	const char *r;
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(9))
		r = modern();
	ALTERNATIVE_ELSE
		r = legacy();
	ALTERNATIVE_END
	return r;
}

__attribute__((visibility("default"))) int lib_boot(void)
{
	altcall_set_feature(ALTCALL_SW_FEATURE(9), 1);
	return altcall_apply();
}
