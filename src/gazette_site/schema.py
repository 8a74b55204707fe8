"""The JSON schema of the published data (/data/documents.json, /doc/<id>.json), made from the
front-matter field table (``content.DOCUMENT_FIELDS``) and what only the published record adds.

``python -m gazette_site.schema`` writes ``schemas/documents.schema.json``; a test checks that
the committed file is what this makes.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from .content import DOCUMENT_FIELDS

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schemas" / "documents.schema.json"
_URI = {"type": "string", "format": "uri"}
# What the published record adds to the front matter: addresses and links between documents.
_PUBLISHED_ONLY = {
    "url": _URI,
    "cites": {"type": "array", "items": _URI},
    "cited_by": {"type": "array", "items": _URI},
    "source": {"type": "object", "description": "原始文本的网址和本文所在的行（source_lines）"},
    "citation": {"type": "string"},
}


def documents_schema() -> dict:
    fields = {name: field.published for name, field in DOCUMENT_FIELDS.items() if field.published}
    properties = {"id": fields.pop("id"), **_PUBLISHED_ONLY, **fields}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://gazette-site.invalid/schemas/documents.schema.json",
        "title": "公报文档元数据（/data/documents.json）",
        "type": "object",
        "required": ["site", "url", "documents"],
        "additionalProperties": False,
        "properties": {
            "site": {"type": "string"},
            "url": _URI,
            "documents": {"type": "array", "items": {"$ref": "#/$defs/document"}},
        },
        "$defs": {"document": {
            "title": "一篇文档（/doc/<id>.json）",
            "type": "object",
            # every published record carries every property (null where the gazette prints nothing)
            "required": list(properties),
            "additionalProperties": False,
            "properties": properties,
        }},
    }


def schema_text() -> str:
    return json.dumps(documents_schema(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    SCHEMA_FILE.write_text(schema_text(), encoding="utf-8")
    sys.exit(0)
