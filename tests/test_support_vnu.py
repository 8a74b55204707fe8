from support import vnu_check

VALID = '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>公报</title></head>\n<body><p>正文</p></body></html>\n'


def test_valid_pages_give_no_errors(tmp_path):
    (tmp_path / "doc").mkdir()
    (tmp_path / "index.html").write_text(VALID, encoding="utf-8")
    (tmp_path / "doc" / "a.html").write_text(VALID, encoding="utf-8")
    assert vnu_check([tmp_path]) == []


def test_invalid_page_gives_errors_with_file_and_line(tmp_path):
    (tmp_path / "good.html").write_text(VALID, encoding="utf-8")
    bad = tmp_path / "文件 1.html"  # a name that the checker reports as a percent-encoded URL
    bad.write_text(VALID.replace("<p>正文</p>", '\n<div><span></div>\n<img src="a.png">'), encoding="utf-8")
    errors = vnu_check([tmp_path / "good.html", bad])
    assert {error.file for error in errors} == {bad}
    assert {error.line for error in errors} == {4, 5}
    assert any("alt" in error.message for error in errors)
    assert str(errors[0]).startswith(f"{bad}:")
