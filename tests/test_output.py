"""The staging copy: files are written in place of their links, and the published site never changes before the swap."""
from __future__ import annotations

import os
import stat

from gazette_site.output import OutputFile, Staging, changed_since_published


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


def test_files_changed_since_they_were_published_are_not_kept(tmp_path):
    """Edited, replaced or deleted in the output after the build: dropped from the staging copy, so the
    build makes them anew; the rest stays linked."""
    out = tmp_path / "public"
    files = {"a.html": b"a", "b.html": b"b", "c.html": b"c", "d.html": b"d"}
    _publish(out, files)
    (out / "a.html").write_bytes(b"edited by hand")
    (tmp_path / "b.html").write_bytes(b"b")
    os.replace(tmp_path / "b.html", out / "b.html")  # the same bytes, another file
    (out / "c.html").unlink()
    assert changed_since_published(out) == {"a.html", "b.html", "c.html"}

    staging = Staging(out).prepare()
    assert staging.untrusted == {"a.html", "b.html", "c.html"}
    assert sorted(p.name for p in staging.dir.iterdir() if not p.name.startswith(".")) == ["d.html"]
    assert (staging.dir / "d.html").stat().st_ino == (out / "d.html").stat().st_ino
    for path, data in files.items():
        staging.write(OutputFile(path, data))
    assert (staging.written, staging.unchanged) == (3, 1)
    staging.remove_stale()
    staging.commit()
    assert {path: (out / path).read_bytes() for path in files} == files
    assert changed_since_published(out) == set()


def test_a_changed_file_the_build_no_longer_makes_is_removed_and_counted(tmp_path):
    out = tmp_path / "public"
    _publish(out, {"a.html": b"a", "b.html": b"b"})
    (out / "b.html").write_bytes(b"edited")
    staging = _publish(out, {"a.html": b"a"})
    assert staging.removed == 1 and not (out / "b.html").exists()


def test_without_a_record_every_file_the_build_made_is_made_anew_and_others_stay(tmp_path):
    out = tmp_path / "public"
    _publish(out, {"a.html": b"a"})
    (out / "CNAME").write_bytes(b"gongbao.example")  # put there by hand: not the build's
    for record in tmp_path.glob(".public.published"):
        record.unlink()
    assert changed_since_published(out) is None

    staging = Staging(out).prepare()
    assert staging.untrusted is None and not (staging.dir / "a.html").exists()
    staging.write(OutputFile("a.html", b"a"))
    staging.remove_stale()
    staging.commit()
    assert (out / "a.html").read_bytes() == b"a" and (out / "CNAME").read_bytes() == b"gongbao.example"
    assert changed_since_published(out) == set()


def test_a_first_build_into_an_empty_directory_trusts_what_is_there(tmp_path):
    out = tmp_path / "public"
    out.mkdir()
    assert Staging(out).prepare().untrusted == set()


def test_a_damaged_record_trusts_nothing(tmp_path):
    out = tmp_path / "public"
    _publish(out, {"a.html": b"a"})
    (tmp_path / ".public.published").write_bytes(b"1 2 x a.html\n")
    assert changed_since_published(out) is None


def test_an_output_gone_since_is_not_trusted(tmp_path):
    out = tmp_path / "public"
    _publish(out, {"a.html": b"a"})
    for path in out.iterdir():
        path.unlink()
    out.rmdir()
    assert changed_since_published(out) is None


def test_paths_in_the_record_and_manifest_never_reach_outside_the_output(tmp_path):
    """Both lie in or beside the output, which whoever publishes can write: a path read from them
    that leaves the output is ignored, never deleted."""
    out, outside = tmp_path / "public", tmp_path / "outside.txt"
    _publish(out, {"a.html": b"a"})
    outside.write_bytes(b"not the site's")
    record = tmp_path / ".public.published"
    record.write_text(record.read_text(encoding="utf-8") + f"1 1 1 {outside}\n1 1 1 ../outside.txt\n", encoding="utf-8")
    manifest = out / ".gazette-manifest"
    manifest.write_text(manifest.read_text(encoding="utf-8") + f"{outside}\n../outside.txt\n", encoding="utf-8")
    staging = _publish(out, {"a.html": b"a"})
    assert outside.read_bytes() == b"not the site's" and staging.removed == 0
