"""End-to-end crawl rate against the local sample newsroom, with the bare extraction rate of the
same pages, measured in the same run, as the reference.

    python bench/crawl_rate.py [--articles 600] [--no-nlp]

The crawl fetches over real HTTP, extracts and tags in worker processes and writes to a fresh
SQLite index. If the crawl's rate is close to (or above) the single-process extraction rate,
fetching and indexing are not the bottleneck: the work overlaps and uses every core."""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import cpu_model  # noqa: E402

from core.config import ENV_LOCK_DIR  # noqa: E402
from ingest import work  # noqa: E402
from ingest.pages import Counter, Ingest, Page, analysis_text  # noqa: E402
from index import open_index  # noqa: E402
from newsroom import sources_yaml  # noqa: E402
from newsroom.server import start  # noqa: E402

FAST = ["--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=false", "--set", "CONCURRENT_REQUESTS=32",
        "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "--set", "POLICYWATCH_WRITE_BATCH=200",
        "--set", "RETRY_BACKOFF_BASE=0.05"]   # the newsroom's deliberate 500s must not dominate the timing


def _cpu_of(stat: Path) -> float:
    """user + system CPU seconds of a live process or thread, from its /proc stat file (Linux)."""
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _watch(crawler_pid: int, workers: dict[int, float], threads: dict[int, float], stop: threading.Event) -> None:
    """Each worker's CPU time, and each of the crawler's threads', sampled until they end (the
    last sample is within 0.2 s of the end)."""
    task = Path(f"/proc/{crawler_pid}/task")
    while not stop.wait(0.2):
        try:
            tids = [int(t.name) for t in task.iterdir()]
            children = [int(c) for tid in tids for c in (task / str(tid) / "children").read_text().split()]
        except OSError:
            continue
        for tid in tids:
            try:
                threads[tid] = _cpu_of(task / str(tid) / "stat")
            except OSError:
                pass
        for pid in children:
            try:
                if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes():   # not multiprocessing's resource tracker
                    workers[pid] = _cpu_of(Path(f"/proc/{pid}/stat"))
            except OSError:
                pass


def crawl(sources: Path, db: Path, outlets: list[str], nlp: bool, profile: Path | None = None) -> tuple[float, int, dict]:
    """Elapsed seconds, articles indexed, and CPU seconds: crawler (its own process: Scrapy's
    reactor, IPC to the workers, the index writer), reactor_thread (the crawler's main thread),
    workers (all), per_worker, newsroom (the local server, which shares the machine)."""
    # --profile: the crawler's own process, by CPU time; the workers' share shows as the crawler's
    # idle time, which a CPU-time profile leaves out
    note = db.with_suffix(".cpu.json")
    args = [sys.executable, str(ROOT / "bench" / "crawl_child.py"), str(note), str(profile or "-"), "crawl",
            "--sources", str(sources), "--index", f"sqlite:///{db}", *[a for o in outlets for a in ("--source", o)],
            *FAST] + ([] if nlp else ["--no-nlp"])
    started, own = time.perf_counter(), time.process_time()
    # Its own lock folder: a second bench running meanwhile would otherwise find the sources
    # locked and crawl nothing.
    env = os.environ | {ENV_LOCK_DIR: str(db.parent / "locks")}
    process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    per_worker: dict[int, float] = {}
    threads: dict[int, float] = {}
    stop = threading.Event()
    watcher = threading.Thread(target=_watch, args=(process.pid, per_worker, threads, stop), daemon=True)
    watcher.start()
    out, err = process.communicate()
    elapsed = time.perf_counter() - started
    newsroom = time.process_time() - own      # this process meanwhile: the newsroom's server threads
    stop.set()
    watcher.join()
    if process.returncode:
        raise SystemExit(f"the crawl failed ({process.returncode}):\n{out}\n{err}")
    cpu = json.loads(note.read_text()) | {"per_worker": sorted(per_worker.values(), reverse=True), "newsroom": newsroom,
                                           "reactor_thread": threads.get(process.pid, 0.0)}
    ix = open_index(f"sqlite:///{db}")
    n = ix.stats()["articles"]
    ix.close()
    return elapsed, n, cpu


def bare_seconds(pages: list[Page], nlp: bool) -> tuple[float, float, int, float]:
    """The ingest path (ingest/pages.py) in this one process, models loaded beforehand: seconds of
    extraction alone over the pages, seconds of NLP alone over their articles' texts (0 without
    NLP), how many articles, and the CPU seconds of both."""
    ingest = Ingest(work.InlineExecutor(False, []), None, Counter(), nlp=False, dedupe=False)
    if nlp:
        work.init_worker(True, [])
        work.analyze(["warm up the model"])

    async def extract_all():
        return [await ingest.page(p) for p in pages]
    started, cpu = time.perf_counter(), time.process_time()
    outcomes = asyncio.run(extract_all())
    extract_s = time.perf_counter() - started
    articles = [o.article for o in outcomes if o.article is not None]
    nlp_s = 0.0
    if nlp:
        texts = [analysis_text(a) for a in articles]
        # with each article's language, as the crawl sends them: NER runs on English texts only
        languages = [a.language for a in articles]
        started = time.perf_counter()
        for i in range(0, len(texts), 16):                      # the crawl's spaCy batch size
            work.analyze(texts[i:i + 16], languages[i:i + 16])
        nlp_s = time.perf_counter() - started
    return extract_s, nlp_s, len(articles), time.process_time() - cpu


def single_process_rates(pages: list[Page], nlp: bool) -> tuple[float, float | None, float]:
    """bare_seconds as rates: extraction alone (pages/s), NLP alone (articles/s, None without
    NLP), and the CPU seconds of both per article."""
    extract_s, nlp_s, articles, cpu = bare_seconds(pages, nlp)
    nlp_rate = articles / nlp_s if nlp and nlp_s else None
    return len(pages) / extract_s, nlp_rate, cpu / max(articles if nlp else len(pages), 1)


# What a crawl worker runs before its first page: the spawned process imports the CLI module (as
# multiprocessing's __mp_main__) and ingest.work, then its first text loads spaCy.
_STARTUP = ("import resource, sys; sys.path.insert(0, sys.argv[1]); import policywatch.cli; from ingest import work; "
            "work.init_worker(sys.argv[2] == 'nlp', [], None); sys.argv[2] == 'nlp' and work.analyzer(); "
            "u = resource.getrusage(resource.RUSAGE_SELF); print(u.ru_utime + u.ru_stime)")


def worker_startup(nlp: bool) -> float:
    """CPU seconds of one fresh worker's start-up, which the crawl's worker figures include and the
    single-process reference leaves out."""
    out = subprocess.run([sys.executable, "-c", _STARTUP, str(ROOT), "nlp" if nlp else "-"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    return float(out.split()[-1])


def bare_rates(db: Path, nlp: bool) -> tuple[float, float | None, float, int]:
    """Fetch the indexed pages again (untimed), then time extraction and NLP in this one process."""
    ix = open_index(f"sqlite:///{db}")
    urls = [a.url for a in ix.export(__import__("index").parse(""))]
    ix.close()
    pages = []
    for url in urls:
        with urllib.request.urlopen(url, timeout=10) as r:
            pages.append(Page(source="bench", url=r.geturl(), body=r.read(), fetched="",
                              header_charset=r.headers.get_content_charset()))
    extract_rate, nlp_rate, cpu_per_article = single_process_rates(pages, nlp)
    return extract_rate, nlp_rate, cpu_per_article, len(pages)


def arguments(doc: str) -> argparse.ArgumentParser:
    """The flags this bench and bench/import_rate.py share."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--articles", type=int, default=600, help="at least this many articles (default 600)")
    parser.add_argument("--no-nlp", action="store_true")
    return parser


@contextlib.contextmanager
def local_newsroom(articles: int):
    """The sample newsroom serving at least `articles` articles (two outlets carry the
    hand-written ones; synthetic ones top them up), with a sources file for it in a temporary
    folder: yields (outlets to crawl, the folder, the sources file)."""
    newsroom = start(scale=max(0, articles // 2))
    try:
        with tempfile.TemporaryDirectory() as tmp:
            sources = Path(tmp) / "sources.yaml"
            sources.write_text(sources_yaml(newsroom.urls))
            yield [o for o in newsroom.urls if o != "faults"], Path(tmp), sources
    finally:
        newsroom.stop()


def main() -> int:
    parser = arguments(__doc__)
    parser.add_argument("--profile", type=Path, help="write a CPU-time cProfile of the crawler process here and print its top")
    args = parser.parse_args()
    nlp = not args.no_nlp
    with local_newsroom(args.articles) as (outlets, tmp, sources):
        db = tmp / "bench.db"
        elapsed, n, cpu = crawl(sources, db, outlets, nlp, args.profile)
        extract_rate, nlp_rate, ref_cpu, pages = bare_rates(db, nlp)
    print(f"machine: {os.cpu_count()} cores, {cpu_model()}, Python {platform.python_version()}")
    total = cpu["crawler"] + cpu["workers"]
    print(f"crawl end-to-end ({'extraction + NLP + SQLite' if nlp else 'extraction + SQLite, no NLP'}): "
          f"{n} articles in {elapsed:.1f} s = {n / elapsed:.1f} articles/s "
          f"(crawler and its workers kept {total / elapsed:.2f} cores busy; the newsroom server shares the machine)")
    print(f"bare extraction, one process, same {pages} pages: {extract_rate:.1f} articles/s")
    if nlp_rate:
        both = 1 / (1 / extract_rate + 1 / nlp_rate)
        print(f"bare NLP, one process: {nlp_rate:.1f} articles/s; extraction + NLP in one process: {both:.1f} articles/s")
        print(f"crawl / single-process work rate: {n / elapsed / both:.2f}x")
    else:
        print(f"crawl / single-process extraction rate: {n / elapsed / extract_rate:.2f}x")
    # CPU time is what a shared machine does not skew: per article, per process.
    workers = ", ".join(f"{c / n * 1000:.1f}" for c in cpu["per_worker"])
    print(f"CPU ms per article: crawler process {cpu['crawler'] / n * 1000:.1f} (its main thread, Scrapy's reactor: "
          f"{cpu['reactor_thread'] / n * 1000:.1f}; the rest is the worker pool's threads, pickling and pipes), "
          f"workers {cpu['workers'] / n * 1000:.1f} "
          f"(each: {workers}), total {total / n * 1000:.1f}; the newsroom server {cpu['newsroom'] / n * 1000:.1f}; "
          f"single-process reference {ref_cpu * 1000:.1f}")
    startup = worker_startup(nlp)
    steady = (cpu["workers"] - startup * len(cpu["per_worker"])) / n
    print(f"worker start-up (imports + spaCy pipeline, one fresh process): {startup:.2f} s CPU; the workers' CPU "
          f"per article without it: {steady * 1000:.1f} ms = {steady / ref_cpu:.2f}x the single-process reference")
    # On an idle machine the crawl can go no faster than its cores allow for the whole CPU time
    # (the newsroom's too), nor than its one-threaded crawler process allows for its share.
    cores = os.cpu_count() or 1
    ceiling = min(cores / ((total + cpu["newsroom"]) / n), 1 / (cpu["crawler"] / n))
    print(f"CPU-bound projection on {cores} idle cores: {ceiling:.1f} articles/s = {ceiling * ref_cpu:.2f}x the reference")
    if args.profile:
        import pstats
        print(f"\ncrawler process, by own CPU time (cProfile, {args.profile}):")
        pstats.Stats(str(args.profile)).sort_stats("tottime").print_stats(15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
