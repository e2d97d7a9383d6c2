// An arm64 record whose site is not a multiple of 4 points at no
// instruction, whatever the bits there: A64 instructions are word-aligned.
// Here the four bytes at the misaligned site spell a bl; the runtime
// refuses the record (ALTCALL_EBADINSN) and the inspector, with the same
// decoder, shows no bl there and the same refusal, while the good site of
// the same program is patched.
// REQUIRES: aarch64
// RUN: %cc -O2 %s %rt -o %t
// RUN: %sites --apply --features=sw:1 %t | FileCheck %s
// RUN: %sites --json --apply --features=sw:1 %t | FileCheck %s --check-prefix=JSON
// RUN: %run %t | FileCheck %s --check-prefix=APPLIED
#include <altcall.h>
#include <stdio.h>

__attribute__((noinline, used)) void impl_default(void) { __asm__ volatile(""); }
__attribute__((noinline, used)) void impl_fast(void) { __asm__ volatile(""); }

// CHECK-DAG: site good{{(\+0x[0-9a-f]+)?}} {{bl|b}} impl_default default=impl_default alt=impl_fast feature=sw:1 chosen=impl_fast apply: patch{{$}}
__attribute__((noinline)) void good(void)
{
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(1))
		impl_fast();
	ALTERNATIVE_ELSE
		impl_default();
	ALTERNATIVE_END
}

/* misaligned+2 holds 0x94000010, "bl misaligned+0x42" if it were aligned. */
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
// CHECK-DAG: site misaligned+0x2 bad[94000010] - default=impl_default alt=impl_fast feature=sw:1 chosen=impl_fast apply: refuse (site bytes are not the call the compiler emitted)
// CHECK: 2 sites
// JSON-DAG: {"site": "misaligned+0x2", "insn": "bad[94000010]", "target": "-", {{.*}}"apply": {"action": "refuse", "reason": "site bytes are not the call the compiler emitted"}}

int main(void)
{
	struct altcall_report r;

	altcall_set_feature(ALTCALL_SW_FEATURE(1), 1);
	altcall_apply();
	altcall_get_report(&r);
	// APPLIED: sites=2 patched=1 refused=1 first=site bytes are not the call the compiler emitted
	printf("sites=%u patched=%u refused=%u first=%s\n", r.sites, r.patched, r.refused,
	       altcall_strerror(r.first_error));
	good();
	return 0;
}
