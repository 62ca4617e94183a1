"""Evidence for labelling publication dates, round 2 (issue 27): what every signal says.

Unlike show_dates.py (round 1, visible text only), this prints what the machines say too:
JSON-LD datePublished, the publication meta tags, <time> elements, the URL's date, htmldate
(original+extensive as the crawler calls it, and its fast default mode), trafilatura's date,
our own signals (the headline rule, the cascade's answer), the WCXB dataset's own
publish_date, and the visible lines near the headline with a date on them. A person still
decides the day, and quotes the visible text that shows it.

    python label_helper.py pick [N]             the first N new-site pages per dataset (round 2: 0-119, round 3: 120-159)
    python label_helper.py show DATASET ID...   the evidence for pages (ID may be a prefix)
    python label_helper.py brief [FROM TO [R]]  compact evidence for round R's picks FROM..TO-1 (R = 2 or 3)
    python label_helper.py add [R] < rows       'DATASET ID | YYYY-MM-DD | decided-by | how' or
                                                'DATASET ID | uncertain | decided-by | how' or
                                                'DATASET ID | skip:KIND | reason'

Run it with the project's .venv (it imports crawler/, htmldate and trafilatura).
"""
from __future__ import annotations

import gzip
import hashlib
import json
import re
import sys
from pathlib import Path
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))
sys.path.insert(0, str(HERE))

import show_dates  # noqa: E402  (the round-1 helper: visible lines, corpora paths, checks)

CORPORA = show_dates.CORPORA
ROUND2_DATASETS = ("l3s-gn1", "wcxb-articles")
URL_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)[/_.-]?(0[1-9]|1[0-2])[/_.-]?(0[1-9]|[12]\d|3[01])(?!\d)")
URL_MONTH = re.compile(r"/((?:19|20)\d\d)/(0[1-9]|1[0-2])/")


def host(url: str | None) -> str | None:
    if not url:
        return None
    name = urlparse(url).netloc.lower().split(":")[0]
    return name[4:] if name.startswith("www.") else name


def round1_hosts() -> set[tuple[str, str]]:
    rows = [json.loads(ln) for name in ("labels.jsonl", "skipped.jsonl") for ln in (HERE / name).open()]
    hosts = set()
    for r in rows:
        if r.get("round", 1) == 1 and (h := host(show_dates.load(r["dataset"])[r["id"]].get("url"))):
            hosts.add(h)
    return hosts


def pick(n: int = 120) -> list[tuple[str, str]]:
    """Fixed rule: in each round-2 dataset, the sites (URL host, www. dropped) that no round-1 page
    came from; of each, the page whose id sorts first; sites ordered by sha1('dataset host'); the
    first n per dataset. No page is picked or dropped by looking at it."""
    taken = round1_hosts()
    chosen = []
    for dataset in ROUND2_DATASETS:
        first: dict[str, str] = {}
        for pid, rec in sorted(show_dates.load(dataset).items()):
            h = host(rec.get("url"))
            if h and h not in taken and h not in first:
                first[h] = pid
        order = sorted(first, key=lambda h: hashlib.sha1(f"{dataset} {h}".encode()).hexdigest())
        chosen += [(dataset, first[h]) for h in order[:n]]
        taken |= set(first)
    return chosen


# Which of each dataset's ordered new-site pages a round takes: round 2 was labelled before the
# headline-rule fixes of issue 27 and used to measure and tune them; round 3 was labelled after
# them, as a check on pages nothing was tuned on.
ROUNDS = {2: (0, 120), 3: (120, 160)}


def round_picks(round_: int) -> list[tuple[str, str]]:
    lo, hi = ROUNDS[round_]
    chosen = pick(hi)
    return [key for dataset in ROUND2_DATASETS for key in [k for k in chosen if k[0] == dataset][lo:hi]]


def wcxb_dates() -> dict[str, str]:
    path = CORPORA / "wcxb-articles" / "meta.jsonl"
    return {r["id"]: r.get("publish_date") for r in map(json.loads, path.open())}


def evidence(dataset: str, pid: str) -> dict:
    """Every signal's answer for one page (days as YYYY-MM-DD)."""
    from htmldate import find_date
    import trafilatura
    from extract import dates, metadata as md
    from extract.encoding import decode_html
    from extract.article import extract

    rec = show_dates.load(dataset)[pid]
    url = rec.get("url") or ""
    raw = gzip.open(CORPORA / dataset / "pages" / f"{pid}.html.gz").read()
    text = decode_html(raw, None)[0]
    tree = md.parse_tree(text)
    ld_objects, meta = md.json_ld(tree), md.meta_tags(tree)
    title = md.title(tree, md.article_ld(ld_objects), meta, md.site_name(ld_objects, meta)) or rec.get("title")
    ev: dict = {"dataset": dataset, "id": pid, "url": url}
    structured = {}
    for moment, _given, signal in dates.structured_candidates(tree, ld_objects, meta, None):
        structured.setdefault(signal, []).append(moment.isoformat()[:16])
    ev["structured"] = structured
    m = URL_DATE.search(url)
    ev["url_date"] = "-".join(m.groups()) if m else (("-".join(URL_MONTH.search(url).groups()) + "-??")
                                                      if URL_MONTH.search(url) else None)
    for name, kwargs in (("htmldate", {"original_date": True, "extensive_search": True}), ("htmldate_fast", {})):
        try:
            ev[name] = find_date(text, url=url or None, **kwargs)
        except Exception as exc:  # noqa: BLE001  a library failure is evidence too
            ev[name] = f"error {type(exc).__name__}"
    try:
        ev["trafilatura"] = trafilatura.extract_metadata(text, default_url=url or None).date
    except Exception as exc:  # noqa: BLE001
        ev["trafilatura"] = f"error {type(exc).__name__}"
    ev["headline"] = str(d) if (d := dates.headline_date(tree, title)) else None
    got = extract(raw, url or f"https://{dataset}.invalid/{pid}")
    ev["cascade"] = (got.published[:10] if got.published else None, got.published_from)
    if dataset == "wcxb-articles":
        ev["wcxb_publish_date"] = wcxb_dates().get(pid)
    lines = show_dates.visible_lines(raw)
    h = show_dates.headline_index(lines, rec.get("title") or title)
    near = [(i, lines[i]) for i in range(max(0, h - 6), min(len(lines), h + 25))
            if i == h or show_dates.STRONG.search(lines[i])]
    ev["headline_line"] = h
    ev["visible"] = [(i, show_dates.clip(ln, 110)) for i, ln in near[:8]]
    far = [(i, show_dates.clip(ln, 110)) for i, ln in enumerate(lines)
           if not (h - 6 <= i < h + 25) and show_dates.STRONG.search(ln) and not show_dates.ARCHIVE.match(ln)]
    ev["visible_far"] = sorted(far, key=lambda x: abs(x[0] - h))[:4]
    return ev


def print_evidence(ev: dict) -> None:
    print(f"=== {ev['dataset']} {ev['id']}  {ev['url'][:110]}")
    sig = {k: v for k, v in ev.items() if k in ("url_date", "htmldate", "htmldate_fast", "trafilatura",
                                               "headline", "cascade", "wcxb_publish_date") and v}
    print("   ", "  ".join(f"{k}={v}" for k, v in sig.items()))
    if ev["structured"]:
        print("   ", "  ".join(f"{k}={','.join(v[:3])}" for k, v in ev["structured"].items()))
    for i, ln in ev["visible"]:
        print(f"  {i:5d}{'#' if i == ev['headline_line'] else '|'} {ln}")
    for i, ln in ev["visible_far"]:
        print(f"  {i:5d}* {ln}")


def add(rows: list[str], round_: int = 2) -> int:
    """Append round-2 (or -3) rows to labels.jsonl / skipped.jsonl (checked like round 1's)."""
    bad = 0
    for row in filter(str.strip, rows):
        parts = [p.strip() for p in row.split("|", 3)]      # the quote in `how` may hold a '|'
        dataset, prefix = parts[0].split()
        pid = show_dates.resolve(show_dates.load(dataset), prefix)
        verdict = parts[1]
        if verdict.startswith("skip:"):
            kind = verdict.removeprefix("skip:")
            problem = None if kind in show_dates.SKIP_KINDS else f"unknown skip kind {kind!r}"
            rec, name = {"dataset": dataset, "id": pid, "kind": kind, "reason": " | ".join(parts[2:]), "round": round_}, \
                "skipped.jsonl"
        else:
            uncertain = verdict.startswith("uncertain")
            day = verdict.split()[-1] if uncertain else verdict
            decided_by, how = parts[2], parts[3]
            problem = show_dates.label_problem(dataset, pid, day, how)
            rec = {"dataset": dataset, "id": pid, "date": day, "how": how, "round": round_, "decided_by": decided_by}
            if uncertain:
                rec["uncertain"] = True
            name = "labels.jsonl"
        if problem:
            print(f"not written: {dataset} {pid}: {problem}")
            bad += 1
        else:
            show_dates.append(name, rec)
    return 1 if bad else 0


def main(argv: list[str]) -> int:
    command, args = (argv[0], argv[1:]) if argv else ("", [])
    if command == "pick" and len(args) <= 1:
        for dataset, pid in pick(int(args[0]) if args else 120):
            print(dataset, pid)
    elif command == "show" and len(args) >= 2:
        truth = show_dates.load(args[0])
        for prefix in args[1:]:
            print_evidence(evidence(args[0], show_dates.resolve(truth, prefix)))
    elif command == "brief" and len(args) in (0, 2, 3):
        chosen = round_picks(int(args[2]) if len(args) == 3 else 2)
        lo, hi = (int(args[0]), int(args[1])) if args else (0, len(chosen))
        for dataset, pid in chosen[lo:hi]:
            print_evidence(evidence(dataset, pid))
    elif command == "add" and len(args) <= 1:
        return add(sys.stdin.read().splitlines(), int(args[0]) if args else 2)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
