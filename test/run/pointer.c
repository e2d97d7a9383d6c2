// alternative_call / alternative_vcall, as Xen uses them: an ops struct that
// an init function fills from one of two const implementations.  Before
// altcall_apply() a site behaves exactly like the indirect call (it follows
// the pointer); apply makes it a direct call to the value it reads, and later
// changes of the pointer do not reach it (without the plugin they do: the
// fallback is a plain indirect call).  Every signature class: more than six
// arguments with stack-passed ones, structs by value, struct return, floating
// point, variadic callees, tail calls, void.  A NULL pointer at apply is
// reported and leaves the site on its trampoline.
// RUN: %cc -O0 %s %rt -o %t0 && %run %t0 | FileCheck %s --check-prefixes=CHECK,PLUGIN
// RUN: %cc -O1 %s %rt -o %t1 && %run %t1 | FileCheck %s --check-prefixes=CHECK,PLUGIN
// RUN: %cc -O2 %s %rt -o %t2 && %run %t2 | FileCheck %s --check-prefixes=CHECK,PLUGIN
// RUN: %cc -O3 %s %rt -o %t3 && %run %t3 | FileCheck %s --check-prefixes=CHECK,PLUGIN
// RUN: %cc -Os %s %rt -o %ts && %run %ts | FileCheck %s --check-prefixes=CHECK,PLUGIN
// RUN: %cc -O2 -g -fPIE -pie %s %rt -o %tg && %run %tg | FileCheck %s --check-prefixes=CHECK,PLUGIN
// RUN: %cc-plain -O2 %s %rt -o %tp && %run %tp | FileCheck %s --check-prefixes=CHECK,FALLBACK
// RUN: %cc -O2 -c %s -o %t.o && %sites %t.o | FileCheck %s --check-prefix=SITES
#include <altcall.h>
#include <stdarg.h>
#include <stdio.h>

struct big { long v[8]; };

struct ops {
	long (*many)(long, long, long, long, long, long, long, long,
		     double, double, double, double, double, double, double, double, double);
	struct big (*byval)(struct big, int);
	double (*scale)(double, float);
	int (*sum)(int n, ...);
	void (*note)(const char *);
	int (*pick)(int);
};

static const char *ran;

#define IMPL(tag, bias)									\
static long many_##tag(long a, long b, long c, long d, long e, long f, long g, long h,	\
		       double p, double q, double r, double s, double t, double u,	\
		       double v, double w, double x)					\
{											\
	ran = #tag;									\
	return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h + bias +	\
	       (long)(p + q + r + s + t + u + v + w + 100 * x);				\
}											\
static struct big byval_##tag(struct big in, int k)					\
{											\
	ran = #tag;									\
	for (int i = 0; i < 8; i++)							\
		in.v[i] = in.v[i] * k + bias;						\
	return in;									\
}											\
static double scale_##tag(double d, float f) { ran = #tag; return d * f + bias; }	\
static int sum_##tag(int n, ...)							\
{											\
	va_list ap;									\
	int s = bias;									\
	va_start(ap, n);								\
	while (n--)									\
		s += va_arg(ap, int);							\
	va_end(ap);									\
	ran = #tag;									\
	return s;									\
}											\
static void note_##tag(const char *m) { ran = #tag; printf("  note(%s) by %s\n", m, #tag); } \
static int pick_##tag(int x) { ran = #tag; return x + bias; }				\
static const struct ops ops_##tag = {							\
	many_##tag, byval_##tag, scale_##tag, sum_##tag, note_##tag, pick_##tag,	\
};

IMPL(generic, 0)
IMPL(fast, 1000)

struct ops ops;
int (*handlers[3])(int);

static void init_ops(int fast)
{
	ops = fast ? ops_fast : ops_generic;
	handlers[1] = ops.pick;
}

__attribute__((noinline)) long call_many(void)
{
	return alternative_call(ops.many, 1, 2, 3, 4, 5, 6, 7, 8,
				0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25);
}

__attribute__((noinline)) long call_byval(void)
{
	struct big b = { { 1, 2, 3, 4, 5, 6, 7, 8 } };
	struct big r = alternative_call(ops.byval, b, 3);
	long s = 0;
	for (int i = 0; i < 8; i++)
		s += r.v[i];
	return s;
}

__attribute__((noinline)) double call_scale(double d)
{
	return alternative_call(ops.scale, d, 0.5f);
}

__attribute__((noinline)) int call_sum(void)
{
	return alternative_call(ops.sum, 4, 10, 20, 30, 40);
}

__attribute__((noinline)) void call_note(void)
{
	alternative_vcall(ops.note, "hi");
}

/* A tail call, through an element of a global array. */
__attribute__((noinline)) int call_tail(int x)
{
	return alternative_call(handlers[1], x);
}

static void run(const char *when)
{
	long m = call_many();
	const char *r1 = ran;
	long b = call_byval();
	double s = call_scale(3.0);
	int v = call_sum();
	int t = call_tail(5);
	const char *r2 = ran;
	printf("%s: many=%ld(%s) byval=%ld scale=%.2f sum=%d tail=%d(%s)\n",
	       when, m, r1, b, s, v, t, r2);
	call_note();
}

int main(void)
{
	struct altcall_report rep;

	init_ops(0);
	run("generic");
	// CHECK: generic: many=233(generic) byval=108 scale=1.50 sum=100 tail=5(generic)
	// CHECK-NEXT: note(hi) by generic

	/* Before apply a site follows the pointer, like the indirect call. */
	init_ops(1);
	run("fast");
	// CHECK-NEXT: fast: many=1233(fast) byval=8108 scale=1001.50 sum=1100 tail=1005(fast)
	// CHECK-NEXT: note(hi) by fast

	ops.scale = NULL;
	int n = altcall_apply();
	altcall_get_report(&rep);
	printf("apply: %s refused=%u unset=%u\n", n >= 0 ? "ok" : altcall_strerror(n),
	       rep.refused, rep.unset);
	/* NULL is "not set yet": no refusal, counted apart. */
	// PLUGIN-NEXT: apply: ok refused=0 unset={{[1-9][0-9]*}}
	// FALLBACK-NEXT: apply: ok refused=0 unset=0

	/* The NULL site kept its trampoline: it follows the pointer again.  The
	 * others were made direct calls to the "fast" functions and stay so. */
	init_ops(0);
	run("after");
	// PLUGIN-NEXT: after: many=1233(fast) byval=8108 scale=1.50 sum=1100 tail=1005(fast)
	// PLUGIN-NEXT: note(hi) by fast
	// FALLBACK-NEXT: after: many=233(generic) byval=108 scale=1.50 sum=100 tail=5(generic)
	// FALLBACK-NEXT: note(hi) by generic

	/* The image says its pointers are final: the NULL site, set since,
	 * is patched to the value it has now, and only it. */
	ops.scale = scale_fast;
	n = altcall_pointers_final();
	struct altcall_image_report own;
	int found = altcall_get_own_report(&own);
	printf("final: %s", n > 0 ? "patched" : n == 0 ? "nothing" : altcall_strerror(n));
	if (found == 0)
		printf(", image report: apply %lu kind %d, %u pointer sites, %u unset, %u refused, %s",
		       own.report.apply, own.report.kind, own.report.sites, own.report.unset,
		       own.report.refused, own.name[0] ? "named" : "the program");
	printf("\n");
	// PLUGIN-NEXT: final: patched, image report: apply 2 kind 3, 6 pointer sites, 0 unset, 0 refused, the program
	// FALLBACK-NEXT: final: nothing
	ops.scale = scale_generic;
	printf("scale now %.2f\n", call_scale(3.0));
	// PLUGIN-NEXT: scale now 1001.50
	// FALLBACK-NEXT: scale now 1.50
	/* Idempotent: nothing left to do. */
	printf("final again: %d\n", altcall_pointers_final());
	// CHECK-NEXT: final again: 0
	return 0;
}

// SITES-DAG: site call_many+0x{{[0-9a-f]+}} {{call|jmp|bl|b}} trampoline default=trampoline alt=*ops feature=pointer
// SITES-DAG: site call_byval+0x{{[0-9a-f]+}} {{call|bl}} trampoline default=trampoline alt=*ops+0x8 feature=pointer
// SITES-DAG: site call_scale{{(\+0x[0-9a-f]+)?}} {{call|jmp|bl|b}} trampoline default=trampoline alt=*ops+0x10 feature=pointer
// SITES-DAG: site call_sum+0x{{[0-9a-f]+}} {{call|jmp|bl|b}} trampoline default=trampoline alt=*ops+0x18 feature=pointer
// SITES-DAG: site call_note{{(\+0x[0-9a-f]+)?}} {{call|jmp|bl|b}} trampoline default=trampoline alt=*ops+0x20 feature=pointer
// SITES-DAG: site call_tail{{(\+0x[0-9a-f]+)?}} {{jmp|b}} trampoline default=trampoline alt=*handlers+0x8 feature=pointer
