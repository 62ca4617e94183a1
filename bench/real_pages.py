"""Real pages nobody here wrote: the extraction corpora in ../shared/corpora (see its README).

Loads pages with their gold text, runs extractors side by side and scores them:

* body: token-level P/R/F1 as for the fixtures (``\\w+`` tokens after NFKC, quotes and dashes
  normalised, so l3s-gn1's ``?`` for a lost ``’`` costs nothing), micro over tokens per dataset;
* lost: the extractor keeps nothing (PolicyWatch: not stored; the others: fewer than MIN_WORDS
  words) where the reference extractor, trafilatura's default mode, finds >= LOST_REF_WORDS words;
* dates: the day (the page's local day, as stored) against ``bench/data/dates/labels.jsonl``,
  labels made by hand from what each page visibly shows;
* titles (datasets with a gold headline) and authors (datasets with a gold byline);
* pages/s and CPU seconds per page.

The corpora are never copied into the repository; everything here reads them in place.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable, Iterable, Sequence

from extract import wordcount
from extract.bodies import MIN_WORDS     # below this PolicyWatch stores nothing

REPO_ROOT = Path(__file__).resolve().parents[1]
# ../shared/corpora next to the checkout; POLICYWATCH_CORPORA names it for a checkout elsewhere (a git worktree)
CORPORA = Path(os.environ.get("POLICYWATCH_CORPORA") or REPO_ROOT.parent / "shared" / "corpora")
DATE_LABELS = REPO_ROOT / "bench" / "data" / "dates" / "labels.jsonl"
DATASETS = ("l3s-gn1", "dragnet", "cleanportaleval", "wcxb-articles", "readability", "cleaneval")
NEWS_DATASETS = ("l3s-gn1", "dragnet", "cleanportaleval", "wcxb-articles")
EXTRACTORS = ("policywatch", "trafilatura", "readability-lxml", "newspaper4k", "htmldate")
REFERENCE = "trafilatura"
LOST_REF_WORDS = 150

# Which datasets have a gold title that is the headline (cleaneval's is the <title> of the page).
TITLE_DATASETS = ("l3s-gn1", "readability", "wcxb-articles")

_NORM = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
                       "\u2014": "-", "\u00a0": " ", "?": " "})


@dataclass
class Page:
    dataset: str
    id: str
    url: str
    html: bytes
    text: str
    title: str | None
    meta: dict = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str]:
        return self.dataset, self.id


def available() -> bool:
    return CORPORA.is_dir() and any((CORPORA / d / "truth.jsonl").is_file() for d in DATASETS)


def _jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load(datasets: Iterable[str] = DATASETS, keys: set[tuple[str, str]] | None = None) -> list[Page]:
    pages = []
    for name in datasets:
        folder = CORPORA / name
        if not (folder / "truth.jsonl").is_file():
            continue
        metas = {m["id"]: m for m in _jsonl(folder / "meta.jsonl")}
        for truth in _jsonl(folder / "truth.jsonl"):
            if keys is not None and (name, truth["id"]) not in keys:
                continue
            html = gzip.decompress((folder / "pages" / f"{truth['id']}.html.gz").read_bytes())
            url = truth.get("url") or f"https://{name}.invalid/{truth['id']}"
            pages.append(Page(name, truth["id"], url, html, truth["text"], truth.get("title"),
                              metas.get(truth["id"], {})))
    return pages


def date_labels(path: Path = DATE_LABELS) -> dict[tuple[str, str], str]:
    """(dataset, id) → 'YYYY-MM-DD', from the hand-made labels; empty when there are none yet.
    Lines that do not parse are skipped (the file is written while this runs)."""
    labels: dict[tuple[str, str], str] = {}
    if not path.is_file():
        return labels
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            row = json.loads(line)
            # pages marked uncertain (round 2, issue 27) are kept for the record, never scored
            if re.fullmatch(r"\d{4}-\d\d-\d\d", row.get("date") or "") and not row.get("uncertain"):
                labels[(row["dataset"], str(row["id"]))] = row["date"]
        except (json.JSONDecodeError, KeyError, AttributeError):
            continue
    return labels


def _rank(seed: int, dataset: str, page_id: str) -> str:
    return hashlib.sha1(f"{seed}/{dataset}/{page_id}".encode()).hexdigest()


def sample(seed: int, per_dataset: dict[str, int], labels: dict | None = None,
           dated: int = 0) -> set[tuple[str, str]]:
    """A fixed sample: the `per_dataset` pages of each dataset that rank first by a hash of
    (seed, dataset, id), plus the `dated` labelled pages that rank first the same way. A page's
    rank does not depend on the other pages, so labels added later do not reshuffle the sample."""
    keys: set[tuple[str, str]] = set()
    for name, n in per_dataset.items():
        path = CORPORA / name / "truth.jsonl"
        if path.is_file():
            ids = sorted((t["id"] for t in _jsonl(path)), key=lambda i: _rank(seed, name, i))
            keys |= {(name, i) for i in ids[:n]}
    if labels and dated:
        keys |= set(sorted(labels, key=lambda k: _rank(seed, *k))[:dated])
    return keys


# The quality gate tests/test_extraction_real.py runs (``make test``): a fixed sample and the
# figures it must keep. The "quality gate" line of docs/figures.md states these same numbers.
GATE_SEED = 9
GATE_PER_DATASET = 30          # x 6 datasets
GATE_DATED = 120               # labelled pages for the date figure
GATE_LABEL_ROUNDS = (1,)       # ... drawn from these labelling rounds
GATE_MIN = {"f1": 0.935, "date_day": 0.97, "lost": 0}     # measured 0.936, 0.971, 0 (issue 27)


# --------------------------------------------------------------------------- scoring

# Han, kana and the scripts of Thai and its neighbours have no spaces between words: each of their
# characters is a token (character-level F1, the usual measure for Chinese), else one extra
# character would make a whole clause a different token.
_UNSPACED_CHAR = "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"
_TOKEN = re.compile(f"[{_UNSPACED_CHAR}]|[^\\W{_UNSPACED_CHAR}]+")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).translate(_NORM).lower())


def norm(value: str | None) -> str:
    if not value:
        return ""
    return " ".join(tokens(value))


def day_of(value: Any) -> str | None:
    """The calendar day an extractor gave, as it gave it (its local day), or None."""
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        value = value.isoformat()
    m = re.match(r"(\d{4}-\d\d-\d\d)", str(value))
    return m[1] if m else None


@dataclass
class Outcome:
    words: int = 0
    overlap: int = 0
    predicted: int = 0
    truth: int = 0
    stored: bool = True
    day: str | None = None
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    cpu: float = 0.0
    error: str | None = None
    body_from: str | None = None        # PolicyWatch: the cascade step that gave the body
    reason: str | None = None           # PolicyWatch: why the page was not stored


def score(page: Page, result: Any, cpu: float) -> Outcome:
    body = list(getattr(result, "body", None) or [])
    text = "\n".join(body)
    pred, gold = Counter(tokens(text)), Counter(tokens(page.text))
    authors = getattr(result, "authors", None) or []
    return Outcome(words=wordcount.words(text), body_from=getattr(result, "body_from", None),
                   reason=getattr(result, "reason", None), overlap=sum((pred & gold).values()), predicted=sum(pred.values()),
                   truth=sum(gold.values()), stored=getattr(result, "is_article", True) is not False,
                   day=day_of(getattr(result, "published", None)), title=getattr(result, "title", None),
                   authors=list(authors) if isinstance(authors, (list, tuple)) else [authors], cpu=cpu)


def prf(overlap: int, n_pred: int, n_truth: int) -> tuple[float, float, float]:
    p = overlap / n_pred if n_pred else 0.0
    r = overlap / n_truth if n_truth else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def lost(outcome: Outcome, ref: Outcome | None, extractor: str) -> bool:
    if ref is None or ref.words < LOST_REF_WORDS:
        return False
    if extractor == "policywatch":
        return not outcome.stored or outcome.words < MIN_WORDS
    return outcome.words < MIN_WORDS


def _author_gold(page: Page) -> list[str] | None:
    value = page.meta.get("author") or page.meta.get("byline")
    if not value or not isinstance(value, str):
        return None
    return [a for a in re.split(r"\s*(?:,|;|&|\band\b)\s*", value) if a.strip()]


def summarise(pages: Sequence[Page], results: dict[str, dict[tuple, Outcome]], labels: dict) -> dict:
    """{extractor: {dataset|'all'|'news': figures}}."""
    groups: dict[str, list[Page]] = defaultdict(list)
    for p in pages:
        groups[p.dataset].append(p)
        groups["all"].append(p)
        if p.dataset in NEWS_DATASETS:
            groups["news"].append(p)
    ref = results.get(REFERENCE, {})
    table: dict[str, dict[str, dict]] = {}
    for name, outcomes in results.items():
        table[name] = {}
        for group, members in groups.items():
            got = [(p, outcomes[p.key]) for p in members if p.key in outcomes]
            if not got:
                continue
            o = sum(x.overlap for _, x in got)
            micro = prf(o, sum(x.predicted for _, x in got), sum(x.truth for _, x in got))
            macro_f1 = sum(prf(x.overlap, x.predicted, x.truth)[2] for _, x in got) / len(got)
            dated = [(p, x) for p, x in got if p.key in labels]
            titled = [(p, x) for p, x in got if p.dataset in TITLE_DATASETS and p.title]
            authored = [(p, x, g) for p, x in got if (g := _author_gold(p))]
            cpu = sum(x.cpu for _, x in got)
            table[name][group] = {
                "pages": len(got), "precision": micro[0], "recall": micro[1], "f1": micro[2], "macro_f1": macro_f1,
                "lost": sum(lost(x, ref.get(p.key), name) for p, x in got),
                "dated": len(dated), "date_day": (sum(x.day == labels[p.key] for p, x in dated) / len(dated)
                                                  if dated else None),
                "titled": len(titled), "title": (sum(norm(x.title) == norm(p.title) for p, x in titled) / len(titled)
                                                 if titled else None),
                "authored": len(authored),
                "authors": (sum({norm(a) for a in x.authors if a} == {norm(a) for a in g} for _, x, g in authored)
                            / len(authored) if authored else None),
                "cpu_per_page": cpu / len(got), "pages_per_s": len(got) / cpu if cpu else 0.0,
                "errors": sum(1 for _, x in got if x.error),
            }
    return table


# --------------------------------------------------------------------------- extractors

def policywatch() -> Callable[[bytes, str], Any]:
    from extract.article import extract
    return extract


def trafilatura_default() -> Callable[[bytes, str], Any]:
    import trafilatura

    def run(html: bytes, url: str) -> SimpleNamespace:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
        if doc is None:
            return SimpleNamespace(body=[], title=None, published=None, authors=[])
        return SimpleNamespace(body=[x for x in (doc.text or "").split("\n") if x.strip()], title=doc.title,
                               published=doc.date, authors=[a for a in (doc.author or "").split("; ") if a])
    return run


def readability_lxml() -> Callable[[bytes, str], Any]:
    import lxml.html
    from readability import Document

    def run(html: bytes, url: str) -> SimpleNamespace:
        doc = Document(html, url=url)
        summary = lxml.html.fromstring(doc.summary(html_partial=True))
        body = [" ".join(el.text_content().split()) for el in summary.iter("p", "h1", "h2", "h3", "h4", "li", "pre",
                                                                           "blockquote")]
        if not any(body):
            body = [" ".join(summary.text_content().split())]
        return SimpleNamespace(body=[b for b in body if b], title=doc.short_title(), published=None, authors=[])
    return run


def newspaper4k() -> Callable[[bytes, str], Any]:
    import newspaper
    from extract.encoding import decode_html

    def run(html: bytes, url: str) -> SimpleNamespace:
        article = newspaper.Article(url, fetch_images=False)     # its image check fetches every <img> over the network
        article.download(input_html=decode_html(html, None)[0])
        article.parse()
        return SimpleNamespace(body=[p for p in (article.text or "").split("\n") if p.strip()], title=article.title,
                               published=article.publish_date, authors=list(article.authors))
    return run


def htmldate_only() -> Callable[[bytes, str], Any]:
    from htmldate import find_date
    from extract.encoding import decode_html

    def run(html: bytes, url: str) -> SimpleNamespace:
        return SimpleNamespace(body=None, title=None, authors=[],
                               published=find_date(decode_html(html, None)[0], url=url, original_date=True,
                                                   extensive_search=True))
    return run


LOADERS = {"policywatch": policywatch, "trafilatura": trafilatura_default, "readability-lxml": readability_lxml,
           "newspaper4k": newspaper4k, "htmldate": htmldate_only}


def run(pages: Sequence[Page], extractors: Sequence[str], progress: Callable[[str], None] | None = None
        ) -> dict[str, dict[tuple, Outcome]]:
    results: dict[str, dict[tuple, Outcome]] = {}
    for name in extractors:
        fn = LOADERS[name]()
        outcomes = results[name] = {}
        for i, page in enumerate(pages):
            start = time.process_time()
            try:
                result = fn(page.html, page.url)
            except Exception as exc:  # noqa: BLE001 - a crash is a result to report, not to hide
                outcomes[page.key] = Outcome(stored=False, cpu=time.process_time() - start,
                                             truth=len(tokens(page.text)), error=f"{type(exc).__name__}: {exc}")
                continue
            outcomes[page.key] = score(page, result, time.process_time() - start)
            if progress and i % 500 == 499:
                progress(f"{name}: {i + 1}/{len(pages)}")
    return results


def save(results: dict[str, dict[tuple, Outcome]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({name: [{"dataset": k[0], "id": k[1], **asdict(o)} for k, o in outcomes.items()]
                                for name, outcomes in results.items()}), encoding="utf-8")


def load_saved(path: Path) -> dict[str, dict[tuple, Outcome]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    known = set(Outcome.__dataclass_fields__)          # files saved before a field was added still load
    return {name: {(row.pop("dataset"), row.pop("id")): Outcome(**{k: v for k, v in row.items() if k in known})
                   for row in rows} for name, rows in data.items()}


def date_label_rounds(path: Path = DATE_LABELS) -> dict[tuple[str, str], int]:
    """(dataset, id) → the labelling round (1: visible text only, issue 9; 2: with the signals'
    answers beside it, issue 27; see bench/data/dates/README.md)."""
    if not path.is_file():
        return {}
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {(r["dataset"], str(r["id"])): r.get("round", 1) for r in rows}


def gate_pages(labels: dict) -> list[Page]:
    # The dated pages are drawn from round-1 labels only: round 2 added 175 pages of new sites,
    # which would also change the pages the gate's body F1 is measured on. bench/date_signals.py
    # scores every label.
    rounds = date_label_rounds()
    drawn = {k: v for k, v in labels.items() if rounds.get(k, 1) in GATE_LABEL_ROUNDS}
    return load(DATASETS, sample(GATE_SEED, {d: GATE_PER_DATASET for d in DATASETS}, drawn, GATE_DATED))


def gate_figures(pages: Sequence[Page], labels: dict) -> dict:
    """PolicyWatch's figures on the gate sample: micro F1, lost pages, day accuracy. The
    reference extractor runs only where PolicyWatch stored nothing (elsewhere nothing is lost)."""
    ours = run(pages, ["policywatch"])["policywatch"]
    unstored = [p for p in pages if not ours[p.key].stored or ours[p.key].words < MIN_WORDS]
    ref = run(unstored, [REFERENCE])[REFERENCE] if unstored else {}
    table = summarise(pages, {"policywatch": ours, **({REFERENCE: ref} if ref else {})}, labels)["policywatch"]["all"]
    lost_pages = [p.key for p in unstored if lost(ours[p.key], ref.get(p.key), "policywatch")]
    return {"pages": len(pages), "dated": table["dated"], "f1": table["f1"], "date_day": table["date_day"],
            "lost": len(lost_pages), "lost_pages": lost_pages}


def _fmt(value, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def format_report(table: dict, extractors: Sequence[str]) -> str:
    groups = [g for g in (*DATASETS, "news", "all") if any(g in table.get(e, {}) for e in extractors)]
    lines = []
    head = (f"{'dataset':<16} {'extractor':<17} {'pages':>5} {'P':>6} {'R':>6} {'F1':>6} {'lost':>5} "
            f"{'day':>6} {'(n)':>5} {'title':>6} {'author':>6} {'pages/s':>8}")
    lines += [head, "-" * len(head)]
    for g in groups:
        for e in extractors:
            s = table.get(e, {}).get(g)
            if not s:
                continue
            body = e != "htmldate"
            dated = e != "readability-lxml"          # readability-lxml finds no dates or authors
            lines.append(f"{g:<16} {e:<17} {s['pages']:>5} {_fmt(s['precision'] if body else None, '6.3f')} "
                         f"{_fmt(s['recall'] if body else None, '6.3f')} {_fmt(s['f1'] if body else None, '6.3f')} "
                         f"{_fmt(s['lost'] if body else None, '5d')} {_fmt(s['date_day'] if dated else None, '6.3f')} {s['dated']:>5} "
                         f"{_fmt(s['title'] if body else None, '6.3f')} {_fmt(s['authors'] if body and dated else None, '6.3f')} "
                         f"{s['pages_per_s']:8.1f}")
        lines.append("")
    return "\n".join(lines)


def lost_report(pages: Sequence[Page], results: dict[str, dict[tuple, Outcome]], extractor: str = "policywatch",
                limit: int = 20) -> str:
    """Per corpus, the pages `extractor` lost (id, words kept, why) and the pages whose body came
    from the cascade's candidates disagreeing on whether there is a story (extract.bodies: "longest-…")."""
    outcomes, ref = results.get(extractor, {}), results.get(REFERENCE, {})
    lines = []
    for dataset in DATASETS:
        members = [p for p in pages if p.dataset == dataset and p.key in outcomes]
        if not members:
            continue
        gone = [p for p in members if lost(outcomes[p.key], ref.get(p.key), extractor)]
        disagreed = Counter(outcomes[p.key].body_from for p in members
                            if (outcomes[p.key].body_from or "").startswith("longest-"))
        lines.append(f"{dataset}: {len(gone)} of {len(members)} pages lost by {extractor}; candidates disagreed "
                     f"on {sum(disagreed.values())} ({', '.join(f'{k} {v}' for k, v in sorted(disagreed.items())) or '-'})")
        for p in gone[:limit]:
            o = outcomes[p.key]
            lines.append(f"    lost {p.id}: {o.words} words kept of {ref[p.key].words} ({o.reason or o.error or 'too short'})")
    return "\n".join(lines)
