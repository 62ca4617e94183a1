"""The one index interface. SQLite FTS5 (embedded) and Elasticsearch implement it; a contract
suite runs the same tests against both."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import ContextManager, Iterable, Iterator, Protocol

from common.errors import BadUsage, WorkFailed

from .document import Article, StatementRef
from .query import Node

INTERVALS = ("day", "week", "month")
SORTS = ("relevance", "date")
# Matches are counted exactly up to this many; beyond it a search reports this number and
# `capped` ("10,000+"). Counting 60,000 matches costs more than finding the best 20 of them, and
# both backends stop at the same number, so they report the same totals.
COUNT_LIMIT = 10_000


class IndexFailure(WorkFailed):
    """Base of the index's errors: work on the index failed (exit 1, HTTP 503)."""


class IndexUnavailable(IndexFailure):
    """The backend cannot be reached (an Elasticsearch node down, a database locked)."""


class IndexConfigError(BadUsage, IndexFailure):
    """A bad --index URL or option: bad usage (exit 2, HTTP 400); still an IndexFailure, so code that
    catches every index error while opening one catches it too."""


class IndexMissing(IndexFailure):
    """The index does not exist and the caller may not create it (only crawl and import create one)."""

    def __init__(self, where: str):
        super().__init__(f"no index at {where} (run policywatch crawl, or make demo)")


@dataclass
class SearchRequest:
    query: Node
    date_from: datetime | None = None      # inclusive, aware
    date_to: datetime | None = None        # exclusive, aware
    sort: str = "relevance"
    limit: int = 20
    offset: int = 0
    facets: bool = False
    collapse: bool = False                 # one hit per story cluster (near-duplicate copies)
    count_limit: int | None = COUNT_LIMIT  # count matches up to this many; None: count them all


@dataclass
class Hit:
    id: str
    url: str
    title: str
    source: str
    published: str | None
    score: float
    snippet: str            # HTML-escaped text with <mark>…</mark> around matched words
    entities: list[dict] = field(default_factory=list)   # [{name, type, mentions}]
    actions: list[str] = field(default_factory=list)
    copies: int = 1            # with collapse: matching articles in this hit's story cluster
    revisions: int = 0

    def record(self) -> dict:
        return {"id": self.id, "url": self.url, "title": self.title, "source": self.source,
                "published": self.published, "score": round(self.score, 4), "snippet": self.snippet,
                "copies": self.copies, "revisions": self.revisions}


@dataclass
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # sources, entities, types, actions
    capped: bool = False       # more than `total` match: counting stopped at the request's count_limit

    def total_text(self) -> str:
        """The total as people read it: '1,234', or '10,000+' when counting stopped."""
        return f"{self.total:,}" + ("+" if self.capped else "")


@dataclass
class WriteResult:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)   # (url, reason)
    spooled: int = 0        # kept in a local spool while the index was unavailable; written later


@dataclass
class UrlState:
    """What the crawler remembers of a URL between runs (incremental crawling)."""
    url: str                    # normalised
    source: str
    fetched: str                # ISO 8601 UTC of the last fetch
    status: str                 # article, skipped, error, feed
    etag: str | None = None
    last_modified: str | None = None
    published: str | None = None
    content_hash: str | None = None


@dataclass
class ArchiveRef:
    """Where an article's page is archived: the WARC response record it was extracted from."""
    id: str                     # article id
    warc: str                   # WARC file (absolute path)
    offset: int                 # byte offset of the record in that file
    url: str                    # the page's URL (WARC-Target-URI)
    fetched: str | None = None  # ISO 8601 UTC


@dataclass
class SourceRun:
    """One source's share of one crawl run: what source health is computed from."""
    run_id: str
    source: str
    started: str                # ISO 8601 UTC
    finished: str | None = None
    pages_fetched: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: int = 0
    extracted: int = 0          # pages that went through extraction
    empty_body: int = 0         # of those, with no usable body
    no_date: int = 0            # articles without a publication date
    no_author: int = 0          # articles without an author
    reasons: dict = field(default_factory=dict)
    outcome: str = "ok"         # ok, partial (some requests failed), failed (all failed, or a crash)
    cause: str = ""             # why not ok, in one line
    requests: int = 0
    failed_requests: int = 0
    # the sources file the crawl read, so later commands use the same outlets and collections
    sources_file: str = ""      # its absolute path
    sources_text: str = ""      # its contents (the file may move or change after)


@dataclass
class StoredAlert:
    """An alert as the index keeps it, beside the articles (issue 24): its name, and its definition
    and delivery state as one JSON-able record that alerts/ (alerts/model.py) reads and writes
    whole: the index stores it and gives it back, nothing more."""
    name: str
    record: dict


@dataclass
class Revision:
    fetched: str | None
    title: str
    body: list[str]
    content_hash: str


@dataclass
class TimelineRow:
    date: str          # ISO start of the period (YYYY-MM-DD)
    entity: str
    articles: int
    mentions: int
    stories: int = 0   # distinct story clusters among those articles (syndicated copies count once)


@dataclass
class PeriodCounts:
    """What a backend counts for `trend`: per period start (a date in the requested zone),
    (matching articles, distinct story clusters among them), and all dated articles."""
    matched: dict = field(default_factory=dict)     # date -> (articles, stories)
    totals: dict = field(default_factory=dict)      # date -> articles published then, any query


@dataclass
class TrendRow:
    date: str          # ISO start of the period (YYYY-MM-DD; weeks start on Monday)
    query: str         # the query as typed
    articles: int      # what `search QUERY` returns for the period
    stories: int       # distinct story clusters among them
    share: float       # articles / every article published in the period (0 when none)


@dataclass
class EntityCount:
    name: str
    type: str
    articles: int
    mentions: int
    stories: int = 0   # distinct story clusters among the articles


@dataclass
class StatementRow:
    """A stored statement with what a case needs of its article (index/cases.py)."""
    article: str             # article id
    url: str
    title: str
    source: str
    published: str | None    # as the outlet gave it (ISO 8601 with its offset)
    language: str | None
    cluster: str             # story cluster: near-duplicate copies share it
    statement: StatementRef
    indexed: str | None = None   # when the article was first written to the index (what alerts call new)


class Index(Protocol):
    """What every backend offers. Entity names passed in are canonical (the CLI resolves aliases)."""

    def write(self, articles: Iterable[Article], rewrite: bool = False) -> WriteResult:
        """New or changed (title or body) articles are stored, a change keeping the earlier version
        as a revision. rewrite=True also rewrites articles whose text is unchanged (entities,
        actions, dates: reprocess), without a revision, counted as updated."""
        ...
    def content_hashes(self, ids: list[str]) -> dict[str, str]: ...
    def get(self, article_id: str) -> Article | None: ...
    def search(self, request: SearchRequest) -> SearchResult: ...
    def export(self, query: Node, date_from: datetime | None = None,
               date_to: datetime | None = None) -> Iterator[Article]: ...
    def mentions(self, entity: str, date_from: datetime | None = None, date_to: datetime | None = None,
                 newest: int | None = None) -> Iterator[tuple[str, str, str, str, str]]:
        """(published_utc ISO, source, url, title, sentence) for every mention of the entity, oldest
        first (articles of one instant by id), each article's sentences in reading order. With
        newest=N, only the N newest: a page, newest article first (one instant's by id, descending),
        served in the time a timeline is, where the whole list streams at its own pace."""
        ...
    def timeline(self, entity: str, interval: str = "month", tz: str | None = None,
                 date_from: datetime | None = None, date_to: datetime | None = None) -> list[TimelineRow]: ...
    def entity_counts(self, query: Node, type_: str | None = None, limit: int = 20) -> list[EntityCount]: ...
    def period_counts(self, query: Node, interval: str = "month", tz: str | None = None,
                      date_from: datetime | None = None, date_to: datetime | None = None) -> PeriodCounts:
        """Matching articles and stories per period, and all articles per period (index/trend.py
        turns these into `policywatch trend` rows); undated articles are in no period."""
        ...
    def statements(self, case: str | None = None, names: list[str] | None = None) -> Iterator[StatementRow]:
        """Every stored statement (of one case, when given: index/cases.py's case_id; with `names`,
        of the cases where a statement names one of them as authority, target or related, compared
        casefolded), in the order of their articles' publication (undated last, then by id) and,
        within one, as written. index/cases.py merges them into cases, the same way for every
        backend."""
        ...
    def stats(self) -> dict: ...
    # incremental crawling, revisions and source health (issue: scheduled incremental crawling)
    def history(self, article_id: str) -> list[Revision]:
        """Every version, oldest first; the last one is the current article."""
        ...
    def url_states(self, source: str) -> dict[str, UrlState]: ...
    def save_url_states(self, states: list[UrlState]) -> None: ...
    def record_runs(self, runs: list[SourceRun]) -> None: ...
    def runs(self, source: str | None = None, limit: int = 10) -> list[SourceRun]:
        """Newest first."""
        ...
    # the page archive's catalogue (issue: WARC archive, import, reprocess)
    def save_archive_refs(self, refs: list[ArchiveRef]) -> None: ...
    def archive_refs(self, ids: list[str]) -> dict[str, ArchiveRef]: ...
    # alerts (issue 24): kept with the index, so every machine that serves or crawls it sees them
    def alerts(self) -> list[StoredAlert]:
        """Every alert, by name."""
        ...
    def save_alert(self, alert: StoredAlert) -> None:
        """Insert or replace; searchable (listed) before this returns."""
        ...
    def remove_alert(self, name: str) -> bool:
        """False when there was no such alert."""
        ...
    def crawl_leases(self) -> "LeaseStore | None":
        """Per-source crawl leases shared by every machine that writes to this index, or None where
        the crawling machine's own locks (crawler/locks.py) are all there is (an SQLite file)."""
        ...
    # administration: every backend answers each of these (no capability probing by callers)
    def flush(self) -> WriteResult:
        """Write what waits in the spool (Elasticsearch); an embedded index has nothing waiting."""
        ...
    def pending(self) -> int:
        """Articles waiting to be written (the spool)."""
        ...
    def refresh(self) -> None:
        """Make every write so far searchable (Elasticsearch refreshes; SQLite already is)."""
        ...
    def bulk_load(self) -> ContextManager:
        """A context for a big load (copy, benchmarks): the backend may defer upkeep until it ends."""
        ...
    def reindex(self) -> "ReindexResult":
        """Rebuild the collection into its next version with no search downtime (Elasticsearch);
        an embedded index raises IndexConfigError: it upgrades its schema when opened."""
        ...
    def drop(self) -> None:
        """Delete the collection and everything kept beside it."""
        ...
    def close(self) -> None: ...


@dataclass
class ReindexResult:
    alias: str
    old_index: str
    new_index: str
    documents: int


class LeaseStore(Protocol):
    """Cluster-wide per-source crawl leases (index/elastic/leases.py)."""

    def acquire(self, name: str, owner: str, ttl: float) -> bool: ...
    def renew(self, name: str, owner: str, ttl: float) -> bool: ...
    def release(self, name: str, owner: str) -> None: ...
