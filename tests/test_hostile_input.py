"""Bad and hostile input through the command line, one table row per case.

Every case states its exact outcome: the exit code, the problem's file:line
and message, or the escaped/dropped fragment of the page. All run as a
subprocess (exit codes, no traceback) inside tmp_path, next to a published
site or hand-edited content that must come out byte for byte unchanged.
"""
from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from support import REPO_ROOT, compare_trees

HOSTILE = REPO_ROOT / "tests" / "fixtures" / "hostile"
MINI_CONTENT = REPO_ROOT / "tests" / "fixtures" / "content-mini"
SETTINGS = REPO_ROOT / "site.yaml"
VARIATIONS = REPO_ROOT / "tests" / "fixtures" / "ingest" / "variations-2023-2.txt"
# The document each content case replaces; its page is where output lands.
VICTIM = Path("2023") / "1" / "03-2023-1-zhengwujianxun-1.md"
VICTIM_PAGE = Path("doc") / "2023-1-zhengwujianxun-1" / "index.html"
CJK = [chr(c) for c in range(0x4E00, 0x9FA6)]


def run_cli(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    # TMPDIR inside the test's directory: a stray temporary file shows up there.
    env = {**os.environ, "TMPDIR": str(cwd / "tmp")}
    (cwd / "tmp").mkdir(exist_ok=True)
    return subprocess.run([sys.executable, str(REPO_ROOT / "build.py"), *args],
                          capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


def listing(directory: Path) -> set[str]:
    return {p.name for p in directory.iterdir()}


@pytest.fixture
def sandbox(tmp_path):
    """tmp_path, checked afterwards: nothing appeared beside it or at the top of the repository."""
    around, repo = listing(tmp_path.parent), listing(REPO_ROOT)
    yield tmp_path
    assert listing(tmp_path.parent) == around
    assert listing(REPO_ROOT) <= repo | {".hypothesis", ".pytest_cache"}
    # .site.state: what the build keeps about site/ (its lock, its record of what it published), beside it
    assert listing(tmp_path) <= {"raw", "content", "before", "site", ".site.state", "published", "tmp"}


# --- raw issue texts -------------------------------------------------------

def random_chinese(megabytes: int) -> str:
    """Lines of random CJK characters; a fixed seed keeps failures reproducible."""
    rng, lines, size = random.Random(20231), [], 0
    while size < megabytes * 1_000_000:
        line = "".join(rng.choices(CJK, k=rng.randint(1, 80)))
        lines.append(line)
        size += len(line.encode()) + 1
    return "\n".join(lines) + "\n"


def with_long_line() -> str:
    """The variations issue with one 2 MB line inside its first 公文."""
    text = VARIATIONS.read_text(encoding="utf-8")
    line = "".join(random.Random(20232).choices(CJK, k=700_000))
    anchor = "2023年4月6日"
    return text.replace(anchor, line + "\n" + anchor, 1)


@dataclass(frozen=True)
class RawCase:
    name: str
    exit_code: int
    messages: tuple[str, ...]  # each a fragment of one stderr line, ``{raw}`` for the file
    documents: int = 0         # Markdown files written on success


RAW_CASES = [
    RawCase("empty.txt", 1, ("{raw}: 错误: 文件是空的",)),
    RawCase("junk.txt", 1, ("{raw}: 错误: 这不是文本文件",)),
    RawCase("truncated.txt", 0, (), documents=2),
    RawCase("gb18030.txt", 0, ("{raw}: 提示: 文件不是 UTF-8，已按 GB18030 解码",), documents=5),
    RawCase("bom-crlf.txt", 0, ("{raw}:105: 警告: 《新洲区城市绿化管理规定》没有发文字号",), documents=5),
    # Both documents are kept; the later one under a provisional id the warning names.
    RawCase("duplicate-doc-number.txt", 0, ("{raw}:70: 警告: 发文字号 新政规〔2023〕1号 重复：第 36 行",), documents=5),
    RawCase("bad-date.txt", 0, ("{raw}:66: 警告: 成文日期2023年2月30日 不是有效的日期：date 留空",), documents=5),
    RawCase("random-20mb.txt", 1, ("{raw}:1: 错误: 没有找到刊头（年份和期号）：请用 --year 和 --issue",)),
    RawCase("long-line.txt", 0, (), documents=5),
]
GENERATED = {"random-20mb.txt": lambda: random_chinese(20), "long-line.txt": with_long_line}


def raw_file(directory: Path, name: str) -> Path:
    directory.mkdir(exist_ok=True)
    path = directory / name
    if name in GENERATED:
        path.write_text(GENERATED[name](), encoding="utf-8")
    else:
        shutil.copyfile(HOSTILE / "raw" / name, path)
    return path


@pytest.fixture
def edited_content(sandbox):
    """A content dir holding an ingested issue with one document corrected by hand."""
    content = sandbox / "content"
    result = run_cli(sandbox, "ingest", str(VARIATIONS), "--content", str(content))
    assert result.returncode == 0, result.stderr
    edited = next(content.glob("2023/2/0[1-9]-*.md"))
    edited.write_text(edited.read_text(encoding="utf-8").replace("。", "。（已校对）", 1), encoding="utf-8")
    shutil.copytree(content, sandbox / "before")
    return content


@pytest.mark.parametrize("case", RAW_CASES, ids=lambda c: c.name)
def test_raw_issue_text(case, sandbox):
    content = sandbox / "content"
    raw = raw_file(sandbox / "raw", case.name)
    result = run_cli(sandbox, "ingest", str(raw), "--content", str(content))
    assert result.returncode == case.exit_code, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.splitlines()
    for message in case.messages:
        fragment = message.format(raw=raw.relative_to(sandbox))  # as shown: from the working directory
        assert any(fragment in line for line in lines), (fragment, result.stderr[-2000:])
    written = sorted(content.glob("*/*/*.md"))
    assert len(written) == case.documents
    if case.exit_code:
        assert not content.exists()


@pytest.mark.parametrize("case", [c for c in RAW_CASES if c.exit_code and c.name in ("junk.txt", "empty.txt")],
                         ids=lambda c: c.name)
def test_failed_ingest_leaves_hand_edited_content_alone(case, sandbox, edited_content):
    raw = raw_file(sandbox / "raw", case.name)
    result = run_cli(sandbox, "ingest", str(raw), "--content", str(edited_content), "--year", "2023", "--issue", "2")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert compare_trees(sandbox / "before", edited_content) == []


# --- content files ---------------------------------------------------------

@dataclass(frozen=True)
class ContentCase:
    name: str
    line: int | None = None   # the error's line in the file; None: the build succeeds
    message: str = ""         # error fragment, or a fragment the page must contain
    absent: tuple[str, ...] = ()  # what must not reach the page


CONTENT_CASES = [
    ContentCase("not-yaml.md", 3, "错误: 不是有效的 YAML"),
    ContentCase("billion-laughs.md", 2, "错误: 不允许使用 YAML 锚点和别名"),
    ContentCase("unknown-field.md", 13, "错误: 未知字段 “secret”"),
    ContentCase("missing-field.md", 2, "错误: 缺少必填字段 “title”"),
    ContentCase("id-path-traversal.md", 2, "错误: 字段 “id” id 只能由小写字母、数字和连字符组成"),
    ContentCase("id-with-spaces.md", 2, "错误: 字段 “id” id 只能由小写字母、数字和连字符组成"),
    ContentCase("title-script.md", message="/\">&lt;script&gt;alert(1)&lt;/script&gt;通知</h1>",
                # The JSON-LD copy says < and > as \u003c and \u003e, so it cannot close its element.
                absent=("<script>alert(1)</script>",)),
    ContentCase("raw-html.md", message="<p>&lt;iframe src=&quot;https://evil.example/&quot;&gt;&lt;/iframe&gt;",
                absent=("<iframe", "<img src=x", "<script>alert")),
    ContentCase("javascript-link.md", message="<p>[点我](javascript:alert(1)) 与 [数据](data:text/html",
                absent=('href="javascript:', 'href="data:')),
    ContentCase("external-link.md", message='<a href="https://www.gov.cn/" rel="noopener noreferrer">国务院网站</a>'),
    # Dropped for its alt text: nothing is fetched from another host (the CSP would also refuse it).
    ContentCase("external-image.md", message="图", absent=("<img", "evil.example")),
]


@pytest.fixture
def published(sandbox):
    """The mini archive built into ``site``, with a copy in ``published`` to compare against."""
    site = sandbox / "site"
    result = run_cli(sandbox, "build", "--settings", str(SETTINGS), "--content", str(MINI_CONTENT), "--out", str(site), "--no-search")
    assert result.returncode == 0, result.stderr
    shutil.copytree(site, sandbox / "published")
    return site


@pytest.mark.parametrize("case", CONTENT_CASES, ids=lambda c: c.name)
def test_content_file(case, sandbox, published):
    content = sandbox / "content"
    shutil.copytree(MINI_CONTENT, content)
    shutil.copyfile(HOSTILE / "content" / case.name, content / VICTIM)
    result = run_cli(sandbox, "build", "--settings", str(SETTINGS), "--content", str(content), "--out", str(published), "--no-search")
    assert "Traceback" not in result.stderr + result.stdout
    if case.line is not None:
        assert result.returncode == 1
        assert f"content/{VICTIM}:{case.line}: {case.message}" in result.stderr, result.stderr
        assert compare_trees(sandbox / "published", published) == []
        return
    assert result.returncode == 0, result.stderr
    page = (published / VICTIM_PAGE).read_text(encoding="utf-8")
    assert case.message in page
    for fragment in case.absent:
        assert fragment not in page
