#!/bin/sh
# SPDX-License-Identifier: MIT
# The kernel part of the benchmarks: the boot-time cost of the kernel apply
# (from the kernel's own clock, as scripts/kernel-test.sh's boot logs print
# it) and the build time of Linux 6.1 with and without the plugin
# (scripts/kernel-noop.sh, which also checks .text is identical).  Writes
# the section "Linux kernel" of bench/RESULTS.md, which bench/run.sh keeps.
#
#   bench/kernel.sh [--reuse]	(about 25 minutes on 2 cores from scratch;
#				--reuse: only read the logs of the last run)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$here/..
cache=${ALTCALL_KERNEL_CACHE:-/var/cache/altcall-kernel}
export ALTCALL_KERNEL_CACHE=$cache
if [ "${1:-}" != --reuse ]; then
	sh "$top/scripts/kernel-test.sh" >"$cache/bench-kernel-test.log"
	sh "$top/scripts/kernel-noop.sh" >"$cache/bench-kernel-noop.log"
fi
python3 - "$cache" "$here/RESULTS.md" <<'PY'
import os, re, sys, datetime
cache, results = sys.argv[1], sys.argv[2]
rows = []
for arch in ("x86_64", "arm64"):
    log = open(os.path.join(cache, "build-%s" % arch, "boot-on.log")).read()
    for what, m in (("boot apply", re.search(r"altcall: vmlinux: (\d+) sites, (\d+) patched, \d+ refused, \d+ pointers not set yet \((\d+) ns\)", log)),
                    ("end-of-init apply", re.search(r"altcall: vmlinux \(end of init\): (\d+) sites, (\d+) patched, \d+ refused, \d+ pointers not set yet \((\d+) ns\)", log))):
        sites, patched, ns = (int(g) for g in m.groups())
        rows.append("| %s | %s | %d sites, %d patched | %.1f us | %.1f us/site |"
                    % (arch, what, sites, patched, ns / 1000, ns / 1000 / sites))
noop = open(os.path.join(cache, "bench-kernel-noop.log")).read()
times = dict(((a, v), int(s)) for a, v, s in re.findall(r"kernel-noop\[(\w+)\]: (plain|plugin) build: (\d+) s", noop))
same = dict(re.findall(r"kernel-noop\[(\w+)\]: vmlinux \.text (identical|DIFFERS)", noop))
build = ["| %s | %d s | %d s | %.3fx | .text %s |" % (a, times[(a, "plain")], times[(a, "plugin")],
         times[(a, "plugin")] / times[(a, "plain")], same.get(a, "?"))
         for a in ("x86_64", "arm64") if (a, "plain") in times]
section = "\n".join([
    "## Linux kernel (bench/kernel.sh)", "",
    "Measured %s by `bench/kernel.sh`: Linux 6.1.192, tinyconfig plus the kernel test's"
    " fragment, booted in qemu (TCG, 2 CPUs: emulated, so the times are qemu's, not a"
    " CPU's; each text write also flushes qemu's translated code)." % datetime.date.today(), "",
    "| arch | apply | sites | time | per site |", "|---|---|---|---|---|"] + rows + [
    "", "Build time of `bzImage`/`Image` (`make -j2`, a fresh output directory, no sites,"
    " the plugin loaded through KCFLAGS into every C compile):", "",
    "| arch | without the plugin | with it | ratio | no-op check |", "|---|---|---|---|---|"] + build + [""])
text = open(results).read()
marker = "## Linux kernel (bench/kernel.sh)"
text = text.split("\n" + marker)[0].rstrip("\n") + "\n\n" + section
open(results, "w").write(text)
print(section)
PY
