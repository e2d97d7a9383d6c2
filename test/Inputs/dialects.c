/* The header and the sites in every C dialect (C89 style: no // comments). */
#include <stdio.h>
#include <altcall.h>

static int last;
static void fast(int x) { last = 100 + x; }
static void other(int x) { last = 300 + x; }
static int ra(int x) { return 10 * x; }
static int rb(int x) { return x; }
static void ping(void) { last = 7; }
static void (*ping_hook)(void) = ping;
static int (*ra_hook)(int) = ra;

/* A no-ELSE site as the body of an unbraced if: the else is the user's. */
static void run(int c, int x)
{
	last = 0;
	if (c)
		ALTERNATIVE_IF(ALTCALL_SW_FEATURE(1))
			fast(x);
		ALTERNATIVE_END
	else
		other(x);
	printf("c=%d: %d\n", c, last);
}

int main(void)
{
	int r;

	run(0, 1);
	run(1, 2);
	altcall_set_feature(ALTCALL_SW_FEATURE(1), 1);
	altcall_apply();
	run(0, 3);
	run(1, 4);
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(1))
		r = ra(5);
	ALTERNATIVE_ELSE
		r = rb(5);
	ALTERNATIVE_END
	printf("r=%d expr=%d\n", r, ALTERNATIVE_CALL(ALTCALL_SW_FEATURE(2), ra, rb)(6));
	/* A pointer call with no argument is valid C99 too. */
	altcall_ptr_vcall(ping_hook);
	printf("pointer: %d %d\n", last, altcall_ptr_call(ra_hook, 8));
	return 0;
}
