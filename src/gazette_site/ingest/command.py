"""``python build.py ingest RAW_FILE``: one raw issue text → ``content/<year>/<number>/``."""
from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from pathlib import Path

from ..problems import Problems
from . import writer
from .issue import ParsedIssue, parse_issue


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("raw_file", metavar="RAW_FILE", help="从公报 PDF 导出的纯文本文件")
    parser.add_argument("--content-dir", default="content", help="内容目录（默认 content/）")
    parser.add_argument("--year", type=int, help="年份（刊头无法识别时必须指定）")
    parser.add_argument("--issue", type=int, dest="number", help="期号（刊头无法识别时必须指定）")
    parser.add_argument("--force", action="store_true", help="覆盖导入后被手工修改过的文件（先备份到 _backup/）")


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
            + (f"，备份 {len(plan.backup)} 个" if plan.backup else "")
            + f" → {self.directory}（{self.seconds:.2f} 秒）"
        )


def ingest_file(raw_path: Path, content_dir: Path, problems: Problems, *, year: int | None = None,
                number: int | None = None, force: bool = False) -> Ingested | None:
    """Ingest one raw issue; None (problems recorded, nothing written) when it cannot be."""
    started = time.perf_counter()
    try:
        raw = raw_path.read_bytes()
    except OSError as exc:
        problems.error(raw_path, None, f"无法读取文件：{exc.strerror or exc}")
        return None
    before = len(problems.errors)
    parsed = parse_issue(raw, str(raw_path), problems, year=year, number=number)
    if parsed is None or len(problems.errors) > before:
        return None
    directory = content_dir / str(parsed.year) / str(parsed.number)
    plan = writer.plan(directory, writer.issue_files(parsed), force, problems)
    if len(problems.errors) > before:
        return None
    writer.apply(plan)
    return Ingested(parsed, plan, directory, time.perf_counter() - started)


def run(args: argparse.Namespace) -> Problems:
    problems = Problems()
    ingested = ingest_file(Path(args.raw_file), Path(args.content_dir), problems,
                           year=args.year, number=args.number, force=args.force)
    if ingested is not None:
        print(ingested.summary())
    return problems
