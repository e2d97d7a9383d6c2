/* The sites of test/run/held-back.test, in the program and in a library
 * it dlopen()s after a seal: each returns a letter per arm. */
#include <altcall.h>

#define F1 ALTCALL_SW_FEATURE(1)
#define F2 ALTCALL_SW_FEATURE(2)

static __attribute__((noinline)) char f0(void) { return '0'; }
static __attribute__((noinline)) char f1(void) { return '1'; }
static __attribute__((noinline)) char f2(void) { return '2'; }

/* Two-way, N-way, the expression form and IF_NOT: "0", "1" or "2" each. */
static __attribute__((noinline)) char two(void)
{
	char r;

	ALTERNATIVE_IF(F1)
		r = f1();
	ALTERNATIVE_ELSE
		r = f0();
	ALTERNATIVE_END
	return r;
}

static __attribute__((noinline)) char nway(void)
{
	char r;

	ALTERNATIVE_IF(F2)
		r = f2();
	ALTERNATIVE_ELIF(F1)
		r = f1();
	ALTERNATIVE_ELSE
		r = f0();
	ALTERNATIVE_END
	return r;
}

static __attribute__((noinline)) char expr(void)
{
	return ALTERNATIVE_CALL(F1, f1, ALTERNATIVE_CALL(F2, f2, f0))();
}

static __attribute__((noinline)) char not2(void)
{
	char r;

	ALTERNATIVE_IF_NOT(F2)
		r = f0();
	ALTERNATIVE_ELSE
		r = f2();
	ALTERNATIVE_END
	return r;
}

static void arms(char out[5])
{
	out[0] = two();
	out[1] = nway();
	out[2] = expr();
	out[3] = not2();
	out[4] = 0;
}
