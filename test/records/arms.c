// The inspector on sites with an arm table (ALTCALL_FEATURE_ARMS records),
// built by hand so that no plugin is needed: every arm with its
// condition, the arm apply chooses for --features, the --apply verdict
// from the runtime's planner (which reads the table from the file's
// loaded segments), bad tables flagged; in an object the tables are read
// through their relocations.  The program then applies for the same
// features and runs the sites: the runtime agrees.
// RUN: %cc-plain -O2 %s %rt -o %t
// RUN: %sites %t | FileCheck %s --check-prefix=PLAIN
// RUN: %sites --apply --features=sw:2,sw:3 %t | FileCheck %s --check-prefix=CHECK
// RUN: %sites --apply --features=sw:1 --json %t | FileCheck %s --check-prefix=JSON
// RUN: %cc-plain -O2 -c %s -o %t.o && %sites --apply --features=sw:2 %t.o | FileCheck %s --check-prefix=OBJECT
// RUN: %run %t 2,3 | FileCheck %s --check-prefix=RUN23
// RUN: %run %t 1 | FileCheck %s --check-prefix=RUN1
#include <altcall.h>
#include <altcall/runtime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((noinline, used)) void t_default(void) { puts("t_default"); }
__attribute__((noinline, used)) void t_one(void) { puts("t_one"); }
__attribute__((noinline, used)) void t_two(void) { puts("t_two"); }
__attribute__((noinline, used)) void t_three(void) { puts("t_three"); }

/*
 * Each site is a function of its own holding one call (the site, at
 * label NAME_site) in a frame that keeps the stack aligned.
 */
#ifdef __x86_64__
#define SITE_FN(name, insn, to)						\
	"	.globl " #name "\n	.type " #name ", @function\n"	\
	#name ":\n	sub $8, %rsp\n"					\
	".L" #name "_site:\n	" insn " " to "\n"				\
	"	add $8, %rsp\n	ret\n	.size " #name ", .-" #name "\n"
#define CALL "call"
#define CPU "0x8e25"	/* cpu:AVX2 */
#else
#define SITE_FN(name, insn, to)						\
	"	.globl " #name "\n	.type " #name ", %function\n"	\
	#name ":\n	stp x29, x30, [sp, -16]!\n"			\
	".L" #name "_site:\n	" insn " " to "\n"				\
	"	ldp x29, x30, [sp], 16\n	ret\n	.size " #name ", .-" #name "\n"
#define CALL "bl"
#define CPU "0x8008"	/* cpu:ATOMICS */
#endif
#define RECORD(site, dflt, table, kind) \
	"	.long " site "-.\n	.long " dflt "\n	.long " table "-.\n	.short " kind "\n"

__asm__(
	"	.pushsection .text\n	.p2align 4\n"
	SITE_FN(three_way, CALL, "t_default")
	SITE_FN(no_else, CALL, "__altcall_nop")
	SITE_FN(bad_count, CALL, "t_default")
	SITE_FN(bad_k, CALL, "t_default")
	SITE_FN(reserved, CALL, "t_default")
	"	.popsection\n"
	"	.pushsection altcall_sites, \"aR\", %progbits\n"
	RECORD(".Lthree_way_site", "t_default-.", "arms_three_way", "0x4001")
	RECORD(".Lno_else_site", "0", "arms_no_else", "0x4001")
	RECORD(".Lbad_count_site", "t_default-.", "arms_bad_count", "0x4001")
	RECORD(".Lbad_k_site", "t_default-.", "arms_bad_k", "0x4001")
	RECORD(".Lreserved_site", "t_default-.", "arms_three_way", "0x4002")
	"	.popsection\n"
	"	.pushsection .rodata.altcall_arms, \"a\", %progbits\n"
	/* ALTERNATIVE_IF(sw:1) t_one ALTERNATIVE_ELIF(ALTCALL_ALL(sw:2, sw:3))
	 * t_two ALTERNATIVE_ELIF(sw:2) t_three ALTERNATIVE_ELSE t_default */
	"arms_three_way:\n	.byte 3\n"
	"	.long t_one-.\n	.byte 1\n	.short 1\n"
	"	.long t_two-.\n	.byte 2\n	.short 2, 3\n"
	"	.long t_three-.\n	.byte 1\n	.short 2\n"
	/* No ELSE; an arm that makes no call (sw:4), then a CPU feature. */
	"arms_no_else:\n	.byte 2\n"
	"	.long 0\n	.byte 1\n	.short 4\n"
	"	.long t_one-.\n	.byte 2\n	.short 2, " CPU "\n"
	"arms_bad_count:\n	.byte 0\n"
	"	.long t_one-.\n	.byte 1\n	.short 1\n"
	"arms_bad_k:\n	.byte 2\n"
	"	.long t_one-.\n	.byte 1\n	.short 1\n"
	"	.long t_two-.\n	.byte 9\n	.short 1, 2, 3, 4, 5, 6, 7, 8, 9\n"
	"	.popsection\n");

// PLAIN: site three_way+0x{{[0-9a-f]+}} {{call|bl}} t_default default=t_default arm1=t_one if=sw:1 arm2=t_two if=sw:2+sw:3 arm3=t_three if=sw:2{{$}}
// PLAIN-NEXT: site no_else+0x{{[0-9a-f]+}} {{call|bl}} __altcall_nop default=none arm1=none if=sw:4 arm2=t_one if=sw:2+cpu:{{AVX2|ATOMICS}}{{$}}
// PLAIN-NEXT: site bad_count+0x{{[0-9a-f]+}} {{call|bl}} t_default default=t_default arms=bad(n=0){{$}}
// PLAIN-NEXT: site bad_k+0x{{[0-9a-f]+}} {{call|bl}} t_default default=t_default arms=bad(arm2:k=9){{$}}
// PLAIN-NEXT: site reserved+0x{{[0-9a-f]+}} {{call|bl}} t_default default=t_default alt=arms_three_way feature=bad:0x4002{{$}}
// PLAIN-NEXT: 5 sites

// sw:2 and sw:3: arm2 (ALTCALL_ALL) before arm3 (sw:2 alone).
// CHECK: site three_way{{.*}} arm3=t_three if=sw:2 chosen=arm2:t_two apply: patch{{$}}
// The host of each target has the CPU feature only if the program sees it:
// the inspector knows only --features, so arm2 is not chosen.
// CHECK-NEXT: site no_else{{.*}} chosen=default:none apply: patch{{$}}
// CHECK-NEXT: site bad_count{{.*}} arms=bad(n=0) apply: refuse (malformed record){{$}}
// CHECK-NEXT: site bad_k{{.*}} arms=bad(arm2:k=9) apply: refuse (malformed record){{$}}
// CHECK-NEXT: site reserved{{.*}} feature=bad:0x4002 chosen=t_default apply: refuse (malformed feature){{$}}

// JSON: [
// JSON-NEXT: {"site": "three_way+0x{{[0-9a-f]+}}", "insn": "{{call|bl}}", "target": "t_default", "default": "t_default", "arms": [{"target": "t_one", "if": ["sw:1"]}, {"target": "t_two", "if": ["sw:2", "sw:3"]}, {"target": "t_three", "if": ["sw:2"]}], "feature": "arms", "conflict": false, "chosen": "t_one", "chosen_arm": 1, "apply": {"action": "patch"}},
// JSON-NEXT: {"site": "no_else+0x{{[0-9a-f]+}}", "insn": "{{call|bl}}", "target": "__altcall_nop", "default": "none", "arms": [{"target": "none", "if": ["sw:4"]}, {"target": "t_one", "if": ["sw:2", "cpu:{{AVX2|ATOMICS}}"]}], "feature": "arms", "conflict": false, "chosen": "none", "chosen_arm": 0, "apply": {"action": "patch"}},
// JSON-NEXT: {"site": "bad_count+0x{{[0-9a-f]+}}", {{.*}}"default": "t_default", "arms_error": "n=0", "feature": "arms", "conflict": false, "apply": {"action": "refuse", "reason": "malformed record"}},
// JSON-NEXT: {"site": "bad_k+0x{{[0-9a-f]+}}", {{.*}}"arms_error": "arm2:k=9", {{.*}}"reason": "malformed record"}},
// JSON-NEXT: {"site": "reserved+0x{{[0-9a-f]+}}", {{.*}}"alt": "arms_three_way", "feature": "bad:0x4002", {{.*}}"reason": "malformed feature"}}
// JSON-NEXT: ]

// In an object, the arms' targets come from the relocations; the table
// checks need no address.
// OBJECT: site three_way+0x{{[0-9a-f]+}} {{call|bl}} t_default default=t_default arm1=t_one if=sw:1 arm2=t_two if=sw:2+sw:3 arm3=t_three if=sw:2 chosen=arm3:t_three apply: unknown (not linked: no addresses before the link){{$}}
// OBJECT-NEXT: site no_else{{.*}} default=none arm1=none if=sw:4 arm2=t_one if=sw:2+cpu:{{AVX2|ATOMICS}} chosen=default:none apply: unknown (not linked: no addresses before the link){{$}}
// OBJECT-NEXT: site bad_count{{.*}} arms=bad(n=0) apply: refuse (malformed record){{$}}
// OBJECT-NEXT: site bad_k{{.*}} arms=bad(arm2:k=9) apply: refuse (malformed record){{$}}
// OBJECT-NEXT: site reserved{{.*}} apply: refuse (malformed feature){{$}}

void three_way(void), no_else(void), bad_count(void), bad_k(void), reserved(void);
/* Built without the plugin: no image registers its records. */
extern const struct altcall_site __start_altcall_sites[], __stop_altcall_sites[];

int main(int argc, char **argv)
{
	struct altcall_report r;
	char *list = argc > 1 ? argv[1] : "", *tok;

	for (tok = strtok(list, ","); tok; tok = strtok(NULL, ","))
		altcall_set_feature(ALTCALL_SW_FEATURE(atoi(tok) & 63), 1);
	/* no_else's arm2 needs the CPU feature: masked, it makes no call. */
	altcall_set_feature((unsigned)strtoul(CPU, NULL, 0), 0);
	altcall_apply_user(__start_altcall_sites, __stop_altcall_sites);
	altcall_get_report(&r);
	// RUN23: sites=5 patched=2 refused=3
	// RUN1: sites=5 patched=2 refused=3
	printf("sites=%u patched=%u refused=%u\n", r.sites, r.patched, r.refused);
	fflush(stdout);
	// RUN23-NEXT: t_two
	// RUN1-NEXT: t_one
	three_way();
	no_else();	/* no call */
	// RUN23-NEXT: t_default
	// RUN23-NEXT: t_default
	// RUN23-NEXT: t_default
	// RUN1-NEXT: t_default
	// RUN1-NEXT: t_default
	// RUN1-NEXT: t_default
	bad_count();
	bad_k();
	reserved();
	return 0;
}
