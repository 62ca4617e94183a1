"""Index upkeep behind `policywatch flush`, `reindex` and `copy`: one function per command."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Callable

from . import open_index
from .base import IndexConfigError, WriteResult
from .query import MatchAll

logger = logging.getLogger(__name__)

COPY_BATCH = 500


@dataclass
class CopyResult:
    source: str
    target: str
    read: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    spooled: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    def add(self, result: WriteResult) -> None:
        self.new += result.new
        self.updated += result.updated
        self.unchanged += result.unchanged
        self.spooled += result.spooled
        self.failed += result.failed


def flush(url: str, **options) -> WriteResult:
    """Write what the index's spool holds (articles kept while it was unavailable).
    An embedded index writes directly and has nothing to flush."""
    index = open_index(url, **options)
    try:
        flush_spool = getattr(index, "flush", None)
        return flush_spool() if flush_spool else WriteResult()
    finally:
        index.close()


def reindex(url: str, **options):
    """Rebuild an Elasticsearch collection into its next versioned index (see ElasticIndex.reindex)."""
    index = open_index(url, **options)
    try:
        rebuild = getattr(index, "reindex", None)
        if rebuild is None:
            raise IndexConfigError(f"reindex is for Elasticsearch collections; {url} is embedded and "
                                   "upgrades its schema when opened")
        return rebuild()
    finally:
        index.close()


def copy(from_url: str, to_url: str, batch: int = COPY_BATCH,
         progress: Callable[[CopyResult], None] | None = None, **options) -> CopyResult:
    """Every article of one index into another, any backends, in batches; same ids, so copying
    twice updates nothing. Entities, mention sentences and actions come along."""
    if from_url == to_url:
        raise IndexConfigError("copy needs two different indexes")
    source = open_index(from_url, **options)
    try:
        target = open_index(to_url, **options)
        try:
            result = CopyResult(from_url, to_url)
            pending = []
            for article in source.export(MatchAll()):
                pending.append(article)
                if len(pending) >= batch:
                    result.read += len(pending)
                    result.add(target.write(pending))
                    pending = []
                    if progress:
                        progress(result)
            if pending:
                result.read += len(pending)
                result.add(target.write(pending))
            refresh = getattr(target, "refresh", None)
            if refresh:
                refresh()
            return result
        finally:
            target.close()
    finally:
        source.close()
