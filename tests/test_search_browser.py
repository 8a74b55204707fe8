"""Search in headless Chromium against the built archive, as residents use it.

Ground truth is the text each document page shows (its ``data-search-body``
element's innerText), whitespace ignored, folded like search folds it. The
exactness test prints precision and recall over generated queries.
"""
from __future__ import annotations

import functools
import random
import re
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import numpy as np
import pytest

from gazette_site import content, urls
from gazette_site.build import build
from gazette_site.problems import Problems
from gazette_site.search import build as search_build
from gazette_site.search.build import BLOCK, OVERLAP, sort_dates
from gazette_site.search.reader import PublishedIndex
from gazette_site.search.terms import bucket_count, buckets_of, term_code
from gazette_site.search.normalize import fold
from gazette_site.search.numbers import tails
from render_fixtures import settings as site_settings
from support import REPO_ROOT, axe_check, describe_violations, serious_violations, serve_directory

CONTENT = REPO_ROOT / "content"
SEED = 20230101
WUFEI = "无废城市"


@dataclass
class DocText:
    id: str
    title: str
    text: str  # innerText, whitespace removed, not folded (what a reader could type)
    cells: list[str]
    paragraphs: list[str]
    chronicle: list[str]

    @functools.cached_property
    def folded(self) -> str:
        return fold(self.text)


@dataclass(frozen=True)
class Query:
    text: str  # as typed
    terms: tuple[str, ...]  # what must all occur
    doc_number: str | None = None  # a 发文字号 lookup also finds its document


@pytest.fixture(scope="module")
def archive():
    problems = Problems()
    loaded = content.load(CONTENT, problems)
    assert not problems.errors, [str(p) for p in problems]
    return loaded


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory, archive):
    out = tmp_path_factory.mktemp("site")
    problems = Problems()
    # Segments of four: ten documents are two members (8 + 2) in every bucket file, read together;
    # sort parts of four: the directory has the dates of the newest four, the others are fetched.
    settings = site_settings(base_url="https://example.org/gongbao/", search_segment_documents=4)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_build, "SORT_DOCUMENTS", 4)
        build(CONTENT, out, settings, problems)
    assert not problems.errors, [str(p) for p in problems]
    return out


@pytest.fixture(scope="module")
def served(site_dir):
    with serve_directory(site_dir, "/gongbao/") as site:
        yield site


@pytest.fixture(scope="module")
def search_page(browser, served):
    """One search page for the read-only checks."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(served.url + urls.SEARCH)
    page.wait_for_selector("html[data-search-ready]")
    yield page
    context.close()


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def pages(search_page, served, archive) -> dict[str, DocText]:
    found = {}
    for doc in archive.documents:
        search_page.goto(served.url + urls.document(doc.id))
        shown = search_page.evaluate("""() => {
            const body = document.querySelector('[data-search-body]');
            const texts = (selector) => [...body.querySelectorAll(selector)].map((e) => e.innerText);
            return {id: body.dataset.docId, text: body.innerText, title: body.querySelector('h1').innerText,
                    cells: texts('td, th'), paragraphs: texts('p, li'), chronicle: texts('.chronicle-entry')};
        }""")
        found[doc.id] = DocText(shown["id"], squash(shown["title"]), squash(shown["text"]),
                                *([squash(t) for t in shown[k] if squash(t)] for k in ("cells", "paragraphs", "chronicle")))
    search_page.goto(served.url + urls.SEARCH)
    search_page.wait_for_selector("html[data-search-ready]")
    return found


def expected(query: Query, pages: dict[str, DocText], archive) -> set[str]:
    hits = {id for id, page in pages.items() if all(squash(t) in page.text for t in query.terms)}
    if query.doc_number:
        hits |= {d.id for d in archive.documents if d.doc_number == query.doc_number}
    return hits


def run_queries(page, queries: list[str], options: dict | None = None) -> list[list[dict]]:
    return page.evaluate("""async ([queries, options]) => {
        const all = [];
        for (const q of queries) all.push(await window.gazetteSearch(q, options));
        return all;
    }""", [queries, options or {}])


def result_ids(results: list[dict]) -> list[str]:
    return [re.search(r"/doc/([^/]+)/$", r["url"])[1] for r in results]


def generated_queries(pages: dict[str, DocText], archive) -> list[Query]:
    rng = random.Random(SEED)
    docs = [pages[id] for id in sorted(pages)]
    every_text = "".join(p.folded for p in docs)

    def substring(source: str) -> str:  # '"' is query syntax: never part of a generated string
        while True:
            length = rng.randint(1, min(8, len(source)))
            start = rng.randrange(len(source) - length + 1)
            if '"' not in source[start:start + length]:
                return source[start:start + length]

    def sample(kind: str) -> str:
        candidates = [d for d in docs if getattr(d, kind)]
        doc = rng.choice(candidates)
        value = getattr(doc, kind)
        return substring(rng.choice(value) if isinstance(value, list) else value)

    queries = [Query(q, (q,)) for q in (sample(rng.choice(["text", "text", "cells", "title", "chronicle"]))
                                        for _ in range(160))]
    names = sorted({m for d in docs for m in re.findall(r"(?:组长|成员|副组长|任命|免去)[:：]?([\u4e00-\u9fff]{3})", d.text)})
    numbers = sorted({m for d in docs for m in re.findall(r"\d+(?:\.\d+)?", d.text)})
    queries += [Query(n, (n,)) for n in rng.sample(names, min(15, len(names)))]
    queries += [Query(n, (n,)) for n in rng.sample(numbers, min(15, len(numbers)))]
    queries += [Query(d.doc_number, (d.doc_number,), d.doc_number) for d in archive.documents if d.doc_number]
    for _ in range(15):  # several terms: all must occur
        doc = rng.choice(docs)
        terms = (substring(doc.text), substring(doc.text))
        queries.append(Query(" ".join(terms), terms))
    for _ in range(10):  # a quoted phrase with a space inside is still one string
        phrase = substring(rng.choice(docs).text)
        cut = rng.randint(0, len(phrase))
        queries.append(Query(f'"{phrase[:cut]} {phrase[cut:]}"', (phrase,)))
    every_tail = sorted(set().union(*(tails(d.folded) for d in docs)))
    queries += [Query(t, (t,)) for t in rng.sample(every_tail, min(10, len(every_tail)))]
    queries += [Query(t, (t,), "新政办〔2023〕99号" if t.startswith("新") else None)
                for t in ("2023〕999号", "1999〕1号", "新政办〔2023〕99号")]
    chars = sorted(set(every_text) - set("\"'"))
    nothing = []
    while len(nothing) < 15:  # strings of the content's own characters that no document contains
        candidate = "".join(rng.choice(chars) for _ in range(rng.randint(2, 4)))
        if fold(candidate) not in every_text and not re.fullmatch(r"[a-z]+", candidate):
            nothing.append(Query(candidate, (candidate,)))
    return queries + nothing + [Query("87654321", ("87654321",))]


def test_results_are_exactly_the_documents_containing_the_query(search_page, pages, archive, capsys):
    queries = generated_queries(pages, archive)
    assert len(queries) >= 150
    results = run_queries(search_page, [q.text for q in queries])
    found = relevant = correct = 0
    wrong = []
    for query, got in zip(queries, results):
        ids = result_ids(got)
        assert len(ids) == len(set(ids)), f"{query.text}: a document listed twice"
        want = expected(query, pages, archive)
        found, relevant, correct = found + len(ids), relevant + len(want), correct + len(want & set(ids))
        if set(ids) != want:
            wrong.append(f"{query.text!r}: missing {sorted(want - set(ids))}, extra {sorted(set(ids) - want)}")
    precision, recall = correct / max(found, 1), correct / max(relevant, 1)
    with capsys.disabled():
        print(f"\nsearch exactness: {len(queries)} queries, {relevant} expected hits, "
              f"precision {precision:.4f}, recall {recall:.4f}")
    assert not wrong, "\n".join(wrong)
    assert precision == 1.0 and recall == 1.0


def test_every_character_of_the_content_finds_exactly_its_documents(search_page, pages, archive, capsys):
    """Single characters are where Pagefind's chunking bites (see search/ngrams.py)."""
    chars = sorted(set("".join(p.text for p in pages.values())) - {'"'})
    wrong = [c for c, got in zip(chars, run_queries(search_page, chars))
             if set(result_ids(got)) != expected(Query(c, (c,)), pages, archive)]
    with capsys.disabled():
        print(f"\nsingle characters: {len(chars)} queries, {len(wrong)} wrong")
    assert wrong == []


def test_every_two_character_query_finds_exactly_its_documents(search_page, pages, archive):
    """One index word each, trusted without reading texts: pairs some documents have and
    pairs of characters that occur but never side by side (see search/ngrams.py)."""
    rng = random.Random(SEED)
    texts = [p.text for p in pages.values()]
    present = sorted({t[i:i + 2] for t in texts for i in range(len(t) - 1)})
    chars = sorted(set("".join(texts)) - {'"'})
    absent = set()
    while len(absent) < 150:
        pair = rng.choice(chars) + rng.choice(chars)
        if not any(pair in t for t in texts):
            absent.add(pair)
    queries = [q for q in rng.sample(present, 400) if '"' not in q] + sorted(absent)
    wrong = [q for q, got in zip(queries, run_queries(search_page, queries))
             if set(result_ids(got)) != expected(Query(q, (q,)), pages, archive)]
    assert wrong == []


@pytest.fixture(scope="module")
def four_per_page(site_dir, served) -> str:
    """The address of a search page that shows four results at a time."""
    search = site_dir / "search"
    paged = search.joinpath("index.html").read_text(encoding="utf-8").replace('data-page-size="20"', 'data-page-size="4"')
    (search / "four.html").write_text(paged, encoding="utf-8")
    return served.url + urls.SEARCH + "four.html"


def texts_fetched(served, since: int) -> list[str]:
    return [path for _, path, _ in served.requests[since:] if "/search/text/" in path]


def test_short_queries_read_only_the_texts_shown(browser, served, four_per_page, pages):
    """A common character is in every document: the index's answer is exact, so only
    what the page of results shows is fetched, for their excerpts: the block of each
    text that first has the term. A longer query's candidates are checked: at most
    the documents with its first bigram, a block or a few each."""
    with_first_bigram = sum("汪集" in p.text for p in pages.values())
    for query, shown, texts in (("的", 4, range(4, 5)), ("通知", 4, range(4, 5)),
                                ("汪集鸡汤", 1, range(1, with_first_bigram + 1))):
        context = browser.new_context()  # an empty cache each time
        page = context.new_page()
        before = len(served.requests)
        page.goto(four_per_page + "?" + urlencode({"q": query}))
        page.wait_for_selector("html[data-search-ready]")
        assert len(texts_fetched(served, before)) in texts and shown_count(page) == shown, query
        context.close()


def test_longer_queries_check_candidates_a_page_at_a_time(page, served, four_per_page, pages, archive):
    """A phrase's candidates are checked against their texts in ranking order, only as
    far as the page shown needs; until the last is checked the count is a range."""
    query = "电子商务"
    want = expected(Query(query, (query,)), pages, archive)
    assert len(want) > 4
    before = len(served.requests)
    page.goto(four_per_page + "?" + urlencode({"q": query}))
    page.wait_for_selector("html[data-search-ready]")
    status = page.locator("#search-status").inner_text()
    found = re.search(r"至少 (\d+) 个文件（还有 (\d+) 个候选文件", status)
    assert found and int(found[1]) == 4 == shown_count(page), status
    unchecked = int(found[2])
    assert unchecked >= len(want) - 4
    page.click("#search-more")
    page.wait_for_selector("#search-more", state="hidden")
    assert f"共 {len(want)} 个文件" in page.locator("#search-status").inner_text()
    ids = page.eval_on_selector_all("#search-results h2 a", "links => links.map((a) => a.getAttribute('href'))")
    assert {re.search(r"doc/([^/]+)/\?hl=[^#]*$", href)[1] for href in ids} == want
    fetched = texts_fetched(served, before)
    assert len(fetched) == len(set(fetched))  # each candidate's text at most once


def test_more_results_that_find_none_say_so_and_keep_the_focus(page, served, four_per_page, pages):
    """A full first page with candidates left unchecked, none of which matches: 显示更多结果
    checks them, the count becomes exact and the focus moves to it, not lost with the button."""
    texts = sorted(pages.values(), key=lambda p: p.id)
    phrases = sorted({q for p in texts for q in (p.folded[i:i + 3] for i in range(0, len(p.folded) - 3, 5))
                      if sum(q in t.folded for t in texts) == 4 < sum(q[:2] in t.folded for t in texts)
                      and '"' not in q and not tails(q)})
    for phrase in phrases[:40]:
        page.goto(four_per_page + "?" + urlencode({"q": phrase}))
        page.wait_for_selector("html[data-search-ready]")
        if "至少 4 个文件" in page.locator("#search-status").inner_text():
            break
    else:
        pytest.fail("no phrase left candidates unchecked after a full page")
    page.click("#search-more")
    page.wait_for_selector("#search-more", state="hidden")
    assert "共 4 个文件" in page.locator("#search-status").inner_text() and shown_count(page) == 4, phrase
    assert page.evaluate("document.activeElement.id") == "search-status"


def test_candidates_that_seldom_match_are_narrowed_before_they_are_checked(search_page, served):
    """static/search/engine.js's Results on a made-up ranking: 200 candidates, every tenth
    matching; each further index word keeps the matches and half the rest. Asked for a
    page, it checks a first batch, finds few matches and narrows, instead of checking
    on; asked for every hit, it narrows first. The hits, in order, are those of
    checking every candidate."""
    got = search_page.evaluate("""async (root) => {
        const { Results } = await import(new URL('static/search/engine.js', root));
        const candidates = () => Array.from({ length: 200 }, (_, id) => ({ id, n: id, pinned: false }));
        const matches = (hit) => hit.id % 10 === 0;
        async function run(count, words) {
            let checked = 0, asked = 0;
            const check = async (hit) => (checked++, matches(hit) ? "exact" : null);
            async function narrow() {
                if (asked === words) return null;
                const step = 2 ** (++asked + 1);
                return new Set(candidates().filter((h) => matches(h) || h.id % step === 1).map((h) => h.n));
            }
            const results = new Results(candidates(), check, { narrow, wordBytes: 20000, textBytes: 9000 });
            await results.extend(count);
            return { ids: results.hits.map((h) => h.id), checked, asked, unchecked: results.unchecked };
        }
        return { page: await run(4, 3), pageChecking: await run(4, 0),
                 all: await run(Infinity, 3), allChecking: await run(Infinity, 0) };
    }""", served.url)
    page, checking = got["page"], got["pageChecking"]
    assert page["ids"] == checking["ids"] == [0, 10, 20, 30]
    assert page["asked"] >= 1 and page["checked"] < checking["checked"] and page["unchecked"] > 0, got
    assert got["all"]["ids"] == got["allChecking"]["ids"] == list(range(0, 200, 10))
    assert got["all"]["checked"] < got["allChecking"]["checked"] == 200 and got["all"]["unchecked"] == 0, got


def test_browser_finds_the_bucket_the_build_writes_a_term_to(search_page, served, pages):
    """static/search/index.js hashes a term to its bucket file as search/terms.py does."""
    chars = sorted(set("".join(p.text for p in pages.values())) | {"\U00020000", "\U0010ffff", "\x00"})
    terms = chars + [a + b for a, b in zip(chars, reversed(chars))]
    got = search_page.evaluate("""async ([root, terms]) => {
        const { bucketOf, termCode } = await import(new URL('static/search/index.js', root));
        return terms.map((t) => [termCode(t), bucketOf(termCode(t), 4096), bucketOf(termCode(t), 1)]);
    }""", [served.url, terms])
    codes = np.array([term_code(t) for t in terms], dtype=np.uint64)
    assert [g[0] for g in got] == codes.tolist()
    assert [g[1] for g in got] == buckets_of(codes, 4096).tolist() and {g[2] for g in got} == {0}
    assert bucket_count(10_000) == 2048 and bucket_count(3) == 1


def test_doc_number_queries_check_only_the_documents_with_its_tail(page, served, pages, archive):
    """A 发文字号's bigrams are in most documents that cite any number of its year (in
    a large archive); its tail (2023〕2号) only in those that cite it. A query with
    a tail checks only those documents (their texts a block at a time), and needs no
    bucket file where they are few."""
    open_search(page, served)
    for number, tail, first in (("新政发〔2023〕2号", "2023〕2号", ["xinzhengfa-2023-2"]),
                                ("新政办〔2023〕99号", "2023〕99号", []),
                                ("国家税务总局公告2023年第2号", "2023年第2号", [])):  # numbered by year
        before = len(served.requests)
        assert result_ids(page.evaluate("q => window.gazetteSearch(q)", number))[:1] == first
        paths = [path for _, path, _ in served.requests[before:]]
        assert not any("/search/buckets/" in path for path in paths), number
        fetched = {archive.documents[int(re.search(r"/text/(\d+)\.\d+\.bin$", path)[1])].id
                   for path in paths if "/search/text/" in path}
        assert fetched == {id for id, p in pages.items() if tail in p.folded}, number


def test_long_queries_across_the_cut_between_blocks_are_found(search_page, site_dir, pages, archive):
    """A term longer than the blocks' overlap may run across the cut between two
    blocks of text; it is found all the same (docs/search.md)."""
    index = PublishedIndex(site_dir)
    longest = max(range(len(archive.documents)), key=lambda n: len(index.text(n)))
    rest = index.preface_and_rest(longest)[1]
    assert len(rest) > 2 * BLOCK
    for cut, length in ((BLOCK, 80), (2 * BLOCK, 200), (BLOCK, OVERLAP + 2)):
        text = rest[cut - 5:cut - 5 + length]
        query = Query(f'"{text}"', (text,)) if re.search(r"\s", text) else Query(text, (text,))
        got = set(result_ids(run_queries(search_page, [query.text])[0]))
        assert archive.documents[longest].id in got and got == expected(query, pages, archive), text


def test_issue_examples(search_page, pages, archive):
    for text in ("汪集鸡汤", "舒基元", "电子商务", "网红打卡点", "废城", "民生实事", "G318", "5G", "PCR", "2023"):
        got = set(result_ids(run_queries(search_page, [text])[0]))
        assert got == expected(Query(text, (text,)), pages, archive) and got, text


def test_width_and_case_are_ignored_only_when_nothing_matches_exactly(search_page, pages):
    for text in ("pcr", "ＰＣＲ", "g318", "Ｇ３１８", "5g"):
        got = set(result_ids(run_queries(search_page, [text])[0]))
        assert got == {id for id, page in pages.items() if fold(text) in page.folded} and got, text
    differs = False
    for text, got in zip("，,（(；;：:", run_queries(search_page, list("，,（(；;：:"))):
        exact = {id for id, page in pages.items() if text in page.text}
        assert set(result_ids(got)) == exact or not exact, text
        differs |= bool(exact) and exact != {id for id, page in pages.items() if fold(text) in page.folded}
    assert differs, "the content should have a character whose loose and exact matches differ"


def test_every_doc_number_spelling_finds_its_document_first(search_page, archive):
    for doc in (d for d in archive.documents if d.doc_number):
        code, year, number = re.fullmatch(r"(.+)〔(\d{4})〕(\d+)号", doc.doc_number).groups()
        spellings = [f"{code}〔{year}〕{number}号", f"{code}[{year}]{number}号", f"{code}({year}){number}号",
                     f"{code}（{year}）{number}号", f"{code}【{year}】{number}号", f"{code}{year}年{number}号",
                     f"{code}〔{year}〕{number}", f" {code} [{year}] {number} 号 "]
        for spelling, results in zip(spellings, run_queries(search_page, spellings)):
            assert result_ids(results)[:1] == [doc.id], spelling


def test_title_pinyin_finds_titles(search_page, archive):
    want = {d.id for d in archive.documents if WUFEI in d.title}
    assert want
    marked = {"wufeichengshi": WUFEI, "wfcs": WUFEI, "WuFeiChengShi": WUFEI, "wu fei cheng shi": WUFEI,
              "wufeicheng": "无废城", "wufeichengs": WUFEI}
    for text, mark in marked.items():
        results = run_queries(search_page, [text])[0]
        assert set(result_ids(results)) == want, text
        assert all(f"<mark>{mark}</mark>" in r["excerpt"] for r in results), text
    assert run_queries(search_page, ["ufeichengshi"])[0] == []  # syllables are matched whole


def test_filters_narrow_to_matching_documents(search_page, pages, archive):
    query = Query("通知", ("通知",))
    everything = expected(query, pages, archive)
    by_id = {d.id: d for d in archive.documents}
    cases = {
        "year": ("2023", lambda d: d.issue.year == 2023),
        "issue": ("2023-1", lambda d: d.issue.key == "2023-1"),
        "category": ("政务简讯", lambda d: d.category == "政务简讯"),
        "issuer": ("武汉市新洲区人民政府办公室", lambda d: "武汉市新洲区人民政府办公室" in d.issuers),
    }
    for name, (value, keep) in cases.items():
        got = set(result_ids(run_queries(search_page, [query.text], {name: value})[0]))
        assert got == {id for id in everything if keep(by_id[id])}, name
    assert run_queries(search_page, [query.text], {"year": "1999"})[0] == []


def title_rank(query: str, title: str) -> int:
    """0: the query is not in the title; else 1 to 3 as the query is less than a quarter, less
    than half, or at least half of the title (folded lengths)."""
    if fold(query) not in fold(title):
        return 0
    share = len(fold(query)) / len(fold(title))
    return 3 if share >= 1 / 2 else 2 if share >= 1 / 4 else 1


def test_order_by_date_and_by_relevance(search_page, archive):
    """Newest first, within a day the later issue, then printed order; by relevance, documents whose
    title has the term first, those whose title it is more of before the others. The dates of all but
    the newest documents are fetched on the way."""
    dates = sort_dates(archive)
    issue_of = {d.id: i for i, issue in enumerate(archive.issues) for d in issue.documents}
    number = {d.id: n for n, d in enumerate(archive.documents)}
    title = {d.id: d.title for d in archive.documents}
    by_date = lambda id: (dates[id], issue_of[id], -number[id])  # noqa: E731
    for query in ("区", "通知", "的", "大事记", "政府工作报告"):
        found = set(result_ids(run_queries(search_page, [query])[0]))
        for sort, key in (("date", by_date), ("", lambda id: (title_rank(query, title[id]), *by_date(id)))):
            got = result_ids(run_queries(search_page, [query], {"sort": sort})[0])
            assert got == sorted(found, key=key, reverse=True), (query, sort)
    first = result_ids(run_queries(search_page, [WUFEI])[0])[0]
    assert WUFEI in next(d.title for d in archive.documents if d.id == first)
    # The issue's example: the report itself, not the newer notices citing it in longer titles.
    assert result_ids(run_queries(search_page, ["政府工作报告"])[0])[0] == "xinzhengfa-2023-1"


def test_results_carry_what_the_page_shows(search_page, archive):
    doc = next(d for d in archive.documents if d.doc_number == "新政发〔2023〕2号")
    result = run_queries(search_page, [doc.doc_number])[0][0]
    assert result["title"] == doc.title and result["doc_number"] == doc.doc_number
    assert result["date"] == doc.date.isoformat()
    assert f"<mark>{doc.doc_number}</mark>" in result["excerpt"]


def test_excerpts_show_the_paragraph_or_row_of_the_match(search_page, archive):
    by_query = {q: {r["id"]: r["excerpt"] for r in results}
                 for q, results in zip(("无废城市", "分管区领导", "新政发〔2023〕2号"),
                                       run_queries(search_page, ["无废城市", "分管区领导", "新政发〔2023〕2号"]))}
    gap = '<span class="cell-gap"></span>'
    # The first match after the title and facts: a whole paragraph, nothing of the next.
    assert by_query["无废城市"]["xinzhengfa-2023-2"] == (
        "经研究，现将《新洲区“<mark>无废城市</mark>”建设工作方案》印发给你们，请认真组织实施。")
    # In a table: the row, its cells parted.
    assert by_query["分管区领导"]["xinzhengban-2023-5"] == (
        f"序号 {gap} 市级下达的责任事项 {gap} 新洲区目标任务 {gap} 完成时间 {gap} <mark>分管区领导</mark> {gap} 责任单位")
    # Only in the facts: that fact and its value.
    assert by_query["新政发〔2023〕2号"]["xinzhengfa-2023-2"] == f"发文字号 {gap} <mark>新政发〔2023〕2号</mark>"


def test_a_match_only_in_the_title_shows_the_opening_of_the_text(search_page, site_dir, pages, archive):
    index = PublishedIndex(site_dir)
    n, doc = next((n, d) for n, d in enumerate(archive.documents) if d.id == "xinzhengban-2023-2")
    part = next(doc.title[i:i + 6] for i in range(len(doc.title) - 5)
                if [id for id, p in pages.items() if fold(doc.title[i:i + 6]) in p.folded] == [doc.id]
                and doc.title[i:i + 6] not in index.preface_and_rest(n)[1])
    [result] = run_queries(search_page, [part])[0]
    opening = index.preface_and_rest(n)[1].split("\n")[0]
    shown = re.sub(r"<[^>]+>", "", result["excerpt"]).removesuffix("…")
    assert result["id"] == doc.id and "<mark>" not in result["excerpt"]
    assert len(shown) >= 20 and opening.startswith(shown), (shown, opening)


def test_browser_folds_characters_like_the_index(search_page, served, pages):
    chars = sorted(set("".join(p.text for p in pages.values()))
                   | {chr(c) for r in ((0x20, 0x7F), (0xA0, 0x180), (0x2000, 0x2070), (0x3000, 0x3040),
                                       (0xF900, 0xFB00), (0xFF00, 0xFFF0)) for c in range(*r)})
    folded = search_page.evaluate("""async ([root, chars]) => {
        const { foldChar } = await import(new URL('static/search/query.js', root));
        return chars.map(foldChar);
    }""", [served.url, chars])
    assert [c for c, f in zip(chars, folded) if fold(c) != f] == []


def open_search(page, served, query: str = "", **params) -> None:
    address = served.url + urls.SEARCH + ("?" + urlencode({"q": query, **params}) if query else "")
    page.goto(address)
    page.wait_for_selector("html[data-search-ready]")


def wait_for_results(page, count: int) -> None:
    # Not wait_for_function: it evaluates its string in the page, which the
    # Content-Security-Policy forbids.
    from playwright.sync_api import expect
    expect(page.locator("#search-results > li")).to_have_count(count)


def shown_count(page) -> int:
    return page.locator("#search-results > li").count()


def test_deep_link_filters_and_back_button(page, served):
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    open_search(page, served, "舒基元")
    assert "共 3 个文件" in page.locator("#search-status").inner_text()
    assert shown_count(page) == 3
    assert page.input_value("#search-q") == "舒基元" and page.input_value("#site-search") == "舒基元"
    first = page.locator("#search-results > li").first
    link = urlsplit(first.locator("h2 a").get_attribute("href"))  # opens at the match, marked (highlight.js)
    assert re.fullmatch(r".*/doc/[a-z0-9-]+/", link.path) and link.query == urlencode({"hl": "舒基元"})
    assert first.locator(".search-meta span").count() >= 2
    assert first.locator("mark").first.inner_text() == "舒基元"
    page.select_option("select[name=category]", "政务简讯")
    page.wait_for_url(re.compile(r"category="))
    wait_for_results(page, 1)
    page.go_back()
    wait_for_results(page, 3)
    assert "category" not in page.url and page.input_value("select[name=category]") == ""
    assert errors == []


def test_issues_are_listed_when_a_reader_turns_to_the_filters(page, served):
    """The list of issues grows with the archive: a search alone does not fetch it."""
    def fetched_issues(since: int) -> bool:
        return any(path.endswith(urls.SEARCH_ISSUES) for _, path, _ in served.requests[since:])
    before = len(served.requests)
    open_search(page, served, "通知")
    assert not fetched_issues(before) and page.locator("select[name=issue] option").count() == 1
    page.hover(".search-filters")
    page.wait_for_selector("select[name=issue] option[value='2023-1']", state="attached")
    open_search(page, served, "通知", issue="2023-1")
    assert page.input_value("select[name=issue]") == "2023-1"
    assert "已按筛选条件限定" in page.locator("#search-status").inner_text()


def test_search_box_in_a_document_page_header(page, served):
    page.goto(served.url + urls.document("xinzhengfa-2023-1"))
    page.fill("#site-search", "网红打卡点")
    page.press("#site-search", "Enter")
    page.wait_for_selector("html[data-search-ready]")
    assert urls.SEARCH + "?q=" in page.url
    assert shown_count(page) == 1


def test_keyboard_only_search(page, served):
    open_search(page, served)
    page.focus("#search-q")
    page.keyboard.type("汪集鸡汤")
    page.keyboard.press("Enter")
    wait_for_results(page, 1)
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('#search-results') !== null"):
            break
    assert page.evaluate("document.activeElement.tagName") == "A"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/doc/xinzhengfa-2023-1/\?hl="))
    assert page.locator("mark.hl-current").inner_text() == "汪集鸡汤"  # and the match is marked, in view


def test_status_says_how_results_were_found(page, served):
    open_search(page, served, "没有这样的文字")
    assert "没有找到" in page.locator("#search-status").inner_text() and shown_count(page) == 0
    open_search(page, served, "wfcs")
    assert "按标题拼音找到 1 个文件" in page.locator("#search-status").inner_text() and shown_count(page) == 1
    open_search(page, served, "pcr")
    assert "不区分全角半角和大小写，找到 1 个文件" in page.locator("#search-status").inner_text()
    assert page.locator("#search-results mark").first.inner_text() == "PCR"
    open_search(page, served)
    assert page.locator("#search-status").inner_text() == "请输入检索词。"


def test_more_results_come_a_page_at_a_time(page, four_per_page):
    page.goto(four_per_page + "?q=的")
    page.wait_for_selector("html[data-search-ready]")
    assert "共 10 个文件" in page.locator("#search-status").inner_text() and shown_count(page) == 4
    page.click("#search-more")
    wait_for_results(page, 8)
    assert page.evaluate("document.activeElement === document.querySelectorAll('#search-results a')[4]")
    page.focus("#search-more")
    page.keyboard.press("Enter")
    wait_for_results(page, 10)
    assert page.locator("#search-more").is_hidden()


def test_usable_at_360_pixels(browser, served):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    open_search(page, served, "电子商务")
    assert shown_count(page) == 5
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()


def test_on_a_phone_the_first_result_is_on_the_first_screen_and_opens_at_the_marked_match(browser, served):
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    open_search(page, served, "无废城市")
    first = page.locator("#search-results > li").first
    title, excerpt = first.locator("h2").bounding_box(), first.locator(".search-excerpt").bounding_box()
    assert title["y"] >= 0 and excerpt["y"] + excerpt["height"] <= 800, (title, excerpt)
    first.locator("h2 a").click()
    page.wait_for_url(re.compile(r"/doc/xinzhengfa-2023-2/\?hl="))
    current = page.locator("mark.hl-current")
    assert current.inner_text() == "无废城市" and page.evaluate("window.scrollY") > 0
    box = current.bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= 800, box
    assert current.evaluate("m => document.querySelector('.doc-body').contains(m)")
    context.close()


def test_search_page_has_no_serious_accessibility_violations(page, served):
    open_search(page, served, "无废城市")
    violations = serious_violations(axe_check(page))
    assert violations == [], describe_violations(violations)


def test_first_query_transfer(page, served, site_dir, capsys):
    """What a first search costs (files as stored; the host may compress the
    JavaScript further): printed, and bounded to the bucket files it needs."""
    open_search(page, served)
    before = len(served.requests)
    assert len(page.evaluate("q => window.gazetteSearch(q)", "汪集鸡汤")) == 1
    paths = [urlsplit(path).path.removeprefix("/gongbao/") for _, path, _ in served.requests[before:]]
    sizes: dict[str, int] = {}
    for path in paths:
        kind = re.sub(r"[^/]+\.(bin|txt\.gz|json\.gz)$", r"*.\1", path)
        sizes[kind] = sizes.get(kind, 0) + (site_dir / path).stat().st_size
    index = sum(p.stat().st_size for p in (site_dir / "search" / "buckets").glob("*"))
    with capsys.disabled():
        print(f"\nfirst query transfer: {sum(sizes.values())} bytes ("
              + ", ".join(f"{k} {v}" for k, v in sorted(sizes.items())) + f"); whole index {index} bytes")
    assert 1 <= sum(p.endswith(".bin") for p in paths) <= 3
    assert sum(sizes.values()) < 100_000


def test_query_reading_in_the_browser(search_page, served):
    got = search_page.evaluate("""async (root) => {
        const q = await import(new URL('static/search/query.js', root));
        const brackets = { open: '〔[【({', close: '〕]】)}' };
        return {
            numbers: ['新政发〔2023〕02号', '新政发', '〔2023〕2号', '新政发2023', '新政办【2021】15号']
                .map((text) => q.canonicalDocNumber(text, brackets)),
            pinyin: [['西安先', 'xi an xian', 'xian'], ['长江“大”桥', 'chang jiang - da - qiao', 'cjdq'],
                     ['长江', 'chang jiang', 'angjiang'], ['长江', 'chang jiang', 'changjiangda']]
                .map(([title, readings, letters]) => q.pinyinMatch(title, readings, letters)),
            query: q.parseQuery('汪集  "鸡 汤" ＰＣＲ', brackets),
            terms: [q.candidateTerms('汪'), q.candidateTerms('汪集鸡汤'), q.candidateTerms('一二三四五六七八九十壹贰')],
        };
    }""", served.url)
    assert got["numbers"] == ["新政发〔2023〕2号", None, None, None, "新政办〔2021〕15号"]
    assert got["pinyin"] == ["西安", "长江“大”桥", None, None]
    assert got["query"] == {"exact": ["鸡汤", "汪集", "ＰＣＲ"], "loose": ["鸡汤", "汪集", "pcr"],
                            "docNumber": None, "pinyin": None}
    assert got["terms"][0] == ["汪"]
    assert got["terms"][1] == ["汪集", "鸡汤", "集鸡"]
    twelve = "一二三四五六七八九十壹贰"
    bigram = [a + b for a, b in zip(twelve, twelve[1:])]
    # Four spread over the term first, then the rest of a cover, then every other bigram.
    assert got["terms"][2][:6] == [bigram[i] for i in (0, 4, 6, 10, 2, 8)] and sorted(got["terms"][2]) == sorted(bigram)
