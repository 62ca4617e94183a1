"""Korean text for the search index: one stem per word, so a query word finds its particle and
inflected forms (딥페이크 finds 딥페이크를 and 딥페이크가; 텔레그램 finds 텔레그램에서).

Korean attaches particles and endings to the word they follow, so FTS5's unicode61 tokenizer
would index 딥페이크를 as one token that 딥페이크 never matches. Korean articles (language
"ko") therefore get their title and body indexed a second time, in SQLite's `articles_fts_ko`,
as analyzer output: for every word (a run of letters and digits), the forms of its leading
content morphemes (nouns, numbers, foreign words, or a verb/adjective stem) joined together,
with particles, endings and verb suffixes dropped — 경찰청이 → 경찰청, 수사했다 → 수사,
딥페이크를 → 딥페이크. A query word or phrase containing Hangul goes through the same function
and is matched there. Joining the morphemes makes the stem independent of where the analyzer
splits a compound (it splits 딥페이크를 into 딥+페이크+를 but keeps 딥페이크가 whole).

Elasticsearch does the same job with Lucene's nori analyzer on `title_ko`/`body_ko`
(index/elastic/template.json), filled only for Korean articles; see README "Korean" for where the
two analyzers can differ.

The analyzer is kiwipiepy with its PyPI model (kiwipiepy-model): nothing is downloaded at run
time. It is loaded on first use (about two seconds).
"""
from __future__ import annotations

import bisect
import re
import threading

from .snippets import CLOSE, OPEN, snippet     # one snippet shape for both backends

LANGUAGE = "ko"
_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_WORD = re.compile(r"[^\W_]+")
# Morpheme tags (Sejong tag set, as kiwipiepy uses it) that make up a word's stem: nouns, numerals,
# pronouns, foreign and Chinese-character words, roots, noun prefixes and suffixes.
_STEM_TAGS = ("NNG", "NNP", "NNB", "NR", "NP", "SL", "SN", "SH", "XR", "XPN", "XSN")
_VERB_TAGS = ("VV", "VA", "VV-R", "VA-R", "VV-I", "VA-I")

_kiwi = None
_lock = threading.Lock()


def has_hangul(text: str) -> bool:
    return bool(_HANGUL.search(text))


def is_korean(language: str | None) -> bool:
    return (language or "").lower().split("-")[0] == LANGUAGE


def _analyzer():
    global _kiwi
    with _lock:
        if _kiwi is None:
            from kiwipiepy import Kiwi     # imported late: the English-only path never pays for it
            _kiwi = Kiwi()
        return _kiwi


def analyze(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """(stem, its noun morphemes) for every word of `text` that has a stem: Hangul words through
    the analyzer, other words lower-cased as they are. Words that are only particles, endings or
    adverbs give nothing."""
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    if not any(has_hangul(w) for _, _, w in words):
        return [(w.lower(), ()) for _, _, w in words]
    starts = [s for s, _, _ in words]
    morphemes: list[list[tuple[str, str]]] = [[] for _ in words]
    for t in _analyzer().tokenize(text):
        i = bisect.bisect_right(starts, t.start) - 1
        if i >= 0 and t.start < words[i][1]:
            morphemes[i].append((t.form, t.tag))
    out = []
    for (_, _, word), parts in zip(words, morphemes):
        if not has_hangul(word):
            out.append((word.lower(), ()))
            continue
        stem, nouns = _stem(parts)
        if stem:
            out.append((stem.lower(), nouns))
    return out


def stems(text: str) -> list[str]:
    """One token per word of `text`: Hangul words as their stem (경찰청이 -> 경찰청), others lower-cased."""
    return [stem for stem, _ in analyze(text)]


def _stem(parts: list[tuple[str, str]]) -> tuple[str, tuple[str, ...]]:
    if parts and parts[0][1] in _VERB_TAGS:
        return parts[0][0], ()
    stem = []
    for form, tag in parts:
        if tag not in _STEM_TAGS:
            break
        stem.append(form)
    return "".join(stem), tuple(stem)


def compound_parts(analyzed: list[tuple[str, tuple[str, ...]]]) -> str:
    """The pieces of the compound stems of analyze()'s output (경기남부경찰청 -> 경기 남부 경찰청
    경기남부 남부경찰청): a one-word query then also finds a word inside a compound, as nori's
    decompounding does on Elasticsearch. Phrases are matched on the stems only."""
    out = []
    for _, nouns in analyzed:
        n = len(nouns)
        for size in range(1, n):
            for start in range(0, n - size + 1):
                piece = "".join(nouns[start:start + size])
                if len(piece) >= 2 and has_hangul(piece):
                    out.append(piece.lower())
    return " ".join(out)


def query_words(words: tuple[str, ...]) -> tuple[str, ...]:
    """A query word or phrase (already split into words) as the stems it must match, in order."""
    return tuple(stems(" ".join(words)))




# -- SQLite ---------------------------------------------------------------------------------
# The stems of Korean articles, in a full-text table of their own (same rowids as `articles`),
# written by sqlite_write() since the triggers of the other two tables cannot run the analyzer.
SQLITE_TABLE = "articles_fts_ko"
SQLITE_SCHEMA = f"""
CREATE VIRTUAL TABLE IF NOT EXISTS {SQLITE_TABLE} USING fts5(title, body, parts, tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER IF NOT EXISTS articles_ad_ko AFTER DELETE ON articles BEGIN
    DELETE FROM {SQLITE_TABLE} WHERE rowid = old.rowid;
END;
"""


def sqlite_write(db, rowid: int, title: str, body: str, language: str | None) -> None:
    db.execute(f"DELETE FROM {SQLITE_TABLE} WHERE rowid = ?", (rowid,))
    if is_korean(language):
        title_words, body_words = analyze(title), analyze(body)
        db.execute(f"INSERT INTO {SQLITE_TABLE}(rowid, title, body, parts) VALUES (?, ?, ?, ?)",
                   (rowid, " ".join(w for w, _ in title_words), " ".join(w for w, _ in body_words),
                    compound_parts(title_words + body_words)))


def fts_phrase(words: tuple[str, ...], prefix: bool) -> str:
    """The FTS5 MATCH phrase for a query word or phrase that contains Hangul."""
    found = query_words(words) or tuple(w.lower() for w in words)   # only particles: match them as written
    phrase = '"' + " ".join(w.replace('"', "") for w in found) + '"' + (" *" if prefix else "")
    # one word: any column, compound pieces included; a phrase: the stems of title and body
    return phrase if len(found) == 1 else "{title body} : " + phrase


# -- snippets (both backends) ---------------------------------------------------------------
def mark(body: str, words: list[tuple[str, ...]]) -> str:
    """`body` with the query stems found in its words between OPEN and CLOSE — the
    marked text index/snippets.snippet() cuts into a snippet."""
    wanted = {s for w in words for s in query_words(w)}
    if not wanted:
        return body
    out = []
    for token in body.split(" "):
        core = _WORD.search(token)
        word = core.group().lower() if core and has_hangul(core.group()) else ""
        stem = next((s for s in sorted(wanted, key=len, reverse=True) if s in word), None) if word else None
        if stem:          # the stem is marked, not its particle: 딥페이크를 -> <mark>딥페이크</mark>를
            start = core.start() + word.index(stem)
            token = token[:start] + OPEN + token[start:start + len(stem)] + CLOSE + token[start + len(stem):]
        out.append(token)
    return " ".join(out)


def snippets(bodies: dict, texts) -> dict:
    """Snippets (HTML, matches in <mark>) of Korean articles' bodies for the query's positive
    words and phrases, keyed like `bodies`; a body without a match gets none (the caller shows
    its lead)."""
    words = [t.words for t in texts if has_hangul(" ".join(t.words))]
    out = {}
    for key, body in bodies.items():
        marked = mark(body, words)
        if OPEN in marked:
            out[key] = snippet(marked, body)
    return out

