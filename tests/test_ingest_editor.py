"""The editor stays in control: --dry-run, hints in the raw text, new sections as data."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

from gazette_site import urls
from gazette_site.model import section_slug
from ingest_support import FIXTURES, REPO, parse_text
from render_fixtures import build_site, settings

CITY = FIXTURES / "city-gazette-2019-6.txt"


def run_ingest(tmp_path: Path, raw_file: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), "ingest", str(raw_file), "--content", str(tmp_path / "content"), *args],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
    )


def test_dry_run_prints_the_split_and_writes_nothing(tmp_path):
    result = run_ingest(tmp_path, CITY, "--dry-run")
    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if line.startswith("| ")]
    assert rows[0].split(" | ")[:4] == ["| 序号", "栏目", "标题", "发文字号"]
    # one row per document, with its section, 发文字号, printed pages and source lines
    assert len(rows) == 2 + 5
    assert "| 1 | 市政府文件 | 盘锦市人民政府关于" in rows[2] and "盘政发〔2016〕10号" in rows[2]
    assert "试运行，未写入任何文件" in result.stdout
    assert not (tmp_path / "content").exists()


def test_a_new_section_becomes_a_category_with_a_pinyin_address(tmp_path):
    result = run_ingest(tmp_path, CITY)
    assert result.returncode == 0, result.stderr
    categories = set()
    for path in (tmp_path / "content" / "2019" / "6").glob("*.md"):
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        categories.add(front["category"])
    assert categories == {"市政府文件", "市政府办公室文件", "县（市、区）文件选登", "大事记"}
    assert urls.category("市政府文件") == "category/shizhengfuwenjian/"
    assert urls.category("县（市、区）文件选登") == "category/xianshiquwenjianxuandeng/"
    # the sections named before sections were data keep their published slugs
    assert section_slug("区级文件选登") == "qujiwenjian"
    assert "model.CATEGORIES" not in result.stderr


HINTED = """某某市人民政府公报
2021年第3期

@@栏目 市政府文件
市人民政府关于做好防汛工作的通知
各区人民政府：
请做好防汛工作。
某某市人民政府
2021年6月1日
@@文档
市人民政府关于做好抗旱工作的通知
各区人民政府：
请做好抗旱工作。
某某市人民政府
2021年6月2日
"""


def test_hints_force_a_section_and_a_document_boundary():
    parsed, problems = parse_text(HINTED)
    assert parsed is not None, [str(p) for p in problems]
    assert [(d.category, d.title, d.date.isoformat()) for d in parsed.drafts] == [
        ("市政府文件", "市人民政府关于做好防汛工作的通知", "2021-06-01"),
        ("市政府文件", "市人民政府关于做好抗旱工作的通知", "2021-06-02"),
    ]
    # the hints are not content
    assert all("@@" not in d.body for d in parsed.drafts)


def test_without_the_hints_the_same_text_is_not_split():
    plain = "\n".join(line for line in HINTED.split("\n") if not line.startswith("@@"))
    parsed, problems = parse_text(plain)
    assert parsed is None or len(parsed.drafts) < 2


def test_a_page_hint_gives_printed_pages_where_the_text_has_none():
    text = HINTED.replace("@@文档\n", "@@文档\n@@第 7 页\n")
    parsed, _ = parse_text(text)
    assert [d.page for d in parsed.drafts] == [6, 7]


def test_a_hint_the_parser_does_not_know_is_an_error_with_its_line():
    parsed, problems = parse_text(HINTED.replace("@@文档", "@@新栏目"))
    assert parsed is None
    assert any(p.line == 10 and "看不懂的提示行" in p.message for p in problems.errors)


def test_a_masthead_alone_is_never_filed_as_a_document():
    parsed, problems = parse_text("某某市人民政府公报\n2021年第3期\n\n主办：某某市人民政府\n\n本期要目\n")
    assert parsed is None
    assert any("没有找到任何文档" in p.message for p in problems.errors)


def test_the_issue_number_can_come_from_the_file_name(tmp_path):
    raw = tmp_path / "mouzhou-gongbao-2021-3.txt"
    raw.write_text(HINTED.replace("2021年第3期\n", ""), encoding="utf-8")
    result = run_ingest(tmp_path, raw, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "按文件名取 2021年第3期" in result.stderr


def test_an_issue_of_another_gazette_is_published_with_its_sections_and_printed_pages(tmp_path):
    """Ingest a city gazette, build it: new 栏目 are pages of their own, in the order site.yaml gives,
    and a document shows the printed pages it runs over, in its page and its citation."""
    assert run_ingest(tmp_path, CITY).returncode == 0
    out = tmp_path / "public"
    build_site(tmp_path / "content", out, settings(sections=("大事记", "市政府办公室文件"),
                                                   section_labels=(("县（市、区）文件选登", "县区文件"),)))
    categories = (out / "category" / "index.html").read_text(encoding="utf-8")
    order = [categories.index(name) for name in ("大事记", "市政府办公室文件", "市政府文件", "县区文件")]
    assert order == sorted(order)
    assert (out / "category" / "shizhengfuwenjian" / "index.html").is_file()
    # a label changes what the site shows, never the address
    assert "县（市、区）文件选登" not in categories
    listed = (out / "category" / "xianshiquwenjianxuandeng" / "index.html").read_text(encoding="utf-8")
    assert "<h1><span class=\"kind\">栏目</span>县区文件</h1>" in listed
    page = (out / "doc" / "panzhengbanfa-2018-23" / "index.html").read_text(encoding="utf-8")
    assert "，第2—3页" in page
    record = json.loads((out / "doc" / "panzhengbanfa-2018-23.json").read_text(encoding="utf-8"))
    assert (record["page"], record["page_end"]) == (2, 3)
    assert record["citation"].split("[J/OL]. ")[1].startswith("盘锦市人民政府公报, 2019(6): 2-3.")


def test_feeds_are_linked_from_the_pages_they_cover_and_the_printing_date_is_shown(tmp_path):
    raw = tmp_path / "guangzhou-2004-5.txt"
    raw.write_bytes((FIXTURES / "municipal-gazette-2004-5.txt").read_bytes())
    assert run_ingest(tmp_path, raw).returncode == 0
    out = tmp_path / "public"
    build_site(tmp_path / "content", out, settings())
    home = (out / "index.html").read_text(encoding="utf-8")
    assert 'rel="alternate" type="application/atom+xml"' in home and 'href="feed.xml" type="application/atom+xml"' in home
    section = next((out / "category").glob("*/index.html")).read_text(encoding="utf-8")
    assert 'href="feed.xml" type="application/atom+xml">订阅本栏目（Atom）' in section
    issue = (out / "2004" / "5" / "index.html").read_text(encoding="utf-8")
    assert "<dt>出版日期</dt><dd>2004年5月20日</dd>" in issue
