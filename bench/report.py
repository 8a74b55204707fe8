"""Saved results → the tables of BENCHMARKS.md.

BENCHMARKS.md holds one table per scenario, each between a pair of markers
naming it (``<!-- bench: cold -->`` … ``<!-- /bench -->``), with a row per
saved run (``bench/results/<docs>.json``). Only the tables are rewritten, so
the text written around them by hand survives a new run.
"""
from __future__ import annotations

import io
import json
import os
import platform
import pstats
import re
import sysconfig
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
PROFILE_LINES = 30
# The scenarios of bench/run.py, by name.
COLD = "cold build (render + search)"
NOOP = "no-op rebuild"
ADDED = "rebuild after adding one issue"
RENDER_ONLY = "render only (--no-search)"
RENDERED = f"{RENDER_ONLY}, Markdown already rendered (body cache)"
HUGO = "Hugo"
PAGEFIND = "Pagefind extended on Hugo's output"
SEED_INGEST = "ingest of the raw seed issue"
LARGE_INGEST = "ingest of a large raw issue"
# (what the table calls it, scenario, key of the raw text's size in the results)
INGESTS = (("the seed issue", SEED_INGEST, "raw_seed_bytes"), ("a 20 MB issue", LARGE_INGEST, "raw_large_bytes"))
STAGES = {"读取": "load", "生成": "render", "检索": "search", "发布": "publish"}  # as the build reports them
TABLE = re.compile(r"(<!-- bench: ([a-z-]+) -->\n).*?(<!-- /bench -->)", re.DOTALL)


def machine() -> dict:
    meminfo = Path("/proc/meminfo").read_text()
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return {"cores": os.cpu_count(), "memory_gb": round(int(meminfo.split()[1]) / 2**20, 1), "cpu": cpu,
            "kernel": platform.release(), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "load_average": os.getloadavg()[0]}


def tree_sizes(out: Path) -> dict[str, int]:
    """Bytes of the parts of a built site that search and scale depend on."""
    def total(pattern: str) -> tuple[int, int]:
        files = [p for p in out.glob(pattern) if p.is_file()]
        return sum(p.stat().st_size for p in files), len(files)
    sizes = {}
    # pagefind/** matches Hugo's one bundle and our shards (pagefind/<shard>/) alike.
    for name, pattern in (("site", "**/*"), ("pagefind", "pagefind/**/*"), ("pagefind index chunks", "pagefind/**/index/*"),
                          ("pagefind fragments", "pagefind/**/fragment/*"), ("pagefind meta", "pagefind/**/*.pf_meta"),
                          ("pagefind wasm", "pagefind/**/wasm.*"), ("pagefind js", "pagefind/**/pagefind.js"),
                          ("search table", "search/docs.json.gz"), ("search texts", "search/text/*")):
        sizes[name], sizes[f"{name} files"] = total(pattern)
    return sizes


def profile_text(stats_file: Path, command: list[str]) -> str:
    """The top cumulative and own-time costs, paths shortened."""
    stream = io.StringIO()
    stats = pstats.Stats(str(stats_file), stream=stream)
    stats.sort_stats("cumulative").print_stats(PROFILE_LINES)
    stats.sort_stats("tottime").print_stats(PROFILE_LINES // 2)
    text = stream.getvalue().replace(f"{ROOT}/", "")
    for prefix in (sysconfig.get_paths()["purelib"], sysconfig.get_paths()["stdlib"]):
        text = text.replace(f"{prefix}/", "")
    return f"$ {' '.join(shorten(command))}\n{text}"


def shorten(command: list[str]) -> list[str]:
    replaced = []
    for part in command:
        part = part.replace(f"{ROOT}/", "").replace(str(Path.home()), "~")
        replaced.append("python" if part.endswith("/python") or part.endswith("/python3") else part)
    return replaced


class Run:
    """One saved run: its results and its scenarios by name."""

    def __init__(self, results: dict):
        self.results = results
        self.scenarios = {r["name"]: r for r in results["scenarios"]}
        self.docs = f"{results['docs']:,}"

    def has(self, *names: str) -> bool:
        return all(name in self.scenarios and not self.scenarios[name]["killed"] for name in names)

    def median(self, name: str) -> float:
        return self.scenarios[name]["seconds"][0]

    def seconds(self, name: str) -> str:
        """The median, with the spread when there was more than one run."""
        scenario = self.scenarios[name]
        median, low, high = scenario["seconds"]
        return f"{median:.2f} s" if scenario["runs"] == 1 else f"{median:.2f} s ({low:.2f}–{high:.2f}, {scenario['runs']} runs)"

    def stages(self, name: str) -> str:
        return ", ".join(f"{STAGES.get(stage, stage)} {value:.1f}"
                         for stage, value in self.scenarios[name].get("stages", {}).items())

    def peak_mb(self, name: str) -> float:
        return self.scenarios[name]["tree_rss_mb"]


def _met(ok: bool) -> str:
    return "yes" if ok else "**no**"


def _machine(run: Run) -> list[str]:
    m, results = run.results["machine"], run.results
    return [f"| {run.docs} ({results['copies']} issues) | {m['date']}; load average {m['load_average']:.1f} at the start "
            f"| {m['cores']} cores ({m['cpu']}), {m['memory_gb']} GB, Linux {m['kernel']} | "
            + "; ".join(f"{k} {v}" for k, v in results["versions"].items()) + f" | {results['code']} |"]


def _cold(run: Run) -> list[str]:
    if not run.has(COLD, HUGO, PAGEFIND):
        return []
    ratio = run.median(COLD) / (run.median(HUGO) + run.median(PAGEFIND))
    return [f"| {run.docs} | {run.seconds(COLD)} | {run.stages(COLD)} | {run.median(HUGO):.1f} s | "
            f"{run.median(PAGEFIND):.1f} s | {ratio:.2f} | {_met(ratio <= 0.5)} |"]


def _render(run: Run) -> list[str]:
    if not run.has(RENDER_ONLY, RENDERED, HUGO):
        return []
    ratio = run.median(RENDER_ONLY) / run.median(HUGO)
    return [f"| {run.docs} | {run.seconds(RENDER_ONLY)} | {run.median(RENDERED):.2f} s = "
            f"{run.median(RENDERED) / run.median(HUGO):.2f} × Hugo | {run.median(HUGO):.2f} s | {ratio:.2f} | "
            f"{_met(ratio <= 1.0)} |"]


def _noop(run: Run) -> list[str]:
    return [f"| {run.docs} | {run.seconds(NOOP)} | {_met(run.median(NOOP) <= 1)} |"] if run.has(NOOP) else []


def _added(run: Run) -> list[str]:
    if not run.has(ADDED, COLD):
        return []
    share = run.median(ADDED) / run.median(COLD)
    return [f"| {run.docs} | {run.seconds(ADDED)} | {run.stages(ADDED)} | {run.median(COLD):.1f} s | {share:.1%} | "
            f"{_met(share <= 0.1)} |"]


def _memory(run: Run) -> list[str]:
    if not run.has(COLD, HUGO, PAGEFIND):
        return []
    shares = " + ".join(f"{name} {mb:.0f}" for name, mb in sorted(run.scenarios[COLD].get("at_tree_peak_mb", {}).items()))
    return [f"| {run.docs} | {run.peak_mb(COLD):.0f} MB | {shares} | {run.peak_mb(HUGO):.0f} MB | "
            f"{run.peak_mb(PAGEFIND):.0f} MB | {_met(run.peak_mb(COLD) <= 1024)} |"]


def _ingest(run: Run) -> list[str]:
    def row(label: str, name: str, megabytes: float) -> str:
        whole, in_process = run.median(name), run.scenarios[name]["in_process_seconds"]
        return (f"| {label} ({megabytes:.2f} MB) | {run.docs} | {whole:.2f} s = {megabytes / whole:.2f} MB/s | "
                f"{_met(megabytes / whole >= 5)} | {in_process:.2f} s = {megabytes / in_process:.2f} MB/s | "
                f"{_met(megabytes / in_process >= 5)} |")

    return [row(label, name, run.results[size_key] / 1e6) for label, name, size_key in INGESTS if run.has(name)]


def _first_search(run: Run) -> list[str]:
    def part(row: dict, kind: str) -> str:
        found = row["by_kind"].get(kind, {"bytes": 0, "requests": 0})
        return f"{found['bytes']:,} ({found['requests']})"

    return [f"| {run.docs} | {row['query']} | {row['results']}"
            + (f" (+{row['unchecked']} unchecked)" if row.get("unchecked") else "")
            + f" | {row['seconds']:.2f} s | {row['requests']} | {row['bytes']:,} | {part(row, 'document texts')} | "
            f"{part(row, 'index chunks')} | {part(row, 'shard entry and meta')} |"
            for row in run.results.get("first_query", ())]


# Each table: its header, and a run's rows (none where the run lacks a scenario).
TABLES: dict[str, tuple[str, Callable[[Run], list[str]]]] = {
    "runs": ("| documents | run | machine | software | code measured |", _machine),
    "cold": ("| documents | our cold build | its stages, s | Hugo | Pagefind extended | ours ÷ (Hugo + Pagefind) "
             "| met (≤ 0.5) |", _cold),
    "render": ("| documents | render only (`--no-search`) | the same, Markdown already rendered | Hugo "
               "| render only ÷ Hugo | met (≤ 1.0) |", _render),
    "noop": ("| documents | no-op rebuild | met (≤ 1 s) |", _noop),
    "added": ("| documents | adding one issue | its stages, s | cold build | share | met (≤ 10 %) |", _added),
    "memory": ("| documents | cold build, peak of its process tree | by program at that moment, MB | Hugo "
               "| Pagefind extended | met (≤ 1 GB) |", _memory),
    "ingest": ("| raw issue | in the run of, documents | whole process | met (≥ 5 MB/s) | as the command reports it "
               "| met (≥ 5 MB/s) |", _ingest),
    "first-search": ("| documents | query | results | until shown | requests | bytes | document texts (requests) "
                     "| index chunks | shard entry and meta |", _first_search),
}


def table(name: str, runs: list[Run]) -> list[str]:
    header, rows = TABLES[name]
    return [header, "|---" * (header.count("|") - 1) + "|", *(line for run in runs for line in rows(run))]


def write(results_dir: Path, target: Path) -> None:
    """Rewrite every marked table of ``target`` from the saved results."""
    runs = [Run(json.loads(path.read_text(encoding="utf-8")))
            for path in sorted(results_dir.glob("*.json"), key=lambda p: int(p.stem))]
    text = target.read_text(encoding="utf-8")
    marked = {match[2] for match in TABLE.finditer(text)}
    if marked != TABLES.keys():
        raise ValueError(f"{target}: tables marked {sorted(marked)}, expected {sorted(TABLES)}")
    target.write_text(TABLE.sub(lambda m: m[1] + "\n".join(table(m[2], runs)) + "\n" + m[3], text), encoding="utf-8")
