#!/bin/sh
# The whole-kernel no-op guarantee: Linux 6.1 (no kit, so no sites) built
# with the altcall plugin loaded into every kernel C compile and without
# it has byte-identical vmlinux .text; also the build time of each.
#
#   scripts/kernel-noop.sh [--arch x86_64|arm64]... [--plugin-dir DIR]
#
# The configuration is kernel-test.sh's (tinyconfig + kernel/config/$arch.config).
# Run by hand (about 10 minutes per arch on 2 cores); its result is in
# docs/kernel.md and bench/RESULTS.md.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${ALTCALL_KERNEL_CACHE:-/var/cache/altcall-kernel}
arches=""
plugins=$top/build/plugin
while [ $# -gt 0 ]; do
	case $1 in
	--arch) arches="$arches ${2:?--arch x86_64|arm64}"; shift 2 ;;
	--plugin-dir) plugins=$(cd "${2:?--plugin-dir DIR}" && pwd); shift 2 ;;
	*) echo "usage: $0 [--arch x86_64|arm64]... [--plugin-dir DIR]" >&2; exit 2 ;;
	esac
done
[ -n "$arches" ] || arches="x86_64 arm64"
sh "$top/scripts/install-deps.sh" --kernel
export KBUILD_BUILD_TIMESTAMP='Thu Jan  1 00:00:00 UTC 2026'
export KBUILD_BUILD_USER=altcall KBUILD_BUILD_HOST=altcall KBUILD_BUILD_VERSION=1
export LC_ALL=C TZ=UTC
pristine=$cache/linux-6.1
if [ ! -f "$pristine/.altcall-unpacked" ]; then
	rm -rf "$pristine" "$cache/linux-source-6.1"
	mkdir -p "$cache"
	tar -C "$cache" -xf /usr/src/linux-source-6.1.tar.xz
	mv "$cache/linux-source-6.1" "$pristine"
	touch "$pristine/.altcall-unpacked"
fi
status=0
for arch in $arches; do
	case $arch in
	x86_64) cross=""; image=bzImage; plugin=$plugins/altcall.so; objcopy=objcopy ;;
	arm64) cross=aarch64-linux-gnu-; image=Image; plugin=$plugins/aarch64/altcall.so
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
		cat "$top/kernel/config/$arch.config" >>"$out/.config"
		$mk -s olddefconfig >/dev/null 2>&1
		start=$(date +%s)
		$mk -j"$(nproc)" KCFLAGS="$kcflags" $image >"$out/build.log" 2>&1 ||
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
