/* A shared library with sites: built as liba.so (-DLIB=a -DFEATURE=1) and
 * libb.so (-DLIB=b -DFEATURE=2).  It links the shared runtime, calls no
 * altcall function itself, and is patched by the program's apply. */
#include <altcall.h>

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define STR2(x) #x
#define STR(x) STR2(x)

static __attribute__((noinline)) const char *legacy(void) { return "lib" STR(LIB) ":legacy"; }
static __attribute__((noinline)) const char *modern(void) { return "lib" STR(LIB) ":modern"; }
static __attribute__((noinline)) void noted(void) { __asm__ volatile(""); }
static int notes;
static __attribute__((noinline)) void note(void) { notes++; }

__attribute__((visibility("default"))) const char *CAT(which_, LIB)(void)
{
	const char *r;

	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(FEATURE))
		r = modern();
	ALTERNATIVE_ELSE
		r = legacy();
	ALTERNATIVE_END
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(FEATURE))
		note();
	ALTERNATIVE_END
	noted();
	return r;
}

__attribute__((visibility("default"))) int CAT(notes_, LIB)(void)
{
	return notes;
}
