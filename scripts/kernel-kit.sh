#!/bin/sh
# Apply the altcall kernel kit to a Linux 6.1 source tree:
#   scripts/kernel-kit.sh /path/to/linux-6.1
# It patches the kernel (kernel/linux-6.1/kit.patch), adds the kernel
# platform (kernel/linux-6.1/files/) and copies in the runtime and headers
# from this checkout's runtime/ and include/, the same sources user space
# builds.  Files whose content is unchanged keep their time stamps, so a
# re-application rebuilds only what changed.  See docs/kernel.md.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
kit=$top/kernel/linux-6.1
tree=${1:?usage: $0 LINUX_6.1_TREE}
cd "$tree"
version=$(sed -n 's/^VERSION = //p;s/^PATCHLEVEL = //p' Makefile | tr '\n' .)
[ "$version" = "6.1." ] || { echo "kernel-kit: $tree is Linux ${version%.}, the kit is for 6.1" >&2; exit 1; }

install_file() {	# src dst: copy unless identical
	mkdir -p "$(dirname "$2")"
	cmp -s "$1" "$2" 2>/dev/null || cp "$1" "$2"
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
(cd "$kit/files" && find . -type f) | while read -r f; do
	install_file "$kit/files/$f" "$f"
done
for f in core.c poke.c plan.c insn_x86_64.c insn_aarch64.c arch_x86_64.c arch_aarch64.c \
	 arch.h insn.h plan.h poke.h internal.h; do
	install_file "$top/runtime/$f" "kernel/altcall/$f"
done
install_file "$top/include/altcall.h" include/altcall.h
for f in abi.h runtime.h features-x86_64.def features-aarch64.def; do
	install_file "$top/include/altcall/$f" "include/altcall/$f"
done
