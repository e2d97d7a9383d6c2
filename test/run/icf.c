// Linker identical-code folding (gold or lld --icf=all with
// -ffunction-sections) merges two functions whose sites differ only in
// their feature: one call instruction, two records that disagree.
// altcall_apply() refuses every record of that site (ALTCALL_ECONFLICT)
// and leaves it on its default: it never patches it for one function while
// the other runs it.  The first line proves the link really folded them.
// RUN: %cc -O2 -ffunction-sections -fuse-ld=gold -Wl,--icf=all %s %rt -o %t.gold && %run %t.gold | FileCheck %s
// The cross compilers of Debian 12 look for ld.lld only under -B; a -B
// directory with nothing else, as GCC 15 also takes 'as' from there.
// RUN: rm -rf %t.bin && mkdir -p %t.bin && ln -s /usr/bin/ld.lld %t.bin/ld.lld
// RUN: %cc -O2 -ffunction-sections -fuse-ld=lld -B%t.bin/ -Wl,--icf=all %s %rt -o %t.lld && %run %t.lld | FileCheck %s
// The inspector flags both records, and chooses nothing for them.
// RUN: %sites --features=sw:1 %t.gold | FileCheck %s --check-prefix=SITES
// SITES-COUNT-2: site on_feature_{{[12]}} {{call|jmp|b|bl}} impl_default default=impl_default alt=impl_fast feature=sw:{{[12]}} conflict: another record of this site disagrees; altcall_apply() refuses them all
// SITES-NEXT: 2 sites
// With --apply it says why, in the runtime's words.
// RUN: %sites --apply --features=sw:1 %t.gold | FileCheck %s --check-prefix=APPLY
// RUN: %sites --apply --features=sw:1 %t.lld | FileCheck %s --check-prefix=APPLY
// APPLY-COUNT-2: site on_feature_{{[12]}} {{.*}} altcall_apply() refuses them all apply: refuse (records of one site disagree (folded code?))
#include <altcall.h>
#include <stdint.h>
#include <stdio.h>

static const char *ran = "nothing";
__attribute__((noinline)) void impl_default(void) { ran = "default"; }
__attribute__((noinline)) void impl_fast(void) { ran = "fast"; __asm__ volatile(""); }

__attribute__((noinline)) void on_feature_1(void)
{
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(1))
		impl_fast();
	ALTERNATIVE_ELSE
		impl_default();
	ALTERNATIVE_END
}

__attribute__((noinline)) void on_feature_2(void)
{
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(2))
		impl_fast();
	ALTERNATIVE_ELSE
		impl_default();
	ALTERNATIVE_END
}

int main(void)
{
	void (*volatile a)(void) = on_feature_1, (*volatile b)(void) = on_feature_2;
	struct altcall_report r;

	// CHECK: folded: yes
	printf("folded: %s\n", (uintptr_t)a == (uintptr_t)b ? "yes" : "no");
	altcall_set_feature(ALTCALL_SW_FEATURE(1), 1);
	int ret = altcall_apply();
	altcall_get_report(&r);
	// CHECK-NEXT: apply: -8, 2 sites, 0 patched, 2 refused: records of one site disagree (folded code?)
	printf("apply: %d, %u sites, %u patched, %u refused: %s\n", ret, r.sites,
	       r.patched, r.refused, altcall_strerror(r.first_error));
	on_feature_2();
	// CHECK-NEXT: feature 2 (off): default
	printf("feature 2 (off): %s\n", ran);
	on_feature_1();
	// CHECK-NEXT: feature 1 (on, refused): default
	printf("feature 1 (on, refused): %s\n", ran);
	return 0;
}
