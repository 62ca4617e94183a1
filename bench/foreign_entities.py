"""Linked entities on the non-English pages of ../shared/corpora that their text does not support.

A page is non-English when its dataset says so (readability's `lang`) or, failing that, when
py3langid's label in meta.jsonl (`lang_detected`) is not English. Each page is extracted and
analysed as the crawl does it (extract.article, then nlp's Analyzer with the page's language);
an entity linked by the gazetteer is *unsupported* when none of its names (canonical name or
alias) appears in the analysed text as written, case included — the Portuguese "Eu" (I)
linked as the European Union is the case this counts.

    python bench/foreign_entities.py          # per page, then the totals
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench import real_pages  # noqa: E402


def foreign_pages() -> list[real_pages.Page]:
    pages = real_pages.load()
    def lang(p):
        return (p.meta.get("lang") or p.meta.get("lang_detected") or "en").split("-")[0].lower()
    return [p for p in pages if lang(p) != "en"]


def supported(entry, text: str) -> bool:
    return any(re.search(r"(?<!\w)" + re.escape(n) + r"(?!\w)", text) for n in entry.names)


def main() -> int:
    if not real_pages.available():
        print(f"no corpora at {real_pages.CORPORA} (see the corpora README)", file=sys.stderr)
        return 2
    from extract.article import extract
    from nlp import Analyzer, Gazetteer
    gazetteer = Gazetteer.load()
    analyzer = Analyzer(gazetteer)
    linked = unsupported = 0
    pages = foreign_pages()
    for page in pages:
        result = extract(page.html, page.url)
        text = "\n\n".join([result.title, *result.body])
        analysis = analyzer.analyze_many([text], languages=[result.language])[0]
        gaz = [e for e in analysis.entities if gazetteer.get(e.name) is not None]
        bad = [e.name for e in gaz if not supported(gazetteer.get(e.name), text)]
        linked, unsupported = linked + len(gaz), unsupported + len(bad)
        print(f"{page.dataset}/{page.id} ({result.language}): {len(gaz)} linked, {len(bad)} unsupported"
              + (f": {', '.join(bad)}" if bad else ""))
    print(f"{len(pages)} non-English pages: {linked} entities linked by the gazetteer, {unsupported} unsupported by their text")
    return 0


if __name__ == "__main__":
    sys.exit(main())
