"""``python build.py build``: ``content/`` → the static site, published in ``--out`` at once or not at all."""
from __future__ import annotations

import argparse

from ..build import build
from ..problems import Problems
from ..progress import Progress
from .options import Project, add_output_arguments, add_project_arguments


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_arguments(parser)
    add_output_arguments(parser, "输出目录（默认取设置文件中的 output_dir，即 public/）")
    parser.add_argument("--no-search", action="store_true", help="不生成全文检索索引")


def run(args: argparse.Namespace) -> Problems:
    problems = Problems()
    project = Project(args, problems)
    project.check_output()
    report = build(project.content, project.out, project.settings, problems, search=not args.no_search,
                   cache_dir=project.cache, progress=Progress.for_terminal(), strict=args.strict)
    print(report.describe(project.out))
    return problems
