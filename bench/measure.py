"""Whole-process measurements: wall time and peak memory of a command.

GNU time (``/usr/bin/time -v``) gives wall time and the peak RSS of the
largest single process. Our build runs Pagefind as a second process beside
Python, so the tree's summed RSS is sampled from /proc as well: that is what
the machine must hold. CPU time is what the kernel counted for every process
of the tree once reaped: GNU time's own count leaves out processes it never
waits for (the build's search workers are children of a multiprocessing
forkserver, which outlives the build by a moment and is reaped by init), so
this process adopts the tree's orphans (a child subreaper) and reaps them. A process that shares its parent's address space (a
child between vfork and exec: Python starts every Pagefind run that way) is
its parent's memory, not more of it, and is left out of the sum. A run whose
tree exceeds ``memory_limit`` is killed, so that a benchmark never takes a
shared machine down.
"""
from __future__ import annotations

import ctypes
import math
import os
import platform
import re
import resource
import signal
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

TIME = "/usr/bin/time"
SAMPLE_SECONDS = 0.1
ORPHAN_GRACE_SECONDS = 5  # for the tree's orphans to end on their own before they are killed
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


class CommandFailed(Exception):
    def __init__(self, command: list[str], returncode: int, output: str):
        super().__init__(f"{' '.join(command)} exited with {returncode}:\n{output[-3000:]}")
        self.output = output


@dataclass(frozen=True)
class Sample:
    seconds: float
    cpu_seconds: float  # user + system, all processes (what two cores can overlap)
    max_rss_mb: float  # largest single process, from GNU time
    tree_rss_mb: float  # whole process tree, sampled
    program_rss_mb: dict[str, float]  # peak of each program in the tree, sampled
    output: str  # stdout and stderr, interleaved
    killed: bool = False  # stopped at the memory limit
    # Each program's share when the tree peaked: the peaks above may come at
    # different moments, these add up to ``tree_rss_mb``.
    at_tree_peak_mb: dict[str, float] = field(default_factory=dict)


_SYS_KCMP = {"x86_64": 312, "aarch64": 272}.get(platform.machine())
_KCMP_VM = 1
_libc = ctypes.CDLL(None, use_errno=True)
_PR_SET_CHILD_SUBREAPER = 36


def shares_memory(pid: int, other: int) -> bool:
    """Whether the kernel says both processes have one address space (``kcmp``; False where it cannot say)."""
    return _SYS_KCMP is not None and _libc.syscall(_SYS_KCMP, pid, other, _KCMP_VM, 0, 0) == 0


def _parent_map() -> dict[int, int]:
    parents = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:  # exited meanwhile
                continue
            # The command name may hold spaces and parentheses: fields start after the last ")".
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return parents


def tree_rss_kb(root: int) -> dict[str, int]:
    """RSS of each program in the process tree under ``root``, by name; a child sharing its parent's memory counts once."""
    parents = _parent_map()
    tree, frontier = set(), [root]
    while frontier:
        pid = frontier.pop()
        tree.add(pid)
        frontier.extend(child for child, parent in parents.items() if parent == pid)
    by_name: dict[str, int] = {}
    for pid in tree - {root}:  # root is GNU time itself
        if parents.get(pid) in tree and shares_memory(pid, parents[pid]):
            continue
        try:
            name = Path(f"/proc/{pid}/comm").read_text().strip()
            rss = int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_KB
        except OSError:
            continue
        by_name[name] = by_name.get(name, 0) + rss
    return by_name


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _reap_orphans(group: int) -> None:
    """Wait for the processes of the measured tree that outlived it (adopted here, see the module's
    docstring), so that their CPU time is counted; those still running after a grace period are killed."""
    deadline = time.monotonic() + ORPHAN_GRACE_SECONDS
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:  # none left
            return
        if pid:
            continue
        if time.monotonic() > deadline:
            try:
                os.killpg(group, signal.SIGKILL)
            except ProcessLookupError:
                pass
            deadline = math.inf
        time.sleep(0.01)


def _time_field(report: str, label: str) -> str:
    return re.search(rf"^\s*{re.escape(label)}.*?: (\S+)$", report, re.MULTILINE)[1]


def _clock_seconds(text: str) -> float:
    seconds = 0.0
    for part in text.split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


def run(command: list[str], memory_limit_mb: float, cwd: Path | None = None) -> Sample:
    """Run ``command`` once under GNU time; raises CommandFailed on a non-zero exit."""
    _libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    cpu_before = _children_cpu()
    with tempfile.TemporaryDirectory(prefix="gazette-bench-run-") as temp:
        report, log = Path(temp, "time"), Path(temp, "log")
        with log.open("wb") as stream:
            process = subprocess.Popen([TIME, "-v", "-o", str(report), *command], cwd=cwd, stdout=stream,
                                       stderr=subprocess.STDOUT, start_new_session=True)
            start, tree_peak, at_peak, program_peak, killed = time.perf_counter(), 0, {}, {}, False
            try:
                while process.poll() is None:
                    by_name = tree_rss_kb(process.pid)
                    if (total := sum(by_name.values())) > tree_peak:
                        tree_peak, at_peak = total, by_name
                    program_peak = {name: max(kb, program_peak.get(name, 0))
                                    for name, kb in {**program_peak, **by_name}.items()}
                    if tree_peak > memory_limit_mb * 1024 and not killed:
                        os.killpg(process.pid, signal.SIGKILL)
                        killed = True
                    time.sleep(SAMPLE_SECONDS)
            finally:  # Ctrl-C: the command has a session of its own and would live on
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGKILL)
            elapsed = time.perf_counter() - start
            _reap_orphans(process.pid)
        cpu = _children_cpu() - cpu_before
        programs = {name: kb / 1024 for name, kb in program_peak.items()}
        shares = {name: kb / 1024 for name, kb in at_peak.items()}
        output = log.read_text(encoding="utf-8", errors="replace")
        if killed:
            return Sample(elapsed, math.nan, tree_peak / 1024, tree_peak / 1024, programs, output, True, shares)
        if process.returncode:
            raise CommandFailed(command, process.returncode, output)
        text = report.read_text()
        return Sample(_clock_seconds(_time_field(text, "Elapsed (wall clock) time")), cpu,
                      int(_time_field(text, "Maximum resident set size")) / 1024, tree_peak / 1024, programs, output,
                      at_tree_peak_mb=shares)


@dataclass(frozen=True)
class Summary:
    runs: int
    seconds: tuple[float, float, float]  # median, min, max
    cpu_seconds: float  # median
    max_rss_mb: float  # the highest of all runs
    tree_rss_mb: float
    program_rss_mb: dict[str, float]
    killed: bool
    at_tree_peak_mb: dict[str, float]  # of the run whose tree peaked highest

    @classmethod
    def of(cls, samples: list[Sample]) -> "Summary":
        seconds = [s.seconds for s in samples]
        return cls(len(samples), (statistics.median(seconds), min(seconds), max(seconds)),
                   statistics.median(s.cpu_seconds for s in samples),
                   max(s.max_rss_mb for s in samples), max(s.tree_rss_mb for s in samples),
                   {name: max(s.program_rss_mb.get(name, 0) for s in samples)
                    for name in {name for s in samples for name in s.program_rss_mb}},
                   any(s.killed for s in samples), max(samples, key=lambda s: s.tree_rss_mb).at_tree_peak_mb)
