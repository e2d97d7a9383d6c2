# SPDX-License-Identifier: MIT
"""What the benchmark parts share: the configuration, running commands,
timing children, statistics."""
import os
import shlex
import statistics
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor


def plugin_for(build, cc):
    """The plugin the build made for compiler cc (build/plugin/gcc-12/...)."""
    major = subprocess.run([cc, "-dumpversion"], capture_output=True, text=True,
                           check=True).stdout.strip().split(".")[0]
    return os.path.join(build, "plugin", "%s-%s" % (cc, major), "altcall.so")


class BenchError(Exception):
    """A variant failed to build or run, or printed a wrong result."""


class Config:
    """Paths and sizes of one run.  Paths of the altcall build come from
    BUILD_DIR, each overridable by its own environment variable."""

    def __init__(self, build, tiny):
        self.bench = os.path.dirname(os.path.abspath(__file__))
        self.root = os.path.dirname(self.bench)
        self.src = os.path.join(self.bench, "src")
        self.include = os.environ.get("ALTCALL_INCLUDE", os.path.join(self.root, "include"))
        self.build = os.path.abspath(build)
        b = self.build
        self.plugin = os.environ.get("ALTCALL_PLUGIN", plugin_for(b, "gcc"))
        self.runtime = os.environ.get("ALTCALL_RUNTIME", os.path.join(b, "runtime", "libaltcall.a"))
        self.plugin_a64 = os.environ.get(
            "ALTCALL_PLUGIN_AARCH64", plugin_for(b, "aarch64-linux-gnu-gcc"))
        self.runtime_a64 = os.environ.get(
            "ALTCALL_RUNTIME_AARCH64", os.path.join(b, "runtime", "libaltcall-aarch64.a"))
        self.work = os.path.abspath(os.environ.get("ALTCALL_BENCH_WORK", os.path.join(b, "bench")))
        self.tiny = tiny
        self.jobs = 2
        if tiny:
            self.percall_n, self.percall_procs, self.percall_reps = 20000, 1, 3
            self.patch_sites, self.patch_reps = [1000], 3
            self.compile_sites, self.compile_reps = 1000, 3
        else:
            self.percall_n, self.percall_procs, self.percall_reps = 200000, 31, 11
            self.patch_sites, self.patch_reps = [1000, 10000, 100000], 7
            self.compile_sites, self.compile_reps = 10000, 3
        # Instructions per call = (Ir(N2) - Ir(N1)) / (N2 - N1).
        self.count_n = (1000, 3000) if tiny else (1000, 11000)
        for path in (self.plugin, self.runtime):
            if not os.path.exists(path):
                raise BenchError("%s not found: build altcall first (or pass BUILD_DIR)" % path)
        os.makedirs(self.work, exist_ok=True)

    def workdir(self, *parts):
        path = os.path.join(self.work, *parts)
        os.makedirs(path, exist_ok=True)
        return path


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def run(cmd, cwd=None, what=None):
    """Run cmd (a list), return its stdout; BenchError with its stderr if it fails."""
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True)
    if proc.returncode:
        raise BenchError("%s failed (exit %d): %s\n%s" % (
            what or os.path.basename(cmd[0]), proc.returncode,
            " ".join(shlex.quote(c) for c in cmd), proc.stderr.strip()[-3000:]))
    return proc.stdout


def user_time(cmd, cwd=None):
    """User CPU seconds of cmd and everything it waited for (cc1, as)."""
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise BenchError("failed (exit %d): %s\n%s" % (
            proc.returncode, " ".join(shlex.quote(c) for c in cmd),
            err.decode(errors="replace").strip()[-3000:]))
    return usage.ru_utime


def parallel(fn, items, jobs):
    """fn over items, jobs at a time, results in order; the first error wins."""
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(fn, items))


def median(xs):
    return statistics.median(xs)


def quartiles(xs):
    """(25th, 75th) percentile: the spread reported beside a median."""
    if len(xs) < 4:
        return min(xs), max(xs)
    q = statistics.quantiles(xs, n=4, method="inclusive")
    return q[0], q[2]


def section_sizes(obj):
    """{section name: size} of an ELF object, from binutils' size -A."""
    sizes = {}
    for line in run(["size", "-A", obj]).splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0].startswith((".", "altcall")) and parts[1].isdigit():
            sizes[parts[0]] = sizes.get(parts[0], 0) + int(parts[1])
    return sizes
