"""The benchmark's memory sampling says who held the process tree's peak, not only each program's own peak."""
from __future__ import annotations

import os
import shutil
import sys
import textwrap
from pathlib import Path

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
