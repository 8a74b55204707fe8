"""``python build.py`` (``publish``): the editors' one command for a new quarter.

Publishes the inbox (:mod:`..publish.pipeline`) and says what happened: each
issue ingested, the site built, the URLs new since the last publish.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from ..problems import Problems, shown_path
from ..progress import Progress
from ..publish import permalinks
from ..publish.pipeline import Published, publish
from .options import Project, add_output_arguments, add_project_arguments

_NEW_TITLES_SHOWN = 5


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_arguments(parser)
    add_output_arguments(parser, "发布目录（默认取设置文件中的 output_dir，即 public/）")
    parser.add_argument("--inbox", type=Path, default=None,
                        help="待发布的原始文本所在目录（默认取设置文件中的 inbox_dir，即 inbox/）")


def run(args: argparse.Namespace) -> Problems:
    problems = Problems()
    started = time.perf_counter()
    project = Project(args, problems)
    project.check_output()
    published = publish(project.content, project.out, project.inbox, project.settings, problems,
                        cache_dir=project.cache, progress=Progress.for_terminal(), strict=args.strict)
    print(summary(published, project.out, time.perf_counter() - started, problems))
    return problems


def summary(published: Published, out_dir: Path, seconds: float, problems: Problems) -> str:
    new, registered = published.new, published.registered
    new_titles = [title for path, title in published.build.documents if path in new]
    lines = [published.build.describe(out_dir)]
    if not registered:
        lines.append(f"首次发布：已登记 {len(new)} 个网址到 {permalinks.REGISTRY}")
    elif new:
        lines.append(f"自上次发布以来新增 {len(new)} 个网址，其中文件 {len(new_titles)} 篇"
                     + ("：" + "；".join(f"《{t}》" for t in new_titles[:_NEW_TITLES_SHOWN]) if new_titles else "")
                     + ("等" if len(new_titles) > _NEW_TITLES_SHOWN else ""))
    else:
        lines.append("没有新增网址")
    lines.append(f"警告 {len(problems.warnings)} 个；总用时 {seconds:.2f} 秒；网站目录：{shown_path(out_dir)}")
    return "\n".join(lines)
