"""SQLite FTS5's `remove_diacritics 2`, for Elasticsearch: one table, generated from Unicode
data, used by the index template (a stock `mapping` char filter, so any stock cluster can run it)
and by the prefix queries (which are not analysed, so their value is folded here).

The rule is FTS5's (and the legacy pw_remove_diacritics filter's): a character whose canonical
decomposition is one ASCII letter followed by non-spacing marks (Mn) becomes that letter —
é → e, Ǘ → U, ḉ → c, Å (angstrom sign) → A — and every other character stays: ß, ø, ł, æ,
Greek (ά) and Cyrillic (й) are not folded, where `asciifolding` would make "ß" "ss". The marks
themselves, precomposed or not, are dropped by the template's `pw_drop_marks` char filter
(`pattern_replace` of \\p{Mn}) and by fold() below.
"""
from __future__ import annotations

import unicodedata
from functools import cache

# Only the Basic Multilingual Plane has such characters (a test scans all of Unicode): canonical
# compositions are closed since Unicode 3.1 (normalization stability), so none can be added later.
_LAST = 0xFFFF


def _ascii_base(ch: str) -> str | None:
    parts = unicodedata.normalize("NFD", ch)
    if (len(parts) > 1 and parts[0].isascii() and parts[0].isalpha()
            and all(unicodedata.category(c) == "Mn" for c in parts[1:])):
        return parts[0]
    return None


def scan(first: int, last: int) -> dict[str, str]:
    """{character: its ASCII letter} for the code points first..last that fold."""
    out = {}
    for code in range(max(first, 0x80), last + 1):
        ch = chr(code)
        if unicodedata.decomposition(ch) and (base := _ascii_base(ch)):
            out[ch] = base
    return out


@cache
def table() -> dict[str, str]:
    """Every character that folds, with the ASCII letter it folds to (about 490; case kept:
    É → E, é → e, so the template may fold before `lowercase`)."""
    return scan(0x80, _LAST)


def rules() -> list[str]:
    """The table as the `mappings` of a stock `mapping` char filter ("é => e")."""
    return [f"{ch} => {base}" for ch, base in table().items()]


def fold(word: str) -> str:
    """What the pw_exact analyzer makes of one word: lower case, marks dropped, folded."""
    folds = table()
    return "".join(folds.get(ch, ch) for ch in word.lower() if unicodedata.category(ch) != "Mn")
