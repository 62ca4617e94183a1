"""Language identification on real pages and on their titles: the stop-word heuristic it replaced
beside py3langid (common/language.py), side by side, and what the change does to entities.

Whose language is known, and how (meta.jsonl's `lang_detected` came from py3langid itself and is
never used as the truth):
* l3s-gn1, cleanportaleval, wcxb-articles, cleaneval: English by their datasets' own description
  (English Google News editions, English portals, an English crawl, CleanEval's English set);
* readability: each page labelled by reading its gold text (bench/data/language/labels.jsonl; it
  agrees with the `lang` the dataset took from the page wherever the page has one).
dragnet ("almost all English") is left out.

Each page is extracted as the crawl does it (extract.article). The deciders compared on the page
(title + body) and on the title alone:
* old: the page's declared language (`lang`, og:locale…), else "en" when 12% of the first words are
  English stop words (20+ words), else unknown;
* declared: the declaration alone;
* langid-all: py3langid over its 140 labels; langid-news: over common.language.CANDIDATES;
* new: common.language.page_language (what extract now stores); on titles "new (with declared)"
  is the same rule given the title and the page's declaration, "langid-news p>=0.5" the
  identifier alone, unknown below PLAUSIBLE.
"right (unknown = en)" counts an unknown as English, as the analyzer reads it. The entity part
analyses each page whose effective language changed, once as old and once as new, and counts its
entities, the one-word ones, and those of the English model's NER (not a gazetteer name): on a
page that is not English every one of those is junk ("Las" GPE, "Unión Europea" PERSON, a whole
Chinese clause as an ORG).

    POLICYWATCH_CORPORA=../shared/corpora python bench/language_eval.py [--per-dataset 100]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench import real_pages  # noqa: E402
from bench.machine import cpu_model  # noqa: E402
from common import language  # noqa: E402

LABELS = REPO_ROOT / "bench" / "data" / "language" / "labels.jsonl"
ENGLISH_DATASETS = ("l3s-gn1", "cleanportaleval", "wcxb-articles", "cleaneval")
SEED = 27

_EN_WORDS = {"the", "and", "of", "to", "in", "a", "is", "that", "for", "on", "with", "was", "said", "by"}


def stop_words(body: list[str]) -> str | None:
    """The heuristic crawler/extract.py used before py3langid: English or unknown."""
    words = " ".join(body[:5]).lower().split()
    if len(words) >= 20 and sum(w in _EN_WORDS for w in words) / len(words) > 0.12:
        return "en"
    return None


def known_pages(per_dataset: int) -> list[tuple[real_pages.Page, str]]:
    labels = {(r["dataset"], r["id"]): r["lang"] for r in map(json.loads, LABELS.read_text().splitlines())}
    keys = real_pages.sample(SEED, {d: per_dataset for d in ENGLISH_DATASETS}) | set(labels)
    return [(p, labels.get(p.key, "en")) for p in real_pages.load(keys=keys)]


def all_labels():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-dataset", type=int, default=100, help="pages from each English dataset (readability: all)")
    parser.add_argument("--no-entities", action="store_true", help="skip the entity part (loads spaCy)")
    args = parser.parse_args()
    if not real_pages.available():
        print(f"no corpora at {real_pages.CORPORA} (see the corpora README)", file=sys.stderr)
        return 2
    from extract import metadata as md
    from extract.encoding import decode_html
    from extract.article import extract

    wide = all_labels()
    pages = known_pages(args.per_dataset)
    started = time.perf_counter()
    rows = []
    for page, truth in pages:
        result = extract(page.html, page.url)
        tree = md.parse_tree(decode_html(page.html, None)[0])
        declared = language.normalize(md.language(tree, md.article_ld(md.json_ld(tree)), md.meta_tags(tree)))
        text = "\n".join([result.title, *result.body])
        title = page.title or result.title
        rows.append({"page": page, "truth": truth, "result": result, "text": text, "title": title, "decided": {
            "old": declared or stop_words(result.body),
            "declared": declared,
            "langid-all": wide.classify(text[:language.SAMPLE_CHARS])[0] if text.strip() else None,
            "langid-news": language.identify(text)[0],
            "new": result.language,
        }, "title_decided": {
            "old": stop_words([title]),
            "langid-all": wide.classify(title)[0] if title.strip() else None,
            "langid-news": language.identify(title)[0],
            f"langid-news p>={language.PLAUSIBLE}": (lambda lp: lp[0] if lp[1] >= language.PLAUSIBLE else None)(
                language.identify(title)),
            "new (with declared)": language.page_language(declared, None, title, []),
        }})
    seconds = time.perf_counter() - started
    n_foreign = sum(r["truth"] != "en" for r in rows)
    print(f"{len(rows)} pages of known language ({len(rows) - n_foreign} English, {n_foreign} other: "
          f"{', '.join(f'{k} {v}' for k, v in Counter(r['truth'] for r in rows if r['truth'] != 'en').most_common())}); "
          f"{cpu_model()}, {seconds:.0f} s with extraction")
    table("pages (title + body)", rows, "decided")
    table("titles alone", [r for r in rows if r["title"].strip()], "title_decided")
    for r in rows:
        if r["decided"]["new"] != r["truth"] or r["decided"]["old"] not in (r["truth"], None):
            page = r["page"]
            print(f"  {page.dataset}/{page.id}: truth {r['truth']}, old {r['decided']['old']}, "
                  f"declared {r['decided']['declared']}, new {r['decided']['new']}, {len(r['text'])} characters")
    if not args.no_entities:
        entity_effect(rows)
    return 0


def table(name: str, rows: list[dict], key: str) -> None:
    deciders = list(rows[0][key])
    print(f"\n{name}: {len(rows)}")
    print(f"{'decider':<22}{'right':>7}{'wrong':>7}{'unknown':>9}{'right (unknown = en)':>22}"
          f"{'English right':>15}{'other right':>13}")
    for d in deciders:
        right = sum(r[key][d] == r["truth"] for r in rows)
        unknown = sum(r[key][d] is None for r in rows)
        effective = sum((r[key][d] or "en") == r["truth"] for r in rows)
        en = [r for r in rows if r["truth"] == "en"]
        other = [r for r in rows if r["truth"] != "en"]
        print(f"{d:<22}{right:>7}{len(rows) - right - unknown:>7}{unknown:>9}{effective:>22}"
              f"{sum((r[key][d] or 'en') == 'en' for r in en):>10}/{len(en):<4}"
              f"{sum(r[key][d] == r['truth'] for r in other):>8}/{len(other):<4}")


def entity_effect(rows: list[dict]) -> None:
    """Entities of the pages whose effective language (unknown = English) changed, old vs new."""
    from nlp import Analyzer, Gazetteer
    gazetteer = Gazetteer.load()
    analyzer = Analyzer(gazetteer)
    changed = [r for r in rows if (r["decided"]["old"] or "en") != (r["decided"]["new"] or "en")]
    print(f"\nentities on the {len(changed)} pages whose language changed (unknown = English); "
          "model = found by the English model's NER, not a gazetteer name")
    print(f"{'pages':<26}{'decider':<9}{'entities':>9}{'one-word':>14}{'model':>7}{'model one-word':>16}")
    for group, pages in (("not English", [r for r in changed if r["truth"] != "en"]),
                         ("English", [r for r in changed if r["truth"] == "en"])):
        for which in ("old", "new"):
            analyses = analyzer.analyze_many([r["text"] for r in pages], languages=[r["decided"][which] for r in pages])
            entities = [e.name for a in analyses for e in a.entities]
            model = [n for n in entities if gazetteer.get(n) is None]
            one_word, model_one = (sum(len(n.split()) == 1 for n in names) for names in (entities, model))
            print(f"{f'{group} ({len(pages)})':<26}{which:<9}{len(entities):>9}"
                  f"{one_word:>6} ({one_word / max(len(entities), 1):>4.0%}){len(model):>7}"
                  f"{model_one:>8} ({model_one / max(len(model), 1):>4.0%})")
    for r in changed:
        print(f"  {r['page'].dataset}/{r['page'].id} ({r['truth']}): old {r['decided']['old']}, new {r['decided']['new']}")

if __name__ == "__main__":
    sys.exit(main())
