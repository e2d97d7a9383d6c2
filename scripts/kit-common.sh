# Sourced by scripts/kernel-kit.sh and scripts/xen-kit.sh, from the top of
# the tree they apply a kit to: what every kit does the same way, once.
# Needs top (this checkout) and kit (the kit's directory, holding
# kit.patch and optionally files/).

install_file() {	# src dst: copy unless identical (time stamps kept)
	mkdir -p "$(dirname "$2")"
	cmp -s "$1" "$2" 2>/dev/null || cp "$1" "$2"
}

install_tree() {	# dir: every file under it, at the same path in the tree
	[ -d "$1" ] || return 0
	(cd "$1" && find . -type f) | while read -r f; do
		install_file "$1/$f" "$f"
	done
}

# The kit's patch, once: the applied patch is kept in the tree, so that
# re-applying is a no-op and another version of the kit is refused instead
# of half-applied.
apply_kit_patch() {	# name (for messages)
	stamp=.altcall-kit.patch
	if [ -f $stamp ]; then
		cmp -s $stamp "$kit/kit.patch" || {
			echo "$1: $(pwd) has another version of the kit; start from a clean tree" >&2
			exit 1
		}
	else
		patch -p1 --batch --forward --silent <"$kit/kit.patch"
		cp "$kit/kit.patch" $stamp
	fi
}

# The runtime (the files runtime/Kbuild.sources lists, and that list) into
# DIR, and the headers into INCLUDE: the same sources user space builds.
install_runtime() {	# dir include
	sources=$top/runtime/Kbuild.sources
	install_file "$sources" "$1/Kbuild.sources"
	for f in $(sed -n 's/^altcall-core-[^ ]* [:+]= //p' "$sources"); do
		case $f in *.o) f=${f%.o}.c ;; esac
		install_file "$top/runtime/$f" "$1/$f"
	done
	install_file "$top/include/altcall.h" "$2/altcall.h"
	for f in abi.h runtime.h features-x86_64.def features-aarch64.def; do
		install_file "$top/include/altcall/$f" "$2/altcall/$f"
	done
}
