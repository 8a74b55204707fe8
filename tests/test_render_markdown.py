"""Document bodies: safe Markdown, stable heading ids, sections, tables, 发文字号 links."""
from __future__ import annotations

import re
import shutil

import pytest
from hypothesis import given, settings, strategies as st
from markdown_it import rules_block, rules_core
from markdown_it.token import Token

from gazette_site import content
from gazette_site.problems import Problems
from gazette_site.render.markdown import chinese_number, heading_key, markdown, render_body, validate_link
from gazette_site.render.table import CELLS, split_cells
from gazette_site.render.xref import Resolver, cited_by, mentioned
from render_fixtures import MINI_CONTENT, SEED_CONTENT


def html(text: str, resolver=None, doc_id="self") -> str:
    return render_body(text, doc_id, resolver, lambda target: f"../{target}/").html


@pytest.fixture(scope="module")
def archive():
    return content.load(MINI_CONTENT, Problems())


def test_raw_html_is_shown_as_text():
    assert html("原文 <b>加粗</b> <script>alert(1)</script>") == \
        "<p>原文 &lt;b&gt;加粗&lt;/b&gt; &lt;script&gt;alert(1)&lt;/script&gt;</p>\n"


@pytest.mark.parametrize("url, allowed", [
    ("https://www.gov.cn/", True), ("http://x.cn/a", True), ("mailto:a@b.cn", True),
    ("../doc/x/", True), ("#fujian-1", True), ("javascript:alert(1)", False),
    ("JavaScript:alert(1)", False), ("data:text/html,x", False), ("file:///etc/passwd", False),
    ("vbscript:x", False), ("ftp://x", False),
])
def test_links_are_limited_to_http_mailto_and_relative(url, allowed):
    assert validate_link(url) is allowed
    rendered = html(f"[链接]({url})")
    assert ("<a href=" in rendered) is allowed


def test_attribute_blocks_cannot_add_event_handlers_or_change_link_targets():
    rendered = html("{onclick=alert .x #y data-date=2023-01-01 style=color:red}\n"
                    "段落 [a](https://x.cn){href=javascript:y onmouseover=z}")
    assert rendered == '<p id="y" data-date="2023-01-01" class="x">段落 <a href="https://x.cn" rel="noopener noreferrer">a</a></p>\n'



@pytest.mark.parametrize("text, number", [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23),
                                          ("一百零五", 105), ("7", 7)])
def test_chinese_numbers(text, number):
    assert chinese_number(text) == number


@pytest.mark.parametrize("heading, key", [
    ("一、总体要求", "1"), ("（三）工作措施", "3"), ("(3)工作措施", "3"), ("12.加强宣传", "12"),
    ("（12）加强宣传", "12"), ("第二章 养护责任", "zhang2"), ("第十条 附则", "tiao10"),
    ("附件2 责任表", "fujian2"), ("名词解释", "mcjs"), ("政府工作报告", "zfgzbg"),
])
def test_heading_keys_come_from_the_numbering(heading, key):
    assert heading_key(heading) == key


def test_headings_get_hierarchical_ids_and_explicit_ids_win():
    body = render_body("## 一、总体要求\n\n### （一）目标\n\n### （二）任务\n\n## 二、保障\n\n"
                       "{#fujian-1 .attachment}\n## 附件1 表\n\n### 一、说明\n\n### 一、说明\n",
                       "x", None, str)
    assert [h.id for h in body.headings] == ["s-1", "s-1-1", "s-1-2", "s-2", "fujian-1", "fujian-1-1", "fujian-1-1-2"]


def test_attachments_are_sections_and_tables_scroll_in_their_own_box():
    rendered = html("正文\n\n{#fujian-1 .attachment}\n## 附件1 甲\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
                    "{#fujian-2 .attachment}\n## 附件2 乙\n\n文字\n")
    assert rendered.count('<section class="attachment"') == 2
    assert '<section class="attachment" aria-labelledby="fujian-1"><h2 id="fujian-1" class="attachment">' in rendered
    assert rendered.index("</section>") < rendered.index('aria-labelledby="fujian-2"')
    assert ('<div class="table-wrap sticky-first">\n<div class="table-scroll" role="region" aria-label="表格1" tabindex="0">\n'
            '<table>') in rendered
    assert rendered.rstrip().endswith("</section>")
    after = html("{#fujian-1 .attachment}\n## 附件1 甲\n\n### 说明\n\n文字\n\n## 名词解释\n\n词条\n")
    assert after.index("</section>") < after.index("名词解释") and after.count("</section>") == 1


def test_the_colophon_after_the_last_attachment_is_the_documents_not_the_attachments():
    rendered = html("正文\n\n{#fujian-1 .attachment}\n## 附件1 甲\n\n文字\n\n"
                    "{.colophon}\n抄送：区委办公室。\\\n新洲区人民政府办公室　2023年3月30日印发\n")
    assert rendered.count("</section>") == 1
    assert rendered.index("</section>") < rendered.index('<p class="colophon">') < rendered.index("抄送")


def test_a_heading_or_colophon_inside_a_quote_or_list_leaves_the_attachment_whole():
    rendered = html("{#fujian-1 .attachment}\n## 附件1 甲\n\n> # 引文标题\n>\n> {.colophon}\n> 抄送：某局。\n\n"
                    "- ## 列表中的标题\n\n文字\n")
    assert rendered.count("</section>") == 1 and rendered.rstrip().endswith("</section>")
    assert rendered.index("</blockquote>") < rendered.index("</ul>") < rendered.index("</section>")


def test_every_heading_links_to_itself_after_a_leading_page_mark_and_beside_a_link_it_holds(archive):
    rendered = html("## 一、总则\n\n### []{#page-7 .page-mark data-page=\"7\"}（一）目标\n\n### （二）依据新政发〔2022〕8号\n",
                    Resolver(archive))
    assert '<h2 id="s-1"><a href="#s-1" class="heading-link">一、总则</a></h2>' in rendered
    assert ('<h3 id="s-1-1"><a href="#page-7" id="page-7" class="page-mark" data-page="7" aria-label="第 7 页"></a>'
            '<a href="#s-1-1" class="heading-link">（一）目标</a></h3>') in rendered
    # A link cannot hold another: the heading's own follows the text.
    assert ('（二）依据<a href="../xinzhengfa-2022-8/" class="xref">新政发〔2022〕8号</a>'
            '<a href="#s-1-2" class="heading-link" aria-label="本节链接"></a></h3>') in rendered


def test_page_marks_survive_the_sanitiser_as_links_to_themselves_and_leave_the_text_alone():
    body = render_body("第一段[]{#page-75 .page-mark data-page=\"75\"}继续。\n\n"
                       "{#2023-01-05 .chronicle-entry data-date=2023-01-05}\n**1月5日**，开[]{#page-76 .page-mark data-page=\"76\"}会。\n\n"
                       "| 序号 | 事项 |\n|---|---|\n| 1 | []{#page-77 .page-mark data-page=\"77\"}甲 |\n\n"
                       "[]{#page-x .page-mark data-page=\"x\"}不是页码。[有字]{#page-9 .page-mark data-page=\"9\"}\n", "x", None, str)
    assert ('<p>第一段<a href="#page-75" id="page-75" class="page-mark" data-page="75" aria-label="第 75 页"></a>继续。</p>'
            in body.html)
    assert '<a href="#page-77" id="page-77" class="page-mark" data-page="77" aria-label="第 77 页"></a>甲</td>' in body.html
    assert '<span id="page-x" data-page="x" class="page-mark"></span>' in body.html  # no page number: left a span
    assert '<span id="page-9" data-page="9" class="page-mark">有字</span>' in body.html  # not empty: the body's own
    # The 大事记 page shows the entry without the mark, whose id and link belong to the document's page.
    assert [child.content for child in body.chronicle[0].children if child.type == "text"] == ["", "1月5日", "，开", "会。"]
    assert "page-mark" not in {str(child.attrs.get("class")) for child in body.chronicle[0].children}


def test_a_table_title_row_becomes_its_caption_and_later_title_rows_head_their_rows():
    rendered = html("| 序号 | 工作标准 | 责任单位 |\n|---|---|---|\n| 2023年责任分解表 |  |  |\n| 1 | 甲 | 区发改局 |\n"
                    "| 民生实事项目 |  |  |\n| 1 | 乙 |  |\n")
    assert "<caption><span>2023年责任分解表</span></caption>" in rendered
    assert ('</tbody>\n<tbody>\n<tr class="group-title">\n<th colspan="3" scope="rowgroup">民生实事项目</th>\n</tr>\n'
            in rendered)
    assert rendered.count("<tbody>") == 2 and '<th scope="col" class="col-short">序号</th>' in rendered


def test_blank_cells_under_a_group_carry_it_but_a_blank_with_nothing_after_it_stays_blank():
    rendered = html("| 序号 | 一级指标 | 二级指标 | 三级指标 | 责任部门 |\n|---|---|---|---|---|\n"
                    "| 1 | 源头减量 | 工业 | 强度 | 区生态环境分局 |\n| 2 |  |  | 占比 |  |\n"
                    "| 3 |  | 生活 | 清运量 | 区城管执法局 |\n| 4 | 资源化利用 |  | 综合利用率 |  |\n")
    rows = re.findall(r"<tr>\n(.*?)</tr>", rendered, re.S)
    cells = [re.findall(r'<td( class="[^"]*")?>([^<]*)</td>', row) for row in rows[1:]]
    assert [[text for _, text in row] for row in cells] == [
        ["1", "源头减量", "工业", "强度", "区生态环境分局"],
        ["2", "源头减量", "工业", "占比", ""],  # the group, carried; 责任部门 left blank stays blank
        ["3", "源头减量", "生活", "清运量", "区城管执法局"],
        ["4", "资源化利用", "", "综合利用率", ""],  # a new 一级指标 starts its 二级指标 anew
    ]
    assert cells[1][1][0] == cells[1][2][0] == ' class="col-short carried"'


@pytest.mark.parametrize("cells, kind", [
    (["1", "12", "序号"], "col-short"),
    (["区发改局 区住房和城乡建设局", "区科经局、区商务局，各街镇", "责任单位"], "col-names"),
    (["地区生产总值增长6.5%以上，加快建设国家中心城市", "工作标准"], "col-text"),
])
def test_each_column_is_sized_by_its_kind_of_content(cells, kind):
    rows = "".join(f"| {cell} |\n" for cell in cells[:-1])
    assert f'<th scope="col" class="{kind}">{cells[-1]}</th>' in html(f"| {cells[-1]} |\n|---|\n{rows}")


def test_glossary_and_chronicle_entries_are_anchorable():
    body = render_body("{#term-1 .glossary-entry}\n1、[三保]{.term}:保基本民生。\n\n"
                       "{#2023-01-05 .chronicle-entry data-date=2023-01-05}\n**1月5日**，开会。\n", "x", None, str)
    assert '<p id="term-1" class="glossary-entry">1、<span class="term">三保</span>:保基本民生。</p>' in body.html
    assert '<p id="2023-01-05" data-date="2023-01-05" class="chronicle-entry">' in body.html
    assert [(e.id, e.date) for e in body.chronicle] == [("2023-01-05", "2023-01-05")]


@pytest.mark.parametrize("printed", ["新政发〔2022〕8号", "新政发[2022]8号", "新政发［2022］8号", "新政发(2022)8号",
                                     "新政发（2022）8号", "新政发【2022】8号", "新政发 〔2022〕 8 号"])
def test_doc_numbers_in_any_bracket_form_link_to_the_archived_document(archive, printed):
    rendered = html(f"按照{printed}要求，参照国发〔2016〕15号。", Resolver(archive))
    assert f'按照<a href="../xinzhengfa-2022-8/" class="xref">{printed}</a>要求' in rendered
    assert "国发〔2016〕15号" in rendered and rendered.count("<a ") == 1  # not in the archive: plain text


# Numbers printed without brackets, as the 公告 of 国家税务总局 (numbered by year) and a province's
# 政府令 (one series) print them: 国家税务总局公告2018年第62号 (www.chinatax.gov.cn, 关于个人所得税自行
# 纳税申报有关问题的公告), 湖北省人民政府令第350号 (关于修改和废止部分省政府规章的决定, 2012).
SERIES_DOCUMENTS = {
    "03-guojiashuiwuzongjugonggao-2018-62.md": ("guojiashuiwuzongjugonggao-2018-62", "国家税务总局公告2018年第62号",
                                                "国家税务总局关于个人所得税自行纳税申报有关问题的公告", 3, 10),
    "04-hubeishengrenminzhengfuling-350.md": ("hubeishengrenminzhengfuling-350", "湖北省人民政府令第350号",
                                              "湖北省人民政府关于修改和废止部分省政府规章的决定", 4, 12),
}


@pytest.fixture(scope="module")
def series_archive(tmp_path_factory):
    directory = tmp_path_factory.mktemp("content")
    shutil.copytree(MINI_CONTENT, directory, dirs_exist_ok=True)
    for name, (doc_id, number, title, order, page) in SERIES_DOCUMENTS.items():
        (directory / "2022" / "4" / name).write_text(
            f"---\nid: {doc_id}\ntitle: {title}\ndoc_number: {number}\nissuer: null\ndate: null\n"
            f"category: 转发文件\nissue: {{year: 2022, number: 4}}\norder: {order}\npage: {page}\n"
            f"addressee: null\nattachments: []\n---\n正文。\n", encoding="utf-8")
    problems = Problems()
    archive = content.load(directory, problems)
    assert not problems.errors
    return archive


@pytest.mark.parametrize("printed, target", [
    ("国家税务总局公告2018年第62号", "guojiashuiwuzongjugonggao-2018-62"),
    ("国家税务总局公告 2018 年第 62 号", "guojiashuiwuzongjugonggao-2018-62"),
    ("湖北省人民政府令第350号", "hubeishengrenminzhengfuling-350"),
    ("湖北省人民政府令 第 350 号", "hubeishengrenminzhengfuling-350"),
])
def test_numbers_printed_in_a_series_link_to_the_archived_document(series_archive, printed, target):
    resolver = Resolver(series_archive)
    rendered = html(f"根据{printed}规定，参照国家税务总局公告2018年第61号、湖北省人民政府令第351号。", resolver)
    assert f'根据<a href="../{target}/" class="xref">{printed}</a>规定' in rendered
    assert rendered.count("<a ") == 1  # the others are not in the archive: plain text


def test_doc_numbers_link_inside_tables_but_not_inside_links_or_to_themselves(archive):
    resolver = Resolver(archive)
    assert 'href="../xinzhengfa-2022-8/"' in html("| 依据 |\n|---|\n| 新政发〔2022〕8号 |\n", resolver)
    assert html("[新政发〔2022〕8号](https://x.cn)", resolver).count("<a ") == 1
    assert "<a " not in html("本文即新政发〔2022〕8号。", resolver, doc_id="xinzhengfa-2022-8")


def test_cited_by(archive):
    resolver = Resolver(archive)
    graph = cited_by(archive, {d.id: mentioned(d.printed_numbers, resolver) for d in archive.documents})
    assert {k: [d.id for d in v] for k, v in graph.items()} == {
        "xinzhengfa-2022-8": ["xinzhengfa-2023-1", "xinzhengban-2023-5"],
        "xinzhengfa-2023-1": ["xinzhengban-2023-5"],
    }


@pytest.mark.parametrize("row, cells", [
    ("| a | b |", ["", " a ", " b ", ""]), ("a|b", ["a", "b"]), ("|", ["", ""]), ("", [""]),
    ("| a \\| b | c |", ["", " a | b ", " c ", ""]), ("\\|", ["|"]),
    ("a\\\\|b", ["a\\|b"]),  # as markdown-it: a pipe after any backslash is escaped
    ("| x\\ | y |", ["", " x\\ ", " y ", ""]),
])
def test_table_cells_split_as_markdown_it_splits_them(row, cells):
    assert split_cells(row) == cells


@pytest.mark.parametrize("text", ["完成率100%", "2023-03-29", "比例 1:1000", "A+B=C", "xzgb@sina.com", "#1 号", "约~3 天",
                                  "x^2", "$5", "}", "]", "甲 > 乙", "---", "+ 项", "# 题", "1. 条", "R&amp;D", "&#26032;洲"])
def test_text_with_figures_and_dates_is_one_text_token_as_the_parser_makes_it(text):
    with_parser = _with_stock_tables()
    with_parser.core.ruler.at("inline", rules_core.inline)
    document = f"| 甲 |\n|---|\n| {text} |\n\n正文{text}\n"
    assert markdown().render(document) == with_parser.render(document)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("政府文件 \n|-:*_`[]()!<>&#\\{}.=~a1　，%$+@^")), max_size=60))
def test_plain_inline_text_skips_the_parser_with_the_same_html(text):
    """Inline content without a character that can start an inline rule is one text token either way."""
    with_parser = _with_stock_tables()
    with_parser.core.ruler.at("inline", rules_core.inline)
    document = f"{text}\n\n| 甲 | 乙 |\n|---|---|\n| {text.replace(chr(10), ' ')} | 丙 |\n"
    assert markdown().render(document) == with_parser.render(document)


def _stock_aligns(state):
    """A header cell's style="text-align:…" kept where the sanitiser, which drops styles, leaves it."""
    for token in state.tokens:
        if token.type == "th_open":
            token.meta = {"align": str(token.attrs.get("style", "")).removeprefix("text-align:")}


def _stock_tables_as_one_token(state):
    """Each table markdown-it's own rule made, as the one token ours makes, every cell an inline token."""
    tokens, result, index = state.tokens, [], 0
    while index < len(tokens):
        if tokens[index].type != "table_open":
            result.append(tokens[index])
            index += 1
            continue
        end = next(n for n in range(index, len(tokens)) if tokens[n].type == "table_close")
        inner = tokens[index:end]
        token = Token("table", "table", 0)
        token.attrs, token.map = tokens[index].attrs, tokens[index].map
        token.meta = {"aligns": [t.meta["align"] for t in inner if t.type == "th_open"],
                      CELLS: [t for t in inner if t.type == "inline"]}
        result.append(token)
        index = end + 1
    state.tokens = result


def _with_stock_tables():
    """Our Markdown with markdown-it's own table rule: what it parses, laid out by the same table.render."""
    md = markdown.__wrapped__()
    md.block.ruler.at("table", rules_block.table, {"alt": ["paragraph", "reference"]})
    md.core.ruler.before("sanitize", "stock_aligns", _stock_aligns)
    md.core.ruler.push("stock_tables", _stock_tables_as_one_token)
    return md


def _both(text: str, resolver=None) -> tuple[str, str]:
    env = {"resolver": resolver, "doc_id": "self", "link_to": lambda target: f"../{target}/"}
    return markdown().render(text, dict(env)), _with_stock_tables().render(text, dict(env))


TABLES = [
    "| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n",
    "| 左 | 中 | 右 | 无 |\n|:--|:-:|--:|---|\n| a | b | c | d |\n| e |\n| f | g | h | i | j |\n",
    "甲 | 乙\n- | -\n",  # no body, no pipes at the ends
    "段落\n| a | b |\n|---|---|\n| 1 | 2 |\n后续\n\n",  # interrupts a paragraph; a line of text ends it as a row
    "| a | b |\n|---|---|\n| 1 | 2 |\n> 引文\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n# 标题\n- 列表\n",
    "| a \\| b | `c | d` |\n|---|---|\n| **粗** [链接](https://x.cn) | <b>原样</b> & |\n",
    "{#t1 .wide}\n| a |\n|---|\n| 新政发〔2022〕8号 |\n",
    "- 项\n\n  | a | b |\n  |---|---|\n  | 1 | 2 |\n- 项二\n",  # inside a list item
    "- 项\n  | a |\n  |---|\n  | 1 |\n",  # after a hidden paragraph of a tight list
    "> | a | b |\n> |---|---|\n> | 1 | 2 |\n",
    "| a |\n|---|\n|\n| |\n||\n",
    "|a|b|\n|-|-|\n    | 1 | 2 |\n",  # an indented row is still a row
    "| a | b |\n| --- | ---: |\n\n| c |\n|---|\n| 3 |\n",  # two tables: two numbered boxes
    "| a | b |\n|---|\n| 1 | 2 |\n",  # not a table: the delimiter row's columns differ
    # Cells the inline parser reads: a printed page's start, an escape, an entity, a citation.
    '| a | b |\n|---|---|\n| []{#page-5 .page-mark data-page="5"}甲 | 1\\. 乙 |\n| R&amp;D | 见新政发〔2022〕8号 |\n',
]


@pytest.mark.parametrize("text", TABLES)
def test_tables_render_as_markdown_it_renders_them(text, archive):
    ours, stock = _both(text, Resolver(archive))
    assert ours == stock


def test_the_seed_issue_renders_as_with_markdown_it_tables():
    seed = content.load(SEED_CONTENT, Problems())
    resolver = Resolver(seed)
    bodies = [content.read_body(doc) for doc in seed.documents]
    assert sum(body.count("| --- |") for body in bodies) > 30  # delimiter rows
    for body in bodies:
        ours, stock = _both(body, resolver)
        assert ours == stock


_TABLE_LINES = ["| 甲 | 乙 |", "|\u3000丙\xa0|", "|---|---|", "|:-:|--:|", "| :-- | --- | --- |", "甲|乙", "-|-", "| 1 |", "| 1 | 2 | 3 |",
                "| 新政发〔2022〕8号 | *a* |", "| a \\| b |", "| `x|y` |", "", "> | a |", "- | a |", "  | a |",
                "    | a |", "# 题", "{.wide}", "文字", "||", "|", "1. | a |", "| <i>x</i> & |"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_TABLE_LINES), max_size=12))
def test_any_mix_of_table_lines_renders_as_markdown_it_renders_it(lines):
    ours, stock = _both("\n".join(lines) + "\n")
    assert ours == stock
