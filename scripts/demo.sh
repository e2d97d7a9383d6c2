#!/bin/sh
# Build everything (x86-64, and arm64 when its cross tools are there) and run
# the demo.  Installs missing Debian packages first.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
[ -f build/build.ninja ] || meson setup build
ninja -C build
echo
./build/examples/altcall-demo "$@"
