/* SPDX-License-Identifier: GPL-2.0 */
/*
 * altcall in the kernel: a boot-time choice that costs one direct call.
 *
 *	ALTERNATIVE_IF(X86_FEATURE_AVX2)
 *		r = sum_avx2(p, n);
 *	ALTERNATIVE_ELSE
 *		r = sum_generic(p, n);
 *	ALTERNATIVE_END
 *
 *	altcall_ptr_vcall(smp_ops.smp_send_reschedule, cpu);
 *
 * A feature is the kernel's own constant (X86_FEATURE_*, X86_BUG_*, arm64
 * ARM64_* cpucaps), answered by boot_cpu_has() or cpus_have_cap(), or a
 * boot option: ALTCALL_BOOT_FEATURE(n), set by altcall_feature=n.  See
 * kernel/altcall/altcall.c for when sites are applied and the rules.
 */
#ifndef _LINUX_ALTCALL_H
#define _LINUX_ALTCALL_H

#if defined(CONFIG_X86)
#include <asm/cpufeatures.h>
#define ALTCALL_KERNEL_NCAPS	((NCAPINTS + NBUGINTS) * 32)
#elif defined(CONFIG_ARM64)
#include <asm/cpucaps.h>
#define ALTCALL_KERNEL_NCAPS	ARM64_NCAPS
#endif

/* x86 has its own alternative_call(): use altcall_ptr_call(). */
#define ALTCALL_NO_XEN_NAMES
/* CPU features are the kernel's capability numbers, not cpuid bits. */
#define ALTCALL_OWN_CPU_FEATURES

/*
 * arm64 KVM's nVHE hyp code runs at EL2 and links no runtime.  Built with
 * the plugin its sites are applied once, at the boot apply (see
 * kernel/altcall/altcall.c).  Built without it, a site tests its cpucaps
 * at EL2 with cpus_have_final_cap(), and takes its default with
 * altcall=off, as a plugin-built site does.  A boot feature cannot be
 * tested at EL2: there it is a compile error.
 */
#if defined(__KVM_NVHE_HYPERVISOR__) && defined(CONFIG_ARM64)
#include <linux/compiler_types.h>
#include <asm/cpufeature.h>
/* Set by the boot apply, in hyp data: false with altcall=off. */
extern bool altcall_hyp_enabled;
#define ALTCALL_FEATURE_TEST(f)						\
	({								\
		compiletime_assert(!((f) & ALTCALL_BOOT_FEATURE_FLAG),	\
			"altcall: a boot feature (ALTCALL_BOOT_FEATURE) cannot choose an nVHE hyp site without the plugin (CONFIG_ALTCALL=n): EL2 tests cpucaps only"); \
		READ_ONCE(altcall_hyp_enabled) &&			\
		cpus_have_final_cap((f) & ALTCALL_BOOT_FEATURE_FLAG ? 0 : (f)); \
	})
/* Code that links no kernel runtime: the vDSO, the decompressor, setup. */
#elif defined(BUILD_VDSO) || defined(__DISABLE_EXPORTS) || defined(_SETUP)
#define ALTCALL_DEFAULT_ONLY
#endif

#define ALTCALL_BOOT_FEATURE_FLAG	0x10000u
/* Software feature n (0 to 63), set with the boot option altcall_feature=n. */
#define ALTCALL_BOOT_FEATURE(n)	(ALTCALL_BOOT_FEATURE_FLAG | ALTCALL_SW_FEATURE(n))

/*
 * A capability number becomes a CPU-class feature word; a boot feature its
 * software word.  Anything else is a compile-time error.
 */
#define ALTCALL_FEATURE_WORD(f)						\
	(0u * sizeof(char[(unsigned int)(f) < ALTCALL_KERNEL_NCAPS ||	\
			  ((f) & ALTCALL_BOOT_FEATURE_FLAG) ? 1 : -1]) +	\
	 (((f) & ALTCALL_BOOT_FEATURE_FLAG) ?				\
	  (unsigned int)(f) & ALTCALL_FEATURE_MAX :			\
	  ALTCALL_FEATURE_CPU | (unsigned int)(f)))

#include <altcall.h>

#ifdef __KVM_NVHE_HYPERVISOR__
/*
 * A pointer site in nVHE hyp code: its pointer holds a hyp VA once
 * kvm_apply_hyp_relocations() ran, which the boot apply cannot turn back
 * into the hyp function to call.  Call the function, or choose it with an
 * ALTERNATIVE_IF() site.  An error where a call is emitted, so that an
 * unused inline function of a shared header does not break the build.
 */
extern void __altcall_ptr_call_in_nvhe_hyp_code(void)
	__compiletime_error("altcall_ptr_call() cannot be used in nVHE hyp code: its pointer holds a hyp address after kvm_apply_hyp_relocations(), which the boot apply cannot map back to hyp text; call the function directly or choose it with ALTERNATIVE_IF()");
#undef altcall_ptr_call
#define altcall_ptr_call(...)						\
	(__altcall_ptr_call_in_nvhe_hyp_code(),				\
	 __ALTCALL_PICK(__ALTCALL_ARITY(__VA_ARGS__))(__VA_ARGS__))
#endif

#ifndef __ASSEMBLY__
#include <linux/types.h>

struct altcall_patch;
struct altcall_site;
struct module;

/* The records of vmlinux, bracketed by the linker script. */
extern const struct altcall_site __start_altcall_sites[];
extern const struct altcall_site __stop_altcall_sites[];

#ifdef CONFIG_ALTCALL_RUNTIME
void altcall_apply_vmlinux(void);
void altcall_apply_module(struct module *mod);
/*
 * Re-apply vmlinux and every module now, for the current features, while
 * other CPUs run their sites; returns the number of sites rewritten, or a
 * negative errno (-EINVAL, -ERANGE, -EFAULT, -EIO, -ENOENT, -ENOMEM,
 * -EPERM) if a site was refused.  A module loaded later is applied for
 * the state of the last (re-)apply, not for changes made since.
 */
int altcall_reapply(void);
/* False with the boot option altcall=off: no apply ever runs. */
bool altcall_enabled(void);
/*
 * For selftests (check.c, built with CONFIG_ALTCALL_SELFTEST or
 * CONFIG_ALTCALL_SELFTEST_MODULE): how many sites of [start, stop) do not
 * call their choice.
 */
int altcall_check_sites(const struct altcall_site *start,
			const struct altcall_site *stop);
/*
 * Where a pointer site goes whose pointer, in init memory, was still NULL
 * at its last apply before that memory was freed: it reports and BUG()s.
 */
void __noreturn altcall_null_init_pointer(void);
#else
static inline void altcall_apply_vmlinux(void) { }
static inline void altcall_apply_module(struct module *mod) { }
#endif

/* What an architecture provides (arch/.../kernel/altcall.c). */
bool arch_altcall_cpu_has(unsigned int cap);
/*
 * Write patches while nothing can run them: boot with one CPU, or a module
 * that is not live yet.
 */
unsigned int arch_altcall_write_early(const struct altcall_patch *p,
				      unsigned int n);
/* Write patches that other CPUs may be running. */
unsigned int arch_altcall_write_live(const struct altcall_patch *p,
				     unsigned int n);
/*
 * Images only the boot apply reads and writes, after vmlinux's, for the
 * state it published (arm64: KVM's nVHE hyp code, which is EL2's once KVM
 * is up): their records, their text, the data their arm tables are in,
 * and their own "no call" target.  enabled is false with altcall=off.
 */
struct altcall_boot_image {
	const char *name;
	const struct altcall_site *start, *stop;
	const void *nop;
	const void *text, *text_end;
	const void *tables, *tables_end;
};
#ifdef CONFIG_ARM64
const struct altcall_boot_image *arch_altcall_boot_image(bool enabled);
#else
static inline const struct altcall_boot_image *
arch_altcall_boot_image(bool enabled)
{
	return NULL;
}
#endif
#if defined(CONFIG_ARM64) && defined(CONFIG_KVM) && defined(CONFIG_ALTCALL_SELFTEST)
/* A VM is gone: print and check what its hyp sites ran at EL2. */
void altcall_kvm_selftest_report(void);
#else
static inline void altcall_kvm_selftest_report(void)
{
}
#endif
#ifdef CONFIG_CALL_THUNKS
/*
 * x86 call depth tracking: the function a call to target enters (target,
 * or the function whose accounting thunk it is), and where a call at site
 * to target must go (its thunk, where the kernel's own calls from there go).
 */
const void *arch_altcall_canonical_target(const void *site, const void *target);
const void *arch_altcall_call_dest(const void *site, const void *target);
#else
#define arch_altcall_canonical_target	NULL
#define arch_altcall_call_dest		NULL
#endif
#endif /* __ASSEMBLY__ */

#endif /* _LINUX_ALTCALL_H */
