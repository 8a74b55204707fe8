"""The seed issue (2023 第1期, 总第44期): what must come out of it."""
from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml

from gazette_site.ingest import writer
from gazette_site.ingest.text import fullwidth_punctuation
from ingest_support import SEED, SEED_CONTENT, parse_bytes, reader_text, render_html, squash

# (category, doc_number, issuer, date, page, attachments) in printed order
EXPECTED = [
    ("区级文件选登", "新政发〔2023〕1号", "武汉市新洲区人民政府", "2023-01-10", 1, 0),
    ("区级文件选登", "新政发〔2023〕2号", "武汉市新洲区人民政府", "2023-03-29", 13, 1),
    ("区级文件选登", "新政办〔2023〕1号", "武汉市新洲区人民政府办公室", "2023-01-30", 23, 1),
    ("区级文件选登", "新政办〔2023〕2号", "武汉市新洲区人民政府办公室", "2023-03-23", 64, 1),
    ("区级文件选登", "新政办〔2023〕4号", "武汉市新洲区人民政府办公室", "2023-03-29", 70, 0),
    ("区级文件选登", "新政办〔2023〕5号", "武汉市新洲区人民政府办公室", "2023-03-29", 74, 5),
    ("政务简讯", None, "武汉市新洲区人民政府办公室", "2023-01-30", 107, 0),
    ("政务简讯", None, "武汉市新洲区人民政府办公室", "2023-03-29", 107, 0),
    ("人事任免", None, "武汉市新洲区人民政府", None, 109, 0),
    ("大事记", None, None, None, 110, 0),
]
TITLES = [
    "区人民政府关于印发政府工作报告的通知",
    "区人民政府关于印发新洲区“无废城市”建设工作方案的通知",
    "区人民政府办公室关于做好2023年区《政府工作报告》和民生实事项目确定的主要目标任务责任分解工作的通知",
    "区人民政府办公室关于印发新洲区创建全国基层中医药工作示范区实施方案的通知",
    "区人民政府办公室关于印发新洲区电子商务奖励扶持办法的通知",
    "区人民政府办公室关于做好2023年省、市《政府工作报告》和市委、市政府重点工作涉及我区办理事项责任分解工作的通知",
    "区人民政府办公室关于成立武汉都市圈环线新洲段工程协调工作专班的通知",
    "区人民政府办公室关于成立区儿童友好城区建设工作领导小组的通知",
    "人事任免",
    "大事记",
]
IDS = [
    "xinzhengfa-2023-1", "xinzhengfa-2023-2", "xinzhengban-2023-1", "xinzhengban-2023-2",
    "xinzhengban-2023-4", "xinzhengban-2023-5", "2023-1-zhengwujianxun-1", "2023-1-zhengwujianxun-2",
    "2023-1-renshirenmian-1", "2023-1-dashiji-1",
]


@pytest.fixture(scope="module")
def seed():
    parsed, problems = parse_bytes(SEED.read_bytes())
    assert parsed is not None, [str(p) for p in problems]
    assert not problems.errors and not problems.warnings, [str(p) for p in problems]
    return parsed


def _rows(table_markdown: str) -> list[str]:
    return [line for line in table_markdown.splitlines() if line.startswith("|")][2:]


def _tables(body: str) -> list[list[str]]:
    tables, current = [], []
    for line in body.splitlines() + [""]:
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(_rows("\n".join(current)))
            current = []
    return tables


def test_ten_documents_in_printed_order(seed):
    got = [
        (d.category, d.doc_number, d.issuer, d.date.isoformat() if d.date else None, d.page, len(d.attachments))
        for d in seed.drafts
    ]
    assert got == EXPECTED
    assert [d.title for d in seed.drafts] == TITLES
    assert [d.id for d in seed.drafts] == IDS
    assert [d.order for d in seed.drafts] == list(range(1, 11))


def test_addressee_and_attachment_titles(seed):
    assert seed.drafts[0].addressee == "各镇人民政府，各街道办事处，区人民政府各部门、各直属单位"  # printed as , in the PDF text
    assert seed.drafts[6].addressee is None
    assert seed.drafts[1].attachments == ["新洲区“无废城市”建设指标与目标设置一览表"]
    assert seed.drafts[3].attachments == ["新洲区创建全国基层中医药工作示范区领导小组组成人员名单"]
    assert seed.drafts[5].attachments[0] == "2023年省《政府工作报告》涉及我区办理事项责任细化分解表"
    assert seed.drafts[5].attachments[4] == "市委、市政府重点工作涉及我区办理事项责任细化分解表"


def test_issue_metadata(seed):
    meta = seed.meta
    assert (meta["gazette"], meta["year"], meta["number"], meta["total_number"]) == ("新洲区人民政府公报", 2023, 1, 44)
    assert meta["masthead"] == {
        "主办": "武汉市新洲区人民政府",
        "编辑出版": "武汉市新洲区人民政府办公室",
        "电话": "86917332",
        "电子邮箱": "XZGB_301@sina.com",
        "地址": "武汉市新洲区邾城街红旗街 14 号",
        "邮政编码": "430400",
        "准印证号": "湖北省内部资料准印证第 2090/WH 号",
    }
    assert len(meta["intro"]) == 5 and meta["intro"][0].startswith("《新洲区人民政府公报》创刊于2012年")
    assert [e["page"] for e in meta["toc"]] == [1, 13, 23, 64, 70, 74, 107, 109, 110]
    assert meta["toc"][1]["title"] == "区人民政府关于印发新洲区“无废城市”建设工作方案的通知"
    # the 目录 prints its own wording (民生实项目): kept as printed, matched to the document anyway
    assert meta["toc"][2]["title"] == "区人民政府办公室关于做好2023年区《政府工作报告》和民生实项目确定的主要目标任务责任分解工作的通知"
    assert [e["title"] for e in meta["toc"][6:]] == ["政务简讯", "人事任免", "大事记"]
    assert [e["section"] for e in meta["toc"]] == ["区级文件选登"] * 6 + [None] * 3
    assert meta["extra"]["cover_text"] == ["季刊", "传达政令", "推动创新", "公开政务", "指导工作", "促进发展", "服务社会"]
    assert meta["source"]["sha256"] == "9f2a098f85ac3b6b0597858fc14c921dc20118fafd6ada44c3dc4ce791582782"
    assert meta["source"]["bytes"] == len(SEED.read_bytes())


def test_tables_keep_every_row(seed):
    tables = [_tables(d.body) for d in seed.drafts]
    assert [len(t) for t in tables] == [0, 1, 31, 0, 0, 5, 0, 0, 0, 0]
    assert len(tables[1][0]) == 47
    assert [row.split("|")[1].strip() for row in tables[1][0]] == [str(n) for n in range(1, 48)]
    # 新政办〔2023〕5号: five attachments, each with its table (附件4 reprints its header with other wording)
    attachments = re.split(r"\{#fujian-\d+ \.attachment\}", seed.drafts[5].body)[1:]
    assert len(attachments) == 5
    assert all(_tables(part) for part in attachments)
    assert [len(_tables(part)[0]) for part in attachments] == [1, 11, 104, 47, 5]
    assert seed.stats.repeated_headers == 40


def test_page_breaks_joined_only_where_the_text_continues(seed):
    assert seed.stats.joined_paragraphs == 15
    report = reader_text(seed.drafts[0].body)
    assert "社会消费品零售总额、外贸进出口总额稳居全市第一方阵" in report
    assert "会同专业咨询机构和各行业主管单位，共同参与项目前期谋划" in report
    # the report's subtitle, cut by the PDF into three short pieces, is one line and its speaker,
    # not joined into the speech
    assert "{.subtitle}\n——2022年12月27日在新洲区第六届人民代表大会第三次会议上\\\n区长 刘润长\n\n各位代表：" in seed.drafts[0].body


def test_headings_follow_official_numbering(seed):
    body = seed.drafts[0].body
    assert "{.enclosure-title}\n## 政府工作报告" in body
    assert "\n### 一、2022年工作回顾\n" in body
    assert "\n#### （一）全力做强实体经济，产业质效加速提升\n" in body
    # printed "（三） 全力…": one style for every heading, no space after the number
    assert "\n#### （三）全力优化规划建管，功能品质稳步提升\n" in body
    assert "\n### 第一章 总则\n" in seed.drafts[4].body
    assert "**第一条** 为充分发挥电子商务" in seed.drafts[4].body
    # numbered items that carry whole sentences stay paragraphs, escaped from list syntax
    assert "\n1\\. 推动产业链减废增效。" in seed.drafts[1].body


def test_glossary_chronicle_and_notices_are_anchorable(seed):
    report = render_html(seed.drafts[0].body)
    terms = re.findall(r'<p id="term-(\d+)" class="glossary-entry">\d+、<span class="term">([^<]+)</span>', report)
    assert [int(n) for n, _ in terms] == list(range(1, 31))
    assert terms[0][1] == "三保" and terms[16][1] == "“三个全生命周期”服务机制"
    chronicle = render_html(seed.drafts[9].body)
    anchors = re.findall(r'<p id="([0-9-]+)" data-date="([0-9-]+)" class="chronicle-entry">', chronicle)
    assert len(anchors) == 17
    assert anchors[0] == ("2023-01-05", "2023-01-05")
    assert ("2023-03-01-2", "2023-03-01") in anchors
    assert all(dt.date.fromisoformat(date) for _, date in anchors)
    notices = re.findall(r'<p id="(2023-\d\d-\d\d)" data-date="[0-9-]+" class="notice">', render_html(seed.drafts[8].body))
    assert notices == ["2023-02-13", "2023-03-22"]


def test_signature_and_name_lists_keep_their_lines(seed):
    assert "{.signature}\n武汉市新洲区人民政府办公室\\\n2023年3月29日" in seed.drafts[5].body
    names = render_html(seed.drafts[6].body)
    assert "组长：丁力 区人民政府副区长<br />\n副组长：蔡艳胜" in names


def test_converter_artifacts_are_repaired(seed):
    body = seed.drafts[3].body
    assert "满意率 ≥90% 。" in body and "$" not in body
    assert "<p>" not in seed.drafts[5].body


def _unedited(directory):
    recorded = yaml.safe_load((directory / writer.MANIFEST).read_text(encoding="utf-8"))["files"]
    return {name for name, digest in recorded.items() if writer.sha256((directory / name).read_bytes()) == digest}


def test_committed_content_is_what_ingest_writes(seed):
    """Golden: every file of content/2023/1 nobody has corrected by hand is reproduced byte for byte."""
    files = writer.issue_files(seed)
    files["issue.yaml"] = files["issue.yaml"].replace(b"filename: raw.txt", b"filename: xinzhou-gongbao-2023-1.txt")
    unedited = _unedited(SEED_CONTENT)
    assert len(unedited) >= 10
    for name in sorted(unedited):
        assert files[name] == (SEED_CONTENT / name).read_bytes(), name


# ---------------------------------------------------------------- nothing lost

_ARTIFACTS = [("**", ""), ("<p>", ""), ("</p>", ""), ("◆", ""), ("$\\geq 90\\%$", "≥90%")]


def _raw_without_printing_furniture(lines: list[str]) -> str:
    """Raw text of one document minus its 版头 and the table headers reprinted after page breaks."""
    kept, header, previous = [], None, ""
    for index, line in enumerate(lines):
        text = line.strip()
        if index == 0 and text.endswith("文件"):
            continue
        first_row_of_block = "\t" in line and not previous.strip()
        if first_row_of_block:
            cells = [squash(c) for c in line.split("\t")]
            resumed = header is not None and len(cells) == len(header) and sum(
                a == b for a, b in zip(cells, header)) >= len(header) - 1
            previous = line
            if resumed:
                continue
            header = cells
        elif "\t" not in line and text:
            header = None
        previous = line
        text = re.sub(r"^- ", "", text)
        for artifact, replacement in _ARTIFACTS:
            text = text.replace(artifact, replacement)
        # as ingest reads the text: Chinese punctuation full-width once the converter's markup is out
        kept.append(fullwidth_punctuation(text))
    return squash("".join(kept))


def test_nothing_lost_or_duplicated(seed):
    raw_lines = SEED.read_text(encoding="utf-8").split("\n")
    for draft in seed.drafts:
        raw = _raw_without_printing_furniture(raw_lines[draft.first_line - 1 : draft.last_line])
        heading = (draft.doc_number or "") + (draft.title if draft.title != draft.category else "")
        output = squash(heading + reader_text(draft.body))
        if output != raw:
            at = next(i for i, (a, b) in enumerate(zip(output + "\0", raw + "\0")) if a != b)
            pytest.fail(f"{draft.id}: output and raw text differ at {at}:\n raw: …{raw[at - 30:at + 40]}\n out: …{output[at - 30:at + 40]}")


def test_documents_cover_the_issue_without_gaps(seed):
    lines = SEED.read_text(encoding="utf-8").split("\n")
    covered = set()
    for draft in seed.drafts:
        covered.update(range(draft.first_line, draft.last_line + 1))
    first = seed.drafts[0].first_line
    uncovered = [n for n in range(first, len(lines) + 1) if n not in covered and lines[n - 1].strip()]
    # only the section headings are outside documents
    assert [lines[n - 1].strip() for n in uncovered] == ["政务简讯", "人 事 任 免", "大事记"]
