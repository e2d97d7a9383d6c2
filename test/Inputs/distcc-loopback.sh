#!/bin/sh
# Compile one file with the plugin through a distccd on 127.0.0.1 (started
# and stopped here, accepting 127.0.0.1 only) and locally; print whether the
# remote compile happened and whether the objects are the same.  distccd
# refuses -fplugin= on its command line, so CC is the altcall-gcc wrapper.
# Usage: distcc-loopback.sh WORKDIR CC-AND-FLAGS... -- SOURCE
set -eu
work=$1
shift
rm -rf "$work"
mkdir -p "$work/daemon"
# As root, distccd runs as nobody: its log and pid file need a place it owns.
chmod 755 "$work"
chmod 1777 "$work/daemon"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
TMPDIR="$work/daemon" distccd --daemon --listen 127.0.0.1 --allow 127.0.0.1 --port "$port" \
	--pid-file "$work/daemon/distccd.pid" --log-file "$work/daemon/distccd.log" --log-level info \
	--enable-tcp-insecure --jobs 1 --user nobody
trap 'kill "$(cat "$work/daemon/distccd.pid")" 2>/dev/null || true' EXIT
for i in 1 2 3 4 5 6 7 8 9 10; do
	[ -s "$work/distccd.pid" ] && break
	sleep 0.2
done

cc=""
while [ "$1" != "--" ]; do cc="$cc $1"; shift; done
src=$2
cp "$src" "$work/unit.c"
mkdir -p "$work/.distcc"
cd "$work"
# shellcheck disable=SC2086
DISTCC_HOSTS="127.0.0.1:$port/1" DISTCC_FALLBACK=0 DISTCC_SKIP_LOCAL_RETRY=1 \
	DISTCC_DIR="$work/.distcc" distcc $cc -c unit.c -o remote.o
# shellcheck disable=SC2086
$cc -c unit.c -o local.o
grep -q "COMPILE_OK" daemon/distccd.log && echo "remote compile: ok"
cmp remote.o local.o && echo "objects: identical"
