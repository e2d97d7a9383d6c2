/* SPDX-License-Identifier: MIT */
/*
 * Live patching: rewrite sites while other CPUs run them.  Freestanding.
 *
 * The platform supplies three things (altcall/runtime.h): poke (write
 * these bytes), sync_cores (make every CPU serialise its instruction
 * stream) and, on x86, a trap handler that asks altcall_live_trap() where
 * a thread that hit one of our int3s must go.  The protocol is here, once,
 * for every platform.
 *
 * x86-64 (altcall_arch_live_trap = 0xCC): a site is 5 bytes and another
 * CPU may fetch them while they change, so a plain 5-byte write could be
 * executed torn.  The int3 protocol of Linux's text_poke_bp_batch(), for
 * a batch of sites at once:
 *
 *	                     byte 0   bytes 1..4
 *	before               E8       o0 o1 o2 o3     call old   (E9 jmp, or
 *	                                                          0F 1F 44 00 00)
 *	1. int3 on byte 0    CC       o0 o1 o2 o3     sync_cores
 *	2. the tail          CC       n0 n1 n2 n3     sync_cores
 *	3. byte 0            E8       n0 n1 n2 n3     sync_cores
 *
 * Why it is safe: the tail changes only while every CPU that could fetch
 * the site sees byte 0 as int3 (step 1 synced), so none decodes a mix of
 * old and new tail; byte 0 changes with one single-byte store (atomic),
 * and only once every CPU sees the whole new tail (step 2 synced).  A CPU
 * that executes the int3 meanwhile traps; the platform's handler asks
 * altcall_live_trap(), which finds the site in the published batch (a
 * binary search: the batch is sorted) and has the handler emulate the new
 * instruction (push the return address and go to the target, or go
 * past a NOP): the new target, correct from the moment the apply began,
 * as the old one is until it returns.  Nothing ever re-executes a torn
 * instruction.  After step 3 synced every CPU fetches the new instruction.
 *
 * A handler can run late: a thread traps in step 1, is preempted, and its
 * handler asks after the batch is done.  The site then holds a whole call,
 * jmp or NOP again, and the answer is "execute the site again": whole, new
 * and synced by then (altcall_arch_trap_gone()).  A handler that finds no
 * batch and an int3 at the site must be sure that no batch could have put
 * it there, so the handler
 * counts itself in (refs) before it looks, and the core, after publishing
 * a batch and before writing its first int3, and after withdrawing it,
 * waits until no handler is inside (a Dekker pair: sequentially consistent
 * store of n, load of refs; increment of refs, load of n).
 *
 * arm64 (altcall_arch_live_trap = -1): b, bl and nop are instructions the
 * Arm ARM lets one aligned 32-bit store change while other PEs execute
 * them (concurrent modification and execution): a PE executes the old or
 * the new one.  poke does that store and the cache maintenance to the
 * point of unification (DC CVAU, DSB ISH, IC IVAU, DSB ISH); one
 * sync_cores then makes every PE execute a context synchronisation event
 * (ISB) before the apply returns, after which all fetch the new one.
 *
 * Strict checks before every write: each site still holds a call, jmp or
 * NOP (the planner read it moments ago, under the apply lock; anything
 * else means another writer and the site is not touched), and the batch
 * is sorted and disjoint.  A poke that fails leaves a prefix written, the
 * rest untouched: on x86 the int3s already placed beyond it are taken
 * back with the old first byte.
 */
#include "poke.h"

static struct {
	/* The batch being written (x86): new bytes by ascending address. */
	struct altcall_patch batch[ALTCALL_POKE_BATCH];
	unsigned n;		/* 0: no batch published */
	int refs;		/* trap handlers inside altcall_live_trap() */
	bool stuck;		/* a first byte could not be put back */
} live;

/* Until every handler that may have seen the previous state has left. */
static void wait_for_handlers(void)
{
	while (__atomic_load_n(&live.refs, __ATOMIC_SEQ_CST))
		altcall_cpu_relax();
}

static void publish(const struct altcall_patch *p, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		live.batch[i] = p[i];
	__atomic_store_n(&live.n, n, __ATOMIC_SEQ_CST);
	wait_for_handlers();
}

static void withdraw(void)
{
	__atomic_store_n(&live.n, 0, __ATOMIC_SEQ_CST);
	wait_for_handlers();
}

/* The index of the patch at site in the published batch, or -1. */
static int find_site(uptr site, unsigned n)
{
	unsigned lo = 0, hi = n;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		uptr at = (uptr)live.batch[mid].addr;

		if (at == site)
			return (int)mid;
		if (at < site)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

bool altcall_live_trap(unsigned long pc, unsigned long *resume,
		       unsigned long *push)
{
	uptr site = (uptr)pc - 1;
	struct altcall_insn insn;
	unsigned n;
	int i;
	bool ours = false;

	if (altcall_arch_live_trap < 0)
		return false;
	__atomic_fetch_add(&live.refs, 1, __ATOMIC_SEQ_CST);
	n = __atomic_load_n(&live.n, __ATOMIC_SEQ_CST);
	i = n ? find_site(site, n) : -1;
	if (i >= 0) {
		const struct altcall_patch *p = &live.batch[i];

		altcall_arch_codec->decode(p->bytes, site, &insn);
		*push = insn.kind == ALTCALL_INSN_CALL ? site + p->len : 0;
		*resume = insn.kind == ALTCALL_INSN_NOP ? site + p->len :
			  (unsigned long)insn.target;
		ours = true;
	} else if (altcall_arch_trap_gone((const u8 *)site)) {
		/* Gone since the trap (see above): run the site as it is. */
		*push = 0;
		*resume = site;
		ours = true;
	}
	__atomic_fetch_sub(&live.refs, 1, __ATOMIC_RELEASE);
	return ours;
}

/* What a site may hold when a write starts: what the planner accepted. */
static bool site_intact(const struct altcall_patch *p)
{
	struct altcall_insn now;

	altcall_arch_codec->decode((const u8 *)p->addr, (uptr)p->addr, &now);
	return now.kind != ALTCALL_INSN_OTHER &&
	       p->len == altcall_arch_codec->insn_size;
}

static bool batch_sane(const struct altcall_patch *p, unsigned n)
{
	unsigned i;

	if (n > ALTCALL_POKE_BATCH)
		return false;
	for (i = 1; i < n; i++)
		if ((uptr)p[i - 1].addr + p[i - 1].len > (uptr)p[i].addr)
			return false;
	return true;
}

/* arm64: one store per site, then every PE synchronises once. */
static unsigned poke_atomic(const struct altcall_patch *p, unsigned n,
			    const struct altcall_platform *plat)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (!site_intact(&p[i]) ||
		    !plat->poke(p[i].addr, p[i].bytes, p[i].len))
			break;
	if (i)
		plat->sync_cores();
	return i;
}

/* x86-64: the int3 protocol above. */
static unsigned poke_int3(const struct altcall_patch *p, unsigned n,
			  const struct altcall_platform *plat)
{
	const u8 trap = (u8)altcall_arch_live_trap;
	u8 old[ALTCALL_POKE_BATCH];
	unsigned i, trapped, tails;

	publish(p, n);
	/* 1: int3 over byte 0 of every site (a prefix, if a poke fails). */
	for (trapped = 0; trapped < n; trapped++) {
		const struct altcall_patch *s = &p[trapped];

		if (!site_intact(s))
			break;
		old[trapped] = *(const volatile u8 *)s->addr;
		if (!plat->poke(s->addr, &trap, 1))
			break;
	}
	if (!trapped) {
		withdraw();
		return 0;
	}
	plat->sync_cores();
	/* 2: the tails, behind the int3s. */
	for (tails = 0; tails < trapped; tails++)
		if (!plat->poke((u8 *)p[tails].addr + 1, p[tails].bytes + 1,
				p[tails].len - 1u))
			break;
	plat->sync_cores();
	/* 3: byte 0, new where the tail is new, else the old one back. */
	for (i = 0; i < trapped; i++)
		if (!plat->poke(p[i].addr, i < tails ? p[i].bytes : &old[i], 1)) {
			/* An int3 stays: keep the batch published for the
			 * handler (it emulates the site) and stop here. */
			live.stuck = true;
			plat->sync_cores();
			return i < tails ? i : tails;
		}
	plat->sync_cores();
	withdraw();
	return tails;
}

/* An earlier batch could not put a first byte back (live.stuck): an int3
 * is still in the text, and no further live write may start. */
ALTCALL_INDIRECT unsigned altcall_write_live(const struct altcall_patch *p, unsigned n,
			    const struct altcall_platform *plat)
{
	if (!n || n > ALTCALL_POKE_BATCH || live.stuck || !batch_sane(p, n))
		return 0;
	if (altcall_arch_live_trap < 0)
		return poke_atomic(p, n, plat);
	return poke_int3(p, n, plat);
}
