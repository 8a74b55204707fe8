"""Loaded documents and parses kept between builds load the same archive, faster, and never hide a problem or an edit."""
from __future__ import annotations

import os
import shutil

from gazette_site import content, parallel, parse_cache
from gazette_site.parse_cache import ParseCache
from gazette_site.problems import Problems
from support import REPO_ROOT

CONTENT = REPO_ROOT / "content"


def _load(content_dir, cache_dir):
    problems = Problems()
    cache = ParseCache(cache_dir, problems)
    archive = content.load(content_dir, problems, cache.parse, cache.documents)
    cache.save()
    return archive, problems


def test_a_cached_load_equals_a_parsed_one_and_parses_nothing(tmp_path, monkeypatch):
    first, problems = _load(CONTENT, tmp_path)
    assert not problems.items and (tmp_path / parse_cache.FILE).is_file()
    assert first == content.load(CONTENT, Problems())

    def refuse(*args):
        raise AssertionError("parsed or read again")

    monkeypatch.setattr(content, "parse_yaml", refuse)
    monkeypatch.setattr(content, "load_document", refuse)
    again, problems = _load(CONTENT, tmp_path)
    assert not problems.items
    assert again == first


def test_each_use_gets_its_own_objects(tmp_path):
    cache = ParseCache(tmp_path, Problems())
    data, _ = cache.parse("issuers: [甲]\n", 2)
    data["issuers"].append("乙")
    assert cache.parse("issuers: [甲]\n", 2)[0] == {"issuers": ["甲"]}
    assert cache.parse("issuers: [甲]\n", 3)[1] == {"issuers": 3}  # key lines count from the first line


def test_problems_are_reported_again_with_their_lines(tmp_path):
    tree = tmp_path / "content"
    shutil.copytree(CONTENT, tree)
    doc = sorted((tree / "2023" / "1").glob("*.md"))[0]
    doc.write_text(doc.read_text(encoding="utf-8").replace("title:", "title: [", 1), encoding="utf-8")
    reports = [[str(p) for p in _load(tree, tmp_path / "cache")[1].errors] for _ in range(2)]
    assert reports[0] == reports[1] and reports[0] and f"{doc.name}:" in reports[0][0]


def test_a_damaged_or_outdated_cache_is_dropped(tmp_path, monkeypatch):
    first, _ = _load(CONTENT, tmp_path)
    stored = tmp_path / parse_cache.FILE
    stored.write_bytes(b"\x80\x05 not a pickle")
    again, problems = _load(CONTENT, tmp_path)
    assert again == first and [p.message for p in problems.warnings] == ["元数据缓存已损坏：已丢弃并重新读取"]
    monkeypatch.setattr(parse_cache, "_code", lambda: "another parser")
    parsed = []
    real = content.parse_yaml
    monkeypatch.setattr(content, "parse_yaml", lambda *args: parsed.append(args) or real(*args))
    again, problems = _load(CONTENT, tmp_path)
    assert again == first and not problems.items and len(parsed) == len(first.documents) + len(first.issues)


def test_an_edited_document_is_read_again_even_with_its_old_size_and_mtime(tmp_path):
    """A tool may put a file's mtime back (rsync -t, an archive unpacked); its ctime still moves."""
    tree = tmp_path / "content"
    shutil.copytree(CONTENT, tree)
    first, _ = _load(tree, tmp_path / "cache")
    doc = next(d for d in first.documents if "title: " in d.path.read_text(encoding="utf-8"))
    before = os.stat(doc.path)
    text = doc.path.read_text(encoding="utf-8")
    old_title = text.split("title: ", 1)[1].split("\n", 1)[0]
    new_title = "".join("甲" if len(c.encode()) == 3 else c for c in old_title)  # the same size
    assert new_title != old_title
    doc.path.write_text(text.replace(f"title: {old_title}", f"title: {new_title}", 1), encoding="utf-8")
    os.utime(doc.path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(doc.path).st_size == before.st_size
    again, problems = _load(tree, tmp_path / "cache")
    assert not problems.items
    assert next(d for d in again.documents if d.id == doc.id).title == new_title


def test_documents_loaded_by_workers_come_back_in_order_with_their_problems(tmp_path, monkeypatch):
    tree = tmp_path / "content"
    shutil.copytree(CONTENT, tree)
    paths = sorted((tree / "2023" / "1").glob("*.md"))
    for broken, damage in ((paths[1], ("title:", "title: [")), (paths[6], ("order:", "order: 零"))):
        broken.write_text(broken.read_text(encoding="utf-8").replace(*damage, 1), encoding="utf-8")
    loads = {}
    for name, threshold in (("workers", 1), ("this process", 10 ** 9)):
        monkeypatch.setattr(parallel, "PARALLEL_FROM", threshold)
        loads[name] = _load(tree, tmp_path / name)
    (archive, problems), (serial_archive, serial_problems) = loads["workers"], loads["this process"]
    assert archive == serial_archive and len(archive.documents) == len(paths) - 2
    assert [str(p) for p in problems.items] == [str(p) for p in serial_problems.items]
    assert [p.path for p in problems.errors] == [str(paths[1]), str(paths[6])]


def test_documents_of_an_issue_that_does_not_load_are_loaded_on_workers_but_not_reported(tmp_path, monkeypatch):
    """The documents load on other cores while this process reads the issues, so those of a broken
    issue.yaml are loaded too: their problems are not reported, with workers or without."""
    tree = tmp_path / "content"
    shutil.copytree(CONTENT, tree)
    issue_file = tree / "2023" / "1" / "issue.yaml"
    issue_file.write_text(issue_file.read_text(encoding="utf-8").replace("year:", "year: [", 1), encoding="utf-8")
    broken = sorted((tree / "2023" / "1").glob("*.md"))[2]
    broken.write_text(broken.read_text(encoding="utf-8").replace("title:", "title: [", 1), encoding="utf-8")
    reported = {}
    for name, threshold in (("workers", 1), ("this process", 10 ** 9)):
        monkeypatch.setattr(parallel, "PARALLEL_FROM", threshold)
        archive, problems = _load(tree, tmp_path / name)
        assert archive.issues == []
        reported[name] = [str(p) for p in problems.items]
    assert reported["workers"] == reported["this process"]
    assert [p.split(":")[0] for p in reported["workers"]] == [str(issue_file)]
