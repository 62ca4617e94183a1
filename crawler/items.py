"""What the spider hands to the pipeline: a fetched page, not yet extracted."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PageItem:
    source: str
    url: str                     # the URL requested (normalised)
    final_url: str               # after redirects
    body: bytes
    header_charset: str | None
    fetched: str                 # ISO 8601 UTC
    hints: dict = field(default_factory=dict)   # title/published/authors from a feed or sitemap
    etag: str | None = None
    last_modified: str | None = None
    redirected_from: tuple[str, ...] = ()       # earlier URLs of a redirect chain, remembered too
    archived: tuple[str, int] | None = None     # (WARC file, offset) of the response record, if archived

    def __repr__(self) -> str:      # Scrapy logs items; never dump a whole page into the log
        return f"PageItem({self.source}, {self.final_url}, {len(self.body)} bytes)"
