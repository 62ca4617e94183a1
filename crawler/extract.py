"""One page in, one article out: title, clean body paragraphs, dates, authors, language.

trafilatura finds the body; the page's own markup (crawler.metadata) gives the metadata, since
it carries time zones and author lists that trafilatura's metadata flattens. A last pass drops
the boilerplate lines news sites put inside the article container itself (bylines, photo
credits, 'Share this', '(END)')."""
from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass, field
from urllib.parse import urljoin

import trafilatura
from lxml import etree

from . import korean
from . import metadata as md
from .encoding import decode_html

logger = logging.getLogger(__name__)

MIN_WORDS = 60            # fewer words than this is a caption, a teaser or a video page
MAX_CHARS = 5_000_000     # a page larger than this (decoded) is not an article

# File signatures of what misconfigured servers send as text/html. A PDF or a gzip stream can
# start without a NUL byte, so the control-character test alone would miss them.
_MAGIC = ((b"%PDF-", "PDF"), (b"PK\x03\x04", "ZIP"), (b"\x1f\x8b", "gzip"), (b"\x89PNG", "PNG"),
          (b"GIF8", "GIF"), (b"\xff\xd8\xff", "JPEG"), (b"\x7fELF", "executable"), (b"OggS", "Ogg"),
          (b"ID3", "MP3"), (b"\x28\xb5\x2f\xfd", "zstd"))
_TEXT_CONTROLS = frozenset(b"\t\n\r\x0c\x1b")

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
_PRUNE = ("//*[contains(@class,'standfirst') or contains(@class,'story-dek') or contains(@class,'article-dek') "
          "or contains(concat(' ', normalize-space(@class), ' '), ' dek ') or contains(@class,'subtitle') "
          "or contains(@class,'strapline') or contains(@class,'kicker') or contains(@class,'eyebrow') "
          "or contains(@class,'similar') or contains(@class,'related') or contains(@class,'recommended') "
          "or contains(@class,'more-stories') or contains(@class,'newsletter') or contains(@class,'sign-off') "
          "or contains(@class,'trust-badge') or contains(@class,'copyright') or contains(@class,'dateline')"
          " and string-length(normalize-space(.)) < 60]")
_LIST_MARKER = re.compile(r"^[-•*]\s+")
_DATELINE_ONLY = re.compile(r"^[A-Z][A-Z .'-]+,\s+\w+\.? \d{1,2}(?:,\s*\d{4})?(?:\s*\(\w+\))?(?:\s*--)?$")
_SIGN_OFF = re.compile(r"^(?:<?\s*(?:copyright|ⓒ|©).*|reporting by .*|(?:writing|editing) by .*|our standards:.*)$",
                       re.IGNORECASE)


@dataclass
class Extracted:
    url: str
    canonical_url: str
    title: str
    body: list[str]
    published: str | None = None
    published_from: str = "none"     # which signal gave the date: json-ld, meta, time, feed, url, text
    modified: str | None = None
    authors: list[str] = field(default_factory=list)
    language: str | None = None
    section: str | None = None
    image: str | None = None
    site_name: str | None = None
    encoding: str | None = None
    charset_mismatch: bool = False
    is_article: bool = True
    reason: str | None = None        # why it is not an article

    @property
    def words(self) -> int:
        return sum(len(p.split()) for p in self.body)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Hints:
    """What a feed or sitemap said about the page, used when the page says less."""
    title: str | None = None
    published: str | None = None
    authors: tuple[str, ...] = ()
    language: str | None = None
    timezone: str | None = None


def extract(page: bytes | str, url: str, hints: Hints | None = None, header_charset: str | None = None) -> Extracted:
    hints = hints or Hints()
    if isinstance(page, bytes):
        # Before decoding: binary data decodes "successfully" as windows-1252 or with U+FFFD.
        if kind := binary_kind(page):
            return _not_article(url, f"binary content ({kind})")
        text, encoding, mismatch = decode_html(page, header_charset)
    else:
        text, encoding, mismatch = page, None, False
    if not text.strip():
        return _not_article(url, "empty page")
    if len(text) > MAX_CHARS:
        return _not_article(url, f"page too large ({len(text)} characters)")
    if "\x00" in text[:4096]:
        return _not_article(url, "binary content (NUL characters)")
    try:
        tree = md.parse_tree(text)
    except (etree.ParserError, ValueError) as exc:
        return _not_article(url, f"unparseable HTML: {exc}")
    tz = md.zone(hints.timezone)
    ld_objects = md.json_ld(tree)
    ld = md.article_ld(ld_objects)
    meta = md.meta_tags(tree)
    site = md.site_name(ld_objects, meta)
    canonical = md.canonical_url(tree)
    canonical = urljoin(url, canonical) if canonical else url
    title = md.title(tree, ld, meta, site) or hints.title or ""
    published, published_from = md.published_date(tree, ld, meta, url, tz, hints.published)
    body = _body(text, url, title)
    result = Extracted(
        url=url, canonical_url=canonical, title=title, body=body, published=published,
        published_from=published_from, modified=md.modified_date(ld, meta, tz),
        authors=md.authors(tree, ld, meta, site) or list(hints.authors),
        language=md.language(tree, ld, meta) or hints.language or _guess_language(body),
        section=md.section(ld, meta), image=md.image(ld, meta), site_name=site,
        encoding=encoding, charset_mismatch=mismatch)
    korean.refine(result, tree, tz)           # Korean outlets: wire lead, boilerplate, dates
    reason = _not_article_reason(result, ld, meta)
    if reason:
        result.is_article, result.reason = False, reason
    return result


def binary_kind(body: bytes) -> str | None:
    """What a body that should be HTML is when it is binary data ("PDF", "control characters"),
    or None. Looks at the first 4 KB only. A UTF-16 page (NUL bytes galore) announces itself
    with a byte-order mark and is text."""
    head = body[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    controls = sum(1 for b in head if b < 0x20 and b not in _TEXT_CONTROLS)
    # A NUL never belongs in an 8-bit or UTF-8 page; other stray control bytes happen (a
    # legacy CMS pasting a vertical tab), but not in 2% of a page.
    if b"\x00" in head or controls > len(head) // 50:
        return "control characters"
    return None


def _body(text: str, url: str, title: str) -> list[str]:
    doc = trafilatura.bare_extraction(text, url=url, with_metadata=False, include_comments=False,
                                      include_tables=False, include_images=False, favor_precision=True,
                                      deduplicate=False, prune_xpath=_PRUNE)
    raw = (doc.text if doc is not None else "") or ""
    paragraphs = []
    for line in raw.split("\n"):
        line = _LIST_MARKER.sub("", " ".join(line.split()))
        if not line or line == title or _SIGN_OFF.match(line) or _DATELINE_ONLY.match(line) \
                or (len(line) < 160 and _BOILERPLATE_LINE.match(line)):
            continue
        paragraphs.append(line)
    return paragraphs


def _not_article_reason(result: Extracted, ld: dict | None, meta: dict) -> str | None:
    if not result.title:
        return "no title"
    og_type = meta.get("og:type", "").lower()
    if og_type and not og_type.startswith("article") and not ld and og_type != "website":
        return f"page type {og_type}"
    if result.words < MIN_WORDS:
        return f"too little text ({result.words} words)"
    if not ld and not og_type.startswith("article") and result.published_from in ("none", "text") \
            and result.words < 3 * MIN_WORDS:
        return "no article markup and no date"
    return None


def _not_article(url: str, reason: str) -> Extracted:
    return Extracted(url=url, canonical_url=url, title="", body=[], is_article=False, reason=reason)


_EN_WORDS = {"the", "and", "of", "to", "in", "a", "is", "that", "for", "on", "with", "was", "said", "by"}


def _guess_language(body: list[str]) -> str | None:
    """English or unknown: the sources file names the language of other outlets."""
    words = " ".join(body[:5]).lower().split()
    if len(words) >= 20 and sum(w in _EN_WORDS for w in words) / len(words) > 0.12:
        return "en"
    return None
