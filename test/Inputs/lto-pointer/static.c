/* A static pointer, stored to and called through in this unit, from two
 * functions that -flto-partition=max puts in partitions of their own
 * (run/lto-pointer.test): the site's is not inlined into main. */
#include <altcall.h>

static int g(int x) { return x + 100; }
static int (*sp)(int);

void set_static(void)
{
	sp = g;
}

__attribute__((noinline)) int call_static(int x)
{
	return alternative_call(sp, x);
}
