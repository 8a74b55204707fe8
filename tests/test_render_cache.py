"""Rendered bodies are reused between builds, rendered in parallel alike, and a damaged entry is redone."""
from __future__ import annotations

from gazette_site import content
from gazette_site.problems import Problems
from gazette_site.render.body_cache import BodyCache, document_link, render_all
from gazette_site.render.markdown import render_body
from gazette_site.render.xref import Resolver
from support import REPO_ROOT


def _jobs():
    archive = content.load(REPO_ROOT / "content", Problems())
    return [(d.body, d.id) for d in archive.documents], Resolver(archive)


def test_second_build_reads_every_body_from_the_cache(tmp_path):
    jobs, resolver = _jobs()
    first = BodyCache(tmp_path, Problems())
    rendered = first.bodies(jobs, resolver)
    assert first.hits == 0 and len(list(tmp_path.glob("*.pickle"))) == len(jobs)
    second = BodyCache(tmp_path, Problems())
    assert [b.html for b in second.bodies(jobs, resolver)] == [b.html for b in rendered]
    assert second.hits == len(jobs)


def test_damaged_entry_is_dropped_with_a_warning(tmp_path):
    jobs, resolver = _jobs()
    BodyCache(tmp_path, Problems()).bodies(jobs, resolver)
    damaged = sorted(tmp_path.glob("*.pickle"))[0]
    damaged.write_bytes(b"not a pickle")
    problems = Problems()
    cache = BodyCache(tmp_path, problems)
    again = cache.bodies(jobs, resolver)
    assert cache.hits == len(jobs) - 1
    assert [p.path for p in problems.warnings] == [str(damaged)]
    assert all(b.html for b in again)


def test_a_changed_body_is_rendered_again(tmp_path):
    jobs, resolver = _jobs()
    BodyCache(tmp_path, Problems()).bodies(jobs, resolver)
    text, doc_id = jobs[0]
    cache = BodyCache(tmp_path, Problems())
    [body] = cache.bodies([(text + "\n\n新增的一段。", doc_id)], resolver)
    assert cache.hits == 0 and "新增的一段。" in body.html


def test_parallel_rendering_gives_the_same_html():
    jobs, resolver = _jobs()
    many = jobs * 5  # enough to start worker processes
    parallel = render_all(many, resolver)
    serial = [render_body(text, doc_id, resolver, document_link) for text, doc_id in many]
    assert [b.html for b in parallel] == [b.html for b in serial]
    assert [b.headings for b in parallel] == [b.headings for b in serial]
