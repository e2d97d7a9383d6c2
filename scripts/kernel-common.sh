# Sourced by scripts/kernel-test.sh and scripts/kernel-noop.sh: their
# options, packages, reproducible-build environment, and the pristine Linux
# trees unpacked once in $cache.  Sets top, cache, arches, versions, plugins,
# jobs, gcc (the --gcc major, or empty), root (the Debian root that
# compiler runs in, or empty) and plugin_only (--plugin-only: kernel-test.sh
# makes no CONFIG_ALTCALL=n build); plugin_for CC prints the plugin built for CC;
# compiler_for CC prints the compiler the kernel is built with (CC itself,
# or CC-N with --gcc N); in_root CMD... runs CMD where that compiler is;
# make_cc prints make's compiler variables for it; pristine_tree VERSION
# unpacks Debian's linux-source-VERSION once and prints its path.
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${ALTCALL_KERNEL_CACHE:-/var/cache/altcall-kernel}
arches=""
versions=""
plugins=$top/build/plugin
gcc=""
plugin_only=""
while [ $# -gt 0 ]; do
	case $1 in
	--arch) arches="$arches ${2:?--arch x86_64|arm64}"; shift 2 ;;
	--kernel) versions="$versions ${2:?--kernel VERSION}"; shift 2 ;;
	--plugin-dir) plugins=$(cd "${2:?--plugin-dir DIR}" && pwd); shift 2 ;;
	--gcc) gcc=${2:?--gcc N}; shift 2
		case $gcc in *[!0-9]*) echo "$0: --gcc takes a GCC major version (14)" >&2; exit 2 ;; esac ;;
	--plugin-only) plugin_only=y; shift ;;
	*) echo "usage: $0 [--kernel VERSION]... [--arch x86_64|arm64]... [--plugin-dir DIR] [--gcc N] [--plugin-only]" >&2; exit 2 ;;
	esac
done
# Every kit (kernel/linux-VERSION/) by default.
[ -n "$versions" ] || versions=$(cd "$top/kernel" && ls -d linux-* | sed 's/^linux-//' | sort -V | tr '\n' ' ')
for v in $versions; do
	[ -f "$top/kernel/linux-$v/kit.patch" ] || { echo "$0: no kit for Linux $v" >&2; exit 2; }
done
[ -n "$arches" ] || arches="x86_64 arm64"

sh "$top/scripts/install-deps.sh" --kernel $versions
mkdir -p "$cache"
jobs=$(nproc)

# --gcc N: GCC N's gcc-N (aarch64-linux-gnu-gcc-N), a Debian root's if
# one is for GCC N (scripts/chroots.sh: trixie for 13 and 14, with what a
# kernel build needs besides), else the host's (11, 12).  Not "whichever
# gcc-N is on PATH": under lit, the root's drivers are on PATH as wrappers
# that enter the root for one command, seeing this tree but not $cache.
# With a root, make and everything the build made that runs
# (gen_init_cpio, linked against the root's glibc) run inside it, through
# "chroots.sh run": the checkout, /tmp, /dev and $cache at their host
# paths, so the trees, logs and checks are the same, in a mount namespace
# of its own that takes its mounts with it whatever way the command ends
# (nothing is left mounted, no trap needed).
root=""
if [ -n "$gcc" ] && root=$(sh "$top/scripts/chroots.sh" gcc "$gcc" 2>/dev/null); then
	[ -x "$root/usr/bin/gcc-$gcc" ] && [ -x "$root/usr/bin/make" ] || {
		echo "$0: no gcc-$gcc and make in $root (scripts/chroots.sh setup)" >&2
		exit 1
	}
elif [ -n "$gcc" ]; then
	root=""
	command -v "gcc-$gcc" >/dev/null || { echo "$0: no gcc-$gcc" >&2; exit 1; }
fi
in_root() {	# cmd...
	if [ -n "$root" ]; then
		(cd "$top" && sh "$top/scripts/chroots.sh" run "$root" --bind "$cache" "$@")
	else
		"$@"
	fi
}
compiler_for() {	# gcc | aarch64-linux-gnu-gcc
	echo "$1${gcc:+-$gcc}"
}
# make's compiler variables: none for the default gcc; with --gcc N, CC
# and the host compilers (a root has no unversioned gcc).
make_cc() {	# gcc | aarch64-linux-gnu-gcc
	[ -z "$gcc" ] || echo "CC=$1-$gcc HOSTCC=gcc-$gcc HOSTCXX=g++-$gcc"
}

# The build keeps one plugin per compiler version: DIR/gcc-12/altcall.so,
# DIR/aarch64-linux-gnu-gcc-12/altcall.so, ...
plugin_for() {	# gcc | aarch64-linux-gnu-gcc
	echo "$plugins/$1-${gcc:-$($1 -dumpversion | cut -d. -f1)}/altcall.so"
}

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
