"""Both index backends side by side on the same synthetic collection, in one run.

    python bench/index_bench.py [--articles 50000] [--es http://127.0.0.1:9200] [--repeat 5]

Articles come from the sample newsroom's story templates (newsroom/synthetic.py: police
crackdowns, privacy fines, court rulings, takedowns, bills, EU and Ofcom enforcement), spread
over eight sources and two years, with entities and actions tagged by a small gazetteer (no
spaCy, so generation is not what is measured). The same articles are loaded into a temporary
SQLite file and a temporary Elasticsearch alias; then 20 representative queries run against
both, and one entity's timeline is exported.

Each article carries its MinHash signature, computed beforehand as the crawl's worker processes
do (ingest/work.py), so the load measures what the index writer does.

Prints bulk indexing rate (articles/s) — also with story clustering switched off, to show what
near-duplicate detection (index/dedup.py, in both backends' write path) costs, and over the first
and the last tenth of the load, to show whether a write costs more as the collection grows —
search latency p50/p95 with a per-query table (median, p95), one entity's timeline with its
newest mention sentences (a page) and the export of all its sentences (ms and sentences/s), and the index size on disk per 1,000 articles, with the machine. Goals
(issues #4, #13): SQLite p95 <= 50 ms, ES p95 <= 100 ms, ES >= 2,000 and SQLite >= 1,500
articles/s with clustering, timeline with its newest 50 mentions <= 200 ms (the export of every
mention streams; its rate is reported, and whether it too fits 200 ms)."""
from __future__ import annotations

import argparse
import contextlib
import gc
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import cpu_model, speed_probe  # noqa: E402

from index import Article, SearchRequest, content_hash, open_index, parse  # noqa: E402
from index import dedup  # noqa: E402
from index.sqlite import SQLiteIndex  # noqa: E402
from index.document import ActionRef, EntityRef  # noqa: E402
from newsroom import synthetic  # noqa: E402

SOURCES = ["yonhap", "dmr", "koreaherald", "koreatimes", "joongangdaily", "therecord", "hangangpost", "civicwire"]

# (text to find, canonical name, type): a miniature of nlp/gazetteer.yaml
GAZETTEER = (
    [(p, p, "PLATFORM") for p in ["Telegram", "Discord", "Instagram", "Facebook", "YouTube", "TikTok",
                                  "KakaoTalk", "WhatsApp", "Signal", "Naver Band", "Threads", "Snapchat",
                                  "Pinterest", "LinkedIn", "AliExpress", "Temu", "Shein", "Line"]]
    + [(a, a, "AGENCY") for a in ["Korean National Police Agency", "Seoul Metropolitan Police Agency",
                                  "Gyeonggi Nambu Provincial Police Agency", "Busan Metropolitan Police Agency",
                                  "Incheon Metropolitan Police Agency", "National Office of Investigation",
                                  "Personal Information Protection Commission", "Korea Communications Commission",
                                  "Korea Communications Standards Commission", "Supreme Prosecutors' Office",
                                  "Ministry of Science and ICT", "National Assembly", "European Commission", "Ofcom"]]
    + [("PIPC", "Personal Information Protection Commission", "AGENCY"),
       ("KCSC", "Korea Communications Standards Commission", "AGENCY")]
    + [(c, c.split(" ")[0].rstrip(".").replace("Amazon.com", "Amazon"), "ORG")
       for c in ["Kakao Corp.", "Naver Corp.", "Coupang Inc.", "LG Uplus Corp.", "KT Corp.", "SK Telecom Co.",
                 "Yanolja Co.", "Meta Platforms Inc.", "Google LLC", "Apple Inc.", "Microsoft Corp.",
                 "Amazon.com Inc.", "Netflix Inc."]]
    + [(g, g, "GPE") for g in ["South Korea", "Seoul", "Incheon", "Busan", "Daegu", "Daejeon", "Gwangju", "Suwon",
                               "Britain", "European Union"]]
    + [(law, law, "LAW") for law in ["Digital Services Act", "Online Safety Act", "Personal Information Protection Act",
                                     "Telecommunications Business Act",
                                     "Act on Special Cases Concerning the Punishment of Sexual Crimes"]]
)
ACTION_WORDS = {"investigation": r"\b(investigat\w*|booked|probe)\b", "arrest": r"\barrest\w*\b",
                "prosecution": r"\b(prosecutors sought|indicted|charges of)\b", "court": r"\b(court|sentenced)\b",
                "legislation": r"\b(bill|amendment)\b", "regulation": r"\b(Digital Services Act|Online Safety Act)\b",
                "penalty": r"\b(fined|fines|fine)\b", "takedown": r"\b(remove|delete|block access)\w*\b",
                "cooperation": r"\b(agreed to|hotline|cooperat\w*)\b"}
SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")

QUERIES = [
    ("one word", "telegram", {}),
    ("two words", "police deepfake", {}),
    ("rare word", "yanolja", {}),
    ("phrase", '"personal information"', {}),
    ("long phrase", '"request for information"', {}),
    ("AND", "fined AND kakao", {}),
    ("OR", "discord OR snapchat", {}),
    ("NOT", "telegram NOT deepfake", {}),
    ("nested", "(telegram OR discord) AND (arrested OR booked) -teenagers", {}),
    ("prefix", "investigat*", {}),
    ("prefix phrase", "data-prot*", {}),
    ("source:", "source:therecord", {}),
    ("lang: + word", "lang:en court", {}),
    ("entity:", 'entity:"European Commission"', {}),
    ("type:", "type:LAW", {}),
    ("action:", "action:penalty", {}),
    ("filters combined", "action:arrest entity:Telegram source:yonhap", {}),
    ("dates", "deepfake", {"date_from": datetime(2024, 3, 1, tzinfo=timezone.utc),
                           "date_to": datetime(2024, 4, 1, tzinfo=timezone.utc)}),
    ("sort by date", "telegram", {"sort": "date"}),
    ("everything by date", "", {"sort": "date"}),
]


def tag(text: str) -> tuple[list[EntityRef], list[ActionRef]]:
    sentences = SENTENCE_RE.split(text)
    found: dict[tuple[str, str], list[str]] = {}
    for needle, name, type_ in GAZETTEER:
        if needle not in text:
            continue
        pattern = re.compile(rf"(?<!\w){re.escape(needle)}(?!\w)")
        for sentence in sentences:
            for _ in pattern.finditer(sentence):
                found.setdefault((name, type_), []).append(sentence)
    entities = [EntityRef(n, t, len(s), s) for (n, t), s in found.items()]
    actions = []
    for action, pattern in ACTION_WORDS.items():
        hit = next((s for s in sentences if re.search(pattern, s)), None)
        if hit:
            actions.append(ActionRef(action, hit))
    return entities, actions


def synthesise(n: int) -> list[Article]:
    """n articles: template stories, eight sources, dates over 2023-2024. Each story carries the
    body of one or two other stories as background ("In a separate case…"), for news-sized bodies
    whose words and entities still vary from story to story."""
    out = []
    for i in range(n):
        outlet = ("yonhap", "dmr")[i % 2]
        story = synthetic.make(outlet, i // 2)
        source = SOURCES[(i * 7 + i // 3) % len(SOURCES)]
        published = story.published - timedelta(days=366 * ((i // 732) % 2))        # two years
        rng = random.Random(i)
        body = list(story.paragraphs)
        for other in rng.sample(range(n), rng.randint(1, 2)):
            body += list(synthetic.make(("yonhap", "dmr")[other % 2], other // 2).paragraphs[1:])
        entities, actions = tag(story.title + "\n" + "\n".join(body))
        url = f"https://{source}.example/{published:%Y/%m/%d}/{i}-{story.key[:60]}"
        out.append(Article(id=f"bench{i:06d}", url=url, source=source, title=story.title, body=body,
                           published=published.isoformat(), authors=list(story.authors), language="en",
                           section=story.section, fetched="2025-01-01T00:00:00Z",
                           content_hash=content_hash(story.title, body), entities=entities, actions=actions,
                           fingerprint=dedup.fingerprint("\n\n".join(body))))
    return out


@contextlib.contextmanager
def clustering_off(articles: list[Article]):
    """The articles without signatures, and none computed while the block runs: a load without
    story clustering (near-duplicate detection in both backends' write path), to show its cost."""
    signature = dedup.signature
    dedup.signature = lambda text: None
    try:
        yield [replace(a, fingerprint=None) for a in articles]
    finally:
        dedup.signature = signature


def load(ix, articles: list[Article], batch: int) -> tuple[float, float, float]:
    """Articles per second through write(), as `policywatch copy` loads (ES: refresh paused):
    overall, over the first tenth and over the last tenth of the articles."""
    times = []
    started = time.perf_counter()
    with ix.bulk_load():
        for start in range(0, len(articles), batch):
            begun = time.perf_counter()
            part = articles[start:start + batch]
            result = ix.write(part)
            times.append((len(part), time.perf_counter() - begun))
            assert not result.failed and not result.spooled, (result.failed[:3], result.spooled)
    tenth = max(1, len(times) // 10)
    rate = lambda part: sum(n for n, _ in part) / sum(t for _, t in part)
    return len(articles) / (time.perf_counter() - started), rate(times[:tenth]), rate(times[-tenth:])


def disk_bytes(ix) -> int:
    """What the collection takes on disk: the SQLite file (WAL checkpointed), or the store size of
    the Elasticsearch indices behind the alias (primaries, after a flush)."""
    if isinstance(ix, SQLiteIndex):
        ix.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return sum(p.stat().st_size for p in ix.path.parent.glob(ix.path.name + "*"))
    ix.client.indices.flush(index=ix.name)
    return ix.client.indices.stats(index=ix.name, metric="store")["_all"]["primaries"]["store"]["size_in_bytes"]


def measure(ix, repeat: int) -> tuple[dict[str, list[float]], list[float], dict[str, str]]:
    per_query, samples, totals = {}, [], {}
    for label, text, options in QUERIES:
        request = SearchRequest(parse(text), limit=20, **options)
        totals[label] = ix.search(request).total_text()                # warm-up
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            ix.search(request)
            times.append((time.perf_counter() - started) * 1000)
        per_query[label] = times
        samples += times
    return per_query, samples, totals


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


PAGE = 50      # mention sentences on a detail page: the newest, as the entity page and API serve them


def timeline_ms(ix, entity: str) -> tuple[float, float, float, int]:
    """One entity's week timeline, its newest PAGE mention sentences (the detail a reader gets
    with the timeline: the goal's "timeline with mentions"), and the export of every sentence
    (which streams: reported as a rate). ms, ms, ms, sentences exported."""
    ix.timeline(entity, "month")                                     # warm-up
    list(ix.mentions(entity, newest=PAGE))
    started = time.perf_counter()
    rows = ix.timeline(entity, "week")
    weekly = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    page = list(ix.mentions(entity, newest=PAGE))
    newest = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    n = sum(1 for _ in ix.mentions(entity))
    export = (time.perf_counter() - started) * 1000
    assert rows and len(page) == min(PAGE, n)
    return weekly, newest, export, n


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument("--es", default=os.environ.get("POLICYWATCH_ES_URL", "http://127.0.0.1:9200"))
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each query")
    parser.add_argument("--batch", type=int, default=2000, help="articles per write() call")
    parser.add_argument("--entity", default="Telegram", help="entity whose timeline is exported")
    parser.add_argument("--no-bare", action="store_true",
                        help="skip the reference loads with story clustering off (halves a long run)")
    args = parser.parse_args()

    started = time.perf_counter()
    articles = synthesise(args.articles)
    print(f"synthesised {len(articles):,} articles in {time.perf_counter() - started:.1f}s "
          f"({sum(len(a.text) for a in articles) / len(articles):,.0f} characters each, "
          f"{sum(len(a.entities) for a in articles) / len(articles):.1f} entities each; "
          f"{Counter(a.published[:4] for a in articles)})", flush=True)

    # The synthesised collection stays in this process's memory all run (a copy streams its
    # articles): frozen, so the writers' full garbage collections do not walk its ~3 million
    # objects (one took 2.3 s of a 54 s Elasticsearch load of 100,000).
    gc.freeze()
    tmp = tempfile.TemporaryDirectory(prefix="pw-bench-")
    backends = {"sqlite": f"sqlite:///{tmp.name}/bench.db",
                "elasticsearch": f"{args.es.rstrip('/')}/pw-bench-{uuid.uuid4().hex[:8]}"}
    results = {}
    try:
        # What story clustering costs: the same load without it, into throwaway targets.
        bare = {name: float("nan") for name in backends}
        with clustering_off(articles) as unsigned:
            for name, url in ({} if args.no_bare else backends).items():
                ix = open_index(url + "-bare" if name == "elasticsearch" else url.replace("bench.db", "bare.db"),
                                **({"spool_dir": tmp.name} if name == "elasticsearch" else {}))
                try:
                    bare[name] = load(ix, unsigned, args.batch)[0]
                    print(f"{name}: loaded at {bare[name]:,.0f} articles/s without story clustering", flush=True)
                finally:
                    if name == "elasticsearch":
                        ix.drop()
                    ix.close()
        probes = []
        for name, url in backends.items():
            ix = open_index(url, **({"spool_dir": tmp.name} if name == "elasticsearch" else {}))
            try:
                probes.append(speed_probe())
                rate, first, last = load(ix, articles, args.batch)
                print(f"{name}: loaded at {rate:,.0f} articles/s (first tenth {first:,.0f}/s, last tenth {last:,.0f}/s)",
                      flush=True)
                per_query, samples, totals = measure(ix, args.repeat)
                results[name] = {"rate": rate, "first": first, "last": last, "per_query": per_query,
                                 "samples": samples, "totals": totals, "timeline": timeline_ms(ix, args.entity),
                                 "disk": disk_bytes(ix)}
                r = results[name]
                print(f"{name}: search p50 {percentile(r['samples'], 50):.1f} ms, p95 {percentile(r['samples'], 95):.1f} ms; "
                      f"timeline {r['timeline'][0]:.1f} ms + newest {PAGE} mentions {r['timeline'][1]:.1f} ms; "
                      f"all {r['timeline'][3]:,} mentions {r['timeline'][2]:.1f} ms; "
                      f"{r['disk'] / args.articles / 1000:.2f} MB per 1,000 articles", flush=True)
            finally:
                if name == "elasticsearch":
                    ix.drop()
                ix.close()
    finally:
        tmp.cleanup()

    sq, es = results["sqlite"], results["elasticsearch"]
    tenth = f"{max(1, args.articles // 10):,}"
    p95 = lambda r: percentile(r["samples"], 95)
    detail = lambda r: r["timeline"][0] + r["timeline"][1]
    row = lambda label, a, b: print(f"{label:40}{a:>14}{b:>16}")
    print()
    print(f"machine: {os.cpu_count()} CPUs ({cpu_model()}), Python {platform.python_version()}, "
          f"{args.articles:,} articles, {args.repeat} timed runs per query; speed probe (bench/machine.py, "
          f"lower is faster) before the SQLite load {probes[0]:.2f} s, before the Elasticsearch load {probes[1]:.2f} s, "
          f"at the end {speed_probe():.2f} s")
    row("", "SQLite FTS5", "Elasticsearch")
    row("bulk indexing, clustering on (art./s)", f"{sq['rate']:,.0f}", f"{es['rate']:,.0f}")
    row(f"  first {tenth} / last {tenth}", f"{sq['first']:,.0f} / {sq['last']:,.0f}", f"{es['first']:,.0f} / {es['last']:,.0f}")
    row("  with story clustering off", f"{bare['sqlite']:,.0f}", f"{bare['elasticsearch']:,.0f}")
    for p in (50, 95):
        row(f"search latency p{p} (ms)", f"{percentile(sq['samples'], p):.1f}", f"{percentile(es['samples'], p):.1f}")
    row(f"timeline {args.entity} by week (ms)", f"{sq['timeline'][0]:.1f}", f"{es['timeline'][0]:.1f}")
    row(f"  + its newest {PAGE} mentions (ms)", f"{sq['timeline'][1]:.1f}", f"{es['timeline'][1]:.1f}")
    row(f"  all {sq['timeline'][3]:,} mentions (ms)", f"{sq['timeline'][2]:.1f}", f"{es['timeline'][2]:.1f}")
    rate = lambda r: f"{r['timeline'][3] / r['timeline'][2] * 1000:,.0f}"
    row("  = mentions exported per second", rate(sq), rate(es))
    row("size on disk per 1,000 articles (MB)", f"{sq['disk'] / args.articles / 1000:.2f}", f"{es['disk'] / args.articles / 1000:.2f}")
    print()
    print(f"{'query (ms)':28}{'SQLite p50':>11}{'p95':>8}{'ES p50':>9}{'p95':>8}{'matches':>10}")
    for label, text, _ in QUERIES:
        same = "" if sq["totals"][label] == es["totals"][label] else f"  ≠ ES {es['totals'][label]}"
        a, b = sq["per_query"][label], es["per_query"][label]
        print(f"  {label:26}{statistics.median(a):>11.1f}{percentile(a, 95):>8.1f}{statistics.median(b):>9.1f}"
              f"{percentile(b, 95):>8.1f}{sq['totals'][label]:>10}{same}")
    goals = [("SQLite p95 <= 50 ms", p95(sq) <= 50), ("ES p95 <= 100 ms", p95(es) <= 100),
             ("ES >= 2,000 articles/s with clustering", es["rate"] >= 2000),
             ("SQLite >= 1,500 articles/s with clustering", sq["rate"] >= 1500),
             (f"timeline with its newest {PAGE} mentions <= 200 ms: SQLite", detail(sq) <= 200), ("ES", detail(es) <= 200),
             ("(not a goal) all mentions <= 200 ms: SQLite", sq["timeline"][2] <= 200), ("ES", es["timeline"][2] <= 200)]
    print("\ngoals: " + "; ".join(f"{g}: {'met' if ok else 'MISSED'}" for g, ok in goals))
    return 0


if __name__ == "__main__":
    sys.exit(main())
