/* alternative_call under LTO with the pointer in another unit than the
 * site (run/lto-pointer.test): this unit defines gp and stores to it,
 * site.c reads it through its site; static.c has a static pointer, its
 * store and its site in one unit. */
#include <altcall.h>
#include <stdio.h>

int f(int x) { return x + 1; }
int (*gp)(int);
int call(int);
int call_static(int);
void set_static(void);

int main(void)
{
	int r;

	gp = f;
	set_static();
	printf("before: %d %d\n", call(1), call_static(1));
	r = altcall_apply();
	printf("apply: %s\n", r >= 0 ? "ok" : altcall_strerror(r));
	printf("after: %d %d\n", call(1), call_static(1));
	return 0;
}
