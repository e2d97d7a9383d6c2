// Live re-patching refusals and hand-offs: with another thread running,
// an apply that cannot serialise every CPU writes nothing and refuses
// (ALTCALL_ELIVE); the program's own SIGTRAPs reach its handler (or the
// default action); a site whose bytes changed under us is refused and
// left alone; sealed sites are not changed; the text is r-x after each.
// RUN: %cc -O2 -pthread %s %rt -o %t && %run %t | FileCheck %s --check-prefixes=CHECK,%{arch}
#define _GNU_SOURCE
#include <altcall.h>
#include <altcall/runtime.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../Inputs/page-protection.h"
#ifdef __x86_64__
#include <linux/filter.h>
#include <linux/seccomp.h>
#endif

#define F ALTCALL_SW_FEATURE(7)

static char ran;
__attribute__((noinline)) void a_old(void) { ran = 'a'; }
__attribute__((noinline)) void a_new(void) { ran = 'A'; }
__attribute__((noinline)) void b_old(void) { ran = 'b'; }
__attribute__((noinline)) void b_new(void) { ran = 'B'; }

__attribute__((noinline)) void s_a(void)
{
	ALTERNATIVE_IF(F)
		a_new();
	ALTERNATIVE_ELSE
		a_old();
	ALTERNATIVE_END
}

__attribute__((noinline)) void s_b(void)
{
	ALTERNATIVE_IF(F)
		b_new();
	ALTERNATIVE_ELSE
		b_old();
	ALTERNATIVE_END
}

extern const struct altcall_site __start_altcall_sites[], __stop_altcall_sites[];

/* The site whose default is dflt. */
static unsigned char *site_of(void (*dflt)(void))
{
	for (const struct altcall_site *r = __start_altcall_sites; r < __stop_altcall_sites; r++)
		if ((const char *)&r->dflt + r->dflt == (const char *)dflt)
			return (unsigned char *)&r->site + r->site;
	return NULL;
}

static char calls(void)
{
	static char buf[3];

	s_a();
	buf[0] = ran;
	s_b();
	buf[1] = ran;
	return buf[0] == 'A' && buf[1] == 'B' ? 'N' : buf[0] == 'a' && buf[1] == 'b' ? 'O' : '?';
}

static void apply(const char *what)
{
	struct altcall_report r;
	int ret = altcall_apply();

	altcall_get_report(&r);
	printf("%s: ret %d (%s), patched %u, refused %u, calls %c, text %s\n", what,
	       ret, ret < 0 ? altcall_strerror(ret) : "ok", r.patched, r.refused, calls(), protection(site_of(a_old)));
}

/* Another thread, parked: the process is not single-threaded. */
static int park[2];
static void *parked(void *arg)
{
	char c;

	(void)arg;
	while (read(park[0], &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

static pthread_t start_thread(void)
{
	pthread_t t;

	if (pipe(park) || pthread_create(&t, NULL, parked, NULL))
		abort();
	return t;
}

static void stop_thread(pthread_t t)
{
	if (write(park[1], "x", 1) != 1)
		abort();
	pthread_join(t, NULL);
	close(park[0]);
	close(park[1]);
}

#ifdef __x86_64__
static void program_trap(int sig, siginfo_t *info, void *uc)
{
	(void)sig;
	(void)uc;
	printf("program's handler: SIGTRAP %s\n", info->si_code == SI_KERNEL ? "int3" :
	       info->si_code == SI_TKILL ? "raise" : "other");
}

static void install_program_handler(void)
{
	struct sigaction sa = { .sa_sigaction = program_trap, .sa_flags = SA_SIGINFO };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGTRAP, &sa, NULL);
}

static const char *trap_owner(void)
{
	struct sigaction now;

	sigaction(SIGTRAP, NULL, &now);
	return (now.sa_flags & SA_SIGINFO) && now.sa_sigaction == program_trap ? "program" :
	       now.sa_handler == SIG_DFL ? "default" : "altcall";
}

/* A child: fn in a process with two threads; its end reported. */
static void in_child(const char *what, void (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (!pid) {
		start_thread();
		fn();
		_exit(0);
	}
	waitpid(pid, &status, 0);
	if (WIFSIGNALED(status))
		printf("%s: killed by %s\n", what, strsignal(WTERMSIG(status)));
	else
		printf("%s: exit %d\n", what, WEXITSTATUS(status));
}

/* No handler of the program's: a live apply installs altcall's, and an
 * int3 that is not altcall's takes SIGTRAP's default action. */
static void foreign_int3_default(void)
{
	signal(SIGTRAP, SIG_DFL);
	altcall_set_feature(F, !altcall_feature_enabled(F));
	if (altcall_apply() < 0)
		_exit(3);
	fflush(stdout);
	__asm__ volatile("int3");
	_exit(4);
}

/* membarrier(2) answers ENOSYS, as on a kernel without it. */
static void no_membarrier(void)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_membarrier, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(filter) / sizeof(filter[0]), filter };
	unsigned char before[5];

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog))
		_exit(2);
	memcpy(before, site_of(a_old), 5);
	altcall_set_feature(F, !altcall_feature_enabled(F));
	apply("seccomp, membarrier ENOSYS");
	printf("seccomp: site bytes %s\n", memcmp(before, site_of(a_old), 5) ? "changed" : "unchanged");
	fflush(stdout);
}
#endif

int main(void)
{
	pthread_t t;
	unsigned char *sb = site_of(b_old), saved[8], before[8];
#ifdef __x86_64__
	unsigned len = 5;
#else
	unsigned len = 4;
#endif

	setvbuf(stdout, NULL, _IONBF, 0);
	printf("sites found: %s\n", site_of(a_old) && sb ? "yes" : "no");
	// CHECK: sites found: yes
#ifdef __x86_64__
	install_program_handler();
#endif
	t = start_thread();

	// Two threads, no membarrier SYNC_CORE: refused, nothing written.
	__altcall_test_live_mode(1);
	memcpy(before, sb, len);
	altcall_set_feature(F, 1);
	apply("no sync-core");
	printf("site bytes: %s\n", memcmp(before, sb, len) ? "changed" : "unchanged");
	// CHECK-NEXT: no sync-core: ret -11 (other threads run the site and it cannot be patched live), patched 0, refused 2, calls O, text r-xp
	// CHECK-NEXT: site bytes: unchanged
	// No site to write, but the first state this process would publish
	// (sites built without the plugin follow it): held back the same way,
	// as one refusal of the apply itself.
	altcall_set_feature(F, 0);
	apply("no sync-core, nothing to change");
	// CHECK-NEXT: no sync-core, nothing to change: ret -11 (other threads run the site and it cannot be patched live), patched 0, refused 1, calls O, text r-xp

	// With it: patched live.
	__altcall_test_live_mode(0);
	altcall_set_feature(F, 1);
	apply("live");
	// CHECK-NEXT: live: ret 2 (ok), patched 2, refused 0, calls N, text r-xp

#ifdef __x86_64__
	// The program's SIGTRAPs still reach its handler, chained by ours.
	printf("SIGTRAP handler: %s\n", trap_owner());
	__asm__ volatile("int3");
	raise(SIGTRAP);
	// X86_64-NEXT: SIGTRAP handler: altcall
	// X86_64-NEXT: program's handler: SIGTRAP int3
	// X86_64-NEXT: program's handler: SIGTRAP raise
	// The program installs its handler again: the next live apply puts
	// altcall's back in front of it.
	install_program_handler();
	altcall_set_feature(F, 0);
	apply("live again");
	printf("SIGTRAP handler: %s\n", trap_owner());
	__asm__ volatile("int3");
	// X86_64-NEXT: live again: ret 2 (ok), patched 2, refused 0, calls O, text r-xp
	// X86_64-NEXT: SIGTRAP handler: altcall
	// X86_64-NEXT: program's handler: SIGTRAP int3

	// Without a handler of the program's: the default action.
	in_child("foreign int3, no handler", foreign_int3_default);
	// X86_64-NEXT: foreign int3, no handler: killed by Trace/breakpoint trap
	// A real kernel answer: membarrier ENOSYS (seccomp).
	in_child("seccomp child", no_membarrier);
	// X86_64-NEXT: seccomp, membarrier ENOSYS: ret -11 (other threads run the site and it cannot be patched live), patched 0, refused 2, calls {{[NO]}}, text r-xp
	// X86_64-NEXT: seccomp: site bytes unchanged
	// X86_64-NEXT: seccomp child: exit 0
	altcall_set_feature(F, 1);
	apply("live");
	// X86_64-NEXT: live: ret 2 (ok), patched 2, refused 0, calls N, text r-xp
#endif

	// A site whose bytes changed under us (someone else wrote it): refused,
	// left as it is; the other site is patched.
	memcpy(saved, sb, len);
	mprotect((void *)((uintptr_t)sb & ~4095ul), 8192, PROT_READ | PROT_WRITE | PROT_EXEC);
#ifdef __x86_64__
	memset(sb, 0x90, len);
#else
	memcpy(sb, "\xc0\x03\x5f\xd6", 4);		/* ret */
#endif
	mprotect((void *)((uintptr_t)sb & ~4095ul), 8192, PROT_READ | PROT_EXEC);
	memcpy(before, sb, len);
	altcall_set_feature(F, 0);
	{
		struct altcall_report r;
		int ret = altcall_apply();

		altcall_get_report(&r);
		s_a();
		printf("changed under us: ret %d (%s), patched %u, refused %u, first %s, s_a %c, site %s, text %s\n",
		       ret, altcall_strerror(ret), r.patched, r.refused,
		       r.first_refused_site == sb ? "that site" : "another",
		       ran, memcmp(before, sb, len) ? "written" : "untouched", protection(sb));
	}
	// CHECK-NEXT: changed under us: ret -1 (site bytes are not the call the compiler emitted), patched 1, refused 1, first that site, s_a a, site untouched, text r-xp
	mprotect((void *)((uintptr_t)sb & ~4095ul), 8192, PROT_READ | PROT_WRITE | PROT_EXEC);
	memcpy(sb, saved, len);
	mprotect((void *)((uintptr_t)sb & ~4095ul), 8192, PROT_READ | PROT_EXEC);
	apply("restored");
	// CHECK-NEXT: restored: ret 1 (ok), patched 1, refused 0, calls O, text r-xp

	// One thread again, still no SYNC_CORE: provably alone, so the boot
	// path.  (Under qemu-user the emulator's own threads count: refused.)
	stop_thread(t);
	__altcall_test_live_mode(1);
	altcall_set_feature(F, 1);
	apply("alone");
	// X86_64-NEXT: alone: ret 2 (ok), patched 2, refused 0, calls N, text r-xp
	// AARCH64-NEXT: alone: ret -11 ({{.*}}), patched 0, refused 2, calls O, text r-xp
	__altcall_test_live_mode(0);
	altcall_set_feature(F, 1);
	apply("alone, sync-core");
	// CHECK-NEXT: alone, sync-core: ret {{[02]}} (ok), patched {{[02]}}, refused 0, calls N, text r-xp

	// Sealed: no change, and a change refused.
	altcall_seal();
	apply("sealed, same");
	altcall_set_feature(F, 0);
	apply("sealed, changed");
	// CHECK-NEXT: sealed, same: ret 0 (ok), patched 0, refused 0, calls N, text r-xp
	// CHECK-NEXT: sealed, changed: ret -12 (the sites are sealed (altcall_seal)), patched 0, refused 2, calls N, text r-xp
	return 0;
}
