/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * altcall boot selftest: alternative_call() forms Xen's asm macro cannot
 * compile (more than six arguments, a struct by value, a tail call),
 * through an ops object in init memory (like vpmu_ops) that a presmp
 * initcall fills, so the last apply makes them direct calls.  The callees
 * check their arguments and record that they ran; the platform's read-back
 * checks every site's bytes, this one what the calls did.
 */
#include <xen/errno.h>
#include <xen/init.h>
#include <xen/lib.h>

#include <altcall.h>
#include <altcall/runtime.h>

extern const struct altcall_site __start_altcall_sites[];
extern const struct altcall_site __stop_altcall_sites[];

struct st_pair {
    long a, b;
};

struct st_ops {
    long (*seven)(long a, long b, long c, long d, long e, long f, long g);
    struct st_pair (*swap)(struct st_pair p);
    long (*tail)(long x);
    void (*unset)(void);
};

static struct st_ops __initdata st_ops;
static unsigned int __initdata st_ran;

static long __init cf_check st_seven(long a, long b, long c, long d, long e,
                                     long f, long g)
{
    st_ran |= 1;
    return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g;
}

static struct st_pair __init cf_check st_swap(struct st_pair p)
{
    struct st_pair r = { p.b, p.a };

    st_ran |= 2;
    return r;
}

static long __init cf_check st_tail(long x)
{
    st_ran |= 4;
    return x * 3;
}

/*
 * A sibling call at every -O (a debug build is -O1): the site is a jmp.
 * Not __init: a site in init text calls a trampoline in init text, its own
 * section, and the plugin keeps such a tail site a call (the assembler
 * would shorten a jmp to a label of its own section); this one's
 * trampoline is in .text, like every site's outside init text.
 */
static long noinline
__attribute__((__optimize__("optimize-sibling-calls")))
st_tail_site(long x)
{
    return alternative_call(st_ops.tail, x + 1);
}

static int __init cf_check st_set(void)
{
    st_ops.seven = st_seven;
    st_ops.swap = st_swap;
    st_ops.tail = st_tail;
    /* st_ops.unset stays NULL: the last apply seals its site. */
    return 0;
}
presmp_initcall(st_set);

/* Never called: its site must be sealed (the platform's read-back). */
void __init altcall_selftest_unset(void)
{
    alternative_vcall(st_ops.unset);
}

/* Is st_tail_site's site a jmp to st_tail (read as the core reads it)? */
static bool __init st_tail_is_jmp(void)
{
    const struct altcall_site *rec;
    const char *fn = (const char *)st_tail_site;

    for ( rec = __start_altcall_sites; rec < __stop_altcall_sites; rec++ )
    {
        const void *site, *target;

        if ( altcall_site_target(rec, &site, &target) &&
             (const char *)site >= fn && (const char *)site < fn + 64 )
            return *(const unsigned char *)site == 0xe9 && target == st_tail;
    }

    return false;
}

static int __init cf_check st_run(void)
{
    struct st_pair p = { 11, 22 }, q;
    long seven, tail;
    bool jmp = st_tail_is_jmp();

    seven = alternative_call(st_ops.seven, 1, 2, 3, 4, 5, 6, 7);
    q = alternative_call(st_ops.swap, p);
    tail = st_tail_site(4);

    if ( seven != 140 || q.a != 22 || q.b != 11 || tail != 15 ||
         st_ran != 7 || !jmp )
    {
        printk(XENLOG_ERR "altcall selftest: FAILED: seven %ld swap %ld,%ld "
               "tail %ld ran %#x jmp %d\n", seven, q.a, q.b, tail, st_ran, jmp);
        return -EINVAL;
    }
    printk("altcall selftest: passed: 7 arguments, a 16-byte struct by value, "
           "a tail call (jmp), through an ops object in init memory\n");
    return 0;
}
__initcall(st_run);
