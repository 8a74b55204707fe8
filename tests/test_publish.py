"""Publishing as an editor does it: one command, atomic, permanent URLs, incremental, preview."""
from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import feedparser
import jsonschema
import pytest

from gazette_site.output import record_dir
from support import REPO_ROOT, compare_trees

# The seed issue as received, kept byte for byte in the repository; an editor would drop it in inbox/ by this name.
SEED = REPO_ROOT / "content" / "2023" / "1" / "source.txt"
SEED_NAME = "xinzhou-gongbao-2023-1.txt"
BUILD = [sys.executable, str(REPO_ROOT / "build.py")]


def run(project: Path, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([*BUILD, *args], cwd=project, capture_output=True, text=True, timeout=timeout)


def snapshot(directory: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(directory).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path):
    """An editor's checkout: settings and an empty archive, the seed issue waiting in inbox/."""
    shutil.copy(REPO_ROOT / "site.yaml", tmp_path / "site.yaml")
    (tmp_path / "content").mkdir()
    (tmp_path / "inbox").mkdir()
    shutil.copy(SEED, tmp_path / "inbox" / SEED_NAME)
    return tmp_path


@pytest.fixture
def published(project):
    result = run(project)
    assert result.returncode == 0, result.stderr
    return project


def test_one_command_publishes_the_inbox(published):
    public = published / "public"
    assert (published / "content" / "2023" / "1" / "source.txt").read_bytes() == SEED.read_bytes()
    assert (public / "doc" / "xinzhengfa-2023-1" / "index.html").is_file()
    assert (public / "search" / "index.json.gz").is_file() and (public / "search" / "buckets" / "0.bin").is_file()
    registry = (published / "content" / "permalinks.txt").read_text(encoding="utf-8").splitlines()
    assert "/doc/xinzhengfa-2023-1/" in registry and "/doc/xinzhengfa-2023-1.json" in registry
    assert "/search/" in registry
    assert not any(line.startswith(("/static/", "/search/buckets/", "/search/text/", "/search/heads/")) for line in registry)


def test_second_publish_changes_nothing(published):
    before = snapshot(published / "public")
    result = run(published)
    assert result.returncode == 0, result.stderr
    assert "网站已是最新" in result.stdout and "没有新增网址" in result.stdout
    assert snapshot(published / "public") == before


def test_an_up_to_date_build_loads_neither_renderer_nor_pinyin(published):
    """Its second under a second is start-up: Jinja, markdown-it and pypinyin would be most of it."""
    result = subprocess.run([sys.executable, "-X", "importtime", *BUILD[1:], "build"], cwd=published,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and "网站已是最新" in result.stdout, result.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert "gazette_site.commands" in imported
    assert not imported & {"jinja2", "markdown_it", "pypinyin", "gazette_site.content"}


def test_summary_says_what_is_new(published):
    second = published / "inbox" / "xinzhou-gongbao-2023-2.txt"
    second.write_text(SEED.read_text(encoding="utf-8")
                      .replace("2023 年第 1 期", "2023 年第 2 期").replace("第1期(总第44期)", "第2期(总第45期)")
                      .replace("第 1 期（总第 44 期）", "第 2 期（总第 45 期）").replace("(总第 44 期)", "(总第 45 期)")
                      .replace("〔2023〕", "〔2023〕1"), encoding="utf-8")
    public = published / "public"
    before = snapshot(public)
    result = run(published)
    assert result.returncode == 0, result.stderr
    assert "2023年第2期（总第45期）：10 篇文档" in result.stdout
    assert re.search(r"新增 \d+ 个网址，其中文件 10 篇：《区人民政府关于印发政府工作报告的通知》；", result.stdout)
    after = snapshot(public)
    rewritten = {p for p in before if p in after and after[p][1] != before[p][1]}
    # pages of the earlier issue's documents are not touched by a new issue
    assert not any(p.startswith("doc/xinzhengfa-2023-1") or p.startswith("search/text/xinzhengfa-2023-1") for p in rewritten)
    assert {"index.html", "feed.xml", "2023/index.html", "2023/1/index.html"} <= rewritten


def test_failing_build_leaves_the_published_site_as_it_was(published):
    before = snapshot(published / "public")
    document = next((published / "content" / "2023" / "1").glob("05-*.md"))
    document.write_text(document.read_text(encoding="utf-8").replace("date: 2023-03-29", "date: 2023-02-30"),
                        encoding="utf-8")
    result = run(published)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(rf"{re.escape(document.name)}:6: 错误: 字段 “date” 不是实际存在的日期", result.stderr)
    assert snapshot(published / "public") == before


def test_killed_build_leaves_the_published_site_as_it_was(published):
    public = published / "public"
    before = snapshot(public)
    document = next((published / "content" / "2023" / "1").glob("02-*.md"))
    document.write_text(document.read_text(encoding="utf-8").replace("建设工作方案的通知", "建设工作方案的通知（修订）"),
                        encoding="utf-8")
    process = subprocess.Popen([*BUILD, "build"], cwd=published, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    staging = published / ".public.state" / "staging"
    deadline = time.monotonic() + 60
    while not staging.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert process.poll() is None, "the build finished before it could be interrupted"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert snapshot(public) == before
    # the next build cleans up and publishes the change
    result = run(published, "build")
    assert result.returncode == 0, result.stderr
    assert not staging.exists()
    assert "（修订）" in (public / "doc" / "xinzhengfa-2023-2" / "index.html").read_text(encoding="utf-8")


def test_a_published_url_cannot_silently_disappear(published):
    registry = (published / "content" / "permalinks.txt").read_text(encoding="utf-8").splitlines()
    line = registry.index("/doc/2023-1-zhengwujianxun-2/") + 1
    before = snapshot(published / "public")
    next((published / "content" / "2023" / "1").glob("08-*.md")).unlink()
    result = run(published)
    assert result.returncode == 1
    broken = [l for l in result.stderr.splitlines() if "已经发布过" in l]
    assert len(broken) == 2 and f"permalinks.txt:{line}: 错误: 网址 /doc/2023-1-zhengwujianxun-2/ 已经发布过" in broken[1]
    assert snapshot(published / "public") == before

    (published / "content" / "redirects.yaml").write_text(
        "/doc/2023-1-zhengwujianxun-2/: /category/zhengwujianxun/\n"
        "/doc/2023-1-zhengwujianxun-2.json: /data/documents.json\n", encoding="utf-8")
    result = run(published)
    assert result.returncode == 0, result.stderr
    page = (published / "public" / "doc" / "2023-1-zhengwujianxun-2" / "index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../../category/zhengwujianxun/">' in page
    assert '<link rel="canonical" href="https://gongbao.xinzhou.example/category/zhengwujianxun/">' in page


def test_builds_are_deterministic_with_search(published, tmp_path):
    other = tmp_path / "elsewhere"
    result = run(published, "build", "--out", str(other))
    assert result.returncode == 0, result.stderr
    assert compare_trees(published / "public", other) == []


def test_feeds_and_open_data_validate(published):
    public = published / "public"
    feed = feedparser.parse((public / "feed.xml").read_bytes())
    assert not feed.bozo and len(feed.entries) == 10
    assert feed.feed.updated.startswith("2023-03-29")
    schema = json.loads((REPO_ROOT / "schemas" / "documents.schema.json").read_text(encoding="utf-8"))
    data = json.loads((public / "data" / "documents.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    assert [d["id"] for d in data["documents"]][:2] == ["xinzhengfa-2023-1", "xinzhengfa-2023-2"]
    single = json.loads((public / "doc" / "xinzhengfa-2023-1.json").read_text(encoding="utf-8"))
    assert single == data["documents"][0]
    # a document a line, for a reader who greps or streams the file
    lines = (public / "data" / "documents.json").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line.rstrip(",")) for line in lines[1:-1]] == data["documents"]
    sitemap = (public / "sitemap.xml").read_text(encoding="utf-8")
    # every page but the search page, whose results are not for crawlers
    assert sitemap.count("<loc>") == sum(1 for p in public.rglob("index.html") if "search" not in p.parts)
    assert (public / "robots.txt").read_text(encoding="utf-8").endswith("sitemap.xml\n")


def test_corrupt_caches_are_not_fatal(published):
    before = {path: data for path, (data, _) in snapshot(published / "public").items()}
    for path in (published / ".cache").rglob("*"):
        if path.is_file():
            path.write_bytes(b"\x00garbage")
    record = record_dir(published / "public")
    (record / "inputs").write_bytes(b"\xff")
    (record / "search" / "build.json").write_bytes(b"\xff")
    result = run(published, "build")
    assert result.returncode == 0, result.stderr
    assert "构建记录已损坏" in result.stderr
    after = {path: data for path, (data, _) in snapshot(published / "public").items()}
    assert after == before


def test_strict_turns_warnings_into_errors(project):
    text = SEED.read_text(encoding="utf-8").replace("新政办〔2023〕4号\n", "")
    (project / "inbox" / SEED_NAME).write_text(text, encoding="utf-8")
    result = run(project, "--strict")
    assert result.returncode == 1 and "没有发文字号" in result.stderr
    assert not (project / "public").exists()


def test_preview_rebuilds_and_reloads(published):
    process = subprocess.Popen([*BUILD, "serve", "--port", "0"], cwd=published, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        address = None
        deadline = time.monotonic() + 120
        while address is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            match = re.search(r"http://127\.0\.0\.1:\d+/", line)
            address = match.group(0) if match else None
        assert address, "the preview did not start"
        page_url = address + "doc/xinzhengban-2023-4/"
        page = urllib.request.urlopen(page_url, timeout=10).read().decode()
        assert '<script src="/__reload.js"></script>' in page
        events = urllib.request.urlopen(address + "__reload", timeout=60)
        document = next((published / "content" / "2023" / "1").glob("05-*.md"))
        document.write_text(document.read_text(encoding="utf-8").replace("电子商务奖励扶持办法的通知", "电子商务奖励扶持办法的通知（预览）"),
                            encoding="utf-8")
        deadline = time.monotonic() + 90
        while ((line := events.readline()).startswith(b":") or line == b"\n") and time.monotonic() < deadline:
            pass  # keep-alive comments
        assert line.startswith(b"data: ")
        assert "（预览）" in urllib.request.urlopen(page_url, timeout=10).read().decode()
        assert "（预览）" not in (published / "public" / "doc" / "xinzhengban-2023-4" / "index.html").read_text(encoding="utf-8")
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
