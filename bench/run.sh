#!/bin/sh
# SPDX-License-Identifier: MIT
# altcall benchmark suite.
#
#   bench/run.sh [--tiny] [BUILD_DIR]
#
# BUILD_DIR (default: $ALTCALL_BUILD, else ../build beside this directory)
# holds plugin/gcc-N/altcall.so (N: the version of gcc) and
# runtime/libaltcall.a (and the arm64 ones);
# ALTCALL_PLUGIN, ALTCALL_RUNTIME, ALTCALL_PLUGIN_AARCH64,
# ALTCALL_RUNTIME_AARCH64 and ALTCALL_INCLUDE override single paths, and
# ALTCALL_BENCH_WORK the scratch directory (default BUILD_DIR/bench).
# Prints one table and writes bench/RESULTS.md (--tiny: a smoke run in well
# under a minute, written to the scratch directory instead).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tiny=
build=
for arg in "$@"; do
	case $arg in
	--tiny) tiny=--tiny ;;
	-h|--help) sed -n '3,14s/^# \{0,1\}//p' "$0"; exit 0 ;;
	-*) echo "usage: $0 [--tiny] [BUILD_DIR]" >&2; exit 2 ;;
	*) build=$arg ;;
	esac
done
build=${build:-${ALTCALL_BUILD:-$here/../build}}
# One command on a fresh machine: packages (the kernel part's too, unless
# --tiny) and the build it measures.
if [ -z "$tiny" ]; then
	sh "$here/../scripts/install-deps.sh" --bench
	[ -f "$build/build.ninja" ] || meson setup "$build" "$here/.."
	ninja -C "$build" >/dev/null
fi
exec python3 -B "$here/bench.py" $tiny --build "$build"
