"""BENCHMARKS.md shows the saved results: what bench/report.py makes of bench/results/*.json."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import report  # noqa: E402


def test_the_page_shows_the_saved_results(tmp_path):
    page = shutil.copyfile(ROOT / "BENCHMARKS.md", tmp_path / "BENCHMARKS.md")
    report.write(ROOT / "bench" / "results", page)
    assert page.read_text(encoding="utf-8") == (ROOT / "BENCHMARKS.md").read_text(encoding="utf-8")
