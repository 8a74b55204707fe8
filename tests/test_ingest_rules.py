"""Ingest rules, one fixture file per rule (markdown-it-py style): many small cases per file.

Each case in ``tests/fixtures/ingest-rules/<rule>.txt`` is a name line, then
``.``, the input, ``.``, the expected result (YAML), ``.``. Lines starting
with ``#`` before the first case say where the cases come from.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from gazette_site import docnumber
from gazette_site.ingest.documents import parse_official_document
from gazette_site.ingest.elements import block_lines
from gazette_site.ingest.draft import Context
from gazette_site.ingest.issue import parse_issue
from gazette_site.ingest.pages import remove_furniture
from gazette_site.ingest.paragraphs import paragraph_blocks, paragraphs_of
from gazette_site.ingest.section_marks import section_marker
from gazette_site.ingest.sections import parse_appointments, parse_briefs, parse_chronicle, parse_official_section
from gazette_site.ingest.source import blocks_of, split_lines
from gazette_site.ingest.text import fullwidth_punctuation, parse_date
from gazette_site.ingest.toc import parse_toc
from gazette_site.problems import Problems

RULES = Path(__file__).resolve().parent / "fixtures" / "ingest-rules"


def read_cases(name: str) -> list[tuple[str, str, str]]:
    """(case name, input, expected) of every case in a rule's fixture file."""
    lines = (RULES / f"{name}.txt").read_text(encoding="utf-8").split("\n")
    cases, index = [], 0
    while index < len(lines):
        if not lines[index].strip() or lines[index].startswith("#"):
            index += 1
            continue
        title = lines[index]
        assert lines[index + 1] == ".", f"{name}.txt:{index + 2}: expected '.' after the case name"
        end_input = lines.index(".", index + 2)
        end_expected = lines.index(".", end_input + 1)
        cases.append((title, "\n".join(lines[index + 2:end_input]), "\n".join(lines[end_input + 1:end_expected])))
        index = end_expected + 1
    return cases


def cases(name: str):
    return [pytest.param(given, expected, id=title) for title, given, expected in read_cases(name)]


def _plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value


@pytest.mark.parametrize("given, expected", cases("dates"))
def test_dates(given, expected):
    assert _plain(parse_date(given)[0]) == _plain(yaml.safe_load(expected))


@pytest.mark.parametrize("given, expected", cases("punctuation"))
def test_punctuation(given, expected):
    assert fullwidth_punctuation(given) == expected


@pytest.mark.parametrize("given, expected", cases("doc_numbers"))
def test_doc_numbers(given, expected):
    number = docnumber.parse_line(given)
    want = yaml.safe_load(expected)
    assert (None if number is None else {"normal": str(number), "id": number.id}) == want


@pytest.mark.parametrize("given, expected", cases("section_marks"))
def test_section_marks(given, expected):
    block, *under = blocks_of(split_lines(given))
    assert section_marker(block, set(), under[0] if under else None) == yaml.safe_load(expected)


@pytest.mark.parametrize("given, expected", cases("toc"))
def test_toc(given, expected):
    entries = parse_toc(paragraph_blocks(split_lines(given)))
    got = [[e["section"], e["title"], e["page"], e["doc_number"]] for e in entries]
    assert got == yaml.safe_load(expected)


@pytest.mark.parametrize("given, expected", cases("furniture"))
def test_page_furniture(given, expected):
    furniture = remove_furniture(split_lines(given))
    pages = furniture.pages
    got = [f"{pages.page_at(line.number) if pages else ''}|{line.stripped}" for line in furniture.lines if line.stripped]
    assert got == expected.split("\n")


@pytest.mark.parametrize("given, expected", cases("mastheads"))
def test_mastheads(given, expected):
    problems = Problems()
    parsed = parse_issue(given.encode("utf-8"), "cover.txt", problems)
    assert parsed is not None, [str(p) for p in problems]
    want = yaml.safe_load(expected)
    got = {key: parsed.meta[key] for key in ("gazette", "year", "number", "total_number")}
    got["masthead"] = parsed.meta["masthead"]
    if "frequency" in want:
        got["frequency"] = parsed.meta["extra"].get("frequency")
    assert got == want


@pytest.mark.parametrize("given, expected", cases("documents"))
def test_documents(given, expected):
    problems = Problems()
    context = Context("doc.txt", 2023, 1, "武汉市新洲区", problems)
    draft = parse_official_document(paragraphs_of(blocks_of(split_lines(given))), "文件", context)
    want = yaml.safe_load(expected)
    assert {key: _plain(getattr(draft, key)) for key in want} == {key: _plain(value) for key, value in want.items()}


@pytest.mark.parametrize("given, expected", cases("paragraphs"))
def test_printed_lines(given, expected):
    blocks = paragraphs_of(blocks_of(split_lines(given)))
    assert [block_lines(block) for block in blocks] == yaml.safe_load(expected)


@pytest.mark.parametrize("given, expected", cases("starts"))
def test_document_starts(given, expected):
    problems = Problems()
    context = Context("section.txt", 2023, 1, "武汉市新洲区", problems)
    drafts = parse_official_section(paragraphs_of(blocks_of(split_lines(given))), "文件", context)
    assert [draft.title for draft in drafts] == yaml.safe_load(expected)
    # text before the first document is reported; a title is not such text
    assert not [p for p in problems.warnings if "不属于任何公文" in p.message], [str(p) for p in problems]


@pytest.mark.parametrize("given, expected", cases("appointments"))
def test_appointments(given, expected):
    problems = Problems()
    context = Context("section.txt", 2023, 1, "武汉市新洲区", problems)
    drafts = parse_appointments(paragraphs_of(blocks_of(split_lines(given))), "人事任免", context)
    got = [{"title": d.title, "issuer": d.issuer, "date": _plain(d.date)} for d in drafts]
    assert got == [{key: _plain(value) for key, value in want.items()} for want in yaml.safe_load(expected)]


@pytest.mark.parametrize("given, expected", cases("briefs"))
def test_briefs(given, expected):
    problems = Problems()
    context = Context("section.txt", 2023, 1, "武汉市新洲区", problems)
    drafts = parse_briefs(paragraphs_of(blocks_of(split_lines(given))), "政务简讯", context)
    got = [{"title": d.title, "date": _plain(d.date)} for d in drafts]
    assert got == [{key: _plain(value) for key, value in want.items()} for want in yaml.safe_load(expected)]
    assert not problems.warnings, [str(p) for p in problems]


@pytest.mark.parametrize("given, expected", cases("chronicle"))
def test_chronicle(given, expected):
    problems = Problems()
    context = Context("section.txt", 2023, 1, "武汉市新洲区", problems, reference_date=dt.date(2023, 3, 31))
    draft, = parse_chronicle(paragraphs_of(blocks_of(split_lines(given))), "大事记", context)
    assert re.findall(r"\{#(\d{4}-\d{2}-\d{2})(?:-\d+)? \.chronicle-entry", draft.body) == [
        _plain(date) for date in yaml.safe_load(expected)]
    assert not problems.warnings, [str(p) for p in problems]


@pytest.mark.parametrize("given, expected", cases("listed"))
def test_documents_the_toc_lists(given, expected):
    problems = Problems()
    parsed = parse_issue(given.encode("utf-8"), "issue.txt", problems)
    assert parsed is not None, [str(p) for p in problems]
    got = [[d.category, d.title, d.issuer, _plain(d.date)] for d in parsed.drafts]
    assert got == [[_plain(value) for value in want] for want in yaml.safe_load(expected)]
    assert not [p for p in problems.warnings if "在正文中没有找到" in p.message or "下没有内容" in p.message], \
        [str(p) for p in problems]


def test_every_rule_file_has_cases():
    for path in RULES.glob("*.txt"):
        assert read_cases(path.stem), path.name
