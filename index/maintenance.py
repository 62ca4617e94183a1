"""Index upkeep behind `policywatch flush`, `reindex` and `copy`: one function per command."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Callable

from . import open_index
from .base import IndexConfigError, ReindexResult, WriteResult
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
        return index.flush()
    finally:
        index.close()


def reindex(url: str, **options) -> ReindexResult:
    """Rebuild a collection into its next version with no search downtime (Elasticsearch; see
    ElasticIndex.reindex)."""
    index = open_index(url, **options)
    try:
        return index.reindex()
    finally:
        index.close()


def copy(from_url: str, to_url: str, batch: int = COPY_BATCH,
         progress: Callable[[CopyResult], None] | None = None, **options) -> CopyResult:
    """Every article of one index into another, any backends, in batches; same ids, so copying
    twice updates nothing. Entities, mention sentences and actions come along."""
    if from_url == to_url:
        raise IndexConfigError("copy needs two different indexes")
    source = open_index(from_url, create=False, **options)      # the target is created, like an import
    try:
        target = open_index(to_url, **options)
        try:
            result = CopyResult(from_url, to_url)
            with target.bulk_load():
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
            return result
        finally:
            target.close()
    finally:
        source.close()
