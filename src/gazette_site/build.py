"""The build: content → model → pages → staged files → published site; and its check.

Stages run in order over plain data (Pelican/MkDocs style): load and
validate everything, render each file straight into a staging copy of the
output, check that no published URL breaks, then swap the copy in (see
:mod:`.output`); on any error the copy is discarded and nothing is published.
A rebuild whose inputs did not change returns at once; one with changes
rewrites only files whose bytes changed. ``check`` runs the same stages and
writes nothing. The commands (:mod:`.commands`) call these.
"""
from __future__ import annotations

import hashlib
import importlib
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISDIR
from typing import Callable

from . import TEMPLATES, __version__
from .output import (OutputFile, Staging, changed_since_published, output_lock, published_dir,
                     published_files, read_regular, record_dir)
from .problems import Abort, Problems, shown_path
from .progress import Progress
from .publish import permalinks
from .settings import Settings
from . import urls
from .urls import url_path

__all__ = ["BuildReport", "CheckReport", "build", "check"]

FINGERPRINT = "inputs"  # in the record of what is published
_PACKAGE = Path(__file__).resolve().parent
_IGNORED = {"_backup", "__pycache__"}


@dataclass
class BuildReport:
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    produced: set[str] = field(default_factory=set)  # every output path
    documents: list[tuple[str, str]] = field(default_factory=list)  # (URL path, title) in printed order
    issues: int = 0
    up_to_date: bool = False

    def describe(self, out_dir: Path) -> str:
        total = sum(self.seconds.values())
        if self.up_to_date:
            return f"网站已是最新：内容、模板和设置都没有变化（{total:.2f} 秒）→ {shown_path(out_dir)}"
        timings = "，".join(f"{_STAGE_NAMES.get(k, k)} {v:.2f}" for k, v in self.seconds.items())
        return (f"已生成网站：{self.issues} 期，{len(self.documents)} 篇文件；写入 {self.written} 个文件，"
                f"{self.unchanged} 个未变，删除 {self.removed} 个过时文件（共 {total:.2f} 秒：{timings}）→ {shown_path(out_dir)}")


_STAGE_NAMES = {"load": "读取", "render": "生成", "search": "检索", "publish": "发布", "check": "检查"}


def load_archive(directory: Path, problems: Problems, cache_dir: Path | None = None, save: bool = True,
                 meanwhile: Callable[[], None] = lambda: None):
    """``save``: keep what was loaded in the cache for the next build (``check`` writes nothing);
    ``meanwhile``: this process's own work while the documents load on the other cores."""
    # Not on the up-to-date path, which loads nothing (content finds 发文字号, which needs pypinyin).
    from . import content
    from .parse_cache import ParseCache

    parsed = ParseCache(cache_dir, problems)
    archive = content.load(directory, problems, parsed.parse, parsed.documents, meanwhile)
    if save:
        parsed.save()
    if problems.has_errors():
        raise Abort(problems)
    return archive


def inputs_fingerprint(content_dir: Path, templates: Path, settings: Settings, search: bool) -> str:
    """What the output depends on: every input file's name, size, mtime, inode and ctime, settings, software.

    The inode and ctime, from lstat: a file replaced, or swapped for a link,
    since the last build (its size and mtime put back, even) makes the build
    load and check everything again, each raw text's SHA-256 included.
    """
    digest = hashlib.sha256(f"{__version__}\0{settings!r}\0{search}\0{content_dir.resolve()}".encode())
    for root in (content_dir, templates, _PACKAGE):
        for path in sorted(root.rglob("*")):
            # The registry only grows as sites are published; it never changes a page.
            if path.name == permalinks.REGISTRY or _IGNORED.intersection(path.parts):
                continue
            stat = path.lstat()
            if not S_ISDIR(stat.st_mode):
                digest.update(f"{path.relative_to(root)}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ino}"
                              f"\0{stat.st_ctime_ns}\n".encode())
    return digest.hexdigest()


def _recorded_fingerprint(out_dir: Path, problems: Problems) -> str | None:
    path = record_dir(out_dir) / FINGERPRINT
    recorded = read_regular(path)
    if recorded is None:
        return None
    if re.fullmatch(rb"[0-9a-f]{64}", recorded) is None:
        problems.warning(path, None, "构建记录已损坏：已忽略，本次完整重建")
        return None
    return recorded.decode()


# Called with every output path once the new site is complete, before it is published (or when
# the published one is up to date): what must not go without it, the permalink registry, is written
# then. An error it raises publishes nothing.
OnReady = Callable[[set[str]], None]


def build(content_dir: Path, out_dir: Path, settings: Settings, problems: Problems,
          search: bool = True, templates: Path = TEMPLATES, cache_dir: Path | None = None,
          progress: Progress | None = None, strict: bool = False, on_ready: OnReady | None = None) -> BuildReport:
    """Build the site into ``out_dir``; raises Abort (nothing published) when input is bad.

    The site goes where ``out_dir`` leads when it is a symbolic link (see
    ``output.published_dir``), one build at a time.
    """
    out_dir = published_dir(out_dir)
    with output_lock(out_dir):
        return _build(content_dir, out_dir, settings, problems, search, templates, cache_dir,
                      progress or Progress.quiet(), strict, on_ready or (lambda produced: None))


def _build(content_dir: Path, out_dir: Path, settings: Settings, problems: Problems, search: bool, templates: Path,
           cache_dir: Path | None, progress: Progress, strict: bool, on_ready: OnReady) -> BuildReport:
    report = BuildReport()
    clock = time.perf_counter()

    def lap(name: str) -> None:
        report.seconds[name] = time.perf_counter() - clock - sum(report.seconds.values())

    fingerprint = inputs_fingerprint(content_dir, templates, settings, search)
    if (_recorded_fingerprint(out_dir, problems) == fingerprint and (published := published_files(out_dir)) is not None
            and changed_since_published(out_dir, published) == set()):
        report.up_to_date = True
        report.produced = set(published)
        report.unchanged = len(report.produced)
        on_ready(report.produced)
        lap("check")
        return report

    progress.stage("读取内容")
    archive = load_archive(content_dir, problems, cache_dir, meanwhile=_import_stages)
    from .render import render_site
    from .search import PageIndexer, index_files
    report.documents = [(urls.document(d.id), d.title) for d in archive.documents]
    report.issues = len(archive.issues)
    lap("load")
    staging = Staging(out_dir).prepare()
    _report_untrusted(staging, problems)
    for path, target in staging.links:
        problems.warning(out_dir / path, None, f"是符号链接（指向 {target}）：构建不跟随网站目录中的链接，新版本中不再有它，"
                                               "它指向的文件没有被改动。网站之外的文件夹请在网站服务器上配置")
    # The search index reads each page as it is rendered, on the worker that made it.
    indexer = PageIndexer(archive, settings, staging.record) if search else None
    try:
        progress.stage("生成页面")
        # Each file goes to the staging copy as soon as it is rendered: the build
        # holds a few pages at a time, never the whole site.
        for output in render_site(archive, settings, problems, templates, cache_dir, progress, previous=staging.dir,
                                  previous_record=staging.record, reader=indexer):
            staging.write(output)
        lap("render")
        if problems.has_errors():  # a page that failed to render would be reported again as a dropped URL
            raise Abort(problems)
        if search:
            progress.stage("建立全文检索")
            for output in index_files(archive, staging.dir, settings, problems, staging.record, staging.staged_record,
                                      indexer):
                staging.write(output)
            lap("search")
        # Against what this build wrote: without search, a published /search/ is dropped like any URL.
        for output in _keep_permalinks(content_dir, staging.current, lambda path: (staging.dir / path).read_bytes(),
                                       settings, problems):
            staging.write(output)
        if problems.has_errors(strict=strict):
            raise Abort(problems)
        staging.remove_stale()
        # With the site's record: a next build with the same inputs has nothing to do.
        staging.write(OutputFile(FINGERPRINT, fingerprint.encode(), state=True))
        on_ready(staging.current)
        staging.commit(problems)
    except BaseException:
        if indexer is not None:
            indexer.close()
        staging.discard()
        raise
    lap("publish")
    report.written, report.unchanged, report.removed = staging.written, staging.unchanged, staging.removed
    report.produced = staging.current
    return report


def _import_stages() -> None:
    """The later stages' modules (Jinja, Markdown, lxml, numpy): imported only by a build with
    something to do, while its documents load on the other cores."""
    for stage in (".render", ".search"):
        importlib.import_module(stage, __package__)


def _report_untrusted(staging: Staging, problems: Problems) -> None:
    """Published files the build will make anew, not keep, because they changed since it made them."""
    if staging.untrusted is None:
        problems.info(staging.out_dir, None, "没有上次构建留下的发布记录：已发布的文件全部按内容重新生成")
    for path in sorted(staging.untrusted or ()):
        problems.info(staging.out_dir / path, None,
                      "发布后被改动或删除：按内容重新生成（要改正文件，请改 content/ 中的内容）")


def _keep_permalinks(content_dir: Path, written: set[str], read: Callable[[str], bytes], settings: Settings,
                     problems: Problems) -> list[OutputFile]:
    """Report a published URL this build would drop; the files of the declared redirects.

    ``written``: the output paths produced; ``read``: the bytes of one of them.
    """
    registry_file, redirects_file = content_dir / permalinks.REGISTRY, content_dir / permalinks.REDIRECTS
    registered = permalinks.read_registry(registry_file, problems)
    redirects = permalinks.read_redirects(redirects_file, problems)
    produced = {url_path(path) for path in written}
    permalinks.check(registered, produced, redirects, registry_file, redirects_file, problems)
    return [OutputFile(path, data) for path, data in permalinks.redirect_files(redirects, produced, read, settings.base_url)]


@dataclass(frozen=True)
class CheckReport:
    issues: int
    documents: int
    files: int  # that a build would write

    def describe(self) -> str:
        return f"检查通过：{self.issues} 期，{self.documents} 篇文件，可生成 {self.files} 个文件"


def check(content_dir: Path, settings: Settings, problems: Problems, cache_dir: Path | None = None) -> CheckReport | None:
    """Validate content, templates and permalinks as a build would, writing nothing; None when
    there are errors (reported)."""
    from .render import render_site
    from .search.page import search_page

    archive = load_archive(content_dir, problems, cache_dir, save=False)
    # What a build writes: the pages and, from the search stage, the search page.
    produced = {output.path for output in [*render_site(archive, settings, problems),
                                           *search_page(archive, settings, problems)]}
    if problems.has_errors():  # as in build: the pages that failed are not dropped URLs
        return None
    # Nothing is written: the redirect files are counted, their bytes are not needed.
    redirects = _keep_permalinks(content_dir, produced, lambda path: b"", settings, problems)
    if problems.has_errors():
        return None
    return CheckReport(len(archive.issues), len(archive.documents), len(produced) + len(redirects))
