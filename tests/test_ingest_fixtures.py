"""Fixture issues (input .txt, expected .expected.yaml): layouts of later quarters."""
from __future__ import annotations

import datetime as dt

import pytest
import yaml

from ingest_support import FIXTURES, parse_bytes

CASES = sorted(path.name.removesuffix(".expected.yaml") for path in FIXTURES.glob("*.expected.yaml"))
FIELDS = ("id", "title", "doc_number", "issuer", "date", "category", "page", "addressee", "attachments")


def _value(draft, name):
    value = getattr(draft, name)
    return value.isoformat() if isinstance(value, dt.date) else value


@pytest.mark.parametrize("case", CASES)
def test_fixture_issue(case):
    expected = yaml.safe_load((FIXTURES / f"{case}.expected.yaml").read_text(encoding="utf-8"))
    parsed, problems = parse_bytes((FIXTURES / f"{case}.txt").read_bytes())
    assert parsed is not None and not problems.errors, [str(p) for p in problems]
    for key, value in expected["issue"].items():
        assert (parsed.meta[key] if key != "number" else parsed.number) == value, key
    for key, value in expected.get("masthead", {}).items():
        assert parsed.meta["masthead"][key] == value
    warnings = [p.message for p in problems.warnings]
    assert len(warnings) == len(expected.get("warnings", [])), warnings
    for fragment in expected.get("warnings", []):
        assert any(fragment in w for w in warnings), (fragment, warnings)
    for key, value in expected.get("stats", {}).items():
        assert getattr(parsed.stats, key) == value, key
    assert len(parsed.drafts) == len(expected["documents"])
    for draft, want in zip(parsed.drafts, expected["documents"]):
        for name in FIELDS:
            wanted = want[name].isoformat() if isinstance(want[name], dt.date) else want[name]
            assert _value(draft, name) == wanted, (want["id"], name)
        for fragment in want.get("body_contains", []):
            assert fragment in draft.body, (want["id"], fragment)


def test_cases_exist():
    assert CASES, "no fixture issues found"
