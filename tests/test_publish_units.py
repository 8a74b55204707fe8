"""Feeds, sitemap, open data and the permalink registry, on the seed archive."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import feedparser
import jsonschema
import pytest

from gazette_site import content, schema
from gazette_site.content import DOCUMENT_FIELDS
from gazette_site.model import Document
from gazette_site.problems import Problems
from gazette_site.publish import permalinks
from gazette_site.render import discovery, feeds, opendata
from render_fixtures import settings

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def archive():
    problems = Problems()
    loaded = content.load(REPO / "content", problems)
    assert not problems.errors, [str(p) for p in problems]
    return loaded


@pytest.fixture(scope="module")
def site_settings():
    return settings(base_url="https://example.org/gongbao/")


def test_atom_feed_is_valid_and_newest_first(archive, site_settings):
    files = dict(feeds.feed_files(archive, site_settings, "新洲区人民政府公报"))
    assert set(files) == {"feed.xml", "category/qujiwenjian/feed.xml", "category/zhengwujianxun/feed.xml",
                          "category/renshirenmian/feed.xml", "category/dashiji/feed.xml"}
    parsed = feedparser.parse(files["feed.xml"])
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.feed.updated.startswith("2023-03-29")
    assert len(parsed.entries) == 10
    dates = [entry.updated for entry in parsed.entries]
    assert dates == sorted(dates, reverse=True)
    first = parsed.entries[0]
    assert first.link.startswith("https://example.org/gongbao/doc/")
    category = feedparser.parse(files["category/zhengwujianxun/feed.xml"])
    assert [e.title for e in category.entries] == [
        "区人民政府办公室关于成立区儿童友好城区建设工作领导小组的通知",
        "区人民政府办公室关于成立武汉都市圈环线新洲段工程协调工作专班的通知",
    ]


def test_feed_is_deterministic(archive, site_settings):
    assert feeds.feed_files(archive, site_settings, "x") == feeds.feed_files(archive, site_settings, "x")


def test_sitemap_splits_past_the_limit():
    paths = [f"doc/d{n}/" for n in range(5)]
    single = discovery.sitemap_files("https://e.org/", paths)
    assert [p for p, _ in single] == ["sitemap.xml"] and single[0][1].count("<loc>") == 5
    split = dict(discovery.sitemap_files("https://e.org/", paths, limit=2))
    assert list(split) == ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"]
    assert "<sitemapindex" in split["sitemap.xml"] and split["sitemap.xml"].count("<loc>") == 3
    assert "Sitemap: https://e.org/sitemap.xml" in discovery.robots("https://e.org/")


def test_issues_data_carries_source_checksums(archive, site_settings):
    data = json.loads(opendata.issues_json(archive, site_settings))
    source = data["issues"][0]["source"]
    assert source["sha256"] == "9f2a098f85ac3b6b0597858fc14c921dc20118fafd6ada44c3dc4ce791582782"
    assert source["url"] == "https://example.org/gongbao/2023/1/source.txt"
    assert len(data["issues"][0]["documents"]) == 10


def test_the_schema_is_made_from_the_field_table():
    """The committed schema is what the one table of front-matter fields makes (python -m gazette_site.schema)."""
    assert schema.SCHEMA_FILE.read_text(encoding="utf-8") == schema.schema_text()
    document = schema.documents_schema()["$defs"]["document"]["properties"]
    published = {name for name, field in DOCUMENT_FIELDS.items() if field.published}
    assert published <= set(document)
    # every field is a field of the model that render and search read
    assert set(DOCUMENT_FIELDS) <= {f.name for f in dataclasses.fields(Document)}


def test_documents_schema_accepts_good_and_rejects_bad():
    published = json.loads(schema.SCHEMA_FILE.read_text(encoding="utf-8"))
    good = {"id": "xinzhengfa-2023-1", "url": "https://e.org/doc/xinzhengfa-2023-1/", "title": "标题",
            "doc_number": "新政发〔2023〕1号", "issuer": ["武汉市新洲区人民政府"], "date": "2023-01-10",
            "category": "区级文件选登", "issue": {"gazette": "公报", "year": 2023, "number": 1, "url": "https://e.org/2023/1/"},
            "page": 1, "page_end": 2, "order": 1, "addressee": None, "attachments": [],
            "corrections": [{"date": "2024-03-01", "original": "郝城", "corrected": "邾城", "reason": "误识"}],
            "cites": [], "cited_by": [], "source": {"url": "https://e.org/2023/1/source.txt", "lines": [1, 9]},
            "citation": "某. 标题[J/OL]."}
    jsonschema.validate({"site": "s", "url": "https://e.org/", "documents": [good]}, published)
    for decree in ("政府令〔2010〕第15号", "河北省人民政府令第119号", "赤政发〔2003〕068号"):
        jsonschema.validate({"site": "s", "url": "https://e.org/", "documents": [{**good, "doc_number": decree}]}, published)
    for broken in ({**good, "id": "../etc"}, {**good, "doc_number": "新政发[2023]1号"}, {**good, "date": "2023年1月10日"},
                   {key: value for key, value in good.items() if key != "page_end"}, {**good, "colour": "red"},
                   {**good, "corrections": [{"date": "2024-03-01", "original": "郝城", "corrected": "邾城"}]}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({"site": "s", "url": "https://e.org/", "documents": [broken]}, published)


def test_registry_names_a_url_that_would_break(tmp_path):
    registry = tmp_path / permalinks.REGISTRY
    registry.write_text(permalinks.registry_text({"", "doc/a/", "doc/b/", "doc/b.json"}), encoding="utf-8")
    problems = Problems()
    registered = permalinks.read_registry(registry, problems)
    permalinks.check(registered, {"", "doc/a/", "doc/b.json"}, {}, registry, tmp_path / permalinks.REDIRECTS, problems)
    assert [(p.line, "/doc/b/" in p.message) for p in problems.errors] == [(registered["doc/b/"], True)]


def test_declared_redirect_keeps_the_url_working(tmp_path):
    redirects_file = tmp_path / permalinks.REDIRECTS
    redirects_file.write_text("/doc/b/: /doc/c/\n/doc/b.json: /doc/c.json\n", encoding="utf-8")
    problems = Problems()
    redirects = permalinks.read_redirects(redirects_file, problems)
    produced = {"doc/a/": b"", "doc/c/": b"", "doc/c.json": b"{}"}
    permalinks.check({"doc/b/": 3, "doc/b.json": 4}, set(produced), redirects, tmp_path / "r.txt", redirects_file, problems)
    assert not problems.errors
    files = dict(permalinks.redirect_files(redirects, set(produced), produced.__getitem__, "https://e.org/"))
    page = files["doc/b/index.html"].decode()
    assert 'http-equiv="refresh" content="0; url=../c/"' in page and 'rel="canonical" href="https://e.org/doc/c/"' in page
    assert files["doc/b.json"] == b"{}"


def test_bad_redirects_are_reported(tmp_path):
    redirects_file = tmp_path / permalinks.REDIRECTS
    redirects_file.write_text("/doc/a/: /doc/missing/\ndoc/x: /y/\n/doc/z/: [1]\n", encoding="utf-8")
    problems = Problems()
    redirects = permalinks.read_redirects(redirects_file, problems)
    permalinks.check({}, {"doc/a/"}, redirects, tmp_path / "r.txt", redirects_file, problems)
    assert sorted(p.line for p in problems.errors) == [1, 2, 3]
