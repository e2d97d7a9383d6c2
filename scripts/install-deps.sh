#!/bin/sh
# Install the Debian 12 packages altcall needs, only those missing, and set
# up the Debian roots with GCC 13 to 16 (scripts/chroots.sh: cached, made
# once, remade when their package list changes).
# Usage: scripts/install-deps.sh [--no-arm64] [--no-chroots] [--bench] [--kernel [VERSION...]] [--xen [VERSION...]]
#   --no-chroots: not the roots (the demo needs none)
#   --bench: also what bench/run.sh's kernel compile-time part needs
#   --kernel: also what scripts/kernel-test.sh needs, with the sources of
#             Linux VERSION... (default: every kit, kernel/linux-VERSION/)
#   --xen:    also what scripts/xen-test.sh needs; then fetches, once, the
#             Xen VERSION... sources and the dom0 kernel into the Xen cache
#             (scripts/xen-fetch.sh; default: every kit, xen/xen-VERSION/)
set -eu
pkgs="gcc g++ gcc-12-plugin-dev gcc-11 g++-11 gcc-11-plugin-dev meson ninja-build llvm-14-tools libelf-dev pkg-config python3 make ccache distcc valgrind csmith libcsmith-dev clang-14 libclang-rt-14-dev debootstrap"
arm64="gcc-aarch64-linux-gnu gcc-12-plugin-dev-aarch64-linux-gnu gcc-11-aarch64-linux-gnu gcc-11-plugin-dev-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user"
for arg in "$@"; do
	case $arg in
	--no-arm64) arm64="" ;;
	--no-chroots) no_chroots=y ;;
	--bench) pkgs="$pkgs linux-source-6.1 flex bison bc libssl-dev" ;;
	--xen) xen=y; kernel=""
		pkgs="$pkgs flex bison python3 cpio dpkg-dev xz-utils qemu-system-x86" ;;
	--kernel) kernel=y; kernel_any=y; xen=""
		pkgs="$pkgs flex bison bc libssl-dev libelf-dev cpio xz-utils qemu-system-x86 qemu-system-arm" ;;
	[0-9]*) if [ -n "${xen:-}" ]; then
			xen_versions="${xen_versions:-} $arg"
		else
			[ -n "${kernel:-}" ] || { echo "$0: a version follows --kernel or --xen" >&2; exit 2; }
			sources="${sources:-} linux-source-$arg"
		fi ;;
	*) echo "usage: $0 [--no-arm64] [--no-chroots] [--bench] [--kernel [VERSION...]] [--xen [VERSION...]]" >&2; exit 2 ;;
	esac
done
xen_fetch=""
for arg in "$@"; do
	[ "$arg" != --xen ] || xen_fetch=y
done
if [ -n "${kernel_any:-}" ] && [ -z "${sources:-}" ]; then
	for kit in "$(dirname "$0")"/../kernel/linux-*/kit.patch; do
		v=${kit%/kit.patch}
		sources="${sources:-} linux-source-${v##*/linux-}"
	done
fi
pkgs="$pkgs ${sources:-}"
pkgs="$pkgs $arm64"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
if [ -n "$missing" ]; then
	echo "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
[ -z "$xen_fetch" ] || sh "$(dirname "$0")/xen-fetch.sh" ${xen_versions:-}
[ -z "${no_chroots:-}" ] || exit 0
if [ -n "$arm64" ]; then
	$SUDO sh "$(dirname "$0")/chroots.sh" setup
else
	$SUDO sh "$(dirname "$0")/chroots.sh" setup --no-arm64
fi
