/* A program that uses libsum (lib.c): test/run/lib-pointers.test.
 *   main run [seal]      apply (and seal) at start-up, before the library
 *                        has chosen; 4 threads make its first calls at once
 *   main stress R T [torn]  R processes, each T threads racing on the
 *                        library's first call (even ones apply and seal
 *                        first); every sum checked, every site checked
 *                        patched; torn: the control, writes without the
 *                        live protocol (x86-64) */
#include <altcall.h>
#include <altcall/runtime.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "lib.h"

#define CALLS 2000
static unsigned char buf[4096];
static unsigned expect_sum, expect_update;
static unsigned long wrong;
static int go;
static int nthreads;

static unsigned adler(unsigned s, const unsigned char *p, unsigned long n)
{
	unsigned a = s & 0xffff, b = s >> 16;

	while (n--) {
		a = (a + *p++) % 65521;
		b = (b + a) % 65521;
	}
	return b << 16 | a;
}

static void *worker(void *arg)
{
	unsigned long bad = 0;

	(void)arg;
	__atomic_add_fetch(&go, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&go, __ATOMIC_ACQUIRE) < nthreads)
		;
	for (int i = 0; i < CALLS; i++) {
		bad += libsum(buf, sizeof(buf)) != expect_sum;
		bad += libsum_update(1, buf, 100) != expect_update;
	}
	__atomic_add_fetch(&wrong, bad, __ATOMIC_RELAXED);
	return NULL;
}

static void race(int threads)
{
	pthread_t t[16];

	nthreads = threads;
	for (int i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (int i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
}

static void print_report(const char *what, int ret)
{
	struct altcall_report r;

	altcall_get_report(&r);
	printf("%s: %s, %u refused, %u unset\n", what,
	       ret < 0 ? altcall_strerror(ret) : "ok", r.refused, r.unset);
}

static void print_library(void)
{
	struct altcall_image_report r;
	unsigned chosen, tramp, other, n = libsum_sites(&chosen, &tramp, &other);

	printf("library chose %s; pointer sites %s, on their pointer's function %u, "
	       "NULL on their trampoline %u, elsewhere %u\n", libsum_chosen(),
	       n ? "some" : "none", chosen, tramp, other);
	if (altcall_get_image_report((const void *)libsum, &r)) {
		printf("library report: none\n");
		return;
	}
	printf("library report: %s, %s apply, %u sites, %u patched, %u refused, %u unset\n",
	       strstr(r.name, "libsum") ? "libsum" : r.name,
	       r.report.kind == ALTCALL_APPLY_POINTERS ? "pointers" :
	       r.report.kind == ALTCALL_APPLY_ALL ? "process" :
	       r.report.kind == ALTCALL_APPLY_LOAD ? "load" : "no",
	       r.report.sites, r.report.patched, r.report.refused, r.report.unset);
}

static int child(int seal, int threads, int torn)
{
	unsigned chosen, tramp, other, n;

	if (torn)
		__altcall_test_live_mode(3);
	if (seal) {
		int ret = altcall_apply();
		altcall_seal();
		if (ret < 0)
			return 3;
	}
	libsum_init();
	race(threads);
	n = libsum_sites(&chosen, &tramp, &other);
	if (wrong)
		return 1;
	/* Every site of a pointer that was set is a direct call to it (the
	 * never-set trace pointer's stays on its trampoline). */
	if (n && (other || !chosen || !tramp))
		return 2;
	return 0;
}

static int stress(int rounds, int threads, int torn)
{
	int crashed = 0, failed = 0, unpatched = 0;

	for (int i = 0; i < rounds; i++) {
		int status;
		pid_t pid = fork();

		if (!pid)
			_exit(child(i % 2 == 0, threads, torn));
		alarm(60);
		waitpid(pid, &status, 0);
		if (WIFSIGNALED(status))
			crashed++;
		else if (WEXITSTATUS(status) == 2)
			unpatched++;
		else if (WEXITSTATUS(status))
			failed++;
	}
	printf("stress: %d processes x %d threads, %d crashed, %d wrong sums, %d unpatched\n",
	       rounds, threads, crashed, failed, unpatched);
	if (torn)
		printf("control: %s\n", crashed || failed ? "detected" : "not detected");
	return 0;
}

/* The program's own sites: the library's declaration must not touch them. */
static int own_one(int x) { return x + 1; }
static int own_two(int x) { return x + 2; }
static struct { int (*fn)(int); } main_ops = { own_one };
static int feat_old(int x) { return x + 10; }
static int feat_new(int x) { return x + 20; }

__attribute__((noinline)) int main_pointer(int x)
{
	return alternative_call(main_ops.fn, x);
}

__attribute__((noinline)) int main_feature(int x)
{
	int r;

	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(1))
		r = feat_new(x);
	ALTERNATIVE_ELSE
		r = feat_old(x);
	ALTERNATIVE_END
	return r;
}

/* main only: the library (FILL=init) declares its pointers final while
 * the program has a feature set and a pointer set, and has not applied. */
static int only(void)
{
	struct altcall_image_report r;
	int ret;

	altcall_set_feature(ALTCALL_SW_FEATURE(1), 1);
	libsum_init();
	main_ops.fn = own_two;
	printf("after the library's declaration: feature site %d, pointer site %d, "
	       "program's report %s\n", main_feature(0), main_pointer(0),
	       altcall_get_own_report(&r) ? "none" : r.report.apply ? "written" : "no apply yet");
	print_library();
	ret = altcall_apply();
	print_report("program's apply", ret);
	printf("after the program's apply: feature site %d, pointer site %d\n",
	       main_feature(0), main_pointer(0));
	return 0;
}

int main(int argc, char **argv)
{
	int ret;

	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 7 + 3);
	expect_sum = adler(1, buf, sizeof(buf));
	expect_update = adler(1, buf, 100);
	if (argc > 1 && !strcmp(argv[1], "only"))
		return only();
	if (argc > 1 && !strcmp(argv[1], "stress"))
		return stress(atoi(argv[2]), atoi(argv[3]), argc > 4);

	/* Start-up, as the README says: apply (and seal) before anything
	 * else.  The library has not chosen yet (unless it did in its
	 * constructor): its pointers are not set, which is no error. */
	ret = altcall_apply();
	print_report("start-up apply", ret);
	if (argc > 2 && !strcmp(argv[2], "seal")) {
		altcall_seal();
		printf("sealed\n");
	}
	print_library();
	libsum_init();
	race(4);
	printf("4 threads, %d calls each: %lu wrong\n", 2 * CALLS, wrong);
	printf("calls: generic %lu, fast %lu\n", libsum_calls(0), libsum_calls(1));
	print_library();
	/* The program applies again: the same features, nothing to do. */
	ret = altcall_apply();
	print_report("apply again", ret);
	/* The sites call what the pointers held when the library said they
	 * were final; a later store into them is not followed with the plugin
	 * (without it, the call is a plain indirect call and follows it). */
	libsum_poison();
	printf("after the pointers changed: %s\n",
	       libsum(buf, sizeof(buf)) == expect_sum ? "the chosen functions" : "the new pointers");
	return 0;
}
