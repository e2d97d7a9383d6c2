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

. "$top/scripts/kit-common.sh"
apply_kit_patch kernel-kit
install_tree "$top/kernel/common/files"
install_tree "$kit/files"
install_runtime kernel/altcall include
