"""Built sites shared by the render tests: the hand-made mini archive and,
once ingest has produced it, the seed issue in content/.

Test modules import the fixtures they use from here. Sites are built once
per session, without search (that stage has its own tests).
"""
from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path

import pytest

from gazette_site.build import build
from gazette_site.problems import Problems
from gazette_site.render import TEMPLATES
from gazette_site.settings import Settings
from support import REPO_ROOT

MINI_CONTENT = REPO_ROOT / "tests" / "fixtures" / "content-mini"
SEED_CONTENT = REPO_ROOT / "content"
SEED_ISSUE = SEED_CONTENT / "2023" / "1"
GOLDEN = REPO_ROOT / "tests" / "golden"
# Hosted under a sub-path on purpose: every page must work there.
BASE_URL = "https://gongbao.example.gov.cn/archive/"
UPDATE_GOLDEN = os.environ.get("GAZETTE_UPDATE_GOLDEN") == "1"

SETTINGS = Settings(
    base_url=BASE_URL, site_name="新洲区人民政府公报", publisher="武汉市新洲区人民政府",
    language="zh-CN", footer_note="", content_dir="content", output_dir="public", search_segment_documents=256,
)


def settings(**changes) -> Settings:
    return dataclasses.replace(SETTINGS, **changes)


def build_site(content: Path, out: Path, site_settings: Settings = SETTINGS, templates: Path = TEMPLATES) -> Problems:
    problems = Problems()
    build(content, out, site_settings, problems, search=False, templates=templates)
    assert not problems.has_errors(), [str(p) for p in problems]
    return problems


def require_seed() -> None:
    if not (SEED_ISSUE / "issue.yaml").is_file():
        pytest.skip("content/2023/1 has not been ingested yet")


@pytest.fixture(scope="session")
def mini_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("mini-site")
    build_site(MINI_CONTENT, out)
    return out


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory) -> Path:
    require_seed()
    out = tmp_path_factory.mktemp("seed-site")
    build_site(unregistered_copy(SEED_CONTENT, tmp_path_factory.mktemp("seed-content") / "content"), out)
    return out


def unregistered_copy(source: Path, target: Path) -> Path:
    """Content without its permalink registry, which lists /search/: the render tests build without search."""
    return Path(shutil.copytree(source, target, ignore=shutil.ignore_patterns("permalinks.txt")))
