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

. "$top/scripts/kit-common.sh"
apply_kit_patch xen-kit
install_tree "$top/xen/common/files"
install_tree "$kit/files"
install_runtime xen/common/altcall xen/include
