"""One page in, one article out: title, clean body paragraphs, dates, authors, language.

extract.bodies finds the body (a cascade of extractors that never drops a story one of them
finds); the page's own markup (extract.metadata) gives the metadata, since it carries time zones
and author lists that trafilatura's metadata flattens; extract.dates finds the publication day
and instant. A metadata field that cannot be read is left empty with a logged reason: it never
costs the page."""
from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from urllib.parse import urljoin

from lxml import etree

from common.language import page_language

from . import dates
from . import korean
from . import metadata as md
from .bodies import MIN_WORDS
from .bodies import body as find_body
from .wordcount import first_words, words_in
from .encoding import decode_html

logger = logging.getLogger(__name__)

STORY_WORDS = 150         # a body this long is a story even without a title or with a media og:type
MAX_CHARS = 5_000_000     # a page larger than this (decoded) is not an article
# OpenGraph types that are never a story; anything else ("article", "website", "blog", a
# site's own word) may be one, and the body decides
_NOT_ARTICLE_TYPES = ("video", "music", "profile", "product", "book", "place", "restaurant", "business", "game")
# Of those, the media types are often a blog template's word for "this post embeds a clip"
# (whitehouse.gov's blog: og:type video on every post with a YouTube player above the text):
# with a written story of STORY_WORDS+ beside the clip, the page is a story.
_MEDIA_TYPES = ("video", "music")

# File signatures of what misconfigured servers send as text/html. A PDF or a gzip stream can
# start without a NUL byte, so the control-character test alone would miss them.
_MAGIC = ((b"%PDF-", "PDF"), (b"PK\x03\x04", "ZIP"), (b"\x1f\x8b", "gzip"), (b"\x89PNG", "PNG"),
          (b"GIF8", "GIF"), (b"\xff\xd8\xff", "JPEG"), (b"\x7fELF", "executable"), (b"OggS", "Ogg"),
          (b"ID3", "MP3"), (b"\x28\xb5\x2f\xfd", "zstd"))
_TEXT_CONTROLS = frozenset(b"\t\n\r\x0c\x1b")

@dataclass
class Extracted:
    url: str
    canonical_url: str
    title: str
    body: list[str]
    published: str | None = None
    published_from: str = "none"     # which signal gave the date: json-ld, meta, time, feed, headline, htmldate
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
    body_from: str = "none"          # which extractor step gave the body (extract.bodies)

    @property
    def words(self) -> int:
        return words_in(self.body)       # extract.wordcount: Chinese, Japanese, Thai by characters

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
        tree, shared = md.page_tree(text)
    except (etree.ParserError, ValueError) as exc:
        return _not_article(url, f"unparseable HTML: {exc}")
    tz = dates.zone(hints.timezone)
    ld_objects = _field(url, "JSON-LD", md.json_ld, [], tree)
    ld = md.article_ld(ld_objects)
    meta = _field(url, "meta tags", md.meta_tags, {}, tree)
    site = _field(url, "site name", md.site_name, None, ld_objects, meta)
    canonical = _field(url, "canonical URL", md.canonical_url, None, tree)
    canonical = urljoin(url, canonical) if canonical else url
    title = _field(url, "title", md.title, None, tree, ld, meta, site) or hints.title or ""
    published, published_from = _field(url, "publication date", dates.published_date, (None, "none"),
                                       tree, ld_objects, meta, url, tz, hints.published, title)
    body, body_from = find_body(text, url, title, tree if shared else None)
    if not title and words_in(body) >= STORY_WORDS:
        title = first_words(body[0], 12)     # a whole story without any title markup is still a story
    result = Extracted(
        url=url, canonical_url=canonical, title=title, body=body, published=published,
        published_from=published_from, modified=_field(url, "modification date", dates.modified_date, None,
                                                       ld_objects, meta, tz),
        authors=_field(url, "authors", md.authors, [], tree, ld, meta, site) or list(hints.authors),
        language=page_language(_field(url, "language", md.language, None, tree, ld, meta), hints.language,
                               title, body),
        section=_field(url, "section", md.section, None, ld, meta), image=_field(url, "image", md.image, None, ld, meta),
        site_name=site, encoding=encoding, charset_mismatch=mismatch, body_from=body_from)
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


def _field(url: str, name: str, getter, empty, *args):
    """One metadata field; a page whose markup breaks a getter keeps everything else."""
    try:
        return getter(*args)
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError) as exc:
        logger.info("%s: %s left empty, cannot be read: %s: %s", url, name, type(exc).__name__, exc)
        return empty


def _not_article_reason(result: Extracted, ld: dict | None, meta: dict) -> str | None:
    if not result.title:
        return "no title"
    og_type = meta.get("og:type", "").lower()
    if og_type.startswith(_NOT_ARTICLE_TYPES) and not ld \
            and not (og_type.startswith(_MEDIA_TYPES) and result.words >= STORY_WORDS):
        return f"page type {og_type}"
    if result.words < MIN_WORDS:
        return f"too little text ({result.words} words)"
    # no markup and no date anywhere: a section front or a listing (a dated story is kept)
    if not ld and not og_type.startswith("article") and result.published_from == "none" \
            and result.words < 3 * MIN_WORDS:
        return "no article markup and no date"
    return None


def _not_article(url: str, reason: str) -> Extracted:
    return Extracted(url=url, canonical_url=url, title="", body=[], is_article=False, reason=reason)
