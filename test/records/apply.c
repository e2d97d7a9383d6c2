// altcall-sites --apply says what altcall_apply() does to each site, with
// the runtime's own planner: this program's good sites, and records built
// by hand that the runtime refuses, each for its own reason (on arm64 also
// a site that is not word-aligned).  The program
// then applies for the same features and reports the same counts.
// RUN: %cc -O2 %s %rt -o %t
// RUN: %sites --apply --features=sw:1 %t | FileCheck %s --check-prefixes=CHECK,%{arch}
// RUN: %sites --apply --features=sw:1 --json %t | FileCheck %s --check-prefixes=JSON,JSON-%{arch} --allow-unused-prefixes
// RUN: %run %t | FileCheck %s --check-prefix=APPLIED-%{arch}
// With no --features every feature is absent: the good site is kept.
// RUN: %sites --apply %t | FileCheck %s --check-prefix=NONE
// Without --apply nothing changes in the output.
// RUN: %sites --features=sw:1 %t | FileCheck %s --check-prefix=PLAIN
// An object has no addresses yet: only the record checks can refuse.
// RUN: %cc -O2 -c %s -o %t.o && %sites --apply %t.o | FileCheck %s --check-prefix=OBJECT
#include <altcall.h>
#include <stdio.h>

__attribute__((noinline, used)) void impl_default(void) { __asm__ volatile(""); }
__attribute__((noinline, used)) void impl_fast(void) { __asm__ volatile(""); }
static void (*volatile hook)(void) = impl_fast;

// CHECK-DAG: site good{{(\+0x[0-9a-f]+)?}} {{call|jmp|bl|b}} impl_default default=impl_default alt=impl_fast feature=sw:1 chosen=impl_fast apply: patch{{$}}
// NONE-DAG: site good{{(\+0x[0-9a-f]+)?}} {{call|jmp|bl|b}} impl_default default=impl_default alt=impl_fast feature=sw:1 apply: keep{{$}}
// PLAIN: site good{{(\+0x[0-9a-f]+)?}} {{call|jmp|bl|b}} impl_default default=impl_default alt=impl_fast feature=sw:1 chosen=impl_fast{{$}}
// OBJECT-DAG: site good{{.*}} feature=sw:1 apply: unknown (not linked: no addresses before the link)
// JSON-DAG: {"site": "good{{(\+0x[0-9a-f]+)?}}", {{.*}}"chosen": "impl_fast", "apply": {"action": "patch"}}
__attribute__((noinline)) void good(void)
{
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(1))
		impl_fast();
	ALTERNATIVE_ELSE
		impl_default();
	ALTERNATIVE_END
}

// CHECK-DAG: site kept{{(\+0x[0-9a-f]+)?}} {{call|jmp|bl|b}} impl_default default=impl_default alt=impl_fast feature=sw:2 chosen=impl_default apply: keep{{$}}
__attribute__((noinline)) void kept(void)
{
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(2))
		impl_fast();
	ALTERNATIVE_ELSE
		impl_default();
	ALTERNATIVE_END
}

// A function-pointer site: its value is the running program's.
// CHECK-DAG: site through_hook{{.*}} feature=pointer chosen=*hook apply: unknown (the pointer's value at apply decides)
__attribute__((noinline)) void through_hook(void)
{
	alternative_call(hook);
}

/*
 * Records by hand.  not_a_call holds no call instruction; three sites in
 * it, 8 bytes apart, take a record each; not_text is data.
 */
#ifdef __x86_64__
#define NOT_A_CALL	".byte 0xc3, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc\n"
#else
#define NOT_A_CALL	".inst 0xd65f03c0, 0xd65f03c0\n"	/* ret */
#endif
__asm__(
	"	.pushsection .text\n"
	"	.p2align 4\n"
	"	.type not_a_call, %function\n"
	"not_a_call:\n"
	NOT_A_CALL NOT_A_CALL NOT_A_CALL
	"	.size not_a_call, .-not_a_call\n"
	"	.popsection\n"
	"	.pushsection .data\n"
	"	.p2align 3\n"
	"	.type not_text, %object\n"
	"not_text:\n"
	"	.quad 0, 0\n"
	"	.size not_text, 16\n"
	"	.popsection\n"
	"	.pushsection altcall_sites, \"aR\", %progbits\n"
	"	.long not_a_call-.\n	.long impl_default-.\n	.long impl_fast-.\n	.short 1\n"
	"	.long not_a_call+8-.\n	.long 0\n	.long 0\n	.short 1\n"
	"	.long not_a_call+16-.\n	.long impl_default-.\n	.long impl_fast-.\n	.short 0x4002\n"
	"	.long not_text-.\n	.long impl_default-.\n	.long impl_fast-.\n	.short 1\n"
	"	.popsection\n");

/*
 * arm64: a record whose site is not a multiple of 4 points at no
 * instruction, whatever the bits there (A64 instructions are
 * word-aligned).  At misaligned+2 the bytes spell 0x94000010, "bl
 * misaligned+0x42" if it were aligned: the runtime refuses the record
 * (ALTCALL_EBADINSN), and the inspector, with the same decoder, shows no
 * bl there and the same refusal.
 */
#ifdef __aarch64__
__asm__(
	"	.pushsection .text\n"
	"	.p2align 4\n"
	"	.type misaligned, %function\n"
	"misaligned:\n"
	"	.byte 0x1f, 0x20, 0x10, 0x00, 0x00, 0x94, 0x03, 0xd5\n"
	"	ret\n"
	"	.size misaligned, .-misaligned\n"
	"	.popsection\n"
	"	.pushsection altcall_sites, \"aR\", %progbits\n"
	"	.long misaligned+2-.\n	.long impl_default-.\n	.long impl_fast-.\n	.short 1\n"
	"	.popsection\n");
#endif
// AARCH64-DAG: site misaligned+0x2 bad[94000010] - default=impl_default alt=impl_fast feature=sw:1 chosen=impl_fast apply: refuse (site bytes are not the call the compiler emitted)
// JSON-AARCH64-DAG: {"site": "misaligned+0x2", "insn": "bad[94000010]", "target": "-", {{.*}}"apply": {"action": "refuse", "reason": "site bytes are not the call the compiler emitted"}}
// CHECK-DAG: site not_a_call bad[{{c3 cc cc cc cc|d65f03c0}}] - default=impl_default alt=impl_fast feature=sw:1 chosen=impl_fast apply: refuse (site bytes are not the call the compiler emitted)
// CHECK-DAG: site not_a_call+0x8 bad[{{.*}}] - default=none alt=none feature=sw:1 chosen=none apply: refuse (malformed record)
// CHECK-DAG: site not_a_call+0x10 bad[{{.*}}] - default=impl_default alt=impl_fast feature=bad:0x4002 chosen=impl_default apply: refuse (malformed feature)
// CHECK-DAG: site not_text bad[{{.*}}] - default=impl_default alt=impl_fast feature=sw:1 chosen=impl_fast apply: refuse (site is not in executable text)
// X86_64: 7 sites
// AARCH64: 8 sites
// JSON-DAG: {"site": "not_a_call+0x8", {{.*}}"apply": {"action": "refuse", "reason": "malformed record"}}
// OBJECT-DAG: site not_a_call+0x8 {{.*}} apply: refuse (malformed record)
// OBJECT-DAG: site not_a_call+0x10 {{.*}} apply: refuse (malformed feature)
// OBJECT-DAG: site not_text {{.*}} apply: unknown (not linked: no addresses before the link)

// The runtime: the good site and the pointer site patched (the latter to
// impl_fast, the value of hook), the hand-built records refused.
int main(void)
{
	struct altcall_report r;

	altcall_set_feature(ALTCALL_SW_FEATURE(1), 1);
	altcall_apply();
	altcall_get_report(&r);
	// APPLIED-X86_64: sites=7 patched=2 refused=4
	// APPLIED-AARCH64: sites=8 patched=2 refused=5
	printf("sites=%u patched=%u refused=%u\n", r.sites, r.patched, r.refused);
	good();
	kept();
	through_hook();
	return 0;
}
