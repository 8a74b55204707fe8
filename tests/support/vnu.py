"""Validate HTML with the Nu Html Checker (vnu.jar from the npm package vnu-jar)."""
from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from .tools import VNU_JAR, unavailable


@dataclass(frozen=True)
class VnuMessage:
    file: Path
    line: int | None
    column: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


def vnu_check(paths) -> list[VnuMessage]:
    """Errors (not warnings) in the given .html files, directories searched for
    .html files, in one JVM run: starting Java costs seconds, checking a page
    milliseconds. Skips the test (fails it in CI) when Java or vnu.jar is missing.
    """
    files = []
    for path in map(Path, paths):
        files.extend(sorted(path.rglob("*.html")) if path.is_dir() else [path])
    if not files:
        raise ValueError("no .html files given: nothing to check")
    java = shutil.which("java")
    if java is None:
        unavailable("Java is not installed (needed by the Nu Html Checker)")
    if not VNU_JAR.is_file():
        unavailable(f"the Nu Html Checker is not installed at {VNU_JAR}")
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--errors-only", "--stdout", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        raise RuntimeError(f"vnu.jar gave no JSON report (exit {result.returncode}): {result.stderr}") from None
    return [
        VnuMessage(
            file=Path(url2pathname(urlsplit(message.get("url", "")).path)),
            line=message.get("lastLine"),
            column=message.get("firstColumn"),
            message=message["message"],
        )
        for message in report["messages"]
    ]
