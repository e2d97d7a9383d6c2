#!/bin/sh
# The whole-kernel no-op guarantee: Linux (6.1 by default; no kit, so no
# sites) built with the altcall plugin loaded into every kernel C compile
# and without it has byte-identical vmlinux .text; also the build time of
# each.
#
#   scripts/kernel-noop.sh [--kernel VERSION]... [--arch x86_64|arm64]... [--plugin-dir DIR] [--gcc N]
#
# The configuration is kernel-test.sh's for that version (tinyconfig +
# kernel/common/$arch.config + kernel/linux-VERSION/$arch.config), on the
# pristine tree.  --gcc N builds both with GCC N and its plugin, inside the
# Debian root that has it when the host does not, as kernel-test.sh --gcc
# does (scripts/kernel-common.sh); run for 6.12 x86-64 with trixie's GCC 14
# (--kernel 6.12 --arch x86_64 --gcc 14).  Lines are tagged
# "kernel-noop[ARCH]" for 6.1 with gcc (bench/kernel.sh reads them), else
# "kernel-noop[ARCH VERSION]", "kernel-noop[ARCH VERSION gcc-N]"; the
# builds are $ALTCALL_KERNEL_CACHE/noop-ARCH[-VERSION][-gccN]-{plain,plugin}.
# Run by hand (about 10 minutes per arch and version on 2 cores); its
# results are in docs/kernel.md and bench/RESULTS.md.
set -eu
# Linux 6.1 unless a --kernel is given.
case " $* " in
*" --kernel "*) ;;
*) set -- --kernel 6.1 "$@" ;;
esac
. "$(dirname "$0")/kernel-common.sh"
status=0
for version in $versions; do
	pristine=$(pristine_tree "$version")
	for arch in $arches; do
		case $arch in
		x86_64) cross=""; image=bzImage; ccname=gcc; objcopy=objcopy ;;
		arm64) cross=aarch64-linux-gnu-; image=Image; ccname=aarch64-linux-gnu-gcc
			objcopy=aarch64-linux-gnu-objcopy ;;
		esac
		plugin=$(plugin_for $ccname)
		[ -f "$plugin" ] || { echo "kernel-noop: build the plugin first ($plugin)" >&2; exit 1; }
		name=$arch
		tag=$arch
		[ "$version" = 6.1 ] || { name=$name-$version; tag="$tag $version"; }
		[ -z "$gcc" ] || { name=$name-gcc$gcc; tag="$tag gcc-$gcc"; }
		for variant in plain plugin; do
			out=$cache/noop-$name-$variant
			rm -rf "$out"
			mkdir -p "$out"
			kcflags=""
			[ $variant = plugin ] && kcflags="-fplugin=$plugin"
			mk="in_root make -C $pristine O=$out ARCH=$arch CROSS_COMPILE=$cross $(make_cc $ccname)"
			$mk -s tinyconfig >/dev/null 2>&1
			cat "$top/kernel/common/$arch.config" "$top/kernel/linux-$version/$arch.config" >>"$out/.config"
			$mk -s olddefconfig >/dev/null 2>&1
			start=$(date +%s)
			$mk -j"$jobs" KCFLAGS="$kcflags" $image >"$out/build.log" 2>&1 ||
				{ tail -20 "$out/build.log"; exit 1; }
			echo "kernel-noop[$tag]: $variant build: $(( $(date +%s) - start )) s"
			in_root $objcopy -O binary --only-section=.text "$out/vmlinux" "$out/text.bin"
		done
		echo "kernel-noop[$tag]: $(grep -a -o 'Linux version [^#]*' "$cache/noop-$name-plugin/vmlinux" | head -n 1)"
		if cmp -s "$cache/noop-$name-plain/text.bin" "$cache/noop-$name-plugin/text.bin"; then
			echo "kernel-noop[$tag]: vmlinux .text identical ($(wc -c <"$cache/noop-$name-plain/text.bin") bytes)"
		else
			echo "kernel-noop[$tag]: vmlinux .text DIFFERS"
			status=1
		fi
		# Told, not required: the rest of vmlinux (data, symbols) too.
		if cmp -s "$cache/noop-$name-plain/vmlinux" "$cache/noop-$name-plugin/vmlinux"; then
			echo "kernel-noop[$tag]: the whole vmlinux is identical too"
		fi
	done
done
exit $status
