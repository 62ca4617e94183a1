"""Helper for hand-labelling publication dates from what a page visibly shows.

It never decides a date: it prints the page URL, the visible lines around the
headline and every visible line with a date-like token, for a person to read.
<head>, <meta>, JSON-LD, scripts, styles, comments and attributes are dropped
before anything is printed, so a label can only come from visible text.

    python show_dates.py pick DATASET [2]        ids chosen by the fixed rule (pass 1, or pass 2)
    python show_dates.py show DATASET ID...      visible headline + date lines
    python show_dates.py label DATASET ID DATE HOW   append to labels.jsonl
    python show_dates.py skip DATASET ID REASON       append to skipped.jsonl
    python show_dates.py add DATASET < rows          'ID | DATE | how' or 'ID | skip | reason' per line
"""
import gzip
import json
import re
import sys
from pathlib import Path

import charset_normalizer
import lxml.html
from lxml import etree

HERE = Path(__file__).resolve().parent
CORPORA = HERE.parents[2] / ".." / "shared" / "corpora"

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
    "blockquote", "pre", "form", "figure", "figcaption", "address", "span_never",
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


def resolve(truth: dict, prefix: str) -> str:
    found = [pid for pid in truth if pid == prefix] or [pid for pid in truth if pid.startswith(prefix)]
    if len(found) != 1:
        raise KeyError(f"id prefix {prefix!r} matches {len(found)} pages")
    return found[0]


def add(dataset: str, rows: list[str]) -> int:
    """Rows 'ID-PREFIX | YYYY-MM-DD | how' or 'ID-PREFIX | skip | reason'.

    The first single-quoted text in a label's how (an apostrophe inside a word
    does not close it) must be on one visible line of the page, so every label
    is checked against the page it came from.
    """
    truth = load(dataset)
    bad = 0
    for row in rows:
        if not row.strip():
            continue
        prefix, date, note = (part.strip() for part in row.split("|", 2))
        pid = resolve(truth, prefix)
        if date == "skip":
            append("skipped.jsonl", {"dataset": dataset, "id": pid, "reason": note})
            continue
        m = QUOTE.search(note)
        quote = m.group(1) if m else ""
        raw = gzip.open(CORPORA / dataset / "pages" / f"{pid}.html.gz").read()
        if not re.fullmatch(r"\d{4}-\d\d-\d\d", date) or not quote or not any(
            quote in ln for ln in visible_lines(raw)
        ):
            print(f"NOT WRITTEN {dataset} {pid}: date {date!r} or quote {quote!r} not on a visible line")
            bad += 1
            continue
        append("labels.jsonl", {"dataset": dataset, "id": pid, "date": date, "how": note})
    return 1 if bad else 0


def append(name: str, rec: dict) -> None:
    with (HERE / name).open("a", encoding="utf-8") as out:
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")


def main(argv: list[str]) -> int:
    if len(argv) in (2, 3) and argv[0] == "pick":
        print("\n".join(pick(argv[1], argv[2:] == ["2"])))
    elif len(argv) >= 3 and argv[0] == "show":
        show(argv[1], argv[2:])
    elif len(argv) == 5 and argv[0] == "lines":
        truth = load(argv[1])
        pid = resolve(truth, argv[2])
        lines = visible_lines(gzip.open(CORPORA / argv[1] / "pages" / f"{pid}.html.gz").read())
        for i in range(int(argv[3]), min(len(lines), int(argv[4]))):
            print(f"  {i:5d}| {clip(lines[i], 200)}")
    elif len(argv) == 2 and argv[0] == "add":
        return add(argv[1], sys.stdin.read().splitlines())
    elif len(argv) == 5 and argv[0] == "label":
        if not re.fullmatch(r"\d{4}-\d\d-\d\d", argv[3]):
            print(f"bad date {argv[3]!r}", file=sys.stderr)
            return 2
        append("labels.jsonl", {"dataset": argv[1], "id": argv[2], "date": argv[3], "how": argv[4]})
    elif len(argv) == 4 and argv[0] == "skip":
        append("skipped.jsonl", {"dataset": argv[1], "id": argv[2], "reason": argv[3]})
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
