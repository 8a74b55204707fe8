"""content/ → model.Archive: the contract of docs/content-format.md, and clear
problems (file:line) for everything an editor can get wrong."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from gazette_site import content
from gazette_site.model import IssueRef
from gazette_site.problems import Problems
from render_fixtures import MINI_CONTENT

DOC = "2023/1/02-xinzhengban-2023-5.md"


@pytest.fixture
def archive_dir(tmp_path) -> Path:
    return Path(shutil.copytree(MINI_CONTENT, tmp_path / "content"))


def load(root: Path) -> tuple[object, list[str]]:
    problems = Problems()
    archive = content.load(root, problems)
    return archive, [str(p) for p in problems]


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_mini_archive_loads_completely():
    archive, problems = load(MINI_CONTENT)
    assert problems == []
    assert [i.ref for i in archive.issues] == [IssueRef(2022, 4), IssueRef(2023, 1)]
    doc = next(d for d in archive.documents if d.id == "xinzhengban-2023-5")
    assert doc.issuers == ["武汉市新洲区人民政府办公室", "中共武汉市新洲区委办公室"]
    assert doc.date == dt.date(2023, 3, 1)
    assert doc.attachments == ["2023年重点工作责任细化分解表"]
    assert doc.body_line == 14 and content.read_body(doc).startswith("各街道办事处")
    assert [d.order for d in archive.issues[1].documents] == [1, 2, 3, 4]
    assert archive.issues[1].source.bytes == 102


@pytest.mark.parametrize("old, new, expected", [
    ("title: 区人民政府办公室", "title: 区人民政府办公室: ", f"{DOC}:3: 错误: 不是有效的 YAML"),
    ("date: 2023-03-01", "date: 2023-02-30", f"{DOC}:6: 错误: 字段 “date” 不是实际存在的日期：2023-02-30"),
    ("date: 2023-03-01", "date: 2023年3月1日", f"{DOC}:6: 错误: 字段 “date” 日期应写成 YYYY-MM-DD"),
    ("id: xinzhengban-2023-5", "id: XinZhengBan_2023", f"{DOC}:2: 错误: 字段 “id” id 只能由小写字母"),
    # sections are data: any name is a section, but it must be one name
    ("category: 区级文件选登", "category: [区级文件选登, 大事记]", f"{DOC}:7: 错误: 字段 “category” 栏目应是一个名称"),
    ("order: 2\n", "order: 2\ncolour: red\n", f"{DOC}:10: 错误: 未知字段 “colour”"),
    ("title: 区人民政府办公室关于做好2023年重点工作责任分解工作的通知\n", "", f"{DOC}:2: 错误: 缺少必填字段 “title”"),
    ("issue: {year: 2023, number: 1}", "issue: {year: 2023, number: 2}", f"{DOC}:2: 错误: 字段 issue 写的是 2023年第2期"),
    ("---\nid:", "id:", f"{DOC}:1: 错误: 缺少 YAML 前置元数据"),
])
def test_each_mistake_in_a_document_is_reported_with_file_and_line(archive_dir, old, new, expected):
    replace(archive_dir / DOC, old, new)
    archive, problems = load(archive_dir)
    problems = [p.replace(str(archive_dir) + "/", "") for p in problems]
    assert any(p.startswith(expected) for p in problems), problems
    assert "xinzhengban-2023-5" not in {d.id for d in archive.documents}


def test_corrections_are_kept_with_the_reading_they_replaced():
    archive, problems = load(MINI_CONTENT)
    doc = next(d for d in archive.documents if d.id == "xinzhengfa-2023-1")
    assert problems == [] and [(c.date, c.original, c.corrected) for c in doc.corrections] == [
        (dt.date(2024, 3, 1), "8000入", "8000人")]


@pytest.mark.parametrize("entry, expected", [
    ("- {date: 2024-03-01, original: 郝城, corrected: 邾城}", "第 1 条应写成"),  # no reason
    ("- {date: 2024-03-01, original: 郝城, corrected: 郝城, reason: 误识}", "第 1 条的原文与更正相同"),
    ("- {date: 2024-02-30, original: 郝城, corrected: 邾城, reason: 误识}", "第 1 条的 date 不是实际存在的日期"),
    ("- {date: 2024-03-01, original: 郝城, corrected: 邾城, reason: ' '}", "第 1 条缺少更正理由"),
    ("郝城 → 邾城", "应为勘误条目列表"),
])
def test_a_malformed_correction_is_reported_with_its_line(archive_dir, entry, expected):
    replace(archive_dir / DOC, "attachments: [2023年重点工作责任细化分解表]\n",
            f"attachments: [2023年重点工作责任细化分解表]\ncorrections:\n  {entry}\n" if entry.startswith("-")
            else f"attachments: [2023年重点工作责任细化分解表]\ncorrections: {entry}\n")
    archive, problems = load(archive_dir)
    assert any(f"{DOC}:13: 错误: 字段 “corrections” {expected}" in p for p in problems), problems
    assert "xinzhengban-2023-5" not in {d.id for d in archive.documents}


def test_yaml_anchors_and_aliases_are_refused(archive_dir):
    # The classic "billion laughs" shape, kept small.
    replace(archive_dir / DOC, "attachments: [2023年重点工作责任细化分解表]",
            "attachments: &a [x, x]\nsource_lines: *a")
    _, problems = load(archive_dir)
    assert any(p.endswith("不允许使用 YAML 锚点和别名（& 和 *）") and ":12:" in p for p in problems), problems


def test_a_duplicate_id_names_both_files(archive_dir):
    copy = archive_dir / "2023/1/05-copy.md"
    copy.write_text((archive_dir / DOC).read_text(encoding="utf-8").replace("order: 2", "order: 5"), encoding="utf-8")
    archive, problems = load(archive_dir)
    assert len(problems) == 1
    assert "05-copy.md:2: 错误: id “xinzhengban-2023-5” 重复" in problems[0]
    assert str(archive_dir / DOC) in problems[0]


def test_issue_yaml_must_match_its_directory_and_source(archive_dir):
    replace(archive_dir / "2022/4/issue.yaml", "number: 4", "number: 3")
    (archive_dir / "2023/1/source.txt").unlink()
    archive, problems = load(archive_dir)
    assert any("2022/4/issue.yaml:3: 错误: 期号 2022年第3期 与目录 2022/4 不符" in p for p in problems), problems
    assert any("2023/1/issue.yaml:21: 错误: 找不到原始文本 source.txt" in p for p in problems), problems
    assert [i.year for i in archive.issues] == [2023]


def test_a_missing_content_directory_is_one_clear_error(tmp_path):
    archive, problems = load(tmp_path / "nowhere")
    assert archive.issues == [] and problems == [f"{tmp_path / 'nowhere'}: 错误: 找不到内容目录"]


def test_an_unreadable_document_is_an_error_naming_it(archive_dir):
    doc = archive_dir / DOC
    doc.unlink()
    doc.mkdir()  # listed as a document, but cannot be read as a file
    archive, problems = load(archive_dir)
    assert len(problems) == 1 and problems[0].startswith(f"{doc}: 错误: 无法读取文件：")
    assert "xinzhengban-2023-5" not in {d.id for d in archive.documents}


def test_files_saved_by_windows_notepad_load_as_they_read(archive_dir):
    """Notepad writes UTF-8 with a byte order mark and CRLF line ends: the same document and issue."""
    original, _ = load(MINI_CONTENT)
    for path in (archive_dir / DOC, archive_dir / "2023/1/issue.yaml"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    archive, problems = load(archive_dir)
    assert problems == []
    fields = list(content.DOCUMENT_FIELDS)
    assert [[getattr(d, f) for f in fields] for d in archive.documents] == \
           [[getattr(d, f) for f in fields] for d in original.documents]
    saved = next(d for d in archive.documents if d.id == "xinzhengban-2023-5")
    assert content.read_body(saved).replace("\r\n", "\n") == \
           content.read_body(next(d for d in original.documents if d.id == saved.id))


@pytest.mark.parametrize("name", [DOC, "2023/1/issue.yaml"])
def test_a_file_saved_as_gb18030_is_an_error_naming_its_first_such_line(archive_dir, name):
    path = archive_dir / name
    lines = path.read_text(encoding="utf-8").split("\n")
    line = next(n for n, text in enumerate(lines, 1) if not text.isascii())  # the first with Chinese in it
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    _, problems = load(archive_dir)
    assert f"{path}:{line}: 错误: {content.NOT_UTF8}" in problems
