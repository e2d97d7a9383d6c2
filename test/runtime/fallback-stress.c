// Sites whose conditions read several features (an N-way chain, an
// ALTCALL_ALL, a nested ALTERNATIVE_CALL) must never mix two feature
// states while another thread re-applies: each execution reads one state,
// the old or the new, and calls that state's choice, never a third
// target.  The state flips between A = {53, 55} and B = {54, 56}, where a
// read of each feature at its own time can give the default of the chain
// (53 read in B, 54 in A), ALTCALL_ALL's arm (55 in A, 56 in B), or the
// innermost default of the nest.  Built without the plugin (the header's
// fallback, the point of this test) and with it (the patched sites).
// RUN: %cc-plain -O2 -pthread %s %rt -o %t.plain
// RUN: %run %t.plain %{live-applies} | FileCheck %s
// RUN: %cc -O2 -pthread %s %rt -o %t
// RUN: %run %t %{live-applies} | FileCheck %s
// CHECK: applies [[N:[0-9]+]], refused 0
// CHECK-NEXT: calls {{[1-9][0-9]*}}, third targets 0
// The control: the same sites written as one read per feature (what the
// fallback did before it read the state once per site), with a pause
// between two reads to widen the window: the check catches the mix.
// RUN: %cc-plain -O2 -pthread -DCONTROL %s %rt -o %t.control
// RUN: %run %t.control %{live-applies} | FileCheck %s --check-prefix=CONTROL
// CONTROL: applies {{[0-9]+}}, refused 0
// CONTROL-NEXT: calls {{[1-9][0-9]*}}, third targets {{[1-9][0-9]*}}
#include <altcall.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define S53 ALTCALL_SW_FEATURE(53)
#define S54 ALTCALL_SW_FEATURE(54)
#define S55 ALTCALL_SW_FEATURE(55)
#define S56 ALTCALL_SW_FEATURE(56)
#define WORKERS 4

__attribute__((noinline)) int v0(void) { return 0; }
__attribute__((noinline)) int v1(void) { return 1; }
__attribute__((noinline)) int v2(void) { return 2; }
__attribute__((noinline)) int all_dflt(void) { return 10; }
__attribute__((noinline)) int all_alt(void) { return 11; }
__attribute__((noinline)) int e0(void) { return 20; }
__attribute__((noinline)) int e1(void) { return 21; }
__attribute__((noinline)) int e2(void) { return 22; }

#ifndef CONTROL
__attribute__((noinline)) int s_chain(void)
{
	int r;

	ALTERNATIVE_IF(S53)
		r = v1();
	ALTERNATIVE_ELIF(S54)
		r = v2();
	ALTERNATIVE_ELSE
		r = v0();
	ALTERNATIVE_END
	return r;
}

__attribute__((noinline)) int s_all(void)
{
	int r;

	ALTERNATIVE_IF(ALTCALL_ALL(S55, S56))
		r = all_alt();
	ALTERNATIVE_ELSE
		r = all_dflt();
	ALTERNATIVE_END
	return r;
}

__attribute__((noinline)) int s_nest(void)
{
	return ALTERNATIVE_CALL(S53, e1, ALTERNATIVE_CALL(S54, e2, e0))();
}
#else
static void pause_between_reads(void)
{
	for (volatile int i = 0; i < 300; i++)
		;
}

static int has(unsigned f)
{
	return __altcall_applied_feature(f);
}

__attribute__((noinline)) int s_chain(void)
{
	if (has(S53))
		return v1();
	pause_between_reads();
	return has(S54) ? v2() : v0();
}

__attribute__((noinline)) int s_all(void)
{
	if (!has(S55))
		return all_dflt();
	pause_between_reads();
	return has(S56) ? all_alt() : all_dflt();
}

__attribute__((noinline)) int s_nest(void)
{
	if (has(S53))
		return e1();
	pause_between_reads();
	return has(S54) ? e2() : e0();
}
#endif

static int stop;

struct result {
	unsigned long calls, third;
};

static void *worker(void *arg)
{
	struct result *res = arg;

	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		int c = s_chain(), a = s_all(), n = s_nest();

		/* A's choices are 1, 10, 21; B's 2, 10, 22. */
		res->third += c != 1 && c != 2;
		res->third += a != 10;
		res->third += n != 21 && n != 22;
		res->calls += 3;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int applies = argc > 1 ? atoi(argv[1]) : 1000, refused = 0;
	pthread_t t[WORKERS];
	struct result r[WORKERS] = { { 0, 0 } }, sum = { 0, 0 };

	setvbuf(stdout, NULL, _IONBF, 0);
	altcall_set_feature(S53, 1);
	altcall_set_feature(S55, 1);
	if (altcall_apply() < 0)
		refused++;
	for (int i = 0; i < WORKERS; i++)
		pthread_create(&t[i], NULL, worker, &r[i]);
	for (int k = 0; k < applies; k++) {
		int b = k & 1;

		altcall_set_feature(S53, !b);
		altcall_set_feature(S55, !b);
		altcall_set_feature(S54, b);
		altcall_set_feature(S56, b);
		if (altcall_apply() < 0)
			refused++;
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	for (int i = 0; i < WORKERS; i++) {
		pthread_join(t[i], NULL);
		sum.calls += r[i].calls;
		sum.third += r[i].third;
	}
	printf("applies %d, refused %d\n", applies, refused);
	printf("calls %lu, third targets %lu\n", sum.calls, sum.third);
	return 0;
}
