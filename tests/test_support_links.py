import pytest

from support import check_links


def write(path, html):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")


@pytest.fixture
def site(tmp_path):
    """A small site whose every link works, hosted at /archive/."""
    write(tmp_path / "style.css", "")
    write(tmp_path / "img" / "a.png", "")
    write(tmp_path / "img" / "a@2x.png", "")
    write(
        tmp_path / "index.html",
        '<link rel="stylesheet" href="style.css"><a href="doc/xinzhengfa-2023-1/#fujian-1">附件</a>'
        '<a href="/archive/doc/xinzhengfa-2023-1/">root-relative</a><a href="doc/xinzhengfa-2023-1">no slash</a>'
        '<a href="#top" id="top">top</a><a href="#">#</a><a href="https://example.org/">ext</a>'
        '<a href="mailto:a@example.org">mail</a><a href="search/?q=%E5%85%AC%E6%8A%A5">query</a>'
        '<img src="img/a.png" srcset="img/a.png 1x, img/a@2x.png 2x" alt="">',
    )
    write(tmp_path / "search" / "index.html", '<a href="../index.html"><a name="old-anchor"></a>')
    write(
        tmp_path / "doc" / "xinzhengfa-2023-1" / "index.html",
        '<h2 id="fujian-1">附件1</h2><a href="../../search/#old-anchor">back</a>'
        '<a href="%E9%99%84%E4%BB%B6.html#%E4%B8%80">encoded</a>',
    )
    write(tmp_path / "doc" / "xinzhengfa-2023-1" / "附件.html", '<p id="一">一</p>')
    return tmp_path


def test_working_links_are_not_reported(site):
    assert check_links(site, base_path="/archive/") == []


def test_reports_each_kind_of_broken_link(site):
    write(
        site / "doc" / "broken.html",
        '<a href="missing/">missing dir</a>\n'
        '<a href="xinzhengfa-2023-1/#fujian-9">missing anchor</a>\n'
        '<a href="javascript:void(0)">js</a>\n'
        '<a href="/doc/xinzhengfa-2023-1/">leaves the base path</a>\n'
        '<img srcset="../img/a.png 1x, ../img/b@2x.png 2x" alt="">\n'
        '<script src="../app.js"></script>\n'
        '<a href="">empty</a>\n'
        '<a href="file:///etc/passwd">file</a>\n'
        '<a href="#nowhere">same page</a>\n',
    )
    found = {(link.line, link.reason.split()[0]) for link in check_links(site, base_path="/archive/")}
    assert found == {
        (1, "no"), (2, "no"), (3, "javascript:"), (4, "outside"), (5, "no"),
        (6, "no"), (7, "empty"), (8, "unexpected"), (9, "no"),
    }


def test_report_names_source_line_and_reason(site):
    write(site / "doc" / "broken.html", '\n<a href="xinzhengfa-2023-1/#fujian-9">x</a>')
    [link] = check_links(site, base_path="/archive/")
    assert (link.source, link.line, link.url) == ("doc/broken.html", 2, "xinzhengfa-2023-1/#fujian-9")
    assert str(link) == (
        "doc/broken.html:2: xinzhengfa-2023-1/#fujian-9 — no id 'fujian-9' in doc/xinzhengfa-2023-1/index.html"
    )


def test_root_relative_links_depend_on_the_base_path(site):
    # Hosted at the domain root, /archive/… no longer exists.
    assert [link.url for link in check_links(site)] == ["/archive/doc/xinzhengfa-2023-1/"]


def test_a_site_rebuilt_in_place_is_read_again(site):
    assert check_links(site, base_path="/archive/") == []
    write(site / "doc" / "xinzhengfa-2023-1" / "index.html", '<a href="../../search/#old-anchor">back</a>')
    assert [link.url for link in check_links(site, base_path="/archive/")] == ["doc/xinzhengfa-2023-1/#fujian-1"]


def test_nothing_to_check_is_an_error(tmp_path):
    with pytest.raises(ValueError):
        check_links(tmp_path)
