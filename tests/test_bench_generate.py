"""The benchmark's synthetic archive is valid content with unique ids and 发文字号; its profile sees the whole build."""
from __future__ import annotations

import pstats
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from gazette_site import content
from gazette_site.ingest.issue import parse_issue
from gazette_site.problems import Problems

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import synthetic  # noqa: E402

COPIES = 7  # more than one year's issues, so numbers and years both vary


def test_synthetic_archive_loads_without_problems(tmp_path):
    docs = synthetic.write_archive(tmp_path / "content", COPIES, tmp_path / "hugo")
    problems = Problems()
    archive = content.load(tmp_path / "content", problems)
    assert not problems.errors and not problems.warnings
    assert len(archive.issues) == COPIES
    assert len(archive.documents) == docs == COPIES * len(synthetic.seed_documents())
    ids = [doc.id for doc in archive.documents]
    numbers = [doc.doc_number for doc in archive.documents if doc.doc_number]
    assert len(set(ids)) == len(ids)
    assert len(set(numbers)) == len(numbers) > 0
    for doc in archive.documents:
        assert doc.date is None or doc.date.year == doc.issue.year
        if doc.doc_number:
            assert f"〔{doc.issue.year}〕" in doc.doc_number


def test_hugo_copy_has_one_page_per_document_at_the_same_url(tmp_path):
    synthetic.write_archive(tmp_path / "content", 2, tmp_path / "hugo")
    pages = sorted(p for p in (tmp_path / "hugo").rglob("*.md") if p.name != "_index.md")
    fronts = [yaml.safe_load(p.read_text(encoding="utf-8").split("---\n")[1]) for p in pages]
    assert len(pages) == 2 * len(synthetic.seed_documents())
    assert all(front["url"] == f"/doc/{front['id']}/" for front in fronts)
    assert all(value is not None for front in fronts for value in front.values())


def test_large_raw_issue_ingests_without_errors():
    assert synthetic.raw_issue(1) == (synthetic.SEED / "source.txt").read_text(encoding="utf-8")
    problems = Problems()
    parsed = parse_issue(synthetic.raw_issue(3).encode("utf-8"), "large-issue.txt", problems)
    assert parsed is not None and not problems.errors  # a repeated id or 发文字号 would be an error
    assert len(parsed.drafts) == 3 * len(synthetic.seed_documents())


def test_the_profile_of_a_build_holds_rendering_too(tmp_path):
    """The build renders on workers, which cProfile does not follow: the harness profiles it in one process."""
    synthetic.write_archive(tmp_path / "content", 5)  # 50 documents: past the threshold for workers
    stats = tmp_path / "cold.prof"
    root = Path(__file__).resolve().parents[1]
    shutil.copyfile(root / "site.yaml", tmp_path / "site.yaml")  # its caches go beside it, not into the repository
    result = subprocess.run([sys.executable, "bench/profile_build.py", str(stats), "build", "--settings",
                             str(tmp_path / "site.yaml"), "--content", str(tmp_path / "content"),
                             "--out", str(tmp_path / "out"), "--no-search"], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    profiled = {function for _, _, function in pstats.Stats(str(stats)).stats}
    assert {"render_body", "page_text"} & profiled == {"render_body"}
    assert (tmp_path / "out" / "index.html").is_file()


def test_adding_one_issue_starts_from_the_site_as_the_build_published_it(tmp_path):
    """The harness restores the built site before each add-one run; a copy with new inodes
    would look changed by hand to the build, which would then make every file anew."""
    import run
    root = Path(__file__).resolve().parents[1]
    synthetic.write_archive(tmp_path / "content", 2, tmp_path / "hugo-content")
    by_name = {scenario.name: scenario for scenario in run.scenarios(tmp_path, 2, Path("pagefind"))}
    outputs = []
    for name in ("cold build (render + search)", "no-op rebuild", "rebuild after adding one issue"):
        by_name[name].prepare()
        result = subprocess.run(by_name[name].command, cwd=root, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        outputs.append(result)
    assert "网站已是最新" in outputs[1].stdout
    assert "重新生成" not in outputs[2].stderr
    # The first issue's pages are kept: the very files the snapshot holds.
    pages = sorted((tmp_path / "out-snapshot" / "doc").glob("*/index.html"))
    assert pages and all((tmp_path / "out" / page.relative_to(tmp_path / "out-snapshot")).stat().st_ino
                         == page.stat().st_ino for page in pages)
