"""The publish: every raw issue waiting in the inbox ingested, all content validated, the site
and its search index built and published at once, every new URL recorded in the permalink
registry. ``content/`` keeps what it changes only when the whole publish succeeds
(``ContentChanges``). The ``publish`` command calls ``publish``.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from ..build import BuildReport, build
from ..ingest.pipeline import Ingested, ingest_file
from ..output import OutputFile, output_lock, published_dir, read_regular, remove_tree, write_file
from ..problems import Abort, Problems
from ..progress import Progress
from ..settings import Settings
from ..urls import url_path
from . import inbox, permalinks


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


@dataclass
class Published:
    build: BuildReport
    new: set[str]  # URL paths registered by this publish
    registered: set[str]  # before it


def publish(content_dir: Path, out_dir: Path, inbox_dir: Path, settings: Settings, problems: Problems,
            cache_dir: Path | None = None, progress: Progress | None = None, strict: bool = False) -> Published:
    """Raises Abort (nothing published, ``content/`` as it was) when anything fails."""
    progress = progress or Progress.quiet()
    registry_file = content_dir / permalinks.REGISTRY
    new: set[str] = set()
    # Locked from the first ingest: a second publish waits, then finds the inbox published.
    with output_lock(published_dir(out_dir)), ContentChanges(registry_file) as changes:
        for raw in inbox.pending(inbox_dir, content_dir, problems):
            progress.stage(f"导入 {raw.name}")
            ingested = ingest_file(raw, content_dir, problems)
            if ingested is not None:
                changes.ingested(ingested)
            if ingested is None or problems.has_errors(strict=strict):
                raise Abort(problems)
            print(ingested.summary())

        registered = set(permalinks.read_registry(registry_file, problems))

        def register(produced: set[str]) -> None:
            new.update(permalinks.registrable({url_path(p) for p in produced}) - registered)
            if new:
                changes.register(permalinks.registry_text(registered | new))

        report = build(content_dir, out_dir, settings, problems, search=True, cache_dir=cache_dir, progress=progress,
                       strict=strict, on_ready=register)
    return Published(report, new, registered)
