"""One raw issue text → ``content/<year>/<number>/``: read it, parse it (:mod:`.issue`), write it
(:mod:`.writer`). The ``ingest`` and ``publish`` commands call ``ingest_file``."""
from __future__ import annotations

import itertools
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from ..content import FRONT_MATTER_FENCE
from ..problems import Problems, shown_path
from . import writer
from .issue import ParsedIssue, parse_issue
from .report import split_table


@dataclass
class Ingested:
    parsed: ParsedIssue
    plan: writer.WritePlan
    directory: Path
    seconds: float

    def summary(self) -> str:
        parsed, plan, stats = self.parsed, self.plan, self.parsed.stats
        total = parsed.meta.get("total_number")
        return (
            f"{parsed.year}年第{parsed.number}期" + (f"（总第{total}期）" if total else "")
            + f"：{len(parsed.drafts)} 篇文档，{stats.tables} 个表格，"
            f"跨页段落拼接 {stats.joined_paragraphs} 处，重复表头去除 {stats.repeated_headers} 处，"
            f"跨页表格行合并 {stats.merged_rows} 处，排版残留清理 {stats.removed_artifacts} 处\n"
            f"写入 {len(plan.write)} 个文件，删除 {len(plan.delete)} 个，未变 {len(plan.unchanged)} 个"
            + (f"，备份 {len(plan.backup)} 个到 {plan.backup_dir}" if plan.backup else "")
            + f" → {shown_path(self.directory)}（{self.seconds:.2f} 秒）"
        )


@dataclass(frozen=True)
class Archived:
    """What ingest needs to know of the issues already in ``content/``."""
    sections: set[str]  # so that a bare line with one of their names is a marker
    ids: dict[str, dict[str, str]]  # issue directory ("2023/1") → {id: the file that has it}


_FRONT_MATTER_LINES = 40


def archived(content_dir: Path) -> Archived:
    """The sections and ids of the documents in ``content_dir``, from their front matter."""
    sections: set[str] = set()
    ids: dict[str, dict[str, str]] = {}
    for path in content_dir.glob("*/*/*.md"):
        issue = f"{path.parent.parent.name}/{path.parent.name}"
        with path.open(encoding="utf-8", errors="replace") as lines:
            # After the opening ---, up to the closing one: a body line is never read as a field.
            for line in itertools.islice(lines, 1, _FRONT_MATTER_LINES):
                if line.rstrip() == FRONT_MATTER_FENCE:
                    break
                if line.startswith("category:"):
                    sections.add(line.removeprefix("category:").strip())
                elif line.startswith("id:"):
                    ids.setdefault(issue, {})[line.removeprefix("id:").strip().strip("'\"")] = shown_path(path)
    return Archived(sections, ids)


# Far above any gazette's text (a large issue is a few MB): what is larger was picked by mistake.
MAX_RAW_BYTES = 200 * 2**20


def read_raw(path: Path, problems: Problems) -> bytes | None:
    """A raw text's bytes; None (reported) when it is not a regular file or is too large: a pipe
    would hang ingest, a device such as /dev/zero fill the memory."""
    try:
        # O_NONBLOCK: opening a pipe does not wait for a writer.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        problems.error(path, None, f"无法读取文件：{exc.strerror or exc}")
        return None
    with os.fdopen(fd, "rb") as stream:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            problems.error(path, None, "不是普通文件（文件夹、管道或设备）：请指定从 PDF 导出的纯文本文件")
            return None
        raw = stream.read(MAX_RAW_BYTES + 1)
    if len(raw) > MAX_RAW_BYTES:
        problems.error(path, None, f"文件超过 {MAX_RAW_BYTES // 2**20} MB，不是一期公报的文本：请检查是否选错了文件")
        return None
    return raw


def ingest_file(raw_path: Path, content_dir: Path, problems: Problems, *, year: int | None = None,
                number: int | None = None, force: bool = False, replace: bool = False,
                dry_run: bool = False) -> Ingested | None:
    """Ingest one raw issue; None (problems recorded, nothing written) when it cannot be.

    An issue already in ``content/`` is changed only as ``writer.plan`` allows:
    ``force`` replaces files edited by hand, ``replace`` the issue itself.
    """
    started = time.perf_counter()
    raw = read_raw(raw_path, problems)
    if raw is None:
        return None
    before = len(problems.errors)
    known = archived(content_dir)
    parsed = parse_issue(raw, str(raw_path), problems, year=year, number=number, sections=known.sections,
                         archived_ids=known.ids)
    if parsed is None or len(problems.errors) > before:
        return None
    if dry_run:
        print(split_table(parsed))
        print(f"{parsed.year}年第{parsed.number}期：{len(parsed.drafts)} 篇文档（试运行，未写入任何文件）")
        return None
    directory = content_dir / str(parsed.year) / str(parsed.number)
    plan = writer.plan(directory, writer.issue_files(parsed), force, problems, replace=replace,
                       source=parsed.meta["source"]["stored_as"], raw_path=raw_path)
    if len(problems.errors) > before:
        return None
    writer.apply(plan)
    return Ingested(parsed, plan, directory, time.perf_counter() - started)
