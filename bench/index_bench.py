"""Both index backends side by side on the same synthetic collection, in one run.

    python bench/index_bench.py [--articles 50000] [--es http://127.0.0.1:9200] [--repeat 5]

Articles come from the sample newsroom's story templates (newsroom/synthetic.py: police
crackdowns, privacy fines, court rulings, takedowns, bills, EU and Ofcom enforcement), spread
over eight sources and two years, with entities and actions tagged by a small gazetteer (no
spaCy, so generation is not what is measured). The same articles are loaded into a temporary
SQLite file and a temporary Elasticsearch alias; then 20 representative queries run against
both, and one entity's timeline is exported.

Prints bulk indexing rate (articles/s) — also with story clustering switched off, to show what
near-duplicate detection (index/dedup.py, in both backends' write path) costs — search latency
p50/p95 and the timeline time per backend, with the machine. Goals (issue #4): ES p95 < 100 ms,
SQLite p95 < 50 ms, ES indexing >= 2,000 articles/s."""
from __future__ import annotations

import argparse
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
from contextlib import nullcontext
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import cpu_model  # noqa: E402

from index import Article, SearchRequest, content_hash, open_index, parse  # noqa: E402
from index import dedup  # noqa: E402
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
                           content_hash=content_hash(story.title, body), entities=entities, actions=actions))
    return out


def load(ix, articles: list[Article], batch: int) -> float:
    """Articles per second through write(), as `policywatch copy` loads (ES: refresh paused)."""
    started = time.perf_counter()
    bulk = getattr(ix, "bulk_load", None)
    with bulk() if bulk else nullcontext():
        for start in range(0, len(articles), batch):
            result = ix.write(articles[start:start + batch])
            assert not result.failed and not result.spooled, (result.failed[:3], result.spooled)
    return len(articles) / (time.perf_counter() - started)


def measure(ix, repeat: int) -> tuple[dict[str, float], list[float], dict[str, int]]:
    per_query, samples, totals = {}, [], {}
    for label, text, options in QUERIES:
        request = SearchRequest(parse(text), limit=20, **options)
        totals[label] = ix.search(request).total                       # warm-up
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            ix.search(request)
            times.append((time.perf_counter() - started) * 1000)
        per_query[label] = statistics.median(times)
        samples += times
    return per_query, samples, totals


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def timeline_ms(ix, entity: str) -> tuple[float, float, int]:
    ix.timeline(entity, "month")                                     # warm-up
    started = time.perf_counter()
    rows = ix.timeline(entity, "week")
    monthly = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    n = sum(1 for _ in ix.mentions(entity))
    detail = (time.perf_counter() - started) * 1000
    assert rows
    return monthly, detail, n


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument("--es", default=os.environ.get("POLICYWATCH_ES_URL", "http://127.0.0.1:9200"))
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each query")
    parser.add_argument("--batch", type=int, default=2000, help="articles per write() call")
    parser.add_argument("--entity", default="Telegram", help="entity whose timeline is exported")
    args = parser.parse_args()

    started = time.perf_counter()
    articles = synthesise(args.articles)
    print(f"synthesised {len(articles):,} articles in {time.perf_counter() - started:.1f}s "
          f"({sum(len(a.text) for a in articles) / len(articles):,.0f} characters each, "
          f"{sum(len(a.entities) for a in articles) / len(articles):.1f} entities each; "
          f"{Counter(a.published[:4] for a in articles)})", flush=True)

    tmp = tempfile.TemporaryDirectory(prefix="pw-bench-")
    backends = {"sqlite": f"sqlite:///{tmp.name}/bench.db",
                "elasticsearch": f"{args.es.rstrip('/')}/pw-bench-{uuid.uuid4().hex[:8]}"}
    results = {}
    try:
        # What story clustering (near-duplicate detection in both backends' write path) costs:
        # the same load with index/dedup.py's fingerprint switched off, into throwaway targets.
        fingerprint = dedup.signature
        dedup.signature = lambda text: None
        try:
            bare = {}
            for name, url in backends.items():
                ix = open_index(url + "-bare" if name == "elasticsearch" else url.replace("bench.db", "bare.db"),
                                **({"spool_dir": tmp.name} if name == "elasticsearch" else {}))
                try:
                    bare[name] = load(ix, articles, args.batch)
                    print(f"{name}: loaded at {bare[name]:,.0f} articles/s without story clustering", flush=True)
                finally:
                    if name == "elasticsearch":
                        ix.drop()
                    ix.close()
        finally:
            dedup.signature = fingerprint
        for name, url in backends.items():
            ix = open_index(url, **({"spool_dir": tmp.name} if name == "elasticsearch" else {}))
            try:
                rate = load(ix, articles, args.batch)
                print(f"{name}: loaded at {rate:,.0f} articles/s", flush=True)
                per_query, samples, totals = measure(ix, args.repeat)
                results[name] = {"rate": rate, "per_query": per_query, "samples": samples, "totals": totals,
                                 "timeline": timeline_ms(ix, args.entity)}
            finally:
                if name == "elasticsearch":
                    ix.drop()
                ix.close()
    finally:
        tmp.cleanup()

    sq, es = results["sqlite"], results["elasticsearch"]
    print()
    print(f"machine: {os.cpu_count()} CPUs ({cpu_model()}), Python {platform.python_version()}, "
          f"{args.articles:,} articles, {args.repeat} timed runs per query")
    print(f"{'':34}{'SQLite FTS5':>14}{'Elasticsearch':>16}")
    print(f"{'bulk indexing (articles/s)':34}{sq['rate']:>14,.0f}{es['rate']:>16,.0f}")
    print(f"{'  with story clustering off':34}{bare['sqlite']:>14,.0f}{bare['elasticsearch']:>16,.0f}")
    for p in (50, 95):
        print(f"{f'search latency p{p} (ms)':34}{percentile(sq['samples'], p):>14.1f}{percentile(es['samples'], p):>16.1f}")
    print(f"{f'timeline {args.entity} by week (ms)':34}{sq['timeline'][0]:>14.1f}{es['timeline'][0]:>16.1f}")
    mentions_label = f"  + its {sq['timeline'][2]:,} mentions (ms)"
    print(f"{mentions_label:34}{sq['timeline'][1]:>14.1f}{es['timeline'][1]:>16.1f}")
    print()
    print(f"{'query (median ms)':34}{'SQLite':>10}{'ES':>10}{'matches':>10}")
    for label, text, _ in QUERIES:
        same = "" if sq["totals"][label] == es["totals"][label] else f"  ≠ ES {es['totals'][label]}"
        print(f"  {label:32}{sq['per_query'][label]:>10.1f}{es['per_query'][label]:>10.1f}"
              f"{sq['totals'][label]:>10,}{same}")
    goals = [("ES p95 < 100 ms", percentile(es["samples"], 95) < 100),
             ("SQLite p95 < 50 ms", percentile(sq["samples"], 95) < 50),
             ("ES indexing >= 2,000 articles/s", es["rate"] >= 2000),
             ("the same with story clustering off", bare["elasticsearch"] >= 2000)]
    print("\ngoals: " + "; ".join(f"{g}: {'met' if ok else 'MISSED'}" for g, ok in goals))
    return 0


if __name__ == "__main__":
    sys.exit(main())
