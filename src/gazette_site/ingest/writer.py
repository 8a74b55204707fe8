"""Writing an ingested issue into ``content/`` without losing anything.

Every file ingest writes is recorded with its SHA-256 in ``_ingest.yaml``. On
re-ingest of the same text a file is replaced only when it still has the
recorded checksum (nobody edited it); a hand-edited file is kept unless
``--force``. Removing a file, or replacing an issue ingested from another
text, takes ``--replace`` (see ``plan``). What either replaces or removes is
backed up first. Files ingest did not write are never touched.
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
from ..content import DOCUMENT_FIELDS
from ..model import IssueRef
from ..problems import Problems
from .draft import Draft
from .issue import ParsedIssue

MANIFEST = "_ingest.yaml"
BACKUP_DIR = "_backup"
# The fields ingest writes, in the order of the one field table.
FRONT_MATTER_ORDER = tuple(name for name, field in DOCUMENT_FIELDS.items() if field.from_draft)


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
    issue = IssueRef(year, number)
    values = {name: DOCUMENT_FIELDS[name].from_draft(draft, issue) for name in FRONT_MATTER_ORDER}
    return f"---\n{dump_yaml(values)}---\n\n{draft.body.rstrip()}\n"


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
    created: bool = False  # a new issue: its directory appears whole (see ``apply``)
    write: dict[str, bytes] = field(default_factory=dict)
    delete: list[str] = field(default_factory=list)
    backup: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    manifest: dict = field(default_factory=dict)
    backup_dir: Path | None = None  # where ``apply`` put the backup

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


_NAMES_SHOWN = 5


def _names(names: list[str]) -> str:
    shown = "、".join(names[:_NAMES_SHOWN])
    return shown + ("等" if len(names) > _NAMES_SHOWN else "")


def _recorded_source(directory: Path) -> str:
    """The name the issue's raw text had, as ``issue.yaml`` records it, for a message; "" if unknown."""
    try:
        name = yaml.safe_load((directory / "issue.yaml").read_text(encoding="utf-8"))["source"]["filename"]
    except (OSError, UnicodeDecodeError, yaml.YAMLError, TypeError, KeyError):
        return ""
    return f"（{name}）" if isinstance(name, str) else ""


def plan(directory: Path, files: dict[str, bytes], force: bool, problems: Problems, *, replace: bool = False,
         source: str | None = None, raw_path: Path | str = "这份文本") -> WritePlan:
    """What ingesting ``files`` into ``directory`` writes, removes and backs up; errors recorded where it
    may not. ``source``: the name of the raw text among ``files`` (without it, an issue already there
    counts as ingested from another text); ``raw_path``: the raw text, for the messages.

    An issue already there changes only as far as nothing is lost unasked:

    * ingested again from the same raw text (by a newer version, say), the files
      ingest wrote and nobody edited since are brought up to date; a file edited
      by hand is replaced only with ``force``;
    * a file the new ingest no longer makes is removed only with ``replace``, and
      an issue ingested from another text (a wrong cover, a wrong ``--year`` or
      ``--issue``) is replaced only with ``replace``: the message says what would go.

    Every file replaced or removed that was edited, and with ``replace`` every
    one, is backed up first. Files ingest did not write are never touched.
    """
    created = not directory.exists() or not any(directory.iterdir())
    result = WritePlan(directory, created)
    result.manifest = {"generator": f"gazette-site {__version__}", "files": {n: sha256(d) for n, d in sorted(files.items())}}
    if created:
        result.write = dict(files)
        return result
    recorded = _read_manifest(directory, problems)
    same_text = source is not None and (directory / source).is_file() and (directory / source).read_bytes() == files[source]
    replaced, edited = [], []
    for name, data in files.items():
        path = directory / name
        if not path.exists():
            result.write[name] = data
            continue
        current = path.read_bytes()
        if current == data:
            result.unchanged.append(name)
            continue
        result.write[name] = data
        replaced.append(name)
        if recorded is None or recorded.get(name) != sha256(current):
            edited.append(name)
    removed = [name for name in sorted((recorded or {}).keys() - files.keys()) if (directory / name).is_file()]
    edited += [name for name in removed if recorded[name] != sha256((directory / name).read_bytes())]
    if replace:
        result.backup = replaced + removed
    elif not same_text:
        if replaced or removed:
            year, number = directory.parent.name, directory.name
            problems.error(
                directory, None,
                f"这里已有{year}年第{number}期，导入自另一份原始文本{_recorded_source(directory)}：导入 {raw_path} 会"
                + "、".join(filter(None, [removed and f"删除 {len(removed)} 个文件（{_names(removed)}）",
                                          replaced and f"替换 {len(replaced)} 个文件（{_names(replaced)}）"]))
                + (f"，其中 {len(edited)} 个被手工修改过" if edited else "")
                + "。若封面上的年份期号或 --year/--issue 有误，请改正后再导入；确实要用这份文本替换这一期，"
                f"请运行 python build.py ingest {raw_path} --replace（删除和替换的文件先备份到 {directory / BACKUP_DIR}/）")
    else:
        for name in replaced:
            if name not in edited:
                continue
            if force:
                result.backup.append(name)
            else:
                problems.error(directory / name, None, "此文件在上次导入后被手工修改过，未覆盖：确认要用新导入的内容替换时加 --force（会先备份）")
        for name in removed:
            problems.error(directory / name, None,
                           "重新导入后不再有这个文件" + ("，而它被手工修改过" if name in edited else "")
                           + "：要删除它，加 --replace（会先备份）；要保留它，从 _ingest.yaml 中删去它那一行")
    result.delete = removed
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


def _new_backup_dir(directory: Path, now: dt.datetime) -> Path:
    """A backup directory of its own, even for two ingests within a second: one never overwrites another's."""
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    candidate, attempt = directory / BACKUP_DIR / stamp, 1
    while True:
        try:
            candidate.mkdir(parents=True)
            return candidate
        except FileExistsError:
            attempt += 1
            candidate = directory / BACKUP_DIR / f"{stamp}-{attempt}"


def apply(result: WritePlan, now: dt.datetime | None = None) -> None:
    directory = result.directory
    if result.created:
        # A new issue appears whole or not at all (renamed onto its directory if that is there, empty).
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
        # Every file to be replaced or removed is copied before the first is touched.
        result.backup_dir = _new_backup_dir(directory, now or dt.datetime.now(dt.timezone.utc))
        for name in result.backup:
            shutil.copy2(directory / name, result.backup_dir / name)
    for name, data in result.write.items():
        _atomic_write(directory / name, data)
    for name in result.delete:
        (directory / name).unlink()
    manifest = dump_yaml(result.manifest).encode("utf-8")
    manifest_path = directory / MANIFEST
    if not manifest_path.exists() or manifest_path.read_bytes() != manifest:
        _atomic_write(manifest_path, manifest)
