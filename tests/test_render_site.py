"""The built site: stable URLs, deterministic output, pages' content and metadata, links."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from gazette_site import commands, content, parallel, settings as settings_module
from gazette_site.build import build
from gazette_site.problems import Abort, Problems
import gazette_site.render as render_module
from gazette_site.render import TEMPLATES, pages
from gazette_site.render.markdown import Heading
from render_fixtures import BASE_URL, MINI_CONTENT, SEED_CONTENT, build_site, settings

from support import check_links, compare_trees

SEARCH_PAGE = "search/index.html"  # written by the search stage, which these builds leave out


def site_files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def read(root: Path, path: str) -> str:
    return (root / path).read_text(encoding="utf-8")


def broken_links(root: Path) -> list[str]:
    return [str(b) for b in check_links(root, "/archive/") if SEARCH_PAGE not in b.reason]


# --- URLs -------------------------------------------------------------------

EXPECTED_MINI_URLS = {
    "index.html", "404.html", "2022/index.html", "2023/index.html",
    "2022/4/index.html", "2022/4/source.txt", "2023/1/index.html", "2023/1/source.txt",
    "doc/xinzhengfa-2022-8/index.html", "doc/xinzhengfa-2022-8.json",
    "doc/2022-4-dashiji-1/index.html", "doc/2022-4-dashiji-1.json",
    "doc/xinzhengfa-2023-1/index.html", "doc/xinzhengfa-2023-1.json",
    "doc/xinzhengban-2023-5/index.html", "doc/xinzhengban-2023-5.json",
    "doc/2023-1-zhengwujianxun-1/index.html", "doc/2023-1-zhengwujianxun-1.json",
    "doc/2023-1-dashiji-1/index.html", "doc/2023-1-dashiji-1.json",
    "category/index.html", "category/qujiwenjian/index.html", "category/zhengwujianxun/index.html",
    "category/dashiji/index.html", "issuer/index.html", "issuer/wuhanshixinzhouqurenminzhengfu/index.html",
    "issuer/wuhanshixinzhouqurenminzhengfubangongshi/index.html",
    "issuer/zhonggongwuhanshixinzhouquweibangongshi/index.html",
    "doc-number/index.html", "dashiji/index.html",
    "static/site.css", "static/print.css", "static/copy.js", "static/favicon.svg", "static/disclosure.js",
    "static/tables.js", "static/passage.js", "static/highlight.js",
    "feed.xml", "category/qujiwenjian/feed.xml", "category/zhengwujianxun/feed.xml", "category/dashiji/feed.xml",
    "sitemap.xml", "robots.txt", "data/documents.json", "data/issues.json",
}


def test_the_urls_are_the_documented_ones(mini_site):
    files = {f for f in site_files(mini_site) if not f.startswith("static/search/")}
    assert files == EXPECTED_MINI_URLS


def test_urls_survive_a_new_title_a_new_template_and_new_settings(tmp_path, mini_site):
    content_dir = shutil.copytree(MINI_CONTENT, tmp_path / "content")
    doc = content_dir / "2023/1/01-xinzhengfa-2023-1.md"
    doc.write_text(doc.read_text(encoding="utf-8").replace(
        "title: 区人民政府关于印发政府工作报告的通知", "title: 关于印发《政府工作报告》的通知（更正）"), encoding="utf-8")
    templates = shutil.copytree(TEMPLATES, tmp_path / "templates")
    page = templates / "document.html"
    page.write_text(page.read_text(encoding="utf-8").replace("<h1 ", '<h1 class="renamed" '), encoding="utf-8")
    out = tmp_path / "elsewhere" / "out"
    build_site(content_dir, out, settings(base_url="https://mirror.example.org/", site_name="公报镜像",
                                          output_dir="elsewhere"), templates)
    assert "关于印发《政府工作报告》的通知（更正）" in read(out, "doc/xinzhengfa-2023-1/index.html")
    assert 'class="renamed"' in read(out, "doc/xinzhengfa-2023-1/index.html")
    assert site_files(out) == site_files(mini_site)


def test_a_new_category_moves_no_document(tmp_path, mini_site):
    content_dir = shutil.copytree(MINI_CONTENT, tmp_path / "content")
    doc = content_dir / "2023/1/02-xinzhengban-2023-5.md"
    doc.write_text(doc.read_text(encoding="utf-8").replace("category: 区级文件选登", "category: 规范性文件"),
                   encoding="utf-8")
    build_site(content_dir, tmp_path / "out")
    docs = lambda root: {f for f in site_files(root) if f.startswith("doc/")}  # noqa: E731
    assert docs(tmp_path / "out") == docs(mini_site)


# --- builds -------------------------------------------------------------------

def test_builds_are_byte_identical_and_a_rebuild_writes_nothing(tmp_path, mini_site):
    build_site(MINI_CONTENT, tmp_path / "again")
    assert compare_trees(mini_site, tmp_path / "again") == []
    problems = Problems()
    report = build(MINI_CONTENT, tmp_path / "again", settings(), problems, search=False)
    assert (report.written, report.removed) == (0, 0) and report.unchanged == len(site_files(mini_site))


def test_a_rebuild_keeps_only_pages_whose_inputs_did_not_change(tmp_path, monkeypatch):
    """Pages kept from the previous build are never stale: the rebuild equals a build from scratch."""
    content_dir = shutil.copytree(MINI_CONTENT, tmp_path / "content")
    out = tmp_path / "out"
    build_site(content_dir, out)
    rendered = []
    original = render_module.render_page
    monkeypatch.setattr(render_module, "render_page", lambda env, site, page, problems: rendered.append(page.path)
                        or original(env, site, page, problems))
    # Shown on other documents' pages: the cited document's title (引用) and a new issue's gazette name.
    cited = content_dir / "2022/4/01-xinzhengfa-2022-8.md"
    cited.write_text(cited.read_text(encoding="utf-8").replace("title: ", "title: 更正后的", 1), encoding="utf-8")
    issue = content_dir / "2023/1/issue.yaml"
    issue.write_text(issue.read_text(encoding="utf-8").replace("gazette: 新洲区人民政府公报", "gazette: 新洲区政府公报"),
                     encoding="utf-8")
    build_site(content_dir, out)
    build_site(content_dir, tmp_path / "scratch")
    assert compare_trees(out, tmp_path / "scratch") == []
    assert "更正后的" in read(out, "doc/xinzhengfa-2023-1/index.html")
    # A change no page shows (the same YAML, written differently) renders no document page again.
    issue.write_text(issue.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    rendered.clear()
    build_site(content_dir, out)
    assert rendered and not [path for path in rendered if path.startswith("doc/")]
    assert compare_trees(out, tmp_path / "scratch") == []


def test_published_files_changed_by_hand_are_made_again_from_content(tmp_path, mini_site):
    """Kept pages are not read again, so one edited or deleted in the output would stay so until
    its document changed: the next build, though no input changed, makes it anew and says so."""
    out = tmp_path / "out"
    build_site(MINI_CONTENT, out)
    edited, deleted = out / "doc/xinzhengfa-2023-1/index.html", out / "doc/xinzhengfa-2022-8.json"
    edited.write_text("<p>改坏了</p>", encoding="utf-8")
    deleted.unlink()
    problems = Problems()
    report = build(MINI_CONTENT, out, settings(), problems, search=False)
    assert not report.up_to_date and report.written == 2
    assert compare_trees(out, mini_site) == []
    assert sorted(p.path for p in problems if p.level.value == "提示") == [str(deleted), str(edited)]
    assert all("按内容重新生成" in p.message for p in problems)
    assert build(MINI_CONTENT, out, settings(), Problems(), search=False).up_to_date


def test_a_rebuild_removes_what_it_no_longer_writes_and_nothing_else(tmp_path):
    content_dir = shutil.copytree(MINI_CONTENT, tmp_path / "content")
    out = tmp_path / "out"
    build_site(content_dir, out)
    (out / "robots.txt").write_text("User-agent: *\n", encoding="utf-8")
    (content_dir / "2023/1/03-2023-1-zhengwujianxun-1.md").unlink()
    build_site(content_dir, out)
    assert not (out / "doc/2023-1-zhengwujianxun-1").exists()
    assert not (out / "doc/2023-1-zhengwujianxun-1.json").exists()
    assert (out / "robots.txt").is_file()
    assert not list(out.rglob(".tmp-*"))


@pytest.mark.parametrize("parallel_from", [1, 10 ** 9], ids=["workers", "one process"])
def test_a_template_typo_fails_the_build_and_names_the_template(tmp_path, monkeypatch, parallel_from):
    """Also where the issue pages are rendered on worker processes, with the documents'."""
    monkeypatch.setattr(parallel, "PARALLEL_FROM", parallel_from)
    templates = shutil.copytree(TEMPLATES, tmp_path / "templates")
    page = templates / "issue.html"
    page.write_text(page.read_text(encoding="utf-8").replace("{{ issue.gazette }}", "{{ issue.gazete }}"),
                    encoding="utf-8")
    problems = Problems()
    with pytest.raises(Abort):
        build(MINI_CONTENT, tmp_path / "out", settings(), problems, search=False, templates=templates)
    assert any("issue.html" in str(p) and "gazete" in str(p) for p in problems.errors), [str(p) for p in problems]
    assert not (tmp_path / "out").exists()


def test_bad_content_stops_the_build_before_anything_is_written(tmp_path):
    content_dir = shutil.copytree(MINI_CONTENT, tmp_path / "content")
    doc = content_dir / "2023/1/04-2023-1-dashiji-1.md"
    doc.write_text(doc.read_text(encoding="utf-8").replace("category: 大事记", "category: [大事记]"), encoding="utf-8")
    problems = Problems()
    with pytest.raises(Abort):
        build(content_dir, tmp_path / "out", settings(), problems, search=False)
    assert not (tmp_path / "out").exists()


# --- settings and commands --------------------------------------------------------

@pytest.mark.parametrize("yaml_text, expected", [
    ("site_name: x\npublisher: y\n", "site.yaml: 错误: 缺少必填设置项 “base_url”"),
    # No gazette's name or publisher is a default: the site's own file must say them.
    ("base_url: https://x.cn/\nsite_name: x\n",
     "site.yaml: 错误: 缺少必填设置项 “publisher”（发布机构，用于元数据和页脚）：请在网站设置文件 site.yaml 中加一行 “publisher: …”"),
    ("base_url: https://x.cn/\npublisher: y\n", "site.yaml: 错误: 缺少必填设置项 “site_name”"),
    ("base_url: https://x.cn/\nbase_ulr: y\n", "site.yaml:2: 错误: 未知的设置项 “base_ulr”"),
    ("base_url: ftp://x.cn/\n", "site.yaml:1: 错误: 设置项 “base_url” 必须是以 http:// 或 https:// 开头的完整网址"),
    ("base_url: https://x.cn/gongbao\n", "site.yaml:1: 错误: 设置项 “base_url” 必须以 / 结尾"),
    ("base_url: https://x.cn/\nsite_name: 12\n", "site.yaml:2: 错误: 设置项 “site_name” 应为文本"),
    ("base_url: [\n", "site.yaml:2: 错误: 不是有效的 YAML"),
])
def test_settings_are_validated_with_clear_errors(tmp_path, yaml_text, expected):
    path = tmp_path / "site.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    problems = Problems()
    assert settings_module.load(path, problems) is None
    assert any(str(p).replace(str(tmp_path) + "/", "").startswith(expected) for p in problems), [str(p) for p in problems]


def test_the_repository_settings_are_valid():
    problems = Problems()
    loaded = settings_module.load(Path(__file__).parents[1] / "site.yaml", problems)
    assert loaded is not None and loaded.base_url.endswith("/"), [str(p) for p in problems]


def test_publish_is_the_default_command_and_check_writes_nothing(tmp_path, monkeypatch, capsys):
    # a copy: publishing records the permalink registry in the content directory
    content_dir = shutil.copytree(MINI_CONTENT, tmp_path / "content")
    (tmp_path / "site.yaml").write_text(f"base_url: {BASE_URL}\nsite_name: 公报\npublisher: 区人民政府\n"
                                        f"content_dir: {content_dir}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert commands.main(["check"]) == 0
    assert not (tmp_path / "public").exists()
    assert "检查通过：2 期，6 篇文件" in capsys.readouterr().out
    assert commands.main([]) == 0
    assert (tmp_path / "public" / "doc" / "xinzhengfa-2023-1" / "index.html").is_file()
    assert (content_dir / "permalinks.txt").is_file()
    assert commands.main(["build", "--out", str(tmp_path / "other")]) == 0
    assert (tmp_path / "other" / "index.html").is_file()


def test_a_build_without_search_drops_the_published_search_page_like_any_url(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # no inbox/ here
    content_dir = shutil.copytree(MINI_CONTENT, tmp_path / "content")
    registry = content_dir / "permalinks.txt"
    settings_file = tmp_path / "site.yaml"
    settings_file.write_text(f"base_url: {BASE_URL}\nsite_name: 公报\npublisher: 区人民政府\n", encoding="utf-8")
    common = ["--settings", str(settings_file), "--content", str(content_dir), "--out", str(tmp_path / "public")]
    assert commands.main(["publish", *common]) == 0
    line = registry.read_text(encoding="utf-8").splitlines().index("/search/") + 1
    published = site_files(tmp_path / "public")
    capsys.readouterr()
    assert commands.main(["build", *common, "--no-search"]) == 1
    assert f"content/permalinks.txt:{line}: 错误: 网址 /search/ 已经发布过，本次构建不再生成它" in capsys.readouterr().err
    assert site_files(tmp_path / "public") == published  # nothing was published


# --- pages -------------------------------------------------------------------------

def test_document_page_metadata_citation_and_permalink(mini_site):
    page = read(mini_site, "doc/xinzhengfa-2023-1/index.html")
    citation = ("武汉市新洲区人民政府. 区人民政府关于印发政府工作报告的通知: 新政发〔2023〕1号[J/OL]. "
                f"新洲区人民政府公报, 2023(1): 1-3. {BASE_URL}doc/xinzhengfa-2023-1/")
    assert f">{citation}</textarea>" in page
    assert f'value="{BASE_URL}doc/xinzhengfa-2023-1/"' in page
    assert '<html lang="zh-CN">' in page
    for label, value in [("发文字号", "新政发〔2023〕1号"), ("成文日期", "2023年1月10日"),
                         ("主送机关", "各镇人民政府，各街道办事处，区人民政府各部门、各直属单位")]:
        assert re.search(rf"<dt>{label}</dt><dd>(<time [^>]*>)?{value}", page), label
    assert "<dt>刊期与页码</dt><dd><a href=\"../../2023/1/\">2023年第1期（总第44期）</a>，第1—3页</dd>" in page
    crumbs = re.findall(r"<li[^>]*>(?:<a [^>]*>)?([^<]+)", page.split('aria-label="位置"')[1].split("</nav>")[0])
    assert crumbs == ["首页", "2023年", "第1期", "区人民政府关于印发政府工作报告的通知"]


def test_corrections_are_shown_with_the_original_reading_and_carried_in_the_record(mini_site):
    page = read(mini_site, "doc/xinzhengfa-2023-1/index.html")
    corrections = page.split('<section class="corrections"')[1].split("</section>")[0]
    assert '<h2 id="kanwu">勘误</h2>' in corrections
    assert ('<span class="reading">原文<del>8000入</del></span><span class="reading">更正为<ins>8000人</ins></span>'
            '<span class="why">PDF 转换把“人”误识为“入”，据印刷版第 3 页更正（<time datetime="2024-03-01">2024年3月1日</time>）'
            in corrections)
    assert '<dt>勘误</dt><dd><a href="#kanwu">转录文本有 1 处更正</a></dd>' in page
    assert json.loads(read(mini_site, "doc/xinzhengfa-2023-1.json"))["corrections"] == [
        {"date": "2024-03-01", "original": "8000入", "corrected": "8000人", "reason": "PDF 转换把“人”误识为“入”，据印刷版第 3 页更正"}]
    assert "勘误" not in read(mini_site, "doc/xinzhengban-2023-5/index.html")


def test_every_document_page_names_the_printed_gazette_authoritative_and_links_the_raw_source(mini_site):
    for path in sorted((mini_site / "doc").glob("*/index.html")):
        page = path.read_text(encoding="utf-8")
        note = page.split('<p class="authority">')[1].split("</p>")[0]
        assert "与印刷版公报有出入之处，以印刷版为准" in note, path
        assert re.search(r'<a href="\.\./\.\./\d{4}/\d+/source\.txt" type="text/plain">本期原始文本</a>', note), path
        # Outside the article: the search index reads the article.
        assert page.index('<p class="authority">') > page.index("</article>")


@pytest.mark.parametrize("site_name", ["mini_site", "seed_site"])
def test_the_printed_pages_in_the_citation_match_the_toc_and_the_page_marks(request, site_name):
    root = request.getfixturevalue(site_name)
    archive = content.load(MINI_CONTENT if site_name == "mini_site" else SEED_CONTENT, Problems())
    marked = 0
    for issue in archive.issues:
        toc = dict(re.findall(r'<a href="\.\./\.\./doc/([^/]+)/">[^<]+</a>\s*<span class="toc-page">(\d+)</span>',
                              read(root, f"{issue.year}/{issue.number}/index.html")))
        for doc in issue.documents:
            page = read(root, f"doc/{doc.id}/index.html")
            citation = page.split('<textarea id="citation"')[1].split("</textarea>")[0]
            marks = [int(n) for n in re.findall(r'class="page-mark" data-page="(\d+)"', page)]
            if doc.id in toc:
                assert int(toc[doc.id]) == doc.page, f"{doc.id}: the 目录 prints page {toc[doc.id]}"
            if doc.page is None:
                assert marks == [] and f"{issue.year}({issue.number}). " in citation
                continue
            pages = f"{doc.page}-{doc.page_end}" if doc.page_end and doc.page_end > doc.page else str(doc.page)
            assert f"{issue.year}({issue.number}): {pages}. " in citation, doc.id
            # Each printed page after the first begins at its mark, in order, the last one the last page.
            assert marks == list(range(doc.page + 1, doc.page + 1 + len(marks))), f"{doc.id}: {marks}"
            assert not marks or marks[-1] == doc.page_end, f"{doc.id}: marks end at {marks[-1]}, page_end {doc.page_end}"
            marked += bool(marks)
    assert marked or site_name == "seed_site"  # the seed is marked once ingest writes the marks


def test_the_outline_nests_the_three_highest_heading_levels():
    headings = tuple(Heading(level, f"h{n}", f"标题{n}", ()) for n, level in enumerate([2, 3, 4, 5, 3, 2]))
    tree = pages.outline(headings)
    assert [(e.heading.id, [(c.heading.id, [g.heading.id for g in c.children]) for c in e.children]) for e in tree] == [
        ("h0", [("h1", ["h2"]), ("h4", [])]), ("h5", [])]  # h3 (level 5) is below the outline's three levels
    assert pages.outline(()) == []


def test_the_search_body_holds_the_title_and_the_text(mini_site):
    page = read(mini_site, "doc/xinzhengban-2023-5/index.html")
    body = page.split("data-search-body")[1].split("</article>")[0]
    assert 'data-doc-id="xinzhengban-2023-5"' in body.split(">")[0]
    assert "<h1" in body and "各单位要把责任分解作为重要工作" in body and "<table>" in body
    assert page.count("data-search-body") == 1


def test_machine_readable_metadata(mini_site):
    page = read(mini_site, "doc/xinzhengban-2023-5/index.html")
    ld = json.loads(page.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert ld["@type"] == "Legislation" and ld["legislationIdentifier"] == "新政办〔2023〕5号"
    assert ld["legislationDate"] == "2023-03-01"
    assert [o["name"] for o in ld["legislationPassedBy"]] == ["武汉市新洲区人民政府办公室", "中共武汉市新洲区委办公室"]
    assert ld["isPartOf"]["@id"] == f"{BASE_URL}2023/1/" and ld["isPartOf"]["issueNumber"] == "1"
    assert '<meta name="DC.identifier" content="新政办〔2023〕5号">' in page
    assert '<meta name="DC.date" content="2023-03-01">' in page
    assert '<link rel="alternate" type="application/json" href="../xinzhengban-2023-5.json"' in page
    record = json.loads(read(mini_site, "doc/xinzhengban-2023-5.json"))
    assert record["url"] == ld["url"] == f"{BASE_URL}doc/xinzhengban-2023-5/"
    assert record["attachments"] == [{"title": "附件1 2023年重点工作责任细化分解表",
                                      "url": f"{BASE_URL}doc/xinzhengban-2023-5/#fujian-1"}]
    assert record["cites"] == [f"{BASE_URL}doc/xinzhengfa-2022-8/", f"{BASE_URL}doc/xinzhengfa-2023-1/"]


def test_cited_documents_list_who_cites_them(mini_site):
    page = read(mini_site, "doc/xinzhengfa-2022-8/index.html")
    cited_by = page.split('id="bei-yinyong">被引用</h3>')[1].split("</ul>")[0]
    assert re.findall(r'href="([^"]+)"', cited_by) == ["../xinzhengfa-2023-1/", "../xinzhengban-2023-5/"]
    citing = read(mini_site, "doc/xinzhengfa-2023-1/index.html")
    assert '<a href="../xinzhengfa-2022-8/" class="xref">新政发［2022］8号</a>' in citing


def test_issue_page_toc_in_printed_order_with_pages_source_and_neighbours(mini_site):
    page = read(mini_site, "2023/1/index.html")
    toc = page.split('id="toc-title"')[1].split("</section>")[0]
    assert re.findall(r'<a href="([^"]+)">[^<]+</a>\s*<span class="toc-page">(\d+)</span>', toc) == [
        ("../../doc/xinzhengfa-2023-1/", "1"), ("../../doc/xinzhengban-2023-5/", "23"),
        ("../../doc/2023-1-zhengwujianxun-1/", "107"), ("../../doc/2023-1-dashiji-1/", "110")]
    assert '<a rel="prev" href="../../2022/4/">上一期：2022年第4期</a>' in page and 'rel="next"' not in page
    assert "<dt>准印证号</dt><dd>湖北省内部资料准印证第2090/WH号</dd>" in page
    assert (mini_site / "2023/1/source.txt").read_bytes() == (MINI_CONTENT / "2023/1/source.txt").read_bytes()


def test_indexes(mini_site):
    issuers = read(mini_site, "issuer/index.html")
    names = re.findall(r'<a href="[^"]+/">([^<]+)</a> <span class="count">', issuers)
    assert names == ["武汉市新洲区人民政府", "武汉市新洲区人民政府办公室", "中共武汉市新洲区委办公室"]  # pinyin: wu… < zhong…
    numbers = re.findall(r'<span class="doc-number">([^<]+)</span>', read(mini_site, "doc-number/index.html"))
    assert numbers == ["新政办〔2023〕5号", "新政发〔2022〕8号", "新政发〔2023〕1号"]
    dashiji = read(mini_site, "dashiji/index.html")
    assert re.findall(r'<time datetime="([^"]+)">', dashiji) == [
        "2023-03-01", "2023-03-01", "2023-01-05", "2022-12-30", "2022-10-08"]
    assert dashiji.index("开门红") < dashiji.index("第26次常务会")  # printed order within a day
    assert "<p>全区一季度“开门红”工作拉练" in dashiji  # the date is shown once, by <time>
    assert 'href="../doc/2023-1-dashiji-1/#2023-03-01-2">原文</a>' in dashiji
    assert 'href="../2022/4/">2022年第4期</a>' in dashiji
    home = read(mini_site, "index.html")
    for target in ['href="2023/1/"', 'href="category/"', 'href="issuer/"', 'href="dashiji/"', 'action="search/"',
                   'href="doc/xinzhengban-2023-5/"']:
        assert target in home


def test_the_404_page_links_through_the_base_path(mini_site):
    page = read(mini_site, "404.html")
    assert 'href="/archive/static/site.css"' in page and 'href="/archive/"' in page
    assert "../" not in page


def test_pages_load_nothing_from_elsewhere(mini_site):
    for page in mini_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        loaded = re.findall(r'<(?:script|img|iframe)[^>]* src="([^"]+)"|<link rel="(?:stylesheet|icon)" href="([^"]+)"', html)
        assert loaded and not [u for pair in loaded for u in pair if u.startswith(("http:", "https:", "//"))], page


def test_every_internal_link_resolves(mini_site):
    assert broken_links(mini_site) == []


def test_every_internal_link_of_the_seed_site_resolves(seed_site):
    assert broken_links(seed_site) == []
