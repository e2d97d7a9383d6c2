#!/bin/sh
# The altcall Xen test: for every Xen kit (xen/xen-VERSION/), apply the kit
# to Debian's xen source, build the x86-64 hypervisor with altcall
# (CONFIG_ALTCALL=y) and without it (=n, Xen's own alternative_call asm),
# boot each under qemu TCG with Debian 12's stock kernel as a PV dom0 and a
# one-binary initramfs, and check the logs.
#
#   scripts/xen-test.sh [--xen VERSION]... [--config CONFIG]... [--plugin-dir DIR]
#
# Every kit and every configuration by default (the suite, for its time,
# runs --config debug: docs/xen.md); the plugin is DIR/gcc-N/altcall.so
# for gcc (DIR: build/plugin).  The configurations (CONFIG): "debug" = defconfig + DEBUG
# (assertions) + XSM + LIVEPATCH=n, the one where ops objects live in init
# memory (xsm_ops, vpmu_ops), built in every MODE: "on" (altcall), "off"
# and "noop" (off, with the plugin loaded into every hypervisor C compile:
# every loaded byte of xen-syms but the build id must be the off build's;
# not booted, it is the off build); "release" = defconfig (no DEBUG,
# LIVEPATCH=y, so CC_SPLIT_SECTIONS), "on" only (its off build is Xen's
# own asm, which the debug off boot covers; docs/xen.md).  Each run
# prints "xen-test[VERSION CONFIG MODE]: PASS" or "... FAIL: why", and
# "xen-test[VERSION CONFIG MODE]: log FILE" (kept).  A boot passes if the
# build had 0 warnings (compiler, linker orphans), Xen's check-endbr.sh
# passed, every address-taken function of altcall's runtime and platform
# starts with endbr64 (test/Inputs/check-endbr.py),
# dom0 reached /init, the log has no assertion, BUG, WARN, panic or fatal
# trap; "on" also needs both applies with 0 refused, every pointer site
# read back as a direct call to its pointer's value or sealed (0 wrong,
# 0 left on a trampoline, 0 targets without endbr64) and the selftest's
# pass line; "off" no altcall line at all.  Every "on" build also needs its
# init sites' trampolines in init text (and no other there), and the
# boot-only runtime core (common/altcall/runtime.init.o) in init memory
# with no reference to it from outside init sections.
#
# Trees and builds live in $ALTCALL_XEN_CACHE (default
# /var/cache/altcall-xen): an unchanged kit, plugin and configuration reuse
# the build.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${ALTCALL_XEN_CACHE:-/var/cache/altcall-xen}
versions=""
configs=""
plugins=$top/build/plugin
while [ $# -gt 0 ]; do
	case $1 in
	--xen) versions="$versions ${2:?--xen VERSION}"; shift 2 ;;
	--config)
		case ${2:-} in
		debug|release) configs="$configs $2" ;;
		*) echo "$0: --config debug or release" >&2; exit 2 ;;
		esac
		shift 2 ;;
	--plugin-dir) plugins=$(cd "${2:?--plugin-dir DIR}" && pwd); shift 2 ;;
	*) echo "usage: $0 [--xen VERSION]... [--config CONFIG]... [--plugin-dir DIR]" >&2; exit 2 ;;
	esac
done
[ -n "$versions" ] || versions=$(cd "$top/xen" && ls -d xen-*/kit.patch | sed 's/^xen-//;s/\/kit.patch$//' | sort -V | tr '\n' ' ')
[ -n "$configs" ] || configs="debug release"
for v in $versions; do
	[ -f "$top/xen/xen-$v/kit.patch" ] || { echo "$0: no kit for Xen $v" >&2; exit 2; }
done
plugin=$plugins/gcc-$(gcc -dumpversion | cut -d. -f1)/altcall.so
[ -f "$plugin" ] || { echo "xen-test: build the plugin first ($plugin)" >&2; exit 1; }

# shellcheck disable=SC2086
sh "$top/scripts/install-deps.sh" --xen $versions
export LC_ALL=C TZ=UTC
# Reproducible: an unchanged input gives an unchanged xen.
export SOURCE_DATE_EPOCH=1767225600 XEN_BUILD_DATE='Thu Jan  1 00:00:00 UTC 2026'
export XEN_BUILD_TIME=00:00:00
export XEN_BUILD_HOST=altcall XEN_WHOAMI=altcall XEN_DOMAIN=altcall
jobs=$(nproc)
failures=0
tag=""
failed=0
fail() {
	echo "xen-test[$tag]: FAIL: $*"
	failed=1
}

# The dom0's initramfs: /init alone.
mkdir -p "$cache/initramfs/root/dev"
gcc -static -nostdlib -ffreestanding -fno-stack-protector -O2 \
	-o "$cache/initramfs/root/init" "$top/xen/test/init.c"
(cd "$cache/initramfs/root" && find . | sort | cpio -o -H newc --quiet -R 0:0) >"$cache/initramfs/initrd.cpio"

# Boot until Xen halts (dom0 powered off), panics, or 300 s pass.
boot() {	# xen, log
	: >"$2.raw"
	qemu-system-x86_64 -machine q35 -accel tcg -cpu qemu64 -smp 2 -m 2048 \
		-nographic -no-reboot -kernel "$1" \
		-initrd "$cache/dom0/vmlinuz console=hvc0 earlyprintk=xen panic=-1,$cache/initramfs/initrd.cpio" \
		-append "console=com1 dom0_mem=768M noreboot loglvl=all guest_loglvl=all" \
		</dev/null >"$2.raw" 2>&1 &
	qemu_pid=$!
	waited=0
	while kill -0 $qemu_pid 2>/dev/null && [ $waited -lt 300 ]; do
		grep -Eq 'Entering ACPI S5 state|Hardware Dom0 (halted|shutdown)|Panic on CPU|Reboot in five seconds|Kernel panic' "$2.raw" && break
		sleep 1
		waited=$((waited + 1))
	done
	sleep 1
	kill $qemu_pid 2>/dev/null || true
	wait $qemu_pid 2>/dev/null || true
	tr -d '\r' <"$2.raw" >"$2"
	rm -f "$2.raw"
	echo "$waited"
}

check_boot() {	# log, mode
	grep -q 'xen-test: dom0 reached /init' "$1" || fail "dom0 did not reach /init"
	# "Selftest 2 failed ... expected #SS, got #GP" is qemu TCG's, with or
	# without altcall (docs/xen.md).
	if grep -E 'Assertion .* failed|Xen BUG at|Xen WARN at|Panic on CPU|FATAL|Kernel panic|BUG:|WARNING:|has no endbr64' "$1"; then
		fail "errors in the boot log"
	fi
	case $2 in
	on)
		grep -Eq '^\(XEN\) altcall: boot apply: [1-9][0-9]* sites, [1-9][0-9]* patched, 0 refused' "$1" ||
			fail "no boot apply line"
		grep -Eq '^\(XEN\) altcall: last apply: [1-9][0-9]* sites, [0-9]* patched, 0 refused, 0 NULL' "$1" ||
			fail "no last apply line"
		grep -Eq '^\(XEN\) altcall: read back: [1-9][0-9]* direct, [0-9]* sealed NULL, 0 on trampoline, [0-9]* other, 0 wrong, 0 without endbr64' "$1" ||
			fail "no read-back line after the last apply"
		grep -Eq '^\(XEN\) altcall selftest: passed' "$1" || fail "no selftest pass line" ;;
	off)
		# Xen's own "altcall: Optimised away N endbr64" may appear on CET
		# hardware: only the kit's lines are altcall's.
		! grep -Eq '^\(XEN\) altcall( selftest)?: ((boot|last) apply|read back|passed|FAILED)' "$1" ||
			fail "altcall lines without altcall" ;;
	esac
}

build_xen() {	# out, config fragment lines (one argument), extra CFLAGS
	out=$1
	extra=${3:-}
	# Kbuild tracks command lines, not the plugin: a new plugin,
	# configuration or build environment, a new build from scratch;
	# otherwise make rebuilds what changed, and nothing at all when no
	# input did.
	key=$( { sha256sum "$plugin" | cut -c1-16
		 printf '%s\n' "$2" "$extra" "$XEN_BUILD_DATE $XEN_BUILD_TIME"; } | sha256sum | cut -c1-16)
	inputs=$( { cat "$src/.altcall-kit.patch"
		   find "$top/xen" "$top/runtime" "$top/include" -type f | LC_ALL=C sort | xargs cat; } |
		 sha256sum | cut -c1-16)
	if [ "$(cat "$out/.altcall-key" 2>/dev/null)" != "$key" ]; then
		rm -rf "$out"
		mkdir -p "$out"
		cp "$plugin" "$out/altcall.so"
	fi
	mk="make -C $src/xen O=$out XEN_TARGET_ARCH=x86_64 ALTCALL_PLUGIN=$out/altcall.so"
	if [ ! -f "$out/.config" ]; then
		$mk -s defconfig >/dev/null 2>&1
		printf '%s\n' "$2" >>"$out/.config"
		$mk -s olddefconfig >/dev/null 2>&1
	fi
	printf '%s\n' "$2" | grep -E '^CONFIG_[A-Z0-9_]+=[ym]$' | while read -r line; do
		grep -qx "$line" "$out/.config" || echo "$line did not survive olddefconfig"
	done >"$out/dropped"
	[ ! -s "$out/dropped" ] || fail "configuration: $(cat "$out/dropped")"
	if [ -f "$out/xen" ] && [ "$(cat "$out/.altcall-inputs" 2>/dev/null)" = "$inputs" ]; then
		echo "xen-test[$tag]: reused the build ($out)"
	else
		echo "xen-test[$tag]: building (log: $out/build.log)"
		start=$(date +%s)
		rm -f "$out/.altcall-inputs"
		if ! nice -n 10 $mk EXTRA_CFLAGS_XEN_CORE="$extra" -j"$jobs" >"$out/build.log" 2>&1; then
			tail -30 "$out/build.log"
			fail "build failed"
			return 0
		fi
		echo "xen-test[$tag]: built in $(( $(date +%s) - start )) s"
		echo "$key" >"$out/.altcall-key"
		echo "$inputs" >"$out/.altcall-inputs"
	fi
	# Under -mmanual-endbr every address-taken function of the runtime
	# and the platform must start with endbr64 (Xen's check-endbr.sh
	# cannot see a missing one).
	if grep -q '^CONFIG_ALTCALL=y' "$out/.config" && grep -q '^CONFIG_XEN_IBT=y' "$out/.config"; then
		# The runtime objects runtime/Kbuild.sources names, and the platform.
		objs=$(sed -n 's/^altcall-core-\(y\|$(CONFIG_X86_64)\) [:+]= //p' "$top/runtime/Kbuild.sources")
		# shellcheck disable=SC2086
		(cd "$out/common/altcall" && ld -r $objs platform.o -o "$out/altcall-rt.o") &&
			python3 "$top/test/Inputs/check-endbr.py" "$out/altcall-rt.o" >"$out/endbr" ||
			{ grep MISSING "$out/endbr"; fail "runtime functions without endbr64"; }
	fi
	# Trampolines follow their sites: those of sites in init text are in
	# init text (__altcall_tramp.P.N.init.text), freed; the others in .text.
	if grep -q '^CONFIG_ALTCALL=y' "$out/.config"; then
		nm "$out/xen-syms" | awk '
			$3 == "_sinittext" { b = $1 "" }
			$3 == "_einittext" { e = $1 "" }
			$3 ~ /^__altcall_tramp\./ { n++; a[n] = $1 ""; s[n] = $3 }
			END {
				for (i = 1; i <= n; i++) {
					init = a[i] >= b && a[i] < e
					if (init != (s[i] ~ /\.init\.text$/))
						print "misplaced: " s[i]
					else if (init)
						ni++
					else
						nt++
				}
				printf "%d in .text, %d in init text\n", nt, ni
			}' >"$out/trampolines"
		echo "xen-test[$tag]: trampolines: $(tail -1 "$out/trampolines")"
		! grep misplaced "$out/trampolines" || fail "trampolines outside their sites' text"
		grep -q ' [1-9][0-9]* in init text$' "$out/trampolines" || fail "no trampoline in init text"
	fi
	# The boot-only runtime core (common/altcall/runtime.init.o, which
	# Xen's *.init.o rule checks has nothing outside init sections): each
	# of its symbols in init memory, and none referred to from anything but
	# init sections and the records (prelink.o's relocations).
	if grep -q '^CONFIG_ALTCALL=y' "$out/.config"; then
		nm -g --defined-only "$out/common/altcall/runtime.init.o" 2>/dev/null |
			awk '{ print $3 }' >"$out/runtime-symbols"
		if [ ! -s "$out/runtime-symbols" ]; then
			fail "no boot-only runtime (common/altcall/runtime.init.o)"
		else
			nm "$out/xen-syms" | awk -v list="$out/runtime-symbols" '
				BEGIN { while ((getline s < list) > 0) rt[s] = 1 }
				$3 == "__init_begin" { b = $1 "" }
				$3 == "__init_end" { e = $1 "" }
				($3 in rt) { a[$3] = $1 "" }
				END {
					for (s in a)
						if (!(a[s] >= b && a[s] < e))
							print "resident: " s
				}' >"$out/runtime-refs"
			readelf -rW "$out/prelink.o" | awk -v list="$out/runtime-symbols" '
				BEGIN { while ((getline s < list) > 0) rt[s] = 1 }
				/^Relocation section/ { sec = $3; gsub(/\047/, "", sec); next }
				sec ~ /^\.rela\.(init\.|debug|altcall_sites)/ { next }
				($5 in rt) { print "referred to from " sec ": " $5 }' >>"$out/runtime-refs"
			echo "xen-test[$tag]: boot-only runtime: $(wc -l <"$out/runtime-symbols") symbols in init memory, $(wc -l <"$out/runtime-refs") outside it or referred to from it"
			[ ! -s "$out/runtime-refs" ] || { head "$out/runtime-refs"; fail "the boot-only runtime is not init-only"; }
		fi
	fi
	# Compiler and linker (orphan sections) warnings; not the command lines.
	grep -Ei 'warning:' "$out/build.log" >"$out/warnings" || true
	[ ! -s "$out/warnings" ] || { cat "$out/warnings"; fail "$(wc -l <"$out/warnings") build warnings"; }
}

# The no-op check: the plugin loaded, CONFIG_ALTCALL off, changes nothing.
check_noop() {	# noop build, off build
	# build_xen writes .altcall-inputs once a build succeeded.
	[ -f "$2/.altcall-inputs" ] || { fail "no off build to compare with ($2)"; return 0; }
	# Every hypervisor C compile had the plugin (Kbuild's command lines).
	for o in common/.page_alloc.o.cmd arch/x86/.traps.o.cmd xsm/.xsm_core.o.cmd; do
		grep -q -- "-fplugin=$1/altcall.so " "$1/$o" 2>/dev/null ||
			fail "the plugin was not loaded ($o)"
	done
	# Every loaded byte (sections and their addresses), but the build id
	# (a hash of the whole file: the debug info names the build directory).
	for b in "$1" "$2"; do
		objcopy -O binary --remove-section=.note.gnu.build-id "$b/xen-syms" "$b/loaded.bin"
		objcopy -O binary --only-section=.text "$b/xen-syms" "$b/text.bin"
	done
	if cmp -s "$1/text.bin" "$2/text.bin" && cmp -s "$1/loaded.bin" "$2/loaded.bin"; then
		echo "xen-test[$tag]: .text identical to the off build's ($(wc -c <"$1/text.bin") bytes), and every other loaded byte but the build id"
	else
		cmp -s "$1/text.bin" "$2/text.bin" || fail ".text differs from the off build's"
		cmp -s "$1/loaded.bin" "$2/loaded.bin" || fail "loaded sections differ from the off build's"
	fi
}

for version in $versions; do
	kit=$top/xen/xen-$version
	pristine=$cache/xen-$version
	src=$cache/src-$version
	if ! cmp -s "$src/.altcall-kit.patch" "$kit/kit.patch"; then
		rm -rf "$src"
		cp -a "$pristine" "$src"
	fi
	sh "$top/scripts/xen-kit.sh" "$src"
	for config in $configs; do
	case $config in
	debug)
		# XSM with SILO as the default module (FLASK would need a
		# policy): xsm_ops is __initdata with LIVEPATCH=n.
		fragment='CONFIG_DEBUG=y
CONFIG_XSM=y
CONFIG_XSM_SILO=y
CONFIG_XSM_SILO_DEFAULT=y
CONFIG_LIVEPATCH=n
CONFIG_EXPERT=y'
		modes="on off noop" ;;
	release)
		# Xen's defaults: LIVEPATCH=y selects CC_SPLIT_SECTIONS
		# (every function in a .text.* section of its own).
		fragment='# CONFIG_DEBUG is not set
CONFIG_LIVEPATCH=y'
		modes="on" ;;
	esac
	for mode in $modes; do
		tag="$version $config $mode"
		failed=0
		out=$cache/build-$version-$config-$mode
		case $mode in
		on)
			build_xen "$out" "$fragment
CONFIG_ALTCALL=y
CONFIG_ALTCALL_SELFTEST=y" ;;
		off)
			build_xen "$out" "$fragment
CONFIG_ALTCALL=n" ;;
		noop)
			# The plugin in every hypervisor C compile (as the kit
			# passes it), CONFIG_ALTCALL off: no site anywhere.
			build_xen "$out" "$fragment
CONFIG_ALTCALL=n" "-fplugin=$out/altcall.so -fplugin-arg-altcall-no-register -fplugin-arg-altcall-init-pointers"
			[ $failed != 0 ] || check_noop "$out" "$cache/build-$version-$config-off" ;;
		esac
		log=$out/boot.log
		[ $mode != noop ] || log=$out/build.log
		if [ $failed = 0 ] && [ $mode != noop ]; then
			secs=$(boot "$out/xen" "$log")
			check_boot "$log" $mode
			echo "xen-test[$tag]: boot took $secs s"
		fi
		[ $failed = 0 ] && echo "xen-test[$tag]: PASS" || failures=$((failures + 1))
		echo "xen-test[$tag]: log $log"
		[ $failed != 0 ] || [ ! -f "$log" ] ||
			grep -E '^\(XEN\) altcall( selftest)?:' "$log" | sed "s/^/xen-test[$tag]:   /"
	done
	done
done

if [ $failures -ne 0 ]; then
	echo "xen-test: $failures failures"
	exit 1
fi
echo "xen-test: passed (Xen $(echo $versions))"
