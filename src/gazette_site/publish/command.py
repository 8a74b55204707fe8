"""``python build.py`` (``publish``): the editors' one command for a new quarter.

Ingests every raw issue waiting in ``inbox/``, validates all content, builds
the site and its search index, publishes it atomically, records every new
URL in the permalink registry, and says what happened. ``content/`` keeps
what it changes only when the whole publish succeeds (``ContentChanges``).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from types import TracebackType

from .. import build as build_module
from ..ingest.command import Ingested, ingest_file
from ..output import OutputFile, output_lock, published_dir, read_regular, remove_tree, write_file
from ..problems import Abort, Problems
from ..progress import Progress
from ..urls import url_path
from . import inbox, permalinks

_NEW_TITLES_SHOWN = 5


def add_arguments(parser: argparse.ArgumentParser) -> None:
    build_module.add_common_arguments(parser)
    build_module.add_output_arguments(parser, "发布目录（默认取设置文件中的 output_dir，即 public/）")
    parser.add_argument("--inbox", type=Path, default=Path(inbox.INBOX), help="待发布的原始文本所在目录（默认 inbox/）")


class ContentChanges:
    """What a publish changes in ``content/``, undone unless the whole publish succeeds.

    A publish adds issues from the inbox and URLs to the registry. The issues
    are new directories (ingest refuses to change an existing issue unless
    told, and a publish never tells it; a text already in the archive is not
    pending), so undoing is removing them; the registry gets its bytes back.
    A publish killed outright keeps its new issues: the next one publishes them.
    """

    def __init__(self, registry_file: Path):
        self.registry_file = registry_file
        self.registry = read_regular(registry_file)  # None: there was none
        self.issues: list[Path] = []
        self.registry_written = False

    def ingested(self, ingested: Ingested) -> None:
        if ingested.plan.created:
            self.issues.append(ingested.directory)

    def register(self, text: str) -> None:
        write_file(self.registry_file.parent, OutputFile(self.registry_file.name, text.encode("utf-8")))
        self.registry_written = True  # only now: a write that failed left the registry as it was

    def __enter__(self) -> "ContentChanges":
        return self

    def __exit__(self, kind: type | None, error: BaseException | None, trace: TracebackType | None) -> None:
        if error is None:
            return
        for directory in self.issues:
            remove_tree(directory)
        if self.registry_written:
            if self.registry is None:
                self.registry_file.unlink(missing_ok=True)
            else:
                write_file(self.registry_file.parent, OutputFile(self.registry_file.name, self.registry))
        if self.issues:
            print(f"发布没有完成：已撤销本次导入的 {'、'.join(map(str, self.issues))}（原始文本仍在收件目录中），"
                  "content/ 恢复原样", file=sys.stderr)


def run(args: argparse.Namespace) -> Problems:
    problems = Problems()
    started = time.perf_counter()
    settings = build_module.load_settings(args.settings, problems)
    content_dir, out_dir = build_module.paths(args, settings)
    build_module.check_output(args, content_dir, out_dir, problems)
    progress = Progress.for_terminal()
    registry_file = content_dir / permalinks.REGISTRY
    new: set[str] = set()
    # Locked from the first ingest: a second publish waits, then finds the inbox published.
    with output_lock(published_dir(out_dir)), ContentChanges(registry_file) as changes:
        for raw in inbox.pending(args.inbox, content_dir, problems):
            progress.stage(f"导入 {raw.name}")
            ingested = ingest_file(raw, content_dir, problems)
            if ingested is not None:
                changes.ingested(ingested)
            if ingested is None or problems.has_errors(strict=args.strict):
                raise Abort(problems)
            print(ingested.summary())

        registered = set(permalinks.read_registry(registry_file, problems))

        def register(produced: set[str]) -> None:
            new.update(permalinks.registrable({url_path(p) for p in produced}) - registered)
            if new:
                changes.register(permalinks.registry_text(registered | new))

        report = build_module.build(content_dir, out_dir, settings, problems, search=True,
                                    cache_dir=build_module.cache_dir(args), progress=progress, strict=args.strict,
                                    on_ready=register)
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
