import urllib.error
import urllib.request

import pytest

from support import serve_directory


@pytest.fixture
def site(tmp_path):
    (tmp_path / "doc" / "a").mkdir(parents=True)
    (tmp_path / "pagefind").mkdir()
    (tmp_path / "index.html").write_text("<title>home</title>", encoding="utf-8")
    (tmp_path / "doc" / "a" / "index.html").write_text("<title>文件</title>", encoding="utf-8")
    (tmp_path / "404.html").write_text("<title>找不到</title>", encoding="utf-8")
    (tmp_path / "pagefind" / "pagefind.js").write_text("export {}", encoding="utf-8")
    (tmp_path / "pagefind" / "wasm.unknown.pagefind").write_bytes(b"\0")
    (tmp_path / "pagefind" / "pagefind.en_1.pf_meta").write_bytes(b"\0")
    (tmp_path / "pagefind" / "pagefind-entry.json").write_text("{}", encoding="utf-8")
    (tmp_path / "pagefind" / "x.wasm").write_bytes(b"\0asm")
    return tmp_path


def fetch(url):
    """(status, content type, body, final URL), 4xx answers included."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read().decode(), response.url
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode(), url


def test_serves_directories_as_index_and_redirects_without_slash(site):
    with serve_directory(site) as served:
        assert served.url.startswith("http://127.0.0.1:") and served.url.endswith("/")
        assert fetch(served.url)[2] == "<title>home</title>"
        status, content_type, body, final = fetch(served.url + "doc/a")
        assert (status, body, final) == (200, "<title>文件</title>", served.url + "doc/a/")
        assert content_type == "text/html; charset=utf-8"
        assert ("GET", "/doc/a", 301) in served.requests


@pytest.mark.parametrize(
    "name, content_type",
    [
        ("pagefind.js", "text/javascript; charset=utf-8"),
        ("wasm.unknown.pagefind", "application/octet-stream"),
        ("pagefind.en_1.pf_meta", "application/octet-stream"),
        ("pagefind-entry.json", "application/json"),
        ("x.wasm", "application/wasm"),
    ],
)
def test_content_types(site, name, content_type):
    with serve_directory(site) as served:
        assert fetch(served.url + "pagefind/" + name)[:2] == (200, content_type)


def test_missing_file_gets_the_sites_404_page(site):
    with serve_directory(site) as served:
        assert fetch(served.url + "doc/missing/")[:3] == (404, "text/html; charset=utf-8", "<title>找不到</title>")
        assert ("GET", "/doc/missing/", 404) in served.requests


def test_missing_file_without_404_page(site):
    (site / "404.html").unlink()
    with serve_directory(site) as served:
        assert fetch(served.url + "nothing.html")[0] == 404


def test_sub_path_prefix(site):
    with serve_directory(site, prefix="/archive/") as served:
        root = served.url.removesuffix("archive/")
        assert served.url.endswith("/archive/")
        assert fetch(served.url + "doc/a/")[:3] == (200, "text/html; charset=utf-8", "<title>文件</title>")
        assert fetch(root + "archive")[3] == served.url
        # The site is not visible outside its prefix, as on a shared host.
        assert fetch(root + "doc/a/")[0] == 404
        assert fetch(root + "archived/doc/a/")[0] == 404


def test_stops_serving_when_the_block_ends(site):
    with serve_directory(site) as served:
        url = served.url
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url, timeout=5)


def test_refuses_a_missing_directory(tmp_path):
    with pytest.raises(FileNotFoundError):
        with serve_directory(tmp_path / "public"):
            pass
