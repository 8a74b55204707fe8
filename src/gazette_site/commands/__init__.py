"""Command line: ``python build.py <command>``, every command a module of this package.

Each command is declared once in ``COMMANDS``: its module (``commands/<name>.py``)
adds its own arguments (the shared ones from :mod:`.options`) and runs the
stages of the library. Only the module of the command that runs is imported, so
that a quick command (a no-op build) does not pay for the others' imports.
Commands return a :class:`Problems`; this module prints them, one line each,
and turns them into the exit code. Tracebacks are shown only with
``--verbose``.
"""
from __future__ import annotations

import argparse
import errno
import gc
import importlib
import os
import sys
import traceback

from ..problems import Abort, Problems

# command name (its module in this package implements ``add_arguments(parser)`` and
# ``run(args) -> Problems``) -> help text
COMMANDS: dict[str, str] = {
    "ingest": "把一期公报的原始文本拆分为 content/ 中的 Markdown 文件",
    "build": "把 content/ 生成为静态网站（默认输出到 public/）",
    "check": "校验网站设置、内容、模板和永久网址，不写出任何文件",
    "publish": "发布：导入 inbox/ 中的新一期、校验、生成网站和检索、登记新网址（默认命令）",
    "serve": "本地预览：在 127.0.0.1 上提供网站，内容或模板改动后自动重建并刷新页面",
}
# What ``python build.py`` without a command does: the first of these that exists.
DEFAULT_COMMAND = "publish"


def build_parser(command: str | None) -> argparse.ArgumentParser:
    """Every command is listed; only ``command`` gets its arguments (and its module imported)."""
    parser = argparse.ArgumentParser(
        prog="python build.py",
        description="政府公报数字档案：导入、校验、生成静态网站与全文检索。",
    )
    parser.add_argument("--verbose", action="store_true", help="出现内部错误时显示完整的 Python 回溯")
    parser.add_argument("--strict", action="store_true", help="把警告视为错误")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text in COMMANDS.items():
        command_parser = sub.add_parser(name, help=help_text, description=help_text)
        if name == command:
            module = importlib.import_module(f"{__name__}.{name}")
            module.add_arguments(command_parser)
            command_parser.set_defaults(module=module)
    return parser


def print_problems(problems: Problems, stream=None) -> None:
    stream = stream or sys.stderr
    for problem in problems:
        print(problem, file=stream)


_FULL = "磁盘空间不足或超出了文件大小限制：腾出空间后重新运行同一命令"
_DENIED = "没有权限：请检查这个文件或目录（及其上级目录）的权限和所有者，然后重新运行同一命令"
_OS_HINTS = {
    errno.ENOSPC: _FULL, errno.EDQUOT: _FULL, errno.EFBIG: _FULL,
    errno.EACCES: _DENIED, errno.EPERM: _DENIED,
    errno.EROFS: "所在的文件系统是只读的：请换一个可写的位置，或把它重新挂载为可写",
    errno.ENAMETOOLONG: "路径或文件名过长：请缩短对应的 id、名称或目录名",
    errno.ENOENT: "文件或目录不存在：请检查这个路径",
    errno.ENOTDIR: "路径中的某一级不是目录：请检查这个路径",
    errno.EISDIR: "这里应是文件，却是一个目录：请检查这个路径",
    errno.ELOOP: "路径上的符号链接过多或成环：请检查这个路径上的链接",
}
_OS_HINT = "请检查这个文件或目录，然后重新运行同一命令"


def _where(exc: OSError) -> str:
    """The path an OS error is about (both, for a rename), or what the system said when it names none."""
    paths = [os.fsdecode(p) for p in (exc.filename, exc.filename2) if isinstance(p, (str, bytes, os.PathLike))]
    return " → ".join(paths) or "（系统）"


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # The global options are flags, so the first other word names the command.
    command = next((arg for arg in argv if not arg.startswith("-")), None)
    if command is None:
        # only global options were given (python build.py --strict): they stay before the command
        command = DEFAULT_COMMAND
        argv.append(command)
    # Importing the command builds objects that live until exit (pypinyin's tables alone are
    # 200,000): the cyclic collector would scan them again and again, while they are built
    # and in every full collection that ingest's allocations trigger afterwards.
    gc.disable()
    try:
        args = build_parser(command).parse_args(argv)
    finally:
        gc.freeze()
        gc.enable()
    try:
        problems = args.module.run(args)
    except Abort as abort:
        problems = abort.problems
    except KeyboardInterrupt:
        print("已中断：已发布的内容没有被改动。", file=sys.stderr)
        return 130
    except OSError as exc:  # the file system said no (full, read-only, no permission): not a bug
        if args.verbose:
            traceback.print_exc()
        problems = Problems()
        problems.error(_where(exc), None, f"文件操作失败（{exc.strerror or exc}）：{_OS_HINTS.get(exc.errno, _OS_HINT)}")
    except Exception as exc:  # an internal bug, not bad input
        if args.verbose:
            traceback.print_exc()
        print(f"内部错误：{type(exc).__name__}: {exc}（加 --verbose 查看回溯，并请报告此问题）", file=sys.stderr)
        return 2
    print_problems(problems)
    failed = problems.has_errors(strict=args.strict)
    if problems.items:
        summary = f"{len(problems.errors)} 个错误，{len(problems.warnings)} 个警告"
        if args.strict and problems.warnings:
            summary += "（--strict：警告按错误处理）"
        print(summary, file=sys.stderr)
    return 1 if failed else 0
