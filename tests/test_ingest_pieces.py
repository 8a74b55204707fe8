"""Each parsing piece on its own, as input → expected tables."""
from __future__ import annotations

import datetime as dt

import pytest

from gazette_site import docnumber
from gazette_site.ingest import elements as el
from gazette_site.ingest import tables
from gazette_site.ingest.layout_tables import layout_tables_as_tabs
from gazette_site.ingest.draft import expand_issuer
from gazette_site.ingest.pages import remove_furniture
from gazette_site.ingest.paragraphs import paragraph_blocks
from gazette_site.ingest.printed_lines import in_printed_lines
from gazette_site.ingest.source import Line, decode, split_lines
from gazette_site.ingest.text import collapse_justified, collapse_letter_spacing, is_date_line, parse_date, remove_wrap_spaces, squash
from gazette_site.problems import Problems
from ingest_support import REPO


@pytest.mark.parametrize("printed, normal, doc_id", [
    ("新政发〔2023〕1号", "新政发〔2023〕1号", "xinzhengfa-2023-1"),
    ("新政办[2023]5号", "新政办〔2023〕5号", "xinzhengban-2023-5"),
    ("新政发(2023)2号", "新政发〔2023〕2号", "xinzhengfa-2023-2"),
    ("新政发（2023）2号", "新政发〔2023〕2号", "xinzhengfa-2023-2"),
    ("新发【2023】3号", "新发〔2023〕3号", "xinfa-2023-3"),
    ("（新政规〔2023〕1号）", "新政规〔2023〕1号", "xinzhenggui-2023-1"),
    ("新政规 〔 2023 〕 12 号", "新政规〔2023〕12号", "xinzhenggui-2023-12"),
])
def test_doc_numbers(printed, normal, doc_id):
    parsed = docnumber.parse_line(printed)
    assert str(parsed) == normal and parsed.id == doc_id


@pytest.mark.parametrize("text", ["新政发〔2023〕1号要求", "2023年1月1日", "第一条", ""])
def test_not_doc_numbers(text):
    assert docnumber.parse_line(text) is None


def test_mentions_in_running_text():
    text = "按照《…的通知》（武政〔2022〕22号）和国发[2016]15号要求"
    found = [(m.agency_run, m.year, m.number) for m in docnumber.find_mentions(text)]
    assert found == [("武政", 2022, 22), ("和国发", 2016, 15)]
    assert "国发" in docnumber.find_mentions(text)[1].agency_suffixes()


def test_mentions_of_numbers_in_a_series_in_running_text():
    text = "依照湖北省人民政府令第350号、新政发〔2023〕1号和国家税务总局公告 2018 年第 62 号，公告第3号不算"
    found = [(m.agency_run, m.year, m.number, text[m.start:m.end]) for m in docnumber.find_mentions(text)]
    assert found == [("依照湖北省人民政府令", None, 350, "依照湖北省人民政府令第350号"),
                     ("新政发", 2023, 1, "新政发〔2023〕1号"),
                     ("号和国家税务总局公告", 2018, 62, "号和国家税务总局公告 2018 年第 62 号")]  # as after a bracket: suffixes narrow it


@pytest.mark.parametrize("line, depth", [
    ("一、2022年工作回顾", 0),
    ("(一)全力做强实体经济,产业质效加速提升", 1),
    ("（三） 全力优化规划建管", 1),
    ("1. 推进绿色工厂建设", 2),
    ("(2)加强组织领导", 3),
    ("第一章 总 则", 0),
    ("第二节 管理职责", 1),
    # whole sentences after a number are paragraphs, not headings
    ("1. 推动产业链减废增效。推动钢铁、汽车等产业高质量发展。", None),
    ("(一)加强组织领导。成立由区人民政府区长担任组长的领导小组", None),
    ("一要高度重视。", None),
    ("12.5亿元用于建设", None),
    ("第一条 为充分发挥电子商务的作用", None),
])
def test_heading_depth(line, depth):
    assert el.heading_depth(line) == depth


def _paragraph(text, line=1):
    return el.Element("paragraph", text=text, first_line=line, last_line=line)


@pytest.mark.parametrize("first, second, joined", [
    ("预计全区地区生产总值达到1100亿元,完成一般公共预算收入34.5亿元。社会消费品零", "售总额、外贸进出口总额稳居全市第一方阵。", True),
    ("由区发改局、区财政局、区国资监管局、区金融办,会同专业咨询机构", "和各行业主管单位,共同参与项目前期谋划。", True),
    ("完成一般公共预算收入34.5亿元,全社会固定资产投资650亿元。", "新增市场主体1.73万户。", False),
    ("——2022年12月27日在新洲区第六届", "人民代表大会第三次会议上", False),  # a short line of its own
    ("积极推动综合利用产品和再生资源产品市场供给并纳入政府绿色采购体系和", "二、重点任务", False),
    ("积极推动综合利用产品和再生资源产品市场供给并纳入政府绿色采购体系和", "2023年3月29日", False),
    ("积极推动综合利用产品和再生资源产品市场供给并纳入政府绿色采购体系和", "1. 推动产业链减废增效。", False),
])
def test_page_break_joins(first, second, joined):
    stats = el.Stats()
    result = el.join_elements([_paragraph(first, 1), _paragraph(second, 3)], stats)  # blank lines between
    assert (len(result) == 1) == joined
    assert stats.joined_paragraphs == int(joined)


def test_lines_wrapped_one_under_another_are_joined_but_not_counted_as_cut():
    """pdftotext's default order gives each printed line a block: the summary's 跨页段落拼接 counts the
    paragraphs a page or blank lines cut, not every line wrapped."""
    stats = el.Stats()
    lines = ["由区发改局、区财政局、区国资监管局、区金融办,会同专业咨询机构", "和各行业主管单位,共同参与项目前期谋划。"]
    assert len(el.join_elements([_paragraph(lines[0], 1), _paragraph(lines[1], 2)], stats)) == 1
    assert stats.joined_paragraphs == 0


def _lines(*texts, start=1):
    return [Line(start + i, t) for i, t in enumerate(texts)]


def test_table_resumed_after_page_break_keeps_header_once():
    first = tables.table_from_lines(_lines("序号\t名称\t数量", "1\t甲\t3", "2\t乙\t"))
    second = tables.table_from_lines(_lines("序号\t名称\t数量", "\t\t4", "3\t丙\t5", start=10))
    assert tables.continues(first, second)
    tables.merge(first, second)
    assert first.rows == [["1", "甲", "3"], ["2", "乙", "4"], ["3", "丙", "5"]]
    assert (first.repeated_headers, first.merged_rows) == (1, 1)


def test_table_resumed_without_header_by_sequence():
    first = tables.table_from_lines(_lines("序号\t名称", "1\t甲", "2\t乙"))
    assert tables.continues(first, tables.table_from_lines(_lines("3\t丙", "4\t丁")))
    assert not tables.continues(first, tables.table_from_lines(_lines("7\t丙", "8\t丁")))
    assert not tables.continues(first, tables.table_from_lines(_lines("项目\t金额\t备注", "1\t2\t3")))


def test_table_markdown_escapes_and_pads():
    table = tables.table_from_lines(_lines("a\tb", "<p>x|y</p>\t*z*\tc"))
    markdown = tables.to_markdown(table, el.escape_inline)
    assert markdown.splitlines() == ["| a | b |  |", "| --- | --- | --- |", "| x\\|y | \\*z\\* | c |"]
    assert table.cell_artifacts == 2


@pytest.mark.parametrize("raw, expected", [
    ("区人民政府关于印发新洲区“无废城市” 建设工作方案的通知", "区人民政府关于印发新洲区“无废城市”建设工作方案的通知"),
    ("关于做好 2023 年省、市 《政府工作报告》", "关于做好2023年省、市《政府工作报告》"),
    ("G318 举水河大桥", "G318举水河大桥"),
    ("COVID 19 response", "COVID 19 response"),
])
def test_wrap_spaces(raw, expected):
    assert remove_wrap_spaces(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("名 词 解 释", "名词解释"), ("第一章 总 则", "第一章 总则"), ("组 长:丁 力 区人民政府副区长", "组长:丁力 区人民政府副区长"),
    ("区交通运输局 区财政局", "区交通运输局 区财政局"),
])
def test_letter_spacing(raw, expected):
    assert collapse_letter_spacing(raw) == expected


# Lines as ``pdftotext -layout`` gives a printed line justified character by character (from the
# typeset fixture issues: joint-notices-1996-8, letters-replies-2005-4), and lines that are not one.
@pytest.mark.parametrize("raw, expected", [
    ("    管 理 工 作 的 通 知 （ 国 办 发 〔 1996 〕 25", "    管理工作的通知（国办发〔1996〕25"),
    ("    通   报    （   国    办   发     〔   2018   〕   108", "    通报（国办发〔2018〕108"),
    ("  政 务 简 讯 ………………………………", "  政 务 简 讯 ………………………………"),  # too short to tell (the 目录 reads it)
    ("王 伟    李 强    张 三    赵 六", "王 伟    李 强    张 三    赵 六"),  # names: gaps of two widths
    ("区发改局 区财政局 区商务局 区科经局", "区发改局 区财政局 区商务局 区科经局"),  # words, not characters
    ("名 词 解 释", "名 词 解 释"),  # a word set apart as a heading (collapse_letter_spacing reads it)
])
def test_justified_lines(raw, expected):
    assert collapse_justified(raw) == expected


def test_dates():
    assert parse_date("2023年1月10日") == (dt.date(2023, 1, 10), None)
    assert parse_date("于 2023 年 3 月 29 日发出") == (dt.date(2023, 3, 29), None)
    assert parse_date("2023年2月30日")[0] is None and "不是有效的日期" in parse_date("2023年2月30日")[1]
    assert is_date_line("2023年3月29日") and not is_date_line("2023年3月29日发出通知")


@pytest.mark.parametrize("name, full", [
    ("区人民政府办公室", "武汉市新洲区人民政府办公室"),
    ("区交通运输局", "武汉市新洲区交通运输局"),
    ("武汉市新洲区人民政府", "武汉市新洲区人民政府"),
    ("市人民政府", "市人民政府"),
])
def test_issuer_expansion(name, full):
    assert expand_issuer(name, "武汉市新洲区") == full


def test_converter_math_is_repaired_and_unknown_math_kept():
    assert el.repair_artifacts("满意率 $\\geq 90\\%$ 。") == ("满意率 ≥90% 。", 1)
    assert el.repair_artifacts("$\\frac{1}{2}$") == ("$\\frac{1}{2}$", 0)


def test_markdown_heading_marks_and_images_of_converters_go():
    """# marks on the lines a converter took for headings, and the images it saved apart (the seed's lines)."""
    text = "## 一、总体要求\n![](images/3f2a.jpg)\n# 区人民政府关于印发政府工作报告的通知<br/>\n第#1条"
    assert el.repair_artifacts(text) == ("一、总体要求\n\n区人民政府关于印发政府工作报告的通知\n第#1条", 4)


def test_escape_text_keeps_text_literal():
    assert el.escape_text("1. 推动") == "1\\. 推动"
    assert el.escape_text("- 组 长") == "\\- 组 长"
    assert el.escape_text("<script>alert(1)</script>") == "\\<script\\>alert(1)\\</script\\>"
    assert el.escape_text("[链接](javascript:x)") == "\\[链接\\](javascript:x)"


# Arranged: the notice is after 京政办发〔2016〕26号 (https://0798ci.com/policy/70942.html), worded as
# notices that send a paper by 发给你们 are; the 公告 is after 柞村镇's (https://img.ccschy.com/news/214976.html).
_SENDING_NOTICE = """北京市人民政府办公厅关于推进政府和社会资本合作的通知

各区人民政府，市政府各委、办、局，各市属机构：

现将《关于进一步推进本市政府和社会资本合作的实施意见》发给你们，请认真贯彻执行。

北京市人民政府办公厅

2016年6月1日

关于进一步推进本市政府和社会资本合作的实施意见

为进一步推进本市政府和社会资本合作，现提出以下意见。
"""
_NOTICE_THEN_ANNOUNCEMENT = """关于调整封山区域的通知

各乡镇人民政府，县政府各部门：

现将封山区域作如下调整，请相关乡镇落实属地管理责任。

奉节县人民政府

2022年8月24日

柞村镇关于停办寒同山枫叶节的公告

因疫情防控需要，经研究，决定停办今年的寒同山枫叶节。
"""


@pytest.mark.parametrize("text, starts", [(_SENDING_NOTICE, 1), (_NOTICE_THEN_ANNOUNCEMENT, 2)],
                         ids=["paper sent by the notice", "announcement after a notice"])
def test_a_title_after_a_date_starts_a_document_unless_the_notice_sends_it(text, starts):
    from gazette_site.ingest.documents import document_starts
    from gazette_site.ingest.source import blocks_of, split_lines
    assert len(document_starts(blocks_of(split_lines(text)))) == starts


@pytest.mark.parametrize("marker, heading", [("附件二", "## 附件二 乙方案"), ("附件二：", "## 附件二 乙方案"),
                                             ("附件（二）", "## 附件（二） 乙方案"), ("附件2：", "## 附件2 乙方案")])
def test_an_attachment_heading_keeps_its_number_as_printed_without_the_colon(marker, heading):
    from gazette_site.ingest.documents import parse_official_document
    from gazette_site.ingest.draft import Context
    from gazette_site.ingest.paragraphs import paragraphs_of
    from gazette_site.ingest.source import blocks_of, split_lines
    from gazette_site.problems import Problems
    text = ("新政发〔2023〕2号\n\n区人民政府关于印发两个方案的通知\n\n各镇人民政府：\n\n现将两个方案印发给你们。\n\n"
            f"武汉市新洲区人民政府\n\n2023年3月29日\n\n附件一\n\n甲方案\n\n做好甲工作。\n\n{marker}\n\n乙方案\n\n做好乙工作。\n")
    draft = parse_official_document(paragraphs_of(blocks_of(split_lines(text))), "文件", Context("d.txt", 2023, 1, "", Problems()))
    assert draft.attachments == ["甲方案", "乙方案"]
    assert f"{{#fujian-2 .attachment}}\n{heading}\n" in draft.body


@pytest.mark.parametrize("before_attachments", [False, True], ids=["at the end", "between the notice and its 附件"])
def test_the_colophon_is_lines_of_its_own_at_the_end(before_attachments):
    """The 版记, at the end (GB/T 9704) or between the notice and its 附件 (older documents), is shown
    as its own lines after everything else, never as the title of an enclosed paper."""
    from gazette_site.ingest.documents import parse_official_document
    from gazette_site.ingest.draft import Context
    from gazette_site.ingest.paragraphs import paragraphs_of
    from gazette_site.ingest.source import blocks_of, split_lines
    from gazette_site.problems import Problems
    colophon = "抄送：区委办公室。\n\n武汉市新洲区人民政府办公室　　2023年3月30日印发\n\n"
    attachment = "附件 1\n\n2023年省《政府工作报告》涉及我区办理事项责任细化分解表\n\n序号\t市级下达的责任事项\n\n"
    text = ("新政办〔2023〕5号\n\n区人民政府办公室关于做好重点工作责任分解工作的通知\n\n各镇人民政府：\n\n"
            "各责任单位办理情况将作为区级绩效目标考核的重要依据。\n\n武汉市新洲区人民政府办公室\n2023年3月29日\n\n"
            + (colophon + attachment if before_attachments else attachment + colophon))
    draft = parse_official_document(paragraphs_of(blocks_of(split_lines(text))), "文件", Context("d.txt", 2023, 1, "", Problems()))
    assert draft.attachments == ["2023年省《政府工作报告》涉及我区办理事项责任细化分解表"]
    assert "enclosure-title" not in draft.body
    assert draft.body.endswith("{.colophon}\n抄送：区委办公室。\\\n武汉市新洲区人民政府办公室　　2023年3月30日印发")


def test_table_rows_printed_apart_are_one_table():
    """A converter printing a blank line between every two lines prints one between table rows too:
    the rows (the seed's 新洲区“无废城市”建设指标与目标设置一览表) are one table again."""
    from gazette_site.ingest.documents import parse_official_document
    from gazette_site.ingest.draft import Context
    from gazette_site.ingest.paragraphs import paragraphs_of
    from gazette_site.ingest.source import blocks_of, split_lines
    from gazette_site.problems import Problems
    rows = ["序号\t一级指标\t二级指标\t三级指标\t牵头部门",
            "1\t固体废物源头减量\t工业源头减量\t一般工业固体废物产生强度★\t区生态环境分局",
            "2\t\t\t工业危险废物产生强度★\t区生态环境分局"]
    text = ("新政发〔2023〕2号\n\n区人民政府关于印发新洲区“无废城市”建设工作方案的通知\n\n各镇人民政府：\n\n"
            "现将方案印发给你们。\n\n武汉市新洲区人民政府\n\n2023年3月29日\n\n附件\n\n"
            "新洲区“无废城市”建设指标与目标设置一览表\n\n" + "\n\n".join(rows) + "\n")
    draft = parse_official_document(paragraphs_of(blocks_of(split_lines(text))), "文件", Context("d.txt", 2023, 1, "", Problems()))
    assert (draft.stats.tables, draft.stats.table_rows) == (1, [2])


def test_html_tables_become_rows_with_blank_cells_where_cells_span():
    """An HTML table (the seed's 一览表 rows, as a converter writing HTML gives them): one row a
    <tr>, a cell spanning columns or rows leaves blank cells, as a merged cell of the PDF does."""
    from gazette_site.ingest.tables import html_tables_as_tabs
    lines = [Line(7, "附件<table><tr><th>序号</th><th colspan=\"2\">指标</th></tr>"),
             Line(8, "<tr><td rowspan=\"2\">1</td><td>固体废物源头减量</td><td>工业源头减量</td></tr>"),
             Line(9, "<tr><td>工业危险废物产生强度★</td><td>0.007 吨/万元</td></tr></table>"),
             Line(10, "以上指标由区生态环境分局牵头。")]
    assert [(line.number, line.text) for line in html_tables_as_tabs(lines)] == [
        (7, "附件"), (7, "序号\t指标\t"), (8, "1\t固体废物源头减量\t工业源头减量"),
        (9, "\t工业危险废物产生强度★\t0.007 吨/万元"), (10, "以上指标由区生态环境分局牵头。")]


def test_an_html_table_in_a_document_is_a_table():
    from gazette_site.ingest.issue import parse_issue
    from gazette_site.problems import Problems
    text = ("新洲区人民政府公报\n\n2023年第1期\n\n区级文件选登\n\n新政发〔2023〕2号\n\n"
            "区人民政府关于印发新洲区“无废城市”建设工作方案的通知\n\n各镇人民政府：\n\n现将方案印发给你们。\n\n"
            "武汉市新洲区人民政府\n\n2023年3月29日\n\n附件\n\n新洲区“无废城市”建设指标与目标设置一览表\n\n"
            "<table><tr><td>序号</td><td>一级指标</td></tr><tr><td>1</td><td>固体废物源头减量</td></tr>"
            "<tr><td>2</td><td>工业危险废物产生强度&amp;排放</td></tr></table>\n")
    parsed = parse_issue(text.encode("utf-8"), "raw.txt", Problems())
    draft, = parsed.drafts
    assert (draft.stats.tables, draft.stats.table_rows) == (1, [2])
    # the entity decoded (and the & escaped, as every body's is)
    assert "<table>" not in draft.body and "| 工业危险废物产生强度\\&排放 |" in draft.body


# A table as pdftotext -layout gives it: the second page of the table in ingest-layout/xinzhou-district-2014-2.txt
# (lines 143–155), each cell's text wrapped in place, the 序号 in the middle of its row.
_LAYOUT_TABLE = """\
序   一级               三级指     2020                    责任
       二级指标                         2025年   牵头部门
号   指标               标       年                       部门

      开展生态工业园区建设、循                          区科经局、区
5     环化改造、绿色工业园区建   38.9%   77.8% 区发改局     生态环境分
      设的工业园区占比★                             局，各街镇
                                    区自然资
6     绿色矿山建成率★       100%    100%   源和规划    各相关街镇
                                    局
      “两品一标”农产品累计认                  区农业农
7                    —       50 个           各相关街镇
      证数量●                          村局"""


def test_layout_table_becomes_rows():
    rows = [line.text.split("\t") for line in layout_tables_as_tabs(split_lines(_LAYOUT_TABLE))]
    assert [row[0] for row in rows] == ["序号", "5", "6", "7"]
    assert [row[2] for row in rows[1:]] == ["开展生态工业园区建设、循环化改造、绿色工业园区建设的工业园区占比★",
                                            "绿色矿山建成率★", "“两品一标”农产品累计认证数量●"]
    assert rows[2][5:7] == ["区自然资源和规划局", "各相关街镇"] and rows[3][5:7] == ["区农业农村局", "各相关街镇"]
    # no character of the table is lost on the way
    assert sorted("".join("".join(row) for row in rows).replace(" ", "")) == sorted(squash(_LAYOUT_TABLE))


def test_layout_table_keeps_its_last_cells_below_its_last_row():
    """The last row's cells go on under its last line of several cells (业数量● of 开展绿色工厂建设的企业数量●:
    the table's first page, lines 110–135 of ingest-layout/xinzhou-district-2014-2.txt); the note under the
    table (line 153) stays text."""
    table = "\n".join([
        '序   一级指                                       牵头部',
        '          二级指标    三级指标      2020年   2025年           责任部门',
        '号   标                                         门',
        '',
        '    固体废                                       区生态   区科经局、区',
        '          工业源头减   一般工业固体废 0.31 吨/   0.29 吨/',
        '1   物源头                                       环境分   发改局，各街',
        '          量       物产生强度★    万元      万元',
        '    减量                                        局     镇',
        '',
        '                                              区生态   区科经局、区',
        '                  工业危险废物产 0.007     0.005',
        '2                                             环境分   发改局，各街',
        '                  生强度★    吨/万元      吨/万元',
        '                                              局     镇',
        '',
        '                  通过清洁生产审                     区生态',
        '                                                    区发改局，各',
        '3                 核评估工业企业 —         100%      环境分',
        '                                                    街镇',
        '                  占比★                         局',
        '          开展绿色工',
        '                                    区科经',
        '4         厂建设的企   —         1个                各街镇',
        '                                    局',
        '          业数量●',
        "",
        "    注：1.★表示必选指标，●表示自创指标。",
    ])
    lines = layout_tables_as_tabs(split_lines(table))
    rows = [line.text.split("\t") for line in lines if "\t" in line.text]
    assert [row[0] for row in rows] == ["序号", "1", "2", "3", "4"]
    assert "开展绿色工厂建设的企业数量●" in rows[-1]
    assert lines[-1].text == "    注：1.★表示必选指标，●表示自创指标。"


# Tables as pdftotext -layout sets them, cell texts from the seed's 一览表 and 责任分解表: a column whose
# pieces start a few characters apart from line to line (as from page to page) is one column, not two
# half-empty ones; a row's number set only a space before the next cell's text is a cell of its own.
@pytest.mark.parametrize("table, rows", [
    (["序号    指标名称              牵头部门",
      "1       绿色矿山建成率★      区自然资源和规划局",
      "2           农膜回收率★          区农业农村局",
      "3       快递绿色包装使用率   邮政公司新洲分公司"],
     [["序号", "指标名称", "牵头部门"], ["1", "绿色矿山建成率★", "区自然资源和规划局"], ["2", "农膜回收率★", "区农业农村局"],
      ["3", "快递绿色包装使用率", "邮政公司新洲分公司"]]),
    (["序号    工作标准                          分管区领导    牵头单位",
      "9       做实“逢八会办”项目调度机制         李先勇        区发改局",
      "10 新增5G基站300个、充电桩1800个。        李先勇        区科经局",
      "11      空气质量优良天数不低于84%。       肖新锋        区生态环境分局"],
     [["序号", "工作标准", "分管区领导", "牵头单位"], ["9", "做实“逢八会办”项目调度机制", "李先勇", "区发改局"],
      ["10", "新增5G基站300个、充电桩1800个。", "李先勇", "区科经局"], ["11", "空气质量优良天数不低于84%。", "肖新锋", "区生态环境分局"]]),
])
def test_layout_table_rows(table, rows):
    assert [line.text.split("\t") for line in layout_tables_as_tabs(split_lines("\n".join(table)))] == rows


@pytest.mark.parametrize("text", [
    # articles set apart from their first words: two pieces a line, no table (decrees-replies-notices-2018-9)
    "  第一条   为了规范国务院行政机构的设置，加强编制管理，\n  第二条   国务院行政机构设置和编制管理应当\n"
    "  第三条   国务院行政机构根据职能分为国务院办公厅、\n",
    # a list of members typed with ideographic spaces (answers-lists-2018-12)
    "组　长：韩　正　　国务院副总理\n副组长：丁学东　　国务院副秘书长\n成　员：王　某　　统计局局长　　兼\n"
    "　　　　李　某　　环境部部长　　兼\n",
])
def test_text_in_columns_is_no_table(text):
    lines = split_lines(text)
    assert layout_tables_as_tabs(lines) == lines


def test_form_feeds_mark_the_pages_tops():
    """pdftotext begins each page with a form feed: the lines it begins are page tops, at the same numbers."""
    decoded = decode("封面\n\f第二页\n正文\f\n第三页\n正\f文".encode("utf-8"), "raw.txt", Problems())
    assert decoded.text.split("\n") == ["封面", "第二页", "正文", "第三页", "正", "文"]
    assert decoded.page_tops == (2, 4, 6)


def test_running_head_at_page_tops_without_page_numbers():
    """The gazette's name printed at the top of every page (a running head; pdftotext -layout of the
    typeset seed issue, where the page numbers are printed elsewhere) goes, wherever a page begins."""
    text = "\n".join([
        "新洲区人民政府公报", "2023年第1期",
        "\f                  新洲区人民政府公报", "", "", "  第一条   为加快推进武汉都市圈环线",
        "新洲段工程建设，决定成立工作专班。",
        "\f                  新洲区人民政府公报", "", "  第二条   工作专班下设办公室。",
    ])
    decoded = decode(text.encode("utf-8"), "raw.txt", Problems())
    furniture = remove_furniture(split_lines(decoded.text), decoded.page_tops)
    kept = [line.stripped for line in furniture.lines if line.stripped]
    assert kept == ["新洲区人民政府公报", "2023年第1期", "第一条   为加快推进武汉都市圈环线", "新洲段工程建设，决定成立工作专班。",
                    "第二条   工作专班下设办公室。"]
    assert [number for number, _ in furniture.heads] == [3, 8]


@pytest.mark.parametrize("directory, printed", [("ingest-pdftotext", True), ("ingest-pymupdf", True),
                                                ("ingest-layout", False), ("ingest", False)])
def test_pdftotext_default_order_is_told_apart(directory, printed):
    """pdftotext's default order (pages marked, every line a printed line at the margin) and PyMuPDF's
    text (no page marked, no blank line) are told from -layout (lines indented) and from texts of a
    paragraph a line, with form feeds or without."""
    for case in ("local-decrees-2014-8", "hebei-province-2010-9", "state-council-2011-15"):
        raw = (REPO / "tests" / "fixtures" / directory / f"{case}.txt").read_text(encoding="utf-8")
        if directory == "ingest":  # as pdftotext would mark its pages
            raw = raw.replace("\n\n", "\n\f", 3)
        decoded = decode(raw.encode("utf-8"), "raw.txt", Problems())
        assert in_printed_lines(split_lines(decoded.text), decoded.page_tops) is printed, case


def test_character_read_apart_is_one_with_its_word_again():
    """目    录 and 主    办：… printed letter-spaced, which pdftotext reads as pieces apart
    (ingest-pdftotext/hebei-province-2010-9.txt, lines 6–8 and 22–24), and a title's last character
    wrapped onto a line of its own (municipal-gazette-2004-5.txt, lines 204–206)."""
    lines = split_lines("第9期(总第456期)\n目\n\n录\n\n省政府令\n主\n\n办：河北省人民政府办公厅\n"
                        "印发广州市2004年度政府规章计划项目的通\n知\n穗府办[2004]17号")
    assert [block.text for block in paragraph_blocks(lines, printed_lines=True)] == [
        "第9期(总第456期)", "目录", "省政府令", "主办：河北省人民政府办公厅", "印发广州市2004年度政府规章计划项目的通知",
        "穗府办[2004]17号"]
    assert "录" in [block.text for block in paragraph_blocks(lines)]  # other texts keep their lines as they are
    # a 目录's page printed before its title, read apart from it (county-leading-pages-2022-4.txt, lines 14–19)
    lines = split_lines("文处理实施细则及文种式样的通知\n\n7\n\n阿里地区行政公署关于印发《阿里地区行政公署工作规则》的\n通知")
    assert [block.text for block in paragraph_blocks(lines, printed_lines=True)][:2] == [
        "文处理实施细则及文种式样的通知", "7 阿里地区行政公署关于印发《阿里地区行政公署工作规则》的"]


def test_line_spread_into_pieces_is_one_again():
    """A 目录 line justified so wide that pdftotext reads each character apart (ingest-pdftotext/
    county-organ-lines-2017-1.txt, lines 6–20) is its line again, and one block with the next while its
    bracket is open."""
    lines = split_lines("国务院关于同意陕西省撤销榆林地区设立地级榆林市的批复\n（\n\n国\n\n函\n\n〔\n\n1999\n\n〕\n\n141"
                        "\n\n号）……………………………………………………（1）")
    assert [block.text for block in paragraph_blocks(lines, printed_lines=True)] == [
        "国务院关于同意陕西省撤销榆林地区设立地级榆林市的批复（国函〔1999〕141\n号）……………………………………………………（1）"]
    # under a short line ending no sentence (letters-replies-2005-4.txt, lines 35–51)
    lines = split_lines("国务院办公厅关于广东与香港、澳门合建自动气象站网有关问题\n的复函\n（\n\n国\n\n办\n\n函\n\n〔\n\n"
                        "1996\n\n〕\n\n号）………………………………………………（5）")
    assert [block.text for block in paragraph_blocks(lines, printed_lines=True)][-1].endswith("的复函（国办函〔1996〕\n号）………………………………………………（5）")


def test_table_read_a_piece_a_line_is_one_block():
    """A table that pdftotext reads one piece of a cell a line (ingest-pdftotext/variations-2023-2.txt,
    lines 54–106) is one block of text, not lines each taken for a heading or a title; the signature,
    date, 附件 lines, caption and note around it stay lines of their own."""
    text = (REPO / "tests" / "fixtures" / "ingest-pdftotext" / "variations-2023-2.txt").read_text(encoding="utf-8")
    blocks = paragraph_blocks(split_lines("\n".join(text.split("\n")[53:106])), printed_lines=True)
    assert [block.text for block in blocks if block.is_single_line] == [
        "2.新洲区农村公路管理责任单位名单", "武汉市新洲区人民政府", "2023年5月8日", "附件1", "新洲区农村公路养护工程量表",
        "注：里程以2022年底普查数据为准。", "附件2", "新洲区农村公路管理责任", "单位名单"]
    table = next(block for block in blocks if not block.is_single_line)
    assert table.lines[0].stripped == "序号" and table.lines[-1].stripped == "|特殊|" and len(table.lines) > 15


def _default_order_lines(first: int, last: int) -> list:
    """Lines ``first`` to ``last`` of ingest-pdftotext/xinzhou-district-2014-2.txt (pdftotext's default order)."""
    path = REPO / "tests" / "fixtures" / "ingest-pdftotext" / "xinzhou-district-2014-2.txt"
    return split_lines("\n".join(path.read_text(encoding="utf-8").split("\n")[first - 1:last]))


def test_title_wrapped_above_a_table_read_a_cell_at_a_time_keeps_its_last_character_alone():
    """An attachment's title wrapped before its last character (…细化分解 / 表), a table's header read
    a piece of a cell a line right under it (完 / 序 / 市级下达的责任事项 / 号, lines 416–422): the
    title takes its 表 and nothing of the table; under a title printed whole (lines 479–485), the
    header's pieces stay off it too."""
    titles = [block.text for block in paragraph_blocks(_default_order_lines(416, 422), printed_lines=True)]
    assert titles[:2] == ["附件1", "2023 年省《政府工作报告》涉及我区办理事项责任细化分解表"]
    titles = [block.text for block in paragraph_blocks(_default_order_lines(479, 485), printed_lines=True)]
    assert titles[:2] == ["附件2", "2023 年省政府民生实事涉及我区办理事项责任细化分解表"]


def test_section_name_after_a_table_read_a_cell_at_a_time_is_no_cell():
    """A table read a piece of a cell a line down to its page's end, the running head, then the next
    section's name at the head of the page (政务简讯, lines 822–862): the name is a block of its own,
    not the table's last cell."""
    blocks = paragraph_blocks(_default_order_lines(822, 862), printed_lines=True)
    assert [block.text for block in blocks[-2:]] == ["政务简讯", "◆区人民政府办公室关于成立武汉都市圈环线"]
    assert len(blocks[0].lines) > 15


def _read_lines(directory: str, case: str, first: int, last: int) -> list:
    """Lines ``first`` to ``last`` of a fixture issue as a reader of its printed PDF gives it."""
    path = REPO / "tests" / "fixtures" / directory / f"{case}.txt"
    return split_lines("\n".join(path.read_text(encoding="utf-8").split("\n")[first - 1:last]))


def test_no_piece_read_apart_is_joined_across_a_page_break():
    """A table's last piece (局) at a page's foot, then the page number and the running head, then the
    next page's first line (ingest-pymupdf/xinzhou-district-2014-2.txt, lines 498–508, and arranged: a
    paragraph's first line in place of 附件4): the piece stays on its page."""
    lines = _read_lines("ingest-pymupdf", "xinzhou-district-2014-2", 498, 508)
    for first in ("附件4", "各责任单位要提高认识，"):
        furniture = remove_furniture([Line(line.number, first if line.text == "附件4" else line.text) for line in lines])
        blocks = [block.text for block in paragraph_blocks(furniture.lines, True, furniture.blanked)]
        assert "局" in blocks and first in blocks


def test_no_piece_read_apart_goes_on_to_the_start_of_a_document():
    """A table's last piece (局) right above the next document's 发文机关标志, no page number between
    (ingest-pymupdf/seed.txt, lines 4486–4492): the 发文机关标志 stays whole."""
    blocks = [block.text for block in paragraph_blocks(_read_lines("ingest-pymupdf", "seed", 4486, 4492), True)]
    assert "武汉市新洲区人民政府办公室文件" in blocks


def test_table_in_columns_ends_at_the_next_attachment():
    """A table in columns of spaces to its page's foot, then (the page number and running head on one
    line) 附件4 and its title (ingest-pymupdf-sorted/xinzhou-district-2014-2.txt, lines 380–402): the
    table's rows end above 附件4, which stays a line of its own with its title under it."""
    furniture = remove_furniture(_read_lines("ingest-pymupdf-sorted", "xinzhou-district-2014-2", 380, 402))
    lines = [line.stripped for line in layout_tables_as_tabs(furniture.lines) if line.stripped]
    assert lines[-3:-1] == ["附件4", "2023 年市政府民生实事涉及我区办理事项责任细化分解表"]
