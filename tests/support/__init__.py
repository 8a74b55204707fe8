"""Shared test helpers: serving built sites, the browser, HTML validation,
accessibility, links and byte-for-byte tree comparison.

Tests import them as ``from support import ...`` (pytest puts tests/ on the
path); the fixtures built on them are in tests/conftest.py.
"""
from .browser import axe_check, describe_violations, launch_chromium, serious_violations
from .links import BrokenLink, check_links
from .server import ServedSite, serve_directory
from .tools import REPO_ROOT, unavailable
from .trees import compare_trees, tree_digest
from .vnu import VnuMessage, vnu_check

__all__ = [
    "REPO_ROOT",
    "BrokenLink",
    "ServedSite",
    "VnuMessage",
    "axe_check",
    "check_links",
    "compare_trees",
    "describe_violations",
    "launch_chromium",
    "serious_violations",
    "serve_directory",
    "tree_digest",
    "unavailable",
    "vnu_check",
]
