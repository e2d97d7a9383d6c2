/* The site, through a pointer defined in main.c (run/lto-pointer.test). */
#include <altcall.h>

extern int (*gp)(int);

/* Not inlined into main: with -flto-partition=max the site's function is
 * then a partition of its own, away from the pointer and its store. */
__attribute__((noinline)) int call(int x)
{
	return alternative_call(gp, x);
}
