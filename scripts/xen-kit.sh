#!/bin/sh
# Apply the altcall Xen kit to a Xen source tree (the top of Debian's xen
# source package, or of a xen.git checkout):
#   scripts/xen-kit.sh /path/to/xen-4.17
# The kit is chosen by the hypervisor's version (xen/xen-VERSION/).  It
# patches Xen (xen/xen-VERSION/kit.patch: Kconfig, the plugin's flags,
# asm/alternative.h, the linker script, the apply in
# nmi_apply_alternatives()), adds the platform every version shares
# (xen/common/files/) and the version's own files (xen/xen-VERSION/files/),
# and copies in the runtime (the files runtime/Kbuild.sources lists) and
# headers from this checkout.  Unchanged files keep their time stamps, so
# a re-application rebuilds only what changed.  See docs/xen.md.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
tree=${1:?usage: $0 XEN_TREE}
cd "$tree"
[ -f xen/Makefile ] || { echo "xen-kit: $tree has no xen/Makefile" >&2; exit 1; }
version=$(sed -n 's/^export XEN_VERSION *= *//p;s/^export XEN_SUBVERSION *= *//p' xen/Makefile | tr '\n' . | sed 's/\.$//')
kit=$top/xen/xen-$version
if [ ! -f "$kit/kit.patch" ]; then
	echo "xen-kit: $tree is Xen $version; kits: $(cd "$top/xen" && ls -d xen-*/kit.patch | sed 's/^xen-//;s/\/kit.patch$//' | tr '\n' ' ')" >&2
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

stamp=.altcall-kit.patch
if [ -f $stamp ]; then
	cmp -s $stamp "$kit/kit.patch" || {
		echo "xen-kit: $tree has another version of the kit; start from a clean tree" >&2
		exit 1
	}
else
	patch -p1 --batch --forward --silent <"$kit/kit.patch"
	cp "$kit/kit.patch" $stamp
fi
install_tree "$top/xen/common/files"
install_tree "$kit/files"
dst=xen/common/altcall
sources=$top/runtime/Kbuild.sources
install_file "$sources" $dst/Kbuild.sources
for f in $(sed -n 's/^altcall-core-[^ ]* [:+]= //p' "$sources"); do
	case $f in *.o) f=${f%.o}.c ;; esac
	install_file "$top/runtime/$f" "$dst/$f"
done
install_file "$top/include/altcall.h" xen/include/altcall.h
for f in abi.h runtime.h features-x86_64.def features-aarch64.def; do
	install_file "$top/include/altcall/$f" "xen/include/altcall/$f"
done
