#!/bin/sh
# The whole-kernel no-op guarantee: Linux 6.1 (no kit, so no sites) built
# with the altcall plugin loaded into every kernel C compile and without
# it has byte-identical vmlinux .text; also the build time of each.
#
#   scripts/kernel-noop.sh [--arch x86_64|arm64]... [--plugin-dir DIR]
#
# The configuration is kernel-test.sh's for 6.1 (tinyconfig +
# kernel/common/$arch.config + kernel/linux-6.1/$arch.config).
# Run by hand (about 10 minutes per arch on 2 cores); its result is in
# docs/kernel.md and bench/RESULTS.md.
set -eu
. "$(dirname "$0")/kernel-common.sh"
pristine=$(pristine_tree 6.1)
status=0
for arch in $arches; do
	case $arch in
	x86_64) cross=""; image=bzImage; plugin=$(plugin_for gcc); objcopy=objcopy ;;
	arm64) cross=aarch64-linux-gnu-; image=Image; plugin=$(plugin_for aarch64-linux-gnu-gcc)
		objcopy=aarch64-linux-gnu-objcopy ;;
	esac
	for variant in plain plugin; do
		out=$cache/noop-$arch-$variant
		rm -rf "$out"
		mkdir -p "$out"
		kcflags=""
		[ $variant = plugin ] && kcflags="-fplugin=$plugin"
		mk="make -C $pristine O=$out ARCH=$arch CROSS_COMPILE=$cross"
		$mk -s tinyconfig >/dev/null 2>&1
		cat "$top/kernel/common/$arch.config" "$top/kernel/linux-6.1/$arch.config" >>"$out/.config"
		$mk -s olddefconfig >/dev/null 2>&1
		start=$(date +%s)
		$mk -j"$jobs" KCFLAGS="$kcflags" $image >"$out/build.log" 2>&1 ||
			{ tail -20 "$out/build.log"; exit 1; }
		echo "kernel-noop[$arch]: $variant build: $(( $(date +%s) - start )) s"
		$objcopy -O binary --only-section=.text "$out/vmlinux" "$out/text.bin"
	done
	if cmp -s "$cache/noop-$arch-plain/text.bin" "$cache/noop-$arch-plugin/text.bin"; then
		echo "kernel-noop[$arch]: vmlinux .text identical ($(wc -c <"$cache/noop-$arch-plain/text.bin") bytes)"
	else
		echo "kernel-noop[$arch]: vmlinux .text DIFFERS"
		status=1
	fi
done
exit $status
