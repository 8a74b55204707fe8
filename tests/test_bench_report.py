"""BENCHMARKS.md shows the saved results: one table per scenario, each against its target."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import report  # noqa: E402


def test_the_page_shows_the_saved_results(tmp_path):
    page = shutil.copyfile(ROOT / "BENCHMARKS.md", tmp_path / "BENCHMARKS.md")
    report.write(ROOT / "bench" / "results", page)
    assert page.read_text(encoding="utf-8") == (ROOT / "BENCHMARKS.md").read_text(encoding="utf-8")


def test_each_table_judges_each_run_against_its_target(tmp_path):
    page = tmp_path / "BENCHMARKS.md"
    page.write_text("".join(f"## {name}\n\n<!-- bench: {name} -->\nstale rows\n<!-- /bench -->\n\ntext by hand\n"
                            for name in report.TABLES), encoding="utf-8")
    report.write(ROOT / "bench" / "results", page)
    text = page.read_text(encoding="utf-8")
    assert "stale rows" not in text and text.count("text by hand") == len(report.TABLES)
    cold = text.split("<!-- bench: cold -->")[1].split("<!-- /bench -->")[0]
    assert "met (≤ 0.5)" in cold and "| 2,100 |" in cold and "| 10,000 |" in cold


def test_a_page_missing_a_table_is_refused(tmp_path):
    page = tmp_path / "BENCHMARKS.md"
    page.write_text("<!-- bench: cold -->\n<!-- /bench -->\n", encoding="utf-8")
    with pytest.raises(ValueError, match="expected"):
        report.write(ROOT / "bench" / "results", page)
    assert page.read_text(encoding="utf-8") == "<!-- bench: cold -->\n<!-- /bench -->\n"
