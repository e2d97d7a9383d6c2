/* A plugin the program dlopen()s after its apply: its sites must follow
 * the features of that apply as soon as dlopen() returns. */
#include <altcall.h>

static __attribute__((noinline)) const char *legacy(void) { return "plugin:legacy"; }
static __attribute__((noinline)) const char *modern(void) { return "plugin:modern"; }

__attribute__((visibility("default"))) const char *which_plugin(void)
{
	return ALTERNATIVE_CALL(ALTCALL_SW_FEATURE(3), modern, legacy)();
}
