#!/bin/sh
# The altcall kernel test: apply the kit to Linux 6.1, build tinyconfig plus
# kernel/config/$arch.config (CONFIG_WERROR, SMP, modules, hardening) with
# the plugin, boot it in qemu on two CPUs, and check the boot log.
#
#   scripts/kernel-test.sh [--arch x86_64|arm64]... [--plugin-dir DIR]
#
# Both arches by default; the plugins are those built for gcc and
# aarch64-linux-gnu-gcc in DIR (DIR/gcc-12/altcall.so, ...), DIR defaulting
# to build/plugin.
#
# Exit 0 only if, for every arch: the build is clean (0 objtool, 0 orphan
# and 0 other warnings), and a boot with altcall_feature=5 altcall=verbose
# reaches user space with the selftest (with its live re-patch test) and
# selftest-module lines passed,
# the real sites calling their expected targets, no refused site and no
# WARNING/BUG/Oops; a boot with altcall=off passes the selftests with
# every site on its default; and a kernel built with CONFIG_ALTCALL=n
# (every site a branch) passes the same selftests, reaching the arms the
# features choose (not what the runtime says it published).
#
# The unpacked tree and the builds live in $ALTCALL_KERNEL_CACHE (default
# /var/cache/altcall-kernel), outside the checkout: an unchanged kit and
# plugin reuse the build, anything else rebuilds what changed.  Needs the
# plugins built (ninja -C build).
set -eu
. "$(dirname "$0")/kernel-common.sh"

# A working copy of the pristine tree per kit.patch version.
src=$cache/src
if ! cmp -s "$src/.altcall-kit.patch" "$top/kernel/linux-6.1/kit.patch"; then
	rm -rf "$src"
	cp -a "$pristine" "$src"
fi
sh "$top/scripts/kernel-kit.sh" "$src"

failures=0
fail() {
	echo "kernel-test[$arch]: FAIL: $*"
	failures=$((failures + 1))
}

# Lines the boot log must contain, per arch: the real sites at their
# patched targets.  See docs/kernel.md for why each is correct.
real_sites() {
	case $1 in
	x86_64) printf '%s\n' \
		'site arch_cpu_idle+0x[0-9a-f]*/0x[0-9a-f]* -> \(default_idle\|amd_e400_idle\|mwait_idle\)+0x0/' \
		'site [a-z_]*flush_tlb_all+0x[0-9a-f]*/0x[0-9a-f]* -> flush_tlb_all_pge+0x0/' \
		;;
	arm64) printf '%s\n' \
		'site arch_counter_read+0x[0-9a-f]*/0x[0-9a-f]* -> arch_counter_get_cntvct+0x0/' \
		'site arch_counter_read_cc+0x[0-9a-f]*/0x[0-9a-f]* -> arch_counter_get_cntvct+0x0/' \
		'site check_and_switch_context+0x[0-9a-f]*/0x[0-9a-f]* -> bp_hardening_cb+0x0/' \
		;;
	esac
}

# Boot in qemu until the kernel powers off or halts (x86 without PCI
# cannot power off through ACPI), panics, or 300 s pass.
boot() {	# image, command line, log
	$qemu -nographic -no-reboot -kernel "$1" -initrd "$out/initramfs.cpio" \
		-append "$2" </dev/null >"$3.raw" 2>&1 &
	qemu_pid=$!
	waited=0
	while kill -0 $qemu_pid 2>/dev/null && [ $waited -lt 300 ]; do
		grep -Eq 'reboot: (System halted|Power down)|end Kernel panic' "$3.raw" && break
		sleep 1
		waited=$((waited + 1))
	done
	kill $qemu_pid 2>/dev/null || true
	wait $qemu_pid 2>/dev/null || true
	tr -d '\r' <"$3.raw" >"$3"
	rm -f "$3.raw"
}

check_boot() {	# log, mode (on|off)
	log=$1
	grep -q 'altcall-init: module loaded' "$log" || fail "$2: /init did not load the selftest module"
	grep -q 'altcall-init: reached user space' "$log" || fail "$2: boot did not reach user space"
	grep -Eq 'smp: Brought up 1 node, 2 CPUs|SMP: Total of 2 processors activated' "$log" ||
		fail "$2: the second CPU did not come up"
	grep -q 'altcall selftest: passed' "$log" || fail "$2: no passing selftest line"
	grep -q 'altcall selftest module: passed' "$log" || fail "$2: no passing selftest module line"
	if grep -E 'FAILED| refused:|WARNING:|BUG:|Oops|Kernel panic|Call Trace' "$log"; then
		fail "$2: errors in the boot log"
	fi
	if [ "$2" = on ]; then
		grep -Eq 'altcall: vmlinux: [1-9][0-9]* sites, [1-9][0-9]* patched, 0 refused' "$log" &&
		grep -Eq 'altcall: vmlinux \(end of init\): [1-9][0-9]* sites, [0-9]* patched, 0 refused, 0 pointers' "$log" ||
			fail "on: no vmlinux apply line"
		grep -Eq 'altcall selftest: passed: .*\([1-9][0-9]* alternatives\)' "$log" ||
			fail "on: the selftest took no alternative"
		grep -Eq 'altcall selftest: passed live: [1-9][0-9]* re-applies while CPU [0-9]+ made [1-9][0-9]* calls: 0 wrong, 0 late' "$log" ||
			fail "on: no passing live re-patch line"
		real_sites "$arch" | while read -r pattern; do
			grep -q -- "$pattern" "$log" || echo "$pattern"
		done >"$log.missing"
		[ ! -s "$log.missing" ] || fail "on: real sites not patched: $(cat "$log.missing")"
	elif [ "$2" = noplugin ]; then
		grep -Eq 'altcall: vmlinux: 0 sites, 0 patched, 0 refused' "$log" ||
			fail "noplugin: no vmlinux apply line (or records without the plugin)"
		grep -Eq 'altcall selftest: passed: .*\([1-9][0-9]* alternatives\)' "$log" ||
			fail "noplugin: the selftest took no alternative"
		grep -Eq 'altcall selftest module: passed: .*\([1-9][0-9]* alternatives\)' "$log" ||
			fail "noplugin: the selftest module took no alternative"
		grep -Eq 'altcall selftest: passed live: [1-9][0-9]* re-applies while CPU [0-9]+ made [1-9][0-9]* calls: 0 wrong, 0 late' "$log" ||
			fail "noplugin: no passing live re-apply line"
	else
		! grep -q 'altcall: vmlinux:' "$log" || fail "off: altcall=off still applied"
	fi
}

# Build one kernel: $1 = plugin (CONFIG_ALTCALL=y) or noplugin
# (CONFIG_ALTCALL=n: every site a branch on the published state).  Sets out.
build_kernel() {
	kind=$1
	out=$cache/build-$arch
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
	mk="make -C $src O=$out ARCH=$karch CROSS_COMPILE=$cross ALTCALL_PLUGIN=$out/altcall.so"
	$mk -s tinyconfig >/dev/null 2>&1
	{ cat "$top/kernel/config/$arch.config"
	  printf 'CONFIG_ALTCALL=%s\nCONFIG_ALTCALL_SELFTEST=y\nCONFIG_ALTCALL_SELFTEST_MODULE=m\n' $altcall
	} >"$out/fragment.config"
	cat "$out/fragment.config" >>"$out/.config"
	$mk -s olddefconfig >/dev/null 2>&1
	grep -E '^CONFIG_[A-Z0-9_]+=[ym]$' "$out/fragment.config" | while read -r line; do
		grep -qx "$line" "$out/.config" || echo "kernel-test[$arch $kind]: $line did not survive olddefconfig"
	done | tee "$out/dropped"
	[ ! -s "$out/dropped" ] || { fail "$kind: configuration"; return 1; }
	if [ $altcall = n ] && grep -q '^CONFIG_ALTCALL=y' "$out/.config"; then
		fail "$kind: CONFIG_ALTCALL is set"
		return 1
	fi

	echo "kernel-test[$arch $kind]: building (log: $out/build.log)"
	start=$(date +%s)
	if ! $mk -j"$jobs" "$(basename $image)" modules >"$out/build.log" 2>&1; then
		tail -40 "$out/build.log"
		fail "$kind: build failed"
		return 1
	fi
	echo "kernel-test[$arch $kind]: built in $(( $(date +%s) - start )) s"
	# The selftest's pointer sites on init data that their unit cannot
	# see: modpost must name exactly their trampolines (the kernel catches
	# them at build time: docs/kernel.md), and nothing else may warn.
	initdata='section mismatch in reference: __altcall_tramp\.selftest_initdata_(ops|null)\.0 \(section: \.text\.altcall_tramp\) -> selftest_initdata_(ops|null) \(section: \.init\.data\)$'
	grep -E 'warning|WARNING' "$out/build.log" | grep -Ev "$initdata" >"$out/warnings" || true
	[ ! -s "$out/warnings" ] || { cat "$out/warnings"; fail "$kind: $(wc -l <"$out/warnings") build warnings"; }
	if [ $kind = plugin ]; then
		[ "$(grep -E "$initdata" "$out/build.log" | sed -E 's/.*(tramp\.[a-z_]*).*/\1/' | sort -u | wc -l)" = 2 ] ||
			fail "$kind: modpost did not report both init-data pointer sites"
	fi
	if [ $arch = x86_64 ] && [ $kind = plugin ]; then
		# Targets reached only through sites keep no ENDBR: objtool does
		# not count the records as taking their address.
		python3 "$top/kernel/test/ibt-sealed.py" "$out/vmlinux" \
			flush_tlb_all_pge flush_tlb_all_checked >"$out/sealed"
		! grep 'not sealed' "$out/sealed" || fail "IBT: site targets not sealed"
	fi

	# initramfs: /init and the selftest module.
	$cc -static -nostdlib -ffreestanding -fno-stack-protector -O2 -o "$out/altcall-init" "$top/kernel/test/init.c"
	cat >"$out/initramfs.list" <<LIST
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
file /init $out/altcall-init 0755 0 0
file /altcall_selftest_module.ko $out/kernel/altcall/altcall_selftest_module.ko 0644 0 0
LIST
	"$out/usr/gen_init_cpio" "$out/initramfs.list" >"$out/initramfs.cpio"
}

for arch in $arches; do
	case $arch in
	x86_64) karch=x86_64; cross=""; image=arch/x86/boot/bzImage
		cc=gcc; plugin=$(plugin_for gcc)
		# One TCG thread for both vCPUs: multi-threaded TCG does not
		# order an x86 vCPU's instruction fetch after another's code
		# writes and sync_core IPIs as the hardware does (the live
		# selftest then sees a CPU execute an int3 after text_poke_bp
		# removed it and synced: docs/kernel.md); round-robin vCPUs
		# still interleave with the re-patching.
		qemu="qemu-system-x86_64 -M pc -cpu qemu64 -smp 2 -m 256M -accel tcg,thread=single"
		console=ttyS0 ;;
	arm64) karch=arm64; cross=aarch64-linux-gnu-; image=arch/arm64/boot/Image
		cc=aarch64-linux-gnu-gcc; plugin=$(plugin_for aarch64-linux-gnu-gcc)
		qemu="qemu-system-aarch64 -M virt -cpu cortex-a57 -smp 2 -m 256M"
		console=ttyAMA0 ;;
	*) echo "kernel-test: unknown arch $arch" >&2; exit 2 ;;
	esac
	[ -f "$plugin" ] || { echo "kernel-test: build the plugin first ($plugin)" >&2; exit 1; }

	if build_kernel plugin; then
		for mode in on off; do
			args="console=$console panic=-1 altcall_feature=5"
			[ $mode = on ] && args="$args altcall=verbose" || args="$args altcall=off"
			log=$out/boot-$mode.log
			boot "$out/$image" "$args" "$log"
			check_boot "$log" $mode
			echo "kernel-test[$arch]: boot with altcall=$mode: log $log"
		done
		grep -E 'altcall( selftest)?( module)?: (vmlinux|passed|FAILED)' "$out/boot-on.log" | sed "s/^/kernel-test[$arch]:   /"
	fi

	# CONFIG_ALTCALL=n: the same selftests must reach the arms the
	# features choose, through the published state alone.
	if build_kernel noplugin; then
		log=$out/boot-noplugin.log
		boot "$out/$image" "console=$console panic=-1 altcall_feature=5" "$log"
		check_boot "$log" noplugin
		echo "kernel-test[$arch]: boot with CONFIG_ALTCALL=n: log $log"
		grep -E 'altcall( selftest)?( module)?: (vmlinux|passed|FAILED)' "$log" | sed "s/^/kernel-test[$arch noplugin]:   /"
	fi
done

if [ $failures -ne 0 ]; then
	echo "kernel-test: $failures failures"
	exit 1
fi
echo "kernel-test: passed ($arches )"
