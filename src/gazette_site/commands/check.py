"""``python build.py check``: validate settings, content, templates and permalinks, write nothing."""
from __future__ import annotations

import argparse

from ..build import check
from ..problems import Problems
from .options import Project, add_project_arguments


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_arguments(parser)


def run(args: argparse.Namespace) -> Problems:
    problems = Problems()
    project = Project(args, problems)
    report = check(project.content, project.settings, problems, project.cache)
    if report is not None:
        print(report.describe())
    return problems
