# SPDX-License-Identifier: MIT
"""Compile-time cost (plugin loaded or not: Linux kernel files from
Debian's linux-source package, and a generated file full of sites) and
size per site (record, text, alternative_call trampolines)."""
import glob
import os
import shlex
import shutil

import gen_sites
from benchutil import BenchError, log, parallel, run, section_sizes, user_time

GEN_FLAGS = ["-O2"]

# Kernel files compiled as x86-64 defconfig builds them: core code of every
# subsystem, large and small.  Their command lines come from Kbuild's .cmd
# files, so each compiles with exactly the kernel's flags.
KERNEL_OBJS = """
kernel/sched/core.o kernel/sched/fair.o kernel/fork.o kernel/signal.o kernel/workqueue.o
kernel/time/hrtimer.o mm/page_alloc.o mm/memory.o mm/mmap.o mm/slub.o mm/vmscan.o fs/namei.o
fs/dcache.o fs/ext4/inode.o net/core/dev.o net/core/skbuff.o net/ipv4/tcp_input.o
lib/vsprintf.o block/blk-mq.o drivers/base/core.o arch/x86/kernel/cpu/common.o
security/selinux/hooks.o
""".split()
# The kernel is chosen, not the newest installed: figures stay comparable
# from run to run (bench/RESULTS.md's are 6.1's).  ALTCALL_BENCH_KERNEL=6.12
# measures another linux-source-<version>.
KERNEL_VERSION = os.environ.get("ALTCALL_BENCH_KERNEL", "6.1")
KERNEL_TARBALL = "/usr/src/linux-source-%s.tar.xz" % KERNEL_VERSION
KERNEL_PACKAGES = "linux-source-%s flex bison bc libelf-dev libssl-dev" % KERNEL_VERSION


def first_error(err):
    """The compiler's first error line from a BenchError (its first line is
    the command)."""
    lines = str(err).splitlines()[1:] or ["?"]
    return next((l for l in lines if "error:" in l), lines[-1]).strip()


def generated(cfg):
    """User seconds (best of reps) to compile one file of cfg.compile_sites
    functions: plain calls without and with the plugin loaded, and sites."""
    out = cfg.workdir("compile")
    [src] = gen_sites.generate(out, cfg.compile_sites, 1, pointer=False)
    plugin = "-fplugin=" + cfg.plugin
    configs = [("plain", ["-DPLAIN"]), ("plain+plugin", ["-DPLAIN", plugin]),
               ("sites+plugin", [plugin])]
    best = {}
    for rep in range(cfg.compile_reps):
        # Rotate the order so that no configuration always runs first.
        for name, extra in configs[rep % 3:] + configs[:rep % 3]:
            obj = os.path.join(out, name + ".o")
            t = user_time(["gcc"] + GEN_FLAGS + extra + ["-I" + cfg.include, "-c", src, "-o", obj])
            best[name] = min(best.get(name, t), t)
    return {"sites": cfg.compile_sites, "best": best, "reps": cfg.compile_reps,
            "flags": " ".join(GEN_FLAGS),
            "objs": {name: os.path.join(out, name + ".o") for name, _ in configs}}


def sizes(cfg, gen):
    """Bytes per site: record, text beside a plain direct call, and for
    alternative_call text beside a plain indirect call plus trampolines."""
    n = gen["sites"]
    s, p = section_sizes(gen["objs"]["sites+plugin"]), section_sizes(gen["objs"]["plain"])
    out = cfg.workdir("size")
    n_ptr = 1000
    [src] = gen_sites.generate(out, n_ptr, 1, pointer=True)
    ptr_sites, ptr_plain = os.path.join(out, "ptr-sites.o"), os.path.join(out, "ptr-plain.o")
    base = ["gcc"] + GEN_FLAGS + ["-I" + cfg.include, "-c", src, "-o"]
    run(base + [ptr_sites, "-fplugin=" + cfg.plugin], what="compile pointer sites")
    run(base + [ptr_plain, "-DPLAIN"], what="compile plain indirect calls")
    ps, pp = section_sizes(ptr_sites), section_sizes(ptr_plain)
    return {
        "sites": n, "record": s.get("altcall_sites", 0) / n,
        "text": (s[".text"] - p[".text"]) / n, "plain_text": p[".text"] / n,
        "ptr_sites": n_ptr, "ptr_pointers": gen_sites.POINTERS,
        "ptr_record": ps.get("altcall_sites", 0) / n_ptr,
        "ptr_text": (ps[".text"] - pp[".text"]) / n_ptr, "ptr_plain_text": pp[".text"] / n_ptr,
        "tramp": ps.get(".text.altcall_tramp", 0),
    }


def kernel_missing():
    if not os.path.exists(KERNEL_TARBALL):
        return None, KERNEL_TARBALL + " missing"
    for tool in ("make", "flex", "bison", "bc"):
        if not shutil.which(tool):
            return None, tool + " not installed"
    for header in ("/usr/include/gelf.h", "/usr/include/openssl/ssl.h"):
        if not os.path.exists(header):
            return None, header + " missing"
    return KERNEL_TARBALL, None


def prepare_kernel(cfg, tarball):
    """Extract, configure (x86-64 defconfig, the kernel's own GCC plugins off)
    and build KERNEL_OBJS once, for their .cmd files; kept between runs."""
    tree = os.path.join(cfg.work, "linux")
    stamp = os.path.join(tree, ".altcall-bench-ready")
    want = tarball + "\n" + " ".join(KERNEL_OBJS) + "\n"
    if os.path.exists(stamp) and open(stamp).read() == want:
        return tree
    log("compile time: preparing %s (once; about a minute)" % os.path.basename(tarball))
    shutil.rmtree(tree, ignore_errors=True)
    tmp = cfg.workdir("linux-extract")
    run(["tar", "-xf", tarball, "-C", tmp], what="extract the kernel")
    [top] = os.listdir(tmp)
    os.rename(os.path.join(tmp, top), tree)
    os.rmdir(tmp)
    make = ["make", "-j%d" % cfg.jobs]
    run(make + ["defconfig"], cwd=tree, what="make defconfig")
    run(["./scripts/config", "--disable", "GCC_PLUGINS"], cwd=tree, what="scripts/config")
    run(make + ["olddefconfig"], cwd=tree, what="make olddefconfig")
    run(make + ["prepare"], cwd=tree, what="make prepare")
    run(make + KERNEL_OBJS, cwd=tree, what="make the kernel objects")
    with open(stamp, "w") as f:
        f.write(want)
    return tree


def kernel_command(tree, obj, out):
    """The gcc command Kbuild ran for obj, writing out instead (no depfile,
    no objtool: the compiler alone).  Its line is "cmd_<obj> := ..." up to
    Linux 6.1, "savedcmd_<obj> := ..." since 6.2."""
    d, b = os.path.split(obj)
    with open(os.path.join(tree, d, "." + b + ".cmd")) as f:
        # "cmd_" until 6.1, "savedcmd_" since 6.3.
        line = next(l for l in f if l.startswith(("cmd_", "savedcmd_")))
    args = [a for a in shlex.split(line.split(":=", 1)[1].split("; ")[0])
            if not a.startswith("-Wp,-MMD")]
    args[args.index("-o") + 1] = out
    return args


def kernel(cfg):
    tarball, missing = kernel_missing()
    if missing:
        return {"skipped": "%s (apt-get install %s)" % (missing, KERNEL_PACKAGES)}
    tree = prepare_kernel(cfg, tarball)
    out = cfg.workdir("kernel-objs")
    plugin = "-fplugin=" + cfg.plugin
    jobs = []
    for i, obj in enumerate(KERNEL_OBJS):
        jobs.append((obj, "plain", kernel_command(tree, obj, os.path.join(out, "%d-plain.o" % i))))
        cmd = kernel_command(tree, obj, os.path.join(out, "%d-plugin.o" % i))
        jobs.append((obj, "plugin", cmd[:-1] + [plugin, cmd[-1]]))
    reps = 3
    log("compile time: %d kernel files x %d, with and without the plugin" % (len(KERNEL_OBJS), reps))
    best, failed = {}, {}

    def one(job):
        obj, config, cmd = job
        if (obj, config) in failed:
            return
        try:
            t = user_time(cmd, cwd=tree)
        except BenchError as e:
            failed[(obj, config)] = first_error(e)
            return
        best[(obj, config)] = min(best.get((obj, config), t), t)

    # The two builds of one file run side by side on the 2 cores, so that
    # whatever else the machine does hits both alike.
    for _ in range(reps):
        parallel(one, jobs, cfg.jobs)
    ok = [o for o in KERNEL_OBJS if (o, "plain") in best and (o, "plugin") in best]
    plain = sum(best[(o, "plain")] for o in ok)
    with_plugin = sum(best[(o, "plugin")] for o in ok)
    ratios = [best[(o, "plugin")] / best[(o, "plain")] for o in ok]
    return {
        "source": os.path.basename(tarball), "files": len(KERNEL_OBJS), "ok": len(ok),
        "plain": plain, "plugin": with_plugin, "ratio": with_plugin / plain if ok else None,
        "min_ratio": min(ratios) if ok else None, "max_ratio": max(ratios) if ok else None,
        "failed": failed, "example": " ".join(kernel_command(tree, KERNEL_OBJS[0], "OUT.o")),
    }


# Small units, where a plugin's fixed cost (loading it, and whatever it
# loads) shows most: an empty unit and two small files of this tree.
SMALL_UNITS = ["empty.c", "bench/src/percall_plain.c", "runtime/user.c"]


def cc1_instructions(cmd, out):
    """Instructions executed by every process of one compile (the driver,
    cc1, as), under callgrind: counts are exact and stable, times are not."""
    for old in glob.glob(out + ".*"):
        os.remove(old)
    run(["valgrind", "--tool=callgrind", "--trace-children=yes",
         "--callgrind-out-file=" + out + ".%p"] + cmd, what="compile under callgrind")
    total = 0
    for path in glob.glob(out + ".*"):
        with open(path) as f:
            for line in f:
                if line.startswith("summary:") or line.startswith("totals:"):
                    total += int(line.split()[1])
                    break
    return total


def small_units(cfg):
    """Instructions to compile small units with no plugin, with the plugin,
    and with the plugin linked the old way (as C++, NEEDED libstdc++.so.6),
    which shows the fixed cost the C link removed."""
    out = cfg.workdir("small")
    objs = glob.glob(cfg.plugin + ".p/*.o")
    if not objs:
        raise BenchError("no plugin objects beside %s (scripts/build-plugin.py keeps them in %s.p)"
                         % (cfg.plugin, cfg.plugin))
    cxx_dir = os.path.join(out, "cxx-link")
    os.makedirs(cxx_dir, exist_ok=True)
    cxx_plugin = os.path.join(cxx_dir, "altcall.so")
    major = run(["gcc", "-dumpversion"]).strip().split(".")[0]
    run(["g++-" + major, "-shared", "-o", cxx_plugin] + sorted(objs), what="link the plugin as C++")
    empty = os.path.join(out, "empty.c")
    open(empty, "w").close()
    configs = [("none", []), ("plugin", ["-fplugin=" + cfg.plugin]),
               ("plugin, libstdc++ linked", ["-fplugin=" + cxx_plugin])]
    units = {}
    for unit in SMALL_UNITS:
        src = empty if unit == "empty.c" else os.path.join(cfg.root, unit)
        units[unit] = {name: cc1_instructions(
            ["gcc", "-O2", "-I" + cfg.include, "-c", src, "-o", os.path.join(out, "unit.o")] + extra,
            os.path.join(out, "callgrind")) for name, extra in configs}
    return {"units": units, "configs": [name for name, _ in configs]}


def measure(cfg):
    log("compile time: small units under callgrind")
    small = small_units(cfg)
    log("compile time: generated file with %d sites" % cfg.compile_sites)
    gen = generated(cfg)
    result = {"generated": gen, "size": sizes(cfg, gen), "small": small}
    if cfg.tiny:
        result["kernel"] = {"skipped": "--tiny"}
    else:
        result["kernel"] = kernel(cfg)
    return result
