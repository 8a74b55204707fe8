"""``python build.py`` (``publish``): the editors' one command for a new quarter.

Ingests every raw issue waiting in ``inbox/``, validates all content, builds
the site and its search index, publishes it atomically, records every new
URL in the permalink registry, and says what happened.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from .. import build as build_module
from ..ingest.command import ingest_file
from ..output import write_file, OutputFile
from ..problems import Abort, Problems
from ..progress import Progress
from ..urls import url_path
from . import inbox, permalinks

_NEW_TITLES_SHOWN = 5


def add_arguments(parser: argparse.ArgumentParser) -> None:
    build_module.add_common_arguments(parser)
    parser.add_argument("--out", type=Path, default=None, help="发布目录（默认取设置文件中的 output_dir，即 public/）")
    parser.add_argument("--inbox", type=Path, default=Path(inbox.INBOX), help="待发布的原始文本所在目录（默认 inbox/）")


def run(args: argparse.Namespace) -> Problems:
    problems = Problems()
    started = time.perf_counter()
    settings = build_module.load_settings(args.settings, problems)
    content_dir, out_dir = build_module.paths(args, settings)
    progress = Progress.for_terminal()

    for raw in inbox.pending(args.inbox, content_dir):
        progress.stage(f"导入 {raw.name}")
        ingested = ingest_file(raw, content_dir, problems)
        if ingested is None or problems.has_errors(strict=args.strict):
            raise Abort(problems)
        print(ingested.summary())

    registry_file = content_dir / permalinks.REGISTRY
    registered = set(permalinks.read_registry(registry_file, problems))
    report = build_module.build(content_dir, out_dir, settings, problems, search=True,
                                cache_dir=build_module.cache_dir(args), progress=progress, strict=args.strict)
    new = permalinks.registrable({url_path(p) for p in report.produced}) - registered
    if new:
        write_file(registry_file.parent, OutputFile(registry_file.name, permalinks.registry_text(registered | new).encode()))
    print(summary(report, new, registered, out_dir, time.perf_counter() - started, problems))
    return problems


def summary(report: build_module.BuildReport, new: set[str], registered: set[str], out_dir: Path,
            seconds: float, problems: Problems) -> str:
    new_titles = [title for path, title in report.documents if path in new]
    lines = [build_module.describe(report, out_dir)]
    if not registered:
        lines.append(f"首次发布：已登记 {len(new)} 个网址到 {permalinks.REGISTRY}")
    elif new:
        lines.append(f"自上次发布以来新增 {len(new)} 个网址，其中文件 {len(new_titles)} 篇"
                     + ("：" + "；".join(f"《{t}》" for t in new_titles[:_NEW_TITLES_SHOWN]) if new_titles else "")
                     + ("等" if len(new_titles) > _NEW_TITLES_SHOWN else ""))
    else:
        lines.append("没有新增网址")
    lines.append(f"警告 {len(problems.warnings)} 个；总用时 {seconds:.2f} 秒；网站目录：{out_dir}")
    return "\n".join(lines)
