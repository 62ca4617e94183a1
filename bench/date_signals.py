"""Each publication-date signal's precision on the hand-labelled real pages, beside htmldate and
trafilatura, in one run (issue 27).

    python bench/date_signals.py                 every scored label in bench/data/dates/labels.jsonl
    python bench/date_signals.py --limit 60      the first 60 labels (a quick look, not a figure)
    python bench/date_signals.py --save F.json   also keep every page's answers, to re-score with --load F.json

For every labelled page it asks each of our signals (extract/dates.py: JSON-LD, meta tags,
<time>, the first structured instant, the headline rule, htmldate as the crawler calls it),
htmldate alone in its fast mode (no extensive search), trafilatura's metadata date, and the
whole extraction (extract.article: the day PolicyWatch stores). It prints:

1. per signal: coverage (share of pages where it gives a day), precision (share of those days
   that are right), its day accuracy alone (right / all pages), per label round too;
2. head to head with htmldate: on pages where both give a day and the days differ, how often
   each is right. A rule of ours may come before htmldate in dates.DAY_ORDER only if it wins here;
3. day accuracy of the cascade (DAY_ORDER, as extract() runs it) against htmldate alone and
   trafilatura, and of other orders of the same signals for comparison.

The day is the page's local day as stored; a page with no answer counts as wrong. Labels marked
uncertain are never scored. The labels of round 2 were made by reading these signals' answers,
so they favour pages where one of them is right (see bench/data/dates/README.md)."""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import real_pages as rp  # noqa: E402
from bench.machine import cpu_model  # noqa: E402

# Other orders of the same signals, for comparison: without our headline rule, structured data first
ALTERNATIVES = (("htmldate", "structured"), ("json-ld", "meta", "time", "headline", "htmldate", "structured"),
                ("json-ld", "meta", "time", "htmldate", "headline", "structured"))
LIBRARIES = ("htmldate", "htmldate-fast", "trafilatura")


def answers(page) -> dict[str, str | None]:
    """Every signal's day (YYYY-MM-DD or None) for one page."""
    import trafilatura
    from htmldate import find_date

    from extract import dates, metadata as md
    from extract.encoding import decode_html
    from extract.article import extract

    text = decode_html(page.html, None)[0]
    tree = md.parse_tree(text)
    ld_objects, meta = md.json_ld(tree), md.meta_tags(tree)
    title = md.title(tree, md.article_ld(ld_objects), meta, md.site_name(ld_objects, meta))
    found: dict[str, str | None] = {name: None for name in dates.SIGNALS}
    found.update({k: str(v) for k, v in dates.day_signals(tree, ld_objects, meta, page.url, None, None,
                                                           title).items()})
    found["htmldate-fast"] = _quiet(lambda: find_date(text, url=page.url, original_date=True,
                                                      extensive_search=False))
    found["trafilatura"] = _quiet(lambda: trafilatura.extract_metadata(text, default_url=page.url).date)
    stored = extract(page.html, page.url)
    found["cascade"] = stored.published[:10] if stored.published else None
    found["cascade-from"] = stored.published_from
    return found


def _quiet(call):
    try:
        return call()
    except Exception:  # noqa: BLE001  a library that fails on a page gives no day there
        return None


def order_day(found: dict, order) -> str | None:
    from extract.dates import choose_day
    return choose_day({k: v for k, v in found.items() if k != "cascade-from"}, order)[0]


def report(results: dict, labels: dict, round_of: dict) -> str:
    from extract.dates import DAY_ORDER, SIGNALS

    keys = sorted(results)
    n = len(keys)
    by_round = defaultdict(list)
    for k in keys:
        by_round[round_of.get(k, 1)].append(k)
    lines = [f"{n} labelled pages ({', '.join(f'round {r}: {len(v)}' for r, v in sorted(by_round.items()))}); "
             f"a page without an answer counts as wrong", ""]

    def stats(name: str, subset) -> tuple[int, int, int]:
        decided = [k for k in subset if results[k].get(name)]
        right = sum(results[k][name] == labels[k] for k in decided)
        return len(subset), len(decided), right

    head = f"{'signal':16} {'coverage':>8} {'precision':>9} {'day acc.':>8} {'wrong':>5}   " + "   ".join(
        f"round {r}: cov  prec" for r in sorted(by_round))
    lines += ["1. Each signal alone", head, "-" * len(head)]
    for name in (*SIGNALS, *LIBRARIES[1:], "cascade"):
        total, decided, right = stats(name, keys)
        per_round = "   ".join(
            f"{'':9}{_ratio(d, t):>4} {_ratio(r_, d):>5}" for t, d, r_ in (stats(name, by_round[r]) for r in sorted(by_round)))
        label = {"htmldate": "htmldate", "cascade": "cascade (ours)"}.get(name, name)
        lines.append(f"{label:16} {_ratio(decided, total):>8} {_ratio(right, decided):>9} {_ratio(right, total):>8} "
                     f"{decided - right:>5}   {per_round}")
    lines += ["", "2. Head to head with htmldate: pages where both give a day and the days differ",
              f"{'signal':16} {'pages':>5} {'signal right':>12} {'htmldate right':>14} {'neither':>7}  verdict"]
    for name in (*SIGNALS, "htmldate-fast", "trafilatura"):
        if name == "htmldate":
            continue
        both = [k for k in keys if results[k].get(name) and results[k].get("htmldate")
                and results[k][name] != results[k]["htmldate"]]
        mine = sum(results[k][name] == labels[k] for k in both)
        theirs = sum(results[k]["htmldate"] == labels[k] for k in both)
        verdict = "may override htmldate" if mine > theirs else "after htmldate"
        lines.append(f"{name:16} {len(both):>5} {mine:>12} {theirs:>14} {len(both) - mine - theirs:>7}  {verdict}")
    lines += ["", "3. Day accuracy of the whole cascade vs the libraries alone, and other orders of the same signals"]
    rows = [(f"PolicyWatch (extract(), DAY_ORDER {'>'.join(DAY_ORDER)})", lambda k: results[k]["cascade"])]
    rows += [(f"order {'>'.join(order)}", lambda k, order=order: order_day(results[k], order)) for order in ALTERNATIVES]
    rows += [(f"{name} alone", lambda k, name=name: results[k].get(name)) for name in LIBRARIES]
    for what, day in rows:
        right = sum(day(k) == labels[k] for k in keys)
        per_round = "  ".join(f"round {r}: {_ratio(sum(day(k) == labels[k] for k in by_round[r]), len(by_round[r]))}"
                              for r in sorted(by_round))
        lines.append(f"  {what:62} {_ratio(right, n)}  ({right}/{n})  {per_round}")
    return "\n".join(lines)


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "  -  "


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--limit", type=int, help="score only the first N labels (sorted), for a quick look")
    p.add_argument("--save", type=Path, help="write every page's answers to this JSON file")
    p.add_argument("--load", type=Path, help="re-score answers saved by --save instead of running the signals")
    args = p.parse_args(argv)
    if not rp.available():
        print(f"corpora not found at {rp.CORPORA}; set POLICYWATCH_CORPORA", file=sys.stderr)
        return 2
    labels = rp.date_labels()
    keys = sorted(labels)[:args.limit] if args.limit else sorted(labels)
    started = time.process_time()
    if args.load:
        saved = json.loads(args.load.read_text())
        results = {tuple(k.split("\t")): v for k, v in saved.items() if tuple(k.split("\t")) in set(keys)}
    else:
        results = {p.key: answers(p) for p in rp.load(rp.DATASETS, set(keys))}
        if args.save:
            args.save.write_text(json.dumps({"\t".join(k): v for k, v in results.items()}, indent=0))
    print(f"machine: {cpu_model()}; {time.process_time() - started:.0f} CPU s for {len(results)} pages")
    print(report(results, labels, rp.date_label_rounds()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
