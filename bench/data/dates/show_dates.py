"""Helper for hand-labelling publication dates from what a page visibly shows.

It never decides a date: it prints the page URL, the visible lines around the
headline and every visible line with a date-like token, for a person to read.
<title>, <meta>, JSON-LD and other scripts, styles, comments, hidden elements
and all attributes are left out of what it prints, so a label can only come
from text a reader sees on the page.

    python show_dates.py pick DATASET [2]        ids chosen by the fixed rule (pass 1, or pass 2)
    python show_dates.py show DATASET ID...      visible headline + date lines (ID may be a prefix)
    python show_dates.py lines DATASET ID FROM TO    visible lines FROM..TO-1 of one page
    python show_dates.py add DATASET < rows      one row per page, appended to labels/skipped.jsonl:
                                                 'ID | YYYY-MM-DD | how' or 'ID | skip:KIND | reason'
    python show_dates.py check                   re-verify both files against the pages

Exit status: 0 fine, 1 a row or label failed its check, 2 bad usage.
"""
import datetime
import gzip
import json
import os
import re
import sys
from pathlib import Path

import charset_normalizer
import lxml.html
from lxml import etree

HERE = Path(__file__).resolve().parent
# ROOT/../shared/corpora; POLICYWATCH_CORPORA names it for a checkout elsewhere (a git worktree)
CORPORA = Path(os.environ.get("POLICYWATCH_CORPORA") or (HERE.parents[2] / ".." / "shared" / "corpora").resolve())

# Fixed selection rule: ids sorted as strings, every STEP-th from the first (pass 1);
# pass 2 takes every STEP-th from index STEP // 2, between the pass-1 pages.
STEP = {"l3s-gn1": 7, "wcxb-articles": 11, "dragnet": 16, "cleanportaleval": 1, "readability": 1}

MONTHS = (
    r"jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sept?(ember)?|oct(ober)?"
    r"|nov(ember)?|dec(ember)?"
    r"|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre"
    r"|janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre"
    r"|januar|februar|m[äa]rz|juni|juli|oktober|dezember"
    r"|janeiro|fevereiro|mar[çc]o|maio|junho|julho|setembro|outubro|novembro|dezembro"
    r"|ledna|února|března|dubna|května|června|července|srpna|září|října|listopadu|prosince"
)
DATE_LIKE = re.compile(
    rf"\b({MONTHS})\b\.?|\b\d{{1,4}}[./-]\d{{1,2}}[./-]\d{{1,4}}\b|\d+\s*年|\d+\s*月\s*\d+\s*日"
    r"|\b(posted|published|updated|modified|dated?)\b|\b(19|20)\d\d\b",
    re.IGNORECASE,
)
STRONG = re.compile(
    rf"\b({MONTHS})\b\.?,?\s*\d|\d(st|nd|rd|th)?\.?\s*(of\s+)?({MONTHS})\b|\d[./-]\d{{1,2}}[./-]\d|\d\s*[年月]",
    re.IGNORECASE,
)
ARCHIVE = re.compile(rf"^({MONTHS})\s+\d{{4}}(\s*\(\d+\))?$", re.IGNORECASE)
BLOCK = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
    "table", "section", "article", "header", "footer", "aside", "nav", "time", "dd", "dt",
    "blockquote", "pre", "form", "figure", "figcaption", "address",
}
# Not <head> itself: on broken pages parsers put body text there and a browser still shows it.
INVISIBLE = ("script", "style", "noscript", "template", "title", "meta", "link", "base", "svg", "iframe", "object")
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def decode(raw: bytes) -> str:
    """Declared charsets are sometimes wrong: try strict UTF-8, else detect."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        best = charset_normalizer.from_bytes(raw).best()
        return str(best) if best is not None else raw.decode("latin-1")


def visible_lines(raw: bytes) -> list[str]:
    text = decode(raw)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    text = re.sub(r"</?text\b[^>]*>", "", text[:2000]) + text[2000:]  # CleanEval-style wrapper
    root = lxml.html.fromstring(text)
    for el in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        el.drop_tree() if hasattr(el, "drop_tree") else el.getparent().remove(el)
    for el in list(root.iter(*INVISIBLE)):
        if el.getparent() is not None:
            el.drop_tree()
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        # React streaming puts rendered chunks in <div hidden id="S:n"> and an inline
        # script swaps them in at once, so a browser shows them: keep those.
        streamed = re.fullmatch(r"S:\d+", el.get("id", ""))
        if el.get("hidden") is not None and not streamed or HIDDEN_STYLE.search(el.get("style", "")):
            el.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag in BLOCK:
            el.tail = "\n" + (el.tail or "")
            el.text = "\n" + (el.text or "")
    lines = (re.sub(r"\s+", " ", ln).strip() for ln in root.text_content().split("\n"))
    return [ln for ln in lines if ln]


def load(dataset: str) -> dict[str, dict]:
    path = CORPORA / dataset / "truth.jsonl"
    return {rec["id"]: rec for rec in map(json.loads, path.open(encoding="utf-8"))}


def pick(dataset: str, second_pass: bool = False) -> list[str]:
    step = STEP[dataset]
    return sorted(load(dataset))[step // 2 if second_pass else 0:: step]


def clip(line: str, width: int = 120) -> str:
    if len(line) <= width:
        return line
    m = STRONG.search(line) or DATE_LIKE.search(line)
    start = max(0, (m.start() if m else 0) - width // 2)
    return ("…" if start else "") + line[start:start + width] + "…"


def headline_index(lines: list[str], title: str | None) -> int:
    norm = lambda s: re.sub(r"\W+", "", s.lower())
    if title:
        t = norm(title)[:40]
        for i, ln in enumerate(lines):
            if t and t in norm(ln):
                return i
    return 0


def show(dataset: str, ids: list[str]) -> None:
    truth = load(dataset)
    for pid in ids:
        pid = resolve(truth, pid)
        rec = truth[pid]
        raw = gzip.open(CORPORA / dataset / "pages" / f"{pid}.html.gz").read()
        lines = visible_lines(raw)
        # Datasets without a title: the gold main text's first line (human-made) finds the headline.
        first = next((ln for ln in (rec.get("text") or "").split("\n") if len(ln.strip()) > 15), "")
        h = headline_index(lines, rec.get("title") or first)
        print(f"=== {dataset} {pid}  url={rec.get('url')}")
        print(f"    title={(rec.get('title') or first)[:100]!r}  lines={len(lines)} headline@{h}")
        near = range(max(0, h - 2), min(len(lines), h + 6))
        for i in near:
            print(f"  {i:5d}| {clip(lines[i])}")
        hits = [i for i, ln in enumerate(lines) if i not in near and not ARCHIVE.match(ln)
                and (STRONG.search(ln) or DATE_LIKE.search(ln) and len(ln) < 60)]
        shown = sorted(sorted(hits, key=lambda i: abs(i - h))[:14])
        for i in shown:
            print(f"  {i:5d}* {clip(lines[i])}")
        if len(hits) > len(shown):
            print(f"   ... {len(hits) - len(shown)} more date-like lines further away")


QUOTE = re.compile(r"'(.+?)'(?![A-Za-z])")
DATE = re.compile(r"\d{4}-\d\d-\d\d")
SKIP_KINDS = {
    "no_date", "update_only", "no_year", "relative_only", "day_month_unclear", "two_dates",
    "not_this_article",
}


def resolve(truth: dict, prefix: str) -> str:
    found = [pid for pid in truth if pid == prefix] or [pid for pid in truth if pid.startswith(prefix)]
    if len(found) != 1:
        raise KeyError(f"id prefix {prefix!r} matches {len(found)} pages")
    return found[0]


def page_lines(dataset: str, pid: str) -> list[str]:
    return visible_lines(gzip.open(CORPORA / dataset / "pages" / f"{pid}.html.gz").read())


def label_problem(dataset: str, pid: str, date: str, how: str) -> str | None:
    """Why a label is not acceptable, or None.

    The first single-quoted text in `how` (an apostrophe inside a word does not
    close it) must be on one visible line of the page, so every label is tied
    to text the page shows.
    """
    try:
        datetime.date.fromisoformat(date)
    except ValueError:
        return f"date {date!r} is not YYYY-MM-DD"
    m = QUOTE.search(how)
    if not m:
        return "how quotes no visible text"
    if not any(m.group(1) in ln for ln in page_lines(dataset, pid)):
        return f"quote {m.group(1)!r} is not on a visible line"
    return None


def add(dataset: str, rows: list[str]) -> int:
    """Append rows 'ID | YYYY-MM-DD | how' or 'ID | skip:KIND | reason' (ID may be a prefix)."""
    truth = load(dataset)
    bad = 0
    for row in filter(str.strip, rows):
        prefix, verdict, note = (part.strip() for part in row.split("|", 2))
        pid = resolve(truth, prefix)
        if verdict.startswith("skip:"):
            kind = verdict.removeprefix("skip:")
            problem = None if kind in SKIP_KINDS else f"unknown skip kind {kind!r}"
            rec, name = {"dataset": dataset, "id": pid, "kind": kind, "reason": note}, "skipped.jsonl"
        else:
            problem = label_problem(dataset, pid, verdict, note)
            rec, name = {"dataset": dataset, "id": pid, "date": verdict, "how": note}, "labels.jsonl"
        if problem:
            print(f"not written: {dataset} {pid}: {problem}")
            bad += 1
        else:
            append(name, rec)
    return 1 if bad else 0


def check() -> int:
    """Re-verify both files: labels against their pages, every page chosen by the rule, once."""
    labels = [json.loads(ln) for ln in (HERE / "labels.jsonl").open(encoding="utf-8")]
    skips = [json.loads(ln) for ln in (HERE / "skipped.jsonl").open(encoding="utf-8")]
    chosen = {d: set(pick(d)) | set(pick(d, second_pass=True)) for d in STEP}
    # rounds 2 and 3 (issue 27) have their own fixed rule: label_helper.pick, one page per new site
    from label_helper import ROUNDS, round_picks
    chosen_later = {r: set(round_picks(r)) for r in ROUNDS}
    problems = []
    seen = set()
    for rec in labels + skips:
        key = (rec["dataset"], rec["id"])
        if key in seen:
            problems.append(f"{key} appears twice")
        seen.add(key)
        if rec.get("round", 1) in chosen_later and key not in chosen_later[rec["round"]] or \
                rec.get("round", 1) == 1 and rec["id"] not in chosen.get(rec["dataset"], ()):
            problems.append(f"{key} is not chosen by the selection rule")
    problems += [f"{r['dataset']} {r['id']}: {p}" for r in labels
                 if (p := label_problem(r["dataset"], r["id"], r["date"], r["how"]))]
    problems += [f"{r['dataset']} {r['id']}: unknown kind {r.get('kind')!r}" for r in skips
                 if r.get("kind") not in SKIP_KINDS]
    for line in problems:
        print(line)
    for dataset in sorted({r["dataset"] for r in labels + skips}):
        n_label = sum(r["dataset"] == dataset for r in labels)
        n_skip = sum(r["dataset"] == dataset for r in skips)
        print(f"{dataset:16s} labelled {n_label:4d}  skipped {n_skip:4d}")
    print(f"{'total':16s} labelled {len(labels):4d}  skipped {len(skips):4d}  problems {len(problems)}")
    return 1 if problems else 0


def append(name: str, rec: dict) -> None:
    with (HERE / name).open("a", encoding="utf-8") as out:
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")


def main(argv: list[str]) -> int:
    try:
        return run(argv)
    except KeyError as exc:  # an id (prefix) that names no page, or several
        print(exc.args[0], file=sys.stderr)
        return 2


def run(argv: list[str]) -> int:
    if not CORPORA.is_dir():
        print(f"corpora not found at {CORPORA}", file=sys.stderr)
        return 1
    command, args = (argv[0], argv[1:]) if argv else ("", [])
    if args and args[0] not in STEP:
        print(f"unknown dataset {args[0]!r}; one of {', '.join(STEP)}", file=sys.stderr)
        return 2
    if command == "pick" and len(args) in (1, 2):
        print("\n".join(pick(args[0], second_pass=args[1:] == ["2"])))
    elif command == "show" and len(args) >= 2:
        show(args[0], args[1:])
    elif command == "lines" and len(args) == 4 and args[2].isdigit() and args[3].isdigit():
        lines = page_lines(args[0], resolve(load(args[0]), args[1]))
        for i in range(int(args[2]), min(len(lines), int(args[3]))):
            print(f"  {i:5d}| {clip(lines[i], 200)}")
    elif command == "add" and len(args) == 1:
        return add(args[0], sys.stdin.read().splitlines())
    elif command == "check" and not args:
        return check()
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
