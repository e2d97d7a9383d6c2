# Sourced by scripts/kernel-test.sh and scripts/kernel-noop.sh: their
# options, packages, reproducible-build environment, and the pristine Linux
# trees unpacked once in $cache.  Sets top, cache, arches, versions, plugins,
# jobs; plugin_for CC prints the plugin built for CC; pristine_tree VERSION
# unpacks Debian's linux-source-VERSION once and prints its path.
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${ALTCALL_KERNEL_CACHE:-/var/cache/altcall-kernel}
arches=""
versions=""
plugins=$top/build/plugin
while [ $# -gt 0 ]; do
	case $1 in
	--arch) arches="$arches ${2:?--arch x86_64|arm64}"; shift 2 ;;
	--kernel) versions="$versions ${2:?--kernel VERSION}"; shift 2 ;;
	--plugin-dir) plugins=$(cd "${2:?--plugin-dir DIR}" && pwd); shift 2 ;;
	*) echo "usage: $0 [--kernel VERSION]... [--arch x86_64|arm64]... [--plugin-dir DIR]" >&2; exit 2 ;;
	esac
done
# Every kit (kernel/linux-VERSION/) by default.
[ -n "$versions" ] || versions=$(cd "$top/kernel" && ls -d linux-* | sed 's/^linux-//' | sort -V | tr '\n' ' ')
for v in $versions; do
	[ -f "$top/kernel/linux-$v/kit.patch" ] || { echo "$0: no kit for Linux $v" >&2; exit 2; }
done
[ -n "$arches" ] || arches="x86_64 arm64"

# The build keeps one plugin per compiler version: DIR/gcc-12/altcall.so,
# DIR/aarch64-linux-gnu-gcc-12/altcall.so, ...
plugin_for() {
	echo "$plugins/$1-$($1 -dumpversion | cut -d. -f1)/altcall.so"
}

sh "$top/scripts/install-deps.sh" --kernel $versions
mkdir -p "$cache"
jobs=$(nproc)

# Reproducible builds, so that an unchanged input gives unchanged objects.
export KBUILD_BUILD_TIMESTAMP='Thu Jan  1 00:00:00 UTC 2026'
export KBUILD_BUILD_USER=altcall KBUILD_BUILD_HOST=altcall KBUILD_BUILD_VERSION=1
export LC_ALL=C TZ=UTC

pristine_tree() {	# version
	if [ ! -f "$cache/linux-$1/.altcall-unpacked" ]; then
		rm -rf "$cache/linux-$1" "$cache/linux-source-$1"
		tar -C "$cache" -xf "/usr/src/linux-source-$1.tar.xz"
		mv "$cache/linux-source-$1" "$cache/linux-$1"
		touch "$cache/linux-$1/.altcall-unpacked"
	fi
	echo "$cache/linux-$1"
}
