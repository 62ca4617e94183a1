"""The article body: a cascade of extractors chosen by measurement on real pages (bench/real_pages.py).

1. trafilatura in precision mode, with our prune list: the cleanest text when it finds the story.
2. trafilatura's default mode beside it, only when precision mode kept under SECOND_BELOW words:
   when it keeps much more (long-form pages, unusual templates: precision mode plus the prune
   list can throw part or all of the story away), it wins.
3. When both keep too little, readability-lxml as a second opinion (a different algorithm:
   it scores containers by their paragraphs' text and link density).

Both trafilatura modes keep tables (trafilatura's own default): legacy pages keep the story in a
layout-table cell, and data stories (rankings, premiums by insurer) carry half their text in
tables; without them trafilatura can also fall back to the whole page's link lists.

When the candidates disagree on whether the page has a story at all (the chosen one is under
MIN_WORDS, another reaches it), the longest plausible candidate is kept rather than none, and
the step is named "longest-<step>" so such pages can be counted and inspected (bench/real_pages.py
prints them per corpus). Lengths are in extract.wordcount's words, which count Chinese, Japanese
and Thai text by its characters.

One trafilatura call on a typical page, a second and readability on the few that need them
(bench/extract_cost.py prints the CPU per page by stage, old code beside new).
Every step's lines go through the same clean-up of in-container boilerplate."""
from __future__ import annotations

import logging
import re

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from .wordcount import words_in as _words

logger = logging.getLogger(__name__)

MIN_WORDS = 60            # fewer words than this is a caption, a teaser or a video page, not a story
ENOUGH_WORDS = 150        # a body this long is the story; shorter ones get a second opinion
# The default mode's body replaces the precise one when it is this much longer (measured on the
# real corpora: 1.1-1.3 and +0-60 words score the same; precision mode there drops whole stories).
WIDER_BY, WIDER_PLUS = 1.3, 30
# The default mode runs only when precision mode kept fewer words than this. On 283 real pages
# (bench/extract_cost.py's sample, seed 31) the default mode won 13 times, always where precision
# mode had kept 264 words or fewer; skipping it above 400 words left body F1 unchanged and saved
# a third of the body's CPU (the default pass is ~16 ms of ~47 ms per page).
SECOND_BELOW = 400

_BOILERPLATE_LINE = re.compile(
    r"^\s*(\(END\)|\(?(?:featured|top|lead|header) image\b.*|(?:photo|image|picture)s?\s*(?:credit|courtesy|by)?\s*[:/].*|"
    r"\(ATTN:.*\)|(?:also read|see also|read also|related article|recommended)\s*:.*|follow (?:us|[\w .]{2,40}) on .*|"
    r"(?:share|share this|share on|follow us|subscribe|sign up|related|read more|more stories|"
    r"advertisement|sponsored|click here|copyright|all rights reserved|\u00a9|©).{0,120}|"
    r"by\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}(?:\s*\([^)]*\))?(?:\s*(?:and|,)\s*[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3})*|"
    r"[\w.+-]+@[\w-]+\.[\w.-]+|"
    r"(?:tags?|topics?|categories|filed under)\s*:.*|"
    r"(?:updated|published|posted)\s*:?\s*[\w ,.:/-]{0,40}\d.*)\s*$",
    re.IGNORECASE)

# Blocks that sit inside many sites' article containers but are not the story: the standfirst
# or dek under the headline, kicker labels, "similar/related" teasers, newsletter boxes.
# [@class] first: the same nodes in half the time (3.1 -> 1.7 ms a page), the contains() tests
# then run only on elements that have a class.
_PRUNE = ("//*[@class][contains(@class,'standfirst') or contains(@class,'story-dek') or contains(@class,'article-dek') "
          "or contains(concat(' ', normalize-space(@class), ' '), ' dek ') or contains(@class,'subtitle') "
          "or contains(@class,'strapline') or contains(@class,'kicker') or contains(@class,'eyebrow') "
          "or contains(@class,'similar') or contains(@class,'related') or contains(@class,'recommended') "
          "or contains(@class,'more-stories') or contains(@class,'newsletter') or contains(@class,'sign-off') "
          "or contains(@class,'trust-badge') or contains(@class,'copyright') or contains(@class,'dateline')"
          " and string-length(normalize-space(.)) < 60]")
_LIST_MARKER = re.compile(r"^[-•*]\s+")
_HAS_WORD = re.compile(r"\w")             # table mode leaves rows of bare "| | |"
_DATELINE_ONLY = re.compile(r"^[A-Z][A-Z .'-]+,\s+\w+\.? \d{1,2}(?:,\s*\d{4})?(?:\s*\(\w+\))?(?:\s*--)?$")
_SIGN_OFF = re.compile(r"^(?:<?\s*(?:copyright|ⓒ|©).*|reporting by .*|(?:writing|editing) by .*|our standards:.*)$",
                       re.IGNORECASE)
_READABILITY_BLOCKS = ("p", "h2", "h3", "h4", "li", "pre", "blockquote")


def body(text: str, url: str, title: str, tree=None) -> tuple[list[str], str]:
    """(paragraphs, which step gave them: precise, default or readability). `tree` is the page
    parsed by extract.metadata.parse_tree (trafilatura's loader): both trafilatura passes work on
    copies of it and give what they give from the text, without parsing it again."""
    page = tree if isinstance(tree, lxml_html.HtmlElement) else text
    precise = clean(_precise(page, url), title)
    default = clean(_default(page, url), title) if _words(precise) < SECOND_BELOW else []
    if _words(default) > WIDER_BY * _words(precise) + WIDER_PLUS:
        best = (default, "default")           # precision mode cut part of the story away
    else:
        best = (precise, "precise")
    if _words(best[0]) >= ENOUGH_WORDS:
        return best
    paragraphs = clean(_readability(text, url), title)
    if _words(paragraphs) > WIDER_BY * _words(best[0]) + WIDER_PLUS:    # a short story stays short
        return paragraphs, "readability"
    if _words(best[0]) < MIN_WORDS:
        # the candidates disagree on whether there is a story: keep the longest plausible one
        longest = max(((c, step) for c, step in ((precise, "precise"), (default, "default"),
                                                 (paragraphs, "readability")) if plausible(c)),
                      key=lambda cand: _words(cand[0]), default=None)
        if longest is not None and _words(longest[0]) > _words(best[0]):
            return longest[0], f"longest-{longest[1]}"
    return best


# A story's paragraphs are sentences: a candidate of MIN_WORDS made of short lines is a menu,
# a link list or a table of figures.
PLAUSIBLE_WORDS_PER_LINE = 8


def plausible(paragraphs: list[str]) -> bool:
    """Whether a candidate body can be a story: MIN_WORDS or more, in lines of sentence length."""
    n = _words(paragraphs)
    return n >= MIN_WORDS and n >= PLAUSIBLE_WORDS_PER_LINE * len(paragraphs)


def _trafilatura(page, url: str, **options) -> list[str]:
    doc = trafilatura.bare_extraction(page, url=url, with_metadata=False, include_comments=False,
                                      include_tables=True, include_images=False, deduplicate=False,
                                      **options)
    return ((doc.text if doc is not None else "") or "").split("\n")


def _precise(page, url: str) -> list[str]:
    return _trafilatura(page, url, favor_precision=True, prune_xpath=_PRUNE)


def _default(page, url: str) -> list[str]:
    return _trafilatura(page, url)


def _readability(text: str, url: str) -> list[str]:
    from readability import Document        # only on the few pages that reach this step
    from readability.readability import Unparseable
    try:
        summary = lxml_html.fromstring(Document(text, url=url).summary(html_partial=True))
    except (Unparseable, etree.ParserError, ValueError) as exc:
        logger.info("readability found no body on %s: %s", url, exc)
        return []
    return [el.text_content() for el in summary.iter(*_READABILITY_BLOCKS)
            if not any(a.tag in _READABILITY_BLOCKS for a in el.iterancestors())]


def clean(lines: list[str], title: str) -> list[str]:
    """Lines without list markers, the headline repeated, datelines, sign-offs and short
    boilerplate lines ('Share this', 'By Kim', 'Photo: Reuters')."""
    paragraphs = []
    for line in lines:
        line = _LIST_MARKER.sub("", " ".join(line.split()))
        if not _HAS_WORD.search(line) or line == title or _SIGN_OFF.match(line) or _DATELINE_ONLY.match(line) \
                or (len(line) < 160 and _BOILERPLATE_LINE.match(line)):
            continue
        paragraphs.append(line)
    return paragraphs
