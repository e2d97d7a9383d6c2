/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * altcall's platform for Xen: applies the records the altcall GCC plugin
 * made of alternative_call() and alternative_vcall().
 *
 * Xen's contract for such calls, kept here: the pointer is final by the
 * last apply (after the presmp initcalls); each site becomes a direct call
 * to the pointer's value, past its endbr64 under CET-IBT; a pointer still
 * NULL then makes the site a trap; any other failure stops the boot.  The
 * last apply therefore leaves no site on its trampoline, so ops objects
 * may live in init memory (vpmu_ops, xsm_ops with LIVEPATCH=n).
 *
 * Both applies run from nmi_apply_alternatives(): one CPU, in NMI context,
 * .text mapped writable, no allocator (static scratch).
 */
#include <xen/init.h>
#include <xen/kernel.h>
#include <xen/lib.h>
#include <xen/time.h>
#include <xen/altcall.h>
#include <asm/endbr.h>

#include <altcall.h>
#include <altcall/runtime.h>

extern const struct altcall_site __start_altcall_sites[];
extern const struct altcall_site __stop_altcall_sites[];

/* This apply is the last: a NULL pointer seals its site. */
static bool __initdata final_apply;
static unsigned int __initdata refusals, deferred;

static bool is_xen_text(const void *addr, unsigned int len)
{
    const char *p = addr;

    return len &&
           ((is_kernel_text(p) && is_kernel_text(p + len - 1)) ||
            (is_kernel_inittext(p) && is_kernel_inittext(p + len - 1)));
}

static bool __init cf_check xen_is_text(const void *addr, unsigned int len)
{
    return is_xen_text(addr, len);
}

static bool __init cf_check xen_is_readable(const void *addr, unsigned int len)
{
    const char *p = addr;

    return len && is_kernel(p) && is_kernel(p + len - 1);
}

/* .text is writable for the duration of nmi_apply_alternatives(); the
 * return from the NMI serialises this CPU, the only one running. */
static unsigned int __init cf_check xen_write_text(
    const struct altcall_patch *patches, unsigned int n)
{
    unsigned int i;

    for ( i = 0; i < n; i++ )
        memcpy(patches[i].addr, patches[i].bytes, patches[i].len);

    return n;
}

static void __init cf_check xen_refused(const void *site, int err)
{
    /* A pointer an initcall has yet to set: the last apply decides. */
    if ( err == ALTCALL_ENULLPTR && !final_apply )
    {
        deferred++;
        return;
    }

    printk(XENLOG_ERR "altcall: site %ps refused: %s\n",
           site, altcall_strerror(err));
    refusals++;
}

/*
 * 16 bytes a record, only asked for when the records are not in ascending
 * site order (a plain link puts them in order).  Init data: freed with it.
 */
#define SCRATCH_RECORDS 2048
static unsigned long __initdata scratch[SCRATCH_RECORDS * 2];

static void *__init cf_check xen_scratch(unsigned long bytes)
{
    return bytes <= sizeof(scratch) ? scratch : NULL;
}

/*
 * Where a still-NULL pointer's site goes at the last apply: a call that
 * stops Xen naming the site (the return address is just past it), as
 * Xen's own UD2 would, instead of a trampoline that would read the pointer,
 * possibly in freed init memory.  Reached by direct calls only, but its
 * address is taken: cf_check keeps every such function IBT-clean, as the
 * test checks (a call to it is then written past its endbr64).
 */
void noreturn cf_check altcall_null_pointer_call(void)
{
    panic("altcall: call through a NULL alternative_call() pointer at %ps\n",
          __builtin_return_address(0));
}

/*
 * The records' "no call" target, resident: the core, in init memory
 * (runtime.init.o), is built without its own (ALTCALL_PLATFORM_NOP).  A
 * site whose chosen target is "no call" may call or jump here after boot.
 * Its address is taken (the core's image): cf_check.
 */
void noinline cf_check __altcall_nop(void)
{
    asm volatile ( "" );
}

static const void *__init cf_check xen_null_pointer_target(const void *slot)
{
    return final_apply ? altcall_null_pointer_call : NULL;
}

/*
 * Under CET-IBT a direct call goes past the target's endbr64, as Xen's own
 * alternative_call() does (less decode, and the endbr64 may then be
 * clobbered for cf_clobber targets); a call to T + 4 behind an endbr64 is
 * a call to T.  Kept after the apply (the core's altcall_site_target()).
 */
static const void *cf_check xen_canonical_target(const void *site,
                                                 const void *target)
{
    const uint8_t *t = target;

    if ( IS_ENABLED(CONFIG_XEN_IBT) &&
         is_xen_text(t - ENDBR64_LEN, ENDBR64_LEN) &&
         is_endbr64(t - ENDBR64_LEN) )
        return t - ENDBR64_LEN;

    return target;
}

static const void *__init cf_check xen_call_dest(const void *site,
                                                 const void *target)
{
    const uint8_t *t = target;

    if ( IS_ENABLED(CONFIG_XEN_IBT) && is_xen_text(t, ENDBR64_LEN) &&
         is_endbr64(t) )
        return t + ENDBR64_LEN;

    return target;
}

static const struct altcall_platform __initconst platform = {
    .is_text = xen_is_text,
    .write_text = xen_write_text,
    .is_readable = xen_is_readable,
    .refused = xen_refused,
    .scratch = xen_scratch,
    .null_pointer_target = xen_null_pointer_target,
    .canonical_target = xen_canonical_target,
    .call_dest = xen_call_dest,
};

/*
 * Read every pointer site back as the core decodes it: it must call its
 * pointer's value, or, pointer NULL, its trampoline before the last apply
 * and the NULL trap after it.  A wrong site stops the boot.
 */
static void __init check_sites(void)
{
    const struct altcall_site *rec;
    unsigned int direct = 0, sealed = 0, trampoline = 0, wrong = 0;
    unsigned int no_endbr = 0, other = 0;

    for ( rec = __start_altcall_sites; rec < __stop_altcall_sites; rec++ )
    {
        struct altcall_site_resolved r;
        const void *site, *now, *fn, *want;

        altcall_record_resolve((const unsigned char *)rec,
                               (altcall_addr)(unsigned long)rec, &r);
        if ( r.feature != ALTCALL_FEATURE_POINTER )
        {
            other++;
            continue;
        }
        fn = *(const void *const *)(unsigned long)r.alt;
        if ( fn )
            want = fn;
        else if ( final_apply )
            want = altcall_null_pointer_call;
        else
            want = (const void *)(unsigned long)r.dflt;

        if ( !altcall_site_target(rec, &site, &now) || now != want )
        {
            printk(XENLOG_ERR "altcall: site %ps calls %p, not %ps\n",
                   site, now, want);
            wrong++;
        }
        else if ( fn )
            direct++;
        else if ( final_apply )
            sealed++;
        else
            trampoline++;

        if ( fn && IS_ENABLED(CONFIG_XEN_IBT) && !is_endbr64(fn) )
        {
            printk(XENLOG_WARNING "altcall: site %ps dest %ps has no endbr64\n",
                   site, fn);
            no_endbr++;
        }
    }

    printk("altcall: read back: %u direct, %u sealed NULL, %u on trampoline, "
           "%u other, %u wrong, %u without endbr64\n",
           direct, sealed, trampoline, other, wrong, no_endbr);
    if ( wrong )
        panic("altcall: %u sites do not call their target\n", wrong);
}

void __init altcall_xen_apply(bool final)
{
    struct altcall_report rep;
    s_time_t start = NOW();

    final_apply = final;
    refusals = deferred = 0;
    altcall_apply_sites(__start_altcall_sites, __stop_altcall_sites,
                        &platform);
    altcall_get_report(&rep);
    printk("altcall: %s apply: %u sites, %u patched, %u refused, "
           "%u NULL pointers deferred (%"PRI_stime" ns)\n",
           final ? "last" : "boot", rep.sites, rep.patched, refusals,
           deferred, NOW() - start);
    if ( refusals )
        panic("altcall: %u sites refused\n", refusals);
    check_sites();
}
