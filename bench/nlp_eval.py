"""Evaluate nlp.Analyzer against the hand-labelled articles in bench/data/nlp/.

    python bench/nlp_eval.py [--data DIR] [--repeat N] [--show-errors]

Prints entity precision/recall/F1 on (canonical name, type) pairs, per type
and split by whether the gold entity is in the gazetteer; action-tag
precision/recall; and throughput in words per second with the pipes that run.
Each article file is YAML with ``title``, ``paragraphs``, ``entities`` (a list
of [name, type]) and ``actions`` (a list of tags); see bench/data/nlp/README.md
for the labelling rules.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import spacy
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine import cpu_model  # noqa: E402
from nlp import ACTION_TAGS, DEFAULT_MODEL, ENTITY_TYPES, Analyzer, Gazetteer  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parent / "data" / "nlp"


@dataclass
class Article:
    path: Path
    text: str
    entities: set[tuple[str, str]]
    actions: set[str]
    split: str = "dev"  # "heldout": written and labelled after the rules were last tuned


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, gold: set, pred: set) -> None:
        self.tp += len(gold & pred)
        self.fp += len(pred - gold)
        self.fn += len(gold - pred)

    def row(self, label: str) -> str:
        return (f"  {label:<22} P {self.precision:6.3f}  R {self.recall:6.3f}  F1 {self.f1:6.3f}"
                f"   (tp {self.tp}, fp {self.fp}, fn {self.fn})")


@dataclass
class Report:
    entities: PRF = field(default_factory=PRF)
    entity_types: dict[str, PRF] = field(default_factory=lambda: {t: PRF() for t in ENTITY_TYPES})
    in_gazetteer: PRF = field(default_factory=PRF)
    not_in_gazetteer: PRF = field(default_factory=PRF)
    actions: PRF = field(default_factory=PRF)
    action_tags: dict[str, PRF] = field(default_factory=lambda: {t: PRF() for t in ACTION_TAGS})
    errors: list[str] = field(default_factory=list)
    articles: int = 0
    words: int = 0
    seconds: float = 0.0
    pipes: list[str] = field(default_factory=list)


def load_articles(data_dir: Path) -> list[Article]:
    articles = []
    for path in sorted(data_dir.glob("*.yaml")):
        with open(path, encoding="utf-8") as fh:
            raw = yaml.safe_load(fh)
        text = "\n\n".join([raw["title"].strip(), *(p.strip() for p in raw["paragraphs"])])
        entities = {(name, etype) for name, etype in raw["entities"]}
        unknown = {t for _, t in entities if t not in ENTITY_TYPES} | (set(raw["actions"]) - set(ACTION_TAGS))
        if unknown:
            raise ValueError(f"{path}: unknown labels {sorted(unknown)}")
        articles.append(Article(path, text, entities, set(raw["actions"]), raw.get("split", "dev")))
    return articles


def _key(pair: tuple[str, str]) -> tuple[str, str]:
    return (" ".join(pair[0].split()).casefold(), pair[1])


def evaluate(articles: list[Article], analyzer: Analyzer, gazetteer: Gazetteer, repeat: int = 3) -> dict[str, Report]:
    """Score every article; return a report for "all" and one per split (the timing is on "all")."""
    texts = [a.text for a in articles]
    analyses = analyzer.analyze_many(texts)  # also the warm-up for the timing below
    start = time.perf_counter()
    for _ in range(repeat):
        analyzer.analyze_many(texts)
    seconds = time.perf_counter() - start

    reports = {"all": score(articles, analyses, gazetteer)}
    for split in sorted({a.split for a in articles}):
        chosen = [(a, r) for a, r in zip(articles, analyses) if a.split == split]
        reports[split] = score([a for a, _ in chosen], [r for _, r in chosen], gazetteer)
    reports["all"].seconds = seconds
    reports["all"].words = repeat * sum(len(t.split()) for t in texts)
    reports["all"].pipes = analyzer.pipe_names
    return reports


def score(articles: list[Article], analyses: list, gazetteer: Gazetteer) -> Report:
    report = Report(articles=len(articles))
    for article, analysis in zip(articles, analyses):
        gold = {_key(e) for e in article.entities}
        pred = {_key((e.name, e.type)) for e in analysis.entities}
        report.entities.add(gold, pred)
        for etype, prf in report.entity_types.items():
            prf.add({g for g in gold if g[1] == etype}, {p for p in pred if p[1] == etype})
        known = {g for g in gold if gazetteer.get(g[0]) is not None}
        report.in_gazetteer.add(known, {p for p in pred if gazetteer.get(p[0]) is not None})
        report.not_in_gazetteer.add(gold - known, {p for p in pred if gazetteer.get(p[0]) is None})

        tags = {a.action for a in analysis.actions}
        report.actions.add(article.actions, tags)
        for tag, prf in report.action_tags.items():
            prf.add({tag} & article.actions, {tag} & tags)

        name = article.path.stem
        for e in sorted(pred - gold):
            report.errors.append(f"{name}: entity FP {e}")
        for e in sorted(gold - pred):
            report.errors.append(f"{name}: entity FN {e}")
        sentences = {a.action: a.sentence for a in analysis.actions}
        for t in sorted(tags - article.actions):
            report.errors.append(f"{name}: action FP {t}: {sentences[t]!r}")
        for t in sorted(article.actions - tags):
            report.errors.append(f"{name}: action FN {t}")
    return report


def format_report(reports: dict[str, Report], show_errors: bool = False) -> str:
    report = reports["all"]
    lines = [f"articles: {report.articles} ({', '.join(f'{k} {v.articles}' for k, v in reports.items() if k != 'all')})"]
    lines += ["", "entities (canonical name, type):", report.entities.row("all")]
    lines += [report.entity_types[t].row(t) for t in ENTITY_TYPES]
    lines += [report.in_gazetteer.row("gold in gazetteer"), report.not_in_gazetteer.row("gold not in gazetteer")]
    lines += ["", "action tags:", report.actions.row("all")]
    lines += [report.action_tags[t].row(t) for t in ACTION_TAGS]
    for split, r in reports.items():
        if split != "all":
            lines += ["", f"split {split} ({r.articles} articles):", r.entities.row("entities"),
                      r.not_in_gazetteer.row("entities not in gaz."), r.actions.row("action tags")]
    wps = report.words / report.seconds if report.seconds else 0.0
    lines += [
        "",
        f"throughput: {wps:,.0f} words/s ({report.words} words in {report.seconds:.2f} s, batch of {report.articles})",
        f"pipes: {', '.join(report.pipes)}",
        f"spaCy {spacy.__version__}, Python {platform.python_version()}, nproc {os.cpu_count()}, CPU {cpu_model()}",
    ]
    if show_errors:
        for split, r in reports.items():
            if split != "all":
                lines += ["", f"errors ({split}):", *(f"  {e}" for e in r.errors)]
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="directory of labelled article YAML files")
    parser.add_argument("--model", default=DEFAULT_MODEL, help="installed spaCy model package")
    parser.add_argument("--gazetteer", type=Path, action="append", default=[], help="extra gazetteer file (repeatable)")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes over the articles")
    parser.add_argument("--show-errors", action="store_true", help="list every false positive and negative")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    articles = load_articles(args.data)
    gazetteer = Gazetteer.load(args.gazetteer)
    analyzer = Analyzer(gazetteer, model=args.model)
    print(format_report(evaluate(articles, analyzer, gazetteer, repeat=args.repeat), args.show_errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
