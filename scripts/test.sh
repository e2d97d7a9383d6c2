#!/bin/sh
# Build and run every test (lit suites for x86-64 and, under qemu-user,
# arm64), then print the total as "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh || exit 1
[ -f build/build.ninja ] || meson setup build || exit 1
# Debian roots made since this build was configured (scripts/chroots.sh):
# their compilers join the build.
roots=$(sh scripts/chroots.sh list)
if [ -f "$roots" ] && [ "$roots" -nt build/build.ninja ]; then
	meson setup --reconfigure build || exit 1
fi
ninja -C build || exit 1
rm -f build/test/lit-*.xml
meson test -C build --print-errorlogs --num-processes 1
status=$?
python3 scripts/lit-summary.py build/test/lit-*.xml || status=1
exit $status
