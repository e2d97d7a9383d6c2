// A platform with call thunks (a kernel's x86 call depth tracking): its
// canonical_target reads a call to the thunk of T as a call to T, its
// call_dest sends every call the core writes to T's thunk.  Sites that hold
// a thunk call are recognised, calls are written to thunks and jumps are
// not, an unchanged site is not written again, altcall_site_target()
// answers T; a platform without the hooks refuses a thunk call.
// RUN: %cc-plain -O2 -g %s %rt -o %t && %run %t | FileCheck %s
#include <altcall.h>
#include <altcall/runtime.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "../Inputs/handmade-sites.h"

#define FEATURE ALTCALL_SW_FEATURE(2)

static unsigned char *text;		/* page 0: r-x code */
static struct altcall_site *records;	/* page 1: records, then a pointer */
static long page;

/* Two functions with a thunk each (8 bytes before them), a trampoline
 * without one, and the sites. */
enum { T_DFLT = 0x40, T_ALT = 0x80, T_TRAMP = 0xc0, SITE = 0x100, SITE_STEP = 16, STUB = 8 };

static unsigned char *site_at(int i) { return text + SITE + i * SITE_STEP; }
static unsigned char *fn(int off) { return text + off; }
static unsigned char *stub(int off) { return text + off - STUB; }

static const void *canonical(const void *site, const void *target)
{
	(void)site;
	if (target == stub(T_DFLT))
		return fn(T_DFLT);
	if (target == stub(T_ALT))
		return fn(T_ALT);
	return target;
}

static unsigned dest_asked;
static const void *to_thunk(const void *site, const void *target)
{
	(void)site;
	dest_asked++;
	if (target == fn(T_DFLT))
		return stub(T_DFLT);
	if (target == fn(T_ALT))
		return stub(T_ALT);
	return target;
}

static _Bool any_text(const void *addr, unsigned len) { (void)addr; (void)len; return 1; }

static unsigned write_text(const struct altcall_patch *p, unsigned n)
{
	mprotect(text, page, PROT_READ | PROT_WRITE);
	for (unsigned i = 0; i < n; i++)
		memcpy(p[i].addr, p[i].bytes, p[i].len);
	mprotect(text, page, PROT_READ | PROT_EXEC);
	return n;
}

static const struct altcall_platform thunked = {
	.is_text = any_text, .write_text = write_text,
	.canonical_target = canonical, .call_dest = to_thunk,
};
/* An apply before the kernel made its thunks: calls are read through
 * thunks, written plain. */
static const struct altcall_platform first = {
	.is_text = any_text, .write_text = write_text,
	.canonical_target = canonical,
};
static const struct altcall_platform plain = {
	.is_text = any_text, .write_text = write_text,
};

static const char *name(const unsigned char *to)
{
	return to == fn(T_DFLT) ? "dflt" : to == fn(T_ALT) ? "alt" :
	       to == stub(T_DFLT) ? "thunk(dflt)" : to == stub(T_ALT) ? "thunk(alt)" :
	       to == fn(T_TRAMP) ? "tramp" : "elsewhere";
}

static void show(const char *what, int ret, int n)
{
	struct altcall_report r;

	altcall_get_report(&r);
	printf("%s: ret=%d patched=%u refused=%u first=%s:", what, ret, r.patched,
	       r.refused, altcall_strerror(r.first_error));
	for (int i = 0; i < n; i++) {
		const unsigned char *to;
		int op = decode(site_at(i), &to);

		printf(" %s", !op ? (!memcmp(site_at(i), nop_insn, INSN_SIZE) ? "nop" : "other") :
		       op == CALL ? "call" : "jmp");
		if (op)
			printf(" %s", name(to));
		printf(i + 1 < n ? "," : "\n");
	}
}

int main(void)
{
	void **slot;
	const void *where, *target;

	page = sysconf(_SC_PAGESIZE);
	text = map_near_runtime(page, 3);
	if (!text)
		return perror("mmap"), 1;
	records = (struct altcall_site *)(text + page);
	slot = (void **)(text + page + page / 2);
	memset(text, 0xcc, page);
	put_ret(fn(T_DFLT));
	put_ret(fn(T_ALT));
	put_ret(fn(T_TRAMP));

	put_branch(site_at(0), CALL, fn(T_DFLT));	/* as compiled */
	put_branch(site_at(1), JMP, fn(T_DFLT));	/* a tail call */
	put_branch(site_at(2), CALL, fn(T_DFLT));	/* "no call" alternative */
	put_branch(site_at(3), CALL, fn(T_TRAMP));	/* pointer site */
	put_branch(site_at(4), CALL, stub(T_DFLT));	/* the kernel's thunk pass ran */
	put_record(&records[0], site_at(0), fn(T_DFLT), fn(T_ALT), FEATURE);
	put_record(&records[1], site_at(1), fn(T_DFLT), fn(T_ALT), FEATURE);
	put_record(&records[2], site_at(2), fn(T_DFLT), NULL, FEATURE);
	put_record(&records[3], site_at(3), fn(T_TRAMP), slot, ALTCALL_FEATURE_POINTER);
	put_record(&records[4], site_at(4), fn(T_DFLT), fn(T_ALT), FEATURE);
	*slot = fn(T_ALT);
	mprotect(text, page, PROT_READ | PROT_EXEC);

	altcall_set_feature(FEATURE, 1);
	// CHECK: thunked: ret=5 patched=5 refused=0 first=no error: call thunk(alt), jmp alt, nop, call thunk(alt), call thunk(alt)
	show("thunked", altcall_apply_sites(records, records + 5, &thunked), 5);
	// CHECK-NEXT: site 0 target: alt
	printf("site 0 target: %s\n", altcall_site_target(&records[0], &where, &target) ?
	       name(target) : "none");
	// CHECK-NEXT: again: ret=0 patched=0 refused=0 first=no error: call thunk(alt), jmp alt, nop, call thunk(alt), call thunk(alt)
	show("again", altcall_apply_sites(records, records + 5, &thunked), 5);

	altcall_set_feature(FEATURE, 0);
	// The pointer site keeps its target; the others go back to the default's thunk.
	// CHECK-NEXT: back: ret=4 patched=4 refused=0 first=no error: call thunk(dflt), jmp dflt, call thunk(dflt), call thunk(alt), call thunk(dflt)
	show("back", altcall_apply_sites(records, records + 5, &thunked), 5);

	// Without call_dest, calls are written plain: what the kernel's thunk
	// pass, which runs after such an apply, then retargets.
	altcall_set_feature(FEATURE, 1);
	// CHECK-NEXT: first: ret=5 patched=5 refused=0 first=no error: call alt, jmp alt, nop, call alt, call alt
	show("first", altcall_apply_sites(records, records + 5, &first), 5);

	// Without canonical_target a thunk call is bytes the runtime did not write.
	mprotect(text, page, PROT_READ | PROT_WRITE);
	put_branch(site_at(0), CALL, stub(T_ALT));
	mprotect(text, page, PROT_READ | PROT_EXEC);
	altcall_set_feature(FEATURE, 0);
	// CHECK-NEXT: plain: ret=-1 patched=0 refused=1 first=site bytes are not the call the compiler emitted: call thunk(alt)
	show("plain", altcall_apply_sites(records, records + 1, &plain), 1);
	// CHECK-NEXT: site 0 target without the hook: thunk(alt)
	printf("site 0 target without the hook: %s\n",
	       altcall_site_target(&records[0], &where, &target) ? name(target) : "none");
	// CHECK-NEXT: jmp sites: call_dest asked only for calls: yes
	printf("jmp sites: call_dest asked only for calls: %s\n", dest_asked == 10 ? "yes" : "no");
	// CHECK-NEXT: final: r-xp
	printf("final: %s\n", protection(text));
	return 0;
}
