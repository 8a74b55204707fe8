"""Writing an ingested issue into ``content/`` without losing anything.

Every file ingest writes is recorded with its SHA-256 in ``_ingest.yaml``. On
re-ingest a file is replaced only when it still has the recorded checksum
(nobody edited it); a hand-edited file is kept unless ``--force``, which
backs it up first. Files ingest did not write are never touched.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .. import __version__
from ..problems import Problems
from .draft import Draft
from .issue import ParsedIssue

MANIFEST = "_ingest.yaml"
BACKUP_DIR = "_backup"
FRONT_MATTER_ORDER = (
    "id", "title", "doc_number", "issuer", "date", "category", "issue", "order", "page", "page_end",
    "addressee", "attachments", "source_lines",
)


class _Dumper(yaml.SafeDumper):
    pass


def _str_representer(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)


def dump_yaml(data: object) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000, default_flow_style=False)


def document_file_name(draft: Draft) -> str:
    return f"{draft.order:02d}-{draft.id}.md"


def document_text(draft: Draft, year: int, number: int) -> str:
    values = {
        "id": draft.id,
        "title": draft.title,
        "doc_number": draft.doc_number,
        "issuer": draft.issuer,
        "date": draft.date,
        "category": draft.category,
        "issue": {"year": year, "number": number},
        "order": draft.order,
        "page": draft.page,
        "page_end": draft.page_end,
        "addressee": draft.addressee,
        "attachments": list(draft.attachments),
        "source_lines": [draft.first_line, draft.last_line],
    }
    front_matter = dump_yaml({key: values[key] for key in FRONT_MATTER_ORDER})
    return f"---\n{front_matter}---\n\n{draft.body.rstrip()}\n"


def issue_files(parsed: ParsedIssue) -> dict[str, bytes]:
    """Every file of the issue directory, by name, as bytes."""
    files = {
        "issue.yaml": dump_yaml(parsed.meta).encode("utf-8"),
        parsed.meta["source"]["stored_as"]: parsed.raw,
    }
    for draft in parsed.drafts:
        files[document_file_name(draft)] = document_text(draft, parsed.year, parsed.number).encode("utf-8")
    return files


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class WritePlan:
    directory: Path
    write: dict[str, bytes] = field(default_factory=dict)
    delete: list[str] = field(default_factory=list)
    backup: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    manifest: dict = field(default_factory=dict)

    @property
    def changes(self) -> bool:
        return bool(self.write or self.delete)


def _read_manifest(directory: Path, problems: Problems) -> dict[str, str] | None:
    path = directory / MANIFEST
    if not path.exists():
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        files = data.get("files", {})
        if not isinstance(files, dict):
            raise ValueError("files 不是映射")
        return {str(k): str(v) for k, v in files.items()}
    except (yaml.YAMLError, ValueError, AttributeError) as exc:
        problems.warning(path, None, f"导入记录无法读取（{exc}）：视同所有已有文件都经过手工修改")
        return {}


def plan(directory: Path, files: dict[str, bytes], force: bool, problems: Problems) -> WritePlan:
    recorded = _read_manifest(directory, problems) if directory.exists() else None
    result = WritePlan(directory)
    result.manifest = {"generator": f"gazette-site {__version__}", "files": {n: sha256(d) for n, d in sorted(files.items())}}
    for name, data in files.items():
        path = directory / name
        if not path.exists():
            result.write[name] = data
            continue
        current = path.read_bytes()
        if current == data:
            result.unchanged.append(name)
            continue
        if recorded is not None and recorded.get(name) == sha256(current):
            result.write[name] = data
        elif force:
            result.backup.append(name)
            result.write[name] = data
        else:
            problems.error(path, None, "此文件在上次导入后被手工修改过，未覆盖：确认要用新导入的内容替换时加 --force（会先备份）")
    for name in sorted((recorded or {}).keys() - files.keys()):
        path = directory / name
        if not path.exists():
            continue
        if recorded.get(name) == sha256(path.read_bytes()):
            result.delete.append(name)
        elif force:
            result.backup.append(name)
            result.delete.append(name)
        else:
            problems.error(path, None, "本次导入不再生成此文件，但它被手工修改过：保留它请从导入记录中删除，替换请加 --force（会先备份）")
    return result


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def apply(result: WritePlan, now: dt.datetime | None = None) -> None:
    directory = result.directory
    if not directory.exists():
        # A new issue appears whole or not at all.
        directory.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
        try:
            for name, data in result.write.items():
                (staging / name).write_bytes(data)
            (staging / MANIFEST).write_text(dump_yaml(result.manifest), encoding="utf-8")
            os.rename(staging, directory)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return
    if result.backup:
        stamp = (now or dt.datetime.now(dt.timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
        backup_dir = directory / BACKUP_DIR / stamp
        backup_dir.mkdir(parents=True, exist_ok=True)
        for name in result.backup:
            shutil.copy2(directory / name, backup_dir / name)
    for name, data in result.write.items():
        _atomic_write(directory / name, data)
    for name in result.delete:
        (directory / name).unlink()
    manifest = dump_yaml(result.manifest).encode("utf-8")
    manifest_path = directory / MANIFEST
    if not manifest_path.exists() or manifest_path.read_bytes() != manifest:
        _atomic_write(manifest_path, manifest)
