"""The staging copy: files are written in place of their links, and the published site never changes before the swap."""
from __future__ import annotations

import os
import stat

from gazette_site.output import OutputFile, Staging


def _publish(out, files: dict[str, bytes]) -> Staging:
    staging = Staging(out).prepare()
    for path, data in files.items():
        staging.write(OutputFile(path, data))
    staging.remove_stale()
    staging.commit()
    return staging


def test_a_rebuild_writes_changed_files_anew_and_keeps_the_rest_linked(tmp_path):
    out = tmp_path / "public"
    _publish(out, {"index.html": b"home", "doc/a/index.html": b"old", "doc/b/index.html": b"same"})
    published_a, published_b = out / "doc/a/index.html", out / "doc/b/index.html"
    inode_b = published_b.stat().st_ino

    staging = Staging(out).prepare()
    for path, data in {"index.html": b"home", "doc/a/index.html": b"new", "doc/b/index.html": b"same",
                       "doc/c/index.html": b"added", "doc/c.json": b"{}"}.items():
        staging.write(OutputFile(path, data))
    assert published_a.read_bytes() == b"old"  # linked into the staging copy, yet untouched
    assert (staging.written, staging.unchanged) == (3, 2)
    staging.remove_stale()
    staging.commit()

    assert published_a.read_bytes() == b"new" and (out / "doc/c/index.html").read_bytes() == b"added"
    assert published_b.stat().st_ino == inode_b


def test_staged_files_are_readable_by_everyone_whatever_the_umask(tmp_path):
    previous = os.umask(0o077)
    try:
        _publish(tmp_path / "public", {"doc/a/index.html": b"a"})
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "public/doc/a/index.html").stat().st_mode) == 0o644


def test_a_link_in_the_published_site_is_replaced_not_followed(tmp_path):
    out = tmp_path / "public"
    _publish(out, {"index.html": b"home"})
    elsewhere = tmp_path / "elsewhere.html"
    elsewhere.write_bytes(b"not the site's")
    (out / "linked.html").symlink_to(elsewhere)
    (out / "dangling.html").symlink_to(tmp_path / "missing.html")

    _publish(out, {"index.html": b"home", "linked.html": b"page", "dangling.html": b"page"})
    assert elsewhere.read_bytes() == b"not the site's"
    for name in ("linked.html", "dangling.html"):
        assert not (out / name).is_symlink() and (out / name).read_bytes() == b"page"


def test_a_path_written_twice_in_one_build_keeps_the_last_bytes(tmp_path):
    staging = _publish(tmp_path / "public", {"a.html": b"first", "b.html": b"b"})
    staging = Staging(tmp_path / "public").prepare()
    for data in (b"second", b"third", b"third"):
        staging.write(OutputFile("new.html", data))
    assert (staging.dir / "new.html").read_bytes() == b"third" and (staging.written, staging.unchanged) == (2, 1)
    staging.discard()
