"""Rendered bodies are reused between builds, rendered in parallel alike, and a damaged entry is redone."""
from __future__ import annotations

import shutil

import pytest

from gazette_site import content, parallel
from gazette_site.build import build
from gazette_site.problems import Abort, Problems
from gazette_site.render.body_cache import BodyCache
from gazette_site.render.site import Site
from render_fixtures import SEED_CONTENT, settings, unregistered_copy
from support import REPO_ROOT


def _site() -> Site:
    return Site(content.load(REPO_ROOT / "content", Problems()), settings(), Problems())


def _bodies(cache: BodyCache, site: Site) -> list:
    return [cache.body(d, site.mentioned[d.id], site.resolver) for d in site.archive.documents]


def test_second_build_reads_every_body_from_the_cache(tmp_path):
    site = _site()
    first = BodyCache(tmp_path, Problems())
    rendered = _bodies(first, site)
    assert first.hits == 0 and len(list(tmp_path.glob("*.pickle"))) == len(rendered)
    second = BodyCache(tmp_path, Problems())
    assert [b.html for b in _bodies(second, site)] == [b.html for b in rendered]
    assert second.hits == len(rendered)


def test_damaged_entry_is_dropped_with_a_warning(tmp_path):
    site = _site()
    _bodies(BodyCache(tmp_path, Problems()), site)
    damaged = sorted(tmp_path.glob("*.pickle"))[0]
    damaged.write_bytes(b"not a pickle")
    problems = Problems()
    cache = BodyCache(tmp_path, problems)
    again = _bodies(cache, site)
    assert cache.hits == len(again) - 1
    assert [p.path for p in problems.warnings] == [str(damaged)]
    assert all(b.html for b in again)


def test_a_changed_body_is_rendered_again(tmp_path):
    copy = tmp_path / "content"
    shutil.copytree(REPO_ROOT / "content", copy)
    site = Site(content.load(copy, Problems()), settings(), Problems())
    _bodies(BodyCache(tmp_path / "cache", Problems()), site)
    doc = site.archive.documents[0]
    doc.path.write_text(doc.path.read_text(encoding="utf-8") + "\n\n新增的一段。", encoding="utf-8")
    changed = content.load_document(doc.path, Problems())
    cache = BodyCache(tmp_path / "cache", Problems())
    body = cache.body(changed, site.mentioned[doc.id], site.resolver)
    assert cache.hits == 0 and "新增的一段。" in body.html


def test_a_body_changed_after_loading_is_an_error_not_a_stale_page(tmp_path):
    """An editor saving a file while a build runs: the build stops, naming the file, and publishes nothing."""
    copy, out = unregistered_copy(SEED_CONTENT, tmp_path / "content"), tmp_path / "out"
    build(copy, out, settings(), Problems(), search=False)
    published = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    edited = sorted(copy.rglob("*.md"))[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n\n修改后重新构建。", encoding="utf-8")
    body_line = content.load_document(edited, Problems()).body_line
    loaded = content.load

    def load_then_edit(*args, **kwargs):
        archive = loaded(*args, **kwargs)
        edited.write_text(edited.read_text(encoding="utf-8") + "\n\n保存于构建期间。", encoding="utf-8")
        return archive

    problems = Problems()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(content, "load", load_then_edit)
        with pytest.raises(Abort):
            build(copy, out, settings(), problems, search=False, cache_dir=tmp_path / "cache")
    assert [(p.path, p.line, p.message) for p in problems.errors] == [
        (str(edited), body_line, "构建期间文件正文被修改：请在编辑完成后重新构建")]
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == published


def test_parallel_rendering_gives_the_same_site(tmp_path, monkeypatch):
    """Worker processes (more documents than PARALLEL_FROM) and one process build the same bytes."""
    built, seed = {}, unregistered_copy(SEED_CONTENT, tmp_path / "content")
    for name, threshold in (("parallel", 1), ("serial", 10 ** 9)):
        monkeypatch.setattr(parallel, "PARALLEL_FROM", threshold)
        problems = Problems()
        build(seed, tmp_path / name, settings(), problems, search=False)
        assert not problems.has_errors()
        built[name] = {p.relative_to(tmp_path / name): p.read_bytes() for p in (tmp_path / name).rglob("*") if p.is_file()}
    assert built["parallel"] == built["serial"]
