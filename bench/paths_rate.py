"""Every ingest path over the same real pages, in one run: the crawl, `import` and multi-file
`extract` against the project's own extraction + NLP run bare in two processes (the two-core
ceiling), as ratios (issue 27 item 4).

    .venv/bin/python bench/paths_rate.py [--per-dataset 90] [--seed 27]

The pages are a fixed hash sample of every dataset in ../shared/corpora, served by a local HTTP
server as one news site with a sitemap (bench/real_site.py). In order:

(a) ceiling: the pages' extraction, then NLP over their articles, in two processes at once (half
    the pages each, models loaded before the clock starts; no HTTP, no index): pages / the
    slower process's seconds;
(b) crawl: `policywatch crawl` of the site into a fresh SQLite index (a subprocess, start-up and
    the workers' model loading included, as a user sees it);
(c) import: `policywatch import` of the WARC files that crawl wrote, into a fresh index;
(d) extract: `policywatch extract --format jsonl --urls MAP FILE...` over the same pages saved
    as files (with the URLs they were served at, so every path sees the same URL).
Every rate is the sample's pages / seconds."""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)       # not bench/ first: bench/incremental.py would stand in for Twisted's package

from bench import real_pages as rp  # noqa: E402
from bench import real_site  # noqa: E402
from bench.crawl_rate import FAST, bare_seconds, crawl  # noqa: E402
from bench.import_rate import cli, parallelism  # noqa: E402
from bench.machine import cpu_model  # noqa: E402

GOAL = 0.9          # each ratio's goal (issue 27 item 4)


def _child_pages(spec: Path):
    """The pages of one ceiling process: [dataset, id, served URL] rows of `spec`."""
    from ingest.pages import Page
    rows = json.loads(spec.read_text())
    html = {p.key: p.html for p in rp.load(rp.DATASETS, {(d, i) for d, i, _ in rows})}
    return [Page(source="bench", url=url, body=html[(d, i)], fetched="") for d, i, url in rows]


def ceiling_child(spec: Path) -> None:
    """One of the ceiling's two processes: load the pages and the models, say "ready", wait for a
    line on stdin, run bare_seconds, print its figures as JSON."""
    pages = _child_pages(spec)
    bare_seconds(pages[:1], True)             # imports, spaCy and the first page's lazy set-up
    print("ready", flush=True)
    sys.stdin.readline()
    extract_s, nlp_s, articles, cpu = bare_seconds(pages, True)
    print(json.dumps({"pages": len(pages), "extract_s": extract_s, "nlp_s": nlp_s, "articles": articles,
                      "cpu": cpu}), flush=True)


def ceiling(served: list[real_site.SitePage], tmp: Path) -> dict:
    """Both ceiling processes, started together once both are ready: pages/s over the slower one."""
    children = []
    for half in (served[0::2], served[1::2]):
        spec = tmp / f"ceiling-{len(children)}.json"
        spec.write_text(json.dumps([[*s.key, s.url] for s in half]))
        children.append(subprocess.Popen([sys.executable, __file__, "--ceiling-child", str(spec)], cwd=ROOT,
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True))
    for child in children:
        if child.stdout.readline().strip() != "ready":
            raise SystemExit("a ceiling process failed before it was ready")
    for child in children:
        child.stdin.write("go\n")
        child.stdin.flush()
    figures = []
    for child in children:
        out, _ = child.communicate()
        if child.returncode:
            raise SystemExit(f"a ceiling process failed ({child.returncode})")
        figures.append(json.loads(out.strip().splitlines()[-1]))
    slowest = max(f["extract_s"] + f["nlp_s"] for f in figures)
    return {"seconds": slowest, "rate": len(served) / slowest, "per_process": figures}


def cli_cpu(*args: str) -> tuple[float, float]:
    """Seconds and CPU seconds of one `policywatch` command, its worker processes included (the
    command waits for them, so their time is its children's, then ours)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds = cli(*args)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return seconds, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def saved_files(served: list[real_site.SitePage], folder: Path) -> tuple[list[str], Path]:
    """The pages as files, and the --urls map that gives each its served URL."""
    folder.mkdir(parents=True)
    files = []
    for n, page in enumerate(served):
        path = folder / f"{n:05d}.html"
        path.write_bytes(page.html)
        files.append(str(path))
    urls = folder / "urls.tsv"
    urls.write_text("".join(f"{f}\t{s.url}\n" for f, s in zip(files, served)))
    return files, urls


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-dataset", type=int, default=90, help="pages drawn from each dataset (default 90)")
    parser.add_argument("--seed", type=int, default=27)
    parser.add_argument("--ceiling-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.ceiling_child:
        ceiling_child(args.ceiling_child)
        return 0
    if not rp.available():
        raise SystemExit(f"no corpora at {rp.CORPORA} (POLICYWATCH_CORPORA names them)")
    pages = rp.load(rp.DATASETS, rp.sample(args.seed, {d: args.per_dataset for d in rp.DATASETS}))
    with real_site.serve(pages) as (sitemap, served), tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        n = len(served)
        sources = tmp / "sources.yaml"
        sources.write_text(real_site.sources_yaml(sitemap))
        cores = parallelism()
        top = ceiling(served, tmp)
        db = tmp / "crawl" / "index.db"
        db.parent.mkdir()
        crawl_s, crawled, cpu = crawl(sources, db, ["realsite"], True)
        import_s, import_cpu = cli_cpu("import", str(db.parent / "archive"), "--index", f"sqlite:///{tmp / 'import' / 'index.db'}",
                       "--sources", str(sources))
        files, urls = saved_files(served, tmp / "files")
        extract_s, extract_cpu = cli_cpu("extract", "--format", "jsonl", "--urls", str(urls), *files)
    rates = {"crawl": n / crawl_s, "import": n / import_s, "extract": n / extract_s}
    print(f"machine: {os.cpu_count()} cores, {cpu_model()}, Python {platform.python_version()}; load average "
          f"{os.getloadavg()[0]:.1f} at the end; a pure-CPU job on every core got {cores:.2f}x one core in this run")
    print(f"pages: {n} of ../shared/corpora ({args.per_dataset} per dataset at most, seed {args.seed}), served by a "
          f"local HTTP server as one site with a sitemap; the crawl indexed {crawled} articles")
    each = "; ".join(f"{f['pages']} pages: extraction {f['extract_s']:.1f} s + NLP {f['nlp_s']:.1f} s"
                     for f in top["per_process"])
    # CPU per page is what a shared machine skews least: a path that spends more of it than the
    # ceiling cannot reach the ceiling's rate on idle cores either.
    ms = {"ceiling": sum(f["cpu"] for f in top["per_process"]) / n * 1000,
          "crawl": (cpu["crawler"] + cpu["workers"]) / n * 1000, "import": import_cpu / n * 1000,
          "extract": extract_cpu / n * 1000}
    print(f"(a) ceiling, extraction + NLP bare in two processes: {top['rate']:.1f} pages/s, {ms['ceiling']:.0f} ms CPU "
          f"a page ({each})")
    print(f"(b) crawl, `policywatch crawl` into a fresh SQLite index: {crawl_s:.1f} s = {rates['crawl']:.1f} pages/s, "
          f"{ms['crawl']:.0f} ms CPU a page (its processes kept {(cpu['crawler'] + cpu['workers']) / crawl_s:.2f} "
          f"cores busy)")
    print(f"(c) import, `policywatch import` of that crawl's WARC: {import_s:.1f} s = {rates['import']:.1f} pages/s, "
          f"{ms['import']:.0f} ms CPU a page")
    print(f"(d) extract, `policywatch extract FILE...` over the pages saved as files: {extract_s:.1f} s = "
          f"{rates['extract']:.1f} pages/s, {ms['extract']:.0f} ms CPU a page")
    print("CPU a page against the ceiling's (start-up included): "
          + ", ".join(f"{k} {ms[k] / ms['ceiling']:.2f}x" for k in ("crawl", "import", "extract")))
    for name, ratio in (("crawl / ceiling", rates["crawl"] / top["rate"]), ("import / crawl", rates["import"] / rates["crawl"]),
                        ("extract / crawl", rates["extract"] / rates["crawl"])):
        print(f"{name}: {ratio:.2f}x (goal >= {GOAL}x: {'met' if ratio >= GOAL else 'missed'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
