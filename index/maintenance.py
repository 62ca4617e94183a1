"""Index upkeep behind `policywatch flush`, `reindex` and `copy`: one function per command."""
from __future__ import annotations

import logging
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Callable

from . import open_index
from .base import IndexConfigError, IndexError_, WriteResult
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


@dataclass
class ReindexResult:
    alias: str
    old_index: str
    new_index: str
    documents: int


def reindex(url: str, **options) -> ReindexResult:
    """Rebuild an Elasticsearch collection into its next versioned index, with no search downtime:
    NAME-v(n+1) from the current template, every document copied by _reindex, the alias switched
    in one step, the old index deleted. Writes meanwhile meet a write block and are spooled, then
    replayed into the new index by the next write or `flush`."""
    index = open_index(url, **options)
    try:
        if not hasattr(index, "versions"):
            raise IndexConfigError(f"reindex is for Elasticsearch collections; {url} is embedded and "
                                   "upgrades its schema when opened")
        return index.run(_reindex, index)
    finally:
        index.close()


def _reindex(index) -> ReindexResult:
    from .elastic import load_template
    es, alias = index.client, index.name
    current = index.indices()
    if len(current) != 1:
        raise IndexConfigError(f"{index.location}: the alias points at {len(current)} indices; expected one")
    old = next(iter(current))
    new = f"{alias}-v{max([int(v.rsplit('-v', 1)[1]) for v in index.versions()] + [0]) + 1}"
    index.put_template()
    es.indices.create(index=new, settings={"index": {"refresh_interval": "-1"}})
    es.indices.add_block(index=old, block="write")
    try:
        es.indices.refresh(index=old)                  # _reindex reads by search: let it see every write
        copied = es.options(request_timeout=24 * 3600).reindex(
            source={"index": old}, dest={"index": new}, wait_for_completion=True, refresh=True)
        if copied.get("failures"):
            raise IndexError_(f"reindexing {old} into {new} failed: {copied['failures'][:3]}")
        refresh = load_template()["template"]["settings"]["index"]["refresh_interval"]
        es.indices.put_settings(index=new, settings={"index": {"refresh_interval": refresh}})
        es.indices.refresh(index=new)
        before, after = es.count(index=old)["count"], es.count(index=new)["count"]
        if before != after:
            raise IndexError_(f"reindexing {old} into {new} copied {after} of {before} documents")
        es.indices.update_aliases(actions=[{"remove": {"index": old, "alias": alias}},
                                           {"add": {"index": new, "alias": alias}}])
    except BaseException:
        es.indices.put_settings(index=old, settings={"index": {"blocks": {"write": False}}})
        es.indices.delete(index=new, ignore_unavailable=True)
        raise
    es.indices.delete(index=old)
    logger.info("reindexed %d documents of %s from %s into %s", after, alias, old, new)
    return ReindexResult(alias, old, new, after)


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
            bulk = getattr(target, "bulk_load", None)
            with bulk() if bulk else nullcontext():
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
