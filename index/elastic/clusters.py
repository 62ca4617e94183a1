"""Story clusters on Elasticsearch, decided as SQLite decides them (index/sqlite/writes.py): a new
article's near-duplicate candidates are the articles listed under its MinHash LSH bands
(index/dedup.py), each band listing only its first dedup.BAND_CANDIDATES articles — an article
is listed (dedup_bands) under those of its bands not yet full — and the planner
(index/planner.py) picks the cluster.

The cost is per write() batch, not per article: one search finds what every band of the batch
lists, and the batch's own articles, which may be copies of each other, are placed here in order,
so the clusters are those of writing them one at a time. What this process listed since the last
refresh (not yet searchable) is remembered; past RECENT_LIMIT articles the alias is refreshed
instead, so a long bulk load with its periodic refresh off keeps a bounded memory.

Every hit a search finds costs the node ~50 µs (a search for bands nobody lists costs next to
nothing), so no band is searched whose listing cannot have changed: a full band's is final
(articles are listed only under bands not yet full, and a changed article keeps its bands), and
in a bulk load no band the writer knows gains a listing but its own. Searching them again after
each refresh took a 100,000-article bulk load from 2,700/s to 470/s past its first refresh."""
from __future__ import annotations

from elasticsearch import Elasticsearch

from .. import dedup, planner
from ..document import Article

RECENT_LIMIT = 20_000   # articles listed since the last refresh before the writer refreshes
FULL_LIMIT = 200_000    # bands kept across a refresh (the most recently used; ~50 MB at most)
PAGE = 10_000           # hits a search returns (the node's index.max_result_window)
TERMS = 60_000          # band keys a search asks for (the node's index.max_terms_count is 65,536)

Entry = tuple            # (first_seen, id, cluster, signature as dedup.to_bytes, or None)


class Clusters:
    def __init__(self, client: Elasticsearch, alias: str):
        self.client, self.alias = client, alias
        # band → what it lists as far as this process knows: what the searches found and what it
        # listed itself since the refresh (entries are never removed from a band, only added)
        self.bands: dict[str, list[Entry]] = {}
        self.unrefreshed = 0                          # articles listed since the refresh
        self.sole_writer = False                      # set by the backend's bulk_load

    def placer(self, articles: list[Article]) -> "Placer":
        """Get ready to place these new articles (one version of each id): the one search for
        what their bands list. Place them in this order with Placer.place."""
        if self.unrefreshed >= RECENT_LIMIT:
            self.client.indices.refresh(index=self.alias)
            self.forget_recent()
        signatures = {a.id: planner.signature(a) for a in articles}
        keys = {aid: dedup.band_keys(sig) for aid, sig in signatures.items() if sig is not None}
        self._look_up({key for bands in keys.values() for key in bands if not self._settled(key)})
        return Placer(self, signatures, keys)

    def _look_up(self, keys: set[str]) -> None:
        """Add what the searchable articles list under `keys` to self.bands: each band's first
        BAND_CANDIDATES by (first_seen, id). Bands are written with at most that many; an index
        written before they were bounded lists every article under all 16 bands, and the searches
        stop after as many hits as bounded bands could hold."""
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
        for band, stored in found.items():
            entries = self.bands.setdefault(band, [])
            known = {e[1] for e in entries}
            entries += [e for e in stored if e[1] not in known]
            if len(entries) > dedup.BAND_CANDIDATES:
                entries.sort(key=lambda e: (e[0], e[1]))
                del entries[dedup.BAND_CANDIDATES:]

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

    def _settled(self, band: str) -> bool:
        """Whether what this process knows of the band is all there is: a full band's listing
        never changes; in a bulk load (this process the collection's one writer) no band does but
        by this process's own listings. Other bands are searched, to see other writers' listings."""
        entries = self.bands.get(band)
        if entries is None:
            return False
        self.bands[band] = self.bands.pop(band)         # recently used: kept longest
        return self.sole_writer or len(entries) >= dedup.BAND_CANDIDATES

    def forget_recent(self) -> None:
        """After a refresh every article written so far is searchable: bands still open are read
        again when next needed (not in a bulk load, where nothing was listed but by this process);
        the FULL_LIMIT most recently used bands are kept."""
        kept = self.bands.items() if self.sole_writer else (
            (band, entries) for band, entries in self.bands.items() if len(entries) >= dedup.BAND_CANDIDATES)
        self.bands = dict(list(kept)[-FULL_LIMIT:])
        self.unrefreshed = 0


class Placer:
    """One batch's new articles, placed one at a time as their documents are built (the bulk
    requests of the first are on their way while the next are placed)."""

    def __init__(self, clusters: Clusters, signatures: dict, keys: dict[str, list[str]]):
        self.clusters, self.signatures, self.keys = clusters, signatures, keys

    def place(self, a: Article) -> tuple[str, str, str | None, list[str]]:
        """(cluster, first_seen, fingerprint hex, the bands it is listed under)."""
        sig, seen = self.signatures[a.id], planner.first_seen(a)
        if sig is None:
            return a.id, seen, None, []
        listed = self.clusters.bands
        candidates = {}
        for band in self.keys[a.id]:
            for entry in listed.get(band, ()):
                candidates[entry[1]] = entry
        candidates.pop(a.id, None)
        cluster = planner.cluster_of(a.id, sig, candidates.values())
        entry = (seen, a.id, cluster, dedup.to_bytes(sig))
        open_bands = []
        for band in self.keys[a.id]:
            entries = listed.get(band)
            if entries is None:
                listed[band] = [entry]
            elif len(entries) < dedup.BAND_CANDIDATES:
                entries.append(entry)
            else:
                continue
            open_bands.append(band)
        self.clusters.unrefreshed += 1
        return cluster, seen, a.fingerprint or dedup.to_hex(sig), open_bands
