import shutil

import pytest

from support import compare_trees, tree_digest


@pytest.fixture
def trees(tmp_path):
    first = tmp_path / "first"
    (first / "doc" / "a").mkdir(parents=True)
    (first / "index.html").write_bytes(b"<title>home</title>\n")
    (first / "doc" / "a" / "index.html").write_bytes("<title>文件</title>\n".encode())
    second = tmp_path / "second"
    shutil.copytree(first, second)
    return first, second


def test_identical_trees(trees):
    first, second = trees
    assert compare_trees(first, second) == []
    assert tree_digest(first) == tree_digest(second)


def test_one_changed_byte(trees):
    first, second = trees
    (second / "index.html").write_bytes(b"<title>home</title>\r\n")
    assert compare_trees(first, second) == ["differs: index.html"]
    assert tree_digest(first) != tree_digest(second)


def test_added_removed_and_renamed_files(trees):
    first, second = trees
    (second / "doc" / "a" / "index.html").rename(second / "doc" / "a" / "index.htm")
    (second / "empty").mkdir()
    assert compare_trees(first, second) == [
        f"only in {second}: doc/a/index.htm",
        f"only in {first}: doc/a/index.html",
        f"only in {second}: empty",
    ]
    assert tree_digest(first) != tree_digest(second)


def test_missing_tree_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        tree_digest(tmp_path / "public")
    with pytest.raises(FileNotFoundError):
        compare_trees(tmp_path, tmp_path / "public")
