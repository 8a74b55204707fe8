"""``python build.py ingest RAW_FILE``: one raw issue text → ``content/<year>/<number>/``."""
from __future__ import annotations

import argparse
from pathlib import Path

from ..ingest.pipeline import ingest_file
from ..problems import Problems
from .options import Project, add_project_arguments


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("raw_file", metavar="RAW_FILE", help="从公报 PDF 导出的纯文本文件")
    add_project_arguments(parser)
    parser.add_argument("--year", type=int, help="年份（刊头无法识别时必须指定）")
    parser.add_argument("--issue", type=int, dest="number", help="期号（刊头无法识别时必须指定）")
    parser.add_argument("--force", action="store_true", help="覆盖导入后被手工修改过的文件（先备份到 _backup/）")
    parser.add_argument("--replace", action="store_true",
                        help="用这份文本替换 content/ 中已有的同一期：删除或替换的文件先备份到 _backup/")
    parser.add_argument("--dry-run", action="store_true",
                        help="只显示拆分结果（栏目、标题、发文字号、发文机关、日期、页码、附件、原文行），不写入任何文件")


def run(args: argparse.Namespace) -> Problems:
    problems = Problems()
    ingested = ingest_file(Path(args.raw_file), Project(args, problems).content, problems,
                           year=args.year, number=args.number, force=args.force, replace=args.replace,
                           dry_run=args.dry_run)
    if ingested is not None:
        print(ingested.summary())
    return problems
