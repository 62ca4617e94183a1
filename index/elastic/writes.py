"""The write path: bulk writes through the alias (parallel streams for big writes), revisions
of changed articles, story clusters of new ones (clusters.py), and the spool: nothing is
lost when the node is down or refuses writes — articles, URL states and runs go to a local
spool (index/spool.py), one warning is logged, and the next write once the node answers — or
`flush()` — replays them. Same ids, so a replay never duplicates."""
from __future__ import annotations

import logging
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from typing import Iterable

import orjson
from elasticsearch import ApiError, TransportError

from common.dates import now_iso
from . import docs
from .client import streaming_bulk
from .. import planner
from ..base import IndexFailure, IndexUnavailable, UrlState, WriteResult
from ..document import Article
from . import errors
from .errors import describe, transient
from .state import run_from_doc

logger = logging.getLogger(__name__)

_PREVIOUS = ["fetched", "title", "body", "content_hash", "cluster", "first_seen", "indexed", "fingerprint", "dedup_bands",
             "detail.revisions"]


class _SpoolInstead(Exception):
    """Internal: the node cannot take these articles now; spool them."""

    def __init__(self, reason: str, pending: list[Article]):
        super().__init__(reason)
        self.reason, self.pending = reason, pending



class Writes:
    """ElasticIndex's writing half (self.client, self.spool, self.clusters, self.state)."""

    def content_hashes(self, ids: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        if time.monotonic() >= self._down_until:
            try:
                found = {aid: d.get("content_hash", "") for aid, d in self.run(self._stored, ids, ["content_hash"]).items()}
            except IndexUnavailable as exc:
                self._went_down(exc)
        found.update(self.spool.hashes(ids))      # a spooled version is newer than the stored one
        return found

    def write(self, articles: Iterable[Article], rewrite: bool = False) -> WriteResult:
        articles = list(articles)
        result = WriteResult()
        if not articles:
            return result
        try:
            if time.monotonic() < self._down_until:
                raise _SpoolInstead(self._down_reason, articles)
            self._try(lambda: self._ready or self._setup(), articles)
            if self._replay_after is not None and time.monotonic() >= self._replay_after:
                self._replay(WriteResult())
            self._write_now(articles, result, rewrite)
        except _SpoolInstead as exc:
            # Spooled articles replay as plain writes: a rewrite of unchanged text waits for the
            # next reprocess (the caller sees `spooled`).
            self._to_spool(exc.pending, exc.reason, result)
        return result

    def _try(self, call, pending: list[Article]):
        """Run a call on the write path: a refusal of the request itself raises IndexFailure;
        anything that says the node cannot take it now raises _SpoolInstead (spool `pending`)."""
        try:
            return call()
        except (TransportError, ApiError) as exc:
            if isinstance(exc, ApiError) and not transient(exc.status_code, None):
                raise IndexFailure(f"{self.client.product} at {self.location} refused the request: {exc}") from exc
            self._went_down(exc)
            raise _SpoolInstead(describe(exc), pending) from exc

    def _write_now(self, articles: list[Article], result: WriteResult, rewrite: bool = False) -> None:
        """Write to the node; raises _SpoolInstead with what it could not take (spool those)."""
        stored = {aid: d.get("content_hash") for aid, d in
                  self._try(lambda: self._stored(list(dict.fromkeys(a.id for a in articles)), ["content_hash"]),
                            articles).items()}
        # one action per id (its last version); outcomes as if written one by one
        latest, outcomes = planner.plan_batch(articles, stored, rewrite)
        steps = {aid: planner.plan(stored.get(aid), a, rewrite) for aid, a in latest.items()}
        changed = [aid for aid, step in steps.items() if step.outcome == planner.UPDATED]
        previous = self._try(lambda: self._stored(changed, _PREVIOUS), articles) if changed else {}
        fresh = [latest[aid] for aid, step in steps.items() if step.outcome == planner.NEW]
        placer = self._try(lambda: self.clusters.placer(fresh), articles)
        stamp = now_iso()             # the batch's new articles were indexed now (what alerts call new)

        def action(aid: str) -> dict:
            a, step = latest[aid], steps[aid]
            if step.touch_only:                             # unchanged: only note when it was fetched
                return {"_op_type": "update", "_index": self.name, "_id": aid, "doc": {"fetched": a.fetched}}
            if step.outcome == planner.NEW:
                cluster, seen, fingerprint, bands = placer.place(a)
                doc = docs.to_doc(a, cluster=cluster, first_seen=seen, fingerprint=fingerprint, bands=bands,
                                  revisions=[], indexed=stamp)
            else:                                           # changed: keep the version we had
                old = previous.get(aid, {})
                body = old.get("body") or ""
                kept = (old.get("detail") or {}).get("revisions", []) + ([
                    {"fetched": old.get("fetched"), "title": old.get("title", ""),
                     "body": body.split("\n\n") if body else [], "content_hash": old.get("content_hash", "")}]
                    if step.keep_revision else [])
                doc = docs.to_doc(a, cluster=old.get("cluster") or aid, first_seen=old.get("first_seen") or now_iso(),
                                  fingerprint=old.get("fingerprint"), bands=old.get("dedup_bands") or [],
                                  revisions=kept, indexed=old.get("indexed"))
            # serialised here, by orjson: 10 µs a document where json took 53
            return {"_op_type": "index", "_index": self.name, "_id": aid, "_source": orjson.dumps(doc).decode()}

        def send(chunk: list[dict]) -> tuple[list[tuple[bool, dict]], TransportError | None]:
            replies = []
            try:
                for ok, item in streaming_bulk(
                        self.client, chunk, chunk_size=len(chunk), max_chunk_bytes=50 * 1024 * 1024,
                        raise_on_error=False, raise_on_exception=False, max_retries=3, initial_backoff=0.5,
                        max_backoff=4):
                    replies.append((ok, next(iter(item.values()))))
            except TransportError as exc:
                return replies, exc
            return replies, None

        # Documents are built (new articles placed in their story clusters) in order, here, while
        # the chunks before them are on the node, bulk_streams requests at a time: the node's
        # indexing overlaps this thread's work.
        sent: list[tuple[list[tuple[bool, dict]], TransportError | None]] = []
        with ThreadPoolExecutor(self.bulk_streams, thread_name_prefix="pw-bulk") as pool:
            waiting: deque = deque()
            built = map(action, latest)
            while (chunk := list(islice(built, self.chunk_size))) and not any(error for _, error in sent):
                waiting.append(pool.submit(send, chunk))
                if len(waiting) > self.bulk_streams:
                    sent.append(waiting.popleft().result())
            sent += [future.result() for future in waiting]

        done: set[str] = set()
        retry: list[Article] = []
        reasons: list[str] = []
        for ok, info in (reply for replies, _ in sent for reply in replies):
            aid = info.get("_id")
            done.add(aid)
            if ok:
                for outcome in outcomes[aid]:
                    setattr(result, outcome, getattr(result, outcome) + 1)
            elif transient(info.get("status"), info.get("error")):
                retry.append(latest[aid])
                reasons.append(errors.reason(info.get("error") or info.get("exception")))
            else:
                result.failed.append((latest[aid].url, errors.reason(info.get("error"))))
                logger.error("%s rejected %s: %s", self.client.product, latest[aid].url, errors.reason(info.get("error")))
        broken = next((error for _, error in sent if error is not None), None)
        if broken is not None:
            self._went_down(broken)
            raise _SpoolInstead(describe(broken), retry + [a for aid, a in latest.items() if aid not in done])
        if retry:
            raise _SpoolInstead(reasons[0], retry)
        self._down_until = 0.0

    def _went_down(self, exc: Exception) -> None:
        self._down_until = time.monotonic() + self.retry_after
        self._down_reason = describe(exc)

    def _to_spool(self, articles: list[Article], reason: str, result: WriteResult) -> None:
        self.spool.put(articles, reason)
        result.spooled += len(articles)
        self._spooled(reason)

    def _spooled(self, reason: str) -> None:
        self._spooled_here = True
        self._replay_after = time.monotonic() + self.retry_after
        if not self._warned:
            self._warned = True
            logger.warning("%s at %s cannot take writes now (%s): spooling them to %s; the next crawl "
                           "or `policywatch flush --index %s` writes them", self.client.product, self.location, reason, self.spool.path,
                           self.location)

    def _replay(self, result: WriteResult) -> WriteResult:
        """Write what the spool holds, oldest first; stop (keeping the rest) if the node fails again."""
        self._replay_after = None
        replayed = 0
        for batch in self.spool.batches(self.chunk_size):
            articles = [a for _, a in batch]
            try:
                self._write_now(articles, result)
            except _SpoolInstead as exc:
                pending = {a.id for a in exc.pending}
                self.spool.remove([seq for seq, a in batch if a.id not in pending])
                return self._replay_stopped(result, exc.reason)
            self.spool.remove([seq for seq, _ in batch])
            replayed += len(batch)
        try:
            states, runs = self.spool.records("url_state"), self.spool.records("run")
            if states:
                self.run(self.state.save_url_states, [UrlState(**r) for r in states.values()])
                self.spool.remove_records("url_state", states)
            if runs:
                self.run(self.state.record_runs, [run_from_doc(r) for r in runs.values()])
                self.spool.remove_records("run", runs)
        except IndexUnavailable as exc:
            return self._replay_stopped(result, str(exc))
        if replayed:
            logger.info("replayed %d spooled articles into %s", replayed, self.location)
        return result

    def _replay_stopped(self, result: WriteResult, reason: str) -> WriteResult:
        result.spooled = self.spool.count()
        self._replay_after = time.monotonic() + self.retry_after
        logger.info("replaying the spool %s stopped (%s); %d articles still wait", self.spool.path, reason,
                    result.spooled)          # the one warning was given when they were spooled
        return result

    def flush(self) -> WriteResult:
        """Write everything spooled now. `spooled` in the result: articles that still wait."""
        self.run(lambda: None)                            # unreachable: IndexUnavailable
        self._down_until = 0.0
        result = self._replay(WriteResult())
        self.refresh()
        return result

    def pending(self) -> int:
        """Articles waiting in the spool."""
        return self.spool.count()
