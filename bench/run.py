"""Benchmark the build against Hugo + Pagefind on a synthetic archive.

    python bench/run.py [--docs 2100|10000] [--runs 3]

Prerequisites (once per machine): ``bash bench/setup``. Everything happens in
a temporary directory that is removed at the end; the results are saved to
``bench/results/<docs>.json`` and ``BENCHMARKS.md`` is rewritten from all
saved results (see bench/README.md).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))

import first_query  # noqa: E402
import measure  # noqa: E402
import report  # noqa: E402
import synthetic  # noqa: E402
from gazette_site.output import record_dir, state_dir  # noqa: E402
from gazette_site.render import BODY_CACHE  # noqa: E402

ROOT = synthetic.ROOT
HUGO_SITE = ROOT / "bench" / "hugo"
PAGEFIND_EXTENDED = Path.home() / ".cache" / "gazette-bench" / "pagefind-extended"
RESULTS = ROOT / "bench" / "results"
PROBLEM_COUNTS = re.compile(r"(\d+) 个错误，(\d+) 个警告")
INGEST_SECONDS = re.compile(r"（([\d.]+) 秒）")
BUILD_STAGES = re.compile(r"共 [\d.]+ 秒：([^）]+)）")  # the build's own report: （共 9.50 秒：读取 0.20，生成 …）
LARGE_INGEST = "ingest of a large raw issue"
UNPUNCTUATED_INGEST = "ingest of a 50 MB issue of lines that end no sentence"
UNPUNCTUATED_MB = 50
RENDER_ONLY = "render only (--no-search)"
INDEX_ONLY = "search index from scratch (pages kept)"
LARGE_RAW_COPIES = 85  # the seed's documents 85 times over: 20 MB of raw text


@dataclass
class Scenario:
    name: str
    command: list[str]
    prepare: Callable[[], None]  # before each run, not measured
    cleanup: Callable[[], None] = lambda: None  # after the last run
    output: tuple[str, Path] | None = None  # a site whose sizes to record after the last run


def pagefind_binary() -> Path:
    binary = PAGEFIND_EXTENDED / "pagefind_bin_extended" / "pagefind_extended"
    if not binary.is_file():
        sys.exit(f"{binary} is missing: run `bash bench/setup` first")
    return binary


def source_fingerprint() -> str:
    """Which state of the (possibly uncommitted) build code was measured."""
    digest = hashlib.sha256()
    for path in sorted([*ROOT.glob("src/gazette_site/**/*.py"), *ROOT.glob("templates/**/*")]):
        if path.is_file():
            digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    return f"commit {commit.strip()}, src + templates sha256 {digest.hexdigest()[:12]}"


def version(command: list[str]) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _reset(*paths: Path) -> Callable[[], None]:
    return lambda: [_remove(path) for path in paths]


def _reset_cache_but_bodies(out: Path, cache: Path) -> Callable[[], None]:
    def reset() -> None:
        if not (cache / BODY_CACHE).is_dir():
            raise RuntimeError("no rendered bodies in the cache: the render-only runs must come first")
        _reset(out, *(entry for entry in cache.iterdir() if entry.name != BODY_CACHE))()
    return reset


def _link_site(source: Path, target: Path) -> None:
    """The built site as the last build left it: hard links, since the build tells files changed
    since it published them by their inode (and never writes into one), and its record of them."""
    shutil.copytree(source, target, copy_function=os.link)
    _remove(record_dir(target))
    shutil.copytree(record_dir(source), record_dir(target))


def scenarios(temp: Path, copies: int, pagefind: Path) -> list[Scenario]:
    content, out, snapshot = temp / "content", temp / "out", temp / "out-snapshot"
    # Settings in the temporary directory: the build keeps its template cache beside them.
    settings, template_cache = temp / "site.yaml", temp / ".cache"
    shutil.copyfile(ROOT / "site.yaml", settings)
    build = [sys.executable, "build.py", "build", "--settings", str(settings), "--content", str(content)]
    added = content.joinpath(*map(str, synthetic.issue_slot(copies)))

    def take_snapshot() -> None:
        if not snapshot.exists():
            _link_site(out, snapshot)

    def add_issue() -> None:
        _reset(out, added)()
        if not snapshot.exists():  # the cold build runs leave the N-issue site in out
            raise RuntimeError("no snapshot of the built site")
        _link_site(snapshot, out)
        synthetic.write_issue(content, copies)

    hugo_public = temp / "hugo-public"
    return [
        Scenario("cold build (render + search)", [*build, "--out", str(out)], _reset(out, state_dir(out), template_cache),
                 output=("ours", out)),
        Scenario("no-op rebuild", [*build, "--out", str(out)], take_snapshot),
        # The pages are kept (their keys did not change): the search stage builds the whole index.
        Scenario(INDEX_ONLY, [*build, "--out", str(out)], _reset(out / "search")),
        Scenario("rebuild after adding one issue", [*build, "--out", str(out)], add_issue, _reset(added)),
        Scenario(RENDER_ONLY, [*build, "--no-search", "--out", str(temp / "render-out")],
                 _reset(temp / "render-out", state_dir(temp / "render-out"), template_cache)),
        # What render would take with a Markdown parser that cost nothing: the bodies
        # come from the cache the render-only runs filled; everything else is redone.
        Scenario(f"{RENDER_ONLY}, Markdown already rendered (body cache)",
                 [*build, "--no-search", "--out", str(temp / "render-out-bodies")],
                 _reset_cache_but_bodies(temp / "render-out-bodies", template_cache)),
        Scenario("Hugo", ["hugo", "--quiet", "--source", str(HUGO_SITE), "--contentDir", str(temp / "hugo-content"),
                          "--destination", str(hugo_public), "--cacheDir", str(temp / "hugo-cache")],
                 _reset(hugo_public, temp / "hugo-cache")),
        Scenario("Pagefind extended on Hugo's output", [str(pagefind), "--site", str(hugo_public)],
                 _reset(hugo_public / "pagefind"), output=("hugo", hugo_public)),
        Scenario("ingest of the raw seed issue", [sys.executable, "build.py", "ingest", str(synthetic.SEED / "source.txt"),
                                                  "--content", str(temp / "ingest")], _reset(temp / "ingest")),
        # The seed's 237 KB ingest in a few tens of milliseconds, so a whole process of it
        # measures start-up; this one measures parsing.
        Scenario(LARGE_INGEST, [sys.executable, "build.py", "ingest", str(large_raw(temp)),
                                "--content", str(temp / "ingest-large")], _reset(temp / "ingest-large")),
        # Joining wrapped lines must take time in proportion to the text (it once took its square).
        Scenario(UNPUNCTUATED_INGEST, [sys.executable, "build.py", "ingest", str(unpunctuated_raw(temp)),
                                       "--content", str(temp / "ingest-unpunctuated")],
                 _reset(temp / "ingest-unpunctuated")),
    ]


def large_raw(temp: Path) -> Path:
    path = temp / "large-issue.txt"
    if not path.exists():
        path.write_text(synthetic.raw_issue(LARGE_RAW_COPIES), encoding="utf-8")
    return path


def unpunctuated_raw(temp: Path) -> Path:
    path = temp / "unpunctuated-issue.txt"
    if not path.exists():
        path.write_text(synthetic.unpunctuated_issue(UNPUNCTUATED_MB), encoding="utf-8")
    return path


def check_output(scenario: Scenario, sample: measure.Sample) -> int:
    """Warnings of a build run; a build with errors is no measurement."""
    if scenario.command[1] != "build.py" or sample.killed:
        return 0
    counts = PROBLEM_COUNTS.findall(sample.output)
    errors, warnings = map(int, counts[-1]) if counts else (0, 0)
    if errors:
        raise measure.CommandFailed(scenario.command, 0, sample.output)
    return warnings


def run_scenario(scenario: Scenario, runs: int, single_run_over: float, memory_limit_mb: float) -> dict:
    samples, warnings = [], 0
    for index in range(runs):
        scenario.prepare()
        sample = measure.run(scenario.command, memory_limit_mb, cwd=ROOT)
        warnings = max(warnings, check_output(scenario, sample))
        samples.append(sample)
        print(f"  {scenario.name}: {sample.seconds:.2f} s, {sample.tree_rss_mb:.0f} MB"
              + (" (killed at the memory limit)" if sample.killed else ""), flush=True)
        if sample.killed or (index == 0 and sample.seconds > single_run_over):
            break
    scenario.cleanup()
    result = asdict(measure.Summary.of(samples))
    # Paths in the repository as the page shows them: the saved results read the same from any checkout.
    result.update(name=scenario.name, warnings=warnings, command=report.shorten(scenario.command))
    stages = [{name: float(value) for name, value in (pair.rsplit(" ", 1) for pair in found[-1].split("，"))}
              for found in (BUILD_STAGES.findall(s.output) for s in samples) if found]
    if stages:
        result["stages"] = {name: statistics.median(run.get(name, 0) for run in stages) for name in stages[0]}
    if scenario.name.startswith("ingest"):
        in_process = [float(m) for s in samples for m in INGEST_SECONDS.findall(s.output)]
        result["in_process_seconds"] = sorted(in_process)[len(in_process) // 2]
    return result


def profile_cold_build(temp: Path) -> str:
    """cProfile of one cold build in one process, as text (the profile itself is not kept)."""
    stats = temp / "cold.prof"
    _reset(temp / "profile-out", temp / ".cache")()  # cold: no rendered bodies or templates cached
    command = [sys.executable, "bench/profile_build.py", str(stats), "build", "--settings",
               str(temp / "site.yaml"), "--content", str(temp / "content"), "--out", str(temp / "profile-out")]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    return report.profile_text(stats, command)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2100, help="documents in the synthetic archive (default 2100)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each scenario (default 3)")
    parser.add_argument("--single-run-over", type=float, default=math.inf, metavar="SECONDS",
                        help="run a scenario once when its first run takes longer (default: never)")
    parser.add_argument("--memory-limit", type=float, default=16.0, metavar="GB",
                        help="kill a run whose process tree exceeds this (default 16 GB of the 24)")
    parser.add_argument("--only", nargs="+", metavar="WORD", help="only scenarios whose name contains a WORD (no-op and add-one need cold)")
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile run of a cold build (in one process)")
    parser.add_argument("--no-browser", action="store_true", help="skip the first queries in Chromium")
    args = parser.parse_args(argv)
    pagefind = pagefind_binary()
    seed_docs = len(synthetic.seed_documents())
    copies = math.ceil(args.docs / seed_docs)
    RESULTS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gazette-bench-") as temp_name:
        temp = Path(temp_name)
        docs = synthetic.write_archive(temp / "content", copies, temp / "hugo-content")
        print(f"{docs} documents in {copies} issues under {temp}", flush=True)
        results = {
            "docs": docs, "copies": copies, "seed_docs": seed_docs, "machine": report.machine(),
            "versions": {"python": sys.version.split()[0], "hugo": version(["hugo", "version"]),
                         "pagefind extended": version([str(pagefind), "--version"])},
            "code": source_fingerprint(), "raw_seed_bytes": (synthetic.SEED / "source.txt").stat().st_size,
            "raw_large_bytes": large_raw(temp).stat().st_size,
            "raw_unpunctuated_bytes": unpunctuated_raw(temp).stat().st_size,
            "temp": str(temp), "scenarios": [],
        }
        for scenario in scenarios(temp, copies, pagefind):
            if args.only and not any(word in scenario.name for word in args.only):
                continue
            print(scenario.name, flush=True)
            results["scenarios"].append(run_scenario(scenario, args.runs, args.single_run_over,
                                                     args.memory_limit * 1024))
            if scenario.output and not results["scenarios"][-1]["killed"]:
                key, site = scenario.output
                results.setdefault("sizes", {})[key] = report.tree_sizes(site)
                if key == "hugo" and not args.no_browser and "ours" in results.get("sizes", {}):
                    print("first queries in Chromium, ours and stock Pagefind's", flush=True)
                    results["first_query"] = first_query.measure(temp / "out", site)
        # Saved before the long profile run, so that an interrupted profile loses nothing else.
        (RESULTS / f"{docs}.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
        report.write(RESULTS, ROOT / "BENCHMARKS.md")
        if not args.no_profile:
            print("cProfile of a cold build", flush=True)
            (RESULTS / f"{docs}.prof.txt").write_text(profile_cold_build(temp), encoding="utf-8")
            report.write(RESULTS, ROOT / "BENCHMARKS.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
