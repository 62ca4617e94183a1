"""The language of a page: py3langid on its text, the page's own declaration where the text is unsure.

The language decides which NER a page gets (the English model on English only, nlp/analyzer.py)
and which analyzers index it (Korean fields for Korean, index/korean.py). bench/language_eval.py
measures the choices below on ../shared/corpora and prints them beside the stop-word heuristic
this replaced; docs/extraction.md has the figures.
"""
from __future__ import annotations

import threading

# py3langid knows 140 labels, among them regional languages that claim short English headlines
# ("Police probe Telegram" is Nigerian Pidgin, "Telegram" Luxembourgish). Restricting it to the
# written languages of national news (Elasticsearch's language analyzers, Chinese, Japanese,
# Korean, and the other languages of 10+ million readers the model has) took the corpora's titles
# from 382 to 430 right of 464; whole pages were right either way (465 of 465, bench/language_eval.py).
CANDIDATES = tuple("""
    am ar az bg bn bs ca cs cy da de el en es et eu fa fi fr ga gl gu he hi hr hu hy id is it ja ka
    kk km kn ko lo lt lv mk ml mr ms mt my nl nn no pa pl pt ro ru si sk sl sq sr sv sw ta te th tl
    tr uk ur uz vi zh""".split())
# At this probability the text's language overrides the page's declaration: three l3s-gn1 pages
# declare German, Persian or Russian over English text (identified at 1.0); the declaration is
# right where the text is too short to be sure (a 60-character Portuguese comment line).
CONFIDENT = 0.9
# Below this the identifier's answer is a guess: unknown, which the analyzer reads as English. On
# titles alone it leaves 4 wrong of 464 instead of 34, and the declaration, where there is one,
# brings the other languages' titles from 13 to 15 right of 15.
PLAUSIBLE = 0.5
SAMPLE_CHARS = 3000      # the first characters of a page say its language; more only costs time

_lock = threading.Lock()
_identifier = None


def _model():
    global _identifier
    with _lock:
        if _identifier is None:
            # imported late: loading the model takes a second, and a crawl that finds nothing never pays it
            from py3langid.langid import MODEL_FILE, LanguageIdentifier
            identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
            identifier.set_languages(CANDIDATES)
            _identifier = identifier
        return _identifier


def identify(text: str) -> tuple[str | None, float]:
    """(ISO 639-1 code, probability) of `text`'s language; (None, 0.0) for text without letters."""
    sample = text[:SAMPLE_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return None, 0.0
    lang, prob = _model().classify(sample)
    return lang, prob


def page_language(declared: str | None, hint: str | None, title: str, body: list[str]) -> str | None:
    """The language of a page: what its text says when the identifier is sure, else what the page
    declares (`lang`, og:locale…), else the outlet's language from the sources file (`hint`),
    else the identifier's plausible guess, else None (unknown)."""
    lang, prob = identify("\n".join([title, *body]))
    if lang and prob >= CONFIDENT:
        return lang
    return normalize(declared) or normalize(hint) or (lang if prob >= PLAUSIBLE else None)


def normalize(code: str | None) -> str | None:
    """'en-US' -> 'en', 'ko_KR' -> 'ko'; None for an empty value."""
    if not code or not code.strip():
        return None
    return code.strip().replace("_", "-").split("-")[0].lower() or None
