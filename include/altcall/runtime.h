/* SPDX-License-Identifier: MIT */
/*
 * altcall runtime core interface, for environments that bring their own
 * platform (a kernel, a hypervisor, firmware).  User space just calls
 * altcall_apply() from <altcall.h>, which uses the user-space platform.
 *
 * The core is freestanding C11: no libc, no allocation, no locks (one
 * spin flag serialises applies).  It runs at boot, single-threaded, with
 * write_text; or at any time while other CPUs run the sites, with a
 * platform that supplies the live hooks (poke, sync_cores) or whose
 * write_text is itself safe against concurrent execution (a kernel's
 * text_poke_bp): see docs/runtime.md, "Patching live code".
 */
#ifndef ALTCALL_RUNTIME_H
#define ALTCALL_RUNTIME_H

#include <altcall/abi.h>

#define ALTCALL_PATCH_MAX 8	/* bytes one site rewrite may change */

struct altcall_patch {
	void *addr;				/* first byte of the site */
	unsigned char len;			/* bytes to write */
	unsigned char bytes[ALTCALL_PATCH_MAX];	/* new bytes */
};

struct altcall_platform {
	/* Is [addr, addr+len) executable text of this image?  Asked before a
	 * site's bytes are read; a site outside text is refused unread. */
	_Bool (*is_text)(const void *addr, unsigned len);
	/* Write patches[0..n) in order and make them visible to instruction
	 * fetch.  Returns how many were written (a prefix); each patch is
	 * written whole or not at all.  The text must be as protected as it
	 * was once finish returns (or write_text, without finish). */
	unsigned (*write_text)(const struct altcall_patch *patches, unsigned n);
	/* Optional: the platform's own CPU feature source (e.g. a kernel's
	 * boot_cpu_has); NULL uses the architecture's detection. */
	_Bool (*cpu_has)(unsigned feature);
	/* Optional: may [addr, addr+len) be read?  Asked before the pointer of
	 * an alternative_call record is read, and before each piece of a
	 * site's arm table (ALTCALL_FEATURE_ARMS records; at most 21 bytes at
	 * a time, 337 in all); a table that may not be read is refused
	 * (ALTCALL_ERECORD).  NULL trusts the records. */
	_Bool (*is_readable)(const void *addr, unsigned len);
	/* Optional: called once at the end of every apply, so that a platform
	 * may keep text writable across write_text calls and restore it here.
	 * Returns false if the text could not be protected again (reported as
	 * ALTCALL_ETEXTWRITE). */
	_Bool (*finish)(void);
	/* Optional: told of every refusal as it happens (the report keeps
	 * only the first), e.g. to log each refused site; site is NULL for
	 * a failure of finish. */
	void (*refused)(const void *site, int err);
	/* Optional: memory for the duration of one apply (16 bytes a record),
	 * and its release.  With it the core checks the records of every
	 * site against each other (linker code folding can give one call
	 * two records that disagree: all are refused, ALTCALL_ECONFLICT);
	 * without it, only records planned in the same batch of 32 are
	 * compared.  NULL from scratch refuses every site (ALTCALL_ENOMEM). */
	void *(*scratch)(unsigned long bytes);
	void (*scratch_free)(void *p, unsigned long bytes);
	/*
	 * Optional, live patching (runtime/poke.c, docs/runtime.md): with
	 * both, and write_live below, the core writes through the
	 * cross-modification protocol instead of write_text, so that other
	 * CPUs may run the sites meanwhile.  poke writes len bytes at addr with plain stores (arm64:
	 * the one aligned 32-bit store of an instruction, then the cache
	 * maintenance to the point of unification) or nothing, returning
	 * false; it must not fail at an address it wrote earlier in the same
	 * apply.  sync_cores returns once every CPU that may run the text has
	 * serialised its instruction stream (x86 a serialising instruction,
	 * arm64 an ISB) after everything poked so far; it cannot fail.  On
	 * x86 the platform's trap handler must send a thread that hits an
	 * int3 on to altcall_live_trap()'s answer.
	 */
	_Bool (*poke)(void *addr, const unsigned char *bytes, unsigned len);
	void (*sync_cores)(void);
	/* Optional: asked once per apply, before its first write: 0 to go
	 * on, or the ALTCALL_E* every site that would be written is refused
	 * with, nothing written (the user platform: ALTCALL_ELIVE when other
	 * threads run and it cannot make their CPUs serialise). */
	int (*can_write)(void);
	/* Optional: the pointer of a pointer site is NULL at this apply.
	 * Return a target for the site to call instead (it is patched to it,
	 * for good), or NULL to keep it on its trampoline (ALTCALL_ENULLPTR).
	 * A kernel answers for a pointer in init memory at the last apply
	 * before that memory is freed: a trampoline left there would read
	 * freed memory on its next call. */
	const void *(*null_pointer_target)(const void *slot);
	/*
	 * Optional, a kernel's call thunks (x86 call depth tracking): a call
	 * at a site may enter its target T through a stub the kernel made for
	 * T, which is "a call to T".  canonical_target maps the target of a
	 * call decoded at site to T (a stub of T to T, anything else to
	 * itself); call_dest maps T to where a call written at site must go
	 * (T's stub, or T).  Jumps are never mapped.  The core plans,
	 * compares and reports T: the planner accepts a call to T's stub
	 * where it accepts a call to T, a site that already calls where
	 * call_dest says is left alone, and altcall_site_target() answers T.
	 * Both may be NULL (user space, and the altcall-sites inspector,
	 * which decodes with no hook at all).
	 */
	const void *(*canonical_target)(const void *site, const void *target);
	const void *(*call_dest)(const void *site, const void *target);
	/*
	 * Optional, with poke and sync_cores: altcall_write_live, the core's
	 * live protocol (runtime/poke.c).  Named by the platform so that a
	 * platform that never runs it (a kernel, whose live write_text is
	 * its own protocol) does not link it.  poke or sync_cores without it,
	 * or it without both, is refused (ALTCALL_ELIVE): nothing is written
	 * without the protocol the platform asked for.
	 */
	unsigned (*write_live)(const struct altcall_patch *patches, unsigned n,
			       const struct altcall_platform *platform);
	/* Optional: the pointer at slot of a pointer site is NULL at this
	 * apply and null_pointer_target gave no target.  True: "not set
	 * yet", no refusal; the site keeps its trampoline and is counted in
	 * the report's unset, for a later apply (user space: always).  False,
	 * or no hook: refused, ALTCALL_ENULLPTR (the Linux kit counts those
	 * as "not set yet" itself, through refused, at the applies before
	 * its image's last one). */
	_Bool (*pointer_unset)(const void *slot);
};

/*
 * The live protocol (runtime/poke.c), for write_live: write patches[0..n)
 * (at most 32, sorted by address, disjoint) through the platform's poke and
 * sync_cores while other CPUs may execute them; every CPU has serialised
 * after the writes when it returns.  Returns how many were written, a
 * prefix.  Hidden: each image that links a core links its own.
 */
unsigned altcall_write_live(const struct altcall_patch *patches, unsigned n,
			    const struct altcall_platform *platform)
	__attribute__((visibility("hidden")));

/*
 * x86-64, live patching: a thread executed the int3 at pc - 1 (pc is the
 * address after it).  If a live apply put it there, returns true with
 * where the thread must go instead of re-executing the site: *resume the
 * new pc and, for a call, *push the return address to push first (0 for
 * a jump or a NOP).  If the int3 was a live apply's and is gone already,
 * returns true with *resume = pc - 1 (execute the site as it is now).
 * False: not one of the runtime's, the program's own int3 (the trap
 * handler passes it on).  Async-signal-safe and lock-free; callable from
 * any trap context.  Other architectures: always false.
 */
_Bool altcall_live_trap(unsigned long pc, unsigned long *resume,
			unsigned long *push);


/*
 * Lifetime: the platform and its hooks are used only while
 * altcall_apply_sites() runs (a kernel may put them in init memory),
 * except cpu_has and canonical_target, which the core keeps:
 * altcall_feature_enabled() and sites compiled without the plugin ask
 * cpu_has, and altcall_site_target() canonical_target, at any time after
 * the apply.
 */

/* Patch the records in [start, stop) for the current feature state.
 * Returns as altcall_apply() in <altcall.h>.  The records' "no call" target
 * is the runtime's own __altcall_nop: one image that links the runtime. */
int altcall_apply_sites(const struct altcall_site *start,
			const struct altcall_site *stop,
			const struct altcall_platform *platform);

/* An image's records and its "no call" target (each image that a shared
 * runtime serves has its own __altcall_nop, emitted by the plugin). */
struct altcall_image {
	const struct altcall_site *start, *stop;
	const void *nop;
	/* Optional: this image's part of each apply that covers it (its
	 * sites, patched, refused, unset, first refusal; the apply's number
	 * and kind) is written here.  NULL: none kept. */
	struct altcall_report *report;
};

/* One apply over several images: one feature state, one report. */
int altcall_apply_images(const struct altcall_image *images, unsigned n,
			 const struct altcall_platform *platform);

/* An apply that cannot run at all: report all sites refused with err and
 * return -err (nothing is written). */
int altcall_refuse_all(unsigned sites, int err);

/* An image loaded after an apply: patch it for the features of that apply
 * (not for changes made since), adding to its report; nothing before the
 * first apply. */
int altcall_apply_late_image(const struct altcall_image *image,
			     const struct altcall_platform *platform);

/* An image says its pointers are final: plan and write its pointer sites
 * only (a site still on its trampoline becomes a direct call to its
 * pointer's value, sealed or not), nothing published; the process's
 * report is kept, the image's own (image->report) written.  Returns as
 * altcall_apply(). */
int altcall_apply_image_pointers(const struct altcall_image *image,
				 const struct altcall_platform *platform);

/* Where the instruction at rec's site goes now: *site is the site, *target
 * the call or jump target, NULL for a NOP (a call site that makes no call);
 * a call's target as the last apply's platform's canonical_target maps it
 * (T, not T's call thunk).  False if the site holds no instruction altcall
 * writes.  The site must be readable text (the platform's is_text). */
_Bool altcall_site_target(const struct altcall_site *rec, const void **site,
			  const void **target);

/* arm64: the platform provides the Linux auxv words AT_HWCAP and AT_HWCAP2
 * (user space: getauxval, in the user-space platform; a kernel: elf_hwcap). */
void altcall_aarch64_hwcaps(unsigned long long hwcaps[2]);

/* User space: altcall_apply() on the records in [start, stop), for records
 * that are not in this image's altcall_sites section (e.g. a loaded module). */
int altcall_apply_user(const struct altcall_site *start,
		       const struct altcall_site *stop);

/* User space, tests only: 0 normal; 1 behave as if membarrier(2) had no
 * SYNC_CORE command; 2 and 3 the controls of test/runtime/live-control.test:
 * every apply takes the boot-time path (plain stores, no int3, no
 * serialisation) even while other threads run; 3 also pauses after each
 * byte it stores, as a writer interrupted between two stores would. */
void __altcall_test_live_mode(int mode);

/* The "no call" target: returns at once.  A call site chosen to make no
 * call becomes a NOP; a jmp site jumps here.  Hidden: every image (an
 * executable, each shared object) links its own runtime and its own. */
void __altcall_nop(void) __attribute__((visibility("hidden")));

#endif /* ALTCALL_RUNTIME_H */
