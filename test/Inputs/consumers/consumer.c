#include <altcall.h>
#include <stdio.h>

#ifndef ALTCALL_REQUIRE_PLUGIN
#define ALTCALL_REQUIRE_PLUGIN 1	/* fail below if the plugin is missing */
#endif
_Static_assert(ALTCALL_PLUGIN, "the altcall plugin is not loaded");

static __attribute__((noinline)) const char *old_impl(void) { return "old"; }
static __attribute__((noinline)) const char *new_impl(void) { return "new"; }

static __attribute__((noinline)) const char *which(void)
{
	const char *r;
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(0))
		r = new_impl();
	ALTERNATIVE_ELSE
		r = old_impl();
	ALTERNATIVE_END
	return r;
}

int main(void)
{
	printf("before=%s", which());
	altcall_set_feature(ALTCALL_SW_FEATURE(0), 1);
	int n = altcall_apply();
	printf(" apply=%d after=%s\n", n, which());
	return 0;
}
