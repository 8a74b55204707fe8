"""The ``build`` and ``check`` commands: content → model → pages → staged files → published site.

Stages run in order over plain data (Pelican/MkDocs style): load and
validate everything, render each file straight into a staging copy of the
output, check that no published URL breaks, then swap the copy in (see
:mod:`.output`); on any error the copy is discarded and nothing is published.
A rebuild whose inputs did not change returns at once; one with changes
rewrites only files whose bytes changed.
"""
from __future__ import annotations

import argparse
import hashlib
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import TEMPLATES, __version__, settings as settings_module
from .output import MANIFEST, OutputFile, Staging, changed_since_published, write_file
from .problems import Abort, Problems
from .progress import Progress
from .publish import permalinks
from .settings import Settings
from . import urls
from .urls import SEARCH, url_path

__all__ = ["MANIFEST", "BuildReport", "build", "write_file"]

CACHE = Path(".cache")
FINGERPRINT = ".gazette-inputs"
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


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--settings", type=Path, default=Path("site.yaml"), help="网站设置文件（默认 site.yaml）")
    parser.add_argument("--content", type=Path, default=None, help="内容目录（默认取设置文件中的 content_dir）")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_common_arguments(parser)
    parser.add_argument("--out", type=Path, default=None, help="输出目录（默认取设置文件中的 output_dir，即 public/）")
    parser.add_argument("--no-search", action="store_true", help="不生成全文检索索引")


def load_settings(path: Path, problems: Problems) -> Settings:
    settings = settings_module.load(path, problems)
    if settings is None:
        raise Abort(problems)
    return settings


def load_archive(directory: Path, problems: Problems, cache_dir: Path | None = None):
    # Not on the up-to-date path, which loads nothing (content finds 发文字号, which needs pypinyin).
    from . import content
    from .parse_cache import ParseCache

    parsed = ParseCache(cache_dir, problems)
    archive = content.load(directory, problems, parsed.parse, parsed.documents)
    parsed.save()
    if problems.has_errors():
        raise Abort(problems)
    return archive


def inputs_fingerprint(content_dir: Path, templates: Path, settings: Settings, search: bool) -> str:
    """What the output depends on: every input file's name, size and mtime, settings, software."""
    digest = hashlib.sha256(f"{__version__}\0{settings!r}\0{search}\0{content_dir.resolve()}".encode())
    for root in (content_dir, templates, _PACKAGE):
        for path in sorted(root.rglob("*")):
            # The registry only grows as sites are published; it never changes a page.
            if path.is_file() and path.name != permalinks.REGISTRY and not _IGNORED.intersection(path.parts):
                stat = path.stat()
                digest.update(f"{path.relative_to(root)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _recorded_fingerprint(out_dir: Path, problems: Problems) -> str | None:
    path = out_dir / FINGERPRINT
    if not path.is_file():
        return None
    recorded = path.read_bytes()
    if re.fullmatch(rb"[0-9a-f]{64}", recorded) is None:
        problems.warning(path, None, "构建记录已损坏：已忽略，本次完整重建")
        return None
    return recorded.decode()


def build(content_dir: Path, out_dir: Path, settings: Settings, problems: Problems,
          search: bool = True, templates: Path = TEMPLATES, cache_dir: Path | None = None,
          progress: Progress | None = None, strict: bool = False) -> BuildReport:
    """Build the site into ``out_dir``; raises Abort (nothing published) when input is bad."""
    progress = progress or Progress.quiet()
    report = BuildReport()
    clock = time.perf_counter()

    def lap(name: str) -> None:
        report.seconds[name] = time.perf_counter() - clock - sum(report.seconds.values())

    fingerprint = inputs_fingerprint(content_dir, templates, settings, search)
    if (_recorded_fingerprint(out_dir, problems) == fingerprint and (out_dir / MANIFEST).is_file()
            and changed_since_published(out_dir) == set()):
        report.up_to_date = True
        report.produced = set((out_dir / MANIFEST).read_text(encoding="utf-8").splitlines())
        report.unchanged = len(report.produced)
        lap("check")
        return report

    # Imported only now: a build with nothing to do never pays for Jinja, Markdown and pypinyin.
    from .render import render_site
    from .search import index_files

    progress.stage("读取内容")
    archive = load_archive(content_dir, problems, cache_dir)
    report.documents = [(urls.document(d.id), d.title) for d in archive.documents]
    report.issues = len(archive.issues)
    lap("load")
    staging = Staging(out_dir).prepare()
    _report_untrusted(staging, problems)
    try:
        progress.stage("生成页面")
        # Each file goes to the staging copy as soon as it is rendered: the build
        # holds a few pages at a time, never the whole site.
        for output in render_site(archive, settings, problems, templates, cache_dir, progress, previous=staging.dir):
            staging.write(output)
        lap("render")
        if problems.has_errors():  # a page that failed to render would be reported again as a dropped URL
            raise Abort(problems)
        for output in _keep_permalinks(content_dir, staging.current, lambda path: (staging.dir / path).read_bytes(),
                                       settings, problems):
            staging.write(output)
        if problems.has_errors(strict=strict):
            raise Abort(problems)
        if search:
            progress.stage("建立全文检索")
            for output in index_files(archive, staging.dir, settings, problems):
                staging.write(output)
            lap("search")
        if problems.has_errors(strict=strict):
            raise Abort(problems)
        staging.remove_stale()
        staging.commit()
    except BaseException:
        staging.discard()
        raise
    # Bookkeeping only, so it may change in place: the next build can skip everything.
    write_file(out_dir, OutputFile(FINGERPRINT, fingerprint.encode()))
    lap("publish")
    report.written, report.unchanged, report.removed = staging.written, staging.unchanged, staging.removed
    report.produced = staging.current
    return report


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
    # the search stage writes the search page after this check
    permalinks.check(registered, produced | {SEARCH}, redirects, registry_file, redirects_file, problems)
    return [OutputFile(path, data) for path, data in permalinks.redirect_files(redirects, produced, read, settings.base_url)]


def paths(args: argparse.Namespace, settings: Settings) -> tuple[Path, Path]:
    base = args.settings.resolve().parent
    content_dir = args.content or base / settings.content_dir
    out_dir = getattr(args, "out", None) or base / settings.output_dir
    return content_dir, out_dir


def cache_dir(args: argparse.Namespace) -> Path:
    return args.settings.resolve().parent / CACHE


def run(args: argparse.Namespace) -> Problems:
    problems = Problems()
    settings = load_settings(args.settings, problems)
    content_dir, out_dir = paths(args, settings)
    report = build(content_dir, out_dir, settings, problems, search=not args.no_search,
                   cache_dir=cache_dir(args), progress=Progress.for_terminal(), strict=args.strict)
    print(describe(report, out_dir))
    return problems


def describe(report: BuildReport, out_dir: Path) -> str:
    total = sum(report.seconds.values())
    if report.up_to_date:
        return f"网站已是最新：内容、模板和设置都没有变化（{total:.2f} 秒）→ {out_dir}"
    timings = "，".join(f"{_STAGE_NAMES.get(k, k)} {v:.2f}" for k, v in report.seconds.items())
    return (f"已生成网站：{report.issues} 期，{len(report.documents)} 篇文件；写入 {report.written} 个文件，"
            f"{report.unchanged} 个未变，删除 {report.removed} 个过时文件（共 {total:.2f} 秒：{timings}）→ {out_dir}")


_STAGE_NAMES = {"load": "读取", "render": "生成", "search": "检索", "publish": "发布", "check": "检查"}


def check(args: argparse.Namespace) -> Problems:
    """Validate settings, content, templates and permalinks without writing anything."""
    from .render import render_site

    problems = Problems()
    settings = load_settings(args.settings, problems)
    content_dir, _ = paths(args, settings)
    archive = load_archive(content_dir, problems, cache_dir(args))
    produced = {output.path for output in render_site(archive, settings, problems)}
    if problems.has_errors():  # as in build: the pages that failed are not dropped URLs
        return problems
    # Nothing is written: the redirect files are counted, their bytes are not needed.
    redirects = _keep_permalinks(content_dir, produced, lambda path: b"", settings, problems)
    if not problems.has_errors():
        print(f"检查通过：{len(archive.issues)} 期，{len(archive.documents)} 篇文件，可生成 {len(produced) + len(redirects)} 个文件")
    return problems
