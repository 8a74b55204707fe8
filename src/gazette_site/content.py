"""Load ``content/`` into a :class:`model.Archive`, reporting every problem.

The format is the contract in ``docs/content-format.md``. Each problem carries
the file and line so an editor can fix the whole list in one pass; a file with
problems is left out of the archive, never guessed at.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import yaml

from .docnumber import find_mentions
from .model import Archive, Correction, Document, Issue, IssueRef, SourceInfo, TocEntry
from .problems import Problems

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
FRONT_MATTER_FENCE = "---"
# An id and an agency's name become names of files of the site (doc/<id>.json, issuer/<pinyin>/):
# these keep them far below the file systems' 255 bytes (pinyin is at most 6 letters a character),
# and far above any real one.
MAX_ID_LENGTH = 100
MAX_ISSUER_LENGTH = 40
# Control characters but tab and line break: no XML document (the feeds) can hold them, and no
# text needs them. Ingest rejects them in a raw text (ingest.source); here, in a hand edit.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class YamlRejected(Exception):
    def __init__(self, line: int | None, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


class _Loader(SafeLoader):
    """Dates stay text until their field check, which knows the line and what to say."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in SafeLoader.yaml_implicit_resolvers.items()
}


def parse_yaml(text: str, first_line: int = 1) -> tuple[Any, dict[str, int]]:
    """Parse YAML safely; returns the data and the line of each top-level key.

    Anchors and aliases are refused: no editor needs them, and aliases are
    the way to a "billion laughs" blow-up.
    """
    loader = _Loader(text)
    try:
        if "&" in text or "*" in text:  # only then can there be anchors; find the line
            for event in yaml.parse(text, Loader=_Loader):
                if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                    raise YamlRejected(first_line + event.start_mark.line, "不允许使用 YAML 锚点和别名（& 和 *）")
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + mark.line if mark else None
        raise YamlRejected(line, f"不是有效的 YAML：{getattr(exc, 'problem', None) or exc}") from None
    finally:
        loader.dispose()
    lines = {}
    if isinstance(node, yaml.MappingNode):
        lines = {str(k.value): first_line + k.start_mark.line for k, _ in node.value}
    return data, lines


# --- field checks: each returns (value, error message or None) ---------------

def _control(text: str) -> str | None:
    found = CONTROL_CHARACTERS.search(text)
    if found is None:
        return None
    return f"含有控制字符 U+{ord(found.group()):04X}（第 {found.start() + 1} 个字符）：请删除它"


def _str(v):
    if not (isinstance(v, str) and v.strip()):
        return None, "应为非空文本"
    message = _control(v)
    return (None, message) if message else (v, None)


def _opt_str(v):
    return (None, None) if v is None else _str(v)


def _id(v):
    if isinstance(v, str) and ID_RE.fullmatch(v):
        if len(v) > MAX_ID_LENGTH:
            return None, f"id 过长（{len(v)} 个字符，最多 {MAX_ID_LENGTH} 个）：请按发文字号或栏目和序号重写它"
        return v, None
    return None, f"id 只能由小写字母、数字和连字符组成（[a-z0-9-]+），实际为 {v!r}"


def _int_at_least(low: int):
    def check(v):
        if isinstance(v, int) and not isinstance(v, bool) and v >= low:
            return v, None
        return None, f"应为不小于 {low} 的整数，实际为 {v!r}"
    return check


def _opt_int(v):
    return (None, None) if v is None else _int_at_least(1)(v)


def _date(v):
    if v is None:
        return None, None
    if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
        return v, None
    if isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
        try:
            return dt.date.fromisoformat(v), None
        except ValueError:
            return None, f"不是实际存在的日期：{v}（请核对原文）"
    return None, f"日期应写成 YYYY-MM-DD，实际为 {v!r}"


def _category(v):
    if isinstance(v, str) and v.strip() and not any(ch in v for ch in "/\\\n"):
        return v.strip(), None
    return None, f"栏目应是一个名称（如 市政府文件），实际为 {v!r}"


def _issue_ref(v):
    if isinstance(v, dict) and set(v) == {"year", "number"} and all(
            isinstance(v[k], int) and not isinstance(v[k], bool) and v[k] > 0 for k in v):
        return IssueRef(v["year"], v["number"]), None
    return None, f"应写成 {{year: 2023, number: 1}}，实际为 {v!r}"


def _issuer(v):
    if v is None:
        return v, None
    names = [v] if isinstance(v, str) else v
    if not (isinstance(names, list) and names and all(isinstance(x, str) and x.strip() for x in names)):
        return None, f"应为文本、文本列表或 null，实际为 {v!r}"
    for name in names:
        if len(name) > MAX_ISSUER_LENGTH:
            return None, f"发文机关名称过长（{len(name)} 个字，最多 {MAX_ISSUER_LENGTH} 个）：是否把正文误写进了 issuer？"
        message = _control(name)
        if message:
            return None, message
    return (v if isinstance(v, str) else list(v)), None


def _str_list(v):
    if isinstance(v, list) and all(isinstance(x, str) for x in v):
        message = next(filter(None, map(_control, v)), None)
        return (None, message) if message else (list(v), None)
    return None, f"应为文本列表，实际为 {v!r}"


def _lines(v):
    if (isinstance(v, list) and len(v) == 2 and all(isinstance(x, int) and x > 0 for x in v)
            and v[0] <= v[1]):
        return (v[0], v[1]), None
    return None, f"应写成 [起始行, 结束行]，实际为 {v!r}"


CORRECTION_KEYS = ("date", "original", "corrected", "reason")


def _corrections(v):
    if not isinstance(v, list):
        return None, "应为勘误条目列表"
    corrections = []
    for n, item in enumerate(v, start=1):
        shape = (isinstance(item, dict) and set(item) == set(CORRECTION_KEYS)
                 and all(isinstance(item[key], str) for key in CORRECTION_KEYS[1:]))
        if not shape:
            return None, (f"第 {n} 条应写成 {{date: 2024-03-01, original: 原文, corrected: 更正, reason: 理由}}，"
                          f"实际为 {item!r}")
        date, message = _date(item["date"])
        if message or date is None:
            return None, f"第 {n} 条的 date {message or '不能为空'}"
        if item["original"] == item["corrected"]:
            return None, f"第 {n} 条的原文与更正相同：{item['original']!r}"
        if not item["reason"].strip():
            return None, f"第 {n} 条缺少更正理由（reason）"
        corrections.append(Correction(date, item["original"], item["corrected"], item["reason"].strip()))
    return corrections, None


@dataclass(frozen=True)
class Field:
    """A field of front matter, declared once: how the loader checks it, how ingest writes it
    and how /doc/<id>.json publishes it (its JSON schema follows from this table)."""

    check: Callable[[Any], tuple[Any, str | None]]
    required: bool
    default: Any = None
    # What ingest writes from a draft of the issue; None: the field is the editor's alone.
    from_draft: Callable[[Any, IssueRef], Any] | None = None
    # The JSON schema of the value in /doc/<id>.json; None: not published under its own name.
    published: dict | None = None


_DATE_SCHEMA = {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
_URI = {"type": "string", "format": "uri"}

DOCUMENT_FIELDS: dict[str, Field] = {
    "id": Field(_id, True, from_draft=lambda d, issue: d.id,
                published={"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}),
    "title": Field(_str, True, from_draft=lambda d, issue: d.title, published={"type": "string", "minLength": 1}),
    "doc_number": Field(_opt_str, False, from_draft=lambda d, issue: d.doc_number, published={
        "type": ["string", "null"], "pattern": "^[^〔〕\\[\\]【】（）()]+(〔(19|20)[0-9]{2}〕)?第?[0-9]+号$"}),
    # front matter: one organ or a list; published: always a list
    "issuer": Field(_issuer, False, from_draft=lambda d, issue: d.issuer,
                    published={"type": "array", "items": {"type": "string", "minLength": 1}}),
    "date": Field(_date, False, from_draft=lambda d, issue: d.date, published={**_DATE_SCHEMA, "type": ["string", "null"]}),
    "category": Field(_category, True, from_draft=lambda d, issue: d.category,
                      published={"type": "string", "minLength": 1}),
    # published as the issue's facts and address
    "issue": Field(_issue_ref, True, from_draft=lambda d, issue: {"year": issue.year, "number": issue.number}, published={
        "type": "object", "required": ["gazette", "year", "number", "url"],
        "properties": {"gazette": {"type": "string"}, "year": {"type": "integer", "minimum": 1900},
                       "number": {"type": "integer", "minimum": 1},
                       "total_number": {"type": ["integer", "null"]}, "url": _URI}}),
    "order": Field(_int_at_least(1), True, from_draft=lambda d, issue: d.order, published={"type": "integer", "minimum": 1}),
    "page": Field(_opt_int, False, from_draft=lambda d, issue: d.page,
                  published={"type": ["integer", "null"], "minimum": 1}),
    "page_end": Field(_opt_int, False, from_draft=lambda d, issue: d.page_end,
                      published={"type": ["integer", "null"], "minimum": 1}),
    "addressee": Field(_opt_str, False, from_draft=lambda d, issue: d.addressee, published={"type": ["string", "null"]}),
    # published with each attachment's address
    "attachments": Field(_str_list, False, (), from_draft=lambda d, issue: list(d.attachments), published={
        "type": "array", "items": {"type": "object", "required": ["title", "url"],
                                   "properties": {"title": {"type": "string"}, "url": _URI}}}),
    # published inside "source", with the raw text's address
    "source_lines": Field(_lines, False, from_draft=lambda d, issue: [d.first_line, d.last_line]),
    "corrections": Field(_corrections, False, (), published={
        "description": "勘误：编辑对转录文本的更正，原文照录",
        "type": "array",
        "items": {"type": "object", "required": list(CORRECTION_KEYS), "additionalProperties": False,
                  "properties": {"date": _DATE_SCHEMA, "original": {"type": "string"},
                                 "corrected": {"type": "string"}, "reason": {"type": "string", "minLength": 1}}}}),
}


def _check_fields(data: dict, spec: dict[str, Field], lines: dict[str, int], path, problems: Problems,
                  first_line: int) -> dict | None:
    values, ok = {}, True
    for key in data:
        if key not in spec:
            problems.error(path, lines.get(str(key), first_line),
                           f"未知字段 “{key}”；可用字段：{'、'.join(spec)}")
            ok = False
    for key, field_spec in spec.items():
        if key not in data:
            if field_spec.required:
                problems.error(path, first_line, f"缺少必填字段 “{key}”")
                ok = False
            else:
                values[key] = field_spec.default
            continue
        value, message = field_spec.check(data[key])
        if message:
            problems.error(path, lines.get(key, first_line), f"字段 “{key}” {message}")
            ok = False
        values[key] = value
    return values if ok else None


BYTE_ORDER_MARK = "\ufeff"
# Chinese Windows saves text as GB18030 unless told otherwise.
NOT_UTF8 = "文件不是 UTF-8 编码（这一行有无法按 UTF-8 读取的字节）：请用编辑器“另存为”UTF-8 编码"


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def split_front_matter(text: str) -> tuple[str, int] | None:
    """Returns the front matter text and the line where the body starts."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip("\r") != FRONT_MATTER_FENCE:
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip("\r") == FRONT_MATTER_FENCE:
            return "\n".join(lines[1:index]), index + 2
    return None


Parse = Callable[[str, int], tuple[Any, dict[str, int]]]  # parse_yaml, or a cache of it


def _fields(text: str, first_line: int, spec: dict[str, Field], path: Path,
            problems: Problems, parse: Parse) -> tuple[dict | None, dict[str, int]]:
    """Parse and check a YAML mapping of fields; the lines of its keys too."""
    try:
        data, lines = parse(text, first_line)
    except YamlRejected as exc:
        problems.error(path, exc.line, exc.message)
        return None, {}
    if not isinstance(data, dict):
        problems.error(path, first_line, "应是“字段: 值”的映射")
        return None, {}
    return _check_fields(data, spec, lines, path, problems, first_line), lines


def load_document(path: Path, problems: Problems, parse: Parse = parse_yaml) -> Document | None:
    try:
        data = path.read_bytes()
        # Windows Notepad saves UTF-8 with a byte order mark: the file is still the editor's text.
        text = data.decode("utf-8").removeprefix(BYTE_ORDER_MARK)
    except UnicodeDecodeError as exc:
        problems.error(path, _line_of(data, exc.start), NOT_UTF8)
        return None
    except OSError as exc:
        problems.error(path, None, f"无法读取文件：{exc.strerror}")
        return None
    split = split_front_matter(text)
    if split is None:
        problems.error(path, 1, "缺少 YAML 前置元数据：文件应以 --- 开头，并以另一行 --- 结束元数据")
        return None
    front, body_line = split
    values, _ = _fields(front, 2, DOCUMENT_FIELDS, path, problems, parse)
    if values is None:
        return None
    body = _body(data, body_line)
    lists = {"attachments": list(values["attachments"]), "corrections": list(values["corrections"])}
    return Document(**{**values, **lists}, path=path, body_line=body_line,
                    body_digest=body_digest(body),
                    printed_numbers=tuple(find_mentions(text.split("\n", body_line - 1)[-1])))


def _body(data: bytes, body_line: int) -> bytes:
    return data.split(b"\n", body_line - 1)[-1]


def body_digest(body: bytes) -> bytes:
    # BLAKE2b: twice SHA-256's speed where the CPU has no SHA instructions,
    # and every body of the archive passes through it on every build.
    return hashlib.blake2b(body, digest_size=32).digest()


class BodyChanged(Exception):
    """A document's file changed or went away after the archive was loaded."""


def read_body(doc: Document) -> str:
    """The Markdown body of a loaded document, read again from its file.

    It must be the body that was loaded: the rest of the build (page keys,
    citations, neighbours) was made from that one.
    """
    try:
        body = _body(doc.path.read_bytes(), doc.body_line)
    except OSError as exc:
        raise BodyChanged(f"读取内容后文件无法再读取（{exc.strerror}）：请重新构建") from exc
    if body_digest(body) != doc.body_digest:
        raise BodyChanged("构建期间文件正文被修改：请在编辑完成后重新构建")
    return body.decode("utf-8")


# --- issue.yaml ---------------------------------------------------------------

def _masthead(v):
    if isinstance(v, dict) and all(isinstance(k, str) and isinstance(x, (str, int)) for k, x in v.items()):
        values = {k: str(x) for k, x in v.items()}
        message = next(filter(None, map(_control, [*values, *values.values()])), None)
        return (None, message) if message else (values, None)
    return None, "应为“项目: 文本”的映射"


def _intro(v):
    return _str_list(v)


def _toc(v):
    if not isinstance(v, list):
        return None, "应为目录条目列表"
    entries = []
    for item in v:
        if not (isinstance(item, dict) and isinstance(item.get("title"), str)
                and set(item) <= {"section", "title", "page"}
                and (item.get("page") is None or isinstance(item.get("page"), int))
                and (item.get("section") is None or isinstance(item.get("section"), str))):
            return None, f"目录条目应写成 {{section: …, title: …, page: 1}}，实际为 {item!r}"
        message = _control(item["title"]) or _control(item.get("section") or "")
        if message:
            return None, f"目录条目《{item['title']}》{message}"
        entries.append(TocEntry(title=item["title"], page=item.get("page"), section=item.get("section")))
    return entries, None


def _source(v):
    keys = {"filename", "stored_as", "sha256", "bytes", "encoding"}
    if isinstance(v, dict) and set(v) == keys and isinstance(v["bytes"], int) and all(
            isinstance(v[k], str) for k in keys - {"bytes"}):
        if "/" in v["stored_as"] or v["stored_as"].startswith("."):
            return None, f"stored_as 应是本期目录中的文件名，实际为 {v['stored_as']!r}"
        return SourceInfo(**v), None
    return None, f"应包含且只包含 {'、'.join(sorted(keys))}"


def _extra(v):
    return (v, None) if isinstance(v, dict) else (None, "应为映射")


def _opt(check):
    return lambda v: (None, None) if v is None else check(v)


ISSUE_FIELDS: dict[str, Field] = {
    "gazette": Field(_str, True),
    "year": Field(_int_at_least(1900), True),
    "number": Field(_int_at_least(1), True),
    "total_number": Field(_opt_int, False),
    "masthead": Field(_masthead, False, {}),
    "intro": Field(_intro, False, ()),
    "toc": Field(_toc, False, ()),
    "source": Field(_opt(_source), False),
    "extra": Field(_extra, False, {}),
}


def _leaves(path: Path, root: Path, problems: Problems) -> bool:
    """Whether ``path`` is a symbolic link out of the content directory ``root`` (resolved),
    reported if so: whatever it leads to would be published as the archive's."""
    if not path.is_symlink():
        return False
    target = path.resolve()
    if target == root or root in target.parents:
        return False
    problems.error(path, None, f"是指向内容目录之外的符号链接（→ {target}）：内容只从内容目录中读取。"
                               "请把文件本身放进内容目录，或删除这个链接")
    return True


def load_issue(directory: Path, root: Path, problems: Problems, parse: Parse = parse_yaml) -> Issue | None:
    """``root``: the content directory, resolved; the issue's files may not lead out of it."""
    path = directory / "issue.yaml"
    if _leaves(path, root, problems):
        return None
    try:
        data = path.read_bytes()
        text = data.decode("utf-8")
    except FileNotFoundError:
        problems.error(directory, None, "期刊目录中缺少 issue.yaml")
        return None
    except UnicodeDecodeError as exc:
        problems.error(path, _line_of(data, exc.start), NOT_UTF8)
        return None
    except OSError as exc:
        problems.error(path, None, f"无法读取文件（{exc.strerror}）：请检查它的权限")
        return None
    values, lines = _fields(text, 1, ISSUE_FIELDS, path, problems, parse)
    if values is None:
        return None
    if (str(values["year"]), str(values["number"])) != (directory.parent.name, directory.name):
        problems.error(path, lines.get("number", 1),
                       f"期号 {values['year']}年第{values['number']}期 与目录 {directory.parent.name}/{directory.name} 不符")
        return None
    if values["source"] is not None:
        _check_source(directory / values["source"].stored_as, values["source"], root, path, lines.get("source", 1),
                      problems)
    issue = Issue(**{**values, "intro": list(values["intro"]), "toc": list(values["toc"])}, path=directory)
    return issue


def _check_source(path: Path, source: SourceInfo, root: Path, issue_file: Path, line: int, problems: Problems) -> None:
    """The raw text is published as the issue's, with the SHA-256 ``issue.yaml`` records: it must be that text."""
    if _leaves(path, root, problems):
        return
    if not path.is_file():
        problems.error(issue_file, line, f"找不到原始文本 {source.stored_as}")
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.error(path, None, f"无法读取文件（{exc.strerror}）：请检查它的权限")
        return
    if len(data) != source.bytes or hashlib.sha256(data).hexdigest() != source.sha256:
        problems.error(path, None, f"原始文本与 issue.yaml 的记录不符（{len(data)} 字节，记录为 {source.bytes} 字节；"
                                   "SHA-256 不同）：原始文本必须保持收到时的样子。请从 _backup/ 或版本库中恢复它；"
                                   "若确实换了一份原始文本，请用 python build.py ingest 文件 --replace 重新导入这一期")


def _document_files(directory: Path, root: Path, problems: Problems) -> list[Path]:
    """The issue's document files (``*.md``) in name order; a link out of the content, or what is
    not a file (a folder, a pipe), is reported and left out."""
    found = []
    with os.scandir(directory) as entries:
        for entry in entries:
            if not entry.name.endswith(".md"):
                continue
            path = Path(entry.path)
            if entry.is_symlink() and _leaves(path, root, problems):
                continue
            if entry.is_file():
                found.append(path)
            else:
                problems.error(path, None, "无法读取文件：这不是普通文件（而是文件夹、管道或设备），文档应是 .md 文本文件：请删除它或改名")
    return sorted(found)


def _issue_dirs(root: Path, real_root: Path, problems: Problems) -> list[Path]:
    found = []
    for year_dir in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if _leaves(year_dir, real_root, problems):
            continue
        if not year_dir.name.isdigit():
            problems.warning(year_dir, None, "不是年份目录，已忽略")
            continue
        for issue_dir in sorted(p for p in year_dir.iterdir() if p.is_dir()):
            if _leaves(issue_dir, real_root, problems):
                continue
            if issue_dir.name.isdigit():
                found.append(issue_dir)
            else:
                problems.warning(issue_dir, None, "不是期号目录，已忽略")
    return found


def _attach_documents(issue: Issue, paths: list[Path], loaded: Iterator[tuple[Document | None, Problems]],
                      problems: Problems, seen: dict[str, Path]) -> None:
    orders: dict[int, Path] = {}
    for path, (doc, found) in zip(paths, loaded):
        problems.extend(found)
        if doc is None:
            continue
        if doc.issue != issue.ref:
            problems.error(path, 2, f"字段 issue 写的是 {doc.issue.year}年第{doc.issue.number}期，但文件位于 "
                                    f"{issue.year}年第{issue.number}期的目录中")
            continue
        if doc.id in seen:
            problems.error(path, 2, f"id “{doc.id}” 重复：{seen[doc.id]} 中已使用")
            continue
        if doc.order in orders:
            problems.error(path, 2, f"order {doc.order} 重复：{orders[doc.order]} 中已使用")
            continue
        seen[doc.id] = path
        orders[doc.order] = path
        issue.documents.append(doc)
    issue.documents.sort(key=lambda d: d.order)


def load_document_alone(path: Path, parse: Parse = parse_yaml) -> tuple[Document | None, Problems]:
    """One document file loaded, with the problems found in it."""
    found = Problems()
    return load_document(path, found, parse), found


def load_documents(paths: list[Path], parse: Parse = parse_yaml) -> Iterator[tuple[Document | None, Problems]]:
    """Each document file loaded, in order, with the problems found in it."""
    return (load_document_alone(path, parse) for path in paths)


# load_documents, or a cache of it
LoadDocuments = Callable[[list[Path]], Iterator[tuple["Document | None", Problems]]]


def load(root: Path, problems: Problems, parse: Parse = parse_yaml, documents: LoadDocuments | None = None,
         meanwhile: Callable[[], None] = lambda: None) -> Archive:
    """Read every issue under ``root``; a file with problems is left out.

    Nothing is read through a link that leads out of ``root``, and each raw
    text must be the one ``issue.yaml`` records: the build publishes both.
    ``parse``: how front matter is parsed, ``documents``: how document files
    are loaded (``parse_cache`` keeps both between builds, and loads the rest
    on the other cores while this process reads the issues, after
    ``meanwhile``: work of the caller's own). Problems come in the order of
    the files, whatever loads them; a document of an issue that does not load
    is not reported.
    """
    documents = documents or (lambda paths: load_documents(paths, parse))
    if not root.is_dir():
        problems.error(root, None, "找不到内容目录")
        return Archive(issues=[])
    real_root = root.resolve()
    listed = []
    for directory in _issue_dirs(root, real_root, problems):
        listing = Problems()
        listed.append((directory, _document_files(directory, real_root, listing), listing))
    loaded = documents([path for _, paths, _ in listed for path in paths])
    meanwhile()
    issues, seen = [], {}
    for directory, paths, listing in listed:
        found = Problems()
        issue = load_issue(directory, real_root, found, parse)
        problems.extend(found)
        if issue is None:
            for _ in paths:
                next(loaded)
            continue
        problems.extend(listing)
        _attach_documents(issue, paths, loaded, problems, seen)
        issues.append(issue)
    issues.sort(key=lambda i: i.ref)
    return Archive(issues=issues)
