#!/bin/sh
# The Debian roots that hold the newer GCCs: trixie (Debian 13: GCC 13 and
# 14) and sid (Debian unstable: GCC 15 and 16), each with the plugin headers,
# the arm64 cross compilers and libc, and qemu-user to run arm64 programs
# against that libc.  A program a root's GCC builds links against the root's
# glibc, newer than Debian 12's, so it (and the compiler) runs inside the root.
#
#   scripts/chroots.sh setup [--no-arm64]   create or update every root (root)
#   scripts/chroots.sh dir NAME             print where root NAME is
#   scripts/chroots.sh gcc N                print where the root with gcc-N is
#   scripts/chroots.sh list                 print the file listing the roots
#   scripts/chroots.sh run ROOTDIR [--bind DIR]... CMD...
#                                           run CMD inside ROOTDIR, in the
#                                           current directory (root)
#
# The roots are cached outside the checkout, in
# ${ALTCALL_CHROOTS:-/var/cache/altcall-chroots}/NAME, and rebuilt only when
# their package list (below) changes: ROOTDIR/.altcall-packages holds the
# list a root was made with.  A list that only grew is installed into the
# root as it is (apt-get inside it, seconds to a minute) instead.
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

# name:suite:GCC majors:extras: what each root is for.  Extras "kernel":
# the root also builds Linux (scripts/kernel-test.sh --gcc 14: the 6.12
# x86-64 kernel test with trixie's GCC 14).
roots="trixie:trixie:13 14:kernel
sid:sid:15 16:"

packages() {	# majors arm64(y/n) extras -> the --include list
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
	# What a tinyconfig Linux build runs besides the compiler, binutils,
	# perl-base and libelf-dev (objtool), all there already: make, flex
	# and bison (Kconfig, dtc), bc (kernel/time/timeconst.bc), xz-utils
	# (CONFIG_KERNEL_XZ, which tinyconfig sets).
	case " $3 " in
	*" kernel "*) p="$p make flex bison bc xz-utils" ;;
	esac
	echo $p
}

# Run CMD inside root DIR as root, for apt: /dev and its own /proc
# mounted in a mount namespace of its own (gone when CMD ends).
admin() {	# dir cmd...
	unshare --mount --propagation private -- sh -c '
		dir=$1; shift
		mount --bind /dev "$dir/dev" && mount -t proc proc "$dir/proc" &&
		exec chroot "$dir" /usr/bin/env DEBIAN_FRONTEND=noninteractive \
			PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin "$@"' sh "$@"
}

setup_one() {	# name suite majors arm64 extras
	dir=$cache/$1
	want=$(packages "$3" "$4" "$5")
	if [ -f "$dir/.altcall-packages" ] && [ "$(cat "$dir/.altcall-packages")" = "$want" ]; then
		return 0
	fi
	# Only packages added: install them into the root as it is.  (The list
	# is written last: an interrupted install is retried the next time.)
	if [ -f "$dir/.altcall-packages" ]; then
		have=$(cat "$dir/.altcall-packages")
		added=""
		removed=""
		for p in $want; do
			case " $have " in *" $p "*) ;; *) added="$added $p" ;; esac
		done
		for p in $have; do
			case " $want " in *" $p "*) ;; *) removed="$removed $p" ;; esac
		done
		if [ -z "$removed" ]; then
			echo "chroots: adding to $dir:$added"
			start=$(date +%s)
			# shellcheck disable=SC2086
			if admin "$dir" sh -c 'dpkg --configure -a && apt-get update -qq &&
				apt-get install -y -qq --no-install-recommends "$@"' sh $added \
				>"$cache/$1.add.log" 2>&1; then
				rm -f "$dir"/var/cache/apt/archives/*.deb
				echo "$want" >"$dir/.altcall-packages"
				echo "chroots: $dir ready in $(( $(date +%s) - start )) s"
				return 0
			fi
			tail -n 20 "$cache/$1.add.log" >&2
			echo "chroots: installing into $dir failed (log: $cache/$1.add.log): making it again" >&2
		fi
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
	echo "$roots" | while IFS=: read -r name suite majors extras; do
		setup_one "$name" "$suite" "$majors" "$arm64" "$extras"
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
gcc)
	# The root whose GCC is version $2 (it may not be set up).
	name=$(echo "$roots" | while IFS=: read -r name suite majors extras; do
		case " $majors " in *" ${2:?gcc N} "*) echo "$name" ;; esac
	done)
	[ -n "$name" ] || { echo "chroots: no root has GCC $2" >&2; exit 1; }
	echo "$cache/$name"
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
	echo "usage: $0 setup [--no-arm64] | dir NAME | gcc N | list | run ROOTDIR [--bind DIR]... CMD..." >&2
	exit 2
	;;
esac
