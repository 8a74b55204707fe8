"""The staging copy: files are written in place of their links, and the published site never changes before the swap."""
from __future__ import annotations

import os
import stat

import pytest

from gazette_site import output
from gazette_site.output import OutputFile, Staging, published_files, record_dir, state_dir
from gazette_site.problems import Problems


def changed_since_published(out) -> set[str] | None:
    """What the build would make anew in ``out``; None: no usable record, or no output."""
    recorded = published_files(out)
    return None if recorded is None else output.changed_since_published(out, recorded)


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


def _published_by_an_older_version(out) -> None:
    """``out`` as a version before the state directory left it: its bookkeeping inside the site."""
    out.mkdir()
    for path, data in {"a.html": b"a", "gone.html": b"g", ".gazette-pages": b"", ".gazette-inputs": b"0" * 64}.items():
        (out / path).write_bytes(data)
    (out / ".gazette-manifest").write_text("a.html\ngone.html\n.gazette-pages\n", encoding="utf-8")


def test_an_output_an_older_version_published_loses_its_bookkeeping_and_is_made_anew(tmp_path):
    out = tmp_path / "public"
    _published_by_an_older_version(out)
    (out / "CNAME").write_bytes(b"gongbao.example")  # put there by hand: not the build's
    assert changed_since_published(out) is None and output.published_by_a_build(out)

    staging = Staging(out).prepare()
    assert staging.untrusted is None and not (staging.dir / "a.html").exists()
    staging.write(OutputFile("a.html", b"a"))
    staging.remove_stale()
    staging.commit()
    assert sorted(p.name for p in out.iterdir()) == ["CNAME", "a.html"]
    assert (out / "a.html").read_bytes() == b"a" and (out / "CNAME").read_bytes() == b"gongbao.example"
    assert changed_since_published(out) == set()


def test_a_first_build_into_an_empty_directory_trusts_what_is_there(tmp_path):
    out = tmp_path / "public"
    out.mkdir()
    assert Staging(out).prepare().untrusted == set()


def test_a_damaged_record_trusts_nothing(tmp_path):
    out = tmp_path / "public"
    _publish(out, {"a.html": b"a"})
    (record_dir(out) / "files").write_bytes(b"1 2 x a.html\n")
    assert changed_since_published(out) is None


def test_an_output_gone_since_is_not_trusted(tmp_path):
    out = tmp_path / "public"
    _publish(out, {"a.html": b"a"})
    for path in out.iterdir():
        path.unlink()
    out.rmdir()
    assert changed_since_published(out) is None


@pytest.mark.parametrize("version", ["this", "older"])
def test_paths_in_the_record_never_reach_outside_the_output(tmp_path, version):
    """A record lies beside the output (or, an older version's, in it), which whoever publishes can
    write: a path read from it that leaves the output is ignored, never deleted."""
    out, outside = tmp_path / "public", tmp_path / "outside.txt"
    outside.write_bytes(b"not the site's")
    if version == "this":
        _publish(out, {"a.html": b"a"})
        record, lines = record_dir(out) / "files", f"1 1 1 {outside}\n1 1 1 ../outside.txt\n"
    else:
        _published_by_an_older_version(out)
        record, lines = out / ".gazette-manifest", f"{outside}\n../outside.txt\n"
    record.write_text(record.read_text(encoding="utf-8") + lines, encoding="utf-8")
    _publish(out, {"a.html": b"a"})
    assert outside.read_bytes() == b"not the site's"


def test_a_record_left_staged_after_the_swap_is_put_in_place_by_the_next_build(tmp_path, monkeypatch):
    """The site is swapped in first, then its record: a build stopped between the two left the new
    site published, and the next one takes the staged record as the record of it."""
    out = tmp_path / "public"
    _publish(out, {"a.html": b"a", "b.html": b"b"})

    def stopped(staged, record):  # between removing the old record and renaming the new one
        output.remove_tree(record)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output, "_put_record", stopped)
    staging = Staging(out).prepare()
    for path, data in {"a.html": b"new", "b.html": b"b"}.items():
        staging.write(OutputFile(path, data))
    staging.remove_stale()
    problems = Problems()
    staging.commit(problems)
    assert (out / "a.html").read_bytes() == b"new" and "发布记录未能写入" in problems.warnings[0].message
    assert output.published_by_a_build(out)  # by the staged record: --out is not refused
    monkeypatch.undo()

    staging = Staging(out).prepare()
    assert staging.untrusted == set() and {p.name for p in staging.dir.iterdir()} == {"a.html", "b.html"}
    staging.discard()
    assert changed_since_published(out) == set()


def test_a_build_that_failed_leaves_the_record_as_it_was(tmp_path):
    out = tmp_path / "public"
    _publish(out, {"a.html": b"a"})
    record = (record_dir(out) / "files").read_bytes()
    staging = Staging(out).prepare()
    staging.write(OutputFile("a.html", b"new"))
    staging.write(OutputFile("inputs", b"0" * 64, state=True))
    staging.discard()
    assert sorted(p.name for p in state_dir(out).iterdir()) == ["published"]
    assert (record_dir(out) / "files").read_bytes() == record and changed_since_published(out) == set()
