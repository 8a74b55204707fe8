"""``python build.py serve``: the site previewed on 127.0.0.1, rebuilt and reloaded on every change."""
from __future__ import annotations

import argparse

from .. import TEMPLATES
from ..build import build
from ..preview import serve
from ..problems import Abort, Problems
from . import print_problems
from .options import Project, add_project_arguments

PREVIEW = "preview"  # in the cache: a preview never touches the published site or the permalink registry


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_arguments(parser)
    parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000；0 表示任选一个空闲端口）")


def run(args: argparse.Namespace) -> Problems:
    problems = Problems()
    project = Project(args, problems)
    settings, content_dir, preview = project.settings, project.content, project.cache / PREVIEW

    def rebuild() -> bool:
        attempt = Problems()
        try:
            report = build(content_dir, preview, settings, attempt, cache_dir=project.cache)
        except Abort:
            report = None
        print_problems(attempt)
        if report is not None:
            print(report.describe(preview), flush=True)
        return report is not None and not report.up_to_date

    if not rebuild() and not preview.exists():
        return problems
    try:
        serve(preview, args.port, [content_dir, TEMPLATES, args.settings], rebuild)
    except KeyboardInterrupt:
        pass
    return problems
