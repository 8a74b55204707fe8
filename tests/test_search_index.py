"""Search at build time: folding, terms, postings, page text, pinyin, the index files and their reader."""
from __future__ import annotations

import datetime
import gzip
import itertools
import json
import random
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from gazette_site import content, urls
from gazette_site.build import build
from gazette_site.model import Archive, Document, Issue, IssueRef
from gazette_site.output import record_dir, write_file
from gazette_site.problems import Problems
from gazette_site.search import build as search_build, index_files
from gazette_site.search.build import sort_dates
from gazette_site.search.extract import page_text
from gazette_site.search.normalize import fold, fold_char, fold_noting, folds_of
from gazette_site.search.numbers import by_year, tails
from gazette_site.search.page import search_page
from gazette_site.search.pinyin import title_syllables
from gazette_site.search.postings import Member, members, read_varints, split_bucket, varint, varints
from gazette_site.search.reader import PublishedIndex
from gazette_site.search.terms import SHIFT, first_blocks, text_terms
from render_fixtures import settings as site_settings
from support import REPO_ROOT, compare_trees, vnu_check

sys.path.insert(0, str(REPO_ROOT / "bench"))
import synthetic  # noqa: E402

CONTENT = REPO_ROOT / "content"
# Characters that fold to nothing (whitespace), to another or to several, and to themselves: enough of
# those that most bigrams of a long text are new, wherever the text is cut.
FOLDING = " \u3000\n\u200bＧ３１８ｐPCR，,（）㈠㎡" + "".join(map(chr, range(0x4E00, 0x4F00)))


def test_fold_ignores_whitespace_width_and_case():
    assert fold("组 长:\n舒基元") == "组长:舒基元"
    assert fold("Ｇ３１８　ＰＣＲ") == "g318pcr"
    assert fold("新政发（2023）2号") == "新政发(2023)2号"
    assert fold("\u200b\u3000\t") == ""


def loose_folds(text: str) -> set[str]:
    """The characters loose folding makes of other characters of ``text``, as the build notes them."""
    changed: set[str] = set()
    fold_noting(text, changed)
    return folds_of(changed)


def test_loose_folds_are_what_other_characters_fold_to():
    assert loose_folds("组 长：ＰＣＲ（一）㈠p\n") == {":", "p", "c", "r", "(", ")", "一"}
    assert loose_folds("政府2023年pcr") == set()


def test_fold_and_loose_folds_agree_with_folding_each_character_on_every_code_point():
    """They scan for the characters that change in C; the definition is one character at a time."""
    every = "".join(map(chr, range(0x110000)))
    assert fold(every) == "".join(map(fold_char, every))
    assert loose_folds(every) == {part for char in every if (folded := fold_char(char)) != char for part in folded}


def test_tails_of_a_text_are_its_number_tails_overlapping_too():
    assert tails("依据新政办〔2023〕1号和武政〔2022〕15号文件") == ["2022〕15号", "2023〕1号"]
    assert tails("〔12023〕7号") == ["2023〕7号"]  # four digits anywhere before the bracket
    assert tails("2023年1号、2023〕号、202〕1号、２０２３〕1号") == ["2023年1号"]  # folded text has ASCII digits
    assert tails(fold("２０２３〔１号")) == ["2023〔1号"]
    # numbered by year, or with 第 after the bracket; never three characters between
    assert tails("国家税务总局公告2018年第62号、政府令〔2010〕第15号") == ["2010〕第15号", "2018年第62号"]
    assert tails("2018年〔第62号") == []
    assert by_year({1: ["2023〕1号"], 0: ["2023〕1号", "2022〕2号"]}, {"新政发〔2021〕3号": 1}) == {
        "2023": {"tails": {"2023〕1号": [0, 1]}, "numbers": {}}, "2022": {"tails": {"2022〕2号": [0]}, "numbers": {}},
        "2021": {"tails": {}, "numbers": {"新政发〔2021〕3号": 1}}}


@given(st.text(alphabet="0123456789〔〕年第号政", max_size=40), st.data())
def test_a_text_has_every_tail_of_every_string_it_contains(text, data):
    """Why the tails' documents are a superset of a query's answer."""
    start = data.draw(st.integers(0, len(text)))
    part = text[start:data.draw(st.integers(start, len(text)))]
    assert set(tails(part)) <= set(tails(text))


def test_page_text_is_the_marked_element_as_shown():
    html = """<html><head><title>不算</title></head><body><nav>导航</nav>
    <article data-search-body data-doc-id="a-1"><header><h1>标题&amp;</h1></header>
    <dl><div><dt>发文字号</dt><dd>新政发〔2023〕1号</dd></div></dl>
    <div><p>组 长:<b>舒</b>基元<br>下一行</p><script>var x</script><p hidden>隐藏</p>
    <table><tr><td>甲</td><td>乙
      丙</td></tr><tr><td><p>丁</p><p>戊</p></td><td></td><td>己</td></tr></table><template>模板</template></div></article>
    <footer>页脚</footer></body></html>"""
    found = page_text(html)
    assert found.doc_id == "a-1"
    # Lines end paragraphs, headings and rows; tabs part cells (and a fact from its value);
    # whitespace within a text, and blocks inside a cell, are spaces.
    assert found.preface == "标题&\n发文字号\t新政发〔2023〕1号"
    assert found.rest == "组 长:舒基元\n下一行\n甲\t乙 丙\n丁 戊\t己"


def test_page_text_survives_comments_unclosed_tags_and_hidden_parents():
    html = """<!DOCTYPE html><body><div hidden><p data-search-body data-doc-id="h">看不见</p></div></body>"""
    assert page_text(html).text == ""
    html = """<main data-search-body data-doc-id="b"><!-- 注释 --><header>题<!-- x -->目</header>
    <p>第一段<p>第二段<ul><li>一<li>二</ul>尾&lt;script&gt;</main>"""
    found = page_text(html)
    assert (found.preface, found.rest) == ("题目", "第一段\n第二段\n一\n二\n尾<script>")


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


@given(st.lists(st.integers(0, 2**43 - 1), max_size=50))
def test_varints_read_back_what_was_written(values):
    data, starts = varints(np.array(values, dtype=np.uint64))
    assert read_varints(data.tobytes()) == (values, len(data)) and starts[-1] == len(data)
    assert b"".join(map(varint, values)) == data.tobytes()


@given(st.text(max_size=40))
def test_the_terms_are_the_characters_and_bigrams(text):
    expected = {ord(c) for c in text} | {(ord(a) + 1) * SHIFT + ord(b) for a, b in zip(text, text[1:])}
    assert text_terms(text).tolist() == sorted(expected)


@settings(max_examples=30, deadline=None)
@given(st.text(FOLDING, max_size=20), st.integers(0, 2**32), st.integers(1, 4), st.integers(-60, 60))
def test_each_term_is_given_the_first_block_whose_folded_text_has_it(preface, seed, blocks, extra):
    """As if each block (block 0 with the preface) were folded and its terms taken on its own: cuts
    fall anywhere, across whitespace and characters folding widens or drops."""
    rest = "".join(random.Random(seed).choices(FOLDING, k=max(0, search_build.BLOCK * blocks + extra)))
    expected: dict[int, int] = {}
    for j, part in enumerate(search_build.text_blocks(rest)):
        for term in text_terms(fold(f"{preface} {part}" if j == 0 else part)).tolist():
            expected.setdefault(term, j)
    folded, starts, ends, changed = search_build._folded(preface, rest)
    terms, hints = first_blocks(folded, starts, ends)
    assert dict(zip(terms.tolist(), hints.tolist())) == expected and terms.tolist() == sorted(expected)
    assert folded == fold(f"{preface} {rest}") and folds_of(changed) == loose_folds(f"{preface} {rest}")


@settings(max_examples=5, deadline=None)
@given(st.integers(0, 2**32), st.sampled_from([2047, 2048, 2049, 3000]))
def test_first_blocks_of_a_text_of_many_blocks(seed, blocks):
    """Beyond 2,048 blocks a character and its block no longer fit in 32 bits: the wide keys give the same."""
    rng = random.Random(seed)
    folded = "".join(rng.choices("的一是在不了有和人这中大为上个国我以要他时来用们生到作地", k=3 * blocks))
    starts = np.arange(0, 3 * blocks, 3)
    ends = np.minimum(starts + 3 + np.array([rng.randint(0, 2) for _ in range(blocks)]), len(folded))
    expected: dict[int, int] = {}
    for j, (start, end) in enumerate(zip(starts.tolist(), ends.tolist())):
        for term in text_terms(folded[start:end]).tolist():
            expected.setdefault(term, j)
    terms, hints = first_blocks(folded, starts, ends)
    assert dict(zip(terms.tolist(), hints.tolist())) == expected and terms.tolist() == sorted(expected)


@given(st.integers(0, 5000), st.integers(1, 300), st.integers(1, 64))
def test_members_cover_the_archive_and_adding_documents_keeps_all_but_the_last_few(size, added, unit):
    cut = members(size, unit)
    assert [m.first for m in cut] == [0, *(m.end for m in cut)][:len(cut)] and sum(m.count for m in cut) == size
    assert len(cut) <= (size // unit).bit_length() + 1  # logarithmic
    grown = members(size + added, unit)
    # A member survives unless a carry reaches it: the kept ones are a prefix.
    kept = [m for m in cut if m in grown]
    assert kept == cut[:len(kept)] == grown[:len(kept)]
    assert members(10_000, 256) == [Member(0, 8192), Member(8192, 1024), Member(9216, 512), Member(9728, 256),
                                    Member(9984, 16)]


def _settings(**options):
    return site_settings(base_url="https://example.org/", **options)


def _read_gz(path: Path) -> str:
    return gzip.decompress(path.read_bytes()).decode("utf-8")


def _write_pages(out: Path, texts: list[str], per_issue: int = 4) -> Archive:
    """An archive whose document pages show ``texts``, written into ``out`` as render would."""
    issues = []
    for number, start in enumerate(range(0, len(texts), per_issue), start=1):
        issue = Issue("公报", 2023, number, None, {}, [], [], None)
        issue.documents = [Document(id=f"d-{start + k}", title=f"标题{start + k}", category="大事记",
                                    issue=IssueRef(2023, number), order=k + 1)
                           for k in range(len(texts[start:start + per_issue]))]
        issues.append(issue)
    archive = Archive(issues)
    for doc, text in zip(archive.documents, texts):
        page = out / urls.output_file(urls.document(doc.id))
        page.parent.mkdir(parents=True, exist_ok=True)
        body = "".join(f"<p>{line}</p>" for line in text.split("\n"))
        page.write_text(f'<main data-search-body data-doc-id="{doc.id}"><header><h1>{doc.title}</h1></header>'
                        f"{body}</main>", encoding="utf-8")
    return archive


def _index(out: Path, archive: Archive, **options) -> Problems:
    problems = Problems()
    for output in index_files(archive, out, _settings(**options), problems):
        if output.data is not None:
            write_file(out, output)
    return problems


# Texts over a few characters, so that bigrams repeat across documents and absent
# strings of present characters are common; "&<" are escaped in the page as HTML.
ALPHABET = st.sampled_from(list("政府的工作报告通知区人民新洲〔〕2023号ＡaB 　\n，。"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.text(ALPHABET, min_size=1, max_size=60), min_size=1, max_size=12), data=st.data())
def test_the_published_index_finds_exactly_the_documents_containing_a_string(tmp_path_factory, texts, data):
    """The Python reader of the published files (a second reader, from docs/search.md)
    against brute force: random substrings of random documents, and strings of the
    same characters that may be in none, with four documents a segment."""
    out = tmp_path_factory.mktemp("index")
    texts = [t for t in texts if t.strip()] or ["政府"]
    archive = _write_pages(out, texts)
    assert not _index(out, archive, search_segment_documents=data.draw(st.sampled_from([1, 2, 4, 256]))).errors
    index = PublishedIndex(out)
    shown = [fold(page_text((out / urls.output_file(urls.document(d.id))).read_text(encoding="utf-8")).text)
             for d in archive.documents]
    assert index.ids() == [d.id for d in archive.documents]
    for term in {t[i:i + k] for t in shown for k in (1, 2) for i in range(len(t) - k + 1)}:
        # Each posting's hint is the first block of the text that has the term.
        for n, hint in zip(*index.postings(term)[:2]):
            blocks = index.blocks(n)
            texts = [fold(f"{blocks[0][9]} {blocks[0][10]}")] + [fold(b[10]) for b in blocks[1:]]
            assert [term in text for text in texts].index(True) == hint, (term, n)
    for n, doc in enumerate(archive.documents):
        # Each term of a title lists the title's document, with the title's folded length (for ranking).
        title = fold(doc.title)
        for term in {title[i:i + k] for k in (1, 2) for i in range(len(title) - k + 1)}:
            documents, lengths = index.postings(term)[2:]
            assert dict(zip(documents, lengths)).get(n) == len(title), (term, n)
    for _ in range(10):
        source = data.draw(st.sampled_from(shown))
        start = data.draw(st.integers(0, len(source) - 1))
        query = source[start:start + data.draw(st.integers(1, 8))]
        absent = data.draw(st.text(ALPHABET, min_size=1, max_size=5))
        for q in (query, absent):
            if fold(q):
                assert index.search(q) == {n for n, text in enumerate(shown) if fold(q) in text}, q


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
    assert compare_trees(first / "search", second / "search") == []


def test_members_encoded_on_other_cores_while_the_site_is_finished_are_the_same(tmp_path):
    """A large member's postings are encoded on workers, from when the render has read its last page
    (a first build) or once its documents are all read (a rebuild): the same bytes as in this process.
    So are they when the terms on their way are written to disk after every document, not once, and
    in groups of several buckets (this archive has 4 buckets; a large one has more buckets than its
    32 groups)."""
    content = tmp_path / "content"
    synthetic.write_archive(content, 3)

    def build_all():
        for name, on_workers, held, groups in (("here", 10**9, 10**9, 32), ("workers", 4, 1000, 2)):
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(search_build, "ENCODE_ON_WORKERS", on_workers)
                patch.setattr(search_build, "SPILL_PAIRS", held)
                patch.setattr(search_build, "GROUPS", groups)
                build(content, tmp_path / name, _settings(search_segment_documents=4), Problems())
        assert compare_trees(tmp_path / "here" / "search", tmp_path / "workers" / "search") == []
    build_all()
    synthetic.write_issue(content, 3)
    build_all()


def test_directory_rows_and_blocks_describe_every_document(built):
    out = built[0]
    directory = json.loads(_read_gz(out / "search" / "index.json.gz"))
    assert directory["documents"] == 10 and directory["members"] == [[0, 10]]
    assert directory["years"] == {"first": 2023, "documents": [10]}
    index = PublishedIndex(out)
    assert json.loads(_read_gz(out / "search" / "issues.json.gz")) == [["2023-1", "2023年第1期", 2023, 0]]
    dates = sort_dates(content.load(CONTENT, Problems()))
    days = [datetime.date.fromisoformat(dates[id]).toordinal() for id in index.ids()]
    part = json.loads(_read_gz(out / "search" / "sort" / "0.json.gz"))
    assert directory["sort"]["recent"] == part == {"first": 0, "days": [b - a for a, b in zip([0, *days], days)],
                                                   "issues": [[0, 0]]}
    assert directory["sort"]["newest"] == []  # every date is in the directory
    assert len(list((out / "search" / "buckets").iterdir())) == directory["buckets"]
    rows = json.loads(_read_gz(out / "search" / "rows" / "0.json.gz"))
    assert len(rows) == 10 and [row[0] for row in rows] == index.ids()
    for n, row in enumerate(rows):
        blocks = index.blocks(n)
        assert all(block[:7] == row[:7] and block[7:9] == [j, len(blocks)] for j, block in enumerate(blocks))
        assert row[6] == "2023年第1期"
        preface, rest = index.preface_and_rest(n)
        assert row[1] in preface and rest and all(block[9] == "" for block in blocks[1:])
        # Each block overlaps the next by search_build.OVERLAP characters.
        assert all(a[10][search_build.BLOCK:] == b[10][:search_build.OVERLAP] for a, b in zip(blocks, blocks[1:]))
    assert not (out / "pagefind").exists()


def test_number_files_list_every_document_with_each_tail(built):
    out = built[0]
    directory = json.loads(_read_gz(out / "search" / "index.json.gz"))
    index = PublishedIndex(out)
    texts = {n: fold(index.text(n)) for n in range(len(index.ids()))}
    files = sorted(p.name.removesuffix(".json.gz") for p in (out / "search" / "numbers").iterdir())
    assert list(map(str, itertools.accumulate(directory["number_years"]))) == files and "2023" in files
    years = {year: json.loads(_read_gz(out / "search" / "numbers" / f"{year}.json.gz")) for year in files}
    listed = {tail: numbers for year in years.values() for tail, numbers in year["tails"].items()}
    assert "2023〕2号" in listed  # 新政发〔2023〕2号
    every_tail = set().union(*map(tails, texts.values()))
    assert listed == {tail: sorted(n for n, text in texts.items() if tail in text) for tail in every_tail}
    assert years["2023"]["numbers"]["新政发〔2023〕2号"] == index.ids().index("xinzhengfa-2023-2")


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
    text = out / "search" / "text" / "9.0.bin"  # the last document's first block
    assert text.is_file()
    gone.unlink()
    problems = Problems()
    build(content, out, _settings(), problems)
    assert not problems.errors, [str(p) for p in problems]
    assert not text.exists()
    assert gone.stem[3:] not in PublishedIndex(out).ids()


def test_missing_or_unmarked_pages_are_reported(tmp_path):
    archive = _write_pages(tmp_path, ["甲", "乙", "丙"])
    docs = archive.documents
    (tmp_path / urls.output_file(urls.document(docs[1].id))).write_text(
        '<main data-search-body data-doc-id="other"><h1>标题</h1></main>', encoding="utf-8")
    (tmp_path / urls.output_file(urls.document(docs[2].id))).unlink()
    problems = _index(tmp_path, archive)
    assert [(Path(p.path).parent.name, p.level.name) for p in problems] == [("d-1", "ERROR"), ("d-2", "ERROR")]


class Reads:
    """Which documents the search stage reads, and from what: their page (as the render makes it,
    or its file), or their published text."""

    def __init__(self, monkeypatch):
        self.pages: list[str] = []
        self.texts: list[str] = []
        read, index_page = search_build._read, search_build.index_page

        def counted(task):
            (self.pages if task[0] == "page" else self.texts).append(task[3])
            return read(task)

        def rendered(doc, html, buckets):
            self.pages.append(doc.id)
            return index_page(doc, html, buckets)
        monkeypatch.setattr(search_build, "_read_all", lambda tasks: map(counted, tasks))
        monkeypatch.setattr(search_build, "index_page", rendered)

    def clear(self):
        self.pages.clear()
        self.texts.clear()


def test_adding_an_issue_reads_only_the_new_pages_and_keeps_the_full_members(tmp_path, monkeypatch):
    """With segments of four, 20 documents are members of 16 and 4; ten more make 16, 8,
    4 and 2: the first member's bytes are kept in every bucket file, the others are made
    from the published texts of their old documents and the new pages. The result is what
    a build from scratch makes."""
    reads = Reads(monkeypatch)
    content, out, fresh = tmp_path / "content", tmp_path / "out", tmp_path / "fresh"
    synthetic.write_archive(content, 2)
    settings = _settings(search_segment_documents=4)
    build(content, out, settings, Problems())
    buckets = {p.name: split_bucket(p.read_bytes()) for p in (out / "search" / "buckets").iterdir()}
    synthetic.write_issue(content, 2)
    reads.clear()
    problems = Problems()
    build(content, out, settings, problems)
    assert not problems.errors
    new = {d.name[3:-3] for d in (content / "1900" / "3").glob("*.md")}
    assert set(reads.pages) == new and len(reads.texts) == 4
    for path in (out / "search" / "buckets").iterdir():
        assert split_bucket(path.read_bytes())[0] == buckets[path.name][0]
    build(content, fresh, settings, Problems())
    assert compare_trees(out / "search", fresh / "search") == []


def test_pages_changed_around_the_same_text_keep_the_index(tmp_path, monkeypatch):
    """A new footer changes every page's key: the pages are read again, their texts are
    the same, and every bucket file is kept as published."""
    reads = Reads(monkeypatch)
    out = tmp_path / "out"
    build(CONTENT, out, _settings(footer_note="页脚甲"), Problems())
    before = {p.name: p.stat().st_ino for p in (out / "search" / "buckets").iterdir()}
    reads.clear()
    problems = Problems()
    build(CONTENT, out, _settings(footer_note="页脚乙"), problems)
    assert not problems.errors and len(reads.pages) == 10 and reads.texts == []
    assert {p.name: p.stat().st_ino for p in (out / "search" / "buckets").iterdir()} == before


def _rebuild(out: Path) -> Problems:
    """Build ``out`` again after damaging it (no input changed)."""
    (record_dir(out) / "inputs").unlink()  # otherwise the build sees nothing to do
    problems = Problems()
    build(CONTENT, out, _settings(), problems)
    return problems


@pytest.mark.parametrize("damage", ["record", "bucket edited", "bucket deleted", "block deleted", "rows deleted"])
def test_search_files_damaged_or_changed_in_the_output_are_made_again(tmp_path, damage):
    """Kept files are not read: one changed or deleted since it was published, or a damaged
    record, must not be kept (nor the rest kept without it)."""
    out = tmp_path / "out"
    build(CONTENT, out, _settings(), Problems())
    good = {p: p.read_bytes() for p in (out / "search").rglob("*") if p.is_file()}
    target = {"record": record_dir(out) / "search" / "build.json", "bucket edited": out / "search" / "buckets" / "0.bin",
              "bucket deleted": out / "search" / "buckets" / "1.bin",
              "block deleted": sorted((out / "search" / "text").iterdir())[0],
              "rows deleted": out / "search" / "rows" / "0.json.gz"}[damage]
    if damage.endswith("deleted"):
        target.unlink()
    else:
        target.write_bytes(b"\xff")
    assert not _rebuild(out).errors
    assert {p: p.read_bytes() for p in (out / "search").rglob("*") if p.is_file()} == good
