"""Linked entities on the non-English pages of ../shared/corpora that their text does not support.

The non-English pages are readability's pages labelled so by reading them
(bench/data/language/labels.jsonl; meta.jsonl's `lang_detected` comes from py3langid, which now
decides the language, so it is not used). Each page is extracted and analysed as the crawl does it
(extract.article, then nlp's Analyzer with the page's language); an entity linked by the
gazetteer is *unsupported* when none of its names that apply to the page's language (canonical
name, plain alias, or an alias of that language: `aliases_fr`) appears in the analysed text as
written, case included — the Portuguese "Eu" (I) linked as the European Union, or the French
"UE" in an English text, are the cases this counts.

Two gazetteers side by side: "one language" is the stock one; "any language" is the same with
every language's aliases applied everywhere (as before issue 27 item 6). The same count runs on the
pages of the English datasets whose gold text writes an alias that only other languages use
("EA.UE", "Los Estados Unidos de Mexico").

    python bench/foreign_entities.py          # per page, then the totals
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench import real_pages  # noqa: E402


LABELS = REPO_ROOT / "bench" / "data" / "language" / "labels.jsonl"
ENGLISH_DATASETS = ("l3s-gn1", "cleanportaleval", "wcxb-articles", "cleaneval")    # English by their description


def english_pages_with_foreign_aliases(gazetteer) -> list[real_pages.Page]:
    """Pages of the English datasets whose gold text writes an alias that only other languages use."""
    only_foreign = {a for e in gazetteer.entries for _, a in e.language_aliases if not gazetteer.applies(a, "en")}
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, only_foreign)) + r")(?!\w)")
    return [p for p in real_pages.load(ENGLISH_DATASETS) if pattern.search(p.text)]


def foreign_pages() -> list[real_pages.Page]:
    labels = {(r["dataset"], r["id"]): r["lang"] for r in map(json.loads, LABELS.read_text().splitlines())}
    return real_pages.load(keys={k for k, lang in labels.items() if lang != "en"})


def supported(entry, text: str, language: str | None) -> bool:
    names = [entry.name, *entry.aliases, *(a for lang, a in entry.language_aliases if lang == (language or "en"))]
    return any(re.search(r"(?<!\w)" + re.escape(n) + r"(?!\w)", text) for n in names)


def any_language(gazetteer):
    """The same gazetteer with every language's aliases applied to all text."""
    from dataclasses import replace
    from nlp import Gazetteer
    return Gazetteer([replace(e, aliases=e.names[1:], language_aliases=()) for e in gazetteer.entries],
                     gazetteer.ignore)


def main() -> int:
    if not real_pages.available():
        print(f"no corpora at {real_pages.CORPORA} (see the corpora README)", file=sys.stderr)
        return 2
    from extract.article import extract
    from nlp import Analyzer, Gazetteer
    stock = Gazetteer.load()
    gazetteers = {"any language": any_language(stock), "one language": stock}
    analyzers = {label: Analyzer(g) for label, g in gazetteers.items()}
    for kind, pages in (("non-English pages", foreign_pages()),
                        ("English pages writing another language's alias", english_pages_with_foreign_aliases(stock))):
        extracted = [extract(page.html, page.url) for page in pages]
        texts = ["\n\n".join([r.title, *r.body]) for r in extracted]
        languages = [r.language for r in extracted]
        totals = {}
        for label, gazetteer in gazetteers.items():
            analyses = analyzers[label].analyze_many(texts, languages=languages)
            linked = unsupported = mentions = 0
            print(f"{kind}, aliases of {label}:")
            for page, text, lang, analysis in zip(pages, texts, languages, analyses):
                gaz = [e for e in analysis.entities if gazetteer.get(e.name) is not None]
                bad = [e.name for e in gaz if not supported(stock.get(e.name), text, lang)]
                linked, unsupported = linked + len(gaz), unsupported + len(bad)
                mentions += sum(e.mentions for e in gaz)
                print(f"  {page.dataset}/{page.id} ({lang}): {len(gaz)} linked, {len(bad)} unsupported"
                      + (f": {', '.join(bad)}" if bad else ""))
            totals[label] = linked, mentions, unsupported
        for label, (linked, mentions, unsupported) in totals.items():
            print(f"{len(pages)} {kind}, aliases of {label}: {linked} entities linked by the gazetteer "
                  f"({mentions} mentions), {unsupported} unsupported by their text")
    return 0

if __name__ == "__main__":
    sys.exit(main())
