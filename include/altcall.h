/* SPDX-License-Identifier: MIT */
/*
 * altcall: pick one implementation at boot, pay one direct call.
 *
 *	ALTERNATIVE_IF(ALTCALL_CPU_AVX2)
 *		foo_avx2(a, b);
 *	ALTERNATIVE_ELSE
 *		foo_generic(a, b);
 *	ALTERNATIVE_END
 *
 * With the altcall GCC plugin loaded (-fplugin=altcall.so) each site compiles
 * to ONE direct call to its default target (the arm taken when the feature
 * is absent) plus a record; altcall_apply() retargets the call at boot.
 * Without the plugin the same source compiles everywhere to a plain branch
 * on the feature state the last altcall_apply() published, so both builds
 * mean exactly the same: the default runs until altcall_apply(), then the
 * arm chosen by the features as they were at that call; an apply held back
 * as a whole (sealed, not writable live, two runtimes) changes neither.
 *
 * Define ALTCALL_REQUIRE_PLUGIN to make a build without the plugin an error.
 */
#ifndef ALTCALL_H
#define ALTCALL_H

#include <altcall/abi.h>

#ifdef __cplusplus
extern "C" {
#endif

/* _Bool and a trailing enumerator comma are extensions in C89: keep
 * -std=c89 -pedantic quiet about the header's own declarations. */
#ifdef __GNUC__
#define __ALTCALL_EXT __extension__
#else
#define __ALTCALL_EXT
#endif

/* ---- features ---------------------------------------------------------- */

/* Software feature n, 0 <= n < ALTCALL_SW_FEATURES, set by the program. */
#define ALTCALL_SW_FEATURE(n)	(0u * sizeof(char[(n) >= 0 && (n) < ALTCALL_SW_FEATURES ? 1 : -1]) + (unsigned)(n))

/* An environment whose platform answers CPU features in its own numbering
 * (the Linux kit) defines ALTCALL_OWN_CPU_FEATURES: these names, which
 * mean cpuid and auxv bits, then do not exist there. */
#if defined(ALTCALL_OWN_CPU_FEATURES)
#elif defined(__x86_64__)
/* Any cpuid bit: leaf 0..31 or 0x80000000..0x8000001f, subleaf 0..3,
 * reg ALTCALL_X86_EAX..EDX, bit 0..31. */
#define ALTCALL_CPU_X86(leaf, subleaf, reg, bit)					\
	(0u * sizeof(char[((leaf) & 0x7fffffe0u) == 0 && (unsigned)(subleaf) < 4u &&	\
			  (unsigned)(reg) < 4u && (unsigned)(bit) < 32u ? 1 : -1]) +	\
	 ALTCALL_X86_FEATURE_WORD(leaf, subleaf, reg, bit))

/* ALTCALL_CPU_SSE2, ALTCALL_CPU_AVX2, ...: see altcall/features-x86_64.def. */
__ALTCALL_EXT enum {
#define ALTCALL_X86_FEATURE(name, leaf, subleaf, reg, bit) \
	ALTCALL_CPU_##name = ALTCALL_CPU_X86(leaf, subleaf, ALTCALL_X86_##reg, bit),
#include <altcall/features-x86_64.def>
#undef ALTCALL_X86_FEATURE
};
#elif defined(__aarch64__)
/* Any bit of the Linux auxv words AT_HWCAP and AT_HWCAP2, bit 0..63. */
#define ALTCALL_CPU_HWCAP(bit) \
	(0u * sizeof(char[(unsigned)(bit) < 64u ? 1 : -1]) + ALTCALL_A64_FEATURE_WORD(0, bit))
#define ALTCALL_CPU_HWCAP2(bit) \
	(0u * sizeof(char[(unsigned)(bit) < 64u ? 1 : -1]) + ALTCALL_A64_FEATURE_WORD(1, bit))

/* ALTCALL_CPU_ASIMD, ALTCALL_CPU_ATOMICS, ...: see altcall/features-aarch64.def. */
__ALTCALL_EXT enum {
#define ALTCALL_A64_FEATURE(name, word, bit) \
	ALTCALL_CPU_##name = ALTCALL_A64_FEATURE_WORD(word, bit),
#include <altcall/features-aarch64.def>
#undef ALTCALL_A64_FEATURE
};
#endif

/* ---- runtime ----------------------------------------------------------- */

/* Set or clear feature f for the next altcall_apply().  Software features can
 * be set either way; CPU features can only be masked off (like clearcpuid=)
 * or unmasked again.  Returns false for a feature that cannot take that state. */
__ALTCALL_EXT _Bool altcall_set_feature(unsigned f, _Bool on);
/* Current state of feature f (detected CPU state, masks, software settings). */
__ALTCALL_EXT _Bool altcall_feature_enabled(unsigned f);
/* Patch every site for the current feature state.  Returns the number of
 * sites rewritten (0 when every site already calls its chosen target), or a
 * negative ALTCALL_E* when any site was refused; refused sites keep running
 * the code they had and the rest are still patched.  Idempotent.  A
 * refusal of the apply itself (ALTCALL_ESEALED, ALTCALL_ELIVE,
 * ALTCALL_ERUNTIME, ALTCALL_ENOMEM, ALTCALL_ETEXTWRITE) holds it back as a
 * whole: the state sites without the plugin follow does not change either,
 * and a change of that state alone (no site to write) is refused the same
 * way, counted as one refusal whose site is NULL (docs/runtime.md). */
int altcall_apply(void);
/* Seal the sites (the idea of Linux's DEFINE_STATIC_CALL_RO): from now on
 * the feature state is final.  An apply refuses to change any site of an
 * image applied so far (ALTCALL_ESEALED, nothing written for it), and one
 * with other features is refused as a whole even if no site would change;
 * the same features still give 0.  An image loaded later is patched once,
 * at load, for exactly the sealed state.  There is no unseal. */
void altcall_seal(void);

enum {
	ALTCALL_EBADINSN = 1,	/* bytes at the site are not the expected call/jmp/nop */
	ALTCALL_ERANGE,		/* chosen target does not fit the instruction */
	ALTCALL_ENOTTEXT,	/* site is not in executable text */
	ALTCALL_EFEATURE,	/* malformed or unknown feature word */
	ALTCALL_ETEXTWRITE,	/* the text-write hook failed */
	ALTCALL_ERECORD,	/* malformed record (e.g. both targets "no call") */
	ALTCALL_ENULLPTR,	/* alternative_call pointer is NULL at apply */
	ALTCALL_ECONFLICT,	/* records of one site disagree (linker code folding) */
	ALTCALL_ENOMEM,		/* no scratch memory to check the records */
	ALTCALL_ERUNTIME,	/* two altcall runtimes in one process */
	ALTCALL_ELIVE,		/* other threads run and the site cannot be patched live */
	ALTCALL_ESEALED		/* the sites are sealed (altcall_seal()) */
};

/* What an apply was (struct altcall_report's kind). */
enum {
	ALTCALL_APPLY_ALL = 1,	/* altcall_apply(): every registered image */
	ALTCALL_APPLY_LOAD,	/* an image loaded after an apply, at its load */
	ALTCALL_APPLY_POINTERS	/* altcall_pointers_final(): one image's pointer sites */
};

struct altcall_report {
	unsigned sites;		/* records walked by the last altcall_apply() */
	unsigned patched;	/* sites whose bytes were rewritten */
	unsigned refused;	/* sites left untouched because a check failed */
	int first_error;	/* ALTCALL_E* of the first refusal, 0 if none */
	const void *first_refused_site;
	/* Pointer sites not final yet, left on their trampoline (which calls
	 * through the pointer) with no refusal: the pointer is NULL (not set
	 * yet), or, once sealed, set but its image has not said its pointers
	 * are final (altcall_pointers_final()).  Not counted in refused. */
	unsigned unset;
	unsigned long apply;	/* which apply: 1, 2, ... in the order they ran */
	int kind;		/* ALTCALL_APPLY_*; 0 before any apply */
};
/* The last altcall_apply() (with the images loaded since). */
void altcall_get_report(struct altcall_report *out);
/* The size is the caller's: a program built against an older, shorter
 * struct altcall_report gets only the fields it knows. */
void __altcall_get_report(struct altcall_report *out, unsigned long size);
#define altcall_get_report(out)	__altcall_get_report((out), sizeof(*(out)))
const char *altcall_strerror(int err);

/*
 * Pointer sites (alternative_call) of one image, whose pointers only the
 * image knows to be final: a library that fills its ops at init, lazily
 * or in a constructor calls altcall_pointers_final() once they are set.
 * It patches the calling image's pointer sites (those of the executable
 * or shared object whose code calls it), and nothing else: each site
 * still on its trampoline becomes a direct call to its pointer's value
 * now, also after altcall_seal(); a pointer still NULL stays "not set
 * yet" (report.unset), for a later call.  Any thread, any time (not from
 * a signal handler); idempotent, and cheap once every pointer site of the
 * image is patched.  Returns the number of sites patched, or a negative
 * ALTCALL_E* if one was refused (the image's report says which).  An image
 * built without the plugin has no records: 0.
 */
int __altcall_pointers_final(const void *in_image);
#ifdef __GNUC__
__attribute__((__unused__))
#endif
static __inline__ int altcall_pointers_final(void)
{
	/* Any address of the caller's image names it: this object is in
	 * the caller's unit, so in its image. */
	static const char __altcall_in_this_image = 0;

	return __altcall_pointers_final(&__altcall_in_this_image);
}

/* The last apply of one image (any kind: the report's kind and apply say
 * which), found by any address in it. */
struct altcall_image_report {
	const char *name;	/* the loader's name for it, "" for the program */
	const void *base;	/* its load address */
	struct altcall_report report;	/* its sites only; apply 0: none yet */
};
/* 0 with *out filled, or -1 if no registered image holds addr; size: as
 * for __altcall_get_report. */
int __altcall_get_image_report(const void *addr, struct altcall_image_report *out,
			       unsigned long size);
#define altcall_get_image_report(addr, out) \
	__altcall_get_image_report((addr), (out), sizeof(*(out)))
/* The same for the image that calls it. */
#ifdef __GNUC__
__attribute__((__unused__))
#endif
static __inline__ int altcall_get_own_report(struct altcall_image_report *out)
{
	static const char __altcall_in_this_image = 0;

	return __altcall_get_image_report(&__altcall_in_this_image, out, sizeof(*out));
}

/*
 * Internal: what a site built without the plugin branches on, the
 * published feature state: that of the last altcall_apply() not held back
 * as a whole (sealed, not writable live, two runtimes, ...; see
 * docs/runtime.md), frozen by altcall_seal(); every feature absent before
 * the first.  A site takes one copy per execution, so that all its
 * conditions read one state, and asks it with __altcall_state_has().
 */
struct __altcall_state {
	unsigned int __word[20];	/* opaque: the runtime's encoding */
};
struct __altcall_state __altcall_applied_state(void);
__ALTCALL_EXT _Bool __altcall_state_has(const struct __altcall_state *st, unsigned f);
/* The published state's sequence count, even (waits while an apply
 * writes it): a choice made between two equal counts read one state. */
unsigned int __altcall_state_seq(void);
/* st may be a null pointer: f in a copy of its own.  One feature of the
 * published state: */
__ALTCALL_EXT _Bool __altcall_applied_feature(unsigned f);

/* ---- sites ------------------------------------------------------------- */

/* ALTCALL_PLUGIN: 1 when the altcall GCC plugin compiles this file, else 0. */
#if defined(__has_attribute)
#if __has_attribute(altcall_marker)
#define ALTCALL_PLUGIN 1
#endif
#endif
#ifndef ALTCALL_PLUGIN
#define ALTCALL_PLUGIN 0
#endif

#if ALTCALL_PLUGIN
/* Never defined: the plugin replaces every use by one direct call.
 * __altcall_cond(kind, word...): a condition on 1 to ALTCALL_MAX_FEATURES
 * feature words, all of which must be present; kind (ALTCALL_COND_*) says
 * which macro wrote it. */
__ALTCALL_EXT extern _Bool __altcall_cond(int kind, ...)
	__attribute__((altcall_marker));
__ALTCALL_EXT extern void __altcall_ptr(int unused, ...)
	__attribute__((altcall_marker));
#elif defined(ALTCALL_REQUIRE_PLUGIN)
#error "altcall: ALTCALL_REQUIRE_PLUGIN is set but the altcall GCC plugin is not loaded (-fplugin=altcall)"
#endif

/* How a site's condition becomes its 16-bit feature words.  An environment
 * may name features its own way (the Linux kit: X86_FEATURE_*, ARM64_*),
 * by defining this before including altcall.h. */
#ifndef ALTCALL_FEATURE_WORD
#define ALTCALL_FEATURE_WORD(f)	(f)
#endif

/* Variadic macros are C99: C89 code may still include this header. */
#ifdef __GNUC__
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wvariadic-macros"
#endif

/*
 * A condition is one feature, or ALTCALL_ALL(f1, f2, ...): 2 to
 * ALTCALL_MAX_FEATURES features that must all be present.  ALTCALL_ALL is
 * only a site's condition; more features than ALTCALL_MAX_FEATURES is an
 * error naming the limit.  It expands to its list in parentheses, one
 * macro argument, so that it passes through the user's own macros
 * (#define MY_IF(c) ALTERNATIVE_IF(c)); each site macro turns its
 * condition into the list of features with __ALTCALL_LIST and counts that.
 */
#define ALTCALL_ALL(...)	(__VA_ARGS__)
#define __ALTCALL_17TH(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12,	\
		       _13, _14, _15, _16, _17, ...) _17
#define __ALTCALL_NFEAT(...)							\
	__ALTCALL_17TH(__VA_ARGS__, MANY, MANY, MANY, MANY, MANY, MANY, MANY,	\
		       MANY, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define __ALTCALL_CAT(a, b)	a##b
#define __ALTCALL_XCAT(a, b)	__ALTCALL_CAT(a, b)
/*
 * The features of condition c, as a list.  "__ALTCALL_ARGS_OF c" drops the
 * first parentheses of a c that starts with one: ALTCALL_ALL's (f1, f2, ...)
 * becomes a list of two or more; any feature stays one item (a name or a
 * number is left after the macro's name, (unsigned)3 becomes "unsigned 3",
 * (X) becomes X), since a feature is an expression with no comma outside
 * parentheses.  So a c that gives more than one item is an ALTCALL_ALL;
 * any other c is one feature, passed on as written.
 */
#define __ALTCALL_ARGS_OF(...)	__VA_ARGS__
#define __ALTCALL_LIST(c)							\
	__ALTCALL_XCAT(__ALTCALL_LIST_, __ALTCALL_NFEAT(__ALTCALL_ARGS_OF c))(c)
#define __ALTCALL_LIST_1(c)	c
#define __ALTCALL_LIST_2(c)	__ALTCALL_ARGS_OF c
#define __ALTCALL_LIST_3(c)	__ALTCALL_ARGS_OF c
#define __ALTCALL_LIST_4(c)	__ALTCALL_ARGS_OF c
#define __ALTCALL_LIST_5(c)	__ALTCALL_ARGS_OF c
#define __ALTCALL_LIST_6(c)	__ALTCALL_ARGS_OF c
#define __ALTCALL_LIST_7(c)	__ALTCALL_ARGS_OF c
#define __ALTCALL_LIST_8(c)	__ALTCALL_ARGS_OF c
#define __ALTCALL_LIST_MANY(c)	__ALTCALL_ARGS_OF c
#define __ALTCALL_W(f)	ALTCALL_FEATURE_WORD(f)

#if ALTCALL_PLUGIN
/* The words, each mapped, as the marker's arguments. */
#define __ALTCALL_WORDS_1(a)	__ALTCALL_W(a)
#define __ALTCALL_WORDS_2(a, ...)	__ALTCALL_W(a), __ALTCALL_WORDS_1(__VA_ARGS__)
#define __ALTCALL_WORDS_3(a, ...)	__ALTCALL_W(a), __ALTCALL_WORDS_2(__VA_ARGS__)
#define __ALTCALL_WORDS_4(a, ...)	__ALTCALL_W(a), __ALTCALL_WORDS_3(__VA_ARGS__)
#define __ALTCALL_WORDS_5(a, ...)	__ALTCALL_W(a), __ALTCALL_WORDS_4(__VA_ARGS__)
#define __ALTCALL_WORDS_6(a, ...)	__ALTCALL_W(a), __ALTCALL_WORDS_5(__VA_ARGS__)
#define __ALTCALL_WORDS_7(a, ...)	__ALTCALL_W(a), __ALTCALL_WORDS_6(__VA_ARGS__)
#define __ALTCALL_WORDS_8(a, ...)	__ALTCALL_W(a), __ALTCALL_WORDS_7(__VA_ARGS__)
#define __ALTCALL_WORDS_MANY(...)	ALTCALL_ALL_takes_at_most_8_features
#define __ALTCALL_COND(kind, ...)						\
	__altcall_cond(kind, __ALTCALL_XCAT(__ALTCALL_WORDS_,			\
					    __ALTCALL_NFEAT(__VA_ARGS__))(__VA_ARGS__))
#define __ALTCALL_SITE_STATE
#else
/*
 * Without the plugin: every feature present in the published state, of
 * which a site takes one copy when it starts (__ALTCALL_SITE_STATE, a
 * declaration), so that its conditions never mix two states while an
 * apply runs on another thread.
 */
#ifdef ALTCALL_DEFAULT_ONLY
/* Code that links no runtime (a kernel's decompressor, a vDSO): every site
 * takes its default arm, as a plugin-built site does before any apply. */
#define __ALTCALL_SITE_STATE
#define __ALTCALL_HAS(st, f)	((void)(f), 0)
#define __ALTCALL_SITE_ST	0
#elif defined(ALTCALL_FEATURE_TEST)
/* Code that cannot reach the runtime but can test a feature itself, as
 * written in the condition (arm64 KVM's nVHE hyp code, at EL2: a cpucap
 * with cpus_have_final_cap()): ALTCALL_FEATURE_TEST(f) answers. */
#define __ALTCALL_SITE_STATE
#define __ALTCALL_HAS(st, f)	ALTCALL_FEATURE_TEST(f)
#define __ALTCALL_SITE_ST	0
#else
#define __ALTCALL_SITE_STATE						\
	struct __altcall_state __altcall_site_state = __altcall_applied_state();
#define __ALTCALL_HAS(st, f)	__altcall_state_has(st, __ALTCALL_W(f))
#define __ALTCALL_SITE_ST	(&__altcall_site_state)
#endif
#define __ALTCALL_ALL_1(st, a)	__ALTCALL_HAS(st, a)
#define __ALTCALL_ALL_2(st, a, ...) __ALTCALL_HAS(st, a) && __ALTCALL_ALL_1(st, __VA_ARGS__)
#define __ALTCALL_ALL_3(st, a, ...) __ALTCALL_HAS(st, a) && __ALTCALL_ALL_2(st, __VA_ARGS__)
#define __ALTCALL_ALL_4(st, a, ...) __ALTCALL_HAS(st, a) && __ALTCALL_ALL_3(st, __VA_ARGS__)
#define __ALTCALL_ALL_5(st, a, ...) __ALTCALL_HAS(st, a) && __ALTCALL_ALL_4(st, __VA_ARGS__)
#define __ALTCALL_ALL_6(st, a, ...) __ALTCALL_HAS(st, a) && __ALTCALL_ALL_5(st, __VA_ARGS__)
#define __ALTCALL_ALL_7(st, a, ...) __ALTCALL_HAS(st, a) && __ALTCALL_ALL_6(st, __VA_ARGS__)
#define __ALTCALL_ALL_8(st, a, ...) __ALTCALL_HAS(st, a) && __ALTCALL_ALL_7(st, __VA_ARGS__)
#define __ALTCALL_ALL_MANY(st, ...)	ALTCALL_ALL_takes_at_most_8_features
/* The condition on the state st points at. */
#define __ALTCALL_COND_AT(st, kind, ...)					\
	((__ALTCALL_XCAT(__ALTCALL_ALL_, __ALTCALL_NFEAT(__VA_ARGS__))(st, __VA_ARGS__)) != \
	 ((kind) == ALTCALL_COND_IF_NOT))
/* A statement site's condition, on the copy its block took. */
#define __ALTCALL_COND(kind, ...)	__ALTCALL_COND_AT(__ALTCALL_SITE_ST, kind, __VA_ARGS__)
#endif

/*
 * Each arm is exactly one call: f(args); or lhs = f(args); or return f(args);
 * with the same arguments and lhs in every arm.  The first arm whose
 * condition holds (in source order) is the one called after
 * altcall_apply(); the ELSE arm is the default, or without ELSE "no call"
 * (a 5-byte NOP once patched), a form that takes only f(args);.
 *
 *	ALTERNATIVE_IF(c1) A1 [ALTERNATIVE_ELIF(c2) A2 ...] [ALTERNATIVE_ELSE B] ALTERNATIVE_END
 *	ALTERNATIVE_IF_NOT(c) A [ALTERNATIVE_ELSE B] ALTERNATIVE_END
 *
 * IF_NOT's first arm is the default (it runs while c is absent); it takes
 * no ELIF: an ELIF after IF_NOT is a compile error naming
 * ALTERNATIVE_ELIF_needs_ALTERNATIVE_IF, one after ELSE or outside any site
 * a syntax error at the ELIF (docs/diagnostics.md).  A site is one compound
 * statement: an "else" after ALTERNATIVE_END belongs to the user's
 * enclosing "if", never to the site.
 */
#define ALTERNATIVE_IF(c)							\
	{ enum { ALTERNATIVE_ELIF_needs_ALTERNATIVE_IF = ALTCALL_COND_ELIF };	\
	  __ALTCALL_SITE_STATE							\
	  if (__ALTCALL_COND(ALTCALL_COND_IF, __ALTCALL_LIST(c))) {
#define ALTERNATIVE_IF_NOT(c)							\
	{ __ALTCALL_SITE_STATE							\
	  if (__ALTCALL_COND(ALTCALL_COND_IF_NOT, __ALTCALL_LIST(c))) {
#define ALTERNATIVE_ELIF(c)							\
	} else if (__ALTCALL_COND(ALTERNATIVE_ELIF_needs_ALTERNATIVE_IF,	\
				  __ALTCALL_LIST(c))) {
#define ALTERNATIVE_ELSE	} else {
#define ALTERNATIVE_END		} }

/* Expression form: ALTERNATIVE_CALL(c, new_fn, old_fn)(args...) evaluates the
 * arguments once and yields the call's value; old_fn is the default.  For
 * more arms, old_fn is itself an ALTERNATIVE_CALL:
 *	ALTERNATIVE_CALL(c1, f1, ALTERNATIVE_CALL(c2, f2, dflt))(args...)
 * calls f1 if c1 holds, else f2 if c2 holds, else dflt. */
#if ALTCALL_PLUGIN || defined(ALTCALL_DEFAULT_ONLY) || defined(ALTCALL_FEATURE_TEST)
#define ALTERNATIVE_CALL(c, new_fn, old_fn) \
	(__ALTCALL_COND(ALTCALL_COND_IF, __ALTCALL_LIST(c)) ? (new_fn) : (old_fn))
#elif defined(__GNUC__)
/*
 * Without the plugin, a nest reads one state: each level chooses inside a
 * retry loop on the published state's sequence count, so a choice made
 * while an apply published a new state (by this level or any inside its
 * old_fn) is made again.  __COUNTER__ names each level's locals, so that
 * levels never shadow each other (-Wshadow).
 */
#define ALTERNATIVE_CALL(c, new_fn, old_fn)					\
	__ALTCALL_CALL_AT(__COUNTER__, __ALTCALL_LIST(c), new_fn, old_fn)
#define __ALTCALL_CALL_AT(id, c, new_fn, old_fn)				\
	__extension__ ({							\
	unsigned int __ALTCALL_XCAT(__altcall_seq, id);				\
	__typeof__(&*(new_fn)) __ALTCALL_XCAT(__altcall_fn, id);		\
	do {									\
		__ALTCALL_XCAT(__altcall_seq, id) = __altcall_state_seq();	\
		__ALTCALL_XCAT(__altcall_fn, id) =				\
			__ALTCALL_COND_AT(0, ALTCALL_COND_IF, c) ?		\
			(new_fn) : (old_fn);					\
	} while (__altcall_state_seq() != __ALTCALL_XCAT(__altcall_seq, id));	\
	__ALTCALL_XCAT(__altcall_fn, id); })
#else
/* No statement expressions: each feature is read on its own (a null
 * state: a copy of its own), so a nest or an ALTCALL_ALL may mix two
 * states during a live apply (README, Limitations). */
#define ALTERNATIVE_CALL(c, new_fn, old_fn) \
	(__ALTCALL_COND_AT(0, ALTCALL_COND_IF, __ALTCALL_LIST(c)) ? (new_fn) : (old_fn))
#endif

/*
 * altcall_ptr_call (Xen's alternative_call): a call through a function
 * pointer that is final once altcall_apply() runs.  fp is a function pointer with a fixed address
 * (a global, a field of a global struct, an element of a global array at a
 * constant index).  Until altcall_apply() the site calls a trampoline that
 * jumps through fp's current value, exactly like the indirect call; apply
 * reads fp once and makes the site a direct call to that value, which later
 * changes of fp never reach.  Any signature works (stack arguments, structs,
 * floating point, variadic callees, tail calls).  Without the plugin it is
 * plain (fp)(args).
 */
/*
 * fp and its arguments come as one list, so that a call with no argument,
 * altcall_ptr_vcall(fp), is valid C99 (a "..." may not be empty there): the
 * list is counted (fp and up to 30 arguments) to split fp from the rest.
 */
#define __ALTCALL_32ND(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12,	\
		       _13, _14, _15, _16, _17, _18, _19, _20, _21, _22, _23,	\
		       _24, _25, _26, _27, _28, _29, _30, _31, _32, ...) _32
#define __ALTCALL_ARITY(...)							\
	__ALTCALL_32ND(__VA_ARGS__, MORE, MORE, MORE, MORE, MORE, MORE, MORE,	\
		       MORE, MORE, MORE, MORE, MORE, MORE, MORE, MORE, MORE,	\
		       MORE, MORE, MORE, MORE, MORE, MORE, MORE, MORE, MORE,	\
		       MORE, MORE, MORE, MORE, MORE, ONE, 0)
#define __ALTCALL_PICK(arity)	__ALTCALL_CAT(__altcall_call_, arity)
#if ALTCALL_PLUGIN
#define __altcall_call_ONE(fp)	((__altcall_ptr(0, (fp)), (fp))())
#define __altcall_call_MORE(fp, ...) \
	((__altcall_ptr(0, (fp)), (fp))(__VA_ARGS__))
#else
#define __altcall_call_ONE(fp)	((fp)())
#define __altcall_call_MORE(fp, ...) ((fp)(__VA_ARGS__))
#endif
#define altcall_ptr_call(...) \
	__ALTCALL_PICK(__ALTCALL_ARITY(__VA_ARGS__))(__VA_ARGS__)
#define altcall_ptr_vcall(...) ((void)altcall_ptr_call(__VA_ARGS__))
#ifdef __GNUC__
#pragma GCC diagnostic pop
#endif

/*
 * Xen's names for the same.  The x86 Linux kernel has an unrelated
 * alternative_call() in <asm/alternative.h>: altcall.h never redefines it
 * (an error below, or the kernel's own redefinition warning); code that
 * meets both defines ALTCALL_NO_XEN_NAMES and writes altcall_ptr_call().
 */
#ifndef ALTCALL_NO_XEN_NAMES
#if defined(alternative_call) || defined(alternative_vcall)
#error "altcall: alternative_call is already defined (x86 <asm/alternative.h>?): define ALTCALL_NO_XEN_NAMES and use altcall_ptr_call()"
#endif
#define alternative_call altcall_ptr_call
#define alternative_vcall altcall_ptr_vcall
#endif

#ifdef __cplusplus
}
#endif

#endif /* ALTCALL_H */
