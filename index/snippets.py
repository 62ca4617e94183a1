"""One snippet shape for Elasticsearch's highlights and the Korean matches of both backends: the
highlight markers (OPEN, CLOSE) and the window of about SNIPPET_WORDS words cut around the
matches. elastic/query.py and korean.py both import it from here."""
from __future__ import annotations

import html
import re

SNIPPET_WORDS = 24
OPEN, CLOSE = "\x02", "\x03"          # highlight markers, turned into <mark> after escaping

_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*$")


def snippet(marked: str | None, body: str, words: int = SNIPPET_WORDS) -> str:
    """About `words` words of the body around the matches, HTML-escaped, matches in <mark>.

    Like FTS5's snippet(): the window with the most distinct matched words wins, a window
    that starts a sentence gets a bonus, and '…' shows where text was cut. Without a match in
    the body (a title-only match), the body's first words."""
    if not marked or OPEN not in marked:
        return lead(body, words)
    tokens = marked.split()
    hits = [i for i, t in enumerate(tokens) if OPEN in t]
    n = len(tokens)
    starts = [0] + [i for i in range(1, n) if _SENTENCE_END.search(tokens[i - 1].replace(CLOSE, ""))]

    def score(start: int) -> int:
        inside = [tokens[i] for i in hits if start <= i < start + words]
        return 1000 * len({t.lower() for t in inside}) + len(inside)

    best, best_score = 0, -1
    for h in (hits if n > words else []):           # a short body is shown whole
        last = max(i for i in hits if h <= i < h + words)
        centred = max(0, min(h - (words - (last - h + 1)) // 2, n - words))
        candidates = [(score(centred), centred)]
        sentence = max((s for s in starts if s <= h), default=0)
        if h - sentence < words:
            candidates.append((score(sentence) + (120 if sentence == 0 else 100), sentence))
        for value, start in candidates:
            if value > best_score or (value == best_score and start < best):
                best, best_score = start, value
    window = tokens[best:best + words]
    text = " ".join(window)
    before = "".join(tokens[:best])
    if before.count(OPEN) > before.count(CLOSE):
        text = OPEN + text
    if text.count(OPEN) > text.count(CLOSE):
        text += CLOSE
    text = ("…" if best > 0 else "") + text + ("…" if best + words < n else "")
    return html.escape(text).replace(OPEN, "<mark>").replace(CLOSE, "</mark>")


def lead(body: str, words: int = SNIPPET_WORDS) -> str:
    parts = body.split()
    return html.escape(" ".join(parts[:words]) + (" …" if len(parts) > words else ""))
