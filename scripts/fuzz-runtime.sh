#!/bin/sh
# Fuzz the runtime core's record walker, planner and instruction codecs with
# libFuzzer (clang-14, Debian's libclang-rt-14-dev), once per architecture
# backend, under ASan and UBSan, for a bounded time each.
#   scripts/fuzz-runtime.sh [SECONDS] [WORKDIR]
set -eu
seconds=${1:-60}
src=$(cd "$(dirname "$0")/.." && pwd)
work=${2:-$src/build/fuzz}
clang=${CLANG:-/usr/lib/llvm-14/bin/clang}
mkdir -p "$work"
for arch in x86_64 aarch64; do
	"$clang" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-I"$src/include" -I"$src/runtime" "$src/fuzz/runtime-fuzz.c" \
		"$src/runtime/core.c" "$src/runtime/poke.c" "$src/runtime/plan.c" "$src/runtime/insn_$arch.c" \
		"$src/runtime/arch_$arch.c" -o "$work/runtime-fuzz-$arch"
	mkdir -p "$work/corpus-$arch"
	(cd "$work" && "$work/runtime-fuzz-$arch" -max_total_time="$seconds" -seed=1 -max_len=1024 \
		-print_final_stats=1 "$work/corpus-$arch") 2>"$work/fuzz-$arch.log" ||
		{ tail -40 "$work/fuzz-$arch.log"; echo "$arch: fuzzer found a crash"; exit 1; }
	echo "$arch: $(grep -E 'stat::number_of_executed_units' "$work/fuzz-$arch.log" | awk '{print $2}') inputs, no crash"
done
