#!/bin/sh
# The altcall kernel test: for every kit (Linux VERSION, kernel/linux-VERSION/)
# and arch, apply the kit, build tinyconfig plus kernel/common/$arch.config
# and kernel/linux-VERSION/$arch.config (CONFIG_WERROR, SMP, modules,
# hardening) with the plugin, and again with CONFIG_ALTCALL=n (every site a
# branch), boot them in qemu on two CPUs, and check the boot logs.
#
#   scripts/kernel-test.sh [--kernel VERSION]... [--arch x86_64|arm64]... [--plugin-dir DIR]
#                          [--gcc N] [--plugin-only]
#
# Every kit and both arches by default; the plugins are those built for gcc
# and aarch64-linux-gnu-gcc in DIR (DIR/gcc-12/altcall.so, ...), DIR
# defaulting to build/plugin.
#
# --gcc N builds with GCC N (gcc-N, aarch64-linux-gnu-gcc-N and
# DIR/gcc-N/altcall.so ...), inside the Debian root that has it when the
# host does not (trixie: GCC 13 and 14; scripts/kernel-common.sh), in
# builds of their own ($ALTCALL_KERNEL_CACHE/build-VERSION-ARCH-gccN and
# ...-gccN-noplugin), and names the compiler in every tag:
# "kernel-test[ARCH VERSION gcc-N MODE]" (and "... gcc-N plugin build]").
# --plugin-only leaves out the CONFIG_ALTCALL=n build and its boot.  The
# suite runs "--kernel 6.12 --arch x86_64 --gcc 14 --plugin-only" (with
# --param full=1: without --plugin-only) in test/kernel/x86_64-gcc14.test:
# the second build would double its CI time (docs/kernel.md).
#
# Boots (MODE): "on" (altcall_feature=5 altcall=verbose), "off"
# (altcall=off), "noplugin" (the CONFIG_ALTCALL=n build, altcall_feature=5),
# and those kernel/common/boots.$arch and kernel/linux-VERSION/boots.$arch
# add (one a line: MODE|qemu -M|qemu -cpu|kernel command line|a line the
# log must contain; an empty -M or -cpu is the arch's default).  On arm64
# "off" and "noplugin" run under EL2 (virtualization=on, -cpu max) with
# KVM in nVHE mode, and every boot under EL2 must run /init's KVM guest
# and pass the hyp selftest (docs/kernel.md, KVM).  Each
# boot prints "kernel-test[ARCH VERSION MODE]: PASS" or "... FAIL: why",
# and "kernel-test[ARCH VERSION MODE]: log FILE" (kept), then, if it
# passed, the kernel's "Linux version" line and its altcall lines.  A boot
# passes if the kernel was built by the compiler meant (its "Linux version"
# line names it as "$CC --version" does) and the build was clean (0
# objtool, orphan and other warnings), it reached
# user space on two CPUs with the selftest (its live re-patch test too) and
# selftest-module lines passed, no refused site and no WARNING/BUG/Oops;
# "on" and the added boots also need alternatives taken and (but under
# EL2, where the hyp selftest counts the hyp ones) the real sites
# (kernel/linux-VERSION/real-sites.$arch) at their patched targets; "off" no apply at all; "noplugin" the selftests
# reaching the arms the features choose through the published state.
#
# The unpacked trees and the builds live in $ALTCALL_KERNEL_CACHE (default
# /var/cache/altcall-kernel), outside the checkout: an unchanged kit and
# plugin reuse the build, anything else rebuilds what changed.  Needs the
# plugins built (ninja -C build).
set -eu
. "$(dirname "$0")/kernel-common.sh"

failures=0
tag=""		# ARCH VERSION MODE of the boot under check
boot_failed=0
fail() {
	echo "kernel-test[$tag]: FAIL: $*"
	boot_failed=1
}

# Boot in qemu until the kernel powers off or halts (x86 without PCI
# cannot power off through ACPI; 6.12 says so differently), panics, or
# 300 s pass.
boot() {	# image, qemu -M, qemu -cpu, command line, log
	: >"$5.raw"
	$qemu -M "$2" -cpu "$3" -nographic -no-reboot -kernel "$1" -initrd "$out/initramfs.cpio" \
		-append "$4" </dev/null >"$5.raw" 2>&1 &
	qemu_pid=$!
	waited=0
	while kill -0 $qemu_pid 2>/dev/null && [ $waited -lt 300 ]; do
		grep -Eq 'reboot: (System halted|Power down|Power off not available)|end Kernel panic' "$5.raw" && break
		sleep 1
		waited=$((waited + 1))
	done
	kill $qemu_pid 2>/dev/null || true
	wait $qemu_pid 2>/dev/null || true
	tr -d '\r' <"$5.raw" >"$5"
	rm -f "$5.raw"
}

# KVM under qemu's EL2: /init's guest ran and exited twice, and the hyp
# sites ran the arms the boot apply chose (protected mode: hyp memory is
# EL2's, the host may not read it; the guest run is the proof).
check_kvm() {	# log, mode, command line
	grep -q 'altcall-init: KVM guest: MMIO write exit, then PSCI system-off exit' "$1" ||
		fail "/init's KVM guest did not run to both exits"
	case $3 in
	*kvm-arm.mode=protected*)
		grep -Eq 'Protected [nh]VHE mode initialized successfully' "$1" ||
			fail "KVM not in protected mode"
		grep -q "altcall hyp selftest (protected): hyp memory is EL2's: not read" "$1" ||
			fail "no hyp selftest line (protected)" ;;
	*)
		grep -Eq 'altcall hyp selftest \((nvhe|vhe)\): passed: ' "$1" ||
			fail "no passing hyp selftest line" ;;
	esac
	case $2 in
	off)
		grep -q 'altcall hyp selftest (nvhe): passed: .* (0 alternatives)' "$1" ||
			fail "altcall=off: hyp sites did not run their defaults" ;;
	noplugin)
		grep -Eq 'altcall hyp selftest \(nvhe\): passed: .* \([1-9][0-9]* alternatives\)' "$1" ||
			fail "no plugin: hyp sites did not follow their cpucaps" ;;
	*)
		grep -Eq 'altcall: kvm nvhe: [1-9][0-9]* sites, [1-9][0-9]* patched, 0 refused' "$1" ||
			fail "no apply line of the nVHE hyp sites" ;;
	esac
}

check_boot() {	# log, mode, qemu -M, command line
	log=$1
	grep 'Linux version ' "$log" | grep -qF "($cc_text, " ||
		fail "the kernel's Linux version line does not name $cc_text"
	grep -q 'altcall-init: module loaded, unloaded and loaded again' "$log" ||
		fail "/init did not load, unload and reload the selftest module"
	grep -q 'altcall-init: reached user space' "$log" || fail "boot did not reach user space"
	grep -Eq 'smp: Brought up 1 node, 2 CPUs|SMP: Total of 2 processors activated' "$log" ||
		fail "the second CPU did not come up"
	grep -q 'altcall selftest: passed' "$log" || fail "no passing selftest line"
	[ "$(grep -c 'altcall selftest module: passed: ' "$log")" = 2 ] ||
		fail "not two passing selftest module lines (load and reload)"
	# One kernel, one feature state: a re-apply reaches a live module, a
	# module loaded later follows the last re-apply (module: check_reload).
	grep -q 'altcall selftest module: passed re-apply while live: ' "$log" ||
		fail "no passing re-apply line of the live selftest module"
	grep -q 'altcall selftest module: passed reload: ' "$log" ||
		fail "no passing reload line of the selftest module"
	# x86 call depth tracking built in: the sites must call where plain
	# calls go, through thunks once they are active (retbleed=stuff).
	if [ "$2" != off ] && grep -q '^CONFIG_CALL_THUNKS=y' "$out/.config"; then
		grep -q 'altcall selftest: passed call thunks (live): ' "$log" ||
			fail "no passing call-thunk line"
		! grep -q 'RETBleed: Mitigation: Stuffing' "$log" ||
			grep -Eq 'altcall selftest: passed call thunks \(live\): .*\([1-9][0-9]* through a thunk\)' "$log" ||
			fail "call depth tracking on, but no site calls a thunk"
	fi
	case $3 in
	*virtualization=on*) check_kvm "$log" "$2" "$4" ;;
	esac
	if grep -E 'FAILED| refused:|WARNING:|BUG:|hyp BUG|HYP panic|Oops|Kernel panic|Call Trace' "$log"; then
		fail "errors in the boot log"
	fi
	case $2 in
	off)
		! grep -q 'altcall: vmlinux:' "$log" || fail "altcall=off still applied" ;;
	noplugin)
		grep -Eq 'altcall: vmlinux: 0 sites, 0 patched, 0 refused' "$log" ||
			fail "no vmlinux apply line (or records without the plugin)"
		grep -Eq 'altcall selftest: passed: .*\([1-9][0-9]* alternatives\)' "$log" ||
			fail "the selftest took no alternative"
		grep -Eq 'altcall selftest module: passed: .*\([1-9][0-9]* alternatives\)' "$log" ||
			fail "the selftest module took no alternative"
		grep -Eq 'altcall selftest: passed live: [1-9][0-9]* re-applies while CPU [0-9]+ made [1-9][0-9]* calls: 0 wrong, 0 late' "$log" ||
			fail "no passing live re-apply line" ;;
	*)
		grep -Eq 'altcall: vmlinux: [1-9][0-9]* sites, [1-9][0-9]* patched, 0 refused' "$log" &&
		grep -Eq 'altcall: vmlinux \(end of init\): [1-9][0-9]* sites, [0-9]* patched, 0 refused, 0 pointers' "$log" ||
			fail "no vmlinux apply line"
		grep -Eq 'altcall selftest: passed: .*\([1-9][0-9]* alternatives\)' "$log" ||
			fail "the selftest took no alternative"
		grep -Eq 'altcall selftest: passed live: [1-9][0-9]* re-applies while CPU [0-9]+ made [1-9][0-9]* calls: 0 wrong, 0 late' "$log" ||
			fail "no passing live re-patch line"
		# The real sites' targets are those of the default CPU; under
		# EL2 (-cpu max) the hyp selftest counts the hyp real sites.
		case $3 in *virtualization=on*) return 0 ;; esac
		grep -v '^#' "$kit/real-sites.$arch" | while read -r pattern; do
			grep -q -- "$pattern" "$log" || echo "$pattern"
		done >"$log.missing"
		[ ! -s "$log.missing" ] || fail "real sites not patched: $(cat "$log.missing")" ;;
	esac
}

# Boot $out's kernel in MODE and report; adds to failures.
boot_and_check() {	# mode, qemu -M, qemu -cpu, command line, required line
	tag="$arch $version ${gcc:+gcc-$gcc }$1"
	log=$out/boot-$1.log
	boot_failed=$build_failed
	if [ $build_failed = 0 ]; then
		boot "$out/$image" "${2:-$machine}" "${3:-$cpu}" "console=$console panic=-1 $4" "$log"
		check_boot "$log" "$1" "${2:-$machine}" "$4"
		[ -z "$5" ] || grep -qF -- "$5" "$log" || fail "no line '$5'"
	fi
	[ $boot_failed = 0 ] && echo "kernel-test[$tag]: PASS" || failures=$((failures + 1))
	echo "kernel-test[$tag]: log $log"
	[ $boot_failed != 0 ] || [ ! -f "$log" ] ||
		grep -E 'Linux version |altcall( hyp)?( selftest)?( module)?( \([a-z]+\))?: (vmlinux|kvm nvhe|passed|FAILED)|altcall-init: KVM' "$log" |
		sed -e 's/^.*\(Linux version \)/\1/' -e "s/^/kernel-test[$tag]:   /"
}

# nVHE hyp code may not hold a pointer site, nor, without the plugin, a
# boot feature: each is a compile error at its line.  The hyp half of the
# kit (arch/arm64/kvm/hyp/altcall.c) is compiled again, as Kbuild did,
# with each misuse defined in (<linux/altcall.h>, docs/kernel.md).
check_hyp_misuse() {	# kind
	cmdfile=$out/arch/arm64/kvm/hyp/.altcall.nvhe.o.cmd
	[ -f "$cmdfile" ] || return 0
	cc_hyp=$(sed -n 's/^\(saved\)\{0,1\}cmd_[^ ]* := //p' "$cmdfile" | head -1 |
		 sed 's#-Wp,-MMD,[^ ]*##; s# -o [^ ]*altcall\.nvhe\.o # -o misuse.o #')
	misuses="POINTER|altcall_ptr_call() cannot be used in nVHE hyp code"
	[ "$1" = plugin ] ||
		misuses="$misuses
BOOT_FEATURE|a boot feature (ALTCALL_BOOT_FEATURE) cannot choose an nVHE hyp site without the plugin"
	: >"$out/misuse.result"
	echo "$misuses" | while IFS='|' read -r what message; do
		if (cd "$out" && sh -c "$cc_hyp -DALTCALL_HYP_MISUSE_$what") >"$out/misuse.log" 2>&1; then
			echo "nVHE misuse $what compiled" >>"$out/misuse.result"
		elif ! grep -qF "$message" "$out/misuse.log" ||
		     ! grep -Eq 'altcall\.c:[0-9]+:[0-9]+: (note: in expansion of macro|error)' "$out/misuse.log"; then
			echo "nVHE misuse $what: not that error at its line: $(grep -m1 error "$out/misuse.log")" >>"$out/misuse.result"
		else
			echo "kernel-test[$tag]: nVHE misuse refused at $(grep -Eo 'altcall\.c:[0-9]+' "$out/misuse.log" | tail -1): $message"
		fi
	done
	rm -f "$out/misuse.o" "$out/misuse.log"
	! grep -q . "$out/misuse.result" || fail "$(cat "$out/misuse.result")"
}

# Build one kernel: $1 = plugin (CONFIG_ALTCALL=y) or noplugin
# (CONFIG_ALTCALL=n).  Sets out and build_failed.
build_kernel() {
	kind=$1
	tag="$arch $version ${gcc:+gcc-$gcc }$kind build"
	boot_failed=0
	out=$cache/build-$version-$arch${gcc:+-gcc$gcc}
	[ "$kind" = plugin ] || out=$out-$kind
	mkdir -p "$out"
	if [ "$kind" = plugin ]; then
		# Kbuild tracks command lines, not the plugin: a new plugin, a new build.
		pluginsum=$(sha256sum "$plugin" | cut -c1-16)
		if [ "$(cat "$out/.altcall-plugin" 2>/dev/null)" != "$pluginsum" ]; then
			rm -rf "$out"
			mkdir -p "$out"
			echo "$pluginsum" >"$out/.altcall-plugin"
			# A copy of its own: rebuilding the plugin under a running kernel
			# build must not change what it compiles with.
			cp "$plugin" "$out/altcall.so"
		fi
		altcall=y
	else
		altcall=n
	fi
	# in_root: make inside the root of --gcc's compiler, if it has one.
	mk="in_root make -C $src O=$out ARCH=$karch CROSS_COMPILE=$cross $(make_cc "$ccname") ALTCALL_PLUGIN=$out/altcall.so"
	$mk -s tinyconfig >/dev/null 2>&1
	{ cat "$top/kernel/common/$arch.config" "$kit/$arch.config"
	  printf 'CONFIG_ALTCALL=%s\nCONFIG_ALTCALL_SELFTEST=y\nCONFIG_ALTCALL_SELFTEST_MODULE=m\n' $altcall
	} >"$out/fragment.config"
	cat "$out/fragment.config" >>"$out/.config"
	$mk -s olddefconfig >/dev/null 2>&1
	grep -E '^CONFIG_[A-Z0-9_]+=[ym]$' "$out/fragment.config" | while read -r line; do
		grep -qx "$line" "$out/.config" || echo "$line did not survive olddefconfig"
	done >"$out/dropped"
	[ ! -s "$out/dropped" ] || fail "configuration: $(cat "$out/dropped")"
	if [ $altcall = n ] && grep -q '^CONFIG_ALTCALL=y' "$out/.config"; then
		fail "CONFIG_ALTCALL is set"
	fi

	# modpost's lines are checked below: a reused build must run it again,
	# so vmlinux.o is linked again (seconds) and modpost sees it newer.
	[ "$kind" != plugin ] || rm -f "$out/vmlinux.o"
	echo "kernel-test[$tag]: building (log: $out/build.log)"
	start=$(date +%s)
	if ! $mk -j"$jobs" "$(basename $image)" modules >"$out/build.log" 2>&1; then
		tail -40 "$out/build.log"
		fail "build failed"
	else
		echo "kernel-test[$tag]: built in $(( $(date +%s) - start )) s"
	fi
	# The selftest's pointer sites on init data that their unit cannot
	# see: modpost must name exactly their trampolines (the kernel catches
	# them at build time: docs/kernel.md), and nothing else may warn.
	initdata='section mismatch in reference: __altcall_tramp\.selftest_initdata_(ops|null)\.0(\+0x[0-9a-f]+)? \(section: \.text\.altcall_tramp\) -> selftest_initdata_(ops|null) \(section: \.init\.data\)$'
	grep -E 'warning|WARNING' "$out/build.log" | grep -Ev "$initdata" >"$out/warnings" || true
	[ ! -s "$out/warnings" ] || { cat "$out/warnings"; fail "$(wc -l <"$out/warnings") build warnings"; }
	if [ $kind = plugin ]; then
		[ "$(grep -E "$initdata" "$out/build.log" | sed -E 's/.*(tramp\.[a-z_]*).*/\1/' | sort -u | wc -l)" = 2 ] ||
			fail "modpost did not report both init-data pointer sites"
	fi
	if [ $boot_failed = 0 ] && [ $kind = plugin ] && [ -f "$kit/ibt-sealed.$arch" ]; then
		# Targets reached only through sites keep no ENDBR: objtool does
		# not count the records as taking their address.
		# shellcheck disable=SC2046
		python3 "$top/kernel/test/ibt-sealed.py" "$out/vmlinux" \
			$(grep -v '^#' "$kit/ibt-sealed.$arch") >"$out/sealed"
		! grep 'not sealed' "$out/sealed" || fail "IBT: site targets not sealed"
	fi
	[ $boot_failed != 0 ] || [ "$arch" != arm64 ] || check_hyp_misuse $kind
	build_failed=$boot_failed
	[ $build_failed = 0 ] || return 0

	# initramfs: /init and the selftest module.
	in_root $cc -static -nostdlib -ffreestanding -fno-stack-protector -O2 -o "$out/altcall-init" "$top/kernel/test/init.c"
	cat >"$out/initramfs.list" <<LIST
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
file /init $out/altcall-init 0755 0 0
file /altcall_selftest_module.ko $out/kernel/altcall/altcall_selftest_module.ko 0644 0 0
nod /dev/kvm 0600 0 0 c 10 232
LIST
	# Built by the kernel's host compiler: the root's glibc with --gcc.
	in_root "$out/usr/gen_init_cpio" "$out/initramfs.list" >"$out/initramfs.cpio"
}

for version in $versions; do
	kit=$top/kernel/linux-$version
	pristine=$(pristine_tree "$version")
	# A working copy of the pristine tree per kit.patch version.
	src=$cache/src-$version
	if ! cmp -s "$src/.altcall-kit.patch" "$kit/kit.patch"; then
		rm -rf "$src"
		cp -a "$pristine" "$src"
	fi
	sh "$top/scripts/kernel-kit.sh" "$src"

	for arch in $arches; do
		case $arch in
		x86_64) karch=x86_64; cross=""; image=arch/x86/boot/bzImage
			ccname=gcc
			# One TCG thread for both vCPUs: multi-threaded TCG does not
			# order an x86 vCPU's instruction fetch after another's code
			# writes and sync_core IPIs as the hardware does (the live
			# selftest then sees a CPU execute an int3 after text_poke_bp
			# removed it and synced: docs/kernel.md); round-robin vCPUs
			# still interleave with the re-patching.
			qemu="qemu-system-x86_64 -smp 2 -m 256M -accel tcg,thread=single"
			machine=pc cpu=qemu64 kvm_machine="" kvm_cpu="" kvm_mode=""
			console=ttyS0 ;;
		arm64) karch=arm64; cross=aarch64-linux-gnu-; image=arch/arm64/boot/Image
			ccname=aarch64-linux-gnu-gcc
			qemu="qemu-system-aarch64 -smp 2 -m 256M"
			machine=virt cpu=cortex-a57
			# qemu's EL2 and GICv3 for KVM (pauth-impdef: TCG's fast PAC).
			kvm_machine=virt,virtualization=on,gic-version=3
			kvm_cpu=max,pauth-impdef=on
			kvm_mode=kvm-arm.mode=nvhe
			console=ttyAMA0 ;;
		*) echo "kernel-test: unknown arch $arch" >&2; exit 2 ;;
		esac
		cc=$(compiler_for $ccname)
		plugin=$(plugin_for $ccname)
		[ -f "$plugin" ] || { echo "kernel-test: build the plugin first ($plugin)" >&2; exit 1; }
		# What the kernel's "Linux version" line must name (init/Makefile
		# puts "$CC --version"'s first line there).
		cc_text=$(in_root $cc --version | head -n 1)

		build_kernel plugin
		boot_and_check on "" "" "altcall_feature=5 altcall=verbose" ""
		boot_and_check off "$kvm_machine" "$kvm_cpu" "altcall_feature=5 altcall=off $kvm_mode" ""
		cat "$top/kernel/common/boots.$arch" "$kit/boots.$arch" 2>/dev/null | grep -v '^#' |
		while IFS='|' read -r mode bmachine bcpu cmdline need; do
			boot_and_check "$mode" "$bmachine" "$bcpu" "altcall_feature=5 altcall=verbose $cmdline" "$need"
			echo "$failures" >"$out/.failures"
		done
		failures=$(cat "$out/.failures" 2>/dev/null || echo "$failures")
		rm -f "$out/.failures"
		# CONFIG_ALTCALL=n: the same selftests must reach the arms the
		# features choose, through the published state alone (nVHE hyp
		# sites: through their cpucaps).
		[ -z "$plugin_only" ] || continue
		build_kernel noplugin
		boot_and_check noplugin "$kvm_machine" "$kvm_cpu" "altcall_feature=5 $kvm_mode" ""
	done
done

if [ $failures -ne 0 ]; then
	echo "kernel-test: $failures failures"
	exit 1
fi
echo "kernel-test: passed (Linux $(echo $versions); $(echo $arches)${gcc:+; GCC $gcc})"
