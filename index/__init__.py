"""The index stage: one interface (`base.Index`), two backends, one query language.
May import common/, extract/ and nlp/ (the stages before it); never ingest/, the drivers or a front end."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from .base import (Index, IndexConfigError, IndexFailure, IndexMissing, IndexUnavailable, SearchRequest,
                   SearchResult, WriteResult)
from .document import ActionRef, Article, EntityRef, StatementRef, content_hash
from .query import QueryError, parse

DEFAULT_INDEX = "sqlite:///data/policywatch.db"


def open_index(url: str | None = None, create: bool = True, **options) -> Index:
    """Open a backend from its URL: sqlite:///relative/path, sqlite:////abs/path, http(s)://host:port[/name].

    create=False: an index that does not exist yet raises IndexMissing instead of being made
    (only a crawl or an import should bring one into being; a search on a typo'd path must not)."""
    url = url or DEFAULT_INDEX
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        path = url[len("sqlite:///"):] if url.startswith("sqlite:///") else ""
        if not path:
            raise IndexConfigError(f"bad index URL '{url}': use sqlite:///PATH")
        return _sqlite(path, create)
    if scheme in ("http", "https"):
        try:
            from .elastic import ElasticIndex
        except ImportError as exc:
            raise IndexConfigError(f"the Elasticsearch backend is not available: {exc}") from exc
        index = ElasticIndex.from_url(url, **options)
        if not create and not index.exists():
            index.close()
            raise IndexMissing(index.location)
        return index
    if not scheme and url.endswith((".db", ".sqlite", ".sqlite3")):
        return _sqlite(url, create)
    raise IndexConfigError(f"bad index URL '{url}': use sqlite:///PATH or http(s)://HOST:PORT[/NAME]")


def _sqlite(path: str, create: bool) -> Index:
    from .sqlite import SQLiteIndex
    if not create and path != ":memory:" and not Path(path).is_file():
        raise IndexMissing(str(Path(path).absolute()))
    return SQLiteIndex(path)


__all__ = ["open_index", "Index", "Article", "EntityRef", "ActionRef", "StatementRef", "content_hash", "parse",
           "QueryError", "SearchRequest", "SearchResult", "WriteResult", "IndexFailure",
           "IndexUnavailable", "IndexConfigError", "IndexMissing", "DEFAULT_INDEX"]
