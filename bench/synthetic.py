"""Synthetic archives for the benchmark, recombined from the committed seed issue.

Each issue is a real one in the content format (docs/content-format.md) with
its own year, number, ids and 发文字号. It is not the seed repeated (which
flatters an index: every copy has the same words): each document keeps its
seed document's front matter and structure (headings, signature, 附件, 大事记
entries: the blocks with attributes or a heading), but every plain paragraph is
drawn at random from the plain paragraphs of all ten seed documents, and every
table's rows are shuffled, with a random generator seeded by the issue and the
document, so the same archive is made every time. A phrase of one seed
paragraph is then in some documents of every issue and absent from others.
Beside it, a Hugo copy of the same Markdown (Hugo refuses ``date: null`` and
needs ``_index.md`` files to treat directories as sections).
"""
from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import yaml

from gazette_site.content import split_front_matter
from gazette_site.docnumber import parse_line

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "content" / "2023" / "1"
FIRST_YEAR = 1900
# 发文字号 are recognised for years 19xx and 20xx only, so 10,000 documents
# must fit in 200 years: six issues a year (a bimonthly gazette).
ISSUES_PER_YEAR = 6
# Numbers of issue q of a year start at (q - 1) * NUMBER_STRIDE, which keeps
# 发文字号 unique within the year; the seed's numbers are all below it.
NUMBER_STRIDE = 100
SEED_ID = re.compile(r"^(?P<year>\d{4})-(?P<number>\d+)-(?P<rest>.+)$")
# 大事记 entries carry their date in the body's attribute lines.
CHRONICLE_DATE = re.compile(r"(?<=[#=])\d{4}(?=-\d\d-\d\d)")


def seed_documents() -> list[tuple[str, dict, str]]:
    """(file name, front matter, body) of each document of the seed issue."""
    documents = []
    for path in sorted(SEED.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        front, body_line = split_front_matter(text)
        documents.append((path.name, yaml.safe_load(front), "\n".join(text.split("\n")[body_line - 1:])))
    return documents


def issue_slot(copy: int) -> tuple[int, int]:
    """(year, number) of the ``copy``-th issue, 0-based."""
    return FIRST_YEAR + copy // ISSUES_PER_YEAR, copy % ISSUES_PER_YEAR + 1


def rewrite_document(front: dict, body: str, year: int, number: int) -> tuple[dict, str]:
    """The seed document as if printed in issue ``year``/``number``."""
    front = dict(front, issue={"year": year, "number": number})
    if front["doc_number"]:
        seed_number = parse_line(front["doc_number"])
        doc_number = type(seed_number)(seed_number.agency, year, (number - 1) * NUMBER_STRIDE + seed_number.number)
        front["doc_number"], front["id"] = str(doc_number), doc_number.id
    else:
        front["id"] = f"{year}-{number}-{SEED_ID.match(front['id'])['rest']}"
    if front["date"] is not None:
        front["date"] = front["date"].replace(year=year)
    return front, CHRONICLE_DATE.sub(str(year), body)


def _blocks(body: str) -> list[str]:
    return [block for block in body.split("\n\n") if block.strip()]


def _plain(block: str) -> bool:
    """A paragraph with no heading, attributes, list or table: free to move to any document."""
    return not block.lstrip().startswith(("#", "{", "|", "-", "*", ">")) and not re.match(r"\s*\d+\.", block)


def _table(block: str) -> bool:
    return all(line.startswith("|") for line in block.splitlines())


def paragraph_pool(documents) -> list[str]:
    return [block for _, _, body in documents for block in _blocks(body) if _plain(block)]


def recombine(body: str, pool: list[str], rng: random.Random) -> str:
    """The body with each plain paragraph drawn from ``pool`` and each table's rows shuffled."""
    out = []
    for block in _blocks(body):
        if _plain(block):
            block = rng.choice(pool)
        elif _table(block):
            header, separator, *rows = block.splitlines()
            rng.shuffle(rows)
            block = "\n".join([header, separator, *rows])
        out.append(block)
    return "\n\n".join(out) + "\n"


def _document_text(front: dict, body: str) -> str:
    return f"---\n{yaml.safe_dump(front, allow_unicode=True, sort_keys=False)}---\n{body}"


def write_issue(content: Path, copy: int, documents=None, hugo_content: Path | None = None) -> Path:
    """Write the ``copy``-th issue under ``content`` (and its Hugo copy); returns its directory."""
    year, number = issue_slot(copy)
    target = content / str(year) / str(number)
    target.mkdir(parents=True)
    issue = yaml.safe_load((SEED / "issue.yaml").read_text(encoding="utf-8"))
    issue.update(year=year, number=number, total_number=copy + 1)
    (target / "issue.yaml").write_text(yaml.safe_dump(issue, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.copyfile(SEED / issue["source"]["stored_as"], target / issue["source"]["stored_as"])
    rewritten = []
    documents = documents or seed_documents()
    pool = paragraph_pool(documents)
    for name, front, body in documents:
        front, body = rewrite_document(front, recombine(body, pool, random.Random(f"{copy} {name}")), year, number)
        order = name.split("-", 1)[0]
        (target / f"{order}-{front['id']}.md").write_text(_document_text(front, body), encoding="utf-8")
        rewritten.append((f"{order}-{front['id']}.md", front, body))
    if hugo_content is not None:
        write_hugo_issue(hugo_content, year, number, rewritten)
    return target


def write_hugo_issue(hugo_content: Path, year: int, number: int, documents) -> None:
    """The same documents as Hugo content, one page each at /doc/<id>/."""
    target = hugo_content / str(year) / str(number)
    target.mkdir(parents=True)
    year_index = target.parent / "_index.md"
    if not year_index.exists():
        year_index.write_text(f"---\ntitle: {year}年\n---\n", encoding="utf-8")
    (target / "_index.md").write_text(f"---\ntitle: {year}年第{number}期\n---\n", encoding="utf-8")
    for name, front, body in documents:
        hugo_front = {key: value for key, value in front.items() if value is not None}
        hugo_front["url"] = f"/doc/{front['id']}/"
        if isinstance(front["issuer"], str):  # a taxonomy: Hugo ranges over it
            hugo_front["issuer"] = [front["issuer"]]
        (target / name).write_text(_document_text(hugo_front, body), encoding="utf-8")


# The raw seed's first section heading: the cover, 简介 and 目录 are above it, the documents below.
SEED_BODY_MARKER = "◆ 区级文件选登 ◆"
SEED_DOC_NUMBER = re.compile(r"〔2023〕(\d+)号")


def raw_issue(copies: int) -> str:
    """One raw issue text with ``copies`` times the seed's documents, for ingest throughput.

    The cover and 目录 are printed once; copy k's 发文字号 are numbered k × 100 on,
    so that the issue ingests without duplicate ids, as a real (very long) issue would.
    """
    raw = (SEED / "source.txt").read_text(encoding="utf-8")
    cover, marker, body = raw.partition(SEED_BODY_MARKER)
    if not marker:
        raise ValueError(f"{SEED_BODY_MARKER} not found in the seed's source.txt")
    copies_text = [SEED_DOC_NUMBER.sub(lambda m: f"〔2023〕{int(m[1]) + k * NUMBER_STRIDE}号", marker + body)
                   for k in range(copies)]
    return cover + "\n\n".join(copies_text)


# The line of the seed's first document after which ``unpunctuated_issue`` puts its lines.
UNPUNCTUATED_AFTER = "各位代表:\n"
UNPUNCTUATED_LINE = 30  # characters a line, as a page of the seed prints them


def unpunctuated_issue(megabytes: float) -> str:
    """The seed issue with ``megabytes`` of lines that never end a sentence inside its first document.

    Each line is wrapped text as the PDF printed it, so ingest joins every one
    onto the one before into a single paragraph: the longest joining a body can
    ask for (ingest once re-measured the joined text at every line, and took a
    minute for 4 MB). Random characters from a fixed seed: the same text every run.
    """
    raw = (SEED / "source.txt").read_text(encoding="utf-8")
    if UNPUNCTUATED_AFTER not in raw:
        raise ValueError(f"{UNPUNCTUATED_AFTER!r} not found in the seed's source.txt")
    characters = [chr(c) for c in range(0x4E00, 0x9FA6)]
    rng, lines = random.Random(20231), []
    for _ in range(int(megabytes * 1_000_000) // (3 * UNPUNCTUATED_LINE + 1)):  # 3 bytes a character in UTF-8
        lines.append("".join(rng.choices(characters, k=UNPUNCTUATED_LINE)))
    return raw.replace(UNPUNCTUATED_AFTER, UNPUNCTUATED_AFTER + "\n" + "\n".join(lines) + "\n", 1)


def write_archive(content: Path, copies: int, hugo_content: Path | None = None) -> int:
    """Write ``copies`` issues; returns the number of documents."""
    documents = seed_documents()
    for copy in range(copies):
        write_issue(content, copy, documents, hugo_content)
    return copies * len(documents)
