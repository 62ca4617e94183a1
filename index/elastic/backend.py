"""The Elasticsearch backend: the same interface and the same answers as index/sqlite/.

    http(s)://[user:pass@]HOST:PORT[/NAME]     NAME: the collection's alias (default policywatch-articles)

Articles live in versioned indices NAME-v1, NAME-v2… made from the index template in
index/elastic/template.json; everything reads and writes through the alias, so a reindex
(index/maintenance.py) builds the next version and switches with no search downtime. URL states
and crawl runs live beside it in NAME.urls and NAME.runs (index/elastic/state.py). Setup is lazy and
idempotent: opening never contacts the node. ElasticIndex joins the package's parts: schema.py,
writes.py (and the spool), query.py (the compiler), search.py, state.py, clusters.py and leases.py.
"""
from __future__ import annotations

import logging
import re
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

from elasticsearch import ApiError, NotFoundError, TransportError

from ..base import IndexConfigError, IndexFailure, IndexUnavailable, ReindexResult
from ..spool import Spool, spool_path
from .leases import Leases
from .schema import Schema, load_template
from .search import Search
from .client import Client
from .clusters import Clusters
from .state import CrawlState, State
from .alerts import Alerts
from .errors import describe
from .writes import Writes

logger = logging.getLogger(__name__)

DEFAULT_NAME = "policywatch-articles"
DEFAULT_SPOOL_DIR = "data/spool"
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,200}$")


def _parse_nodes(url: str) -> tuple[list[str], str, tuple[str, str] | None]:
    """(node URLs, collection NAME, basic auth) from `http(s)://[user:pass@]HOST:PORT[,HOST:PORT…][/NAME]`;
    each extra node may be written as a whole URL or as HOST:PORT."""
    usage = ("use http(s)://[user:pass@]HOST:PORT[/NAME] (several nodes: http://n1:9200,http://n2:9200/NAME), "
             "NAME in lower-case letters, digits, '-' and '_'")
    head, *more = url.split(",")
    scheme = urlsplit(head).scheme
    last = more[-1] if more else head
    if more and "://" not in last:
        last = f"{scheme}://{last}"
    name = urlsplit(last).path.strip("/") or DEFAULT_NAME
    nodes, auth = [], None
    for part in [head, *more]:
        parts = urlsplit(part if "://" in part else f"{scheme}://{part}")
        try:
            host, port = parts.hostname, parts.port or 9200
        except ValueError as exc:
            raise IndexConfigError(f"bad index URL '{url}': {exc}") from None
        if not host or parts.scheme not in ("http", "https") or parts.query or parts.fragment \
                or (parts.path.strip("/") and part is not last and parts.path.strip("/") != name):
            raise IndexConfigError(f"bad index URL '{url}': {usage}")
        if parts.username and auth is None:
            auth = (unquote(parts.username), unquote(parts.password or ""))
        host_text = f"[{host}]" if ":" in host else host
        nodes.append(f"{parts.scheme}://{host_text}:{port}")
    if not NAME_RE.match(name):
        raise IndexConfigError(f"bad index URL '{url}': {usage}")
    return nodes, name, auth



class ElasticIndex(Schema, Writes, Search, State, Alerts):
    def __init__(self, client: Client, name: str, location: str, spool: Spool,
                 retry_after: float = 30.0, chunk_size: int = 500, bulk_streams: int = 2):
        self.client, self.name, self.location = client, name, location
        self.spool = spool
        self.retry_after = retry_after          # after a failure, spool without trying for this long
        self.chunk_size = chunk_size            # documents per bulk request
        self.bulk_streams = bulk_streams        # concurrent bulk requests in one big write
        self.clusters = Clusters(client, name)
        self.listings = self.clusters.listings  # what this writer knows of the band listings, as SQLiteIndex's
        self.state = CrawlState(client, name, self._scan)
        self.leases = Leases(client, name, run=self.run)
        self._ready = False
        self._down_until = 0.0
        self._down_reason = ""
        # when to replay the spool on a write: None = nothing spooled; a file left by an earlier run: at once
        self._replay_after: float | None = 0.0 if spool.path.exists() else None
        self._warned = False
        self._spooled_here = False              # this process spooled something (see close)

    @classmethod
    def from_url(cls, url: str, api_key: str | None = None, ca_certs: str | None = None,
                 spool_dir: str | Path | None = None, request_timeout: float = 30.0, **unknown) -> "ElasticIndex":
        """`http://n1:9200/NAME`, or several nodes of one cluster: `http://n1:9200,http://n2:9200/NAME`
        (the client spreads requests over them and retries a request on another node when one
        is lost)."""
        if unknown:
            raise IndexConfigError(f"unknown Elasticsearch option(s): {', '.join(sorted(unknown))}")
        nodes, name, auth = _parse_nodes(url)
        client = Client(nodes, auth, api_key=api_key, ca_certs=ca_certs, request_timeout=request_timeout)
        first = urlsplit(nodes[0])
        spool = Spool(spool_path(spool_dir or DEFAULT_SPOOL_DIR, f"{first.hostname}-{first.port}", name))
        return cls(client, name, f"{','.join(nodes)}/{name}", spool)

    def run(self, call, *args, **kwargs):
        """Call the node (set up first if need be); its errors become the index's own."""
        try:
            if not self._ready:
                self._setup()
            return call(*args, **kwargs)
        except TransportError as exc:
            raise IndexUnavailable(f"{self.client.product} at {self.location} is unreachable: {describe(exc)}") from exc
        except ApiError as exc:
            if exc.status_code in (429, 502, 503, 504):
                raise IndexUnavailable(f"{self.client.product} at {self.location} is unavailable: {exc}") from exc
            raise IndexFailure(f"{self.client.product} at {self.location} refused the request: {exc}") from exc

    def _search(self, **body) -> dict:
        return self.run(lambda: self.client.search(index=self.name, **body).body)

    def _stored(self, ids: list[str], fields: list[str]) -> dict[str, dict]:
        found = {}
        for start in range(0, len(ids), 1000):
            response = self.client.mget(index=self.name, ids=ids[start:start + 1000], source=fields)
            found.update({d["_id"]: d["_source"] for d in response["docs"] if d.get("found")})
        return found

    @contextmanager
    def bulk_load(self):
        """For a big load (copy, benchmarks): no periodic refresh until it is done, then one
        refresh. Searches meanwhile see the collection as it was before the load, or as the
        writer last refreshed it (when what it remembers of the story clusters outgrows
        bands.LIMIT: clusters.py). The writer is taken to be the collection's only one:
        story clusters see no other process's articles written meanwhile. The node syncs its
        translog every 5 s instead of at each bulk request (15% less node CPU per article): if
        it crashes mid-load, the last seconds of the load are lost, and the load is run again."""
        def settings(refresh, durability):
            self.client.indices.put_settings(index=self.name, settings={
                "index": {"refresh_interval": refresh, "translog": {"durability": durability}}})
        self.run(settings, "-1", "async")
        try:
            with self.listings.sole(self.run(self._lists_nothing)):
                yield self
        finally:
            self.run(settings, load_template()["template"]["settings"]["index"]["refresh_interval"], "request")
            self.refresh()

    def _lists_nothing(self) -> bool:
        """No article in the collection is listed under a near-duplicate band (after a refresh,
        so this process's own latest writes count)."""
        self.client.indices.refresh(index=self.name)
        return self.client.count(index=self.name, query={"exists": {"field": "dedup_bands"}})["count"] == 0

    def reindex(self) -> ReindexResult:
        """Rebuild the collection into its next versioned index, with no search downtime:
        NAME-v(n+1) from the current template, every document copied by _reindex, the alias
        switched in one step, the old index deleted. Writes meanwhile meet a write block and are
        spooled, then replayed into the new index by the next write or `flush`."""
        return self.run(self._reindex)

    def _reindex(self) -> ReindexResult:
        es, alias = self.client, self.name
        current = self.indices()
        if len(current) != 1:
            raise IndexConfigError(f"{self.location}: the alias points at {len(current)} indices; expected one")
        old = next(iter(current))
        new = f"{alias}-v{max([int(v.rsplit('-v', 1)[1]) for v in self.versions()] + [0]) + 1}"
        self.put_template()
        es.indices.create(index=new, settings={"index": {"refresh_interval": "-1"}})
        es.indices.add_block(index=old, block="write")
        try:
            es.indices.refresh(index=old)                  # _reindex reads by search: let it see every write
            copied = es.options(request_timeout=24 * 3600).reindex(
                source={"index": old}, dest={"index": new}, wait_for_completion=True, refresh=True)
            if copied.get("failures"):
                raise IndexFailure(f"reindexing {old} into {new} failed: {copied['failures'][:3]}")
            refresh = load_template()["template"]["settings"]["index"]["refresh_interval"]
            es.indices.put_settings(index=new, settings={"index": {"refresh_interval": refresh}})
            es.indices.refresh(index=new)
            before, after = es.count(index=old)["count"], es.count(index=new)["count"]
            if before != after:
                raise IndexFailure(f"reindexing {old} into {new} copied {after} of {before} documents")
            es.indices.update_aliases(actions=[{"remove": {"index": old, "alias": alias}},
                                               {"add": {"index": new, "alias": alias}}])
        except BaseException:
            es.indices.put_settings(index=old, settings={"index": {"blocks": {"write": False}}})
            es.indices.delete(index=new, ignore_unavailable=True)
            raise
        es.indices.delete(index=old)
        logger.info("reindexed %d documents of %s from %s into %s", after, alias, old, new)
        return ReindexResult(alias, old, new, after)

    def refresh(self) -> None:
        self.run(lambda: self.client.indices.refresh(index=[self.name] + self.state.indices(),
                                                     ignore_unavailable=True))
        self.clusters.forget_recent()

    def drop(self) -> None:
        """Delete the collection: its versioned indices, the alias, the template, URL states and
        crawl runs, and the spool."""
        def delete():
            for index in sorted(set(self.indices()) | set(self.versions())):
                self.client.indices.delete(index=index, ignore_unavailable=True)
            self.state.delete()
            self.leases.delete()
            try:
                self.client.indices.delete_index_template(name=self.name)
            except NotFoundError:
                pass
        self.run(delete)
        self._ready = False
        self.spool.delete()

    def close(self) -> None:
        waiting = self.spool.count() if self._replay_after is not None else 0
        still_down = ""
        if waiting and self._spooled_here:
            # spooled during this run (a node lost mid-crawl, a write block): the cluster has often
            # recovered by now, so replay once rather than leave it all for `policywatch flush`.
            # No second warning if it has not: the spooling one already said what happened.
            try:
                self.flush()
            except IndexFailure as exc:
                still_down = f" ({exc})"
            waiting = self.spool.count()
        if waiting:
            logger.info("%d articles wait in %s for `policywatch flush`%s", waiting, self.spool.path, still_down)
        self.spool.close()
        self.client.close()
