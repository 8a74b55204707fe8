"""Every command finds its paths by one rule, wherever it runs.

A path given on the command line is taken from the working directory; one
left out comes from the settings file and is taken from that file's folder.
The projects here keep their archive in ``archive/`` and their inbox in
``waiting/`` (site.yaml says so), and the commands run from a folder beside.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import REPO_ROOT

SEED = REPO_ROOT / "content" / "2023" / "1" / "source.txt"
PAGE = Path("doc") / "xinzhengfa-2023-1" / "index.html"


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, str(REPO_ROOT / "build.py"), *args], cwd=cwd, capture_output=True,
                            text=True, timeout=300)
    assert "Traceback" not in result.stderr, result.stderr
    return result


@pytest.fixture
def project(tmp_path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    settings = (REPO_ROOT / "site.yaml").read_text(encoding="utf-8")
    settings = settings.replace("content_dir: content", "content_dir: archive").replace("inbox_dir: inbox", "inbox_dir: waiting")
    (project / "site.yaml").write_text(settings, encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    return project


def files(directory: Path) -> set[str]:
    return {p.relative_to(directory).as_posix() for p in directory.rglob("*")}


def test_paths_left_out_come_from_the_settings_in_their_folder(project):
    elsewhere = project.parent / "elsewhere"
    settings = ("--settings", "../project/site.yaml")
    ingested = run(elsewhere, "ingest", str(SEED), *settings)
    assert ingested.returncode == 0, ingested.stderr
    assert (project / "archive" / "2023" / "1" / "issue.yaml").is_file()
    checked = run(elsewhere, "check", *settings)
    assert checked.returncode == 0 and "检查通过：1 期，10 篇文件" in checked.stdout, checked.stderr
    built = run(elsewhere, "build", *settings, "--no-search")
    assert built.returncode == 0, built.stderr
    assert (project / "public" / PAGE).is_file()
    assert files(elsewhere) == set()


def test_paths_given_are_taken_from_the_working_directory_by_every_command(project):
    elsewhere = project.parent / "elsewhere"
    settings = ("--settings", "../project/site.yaml")
    # --content-dir: how ingest once spelled --content, still accepted
    for spelling in ("--content", "--content-dir"):
        ingested = run(elsewhere, "ingest", str(SEED), *settings, spelling, f"given{spelling}")
        assert ingested.returncode == 0, ingested.stderr
        assert (elsewhere / f"given{spelling}" / "2023" / "1" / "issue.yaml").is_file()
    built = run(elsewhere, "build", *settings, "--content", "given--content", "--out", "site", "--no-search")
    assert built.returncode == 0, built.stderr
    assert (elsewhere / "site" / PAGE).is_file()
    # the project's folder has only the build's caches: no archive, no site
    assert {path.split("/")[0] for path in files(project)} == {"site.yaml", ".cache"}


def test_publish_takes_its_inbox_from_the_settings_too(project):
    (project / "waiting").mkdir()
    shutil.copyfile(SEED, project / "waiting" / "2023-1.txt")
    published = run(project.parent / "elsewhere", "publish", "--settings", "../project/site.yaml")
    assert published.returncode == 0, published.stderr
    assert (project / "archive" / "2023" / "1" / "source.txt").read_bytes() == SEED.read_bytes()
    assert (project / "public" / PAGE).is_file()


def test_ingest_without_content_or_settings_names_the_settings_file(tmp_path):
    result = run(tmp_path, "ingest", str(SEED))
    assert result.returncode == 1 and "site.yaml: 错误: 找不到网站设置文件" in result.stderr
    assert files(tmp_path) == set()


def test_the_old_spelling_is_not_advertised(tmp_path):
    shown = run(tmp_path, "ingest", "--help").stdout
    assert "--content CONTENT" in shown and "--content-dir" not in shown


def test_messages_name_files_from_the_working_directory_where_they_are_inside_it(project):
    """Editors and their tools open ``archive/2023/1/x.md:3`` as given; a file elsewhere keeps its full path."""
    assert run(project, "ingest", str(SEED)).returncode == 0
    page = next((project / "archive" / "2023" / "1").glob("*.md"))
    good = page.read_text(encoding="utf-8")
    page.write_text(good.replace("date: ", "date: 不是日期", 1), encoding="utf-8")
    inside = run(project, "check")
    shown = f"archive/2023/1/{page.name}:"
    assert inside.returncode == 1 and f"\n{shown}" in f"\n{inside.stderr}", inside.stderr
    beside = run(project.parent / "elsewhere", "check", "--settings", "../project/site.yaml")
    assert beside.returncode == 1 and f"{page.parent}/{page.name}:" in beside.stderr, beside.stderr
    page.write_text(good, encoding="utf-8")
    built = run(project, "build", "--no-search")
    assert built.returncode == 0 and built.stdout.rstrip().endswith("→ public"), built.stdout
