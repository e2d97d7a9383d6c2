/* ALTCALL_ALL passed through the user's own macros (run/wrappers.test), in
 * C89 style: one and two levels of wrapper, an object-like macro naming
 * the condition, the expression form, and conditions that start with a
 * parenthesis without being an ALTCALL_ALL. */
#include <stdio.h>
#include <altcall.h>

#define SW(n) ALTCALL_SW_FEATURE(n)

#define MY_IF(c) ALTERNATIVE_IF(c)
#define MY_ELIF(c) ALTERNATIVE_ELIF(c)
#define MY_IF_NOT(c) ALTERNATIVE_IF_NOT(c)
#define OUTER_IF(c) MY_IF(c)
#define MY_CALL(c, new_fn, old_fn) ALTERNATIVE_CALL(c, new_fn, old_fn)
#define BOTH ALTCALL_ALL(SW(1), SW(2))
#define EIGHT ALTCALL_ALL(SW(1), SW(2), SW(3), SW(4), SW(5), SW(6), SW(7), SW(8))

static int last;
static void a(int x) { last = 100 + x; }
static void b(int x) { last = 200 + x; }
static void d(int x) { last = x; }
static int ra(int x) { return 100 + x; }
static int rd(int x) { return x; }

static int one_level(int x)
{
	last = -1;
	MY_IF(ALTCALL_ALL(SW(1), SW(2)))
		a(x);
	MY_ELIF(ALTCALL_ALL(SW(1), SW(9)))
		b(x);
	ALTERNATIVE_ELSE
		d(x);
	ALTERNATIVE_END
	return last;
}

static int two_levels(int x)
{
	last = -1;
	OUTER_IF(BOTH)
		a(x);
	ALTERNATIVE_ELSE
		d(x);
	ALTERNATIVE_END
	return last;
}

static int eight(int x)
{
	last = -1;
	MY_IF(EIGHT)
		a(x);
	ALTERNATIVE_END
	return last;
}

static int inverted(int x)
{
	last = -1;
	MY_IF_NOT(ALTCALL_ALL(SW(1), SW(2)))
		d(x);
	ALTERNATIVE_ELSE
		b(x);
	ALTERNATIVE_END
	return last;
}

/* One feature in parentheses, an ALTCALL_ALL of one, and a cast: each is
 * one feature. */
static int parenthesised(int x)
{
	last = -1;
	MY_IF((SW(3)))
		a(x);
	MY_ELIF(ALTCALL_ALL(SW(4)))
		b(x);
	MY_ELIF((unsigned)SW(5))
		b(x);
	ALTERNATIVE_END
	return last;
}

static int expression(int x)
{
	return MY_CALL(ALTCALL_ALL(SW(1), SW(2)), ra, rd)(x);
}

static void show(const char *when)
{
	printf("%s: %d %d %d %d %d %d\n", when, one_level(1), two_levels(2),
	       eight(3), inverted(4), parenthesised(5), expression(6));
}

int main(void)
{
	show("before");
	altcall_set_feature(SW(1), 1);
	altcall_apply();
	show("sw1");
	altcall_set_feature(SW(2), 1);
	altcall_set_feature(SW(4), 1);
	altcall_apply();
	show("sw1+2+4");
	return 0;
}
