"""Story clusters on Elasticsearch, decided as SQLite decides them (index/sqlite/writes.py): a new
article's near-duplicate candidates are the articles listed under its MinHash LSH bands (what
this writer knows of them: index/bands.py) and the planner (index/planner.py) picks the cluster.

The cost is per write() batch, not per article: one search finds what every band of the batch
lists that the writer must read again, and the batch's own articles, which may be copies of each
other, are placed here in order, so the clusters are those of writing them one at a time. What
this process listed since the last refresh (not yet searchable) is remembered; past RECENT_LIMIT
articles the alias is refreshed instead (in a bulk load, only once it remembers more than
bands.LIMIT bands), so a long bulk load with its periodic refresh off keeps a bounded memory.

Every hit a search finds costs the node ~50 µs (a search for bands nobody lists costs next to
nothing), so no band is searched whose listing cannot have changed (bands.py). Searching them
again after each refresh took a 100,000-article bulk load from 2,700/s to 470/s past its first
refresh."""
from __future__ import annotations


from .. import dedup, planner
from ..bands import Entry, Listings
from ..document import Article
from .client import Client

RECENT_LIMIT = 20_000   # articles listed since the last refresh before the writer refreshes
PAGE = 10_000           # hits a search returns (the node's index.max_result_window)
TERMS = 60_000          # band keys a search asks for (the node's index.max_terms_count is 65,536)


class Clusters:
    def __init__(self, client: Client, alias: str):
        self.client, self.alias = client, alias
        self.listings = Listings()     # what the searches found and what this process listed since
        self.unrefreshed = 0           # articles listed since the refresh

    def placer(self, articles: list[Article]) -> "Placer":
        """Get ready to place these new articles (one version of each id): the one search for
        what their bands list. Place them in this order with Placer.place."""
        if self.unrefreshed >= RECENT_LIMIT and (not self.listings.sole_writer or self.listings.crowded()):
            # In a bulk load no band is read again, so a refresh only makes room: each stalled
            # the load ~2 s (segments for 20,000 documents), 15% of a 100,000-article load.
            self.client.indices.refresh(index=self.alias)
            self.forget_recent()
        if self.listings.complete:
            # nothing to look up (bands.py): each signature is read as its article is placed,
            # while the chunks before it are on the node, not all of them before the first is sent
            return Placer(self, None)
        signed = {a.id: planner.signed(a) for a in articles}
        self._look_up(self.listings.unknown(key for _, keys in signed.values() for key in keys))
        return Placer(self, signed)

    def _look_up(self, keys: set[str]) -> None:
        """Learn what the searchable articles list under `keys`. The searches stop after as many
        hits as bounded bands could hold."""
        found: dict[str, list[Entry]] = {}
        ordered = sorted(keys)
        for start in range(0, len(ordered), TERMS):
            chunk = ordered[start:start + TERMS]
            for d in self._search(chunk, limit=dedup.BAND_CANDIDATES * len(chunk)):
                entry = (d.get("first_seen") or "", d["id"], d.get("cluster") or d["id"],
                         bytes.fromhex(d["fingerprint"]) if d.get("fingerprint") else None)
                for band in d.get("dedup_bands") or []:
                    if band in keys:
                        found.setdefault(band, []).append(entry)
        self.listings.learn(found)

    def _search(self, keys: list[str], limit: int):
        """The searchable articles listed under any of `keys`, earliest first, at most `limit`."""
        after, left = None, limit
        while left > 0:
            size = min(PAGE, left)
            hits = self.client.search(
                index=self.alias, query={"terms": {"dedup_bands": keys}}, size=size, search_after=after,
                sort=[{"first_seen": "asc"}, {"id": "asc"}], track_total_hits=False,
                source=["id", "cluster", "first_seen", "fingerprint", "dedup_bands"])["hits"]["hits"]
            yield from (hit["_source"] for hit in hits)
            if len(hits) < size:
                return
            left -= size
            after = hits[-1]["sort"]

    def forget_recent(self) -> None:
        """After a refresh every article written so far is searchable: bands still open are read
        again when next needed (bands.py)."""
        self.listings.forget()
        self.unrefreshed = 0


class Placer:
    """One batch's new articles, placed one at a time as their documents are built (the bulk
    requests of the first are on their way while the next are placed)."""

    def __init__(self, clusters: Clusters, signed: dict[str, tuple] | None):
        """`signed`: planner.signed() of each article by id, or None: read each as it is placed."""
        self.clusters, self.signed = clusters, signed

    def place(self, a: Article) -> tuple[str, str, str | None, list[str]]:
        """(cluster, first_seen, fingerprint hex, the bands it is listed under)."""
        sig, keys = planner.signed(a) if self.signed is None else self.signed[a.id]
        seen = planner.first_seen(a)
        cluster, entry, bands = self.clusters.listings.place(a.id, sig, keys, seen)
        if entry is None:
            return cluster, seen, None, []
        self.clusters.listings.list(entry, bands)
        self.clusters.unrefreshed += 1
        return cluster, seen, a.fingerprint or dedup.to_hex(sig), bands
