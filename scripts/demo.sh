#!/bin/sh
# Build everything (x86-64, and arm64 when its cross tools are there) and run
# the demo.  Installs missing Debian packages first; not the Debian roots of
# GCC 13 to 16, which only the test suite needs (scripts/test.sh makes them).
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh --no-chroots
[ -f build/build.ninja ] || meson setup build
ninja -C build
echo
./build/examples/altcall-demo "$@"
