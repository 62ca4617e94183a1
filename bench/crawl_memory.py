"""Peak memory of a crawl of at least 5,000 articles from the local sample newsroom, NLP on.

    python bench/crawl_memory.py [--articles 5000] [--no-nlp] [--interval 0.2]

The crawl runs as `policywatch crawl` in a subprocess; every --interval seconds this script
reads /proc for that process and all its descendants (the extraction/NLP worker processes)
and sums their resident set sizes. The peak of that sum is the figure (goal: under 1 GB).
RSS counts pages shared between processes (Python's and spaCy's code, copy-on-write data)
once per process, so it overstates; the proportional set size (PSS, shared pages divided
among their users) is printed next to it where the kernel offers it."""
from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import cpu_model  # noqa: E402

from index import open_index  # noqa: E402
from newsroom import sources_yaml  # noqa: E402
from newsroom.server import start  # noqa: E402

FAST = ["--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=false", "--set", "CONCURRENT_REQUESTS=32",
        "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "--set", "RETRY_BACKOFF_BASE=0.05"]
GOAL_MB = 1024


def descendants(root: int) -> list[int]:
    """root and every process below it, from the parent ids in /proc/*/stat."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:             # exited while we looked
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])      # the name in (…) may hold spaces
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, ()))
    return out


def _kb(path: str, field_name: str) -> int:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


@dataclass
class Peak:
    rss_kb: int = 0
    pss_kb: int = 0
    processes: int = 0
    by_process: list[tuple[int, int]] = field(default_factory=list)   # (pid, rss kB) at the RSS peak
    samples: int = 0

    def sample(self, root: int) -> None:
        pids = descendants(root)
        rss = [(pid, _kb(f"/proc/{pid}/status", "VmRSS")) for pid in pids]
        total = sum(kb for _, kb in rss)
        self.pss_kb = max(self.pss_kb, sum(_kb(f"/proc/{pid}/smaps_rollup", "Pss") for pid in pids))
        self.samples += 1
        if total > self.rss_kb:
            self.rss_kb, self.processes, self.by_process = total, len(pids), rss


def crawl(sources: Path, db: Path, nlp: bool, interval: float) -> tuple[float, Peak, int]:
    args = [sys.executable, "-m", "policywatch.cli", "crawl", "--sources", str(sources), "--index", f"sqlite:///{db}",
            "--source", "yonhap", "--source", "dmr", *FAST] + ([] if nlp else ["--no-nlp"])
    peak = Peak()
    started = time.perf_counter()
    with open(db.with_suffix(".log"), "wb") as log:
        process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log)
        while process.poll() is None:
            peak.sample(process.pid)
            time.sleep(interval)
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        sys.exit(f"the crawl failed (exit {process.returncode}):\n{db.with_suffix('.log').read_text()[-3000:]}")
    ix = open_index(f"sqlite:///{db}")
    n = ix.stats()["articles"]
    ix.close()
    return elapsed, peak, n


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000, help="at least this many articles (default 5000)")
    parser.add_argument("--no-nlp", action="store_true")
    parser.add_argument("--interval", type=float, default=0.2, help="seconds between /proc samples (default 0.2)")
    args = parser.parse_args()
    nlp = not args.no_nlp
    # Two outlets carry the hand-written articles; synthetic ones top them up to the target.
    newsroom = start(scale=max(0, (args.articles + 1) // 2), outlets=("yonhap", "dmr"))
    try:
        with tempfile.TemporaryDirectory() as tmp:
            sources = Path(tmp) / "sources.yaml"
            sources.write_text(sources_yaml(newsroom.urls))
            elapsed, peak, n = crawl(sources, Path(tmp) / "bench.db", nlp, args.interval)
    finally:
        newsroom.stop()
    mib = lambda kb: kb / 1024   # noqa: E731
    print(f"machine: {os.cpu_count()} cores (nproc {len(os.sched_getaffinity(0))}), {cpu_model()}, "
          f"Python {platform.python_version()}")
    print(f"crawl ({'extraction + NLP + SQLite' if nlp else 'extraction + SQLite, no NLP'}): "
          f"{n} articles in {elapsed:.1f} s ({n / elapsed:.1f} articles/s)")
    main_kb = peak.by_process[0][1] if peak.by_process else 0     # descendants() lists the root first
    workers = sorted((kb for _, kb in peak.by_process[1:]), reverse=True)
    print(f"peak memory, crawl process + {peak.processes - 1} child processes, sampled every {args.interval} s "
          f"({peak.samples} samples): {mib(peak.rss_kb):.0f} MiB RSS, {mib(peak.pss_kb):.0f} MiB PSS "
          f"(goal: under {GOAL_MB} MiB: {'met' if peak.rss_kb / 1024 < GOAL_MB else 'NOT met'})")
    print(f"  at the RSS peak: crawl process {mib(main_kb):.0f} MiB; children "
          + ", ".join(f"{mib(kb):.0f}" for kb in workers) + " MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
