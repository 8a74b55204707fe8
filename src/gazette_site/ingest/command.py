"""``python build.py ingest RAW_FILE``: one raw issue text → ``content/<year>/<number>/``."""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from ..problems import Problems
from . import writer
from .issue import parse_issue


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("raw_file", metavar="RAW_FILE", help="从公报 PDF 导出的纯文本文件")
    parser.add_argument("--content-dir", default="content", help="内容目录（默认 content/）")
    parser.add_argument("--year", type=int, help="年份（刊头无法识别时必须指定）")
    parser.add_argument("--issue", type=int, dest="number", help="期号（刊头无法识别时必须指定）")
    parser.add_argument("--force", action="store_true", help="覆盖导入后被手工修改过的文件（先备份到 _backup/）")


def run(args: argparse.Namespace) -> Problems:
    problems = Problems()
    started = time.perf_counter()
    raw_path = Path(args.raw_file)
    try:
        raw = raw_path.read_bytes()
    except OSError as exc:
        problems.error(raw_path, None, f"无法读取文件：{exc.strerror or exc}")
        return problems
    parsed = parse_issue(raw, str(raw_path), problems, year=args.year, number=args.number)
    if parsed is None or problems.has_errors():
        return problems
    directory = Path(args.content_dir) / str(parsed.year) / str(parsed.number)
    plan = writer.plan(directory, writer.issue_files(parsed), args.force, problems)
    if problems.has_errors():
        return problems
    writer.apply(plan)
    elapsed = time.perf_counter() - started
    stats = parsed.stats
    total = parsed.meta.get("total_number")
    print(
        f"{parsed.year}年第{parsed.number}期" + (f"（总第{total}期）" if total else "")
        + f"：{len(parsed.drafts)} 篇文档，{stats.tables} 个表格，"
        f"跨页段落拼接 {stats.joined_paragraphs} 处，重复表头去除 {stats.repeated_headers} 处，"
        f"跨页表格行合并 {stats.merged_rows} 处，排版残留清理 {stats.removed_artifacts} 处"
    )
    print(
        f"写入 {len(plan.write)} 个文件，删除 {len(plan.delete)} 个，未变 {len(plan.unchanged)} 个"
        + (f"，备份 {len(plan.backup)} 个" if plan.backup else "")
        + f" → {directory}（{elapsed:.2f} 秒）"
    )
    return problems
