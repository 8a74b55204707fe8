"""The permalink registry: every URL ever published keeps working.

``content/permalinks.txt`` lists every URL path a publish has produced, one
per line. A build that would no longer produce one of them fails, naming it,
unless ``content/redirects.yaml`` sends it somewhere; then a redirect page
(or, for a data file, a copy of the new file) is published in its place.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml

from .. import urls
from ..problems import Problems

REGISTRY = "permalinks.txt"
REDIRECTS = "redirects.yaml"
_HEADER = (
    "# 本站发布过的全部网址（相对于网站根目录），每次成功发布后自动追加。\n"
    "# 不要删除其中的行：网址一经发布就必须一直可用。要更换网址，请在 redirects.yaml 中声明重定向。\n"
)


# A redirect page loads nothing at all.
_REDIRECT_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'"


@dataclass(frozen=True)
class Redirect:
    target: str
    line: int | None


def registrable(paths: set[str]) -> set[str]:
    return {p for p in paths if not p.startswith(urls.NOT_PERMANENT) and not p.rsplit("/", 1)[-1].startswith(".")}


def _as_path(entry: str) -> str:
    return entry.strip().lstrip("/")


def read_registry(path: Path, problems: Problems) -> dict[str, int]:
    """Registered URL paths (without the leading slash) and their line numbers."""
    if not path.exists():
        return {}
    registered: dict[str, int] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        entry = line.strip()
        if not entry or entry.startswith("#"):
            continue
        if not entry.startswith("/") or " " in entry or ".." in entry.split("/"):
            problems.error(path, number, f"不是有效的网址路径：{entry!r}（应以 / 开头，如 /doc/xinzhengfa-2023-1/）")
            continue
        registered.setdefault(_as_path(entry), number)
    return registered


def read_redirects(path: Path, problems: Problems) -> dict[str, Redirect]:
    if not path.exists():
        return {}
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.error(path, mark.line + 1 if mark else None, f"不是有效的 YAML：{getattr(exc, 'problem', exc)}")
        return {}
    if node is None:
        return {}
    if not isinstance(node, yaml.MappingNode):
        problems.error(path, node.start_mark.line + 1, "应是“旧网址: 新网址”的映射")
        return {}
    redirects: dict[str, Redirect] = {}
    for key, value in node.value:
        line = key.start_mark.line + 1
        if not isinstance(key, yaml.ScalarNode) or not isinstance(value, yaml.ScalarNode):
            problems.error(path, line, "每一项应是“旧网址: 新网址”")
            continue
        source, target = key.value, value.value
        if not source.startswith("/") or not target.startswith("/") or ".." in source.split("/") + target.split("/"):
            problems.error(path, line, f"网址应以 / 开头且不含 ..：{source} → {target}")
            continue
        redirects[_as_path(source)] = Redirect(_as_path(target), line)
    return redirects


def check(registered: dict[str, int], produced: set[str], redirects: dict[str, Redirect],
          registry_file: Path, redirects_file: Path, problems: Problems) -> None:
    """Every registered URL is produced or redirected; every redirect is sound."""
    for path, line in sorted(registered.items()):
        if path not in produced and path not in redirects:
            problems.error(
                registry_file, line,
                f"网址 /{path} 已经发布过，本次构建不再生成它：请恢复对应的内容，"
                f"或在 {redirects_file.name} 中声明“/{path}: /新网址”",
            )
    for source, redirect in sorted(redirects.items()):
        if source in produced:
            problems.error(redirects_file, redirect.line, f"/{source} 仍然存在，不能同时重定向到 /{redirect.target}")
        elif redirect.target not in produced:
            problems.error(redirects_file, redirect.line, f"重定向目标 /{redirect.target} 不存在")


def redirect_page(source: str, target: str, base_url: str) -> str:
    href = urls.relative(source, target)
    canonical = urls.absolute(base_url, target)
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{_REDIRECT_POLICY}\">\n"
        f"<title>页面已迁移</title>\n<link rel=\"canonical\" href=\"{html.escape(canonical)}\">\n"
        f"<meta http-equiv=\"refresh\" content=\"0; url={html.escape(href)}\">\n"
        "<meta name=\"robots\" content=\"noindex\">\n</head>\n<body>\n"
        f"<p>此页面已迁移到 <a href=\"{html.escape(href)}\">{html.escape(canonical)}</a>。</p>\n</body>\n</html>\n"
    )


def redirect_files(redirects: dict[str, Redirect], produced: set[str], read: Callable[[str], bytes],
                   base_url: str) -> list[tuple[str, bytes]]:
    """(output path, bytes) standing in for each redirected URL; ``read`` gives a produced data file's bytes."""
    files = []
    for source, redirect in sorted(redirects.items()):
        if source == "" or source.endswith("/"):
            files.append((urls.output_file(source), redirect_page(source, redirect.target, base_url).encode("utf-8")))
        elif redirect.target in produced:
            # A data file cannot redirect by itself: serve the new file's bytes at the old address too.
            files.append((source, read(redirect.target)))
    return files


def registry_text(registered: set[str]) -> str:
    return _HEADER + "".join(f"/{path}\n" for path in sorted(registered))
