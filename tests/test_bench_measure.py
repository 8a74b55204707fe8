"""The benchmark's memory sampling says who held the process tree's peak, not only each program's own peak."""
from __future__ import annotations

import os
import shutil
import sys
import textwrap
from pathlib import Path

import pytest

from support.tools import unavailable

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import measure  # noqa: E402

# Python holds 150 MB, lets it go, then runs Perl holding some 40 MB: the tree
# peaks during the first phase, Perl's own peak comes in the second.
TWO_PHASES = textwrap.dedent("""
    import subprocess, time
    held = bytearray(150 * 2**20)
    held[::4096] = b"x" * len(held[::4096])  # touched, so resident
    time.sleep(1.0)
    del held
    subprocess.run(["perl", "-e", '$x = "y" x (20 * 2**20); sleep 1'], check=True)
""")


def test_the_tree_peak_is_split_by_program_at_that_moment():
    if not os.access(measure.TIME, os.X_OK) or shutil.which("perl") is None:
        unavailable(f"GNU time ({measure.TIME}) or perl is not installed")
    sample = measure.run([sys.executable, "-c", TWO_PHASES], memory_limit_mb=4096)
    at_peak = sample.at_tree_peak_mb
    assert abs(sum(at_peak.values()) - sample.tree_rss_mb) < 0.01
    assert at_peak.get("python3", at_peak.get("python", 0)) >= 150
    assert at_peak.get("perl", 0) < 10 and sample.program_rss_mb["perl"] >= 20
    summary = measure.Summary.of([sample])
    assert summary.at_tree_peak_mb == at_peak


# Python holds 150 MB and starts a child that shares its address space, as a
# child of vfork does until it runs another program; the child waits in pause().
SHARED_CHILD = textwrap.dedent("""
    import ctypes, os, signal, time
    held = bytearray(150 * 2**20)
    held[::4096] = b"x" * len(held[::4096])
    libc = ctypes.CDLL(None, use_errno=True)
    stack = ctypes.create_string_buffer(2**20)
    libc.clone.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p]
    CLONE_VM = 0x100
    child = libc.clone(ctypes.cast(libc.pause, ctypes.c_void_p), (ctypes.addressof(stack) + 2**20) & ~15,
                       CLONE_VM | signal.SIGCHLD, None)
    assert child > 0, ctypes.get_errno()
    time.sleep(1.0)
    os.kill(child, signal.SIGKILL)
    os.waitpid(child, 0)
""")


def test_a_child_sharing_its_parents_memory_counts_once():
    if not os.access(measure.TIME, os.X_OK):
        unavailable(f"GNU time ({measure.TIME}) is not installed")
    if not measure.shares_memory(os.getpid(), os.getpid()):  # a kernel's setting, not a tool CI can install
        pytest.skip("the kernel does not answer kcmp(KCMP_VM) here: the harness then counts such a child twice")
    sample = measure.run([sys.executable, "-c", SHARED_CHILD], memory_limit_mb=4096)
    assert 150 <= sample.tree_rss_mb < 200  # one copy of the 150 MB, not two


# Two workers of a forkserver burn CPU: they are the forkserver's children, and
# the forkserver is not waited for by the program that started it.
FORKSERVER_WORK = textwrap.dedent("""
    import concurrent.futures, multiprocessing, time

    def burn(seconds):
        end = time.process_time() + seconds
        while time.process_time() < end:
            pass

    if __name__ == "__main__":
        context = multiprocessing.get_context("forkserver")
        with concurrent.futures.ProcessPoolExecutor(2, mp_context=context) as pool:
            list(pool.map(burn, [0.6, 0.6]))
""")


def test_cpu_time_counts_workers_of_a_forkserver(tmp_path):
    if not os.access(measure.TIME, os.X_OK):
        unavailable(f"GNU time ({measure.TIME}) is not installed")
    script = tmp_path / "work.py"  # forkserver workers import the main module by its path
    script.write_text(FORKSERVER_WORK)
    sample = measure.run([sys.executable, str(script)], memory_limit_mb=4096)
    assert sample.cpu_seconds >= 1.1
