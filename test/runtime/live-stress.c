// Live re-patching: 4 threads run sites of every shape in tight loops
// while the main thread flips a feature and re-applies thousands of times.
// Every call must reach one of its site's legal targets (no torn
// instruction, no crash), and every call made while no apply runs (in
// particular a thread's first call after an apply returned, found with a
// sequence handshake) must reach the target that apply chose.
// RUN: %cc -O2 -pthread %s %rt -o %t
// x86-64 natively: 10,000 applies; arm64 under qemu-user: fewer.
// RUN: %run %t live %{live-applies} | FileCheck %s
// Without the plugin: the same guarantee from the published state.
// RUN: %cc-plain -O2 -pthread %s %rt -o %t.plain
// RUN: %run %t.plain live %{live-applies} | FileCheck %s
// CHECK: applies [[N:[0-9]+]], refused 0
// CHECK-NEXT: calls {{[1-9][0-9]*}}, wrong 0, stale 0, first-after-apply {{[1-9][0-9]*}} checked, 0 wrong
// CHECK-NEXT: live: ok
// The control, the same program with the protocol off: live-control.test.
#include <altcall.h>
#include <altcall/runtime.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define F ALTCALL_SW_FEATURE(5)
#define WORKERS 4

/* Which target ran last on this thread: each target says so. */
static __thread int ran;
enum { NONE, V_OLD, V_NEW, E_OLD, E_NEW, T_OLD, T_NEW, N_NEW, P_FN };

__attribute__((noinline)) void v_old(void) { ran = V_OLD; }
__attribute__((noinline)) void v_new(void) { ran = V_NEW; }
__attribute__((noinline)) int e_old(int a) { ran = E_OLD; return a + 1; }
__attribute__((noinline)) int e_new(int a) { ran = E_NEW; return a + 2; }
__attribute__((noinline)) int t_old(int a) { ran = T_OLD; return a + 3; }
__attribute__((noinline)) int t_new(int a) { ran = T_NEW; return a + 4; }
__attribute__((noinline)) void n_new(void) { ran = N_NEW; }
__attribute__((noinline)) int p_fn(int a) { ran = P_FN; return a + 5; }

struct ops { int (*fn)(int); };
struct ops ops = { p_fn };

/* statement */
__attribute__((noinline)) void s_stmt(void)
{
	ALTERNATIVE_IF(F)
		v_new();
	ALTERNATIVE_ELSE
		v_old();
	ALTERNATIVE_END
}

/* expression */
__attribute__((noinline)) int s_expr(int a)
{
	int r = ALTERNATIVE_CALL(F, e_new, e_old)(a);

	return r * 3;
}

/* tail: a jmp */
__attribute__((noinline)) int s_tail(int a)
{
	ALTERNATIVE_IF_NOT(F)
		return t_old(a);
	ALTERNATIVE_ELSE
		return t_new(a);
	ALTERNATIVE_END
}

/* no call by default */
__attribute__((noinline)) void s_nocall(void)
{
	ALTERNATIVE_IF(F)
		n_new();
	ALTERNATIVE_END
}

/* pointer: its trampoline until the first apply, then p_fn directly */
__attribute__((noinline)) int s_ptr(int a)
{
	int r = alternative_call(ops.fn, a);

	return r * 3;
}

/* Odd while an apply runs; 2k once the k-th apply has returned (the
 * feature is then k & 1). */
static unsigned seq;
static int stop;

struct result {
	unsigned long calls, wrong, stale, first, first_wrong;
	unsigned seen;		/* the last idle seq this worker checked */
};

static void *worker(void *arg)
{
	struct result *res = arg;
	unsigned last = ~0u;
	int k = 0;

	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		unsigned s1 = __atomic_load_n(&seq, __ATOMIC_ACQUIRE), s2;
		int on = (s1 / 2) & 1, got[5], bad = 0, late = 0;

		k++;
		ran = NONE; s_stmt(); got[0] = ran;
		ran = NONE; bad |= s_expr(k) != 3 * (k + (ran == E_NEW ? 2 : 1)); got[1] = ran;
		ran = NONE; bad |= s_tail(k) != k + (ran == T_NEW ? 4 : 3); got[2] = ran;
		ran = NONE; s_nocall(); got[3] = ran;
		ran = NONE; bad |= s_ptr(k) != 3 * (k + 5); got[4] = ran;
		s2 = __atomic_load_n(&seq, __ATOMIC_ACQUIRE);

		/* Always: one of the site's targets. */
		bad |= got[0] != V_OLD && got[0] != V_NEW;
		bad |= got[1] != E_OLD && got[1] != E_NEW;
		bad |= got[2] != T_OLD && got[2] != T_NEW;
		bad |= got[3] != NONE && got[3] != N_NEW;
		bad |= got[4] != P_FN;
		/* No apply ran during these calls: the last one's choice. */
		if (s1 == s2 && !(s1 & 1)) {
			late |= got[0] != (on ? V_NEW : V_OLD);
			late |= got[1] != (on ? E_NEW : E_OLD);
			late |= got[2] != (on ? T_NEW : T_OLD);
			late |= got[3] != (on ? N_NEW : NONE);
			if (s1 != last) {	/* first calls after an apply returned */
				res->first++;
				res->first_wrong += late;
			}
			last = s1;
			__atomic_store_n(&res->seen, s1, __ATOMIC_RELEASE);
		}
		res->calls += 5;
		res->wrong += bad;
		res->stale += late;
	}
	return NULL;
}

static int stress(int applies)
{
	pthread_t t[WORKERS];
	struct result r[WORKERS], sum = { 0 };
	int refused = 0;

	memset(r, 0, sizeof(r));
	for (int i = 0; i < WORKERS; i++)
		pthread_create(&t[i], NULL, worker, &r[i]);
	usleep(10000);
	for (int k = 1; k <= applies; k++) {
		__atomic_store_n(&seq, 2 * k - 1, __ATOMIC_SEQ_CST);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		altcall_set_feature(F, k & 1);
		if (altcall_apply() < 0)
			refused++;
		__atomic_store_n(&seq, 2 * k, __ATOMIC_RELEASE);
		/* Every 64th apply, the handshake: wait until each worker has
		 * made its first calls after this apply returned (checked). */
		for (int i = 0; k % 64 == 0 && i < WORKERS; i++)
			while (__atomic_load_n(&r[i].seen, __ATOMIC_ACQUIRE) != 2u * k)
				sched_yield();
	}
	usleep(10000);
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	for (int i = 0; i < WORKERS; i++) {
		pthread_join(t[i], NULL);
		sum.calls += r[i].calls;
		sum.wrong += r[i].wrong;
		sum.stale += r[i].stale;
		sum.first += r[i].first;
		sum.first_wrong += r[i].first_wrong;
	}
	printf("applies %d, refused %d\n", applies, refused);
	printf("calls %lu, wrong %lu, stale %lu, first-after-apply %lu checked, %lu wrong\n",
	       sum.calls, sum.wrong, sum.stale, sum.first, sum.first_wrong);
	return sum.wrong || sum.stale || sum.first_wrong || refused;
}

int main(int argc, char **argv)
{
	int applies = argc > 2 ? atoi(argv[2]) : 1000;
	pid_t pid;
	int status;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1 && !strcmp(argv[1], "live")) {
		int bad = stress(applies);
		printf("live: %s\n", bad ? "FAILED" : "ok");
		return bad;
	}
	/* control: in a child, killed if it hangs */
	__altcall_test_live_mode(!strcmp(argv[1], "control-preempted") ? 3 : 2);
	pid = fork();
	if (!pid) {
		alarm(20);
		_exit(stress(applies));
	}
	waitpid(pid, &status, 0);
	if (WIFSIGNALED(status))
		printf("control: detected (killed by signal %d)\n", WTERMSIG(status));
	else if (WEXITSTATUS(status))
		printf("control: detected (wrong calls)\n");
	else
		printf("control: not detected\n");
	return 0;
}
