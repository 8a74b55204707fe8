"""Fixture issues: whole gazette issues in many layouts (input .txt, expected .expected.yaml).

Each fixture is made of real government documents arranged as an issue; its
.expected.yaml says where they come from and gives every document's fields.
One test runs them all, markdown-it-py style: add a pair of files, get a case.
"""
from __future__ import annotations

import datetime as dt
import html
import re

import pytest
import yaml

from gazette_site.ingest.pages import remove_furniture
from gazette_site.ingest.paragraphs import paragraph_blocks
from gazette_site.ingest.source import split_lines
from gazette_site.ingest.text import width
from gazette_site.ingest.toc import (
    _LEADERS_ALONE as _TOC_LEADERS_ALONE, _LEADING_PAGE as _TOC_LEADING_PAGE, _PAGE as _TOC_PAGE, _PAGE_ALONE as _TOC_PAGE_ALONE,
    find_toc,
)
from ingest_support import FIXTURES, SEED, parse_bytes

CASES = sorted(path.name.removesuffix(".expected.yaml") for path in FIXTURES.glob("*.expected.yaml"))
# Every expected document gives these; the others are checked where given.
REQUIRED = ("title", "doc_number", "issuer", "date", "category", "page", "attachments")
OPTIONAL = ("id", "page_end", "addressee")
_CHRONICLE_ENTRY = re.compile(r"\{#\d{4}-\d{2}-\d{2}(?:-\d+)? \.chronicle-entry")
_PAGE_MARK = re.compile(r'\[\]\{#page-\d+ \.page-mark data-page="(\d+)"\}')
_TABLE_DELIMITER = re.compile(r"^\|(?: ?:?-+:? ?\|)+$", re.M)


def _plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def _table_rows(body: str) -> list[int]:
    """Data rows of each Markdown table in a body."""
    rows: list[int] = []
    in_table = False
    for line in body.split("\n"):
        if _TABLE_DELIMITER.match(line):
            rows.append(0)
            in_table = True
        elif in_table and line.startswith("|"):
            rows[-1] += 1
        else:
            in_table = False
    return rows


def _load(case):
    expected = yaml.safe_load((FIXTURES / f"{case}.expected.yaml").read_text(encoding="utf-8"))
    parsed, problems = parse_bytes((FIXTURES / f"{case}.txt").read_bytes())
    assert parsed is not None and not problems.errors, [str(p) for p in problems]
    return expected, parsed, problems


@pytest.mark.parametrize("case", CASES)
def test_fixture_issue(case):
    expected, parsed, problems = _load(case)
    for key, value in expected["issue"].items():
        assert (parsed.meta[key] if key != "number" else parsed.number) == value, key
    for key, value in expected.get("masthead", {}).items():
        assert parsed.meta["masthead"][key] == value
    # what the parser must say it could not find (it may say more where it guessed)
    warnings = [p.message for p in problems.warnings]
    for fragment in expected.get("warnings", []):
        assert any(fragment in w for w in warnings), (fragment, warnings)
    for key, value in expected.get("stats", {}).items():
        assert getattr(parsed.stats, key) == value, key
    got = [(d.title, d.doc_number) for d in parsed.drafts]
    assert len(parsed.drafts) == len(expected["documents"]), got
    for draft, want in zip(parsed.drafts, expected["documents"]):
        label = want["title"]
        for name in REQUIRED:
            assert _plain(getattr(draft, name)) == _plain(want[name]), (label, name)
        for name in OPTIONAL:
            if name in want:
                assert _plain(getattr(draft, name)) == _plain(want[name]), (label, name)
        if "tables" in want:
            assert _table_rows(draft.body) == want["tables"], (label, "tables")
        if "entries" in want:
            assert len(_CHRONICLE_ENTRY.findall(draft.body)) == want["entries"], (label, "entries")
        # every printed page the document runs onto is marked where it begins, and only those
        marks = [int(page) for page in _PAGE_MARK.findall(draft.body)]
        assert marks == list(range(draft.page + 1, draft.page_end + 1)) if draft.page_end else not marks, (label, marks)
        text = _PAGE_MARK.sub("", draft.body)
        for fragment in want.get("body_contains", []):
            assert fragment in text, (label, fragment)
        for fragment in want.get("body_excludes", []):
            assert fragment not in text, (label, fragment)


_PAGE_NUMBER_LINE = re.compile(r"^\s*[—－\-·]?\s*\d{1,4}\s*[—－\-·]?\s*$")


def _form_feeds(text: str) -> str:
    """pdftotext's page ends: a form feed before the first line after each printed page number."""
    lines, after_page = [], False
    for line in text.split("\n"):
        if after_page and line.strip():
            line, after_page = "\f" + line, False
        lines.append(line)
        after_page = after_page or bool(_PAGE_NUMBER_LINE.match(line))
    return "\n".join(lines)


def _centred(text: str) -> str:
    """Short lines centred on a line of 80 columns with spaces, as ``pdftotext -layout`` places a title,
    a section marker or a date; the lines of a paragraph (a printed line holds 28 characters or more)
    stay at the margin."""
    def centre(line: str) -> str:
        stripped = line.strip()
        if not stripped or len(stripped) > 20 or "\t" in line:  # (a table row is no line of text)
            return line
        return " " * int(max(0, 80 - 2 * width(stripped)) // 2) + stripped  # a Chinese character is two columns
    return "\n".join(map(centre, text.split("\n")))


_FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
_TOC_ENTRY = re.compile(r"…|[（(]\d+[）)]\s*$")
_NO_LINE_START = set("，。、；：！？）》”’」』…—,.;:!?)")  # marks a typesetter never puts at a line's start


def _toc_pages(text: str, page: str) -> str:
    """The 目录's entries with their pages printed as ``page`` gives them ({} the page; "" none).
    Where the 目录 is comes from the parser reading the text as printed (which the fixture tests check)."""
    lines = text.split("\n")
    blocks = paragraph_blocks(remove_furniture(split_lines(text)).lines)
    found = find_toc(blocks)
    for block in blocks[found[0] + 1:found[1]] if found else []:
        for above, line in zip((None, *block.lines), block.lines):
            entry = _TOC_PAGE.match(line.stripped) or _TOC_LEADING_PAGE.match(line.stripped)
            if entry:
                number = next((entry[name] for name in ("bracketed", "bare", "page") if name in entry.re.groupindex and entry[name]))
                if entry["title"].strip() or above is None:
                    lines[line.number - 1] = entry["title"] + page.format(number)
                    # leaders and page printed on lines of their own below the title (joined to it when read)
                    below = line.number
                    while below < len(lines) and (_TOC_LEADERS_ALONE.match(lines[below].strip())
                                                  or _TOC_PAGE_ALONE.match(lines[below].strip())):
                        lines[below], below = "", below + 1
                else:  # leaders and page alone under the title's last line: the page goes after that line
                    lines[line.number - 1] = ""
                    lines[above.number - 1] = lines[above.number - 1].rstrip() + page.format(number)
    return "\n".join(lines)


def _markdown(text: str) -> str:
    """As converters that write Markdown give it: short lines they take for headings marked #, and
    the tab-separated rows a table, with a delimiter row under its first."""
    lines, in_table = [], False
    for line in text.split("\n"):
        stripped = line.strip()
        if "\t" in line:
            cells = line.split("\t")
            lines.append("| " + " | ".join(cells) + " |")
            if not in_table:
                lines.append("|" + "|".join(["---"] * len(cells)) + "|")
            in_table = True
            continue
        in_table = False
        short = stripped and len(stripped) <= 30 and stripped[-1] not in "。；：，"
        lines.append(f"## {stripped}" if short else line)
    return "\n".join(lines)


def _html_tables(text: str) -> str:
    """Each table as HTML on one line, as converters that write HTML tables give it."""
    lines, rows = [], []
    for line in [*text.split("\n"), ""]:
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        if rows:
            cells = ("".join(f"<td>{html.escape(cell)}</td>" for cell in row) for row in rows)
            lines.append("<table>" + "".join(f"<tr>{row}</tr>" for row in cells) + "</table>")
            rows = []
        lines.append(line)
    return "\n".join(lines[:-1])


def _lines_apart(text: str) -> str:
    """A blank line between every two lines, as a converter that makes each printed line a paragraph."""
    return "\n\n".join(line for line in text.split("\n") if line.strip())


def _wrapped(text: str, measure: int = 34) -> str:
    """Each line of the text (a 目录 entry and a table row aside) printed as lines of ``measure``
    characters, one under another, as pdftotext gives a justified page."""
    def wrap(line: str) -> list[str]:
        stripped = line.strip()
        if "\t" in line or len(stripped) <= measure or _TOC_ENTRY.search(stripped):
            return [line]
        parts, start = [], 0
        while start < len(stripped):
            end = start + measure
            while end < len(stripped) and stripped[end] in _NO_LINE_START:
                end += 1
            parts.append(stripped[start:end])
            start = end
        return parts
    return "\n".join(part for line in text.split("\n") for part in wrap(line))


# The same issue as other converters export it: no blank line anywhere (one line per printed
# line or paragraph); Windows line ends with a byte-order mark; every line indented by the
# page's margin (two ideographic spaces); short lines centred; a form feed where each page ends;
# digits typed full-width (２０２３年第１期); every paragraph and title in printed lines one under another;
# a blank line between every two lines; and the printed lines with each of those; a 目录 without pages,
# or with each page after a tab (a word processor's);
# Markdown, with # headings and pipe tables; tables in HTML.
EXPORTS = {
    "no-blank-lines": lambda text: "\n".join(line for line in text.split("\n") if line.strip()),
    "crlf-with-bom": lambda text: "\ufeff" + text.replace("\n", "\r\n"),
    "indented": lambda text: "\n".join("\u3000\u3000" + line if line.strip() else line for line in text.split("\n")),
    "centred": _centred,
    "form-feeds": _form_feeds,
    "full-width-digits": lambda text: text.translate(_FULL_WIDTH_DIGITS),
    "wrapped": _wrapped,
    "lines-apart": _lines_apart,
    "wrapped-lines-apart": lambda text: _lines_apart(_wrapped(text)),
    "wrapped-no-blank-lines": lambda text: "\n".join(line for line in _wrapped(text).split("\n") if line.strip()),
    "wrapped-centred": lambda text: _centred(_wrapped(text)),
    "toc-without-pages": lambda text: _toc_pages(text, ""),
    "toc-pages-after-a-tab": lambda text: _toc_pages(text, "\t{}"),
    "markdown": _markdown,
    "html-tables": _html_tables,
}
# What an export no longer prints, so cannot be read from it: without the 目录's pages a document's
# first page comes from the page numbers printed in the text, where there are any.
LOST_IN_EXPORT = {"toc-without-pages": {"page"}}


@pytest.mark.parametrize("export", EXPORTS)
@pytest.mark.parametrize("case", CASES)
def test_fixture_issue_as_other_converters_export_it(case, export):
    expected = yaml.safe_load((FIXTURES / f"{case}.expected.yaml").read_text(encoding="utf-8"))
    parsed, problems = parse_bytes(EXPORTS[export](_text(case)).encode("utf-8"))
    assert parsed is not None, [str(p) for p in problems]
    # the fields every document gives, and its 主送机关 where the expectation gives one (a wrapped
    # 主送机关 comes one printed line per block from a converter leaving no blank lines)
    wanted = [[name for name in (*REQUIRED, *(["addressee"] if "addressee" in want else []))
               if name not in LOST_IN_EXPORT.get(export, ())] for want in expected["documents"]]
    got = [{name: _plain(getattr(d, name)) for name in names} for d, names in zip(parsed.drafts, wanted)]
    assert len(parsed.drafts) == len(wanted), [d.title for d in parsed.drafts]
    assert got == [{name: _plain(want[name]) for name in names} for want, names in zip(expected["documents"], wanted)]


def test_cases_exist():
    assert len(CASES) >= 9, CASES


@pytest.mark.parametrize("export", EXPORTS)
def test_seed_as_other_converters_export_it(export):
    """The seed issue (ten documents, 110 printed pages) read from each export gives the same documents."""
    fields = [name for name in ("title", "doc_number", "issuer", "date", "category", "page", "page_end", "attachments",
                                "addressee") if name not in LOST_IN_EXPORT.get(export, ())]

    def documents(text: str) -> list[dict]:
        parsed, problems = parse_bytes(text.encode("utf-8"))
        assert parsed is not None, [str(p) for p in problems]
        return [{name: _plain(getattr(d, name)) for name in fields} for d in parsed.drafts]
    text = SEED.read_text(encoding="utf-8")
    assert documents(EXPORTS[export](text)) == documents(text)


def _text(case: str) -> str:
    return (FIXTURES / f"{case}.txt").read_bytes().decode("utf-8-sig").replace("\r\n", "\n")


@pytest.mark.parametrize("case", [case for case in CASES if "\f" in _form_feeds(_text(case))])
def test_form_feeds_leave_the_line_numbers_an_editor_sees(case):
    """pdftotext starts each page with a form feed: a warning, and the lines each document came from
    (``--dry-run``), still name the lines the editor's editor shows."""
    def lines(text: str) -> tuple[list, list[str]]:
        parsed, problems = parse_bytes(text.encode("utf-8"))
        return [(d.first_line, d.last_line, d.doc_number_line) for d in parsed.drafts], [str(p) for p in problems]
    assert lines(_form_feeds(_text(case))) == lines(_text(case))


LAYOUT = FIXTURES.parent / "ingest-layout"


# The same printed PDFs as pdftotext reads them (-layout, its default order, -raw), as PyMuPDF does (its
# blocks as they come, or sorted), as pdfminer.six does and as pdfplumber does.
READERS = {"layout": LAYOUT, "default-order": FIXTURES.parent / "ingest-pdftotext",
           "raw": FIXTURES.parent / "ingest-pdftotext-raw", "pymupdf": FIXTURES.parent / "ingest-pymupdf",
           "pymupdf-sorted": FIXTURES.parent / "ingest-pymupdf-sorted", "pdfminer": FIXTURES.parent / "ingest-pdfminer",
           "pdfplumber": FIXTURES.parent / "ingest-pdfplumber"}
# Not read right yet by pdfminer and by PyMuPDF sorting its blocks: the seed's big tables, whose cells
# both put among the text around them; by PyMuPDF sorted, a 目录 entry whose last line is spread over one
# (…的意见 / 的　　　通 / 知……6), which loses its section (city-known-sections-2016-4); by pdfminer, an
# attachment's title read above its 附件 line, or a table's header read into the title (xinzhou-district-2014-2).
KNOWN_GAPS = {("pdfminer", "seed"), ("pymupdf-sorted", "seed"), ("pymupdf-sorted", "city-known-sections-2016-4"),
              ("pdfminer", "xinzhou-district-2014-2")}


def _reader_case(name: str, source, case: str):
    gap = [pytest.mark.xfail(strict=True, reason="known gap")] if (name, case) in KNOWN_GAPS else []
    return pytest.param(source, case, id=f"{name}-{case}", marks=gap)


PRINTED = [_reader_case(name, source, case) for case in CASES for name, source in READERS.items()]


@pytest.mark.parametrize("source, case", PRINTED)
def test_fixture_issue_from_its_printed_pdf(source, case):
    """Each fixture issue typeset and extracted (ingest-layout/typeset.py) by pdftotext, with ``-layout``, in
    its default order or with ``-raw``, by PyMuPDF (its blocks as they come, the pages one after another with no
    break between them, or sorted, a form feed after each page), by pdfminer.six or by pdfplumber, gives the
    documents its text gives."""
    expected = yaml.safe_load((FIXTURES / f"{case}.expected.yaml").read_text(encoding="utf-8"))
    parsed, problems = parse_bytes((source / f"{case}.txt").read_bytes())
    assert parsed is not None, [str(p) for p in problems]
    wanted = [[*REQUIRED, *(["addressee"] if "addressee" in want else [])] for want in expected["documents"]]
    assert [d.title for d in parsed.drafts] == [want["title"] for want in expected["documents"]]
    got = [{name: _plain(getattr(d, name)) for name in names} for d, names in zip(parsed.drafts, wanted)]
    assert got == [{name: _plain(want[name]) for name in names} for want, names in zip(expected["documents"], wanted)]


def test_the_summary_counts_paragraphs_cut_not_lines_wrapped():
    """pdftotext -layout prints the seed on 128 pages, a printed line a line: the joins the ingest summary
    reports (跨页段落拼接) are the paragraphs a page cut, at most one a page, not every line wrapped."""
    raw = (LAYOUT / "seed.txt").read_bytes()
    parsed, problems = parse_bytes(raw)
    assert parsed is not None, [str(p) for p in problems]
    assert 0 < parsed.stats.joined_paragraphs <= raw.count(b"\f")


@pytest.mark.parametrize("source, case", [_reader_case(name, source, "seed") for name, source in READERS.items()])
def test_seed_from_its_printed_pdf(source, case):
    """The seed issue (110 printed pages, big tables across many of them) typeset and extracted the same
    ways gives the same documents."""
    fields = ("title", "doc_number", "issuer", "date", "category", "page", "attachments", "addressee")

    def documents(raw: bytes) -> list[dict]:
        parsed, problems = parse_bytes(raw)
        assert parsed is not None, [str(p) for p in problems]
        return [{name: _plain(getattr(d, name)) for name in fields} for d in parsed.drafts]
    assert documents((source / f"{case}.txt").read_bytes()) == documents(SEED.read_bytes())
