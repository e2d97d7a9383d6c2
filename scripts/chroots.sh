#!/bin/sh
# The Debian roots that hold the newer GCCs: trixie (Debian 13: GCC 13 and
# 14) and sid (Debian unstable: GCC 15 and 16), each with the plugin headers,
# the arm64 cross compilers and libc, and qemu-user to run arm64 programs
# against that libc.  A program a root's GCC builds links against the root's
# glibc, newer than Debian 12's, so it (and the compiler) runs inside the root.
#
#   scripts/chroots.sh setup [--no-arm64]   create or update every root (root)
#   scripts/chroots.sh dir NAME             print where root NAME is
#   scripts/chroots.sh list                 print the file listing the roots
#   scripts/chroots.sh run ROOTDIR [--bind DIR]... CMD...
#                                           run CMD inside ROOTDIR, in the
#                                           current directory (root)
#
# The roots are cached outside the checkout, in
# ${ALTCALL_CHROOTS:-/var/cache/altcall-chroots}/NAME, and rebuilt only when
# their package list (below) changes: ROOTDIR/.altcall-packages holds the
# list a root was made with.
#
# run: the command sees this tree, /tmp and /dev at their host paths and its
# own /proc (the user runtime reads /proc/self/maps), mounted in a mount
# namespace of its own: the mounts exist only while the command runs, are
# seen by no other process, and go away with the namespace whatever way the
# command ends.  Nothing is left mounted in the cache.
set -eu

cache=${ALTCALL_CHROOTS:-/var/cache/altcall-chroots}
mirror=http://deb.debian.org/debian
top=$(cd "$(dirname "$0")/.." && pwd)

# name suite GCC majors: what each root is for.
roots="trixie:trixie:13 14
sid:sid:15 16"

packages() {	# majors arm64(y/n) -> the --include list
	# What the suite runs in the root besides the compilers: libelf-dev
	# (misc/noop-real.test compiles tools/), gold and lld (run/icf.c),
	# ccache and distcc (misc/build-caches.test: the cache and the daemon
	# run beside the compiler they call).
	p="libelf-dev binutils-gold lld ccache distcc"
	for n in $1; do
		p="$p gcc-$n g++-$n gcc-$n-plugin-dev"
		[ "$2" = n ] || p="$p gcc-$n-aarch64-linux-gnu gcc-$n-plugin-dev-aarch64-linux-gnu"
	done
	[ "$2" = n ] || p="$p libc6-dev-arm64-cross binutils-gold-aarch64-linux-gnu qemu-user"
	echo $p
}

setup_one() {	# name suite majors arm64
	dir=$cache/$1
	want=$(packages "$3" "$4")
	if [ -f "$dir/.altcall-packages" ] && [ "$(cat "$dir/.altcall-packages")" = "$want" ]; then
		return 0
	fi
	echo "chroots: setting up $dir ($2: $want)"
	# Built beside, then moved in place: an interrupted debootstrap never
	# leaves a root that looks complete.
	rm -rf "$dir.new"
	start=$(date +%s)
	# In a mount namespace of its own: the /proc and /sys debootstrap mounts
	# in the new root go away with it, even if it fails half way (and rm -rf
	# never walks into them).
	if ! unshare --mount --propagation private -- debootstrap --variant=minbase --include="$(echo $want | tr ' ' ,)" \
		"$2" "$dir.new" "$mirror" >"$cache/$1.log" 2>&1; then
		tail -n 20 "$cache/$1.log" >&2
		echo "chroots: debootstrap of $2 failed (log: $cache/$1.log)" >&2
		exit 1
	fi
	rm -f "$dir.new"/var/cache/apt/archives/*.deb
	# apt in sid needs this: the suite's Release file on the mirror can be
	# past its Valid-Until date (debootstrap does not check it).
	echo 'Acquire::Check-Valid-Until "false";' >"$dir.new/etc/apt/apt.conf.d/99altcall"
	echo "$want" >"$dir.new/.altcall-packages"
	rm -rf "$dir"
	mv "$dir.new" "$dir"
	echo "chroots: $dir ready in $(( $(date +%s) - start )) s"
}

case ${1:-} in
setup)
	arm64=y
	[ "${2:-}" = --no-arm64 ] && arm64=n
	command -v debootstrap >/dev/null || { echo "chroots: debootstrap missing" >&2; exit 1; }
	mkdir -p "$cache"
	# One set-up at a time (two builds, or two engineers, on one machine).
	exec 9>"$cache/.lock"
	flock 9
	echo "$roots" | while IFS=: read -r name suite majors; do
		setup_one "$name" "$suite" "$majors" "$arm64"
	done
	# What the build reads (plugin/meson.build): it reconfigures when this
	# changes, so only when a root was made or remade.
	for r in $(echo "$roots" | cut -d: -f1); do
		echo "$r: $(cat "$cache/$r/.altcall-packages")"
	done >"$cache/roots.list.new"
	if cmp -s "$cache/roots.list.new" "$cache/roots.list"; then
		rm "$cache/roots.list.new"
	else
		mv "$cache/roots.list.new" "$cache/roots.list"
	fi
	;;
list)
	# The file that lists the roots and their packages.
	echo "$cache/roots.list"
	;;
dir)
	echo "$cache/$2"
	;;
run)
	[ $# -ge 3 ] || { echo "usage: $0 run ROOTDIR CMD..." >&2; exit 2; }
	dir=$2
	shift 2
	[ -f "$dir/.altcall-packages" ] || { echo "chroots: no root at $dir (scripts/chroots.sh setup)" >&2; exit 1; }
	if [ -z "${ALTCALL_CHROOT_NS:-}" ]; then
		# Re-run this script in a private mount namespace.
		ALTCALL_CHROOT_NS=1 exec unshare --mount --propagation private -- sh "$0" run "$dir" "$@"
	fi
	for d in "$top" /tmp /dev; do
		mkdir -p "$dir$d"
		mount --bind "$d" "$dir$d"
	done
	# --bind DIR: a build tree outside this one.
	while [ "${1:-}" = --bind ]; do
		case $2 in
		"$top"|"$top"/*) ;;
		*) mkdir -p "$dir$2"; mount --bind "$2" "$dir$2" ;;
		esac
		shift 2
	done
	mount -t proc proc "$dir/proc"
	unset ALTCALL_CHROOT_NS
	exec chroot "$dir" /usr/bin/env PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin \
		sh -c 'cd "$1" && shift && exec "$@"' sh "$(pwd)" "$@"
	;;
*)
	echo "usage: $0 setup [--no-arm64] | dir NAME | list | run ROOTDIR [--bind DIR]... CMD..." >&2
	exit 2
	;;
esac
