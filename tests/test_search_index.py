"""Search at build time: folding, bigram words, page text, pinyin, the index files."""
from __future__ import annotations

import gzip
import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from gazette_site import urls
from gazette_site.build import build
from gazette_site.model import Archive, Document, Issue, IssueRef
from gazette_site.problems import Problems
from gazette_site.output import record_dir, write_file
from gazette_site.problems import Abort
from gazette_site.search import build as search_build, index_files
from gazette_site.search.pagefind_index import PagefindError, PagefindRun
from gazette_site.search.shards import partition
from gazette_site.search.extract import page_text
from gazette_site.search.ngrams import CHARACTER_MARK, char_code, char_word, index_words
from gazette_site.search.normalize import collapse_whitespace, fold, fold_char, loose_folds
from gazette_site.search.numbers import by_year, tails
from gazette_site.search.page import search_page
from gazette_site.search.pinyin import title_syllables
from render_fixtures import settings as site_settings
from support import REPO_ROOT, compare_trees, vnu_check

sys.path.insert(0, str(REPO_ROOT / "bench"))
import synthetic  # noqa: E402

CONTENT = REPO_ROOT / "content"


def test_fold_ignores_whitespace_width_and_case():
    assert fold("组 长:\n舒基元") == "组长:舒基元"
    assert fold("Ｇ３１８　ＰＣＲ") == "g318pcr"
    assert fold("新政发（2023）2号") == "新政发(2023)2号"
    assert fold("\u200b\u3000\t") == ""
    assert collapse_whitespace("  组 \n\n 长  ") == "组 长"


def test_loose_folds_are_what_other_characters_fold_to():
    assert loose_folds("组 长：ＰＣＲ（一）㈠p\n") == {":", "p", "c", "r", "(", ")", "一"}
    assert loose_folds("政府2023年pcr") == set()


def test_fold_and_loose_folds_agree_with_folding_each_character_on_every_code_point():
    """They scan for the characters that change in C; the definition is one character at a time."""
    every = "".join(map(chr, range(0x110000)))
    assert fold(every) == "".join(map(fold_char, every))
    assert loose_folds(every) == {part for char in every if (folded := fold_char(char)) != char for part in folded}


def test_char_codes_are_fixed_width():
    assert char_code("\x00") == "0000" and char_code("\U0010ffff") == "nvnj"
    assert char_word("\x00") == "0000" + CHARACTER_MARK


@given(st.text(max_size=40))
def test_the_words_are_the_characters_and_bigrams(text):
    words = index_words(text)
    expected = {char_word(char) for char in text} | {char_code(a) + char_code(b) for a, b in zip(text, text[1:])}
    assert len(words) == len(set(words)) and set(words) == expected


@given(st.text(min_size=2, max_size=40))
def test_no_word_begins_another(text):
    """Pagefind answers a missing word with any word that begins it (see ngrams)."""
    words = sorted(set(index_words(text)))
    assert all(not b.startswith(a) for a, b in zip(words, words[1:]))


def test_index_words_are_characters_then_bigrams_in_code_order():
    a, b, astral = char_code("a"), char_code("b"), char_code("\U00020000")
    assert index_words("b\U00020000abab") == [a + CHARACTER_MARK, b + CHARACTER_MARK, astral + CHARACTER_MARK,
                                              a + b, b + a, b + astral, astral + a]
    assert index_words("") == []


def test_tails_of_a_text_are_its_number_tails_overlapping_too():
    assert tails("依据新政办〔2023〕1号和武政〔2022〕15号文件") == ["2022〕15号", "2023〕1号"]
    assert tails("〔12023〕7号") == ["2023〕7号"]  # four digits anywhere before the bracket
    assert tails("2023年1号、2023〕号、202〕1号、２０２３〕1号") == ["2023年1号"]  # folded text has ASCII digits
    assert tails(fold("２０２３〔１号")) == ["2023〔1号"]
    assert by_year({"b": ["2023〕1号"], "a": ["2023〕1号", "2022〕2号"]}) == {
        "2023": {"2023〕1号": ["a", "b"]}, "2022": {"2022〕2号": ["a"]}}


@given(st.text(alphabet="0123456789〔〕年号政", max_size=40), st.data())
def test_a_text_has_every_tail_of_every_string_it_contains(text, data):
    """Why the tails' documents are a superset of a query's answer."""
    start = data.draw(st.integers(0, len(text)))
    part = text[start:data.draw(st.integers(start, len(text)))]
    assert set(tails(part)) <= set(tails(text))


def test_page_text_is_the_marked_element_as_shown():
    html = """<html><head><title>不算</title></head><body><nav>导航</nav>
    <article data-search-body data-doc-id="a-1"><header><h1>标题&amp;</h1></header>
    <dl><dt>发文字号</dt><dd>新政发〔2023〕1号</dd></dl>
    <div><p>组 长:<b>舒</b>基元<br>下一行</p><script>var x</script><p hidden>隐藏</p>
    <table><tr><td>甲</td><td>乙</td></tr></table><template>模板</template></div></article>
    <footer>页脚</footer></body></html>"""
    found = page_text(html)
    assert found.doc_id == "a-1"
    assert found.preface == "标题& 发文字号 新政发〔2023〕1号"
    assert found.rest == "组 长:舒基元 下一行 甲 乙"


def test_page_text_survives_comments_unclosed_tags_and_hidden_parents():
    html = """<!DOCTYPE html><body><div hidden><p data-search-body data-doc-id="h">看不见</p></div></body>"""
    assert page_text(html).text == ""
    html = """<main data-search-body data-doc-id="b"><!-- 注释 --><header>题<!-- x -->目</header>
    <p>第一段<p>第二段<ul><li>一<li>二</ul>尾&lt;script&gt;</main>"""
    found = page_text(html)
    assert (found.preface, found.rest) == ("题目", "第一段 第二段 一 二 尾<script>")


def test_page_without_exactly_one_marked_element_has_no_text():
    assert page_text("") is None
    assert page_text("<!-- 只有注释 -->") is None
    assert page_text("<html><body><p>正文</p></body></html>") is None
    assert page_text("<div data-search-body>甲</div><div data-search-body>乙</div>") is None


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30))
def test_title_syllables_align_with_characters(title):
    assert len(title_syllables(title).split(" ")) == len(title) or title == ""


def test_title_syllables_use_phrase_readings():
    assert title_syllables("“无废城市”G3") == "- wu fei cheng shi - - -"
    assert title_syllables("长江重庆") == "chang jiang chong qing"


def _settings(**options):
    return site_settings(base_url="https://example.org/", **options)


def _read_gz(path: Path) -> str:
    return gzip.decompress(path.read_bytes()).decode("utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The real content built twice, into two directories."""
    outs = []
    for name in ("first", "second"):
        out = tmp_path_factory.mktemp(name)
        problems = Problems()
        build(CONTENT, out, _settings(), problems)
        assert not problems.errors, [str(p) for p in problems]
        outs.append(out)
    return outs


def test_search_files_are_byte_identical_across_builds(built):
    first, second = built
    for part in ("pagefind", "search"):
        assert compare_trees(first / part, second / part) == []


def _shard_pages(out: Path) -> dict[str, str]:
    """{url: Pagefind page hash} of every shard, from their build records."""
    pages = {}
    for record in sorted((record_dir(out) / "pagefind").glob("*/build.json")):
        pages.update(json.loads(record.read_bytes())["pages"])
    return pages


def test_table_and_texts_describe_every_document(built):
    out = built[0]
    full = json.loads(_read_gz(out / "search" / "docs.json.gz"))
    table = full["docs"]
    assert full["indexes"] == ["2023-1-1"]  # the seed's ten documents fit one shard
    assert {row["url"]: row["hash"] for row in table} == {url.lstrip("/"): h for url, h in _shard_pages(out).items()}
    # Fragments hold only index words, which the browser never needs.
    assert not list((out / "pagefind").glob("*/fragment"))
    for row in table:
        preface, rest = _read_gz(out / "search" / "text" / f"{row['id']}.txt.gz").split("\n")
        assert row["title"] in preface and rest
        assert row["url"] == urls.document(row["id"])


def test_number_files_list_every_document_with_each_tail(built):
    out = built[0]
    table = json.loads(_read_gz(out / "search" / "docs.json.gz"))
    texts = {row["id"]: fold(_read_gz(out / "search" / "text" / f"{row['id']}.txt.gz")) for row in table["docs"]}
    files = sorted(p.name.removesuffix(".json.gz") for p in (out / "search" / "numbers").iterdir())
    assert table["number_years"] == files and "2023" in files
    listed = {tail: ids for year in files
              for tail, ids in json.loads(_read_gz(out / "search" / "numbers" / f"{year}.json.gz")).items()}
    assert "2023〕2号" in listed  # 新政发〔2023〕2号
    every_tail = set().union(*map(tails, texts.values()))
    assert listed == {tail: sorted(id for id, text in texts.items() if tail in text) for tail in every_tail}


def test_search_page_is_valid_html(built):
    page = built[0] / urls.output_file(urls.SEARCH)
    assert 'data-site-root="../"' in page.read_text(encoding="utf-8")
    assert [str(m) for m in vnu_check([page])] == []


def test_the_search_hint_gives_the_newest_doc_number_of_this_archive_or_none():
    def hint(*numbers):
        issue = Issue("公报", 2023, 1, None, {}, [], [], None)
        issue.documents = [Document(id=f"d-{n}", title="标题", category="大事记", issue=IssueRef(2023, 1), order=n,
                                    doc_number=number) for n, number in enumerate(numbers, start=1)]
        [page] = search_page(Archive([issue]), _settings(), Problems())
        return page.data.decode("utf-8")

    assert "也可输入发文字号（如 某发〔2023〕7号）或标题拼音" in hint("某发〔2023〕1号", "某发〔2023〕7号", None)
    assert "也可输入发文字号或标题拼音" in hint(None)


def test_rebuild_removes_files_of_documents_gone(tmp_path):
    content = tmp_path / "content"
    # without the permalink registry, which would (rightly) refuse to let a document go
    shutil.copytree(CONTENT, content, ignore=shutil.ignore_patterns("permalinks.txt"))
    out = tmp_path / "out"
    build(content, out, _settings(), Problems())
    gone = next((content / "2023" / "1").glob("10-*.md"))
    text = out / "search" / "text" / f"{gone.stem[3:]}.txt.gz"
    assert text.is_file()
    gone.unlink()
    problems = Problems()
    build(content, out, _settings(), problems)
    assert not problems.errors, [str(p) for p in problems]
    assert not text.exists()
    table = json.loads(gzip.decompress((out / "search" / "docs.json.gz").read_bytes()))
    assert gone.stem[3:] not in {row["id"] for row in table["docs"]}


def test_missing_or_unmarked_pages_are_reported(tmp_path):
    issue = Issue("公报", 2023, 1, None, {}, [], [], None)
    docs = [Document(id=f"d-{n}", title="标题", category="大事记", issue=IssueRef(2023, 1), order=n)
            for n in (1, 2, 3)]
    issue.documents = docs
    for doc, html in zip(docs, ['<main data-search-body data-doc-id="d-1"><h1>标题</h1></main>',
                                '<main data-search-body data-doc-id="other"><h1>标题</h1></main>']):
        page = tmp_path / urls.output_file(urls.document(doc.id))
        page.parent.mkdir(parents=True)
        page.write_text(html, encoding="utf-8")
    problems = Problems()
    for output in index_files(Archive([issue]), tmp_path, _settings(), problems):
        write_file(tmp_path, output)
    assert [(Path(p.path).parent.name, p.level.name) for p in problems] == [("d-2", "ERROR"), ("d-3", "ERROR")]
    table = json.loads(_read_gz(tmp_path / "search" / "docs.json.gz"))["docs"]
    assert [row["id"] for row in table] == ["d-1"]


def test_shards_cut_the_archive_in_order_and_are_named_by_their_first_document():
    issues = [IssueRef(2022, 4), IssueRef(2023, 1)]
    docs = [Document(id=f"{ref.key}-{n}", title="标题", category="大事记", issue=ref, order=n)
            for ref in issues for n in (1, 2, 3)]
    cut = partition(docs, 4)
    assert [(s.name, [d.id for d in s.documents]) for s in cut] == [
        ("2022-4-1", ["2022-4-1", "2022-4-2", "2022-4-3", "2023-1-1"]),
        ("2023-1-2", ["2023-1-2", "2023-1-3"]),
    ]
    assert partition(docs, 6)[0].name == "2022-4-1" and len(partition(docs, 6)) == 1
    assert partition([], 4) == []


class CountingRun(PagefindRun):
    started: list[set[str]] = []

    def __init__(self, records):
        CountingRun.started.append(set(records))
        super().__init__(records)


def test_only_changed_shards_are_indexed_again(tmp_path, monkeypatch):
    """Three shards over the seed; an edit in the last re-indexes that shard only."""
    monkeypatch.setattr(search_build, "PagefindRun", CountingRun)
    CountingRun.started = []
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    out = tmp_path / "out"
    settings = _settings(search_shard_documents=4)
    build(content, out, settings, Problems())
    table = json.loads(_read_gz(out / "search" / "docs.json.gz"))
    assert len(table["indexes"]) == 3 and len(CountingRun.started) == 3
    # Only the first index carries Pagefind's scripts; the browser merges the others into it.
    assert [(out / "pagefind" / name / "pagefind.js").is_file() for name in table["indexes"]] == [True, False, False]
    before = {p: p.read_bytes() for p in (out / "pagefind").rglob("*") if p.is_file()}

    last = sorted((content / "2023" / "1").glob("*.md"))[-1]
    last.write_text(last.read_text(encoding="utf-8") + "\n新增一段文字：分片重建。\n", encoding="utf-8")
    CountingRun.started = []
    problems = Problems()
    build(content, out, settings, problems)
    assert not problems.errors, [str(p) for p in problems]
    assert len(CountingRun.started) == 1
    # Only the last shard's files change (the others' records, kept outside the site, note their pages' new keys).
    changed = {p for p in before if not p.is_file() or p.read_bytes() != before[p]}
    indexes = {p.relative_to(out / "pagefind").parts[0] for p in changed}
    assert indexes == {table["indexes"][-1]}
    assert "分片重建" in _read_gz(out / "search" / "text" / f"{last.stem[3:]}.txt.gz")


class OverlapRun(PagefindRun):
    running = 0
    most = 0

    def __init__(self, records):
        super().__init__(records)
        OverlapRun.running += 1
        OverlapRun.most = max(OverlapRun.most, OverlapRun.running)

    def collect(self, runtime):
        OverlapRun.running -= 1
        return super().collect(runtime)


def test_shards_indexed_side_by_side_as_memory_allows_give_the_same_files(tmp_path, monkeypatch):
    """Two cores and the real budget: two Pagefind runs at a time; no room for two: one. The files are the same."""
    monkeypatch.setattr(search_build, "PagefindRun", OverlapRun)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    outs = []
    for budget, most in ((search_build.PAGEFIND_MEMORY_BUDGET, 2), (0, 1)):
        monkeypatch.setattr(search_build, "PAGEFIND_MEMORY_BUDGET", budget)
        OverlapRun.most = 0
        out = tmp_path / f"budget-{budget}"
        problems = Problems()
        build(CONTENT, out, _settings(search_shard_documents=4), problems)
        assert not problems.errors, [str(p) for p in problems]
        assert OverlapRun.most == most
        outs.append(out)
    for part in ("pagefind", "search"):
        assert compare_trees(outs[0] / part, outs[1] / part) == []


def test_adding_an_issue_reads_only_the_pages_whose_keys_changed(tmp_path, monkeypatch):
    """Shards whose pages kept their keys are reused unread, table rows and all;
    the result is what a build from scratch makes."""
    monkeypatch.setattr(search_build, "PagefindRun", CountingRun)
    read = []
    real_read_entries = search_build.read_entries
    monkeypatch.setattr(search_build, "read_entries",
                        lambda documents, *rest: read.extend(d.id for d in documents) or real_read_entries(documents, *rest))
    content, out, fresh = tmp_path / "content", tmp_path / "out", tmp_path / "fresh"
    synthetic.write_archive(content, 2)
    settings = _settings(search_shard_documents=4)
    build(content, out, settings, Problems())
    synthetic.write_issue(content, 2)
    read.clear()
    CountingRun.started = []
    problems = Problems()
    build(content, out, settings, problems)
    assert not problems.errors
    new = {d.name[3:-3] for d in (content / "1900" / "3").glob("*.md")}
    assert new <= set(read) and len(read) <= len(new) + 4  # the new issue, and at most the shard before it
    build(content, fresh, settings, Problems())
    for part in ("pagefind", "search"):
        assert compare_trees(out / part, fresh / part) == []


def test_pages_changed_around_the_same_text_are_not_indexed_again(tmp_path, monkeypatch):
    monkeypatch.setattr(search_build, "PagefindRun", CountingRun)
    out = tmp_path / "out"
    build(CONTENT, out, _settings(footer_note="页脚甲"), Problems())
    record = next((record_dir(out) / "pagefind").glob("*/build.json"))
    before = json.loads(record.read_bytes())
    CountingRun.started = []
    problems = Problems()
    build(CONTENT, out, _settings(footer_note="页脚乙"), problems)
    assert not problems.errors and CountingRun.started == []
    after = json.loads(record.read_bytes())
    assert after["page_keys"] != before["page_keys"]
    assert {**after, "page_keys": None} == {**before, "page_keys": None}


def _rebuild_counting_runs(out: Path) -> Problems:
    """Build ``out`` again after damaging it (no input changed), counting Pagefind runs anew."""
    (record_dir(out) / "inputs").unlink()  # otherwise the build sees nothing to do
    CountingRun.started = []
    problems = Problems()
    build(CONTENT, out, _settings(), problems)
    return problems


def test_a_damaged_shard_record_rebuilds_that_shard(tmp_path, monkeypatch):
    monkeypatch.setattr(search_build, "PagefindRun", CountingRun)
    out = tmp_path / "out"
    build(CONTENT, out, _settings(), Problems())
    record = next((record_dir(out) / "pagefind").glob("*/build.json"))
    good = record.read_bytes()
    tails_damaged = json.loads(good)
    tails_damaged["number_tails"] = {doc_id: 5 for doc_id in tails_damaged["number_tails"]}
    for damaged in (b"\xff", json.dumps(tails_damaged).encode()):
        record.write_bytes(damaged)
        problems = _rebuild_counting_runs(out)
        assert not problems.errors and len(CountingRun.started) == 1
        assert record.read_bytes() == good


def test_a_failing_pagefind_is_reported_not_raised(tmp_path, monkeypatch):
    class FailingRun(PagefindRun):
        def collect(self, runtime):
            self.cancel()
            raise PagefindError("Pagefind 退出码 1：测试")

    monkeypatch.setattr(search_build, "PagefindRun", FailingRun)
    problems = Problems()
    with pytest.raises(Abort):
        build(CONTENT, tmp_path / "out", _settings(), problems)
    assert [p.message for p in problems.errors] == ["检索索引：Pagefind 退出码 1：测试"]
    assert not (tmp_path / "out").exists()


def test_a_reused_shard_missing_a_published_text_is_rebuilt(tmp_path, monkeypatch):
    """Reused shards are kept without reading their files, so each must still be there."""
    monkeypatch.setattr(search_build, "PagefindRun", CountingRun)
    out = tmp_path / "out"
    build(CONTENT, out, _settings(), Problems())
    text = sorted((out / "search" / "text").glob("*.txt.gz"))[0]
    good = text.read_bytes()
    text.unlink()
    problems = _rebuild_counting_runs(out)
    assert not problems.errors and len(CountingRun.started) == 1
    assert text.read_bytes() == good


@pytest.mark.parametrize("damage", ["edited", "deleted"])
def test_a_pagefind_file_changed_since_published_rebuilds_its_shard(tmp_path, monkeypatch, damage):
    """Reused shards are kept unread: a chunk edited or deleted in the output, with no input
    changed, must not be kept (nor the shard kept without it)."""
    monkeypatch.setattr(search_build, "PagefindRun", CountingRun)
    out = tmp_path / "out"
    build(CONTENT, out, _settings(), Problems())
    chunk = sorted((out / "pagefind").glob("*/index/*.pf_index"))[-1]
    good = chunk.read_bytes()
    if damage == "edited":
        chunk.write_bytes(b"\x00")
    else:
        chunk.unlink()
    CountingRun.started = []
    problems = Problems()
    build(CONTENT, out, _settings(), problems)
    assert not problems.errors and len(CountingRun.started) == 1
    assert chunk.read_bytes() == good
