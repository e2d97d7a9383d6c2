#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""altcall benchmark suite: per-call cost, patching cost, compile-time cost
and size, measured in one run and reported as one table.

    bench.py [--tiny] --build BUILD_DIR [--out FILE]

Prints the table and writes it, with the machine, the method and every
compiler flag, to FILE (default: bench/RESULTS.md; with --tiny,
WORK/RESULTS-tiny.md, so that a smoke run never replaces the real
results).  Exits 1 if any variant fails to build or run or gives a wrong
result (including the plugin failing on a kernel file); never on a timing.
"""
import argparse
import datetime
import os
import platform
import subprocess
import sys

import bench_compile
import bench_library
import bench_patch
import bench_percall
from benchutil import BenchError, Config, log

PATCH_GOAL_NS = 40
COMPILE_GOAL_NO_SITES = 1.01
COMPILE_GOAL_SITES = 1.05


def sh(cmd):
    try:
        return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              universal_newlines=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def machine():
    model = next((l.split(":", 1)[1].strip() for l in sh(["lscpu"]).splitlines()
                  if l.startswith("Model name")), "?")
    return {
        "cpu": model, "cores": os.cpu_count(), "kernel": platform.release(),
        "gcc": sh(["gcc", "--version"]).splitlines()[0],
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "load": os.getloadavg()[0],
    }


def signed(x):
    return "%+.2f" % (round(x, 2) + 0.0)  # + 0.0: never "-0.00"


def met(ok):
    return "**met**" if ok else "**missed**"


def percall_rows(pc):
    rows = []
    for r in pc["rows"]:
        lo, hi = r["spread"]
        measured = "%.2f insn; %.3f ticks (IQR %.3f-%.3f, min %.3f, max %.3f)" % (
            r["insns"], r["ticks"], lo, hi, r["min"], r["max"])
        ratio = "%.2f insn; %.3f ticks" % (r["insn_ratio"], r["tick_ratio"])
        if r["name"] in bench_percall.BAR:
            insn_ok, tick_ok = bench_percall.bar(r)
            goal = "insn = 1.00: %s; ticks within 2%%: %s" % (met(insn_ok), met(tick_ok))
        elif r["name"] == bench_percall.baseline_of(r["name"]):
            goal = "baseline"
        else:
            goal = ""
        part = "per call, random target" if r["name"].startswith("random:") else "per call"
        rows.append((part, r["name"], measured, ratio, goal))
    if pc["arm64"] is None:
        rows.append(("per call, arm64", "all", "not measured: " + pc["arm64_skipped"], "", ""))
        return rows
    a64 = pc["arm64"]
    for name in sorted(a64, key=bench_percall.ORDER.index):
        ratio = a64[name] / a64[bench_percall.baseline_of(name)]
        goal = ("insn = 1.00: %s" % met(ratio == 1.0)) if name in bench_percall.BAR else ""
        rows.append(("per call, arm64 (qemu)", name, "%.2f insn" % a64[name],
                     "%.2f insn" % ratio, goal))
    return rows


def patch_rows(pa):
    rows = []
    for r in pa["runs"]:
        n = r["sites"]
        goal = ("<= %d ns/site: %s" % (PATCH_GOAL_NS, met(r["ns"] / n <= PATCH_GOAL_NS))
                if n >= 100000 else "")
        rows.append(("patching", "%d sites: first altcall_apply()" % n,
                     "%.1f ns/site (%.2f ms, median of %d fresh processes; %d minor faults; "
                     "%d mprotect calls taking %.2f ms)" % (
                         r["ns"] / n, r["ns"] / 1e6, len(r["ns_all"]), r["minflt"],
                         r["mprotects"], r["mprotect_ns"] / 1e6), "", goal))
        c = r["cost"]
        rows.append(("patching", "%d sites: the same writes without the runtime" % n,
                     "mprotect pair per site %.1f ns/site; per page %.1f (%d pairs); per "
                     "128-site batch %.1f (%d pairs); page faults alone %.1f" % (
                         c["site"]["ns"] / n, c["page"]["ns"] / n, c["page"]["pairs"],
                         c["batch"]["ns"] / n, c["batch"]["pairs"], c["once"]["ns"] / n),
                     "", ""))
    big = pa["runs"][-1]
    rows.append(("patching", "%d sites: compiling them (%s, %d jobs)" % (
        big["sites"], pa["gen_flags"], pa["jobs"]), "%.1f s wall, %.1f s user" % (
            big["compile_wall"], big["compile_user"]), "", ""))
    return rows


def compile_rows(co):
    rows = []
    k = co["kernel"]
    if "skipped" in k:
        rows.append(("compile time", "Linux kernel files", "not measured: " + k["skipped"], "", ""))
    else:
        what = "%s: %d files, no sites, plugin vs none" % (k["source"], k["files"])
        if k["failed"]:
            rows.append(("compile time", what, "**plugin failed on %d of %d files**: %s" % (
                len({o for o, _ in k["failed"]}), k["files"],
                next(iter(k["failed"].values()))), "", "**failed**"))
        if k["ok"]:
            rows.append(("compile time", what + (" (the %d that compiled)" % k["ok"]
                                                  if k["failed"] else ""),
                         "%.2f s -> %.2f s user (best of 3 per file; per file %.3f-%.3f)" % (
                             k["plain"], k["plugin"], k["min_ratio"], k["max_ratio"]),
                         "%.3f" % k["ratio"],
                         "<= %.2f: %s" % (COMPILE_GOAL_NO_SITES, met(k["ratio"] <= COMPILE_GOAL_NO_SITES))))
    for unit, ir in co["small"]["units"].items():
        for name in co["small"]["configs"][1:]:
            rows.append(("compile time", "small unit %s: %s vs none (instructions, all processes)" % (unit, name),
                         "%.2fM -> %.2fM (%+.2fM)" % (ir["none"] / 1e6, ir[name] / 1e6,
                                                      (ir[name] - ir["none"]) / 1e6),
                         "%.3f" % (ir[name] / ir["none"]), ""))
    g = co["generated"]
    b = g["best"]
    n = g["sites"]
    r1 = b["plain+plugin"] / b["plain"]
    r2 = b["sites+plugin"] / b["plain"]
    rows.append(("compile time", "generated file, %d plain calls: plugin loaded vs none" % n,
                 "%.2f s -> %.2f s user (best of %d)" % (b["plain"], b["plain+plugin"], g["reps"]),
                 "%.3f" % r1,
                 "<= %.2f: %s" % (COMPILE_GOAL_NO_SITES, met(r1 <= COMPILE_GOAL_NO_SITES))))
    rows.append(("compile time", "generated file, %d sites (plugin) vs %d plain calls (none)" % (n, n),
                 "%.2f s -> %.2f s user; %.1f us per site" % (
                     b["plain"], b["sites+plugin"], (b["sites+plugin"] - b["plain"]) / n * 1e6),
                 "%.3f" % r2,
                 "<= %.2f: %s" % (COMPILE_GOAL_SITES, met(r2 <= COMPILE_GOAL_SITES))))
    s = co["size"]
    rows.append(("size", "record (altcall_sites) per site", "%.2f bytes" % s["record"], "", "14"))
    rows.append(("size", "text per site vs a plain direct call (%d sites, %s)" % (s["sites"], g["flags"]),
                 "%s bytes (a plain function here: %.1f bytes)" % (signed(s["text"]), s["plain_text"]),
                 "", ""))
    rows.append(("size", "alternative_call: text per site vs a plain indirect call "
                         "(%d sites on %d pointers)" % (s["ptr_sites"], s["ptr_pointers"]),
                 "%s bytes; record %.2f bytes; trampolines %d bytes = %.1f per pointer per unit" % (
                     signed(s["ptr_text"]), s["ptr_record"], s["tramp"], s["tramp"] / s["ptr_pointers"]),
                 "", ""))
    return rows


def table(rows):
    out = ["| part | case | measured | ratio | goal |", "|---|---|---|---|---|"]
    out += ["| %s |" % " | ".join(r) for r in rows]
    return "\n".join(out)


def row_by(pc, name):
    return next(r for r in pc["rows"] if r["name"] == name)


def headline(pc, pa, co):
    """The lines the project README quotes."""
    def ratios(name):
        r = row_by(pc, name)
        return "%.2fx instructions, %.3fx ticks" % (r["insn_ratio"], r["tick_ratio"])

    a64 = pc["arm64"]
    lines = ["Ratios to a direct call (x86-64: callgrind instructions, median TSC ticks):", ""]
    for name in ("altcall site after apply", "altcall site before apply",
                 "alternative_call after apply", "alternative_call before apply",
                 "4-way altcall site after apply", "4-way altcall site before apply",
                 "if (flag) on a global", "if / else if chain on globals, 4 ways", "function pointer", "function pointer, retpoline",
                 "function pointer, cet", "GNU ifunc through the PLT", "static_call-style trampoline"):
        extra = ""
        if a64 is not None and name in a64:
            extra = "; arm64 %.2fx instructions" % (a64[name] / a64["direct call"])
        lines.append("- %s: %s%s" % (name, ratios(name), extra))
    lines.append("- random target, ticks vs an if/else between two direct calls: " + ", ".join(
        "%s %.2fx" % (n[len("random: "):], row_by(pc, n)["tick_ratio"])
        for n in ("random: altcall, 2 sites after apply", "random: function pointer",
                  "random: function pointer, retpoline", "random: function pointer, cet")))
    bar_rows = [row_by(pc, n) for n in bench_percall.BAR]
    insn_ok = all(bench_percall.bar(r)[0] for r in bar_rows)
    tick_ok = all(bench_percall.bar(r)[1] for r in bar_rows)
    lines.append("- the bar (altcall sites and alternative_call after apply = a direct call): "
                 "instructions %s, ticks within 2%% %s" % (met(insn_ok), met(tick_ok)))
    big = pa["runs"][-1]
    lines.append("- patching: %.1f ns per site at %d sites (first apply, fresh process; goal "
                 "<= %d: %s)" % (big["ns"] / big["sites"], big["sites"], PATCH_GOAL_NS,
                                 met(big["ns"] / big["sites"] <= PATCH_GOAL_NS)))
    k = co["kernel"]
    if "skipped" not in k and k["ok"] and not k["failed"]:
        lines.append("- compile time, Linux kernel files without sites: %.3fx" % k["ratio"])
    elif "skipped" not in k:
        lines.append("- compile time, Linux kernel files: the plugin failed on %d of %d files" % (
            len({o for o, _ in k["failed"]}), k["files"]))
    empty = co["small"]["units"]["empty.c"]
    lines.append("- compile time, empty unit, instructions: plugin %.3fx, plugin linked to "
                 "libstdc++ (before) %.3fx" % (empty["plugin"] / empty["none"],
                                               empty["plugin, libstdc++ linked"] / empty["none"]))
    b = co["generated"]["best"]
    lines.append("- compile time, a file of %d sites vs the same plain calls: %.3fx" % (
        co["generated"]["sites"], b["sites+plugin"] / b["plain"]))
    lines.append("- size: %.0f-byte record per site, %+.1f bytes of text per site" % (
        co["size"]["record"], co["size"]["text"]))
    return "\n".join(lines)


def patch_bound(pa):
    """What the first apply's time at the largest size is made of."""
    r = pa["runs"][-1]
    n, total, mp = r["sites"], r["ns"], r["mprotect_ns"]
    faults = r["cost"]["once"]["ns"]
    rest = max(0, total - mp - faults)
    return (
        "What bounds the patching: at %d sites the first apply takes %.2f ms.  Its %d "
        "mprotect calls take %.2f ms (%.0f%%, timed in the traced binary; the user "
        "platform keeps one writable window per text mapping for the whole apply).  "
        "Page faults (%d minor: read, then copy-on-write, of each text page) and the "
        "writes cost about %.2f ms, what the same writes cost under a single mprotect "
        "pair: a floor set by the kernel, not by altcall.  The remaining %.2f ms "
        "(%.1f ns/site) is reading /proc/self/maps, walking and checking the records "
        "and decoding the sites." % (
            n, total / 1e6, r["mprotects"], mp / 1e6, 100.0 * mp / total, r["minflt"],
            faults / 1e6, rest / 1e6, rest / n))


def flags_section(cfg, pc, pa, co):
    lines = ["Per call, each translation unit (`gcc`):", ""]
    lines += ["- `%s`: `%s`" % (tu, f.replace("-fplugin=" + cfg.plugin, "-fplugin=altcall.so"))
              for tu, f in pc["flags"].items()]
    if pc["arm64_flags"]:
        lines += ["", "arm64 (`aarch64-linux-gnu-gcc`, run under `qemu-aarch64`):", ""]
        lines += ["- `%s`: `%s`" % (tu, f.replace("-fplugin=" + cfg.plugin_a64, "-fplugin=altcall.so"))
                  for tu, f in pc["arm64_flags"].items()]
    lines += ["", "Patching: generated sites `gcc %s`, main program `gcc %s`." % (
        pa["gen_flags"], pa["main_flags"])]
    lines += ["Compile time and size: generated file `gcc %s [-DPLAIN] [-fplugin=altcall.so]`." %
              co["generated"]["flags"]]
    k = co["kernel"]
    if "example" in k:
        lines += ["Kernel files: Kbuild's own command line from x86-64 defconfig, plus "
                  "`-fplugin=altcall.so`; for example:", "", "```", k["example"], "```"]
    return "\n".join(lines)


METHOD = """\
- Per call: each variant is a noipa driver calling a noipa callee
  (`return x + K`) N times and summing the results (bench/src/percall*.c).
  Every run is checked: the sum proves which target ran and how often.
  Instructions per call are (Ir(N2) - Ir(N1)) / (N2 - N1) of the driver's
  inclusive callgrind cost (N1 = {n1}, N2 = {n2}): fixed costs cancel and
  nothing is subtracted.  Ticks are `rdtscp` TSC ticks per call (reference
  cycles, not core cycles: this VM has no PMU) of {n} calls: {procs}
  processes one after the other (each with its own address-space layout),
  each pinned to one CPU and running {reps} rounds of all variants
  interleaved, each round starting one variant later; median, interquartile
  range, min and max of all {samples} samples of a variant.  Byte-identical
  loops (the direct call and the applied sites) show the same occasional
  slow samples, up to ~3x, at random: noise from outside the process,
  which widens the spreads but not the medians.
  "Before apply" sites are never applied: their bytes are what the compiler
  emitted; "after apply" ones are applied (altcall_apply_user on their own
  records) and their pointer is then changed, to show a patched
  alternative_call no longer reads it.  "random:" rows pick one of two
  targets per call from a 64 KiB pseudo-random table (a strict alternation
  would be learnt by the predictors); their baseline is the same choice
  made by an if/else between two direct calls.  CET: the kernel does not
  enforce IBT in user space, so the cost is endbr64 and the indirect call.
- Patching: one fresh process per run, altcall_apply() timed with
  CLOCK_MONOTONIC; faults from getrusage; mprotect calls counted and timed
  in a second binary linked with --wrap=mprotect.  bench/src/mprotect_cost.c
  writes the same number of 5-byte sites over a private read-only
  executable mapping of the same size of a page-cached file.
- Compile time: user CPU seconds of gcc and its children (cc1, as), best
  of 3.  The real code base is Linux, the code altcall is for: Debian's
  linux-source-6.1, x86-64 defconfig with the kernel's own GCC plugins
  off (so that altcall's is the only one), prepared once and kept in the
  scratch directory; each file compiles with the exact command line
  Kbuild used (from its .cmd file), without the depfile and objtool.  The
  two builds of a file, with and without the plugin, run side by side on
  the 2 cores, 3 times.
- Library dispatch: a shared library computes CRC-32C, chosen once by CPU
  feature (SSE4.2's crc32 instruction, else a table) and called through a
  static ops struct (bench/src/libdispatch_lib.c); a driver calls its
  exported function N times on the same buffer, each result chained into
  the next and checked.  Instructions: the driver's inclusive callgrind
  cost, by the same difference; ticks: median of every round of every
  process.  Ratios to the plain build (an indirect call, no mitigation).
  x86-64 only.
- Arm64 instructions: qemu-user's log of translated blocks (-d in_asm) and
  of their executions (-d exec,nochain), by the same difference.
"""


def write_report(cfg, path, mach, pc, pa, co, rows, li):
    text = ["# altcall benchmark results", "",
            "Written by `bench/run.sh%s` (bench/bench.py); every number below is "
            "from that one run." % (" --tiny" if cfg.tiny else ""), "",
            "## Headline", "", headline(pc, pa, co), "",
            "## Machine", "",
            "- CPU: %s, %d cores" % (mach["cpu"], mach["cores"]),
            "- kernel: %s" % mach["kernel"],
            "- compiler: %s" % mach["gcc"],
            "- date: %s" % mach["date"],
            "- load average (1 min) at start: %.2f, at end: %.2f (other work on the "
            "machine shows up in the tick spreads)" % (mach["load"], os.getloadavg()[0]),
            "",
            "## Results", "", table(rows), "", patch_bound(pa), "",
            "## Method", "", METHOD.format(n1=cfg.count_n[0], n2=cfg.count_n[1],
                                            procs=cfg.percall_procs, reps=cfg.percall_reps,
                                            samples=cfg.percall_procs * cfg.percall_reps,
                                            n=cfg.percall_n),
            "## Compiler flags", "", flags_section(cfg, pc, pa, co), "",
            "Library dispatch (the CPU chose the %s implementation), the library "
            "(`gcc`, linked with libaltcall.a); the driver `gcc -O2`:" % li["impl"], ""]
    text += ["- %s: `%s`" % (n, f) for n, f in li["flags"]]
    text += [""]
    # The live re-apply section comes from bench/bench_live.py and the
    # kernel section from bench/kernel.sh (their own runs): kept as they are.
    if os.path.exists(path):
        with open(path) as f:
            old = f.read()
        live = "\n## Live re-apply (bench/bench_live.py)"
        marker = "\n## Linux kernel (bench/kernel.sh)"
        if live in old:
            text.append(live.lstrip("\n") + old.split(live, 1)[1].split(marker, 1)[0])
        if marker in old:
            text.append(marker.lstrip("\n") + old.split(marker, 1)[1])
    with open(path, "w") as f:
        f.write("\n".join(text))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tiny", action="store_true",
                    help="smoke run: tiny sizes, 3 repetitions, 1k sites, no kernel")
    ap.add_argument("--build", required=True, help="the altcall build directory")
    ap.add_argument("--out", help="where to write the report")
    args = ap.parse_args()
    try:
        cfg = Config(args.build, args.tiny)
        mach = machine()
        pc = bench_percall.measure(cfg)
        pa = bench_patch.measure(cfg)
        co = bench_compile.measure(cfg)
        li = bench_library.measure(cfg)
    except BenchError as e:
        log("bench: FAILED: %s" % e)
        return 1
    rows = percall_rows(pc) + li["rows"] + patch_rows(pa) + compile_rows(co)
    out = args.out or (os.path.join(cfg.work, "RESULTS-tiny.md") if cfg.tiny
                       else os.path.join(cfg.bench, "RESULTS.md"))
    write_report(cfg, out, mach, pc, pa, co, rows, li)
    print(table(rows))
    print("\nwritten to %s" % out)
    k = co["kernel"]
    if k.get("failed"):
        log("bench: FAILED: the plugin failed on kernel files: %s" %
            "; ".join("%s: %s" % (o, e) for (o, _), e in sorted(k["failed"].items())))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
