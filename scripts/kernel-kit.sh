#!/bin/sh
# Apply the altcall kernel kit to a Linux source tree:
#   scripts/kernel-kit.sh /path/to/linux
# The kit is chosen by the tree's version (kernel/linux-VERSION/; 6.1 is
# there).  It patches the kernel (kernel/linux-VERSION/kit.patch), adds the
# kernel platform shared by every version (kernel/common/files/) and the
# version's own files (kernel/linux-VERSION/files/: its compat header), and
# copies in the runtime (the files runtime/Kbuild.sources lists, and that
# list) and headers from this checkout's runtime/ and include/, the same
# sources user space builds.  Files whose content is unchanged keep their
# time stamps, so a re-application rebuilds only what changed.  See
# docs/kernel.md.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
tree=${1:?usage: $0 LINUX_TREE}
cd "$tree"
version=$(sed -n 's/^VERSION = //p;s/^PATCHLEVEL = //p' Makefile | tr '\n' . | sed 's/\.$//')
kit=$top/kernel/linux-$version
if [ ! -f "$kit/kit.patch" ]; then
	echo "kernel-kit: $tree is Linux $version; kits: $(cd "$top/kernel" && ls -d linux-* | sed 's/linux-//' | tr '\n' ' ')" >&2
	exit 1
fi

install_file() {	# src dst: copy unless identical
	mkdir -p "$(dirname "$2")"
	cmp -s "$1" "$2" 2>/dev/null || cp "$1" "$2"
}

install_tree() {	# dir: every file under it, at the same path in the tree
	[ -d "$1" ] || return 0
	(cd "$1" && find . -type f) | while read -r f; do
		install_file "$1/$f" "$f"
	done
}

# The applied patch is kept in the tree, so that re-applying is a no-op and
# another version of the kit is refused instead of half-applied.
stamp=.altcall-kit.patch
if [ -f $stamp ]; then
	cmp -s $stamp "$kit/kit.patch" || {
		echo "kernel-kit: $tree has another version of the kit; start from a clean tree" >&2
		exit 1
	}
else
	patch -p1 --batch --forward --silent <"$kit/kit.patch"
	cp "$kit/kit.patch" $stamp
fi
install_tree "$top/kernel/common/files"
install_tree "$kit/files"
sources=$top/runtime/Kbuild.sources
install_file "$sources" kernel/altcall/Kbuild.sources
for f in $(sed -n 's/^altcall-core-[^ ]* [:+]= //p' "$sources"); do
	case $f in *.o) f=${f%.o}.c ;; esac
	install_file "$top/runtime/$f" "kernel/altcall/$f"
done
install_file "$top/include/altcall.h" include/altcall.h
for f in abi.h runtime.h features-x86_64.def features-aarch64.def; do
	install_file "$top/include/altcall/$f" "include/altcall/$f"
done
