"""cProfile of one build in one process, for the harness's profile of a cold build.

The build renders on worker processes, which cProfile does not follow: with
the workers off, every cost of the build is in the one profile (the run takes
longer; it is not one of the timed scenarios).

    python bench/profile_build.py STATS_FILE build [options of build.py build]
"""
from __future__ import annotations

import cProfile
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from gazette_site import parallel  # noqa: E402
from gazette_site.commands import main  # noqa: E402


def profile(stats_file: str, args: list[str]) -> int:
    parallel.PARALLEL_FROM = math.inf
    profiler = cProfile.Profile()
    try:
        return profiler.runcall(main, args)
    finally:
        profiler.dump_stats(stats_file)


if __name__ == "__main__":
    sys.exit(profile(sys.argv[1], sys.argv[2:]))
