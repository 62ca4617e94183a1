"""The index stage: one interface (`base.Index`), two backends, one query language."""
from __future__ import annotations

from urllib.parse import urlsplit

from .base import (Index, IndexConfigError, IndexError_, IndexUnavailable, SearchRequest,
                   SearchResult, WriteResult)
from .document import ActionRef, Article, EntityRef, content_hash
from .query import QueryError, parse

DEFAULT_INDEX = "sqlite:///data/policywatch.db"


def open_index(url: str | None = None, **options) -> Index:
    """Open a backend from its URL: sqlite:///relative/path, sqlite:////abs/path, http(s)://host:port[/name]."""
    url = url or DEFAULT_INDEX
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        from .sqlite import SQLiteIndex
        path = url[len("sqlite:///"):] if url.startswith("sqlite:///") else ""
        if not path:
            raise IndexConfigError(f"bad index URL '{url}': use sqlite:///PATH")
        return SQLiteIndex(path)
    if scheme in ("http", "https"):
        try:
            from .elastic import ElasticIndex
        except ImportError as exc:
            raise IndexConfigError(f"the Elasticsearch backend is not available: {exc}") from exc
        return ElasticIndex.from_url(url, **options)
    if not scheme and url.endswith((".db", ".sqlite", ".sqlite3")):
        from .sqlite import SQLiteIndex
        return SQLiteIndex(url)
    raise IndexConfigError(f"bad index URL '{url}': use sqlite:///PATH or http(s)://HOST:PORT[/NAME]")


__all__ = ["open_index", "Index", "Article", "EntityRef", "ActionRef", "content_hash", "parse",
           "QueryError", "SearchRequest", "SearchResult", "WriteResult", "IndexError_",
           "IndexUnavailable", "IndexConfigError", "DEFAULT_INDEX"]
