"""Measure article extraction against the hand-checked fixtures.

For every ``tests/fixtures/extraction/<name>.html`` with a ``<name>.json`` truth
file next to it, run an extractor and score it:

* body: token-level precision, recall and F1 against the truth paragraphs. Both
  sides become a bag of lower-cased word tokens (``\\w+`` after NFKC), counted
  with multiplicity; the overlap is the multiset intersection. This is the
  usual article-extraction-benchmark measure, so paragraph splits and
  whitespace do not matter, repeated or missing words do. Scores are reported
  per page, macro-averaged (mean of the per-page scores) and micro-averaged
  (pooled token counts).
* title: equal after Unicode/quote/whitespace normalisation and case folding.
* published: the same instant (offsets taken into account). A naive datetime
  from the extractor is read as wall-clock time in the truth's offset. When the
  truth is a bare date (the page gives no time) only the date is compared.
  A second column, "day", gives credit for the right calendar date alone.
* authors: the same set of names after case folding and whitespace collapsing.

Extractors:

``policywatch`` (default)
    ``extract.article.extract(html_bytes, url)``, the project's extractor.
``trafilatura-bare``
    ``trafilatura.extract(html, url=url)`` and
    ``trafilatura.extract_metadata(html, default_url=url)`` with trafilatura's
    default settings: the baseline to beat.

Usage, from the repository root::

    python bench/extraction_eval.py
    python bench/extraction_eval.py --extractor trafilatura-bare
    python bench/extraction_eval.py --json artifacts/extraction.json
    python bench/extraction_eval.py --check-fixtures   # validate truth files only
    python bench/extraction_eval.py --real              # the real-page corpora, every extractor side by side
    python bench/extraction_eval.py --real --per-dataset 30 --extractors policywatch,trafilatura

``--real`` reads ``../shared/corpora`` (bench/real_pages.py): per dataset and overall, body P/R/F1,
pages lost (and, per corpus, which pages PolicyWatch lost and why), date accuracy at day precision on the hand-made labels in bench/data/dates/, titles,
authors and pages/s, for PolicyWatch, trafilatura, readability-lxml, newspaper4k and htmldate in
one run. ``--save FILE`` keeps the per-page outcomes; ``--load FILE`` (repeatable) adds saved
outcomes of other extractors to the report instead of running them again.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable, Sequence

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench import real_pages  # noqa: E402
from bench.machine import cpu_model  # noqa: E402

DEFAULT_FIXTURES = REPO_ROOT / "tests" / "fixtures" / "extraction"
EXTRACTORS = ("policywatch", "trafilatura-bare", "newspaper4k")
TRUTH_KEYS = {
    "url": str,
    "title": str,
    "body": list,
    "published": str,
    "modified": (str, type(None)),
    "authors": list,
    "language": str,
    "section": (str, type(None)),
    "image": (str, type(None)),
}
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                         "\u2013": "-", "\u2014": "-", "\u00a0": " "})


class FixtureError(ValueError):
    """A fixture or its truth file is malformed."""

    def __init__(self, name: str, problem: str):
        super().__init__(f"{name}: {problem}")
        self.name = name
        self.problem = problem


@dataclass
class Fixture:
    name: str
    html: bytes
    truth: dict[str, Any]


@dataclass
class PageScore:
    name: str
    precision: float = 0.0
    recall: float = 0.0
    f1: float = 0.0
    overlap: int = 0
    predicted_tokens: int = 0
    truth_tokens: int = 0
    title_ok: bool = False
    published_ok: bool = False
    published_day_ok: bool = False
    authors_ok: bool = False
    error: str | None = None
    got: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------- scoring

def tokens(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFKC", text).lower())


def body_scores(predicted: Sequence[str], truth: Sequence[str]) -> tuple[int, int, int]:
    """Return (overlap, predicted token count, truth token count)."""
    pred = Counter(tokens("\n".join(predicted)))
    gold = Counter(tokens("\n".join(truth)))
    overlap = sum((pred & gold).values())
    return overlap, sum(pred.values()), sum(gold.values())


def prf(overlap: int, n_pred: int, n_truth: int) -> tuple[float, float, float]:
    precision = overlap / n_pred if n_pred else 0.0
    recall = overlap / n_truth if n_truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def norm_text(value: str | None) -> str:
    if not value:
        return ""
    value = unicodedata.normalize("NFKC", value).translate(_QUOTES)
    return re.sub(r"\s+", " ", value).strip().casefold()


def norm_authors(names: Sequence[str] | str | None) -> set[str]:
    if not names:
        return set()
    if isinstance(names, str):
        names = re.split(r"\s*;\s*", names)
    return {norm_text(n) for n in names if norm_text(n)}


def _parse_when(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        return None


def published_matches(got: str | None, truth: str) -> tuple[bool, bool]:
    """Return (same instant, same calendar day), as described in the module doc."""
    if not got:
        return False, False
    truth_dt = _parse_when(truth)
    got_dt = _parse_when(got)
    if truth_dt is None or got_dt is None:
        return False, False
    if _DATE_ONLY.match(truth.strip()):
        same_day = got_dt.date() == truth_dt.date()
        return same_day, same_day
    if got_dt.tzinfo is None and not _DATE_ONLY.match(got.strip()):
        got_dt = got_dt.replace(tzinfo=truth_dt.tzinfo)
    if _DATE_ONLY.match(got.strip()):
        return False, got_dt.date() == truth_dt.date()
    same_instant = abs(got_dt - truth_dt) < timedelta(seconds=1)
    local_day = got_dt.astimezone(truth_dt.tzinfo).date()
    return same_instant, local_day == truth_dt.date()


def score_page(fixture: Fixture, result: Any) -> PageScore:
    truth = fixture.truth
    body = list(getattr(result, "body", None) or [])
    overlap, n_pred, n_truth = body_scores(body, truth["body"])
    precision, recall, f1 = prf(overlap, n_pred, n_truth)
    published = getattr(result, "published", None)
    pub_ok, day_ok = published_matches(published, truth["published"])
    authors = getattr(result, "authors", None)
    return PageScore(
        name=fixture.name, precision=precision, recall=recall, f1=f1, overlap=overlap,
        predicted_tokens=n_pred, truth_tokens=n_truth,
        title_ok=norm_text(getattr(result, "title", None)) == norm_text(truth["title"]),
        published_ok=pub_ok, published_day_ok=day_ok,
        authors_ok=norm_authors(authors) == norm_authors(truth["authors"]),
        got={"title": getattr(result, "title", None), "published": published,
             "authors": list(authors) if isinstance(authors, (list, tuple)) else authors,
             "is_article": getattr(result, "is_article", True), "reason": getattr(result, "reason", None)},
    )


# --------------------------------------------------------------------------- extractors

def policywatch_extractor() -> Callable[[bytes, str], Any]:
    module = importlib.import_module("extract.article")
    return module.extract


def trafilatura_bare_extractor() -> Callable[[bytes, str], Any]:
    import trafilatura

    def run(html: bytes, url: str) -> SimpleNamespace:
        text = trafilatura.extract(html, url=url)
        meta = trafilatura.extract_metadata(html.decode("utf-8", "replace"), default_url=url)
        paragraphs = [line for line in (text or "").split("\n") if line.strip()]
        return SimpleNamespace(
            title=meta.title if meta else None,
            body=paragraphs,
            published=meta.date if meta else None,
            authors=meta.author if meta else None,
        )

    return run


def newspaper4k_extractor() -> Callable[[bytes, str], Any]:
    """newspaper4k as a candidate second opinion. It is not a PolicyWatch dependency: run this
    mode from an environment that has it (`pip install newspaper4k`)."""
    import newspaper

    def run(html: bytes, url: str) -> SimpleNamespace:
        article = newspaper.Article(url, fetch_images=False)     # its image check fetches every <img> over the network
        article.download(input_html=html.decode("utf-8", "replace"))
        article.parse()
        return SimpleNamespace(
            title=article.title, body=[p for p in (article.text or "").split("\n") if p.strip()],
            published=article.publish_date.isoformat() if article.publish_date else None,
            authors=list(article.authors))

    return run


def load_extractor(name: str) -> Callable[[bytes, str], Any]:
    if name == "newspaper4k":
        return newspaper4k_extractor()
    if name == "policywatch":
        return policywatch_extractor()
    if name == "trafilatura-bare":
        return trafilatura_bare_extractor()
    raise ValueError(f"unknown extractor {name!r}; choose from {', '.join(EXTRACTORS)}")


# --------------------------------------------------------------------------- fixtures

def load_fixtures(directory: Path, only: str | None = None) -> list[Fixture]:
    fixtures = []
    for html_path in sorted(directory.glob("*.html")):
        name = html_path.stem
        if only and only not in name:
            continue
        truth_path = html_path.with_suffix(".json")
        if not truth_path.exists():
            raise FixtureError(name, f"no truth file {truth_path.name}")
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        for key, kind in TRUTH_KEYS.items():
            if key not in truth:
                raise FixtureError(name, f"truth lacks {key!r}")
            if not isinstance(truth[key], kind):
                raise FixtureError(name, f"truth {key!r} has type {type(truth[key]).__name__}")
        if _parse_when(truth["published"]) is None:
            raise FixtureError(name, f"unparseable published {truth['published']!r}")
        fixtures.append(Fixture(name, html_path.read_bytes(), truth))
    return fixtures


def check_fixture(fixture: Fixture) -> list[str]:
    """Problems with one fixture: truth text that the page does not actually contain."""
    import lxml.html

    doc = lxml.html.fromstring(fixture.html)
    for bad in doc.xpath("//script|//style"):
        bad.drop_tree()
    page_text = norm_text(doc.text_content())
    page_source = fixture.html.decode("utf-8", "replace")
    problems = []
    for i, paragraph in enumerate(fixture.truth["body"]):
        for piece in paragraph.split(" | "):  # table rows are stored cell | cell
            if norm_text(piece) not in page_text:
                problems.append(f"body[{i}] not found in page text: {piece[:60]!r}")
    if norm_text(fixture.truth["title"]) not in page_text:
        problems.append("title not found in page text")
    if fixture.truth["url"] not in page_source.replace("&amp;", "&"):
        problems.append("url not found in page source")
    for name in fixture.truth["authors"]:
        if norm_text(name) not in page_text and name not in page_source:
            problems.append(f"author {name!r} not found in page")
    if not fixture.truth["body"]:
        problems.append("empty body")
    return problems


# --------------------------------------------------------------------------- report

def evaluate(fixtures: Sequence[Fixture], extract: Callable[[bytes, str], Any]) -> list[PageScore]:
    scores = []
    for fixture in fixtures:
        try:
            result = extract(fixture.html, fixture.truth["url"])
        except Exception as exc:  # noqa: BLE001 - a crash is a result to report, not to hide
            scores.append(PageScore(name=fixture.name, error=f"{type(exc).__name__}: {exc}",
                                    truth_tokens=body_scores([], fixture.truth["body"])[2]))
            continue
        if result is None:
            scores.append(PageScore(name=fixture.name, error="extractor returned None",
                                    truth_tokens=body_scores([], fixture.truth["body"])[2]))
            continue
        scores.append(score_page(fixture, result))
    return scores


def summarise(scores: Sequence[PageScore]) -> dict[str, float]:
    n = len(scores) or 1
    overlap = sum(s.overlap for s in scores)
    micro = prf(overlap, sum(s.predicted_tokens for s in scores), sum(s.truth_tokens for s in scores))
    return {
        "pages": len(scores),
        "macro_precision": sum(s.precision for s in scores) / n,
        "macro_recall": sum(s.recall for s in scores) / n,
        "macro_f1": sum(s.f1 for s in scores) / n,
        "micro_precision": micro[0],
        "micro_recall": micro[1],
        "micro_f1": micro[2],
        "title_accuracy": sum(s.title_ok for s in scores) / n,
        "published_accuracy": sum(s.published_ok for s in scores) / n,
        "published_day_accuracy": sum(s.published_day_ok for s in scores) / n,
        "authors_accuracy": sum(s.authors_ok for s in scores) / n,
        "errors": sum(1 for s in scores if s.error),
    }


def format_table(extractor: str, scores: Sequence[PageScore], summary: dict[str, float]) -> str:
    width = max([len(s.name) for s in scores] + [20])
    mark = {True: "ok", False: "--"}
    head = f"{'fixture':<{width}}  {'P':>5} {'R':>5} {'F1':>5}  title  pub   day   authors"
    lines = [f"extractor: {extractor}", head, "-" * len(head)]
    for s in scores:
        if s.error:
            lines.append(f"{s.name:<{width}}  ERROR {s.error}")
            continue
        flag = "" if s.got.get("is_article", True) is not False else f"  (not an article: {s.got.get('reason')})"
        lines.append(f"{s.name:<{width}}  {s.precision:5.3f} {s.recall:5.3f} {s.f1:5.3f}  "
                     f"{mark[s.title_ok]:<5}  {mark[s.published_ok]:<4}  {mark[s.published_day_ok]:<4}  "
                     f"{mark[s.authors_ok]}{flag}")
    lines.append("-" * len(head))
    lines.append(f"{'macro average':<{width}}  {summary['macro_precision']:5.3f} "
                 f"{summary['macro_recall']:5.3f} {summary['macro_f1']:5.3f}")
    lines.append(f"{'micro average':<{width}}  {summary['micro_precision']:5.3f} "
                 f"{summary['micro_recall']:5.3f} {summary['micro_f1']:5.3f}")
    lines.append(f"{'accuracy':<{width}}  {'':17}  {summary['title_accuracy']:4.0%}   "
                 f"{summary['published_accuracy']:4.0%}  {summary['published_day_accuracy']:4.0%}  "
                 f"{summary['authors_accuracy']:4.0%}")
    lines.append(f"{summary['pages']} pages, {summary['errors']} extractor errors")
    return "\n".join(lines)


# --------------------------------------------------------------------------- CLI

def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Score article extraction on the hand-checked fixtures.")
    parser.add_argument("--extractor", choices=EXTRACTORS, default="policywatch",
                        help="what to evaluate (default: policywatch = extract.article.extract)")
    parser.add_argument("--fixtures", type=Path, default=DEFAULT_FIXTURES,
                        help="directory of <name>.html + <name>.json pairs (default: %(default)s)")
    parser.add_argument("--only", metavar="SUBSTRING", help="only fixtures whose name contains this")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write per-page scores and totals here")
    parser.add_argument("--check-fixtures", action="store_true",
                        help="validate the truth files against their pages and exit; runs no extractor")
    real = parser.add_argument_group("real pages (../shared/corpora)")
    real.add_argument("--real", action="store_true", help="evaluate on the real-page corpora instead of the fixtures")
    real.add_argument("--extractors", default=",".join(real_pages.EXTRACTORS),
                      help="comma-separated, from: %(default)s")
    real.add_argument("--datasets", default=",".join(real_pages.DATASETS), help="comma-separated (default: all)")
    real.add_argument("--per-dataset", type=int, metavar="N", help="a fixed random sample of N pages per dataset")
    real.add_argument("--seed", type=int, default=9, help="for --per-dataset (default: %(default)s)")
    real.add_argument("--dated-only", action="store_true", help="only the pages with a hand-made date label")
    real.add_argument("--with-dated", action="store_true", help="with --per-dataset: add every labelled page")
    real.add_argument("--save", type=Path, metavar="FILE", help="write per-page outcomes here (JSON)")
    real.add_argument("--load", type=Path, action="append", default=[], metavar="FILE",
                      help="add saved outcomes (from --save) of pages not run now; --extractors '' runs none")
    return parser.parse_args(argv)


def main_real(args: argparse.Namespace) -> int:
    if not real_pages.available():
        print(f"no corpora at {real_pages.CORPORA} (see the corpora README)", file=sys.stderr)
        return 2
    extractors = [e for e in args.extractors.split(",") if e]
    datasets = [d for d in args.datasets.split(",") if d]
    unknown = [e for e in extractors if e not in real_pages.EXTRACTORS] + \
        [d for d in datasets if d not in real_pages.DATASETS]
    if unknown:
        print(f"unknown extractor or dataset: {', '.join(unknown)}", file=sys.stderr)
        return 2
    labels = real_pages.date_labels()
    keys = None
    if args.per_dataset:
        keys = real_pages.sample(args.seed, {d: args.per_dataset for d in datasets})
    if keys is not None and args.with_dated:
        keys |= {k for k in labels if k[0] in datasets}
    if args.dated_only:
        keys = (keys or set(labels)) & set(labels)
    pages = real_pages.load(datasets, keys)
    progress = lambda line: print(line, file=sys.stderr, flush=True)  # noqa: E731
    results = real_pages.run(pages, extractors, progress)
    if args.save:
        real_pages.save(results, args.save)
    wanted = {p.key for p in pages}
    for path in args.load:      # several saves (e.g. datasets run in two processes) add up page by page
        for name, outcomes in real_pages.load_saved(path).items():
            kept = results.setdefault(name, {})
            kept.update({k: v for k, v in outcomes.items() if k in wanted and k not in kept})
    names = [e for e in real_pages.EXTRACTORS if e in results]
    table = real_pages.summarise(pages, results, labels)
    print(real_pages.format_report(table, names))
    if "policywatch" in results:
        print(real_pages.lost_report(pages, results))
    print(f"{len(pages)} pages, {sum(p.key in labels for p in pages)} with a date label; lost = nothing kept where {real_pages.REFERENCE} "
          f"finds >= {real_pages.LOST_REF_WORDS} words; machine: {os.cpu_count()} cores, {cpu_model()}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(table, indent=2) + "\n", encoding="utf-8")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.real:
        return main_real(args)
    try:
        fixtures = load_fixtures(args.fixtures, args.only)
    except FixtureError as exc:
        print(f"bad fixture: {exc}", file=sys.stderr)
        return 2
    if not fixtures:
        print(f"no fixtures under {args.fixtures}", file=sys.stderr)
        return 2

    if args.check_fixtures:
        failed = 0
        for fixture in fixtures:
            for problem in check_fixture(fixture):
                failed += 1
                print(f"{fixture.name}: {problem}")
        print(f"{len(fixtures)} fixtures checked, {failed} problems")
        return 1 if failed else 0

    try:
        extract = load_extractor(args.extractor)
    except ImportError as exc:
        print(f"cannot load extractor {args.extractor!r}: {exc}. "
              "Until extract/article.py exists, run with --extractor trafilatura-bare.", file=sys.stderr)
        return 2

    scores = evaluate(fixtures, extract)
    summary = summarise(scores)
    print(format_table(args.extractor, scores, summary))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {"extractor": args.extractor, "summary": summary, "pages": [asdict(s) for s in scores]}
        args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
