"""The ``build`` and ``check`` commands: content → model → pages → files.

Writes are atomic per file (temporary file, then ``os.replace``) and skipped
when the bytes are unchanged, so a rebuild touches only what changed and a
reader never sees half a page. Files this build wrote last time and does not
write now are removed, listed in a manifest; nothing else in the output
directory is touched.
"""
from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from . import content, settings as settings_module
from .problems import Abort, Problems
from .render import TEMPLATES, OutputFile, render_site
from .settings import Settings

MANIFEST = ".gazette-manifest"
SEARCH_MODULE = "gazette_site.search"
TEMPLATE_CACHE = Path(".cache") / "templates"  # beside the settings file; safe to delete


@dataclass(frozen=True)
class BuildReport:
    written: int
    unchanged: int
    removed: int
    seconds: dict[str, float]


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--settings", type=Path, default=Path("site.yaml"), help="网站设置文件（默认 site.yaml）")
    parser.add_argument("--content", type=Path, default=None, help="内容目录（默认取设置文件中的 content_dir）")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_common_arguments(parser)
    parser.add_argument("--out", type=Path, default=None, help="输出目录（默认取设置文件中的 output_dir，即 public/）")
    parser.add_argument("--no-search", action="store_true", help="不生成全文检索索引")


def write_file(root: Path, output: OutputFile) -> bool:
    """Write one file atomically; False when it already had these bytes."""
    target = root / output.path
    try:
        if target.read_bytes() == output.data:
            return False
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix="~")
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(output.data)
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return True


def remove_stale(root: Path, current: set[str]) -> int:
    """Delete files the previous build wrote and this one did not."""
    manifest = root / MANIFEST
    previous = manifest.read_text(encoding="utf-8").splitlines() if manifest.is_file() else []
    removed = 0
    for path in previous:
        if path not in current and ".." not in Path(path).parts:
            (root / path).unlink(missing_ok=True)
            _remove_empty_parents(root, (root / path).parent)
            removed += 1
    write_file(root, OutputFile(MANIFEST, "".join(p + "\n" for p in sorted(current)).encode("utf-8")))
    return removed


def _remove_empty_parents(root: Path, directory: Path) -> None:
    while directory != root and directory.is_dir() and not any(directory.iterdir()):
        directory.rmdir()
        directory = directory.parent


def load_settings(path: Path, problems: Problems) -> Settings:
    settings = settings_module.load(path, problems)
    if settings is None:
        raise Abort(problems)
    return settings


def load_archive(directory: Path, problems: Problems):
    archive = content.load(directory, problems)
    if problems.has_errors():
        raise Abort(problems)
    return archive


def build(content_dir: Path, out_dir: Path, settings: Settings, problems: Problems,
          search: bool = True, templates: Path = TEMPLATES, cache_dir: Path | None = None) -> BuildReport:
    """Build the whole site into ``out_dir``; raises Abort when input is bad."""
    clock = time.perf_counter()
    seconds = {}
    archive = load_archive(content_dir, problems)
    seconds["load"] = time.perf_counter() - clock
    outputs = list(render_site(archive, settings, problems, templates, cache_dir))
    seconds["render"] = time.perf_counter() - clock - seconds["load"]
    if problems.has_errors():
        raise Abort(problems)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = sum(write_file(out_dir, output) for output in outputs)
    removed = remove_stale(out_dir, {o.path for o in outputs})
    seconds["write"] = time.perf_counter() - clock - seconds["load"] - seconds["render"]
    if search and importlib.util.find_spec(SEARCH_MODULE) is not None:
        importlib.import_module(SEARCH_MODULE).build_index(archive, out_dir, settings, problems)
        seconds["search"] = time.perf_counter() - clock - sum(seconds.values())
    return BuildReport(written, len(outputs) - written, removed, seconds)


def _paths(args: argparse.Namespace, settings: Settings) -> tuple[Path, Path]:
    base = args.settings.resolve().parent
    content_dir = args.content or base / settings.content_dir
    out_dir = getattr(args, "out", None) or base / settings.output_dir
    return content_dir, out_dir


def run(args: argparse.Namespace) -> Problems:
    problems = Problems()
    settings = load_settings(args.settings, problems)
    content_dir, out_dir = _paths(args, settings)
    report = build(content_dir, out_dir, settings, problems, search=not args.no_search,
                   cache_dir=args.settings.resolve().parent / TEMPLATE_CACHE)
    timings = "，".join(f"{name} {value:.2f} 秒" for name, value in report.seconds.items())
    problems.info(out_dir, None, f"已生成网站：写入 {report.written} 个文件，{report.unchanged} 个未变，"
                                 f"删除 {report.removed} 个过时文件（{timings}）")
    return problems


def check(args: argparse.Namespace) -> Problems:
    """Validate settings, content and templates without writing anything."""
    problems = Problems()
    settings = load_settings(args.settings, problems)
    content_dir, _ = _paths(args, settings)
    archive = load_archive(content_dir, problems)
    count = sum(1 for _ in render_site(archive, settings, problems))
    if not problems.has_errors():
        problems.info(content_dir, None, f"检查通过：{len(archive.issues)} 期，{len(archive.documents)} 篇文件，"
                                         f"可生成 {count} 个文件")
    return problems
