#!/bin/sh
# Fetch, once, what scripts/xen-test.sh needs from Debian into the Xen
# cache ($ALTCALL_XEN_CACHE, default /var/cache/altcall-xen):
#   xen-VERSION/        Debian's xen source package, unpacked (4.17: bookworm,
#                       4.20: trixie), pristine; .altcall-unpacked marks it done
#   dom0/vmlinuz        Debian 12's linux-image-6.1.0-*-amd64 kernel, a PV dom0
#
#   scripts/xen-fetch.sh [VERSION...]     (default: every kit, xen/xen-VERSION/)
#
# The source suites are named in a sources list of the cache's own, with
# apt state of its own (Dir::Etc::SourceList, Dir::State::Lists): the
# machine's apt sources, lists and installed packages never see trixie, so
# nothing here can upgrade the host.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${ALTCALL_XEN_CACHE:-/var/cache/altcall-xen}
versions="$*"
[ -n "$versions" ] || versions=$(cd "$top/xen" && ls -d xen-*/kit.patch | sed 's/^xen-//;s/\/kit.patch$//' | sort -V | tr '\n' ' ')
mkdir -p "$cache/apt/lists/partial" "$cache/apt/archives/partial"

suite_of() {
	case $1 in
	4.17) echo bookworm ;;
	4.20) echo trixie ;;
	*) echo "xen-fetch: no Debian suite known for Xen $1" >&2; exit 2 ;;
	esac
}

apt_private() {	# apt-get arguments, with the cache's sources and state only
	apt-get -q -o Dir::Etc::SourceList="$cache/apt/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null \
		-o Dir::State::Lists="$cache/apt/lists" \
		-o Dir::Cache::Archives="$cache/apt/archives" \
		-o Acquire::Check-Valid-Until=false "$@"
}

need_update=""
for v in $versions; do
	[ -f "$cache/xen-$v/.altcall-unpacked" ] || need_update=y
done
[ -f "$cache/dom0/vmlinuz" ] || need_update=y
[ -n "$need_update" ] || exit 0

cat >"$cache/apt/sources.list" <<LIST
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian-security trixie-security main
deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main
LIST
apt_private update >"$cache/apt/update.log" 2>&1 || { cat "$cache/apt/update.log" >&2; exit 1; }

for v in $versions; do
	[ ! -f "$cache/xen-$v/.altcall-unpacked" ] || continue
	suite=$(suite_of "$v")
	rm -rf "$cache/src-dl-$v" "$cache/xen-$v"
	mkdir -p "$cache/src-dl-$v"
	# The source of that suite's xen, unpacked with Debian's patches.
	(cd "$cache/src-dl-$v" && apt_private source "xen/$suite" >fetch.log 2>&1) || {
		grep -E '^(E|Err):' "$cache/src-dl-$v/fetch.log" >&2
		echo "xen-fetch: Debian's xen source for $suite (Xen $v) could not be fetched" >&2
		exit 1
	}
	dir=$(find "$cache/src-dl-$v" -maxdepth 1 -type d -name 'xen-*' | head -1)
	[ -n "$dir" ] && [ -f "$dir/xen/Makefile" ] || { echo "xen-fetch: no xen tree in $cache/src-dl-$v" >&2; exit 1; }
	got=$(sed -n 's/^export XEN_VERSION *= *//p;s/^export XEN_SUBVERSION *= *//p' "$dir/xen/Makefile" | tr '\n' . | sed 's/\.$//')
	[ "$got" = "$v" ] || { echo "xen-fetch: $suite's xen is $got, not $v" >&2; exit 1; }
	mv "$dir" "$cache/xen-$v"
	rm -rf "$cache/src-dl-$v"
	touch "$cache/xen-$v/.altcall-unpacked"
done

if [ ! -f "$cache/dom0/vmlinuz" ]; then
	# Debian 12's stock kernel is a PV dom0 (XEN_PV, XEN_DOM0, HVC_XEN).
	rm -rf "$cache/dom0"
	mkdir -p "$cache/dom0"
	pkg=$(apt-cache -o Dir::Etc::SourceList="$cache/apt/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null -o Dir::State::Lists="$cache/apt/lists" \
		depends linux-image-amd64 | sed -n 's/^ *Depends: \(linux-image-6\.1\.0-[0-9]*-amd64\)$/\1/p' | head -1)
	[ -n "$pkg" ] || { echo "xen-fetch: no linux-image-6.1.0-*-amd64 in bookworm" >&2; exit 1; }
	(cd "$cache/dom0" && apt_private download "$pkg" >download.log 2>&1) ||
		{ cat "$cache/dom0/download.log" >&2; exit 1; }
	dpkg-deb -x "$cache/dom0"/linux-image-*.deb "$cache/dom0/root"
	cp "$cache/dom0"/root/boot/vmlinuz-* "$cache/dom0/vmlinuz.tmp"
	rm -rf "$cache/dom0/root" "$cache/dom0"/*.deb
	mv "$cache/dom0/vmlinuz.tmp" "$cache/dom0/vmlinuz"
fi
