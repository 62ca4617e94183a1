"""How long a text is, in words, whatever its script.

Chinese and Japanese (and Thai, Lao, Khmer, Burmese) are written without spaces between words, so
counting whitespace-separated words makes a Japanese story of 1,000 characters "18 words" and
loses it as too short. Here a run of such characters counts as characters / CHARS_PER_WORD words,
and everything else as whitespace-separated words.

CJK_CHARS_PER_WORD was measured on the six Chinese and Japanese gold texts of the real-page
corpora (readability: gmw, pixnet, qq, youth; hukumusume, yahoo-4), segmented into words by jieba
(Chinese) and janome (Japanese): 1.71 to 1.98 Han/kana characters per word, 1.8 on average. 2 is
the rounder, stricter choice (a page must hold a little more text to count as a story).
SEA_CHARS_PER_WORD (Thai and its neighbours, alphabetic scripts without spaces) is not measured
here — the corpora hold no such page — and is set a little under English's ~4.7 letters a word."""
from __future__ import annotations

import re

CJK_CHARS_PER_WORD = 2
SEA_CHARS_PER_WORD = 4
# Han (with extension A and compatibility ideographs), hiragana, katakana, half-width katakana
_CJK = re.compile("[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
# Thai, Lao, Myanmar, Khmer
_SEA = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]")
# CJK punctuation and full-width forms: "。" or "、" left alone between spaces is not a word
_CJK_PUNCT = re.compile("[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff5b-\uff65]")


def words(text: str) -> int:
    """The length of `text` in words (see the module doc)."""
    cjk = len(_CJK.findall(text))
    sea = len(_SEA.findall(text))
    if cjk or sea:
        text = _CJK_PUNCT.sub(" ", _SEA.sub(" ", _CJK.sub(" ", text)))
    return len(text.split()) + cjk // CJK_CHARS_PER_WORD + sea // SEA_CHARS_PER_WORD


def words_in(paragraphs: list[str]) -> int:
    return sum(words(p) for p in paragraphs)


def first_words(text: str, limit: int) -> str:
    """The opening `limit` words of `text`, "…" when it goes on (a title made from a body)."""
    if _CJK.search(text) or _SEA.search(text):
        cut = limit * CJK_CHARS_PER_WORD * 2          # unspaced or mixed: a character budget
        return text[:cut] + (" …" if len(text) > cut else "")
    parts = text.split()
    return " ".join(parts[:limit]) + (" …" if len(parts) > limit else "")
