"""The Jinja2 environment: autoescape on, and a typo in a template fails the build."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import jinja2


def cn_date(value: dt.date | None) -> str:
    return "" if value is None else f"{value.year}年{value.month}月{value.day}日"


def issue_label(year: int, number: int) -> str:
    return f"{year}年第{number}期"


def make_env(templates: Path, cache_dir: Path | None = None) -> jinja2.Environment:
    """``cache_dir`` keeps compiled templates between builds (keyed by their source)."""
    bytecode_cache = None
    if cache_dir is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)
        bytecode_cache = jinja2.FileSystemBytecodeCache(str(cache_dir))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        bytecode_cache=bytecode_cache,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one build, one set of templates: no stat of the file at every page
    )
    env.filters["cn_date"] = cn_date
    env.globals["issue_label"] = issue_label
    return env
