"""The options the commands share, and how every command finds its paths.

One rule for every path: one given on the command line is taken from the
working directory, as any program takes it; one left out comes from the
settings file (``content_dir``, ``output_dir``, ``inbox_dir``) and is taken
from the folder that file is in, the project's, wherever the command runs.
The build's caches and the preview lie in that folder's ``.cache/``.
"""
from __future__ import annotations

import argparse
from functools import cached_property
from pathlib import Path

from .. import settings as settings_module
from ..output import published_by_a_build, published_dir
from ..problems import Abort, Problems
from ..settings import Settings

CACHE = Path(".cache")
PATH_RULE = "路径：命令行给出的相对路径从当前目录算起；省略的路径取网站设置文件中的值，从设置文件所在的目录算起。"


def add_project_arguments(parser: argparse.ArgumentParser) -> None:
    """``--settings`` and ``--content``, which every command takes."""
    parser.epilog = PATH_RULE
    parser.add_argument("--settings", type=Path, default=Path("site.yaml"), help="网站设置文件（默认 site.yaml）")
    parser.add_argument("--content", type=Path, default=None, help="内容目录（默认取设置文件中的 content_dir）")
    # The spelling ingest once had: editors' scripts keep working.
    parser.add_argument("--content-dir", dest="content", type=Path, help=argparse.SUPPRESS)


def add_output_arguments(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument("--out", type=Path, default=None, help=help_text)
    parser.add_argument("--force", action="store_true",
                        help="允许输出到一个不是空的、也没有本工具发布记录的目录（同名文件被替换，其余文件保留）")


class Project:
    """Where a command's files are, by the one rule above. The settings are read when first
    needed: ingest given ``--content`` needs none."""

    def __init__(self, args: argparse.Namespace, problems: Problems):
        self.args, self.problems = args, problems
        self.folder = args.settings.resolve().parent

    @cached_property
    def settings(self) -> Settings:
        settings = settings_module.load(self.args.settings, self.problems)
        if settings is None:
            raise Abort(self.problems)
        return settings

    def _path(self, given: Path | None, setting: str) -> Path:
        return given if given is not None else self.folder / getattr(self.settings, setting)

    @property
    def content(self) -> Path:
        return self._path(self.args.content, "content_dir")

    @property
    def out(self) -> Path:
        return self._path(self.args.out, "output_dir")

    @property
    def inbox(self) -> Path:
        return self._path(self.args.inbox, "inbox_dir")

    @property
    def cache(self) -> Path:
        return self.folder / CACHE

    def check_output(self) -> None:
        """Raises Abort when ``out`` is no place to publish in: publishing replaces the whole
        directory, so it must not be or hold the project (the settings' folder) or the content, nor
        lie in the content; nor, unless ``--force``, be a folder of files no build published."""
        out_dir, problems = self.out, self.problems
        try:
            out = published_dir(out_dir)
        except RuntimeError:
            problems.error(out_dir, None, "是循环的符号链接：请改正它，或用 --out 指定另一个目录")
            raise Abort(problems) from None
        project, content = self.folder, self.content.resolve()
        if out == project or out in project.parents:
            problems.error(out_dir, None, f"输出目录是（或包含）项目目录 {project}：发布会用生成的网站替换整个目录。"
                                          "请用 --out 指定一个单独的目录，如 public/")
        elif out == content or out in content.parents or content in out.parents:
            problems.error(out_dir, None, f"输出目录与内容目录 {self.content} 重叠：发布会替换其中的内容。"
                                          "请用 --out 指定内容目录以外的目录")
        elif out.exists() and not out.is_dir():
            problems.error(out_dir, None, "不是目录：请用 --out 指定一个目录")
        elif (not self.args.force and out.is_dir() and not published_by_a_build(out)
              and (found := next(out.iterdir(), None)) is not None):
            problems.error(out_dir, None, f"目录不是空的（如其中的 {found.name}），也没有本工具发布过的记录：发布会替换其中同名的文件。"
                                          "请用 --out 指定一个空目录或新目录；确实要发布到这里，加 --force（同名文件被替换，其余文件原样保留）")
        if problems.has_errors():
            raise Abort(problems)
