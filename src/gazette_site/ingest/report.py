"""``ingest --dry-run``: the split as a table an editor can check against the PDF."""
from __future__ import annotations

from .issue import ParsedIssue

COLUMNS = ("序号", "栏目", "标题", "发文字号", "发文机关", "成文日期", "页码", "附件", "原文行")
_MAX_TITLE = 36


def split_table(parsed: ParsedIssue) -> str:
    """One row per document, in printed order, as a Markdown table (readable as plain text too)."""
    rows = [COLUMNS, tuple("---" for _ in COLUMNS)]
    for draft in parsed.drafts:
        issuer = draft.issuer if isinstance(draft.issuer, str) else "、".join(draft.issuer or [])
        pages = "" if draft.page is None else (
            f"{draft.page}-{draft.page_end}" if draft.page_end and draft.page_end > draft.page else str(draft.page))
        rows.append((
            str(draft.order),
            draft.category,
            _shorten(draft.title),
            draft.doc_number or "—",
            issuer or "—",
            draft.date.isoformat() if draft.date else "—",
            pages or "—",
            str(len(draft.attachments)),
            f"{draft.first_line}-{draft.last_line}",
        ))
    return "\n".join("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows)


def _shorten(title: str) -> str:
    return title if len(title) <= _MAX_TITLE else title[: _MAX_TITLE - 1] + "…"
