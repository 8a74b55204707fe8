"""What the tool guarantees an editor, attacked as a hostile or careless user would (issue 18).

One table row per attack: how the project is set up, the command, its exit
code and the messages it must print (file and line, what to do). Every row
also checks what must never happen: a file outside the project touched, a
traceback or an internal error shown, and, where the command fails, the
published site or the content changed. The guarantees are listed in the
README ("What the build never does").
"""
from __future__ import annotations

import errno
import functools
import hashlib
import os
import pickle
import resource
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gazette_site import commands, parse_cache
from gazette_site.ingest.issue import parse_issue
from gazette_site.ingest.text import ends_sentence, join_wrapped, width
from gazette_site.problems import Problems
from support import REPO_ROOT, compare_trees

sys.path.insert(0, str(REPO_ROOT / "bench"))
import synthetic  # noqa: E402

BUILD = REPO_ROOT / "build.py"
MINI_CONTENT = REPO_ROOT / "tests" / "fixtures" / "content-mini"
SEED_TEXT = (REPO_ROOT / "content" / "2023" / "1" / "source.txt").read_text(encoding="utf-8")
VARIATIONS = REPO_ROOT / "tests" / "fixtures" / "ingest" / "variations-2023-2.txt"
VARIATIONS_TEXT = VARIATIONS.read_text(encoding="utf-8")
# A document of the mini archive, and the lines of its front matter the cases change.
VICTIM = Path("content/2023/1/02-xinzhengban-2023-5.md")
VICTIM_PAGE = Path("public/doc/xinzhengban-2023-5/index.html")
TITLE_LINE, ISSUER_LINE = 3, 5
# The line of the variations issue that prints its second document's title.
TITLE_IN_VARIATIONS = VARIATIONS_TEXT.split("\n").index("武汉市新洲区人民政府关于印发新洲区农村公路管理办法的通知") + 1


# --- the project ------------------------------------------------------------

def run_cli(project: Path, *args: str, limits: tuple[tuple[int, int], ...] = (),
            timeout: float = 120) -> subprocess.CompletedProcess:
    """``python build.py ARGS`` in the project; ``limits``: resource limits of the process (a full
    disk is a file size limit; a write past it fails with EFBIG instead of killing the process)."""
    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        for limit, value in limits:
            resource.setrlimit(limit, (value, value))

    return subprocess.run([sys.executable, str(BUILD), *args], cwd=project, capture_output=True, text=True,
                          timeout=timeout, preexec_fn=limited if limits else None)


def snapshot(root: Path) -> dict[str, str]:
    """Everything below ``root`` as it is, links not followed: what a file holds, where a link leads."""
    entries = {}
    for directory, names, files in os.walk(root):
        for name in names + files:
            path = Path(directory) / name
            key = path.relative_to(root).as_posix()
            if path.is_symlink():
                entries[key] = "-> " + os.readlink(path)
            elif path.is_dir():
                entries[key] = "dir"
            elif path.is_file():
                entries[key] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                entries[key] = "special"
    return entries


@pytest.fixture
def project(tmp_path):
    """An editor's checkout with a published site (the mini archive), an empty inbox, and beside it
    ``outside/``: files no command may touch."""
    outside = tmp_path / "outside"
    (outside / "docs").mkdir(parents=True)
    (outside / "secret.txt").write_text("not the site's\n", encoding="utf-8")
    (outside / "docs" / "victim.html").write_text("<p>someone else's page</p>\n", encoding="utf-8")
    (outside / "doc.md").write_text((MINI_CONTENT / "2023/1/02-xinzhengban-2023-5.md").read_text(encoding="utf-8")
                                     .replace("id: xinzhengban-2023-5", "id: outside-doc").replace("order: 2", "order: 5"),
                                     encoding="utf-8")
    project = tmp_path / "project"
    project.mkdir()
    shutil.copyfile(REPO_ROOT / "site.yaml", project / "site.yaml")
    shutil.copytree(MINI_CONTENT, project / "content")
    (project / "inbox").mkdir()
    (project / "raw").mkdir()
    result = run_cli(project, "build", "--no-search")
    assert result.returncode == 0, result.stderr
    return project


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def ingest_variations(project: Path) -> None:
    result = run_cli(project, "ingest", str(VARIATIONS), "--content", "content")
    assert result.returncode == 0, result.stderr


def page(project: Path) -> str:
    return (project / VICTIM_PAGE).read_text(encoding="utf-8")


# --- setups -----------------------------------------------------------------

def as_it_is(project: Path) -> None:
    pass


def other_text_for_an_ingested_issue(project: Path) -> None:
    """Issue 2023/2 ingested; waiting in raw/: the seed's documents without a cover (so --year/--issue)."""
    ingest_variations(project)
    (project / "raw" / "other.txt").write_text(SEED_TEXT[SEED_TEXT.index("◆ 区级文件选登 ◆"):], encoding="utf-8")


def a_document_an_earlier_ingest_made(project: Path) -> None:
    """Issue 2023/2 ingested, with a document the ingest recorded but the same text no longer makes."""
    ingest_variations(project)
    directory = project / "content" / "2023" / "2"
    extra = directory / "09-extra.md"
    extra.write_text("made by an earlier version\n", encoding="utf-8")
    manifest = directory / "_ingest.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8")
                        + f"  09-extra.md: {hashlib.sha256(extra.read_bytes()).hexdigest()}\n", encoding="utf-8")


def another_text_of_an_ingested_issue_in_the_inbox(project: Path) -> None:
    ingest_variations(project)
    (project / "inbox" / "2023-2-again.txt").write_text(VARIATIONS_TEXT.replace("农村公路", "农村道路"), encoding="utf-8")


def new_issue_and_a_broken_document(project: Path) -> None:
    shutil.copyfile(VARIATIONS, project / "inbox" / "xinzhou-2023-2.txt")
    edit(project / VICTIM, "date: 2023-03-01", "date: 2023-02-30")


def outside_folder_linked_into_the_output(project: Path) -> None:
    shutil.rmtree(project / "public" / "doc")
    (project / "public" / "doc").symlink_to(project.parent / "outside" / "docs")


def output_linked_to_the_web_root(project: Path) -> None:
    (project.parent / "web").mkdir()
    shutil.rmtree(project / "public")
    shutil.rmtree(project / ".public.state")
    (project / "public").symlink_to(project.parent / "web")


def someone_elses_folder(project: Path) -> None:
    (project / "elsewhere").mkdir()
    (project / "elsewhere" / "index.html").write_text("<p>my own home page</p>\n", encoding="utf-8")
    (project / "elsewhere" / "notes.txt").write_text("kept\n", encoding="utf-8")


def source_linked_out(project: Path) -> None:
    source = project / "content" / "2023" / "1" / "source.txt"
    source.unlink()
    source.symlink_to(project.parent / "outside" / "secret.txt")


def source_changed(project: Path) -> None:
    with (project / "content" / "2023" / "1" / "source.txt").open("a", encoding="utf-8") as stream:
        stream.write("一行后来加上的文字\n")


def source_changed_unseen(project: Path) -> None:
    """Bytes of the raw text swapped, its size and mtime put back: a published site looks up to date."""
    source = project / "content" / "2023" / "1" / "source.txt"
    times = source.stat()
    data = source.read_bytes()
    source.write_bytes(data[1:2] + data[:1] + data[2:])
    os.utime(source, ns=(times.st_atime_ns, times.st_mtime_ns))


def document_linked_out(project: Path) -> None:
    (project / "content" / "2023" / "1" / "05-outside-doc.md").symlink_to(project.parent / "outside" / "doc.md")


def title_opening_a_comment(project: Path) -> None:
    edit(project / VICTIM, "title: 区人民政府办公室关于", "title: 区人民政府办公室关于<!--<script>")


def control_character_in_a_raw_title(project: Path) -> None:
    lines = VARIATIONS_TEXT.split("\n")
    lines[TITLE_IN_VARIATIONS - 1] = lines[TITLE_IN_VARIATIONS - 1].replace("农村公路", "农村\a公路")
    (project / "raw" / "bel.txt").write_text("\n".join(lines), encoding="utf-8")


def control_character_in_a_hand_edited_title(project: Path) -> None:
    edit(project / VICTIM, "title: 区人民政府办公室关于做好2023年重点工作责任分解工作的通知",
         'title: "区人民政府办公室关于做好2023年重点工作责任分解工作的通知\\a"')


def retitled(project: Path) -> None:
    edit(project / VICTIM, "责任分解工作的通知", "责任分解工作的通知（修订）")


def read_only_output(project: Path) -> None:
    retitled(project)
    for directory, _, _ in os.walk(project / "public"):
        os.chmod(directory, 0o555)


def issue_file_unreadable(project: Path) -> None:
    issue = project / "content" / "2023" / "1" / "issue.yaml"
    issue.unlink()
    issue.mkdir()


def over_long_id(project: Path) -> None:
    edit(project / VICTIM, "id: xinzhengban-2023-5", "id: " + "a" * 300)


def over_long_issuer(project: Path) -> None:
    edit(project / VICTIM, "issuer: [武汉市新洲区人民政府办公室, 中共武汉市新洲区委办公室]",
         "issuer: " + "武汉市新洲区人民政府办公室" * 10)


def damaged_cache_entry(project: Path) -> None:
    """An entry damaged inside a cache file that is itself intact; a document changed, so the cache is read."""
    path = project / ".cache" / parse_cache.FILE
    stored = pickle.loads(path.read_bytes())
    first = next(iter(stored["entries"]))
    stored["entries"][first] = b"\x80\x05damaged"
    path.write_bytes(pickle.dumps(stored))
    retitled(project)


def no_cache(project: Path) -> None:
    shutil.rmtree(project / ".cache")


def body_with_the_sites_names(project: Path) -> None:
    edit(project / VICTIM, "---\n各街道办事处", "---\n{#site-search .visually-hidden data-search-body=x}\n各街道办事处")


def protocol_relative_link(project: Path) -> None:
    edit(project / VICTIM, "现将有关事项通知如下。", "现将有关事项通知如下，见[外站](//evil.example/)。")


def inbox_entries_that_are_not_files(project: Path) -> None:
    inbox = project / "inbox"
    (inbox / "folder.txt").mkdir()
    os.mkfifo(inbox / "pipe.txt")
    (inbox / "gone.txt").symlink_to(inbox / "missing.txt")


def raw_pipe(project: Path) -> None:
    os.mkfifo(project / "raw" / "pipe.txt")


def raw_over_200_mb(project: Path) -> None:
    with (project / "raw" / "huge.txt").open("wb") as stream:
        stream.truncate(201 * 2**20)  # sparse: no disk space taken


# --- checks after the command -------------------------------------------------

def backed_up_before_replaced(project: Path, result: subprocess.CompletedProcess) -> None:
    directory = project / "content" / "2023" / "2"
    backup, = (directory / "_backup").iterdir()
    assert (backup / "source.txt").read_bytes() == VARIATIONS.read_bytes()
    assert f"备份 {len(list(backup.iterdir()))} 个到 {backup.relative_to(project)}" in result.stdout
    # every file the other text replaced or removed is in the backup, as it was
    for name in ("issue.yaml", *(p.name for p in backup.glob("*.md"))):
        assert (backup / name).is_file()
    assert (directory / "source.txt").read_bytes() == (project / "raw" / "other.txt").read_bytes()


def published_through_the_link(project: Path, result: subprocess.CompletedProcess) -> None:
    web = project.parent / "web"
    assert (project / "public").is_symlink() and (project / "public").resolve() == web
    assert (web / "index.html").is_file() and (web / "doc" / "xinzhengban-2023-5" / "index.html").is_file()
    again = run_cli(project, "build", "--no-search")
    assert again.returncode == 0 and "网站已是最新" in again.stdout, again.stderr


def doc_is_the_sites_own(project: Path, result: subprocess.CompletedProcess) -> None:
    doc = project / "public" / "doc"
    assert doc.is_dir() and not doc.is_symlink() and (doc / "xinzhengban-2023-5" / "index.html").is_file()


def someone_elses_page_replaced_the_rest_kept(project: Path, result: subprocess.CompletedProcess) -> None:
    assert "my own home page" not in (project / "elsewhere" / "index.html").read_text(encoding="utf-8")
    assert (project / "elsewhere" / "notes.txt").read_text(encoding="utf-8") == "kept\n"


def json_ld_escaped(project: Path, result: subprocess.CompletedProcess) -> None:
    text = page(project)
    assert "<!--<script>" not in text and "\\u003c!--\\u003cscript\\u003e" in text


def published_writable(project: Path, result: subprocess.CompletedProcess) -> None:
    assert "（修订）" in page(project)
    assert not (project / ".public.state" / "staging").exists()
    for directory, _, _ in os.walk(project / "public"):
        assert os.stat(directory).st_mode & 0o200, directory  # a later build can set them aside again


def built_again(project: Path, result: subprocess.CompletedProcess) -> None:
    assert "（修订）" in page(project)
    retitled(project)  # once more: the cache written after the damage serves the next build
    again = run_cli(project, "build", "--no-search")
    assert again.returncode == 0 and "已损坏" not in again.stderr, again.stderr


def nothing_written(project: Path, result: subprocess.CompletedProcess) -> None:
    assert not (project / ".cache").exists()


def sites_names_left_to_the_site(project: Path, result: subprocess.CompletedProcess) -> None:
    text = page(project)
    assert text.count('id="site-search"') == 1 and text.count("data-search-body") == 1
    assert 'class="visually-hidden">各街道办事处' not in text and "<p>各街道办事处" in text


def marked_external(project: Path, result: subprocess.CompletedProcess) -> None:
    assert '<a href="//evil.example/" rel="noopener noreferrer">外站</a>' in page(project)


# --- the table ----------------------------------------------------------------

def _nothing(project: Path, result: subprocess.CompletedProcess) -> None:
    pass


@dataclass(frozen=True)
class Attack:
    name: str
    item: int  # of issue 18
    prepare: Callable[[Path], None]
    args: tuple[str, ...]
    exit_code: int
    messages: tuple[str, ...] = ()  # each a fragment of one stderr line; paths from the project, where it runs
    unchanged: tuple[str, ...] = ()  # paths in the project that must be as they were ("." the whole project)
    check: Callable[[Path, subprocess.CompletedProcess], None] = _nothing
    limits: tuple[tuple[int, int], ...] = ()


BUILD_NO_SEARCH = ("build", "--no-search")
FAILED_BUILD = ("content", "public")  # a build that fails changes neither
MEMORY = ((resource.RLIMIT_AS, 2 * 2**30),)  # reading /dev/zero must not take the machine down

ATTACKS = [
    # 1. An issue already in content/ is never replaced or removed unasked; a failed publish changes nothing.
    Attack("another text given the number of an ingested issue", 1, other_text_for_an_ingested_issue,
           ("ingest", "raw/other.txt", "--content", "content", "--year", "2023", "--issue", "2"), 1,
           ("content/2023/2: 错误: 这里已有2023年第2期，导入自另一份原始文本（variations-2023-2.txt）：导入 raw/other.txt 会删除",
            "确实要用这份文本替换这一期，请运行 python build.py ingest raw/other.txt --replace"),
           unchanged=("content",)),
    Attack("--replace backs the issue up first", 1, other_text_for_an_ingested_issue,
           ("ingest", "raw/other.txt", "--content", "content", "--year", "2023", "--issue", "2", "--replace"), 0,
           check=backed_up_before_replaced),
    Attack("re-ingest of the same text removes nothing unasked", 1, a_document_an_earlier_ingest_made,
           ("ingest", str(VARIATIONS), "--content", "content"), 1,
           ("content/2023/2/09-extra.md: 错误: 重新导入后不再有这个文件：要删除它，加 --replace",),
           unchanged=("content",)),
    Attack("publish of another text of an ingested issue", 1, another_text_of_an_ingested_issue_in_the_inbox,
           (), 1, ("content/2023/2: 错误: 这里已有2023年第2期",), unchanged=FAILED_BUILD),
    Attack("publish whose build fails after ingest", 1, new_issue_and_a_broken_document, (), 1,
           ("content/2023/1/02-xinzhengban-2023-5.md:6: 错误: 字段 “date” 不是实际存在的日期",
            "发布没有完成：已撤销本次导入的"),
           unchanged=FAILED_BUILD),
    # 2. A link in the output is never followed; an output that is a link is published where it leads.
    Attack("a folder outside linked into the output", 2, outside_folder_linked_into_the_output, BUILD_NO_SEARCH, 0,
           ("public/doc: 警告: 是符号链接",), check=doc_is_the_sites_own),
    Attack("the output a link to the web root", 2, output_linked_to_the_web_root, BUILD_NO_SEARCH, 0,
           check=published_through_the_link),
    # 3. An output that would replace the project, the content or someone's files is refused.
    Attack("--out the project", 3, as_it_is, (*BUILD_NO_SEARCH, "--out", "."), 1,
           (".: 错误: 输出目录是（或包含）项目目录",), unchanged=(".",)),
    Attack("--out the content", 3, as_it_is, (*BUILD_NO_SEARCH, "--out", "content"), 1,
           ("content: 错误: 输出目录与内容目录",), unchanged=(".",)),
    Attack("--out the root", 3, as_it_is, (*BUILD_NO_SEARCH, "--out", "/"), 1,
           ("/: 错误: 输出目录是（或包含）项目目录",), unchanged=(".",)),
    Attack("--out a folder of someone else's files", 3, someone_elses_folder, (*BUILD_NO_SEARCH, "--out", "elsewhere"), 1,
           ("elsewhere: 错误: 目录不是空的（如其中的 ", "加 --force"), unchanged=(".",)),
    Attack("--out a folder of someone else's files, --force", 3, someone_elses_folder,
           (*BUILD_NO_SEARCH, "--out", "elsewhere", "--force"), 0, check=someone_elses_page_replaced_the_rest_kept),
    # 4. What is published as an issue's raw text is that text, from inside content/.
    Attack("a raw text linked out of the content", 4, source_linked_out, BUILD_NO_SEARCH, 1,
           ("content/2023/1/source.txt: 错误: 是指向内容目录之外的符号链接",), unchanged=("public",)),
    Attack("a raw text changed since it was ingested", 4, source_changed, BUILD_NO_SEARCH, 1,
           ("content/2023/1/source.txt: 错误: 原始文本与 issue.yaml 的记录不符",), unchanged=("public",)),
    Attack("a raw text changed with its size and mtime put back", 4, source_changed_unseen, BUILD_NO_SEARCH, 1,
           ("content/2023/1/source.txt: 错误: 原始文本与 issue.yaml 的记录不符",), unchanged=("public",)),
    Attack("a document linked out of the content", 4, document_linked_out, BUILD_NO_SEARCH, 1,
           ("content/2023/1/05-outside-doc.md: 错误: 是指向内容目录之外的符号链接",), unchanged=("public",)),
    # 5. Script and XML stay well-formed whatever a title holds.
    Attack("a title opening a comment inside the JSON-LD", 5, title_opening_a_comment, BUILD_NO_SEARCH, 0,
           check=json_ld_escaped),
    Attack("a control character in a raw title", 5, control_character_in_a_raw_title,
           ("ingest", "raw/bel.txt", "--content", "content"), 1,
           (f"raw/bel.txt:{TITLE_IN_VARIATIONS}: 错误: 含有控制字符 U+0007",), unchanged=("content",)),
    Attack("a control character in a hand-edited title", 5, control_character_in_a_hand_edited_title,
           BUILD_NO_SEARCH, 1, (f"{VICTIM}:{TITLE_LINE}: 错误: 字段 “title” 含有控制字符 U+0007",),
           unchanged=("public",)),
    # 7. Failures leave nothing stuck, and say what happened and what to do.
    Attack("a read-only output", 7, read_only_output, BUILD_NO_SEARCH, 0, check=published_writable),
    Attack("a full disk", 7, retitled, BUILD_NO_SEARCH, 1,
           ("错误: 文件操作失败（File too large）：磁盘空间不足或超出了文件大小限制",), unchanged=("public",),
           limits=((resource.RLIMIT_FSIZE, 4096),)),
    Attack("an unreadable issue file", 7, issue_file_unreadable, BUILD_NO_SEARCH, 1,
           ("content/2023/1/issue.yaml: 错误: 无法读取文件（Is a directory）",), unchanged=("public",)),
    Attack("an over-long id", 7, over_long_id, BUILD_NO_SEARCH, 1,
           (f"{VICTIM}:2: 错误: 字段 “id” id 过长（300 个字符",), unchanged=("public",)),
    Attack("an over-long issuer", 7, over_long_issuer, BUILD_NO_SEARCH, 1,
           (f"{VICTIM}:{ISSUER_LINE}: 错误: 字段 “issuer” 发文机关名称过长",), unchanged=("public",)),
    Attack("a cache entry damaged inside an intact file", 7, damaged_cache_entry, BUILD_NO_SEARCH, 0,
           (f".cache/{parse_cache.FILE}: 警告: 元数据缓存已损坏：已丢弃并重新读取",), check=built_again),
    Attack("check writes nothing", 7, no_cache, ("check",), 0, unchanged=(".",), check=nothing_written),
    # 8. Lesser: the page's own names, links to other hosts, what sits in the inbox, what is given to ingest.
    Attack("attributes taking the site's names", 8, body_with_the_sites_names, BUILD_NO_SEARCH, 0,
           check=sites_names_left_to_the_site),
    Attack("a protocol-relative link", 8, protocol_relative_link, BUILD_NO_SEARCH, 0, check=marked_external),
    Attack("inbox entries that are not files", 8, inbox_entries_that_are_not_files, (), 0,
           tuple(f"inbox/{name}: 警告: 不是普通文件（文件夹、管道、设备或失效的链接），没有导入"
                 for name in ("folder.txt", "gone.txt", "pipe.txt"))),
    Attack("ingest of a pipe", 8, raw_pipe, ("ingest", "raw/pipe.txt", "--content", "content"), 1,
           ("raw/pipe.txt: 错误: 不是普通文件",), unchanged=("content",)),
    Attack("ingest of a device", 8, as_it_is, ("ingest", "/dev/zero", "--content", "content"), 1,
           ("/dev/zero: 错误: 不是普通文件",), unchanged=("content",), limits=MEMORY),
    Attack("ingest of over 200 MB", 8, raw_over_200_mb, ("ingest", "raw/huge.txt", "--content", "content"), 1,
           ("raw/huge.txt: 错误: 文件超过 200 MB",), unchanged=("content",), limits=MEMORY),
]


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: f"{a.item}-{a.name}")
def test_attack(attack, project):
    attack.prepare(project)
    outside = snapshot(project.parent / "outside")
    before = {path: snapshot(project / path) for path in attack.unchanged}
    result = run_cli(project, *attack.args, limits=attack.limits, timeout=60)
    output = result.stdout + result.stderr
    # Booleans first: pytest would compare the whole output in its message, however long.
    explained = "Traceback" not in output and "内部错误" not in output
    assert explained, output[-3000:]
    assert result.returncode == attack.exit_code, output[-3000:]
    lines = result.stderr.splitlines()
    for message in attack.messages:
        found = any(message in line for line in lines)
        assert found, (message, result.stderr[-3000:])
    assert snapshot(project.parent / "outside") == outside
    for path, was in before.items():
        assert snapshot(project / path) == was, path
    attack.check(project, result)


# --- 1, 7: a publish that cannot record its URLs publishes nothing -------------

def test_a_registry_that_cannot_be_written_publishes_nothing(project, monkeypatch, capsys):
    """content/ read-only, say: the registry is written before the site is swapped in, and a failure
    to write it leaves the published site and content/ as they were."""
    from gazette_site.publish import pipeline

    registry = project / "content" / "permalinks.txt"
    real_write = pipeline.write_file

    def read_only(root, output):
        if Path(root) / output.path == registry:
            raise PermissionError(errno.EACCES, "Permission denied", str(registry))
        return real_write(root, output)

    before = {path: snapshot(project / path) for path in ("public", "content")}
    monkeypatch.setattr(pipeline, "write_file", read_only)
    monkeypatch.chdir(project)
    assert commands.main(["publish"]) == 1
    errors = capsys.readouterr().err
    assert f"{registry.relative_to(project)}: 错误: 文件操作失败（Permission denied）：没有权限" in errors, errors
    assert {path: snapshot(project / path) for path in before} == before


# --- issue 19: the site is what is uploaded -------------------------------------

def test_the_same_content_in_two_folders_gives_byte_identical_sites_with_nothing_of_the_build(tmp_path):
    """Two checkouts (other paths, inodes and times): the same site, byte for byte, search included;
    the build's state lies beside public/, so there is no dot-file in it to upload by mistake."""
    sites = []
    for project in (tmp_path / "one", tmp_path / "elsewhere" / "two"):
        project.mkdir(parents=True)
        shutil.copyfile(REPO_ROOT / "site.yaml", project / "site.yaml")
        shutil.copytree(MINI_CONTENT, project / "content", copy_function=shutil.copy)  # times not kept
        result = run_cli(project, "build")
        assert result.returncode == 0, result.stderr
        assert (project / ".public.state").is_dir()
        sites.append(project / "public")
    assert (sites[0] / "search" / "index.html").is_file()
    assert compare_trees(*sites) == []
    for site in sites:
        assert [path for path in site.rglob(".*")] == []


# --- 7: two builds of one output take turns ------------------------------------

def test_two_builds_into_one_output_take_turns(tmp_path):
    shutil.copyfile(REPO_ROOT / "site.yaml", tmp_path / "site.yaml")
    synthetic.write_archive(tmp_path / "content", 6)  # long enough to start the second during the first
    first = subprocess.Popen([sys.executable, str(BUILD), "build"], cwd=tmp_path, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    staging = tmp_path / ".public.state" / "staging"
    deadline = time.monotonic() + 60
    while not staging.exists() and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert first.poll() is None, "the first build finished before the second could start"
    second = run_cli(tmp_path, "build")
    first_output = first.communicate(timeout=300)
    for output, code in ((first_output[0] + first_output[1], first.returncode),
                         (second.stdout + second.stderr, second.returncode)):
        succeeded = code == 0 and "内部错误" not in output and "Traceback" not in output
        assert succeeded, output[-3000:]
    assert "另一个构建（进程 " in second.stderr and "正在写入这个目录：等它结束后再继续" in second.stderr
    assert "网站已是最新" in second.stdout


# --- 6: ingest takes time in proportion to the text ------------------------------

class _TooSlow(Exception):
    pass


def _parse_seconds(raw: bytes) -> float:
    started = time.perf_counter()
    problems = Problems()
    assert parse_issue(raw, "unpunctuated.txt", problems) is not None and not problems.errors
    return time.perf_counter() - started


def test_ingest_time_grows_with_the_text_not_with_its_square():
    """A body of lines that end no sentence is joined into one paragraph: 4 times the text, about 4
    times the time (16 when each line re-measured the text joined so far). Ratios only: machines differ."""
    small, large = (synthetic.unpunctuated_issue(megabytes).encode("utf-8") for megabytes in (2, 8))
    seconds = min(_parse_seconds(small) for _ in range(2))

    def too_slow(signum, frame):
        raise _TooSlow

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.setitimer(signal.ITIMER_REAL, 8 * seconds + 5)  # the quadratic version never gets this far
    try:
        ratio = _parse_seconds(large) / seconds
    except _TooSlow:
        ratio = float("inf")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert ratio < 8, f"8 MB took {ratio:.1f} times as long as 2 MB"


def test_the_benchmark_ingests_a_50_mb_issue(tmp_path):
    import run

    names = [scenario.name for scenario in run.scenarios(tmp_path, 1, Path("pagefind"))]
    assert run.UNPUNCTUATED_INGEST in names and run.UNPUNCTUATED_MB == 50
    text = synthetic.unpunctuated_issue(0.2)
    assert len(text.encode("utf-8")) - len(SEED_TEXT.encode("utf-8")) == pytest.approx(200_000, rel=0.01)
    problems = Problems()
    parsed = parse_issue(text.encode("utf-8"), "unpunctuated.txt", problems)
    assert parsed is not None and not problems.errors


# Pieces as the PDF cuts them: Chinese and Latin text, spaces of both widths, sentence ends, closing quotes.
_PIECES = st.text(alphabet=st.sampled_from(list("中文ab1 \u3000\t。：；)”’》」")), max_size=6)


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=8))
def test_text_joined_piece_by_piece_is_what_join_wrapped_makes(pieces):
    """The linear join keeps ingest's output as it was: the same text, width and sentence end."""
    from gazette_site.ingest.elements import _Joined

    joined = _Joined(pieces[0])
    for piece in pieces[1:]:
        joined.add(piece)
    expected = functools.reduce(join_wrapped, pieces[1:], pieces[0])
    assert (joined.text(), joined.width, joined.ends) == (expected, width(expected), ends_sentence(expected))
