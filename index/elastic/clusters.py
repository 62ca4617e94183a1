"""Story clusters on Elasticsearch, decided as SQLite decides them (index/sqlite/writes.py): a new
article's near-duplicate candidates are the articles listed under its MinHash LSH bands
(index/dedup.py), each band listing only its first dedup.BAND_CANDIDATES articles — an article
is listed (dedup_bands) under those of its bands not yet full — and the planner
(index/planner.py) picks the cluster.

The cost is per write() batch, not per article: one search finds what every band of the batch
lists, and the batch's own articles, which may be copies of each other, are placed here in order,
so the clusters are those of writing them one at a time. What this process listed since the last
refresh (not yet searchable) is remembered; past RECENT_LIMIT articles the alias is refreshed
instead, so a long bulk load with its periodic refresh off keeps a bounded memory. A full band is
never searched again: its listing cannot change (articles are listed only under bands not yet
full, and a changed article keeps its bands), so up to FULL_LIMIT of them outlive a refresh; in a
bulk load no band known to the writer is searched again. Reading what a search finds costs the
node ~50 µs a hit (it was 3-4x the rest of a bulk load's work past its first refresh), a
search for bands nobody lists next to nothing."""
from __future__ import annotations

from elasticsearch import ApiError, Elasticsearch

from .. import dedup, planner
from ..document import Article

RECENT_LIMIT = 20_000   # articles listed since the last refresh before the writer refreshes
FULL_LIMIT = 200_000    # full bands kept across a refresh (the newest; ~50 MB at most)
SIGNATURE_LIMIT = 100_000   # signatures of listed articles remembered (the newest; ~60 MB at most)
PAGE = 10_000           # hits a search returns (the node's index.max_result_window)
CHUNK = PAGE // dedup.BAND_CANDIDATES   # band keys a search asks for: its hits fit one page
SEARCHES = 64           # searches in one msearch request

Entry = tuple            # (first_seen, id, cluster, signature as dedup.to_bytes, or None)


class Clusters:
    def __init__(self, client: Elasticsearch, alias: str):
        self.client, self.alias = client, alias
        # band → what it lists as far as this process knows: what the searches found and what it
        # listed itself since the refresh (entries are never removed from a band, only added)
        self.bands: dict[str, list[Entry]] = {}
        self.unrefreshed = 0                          # articles listed since the refresh
        self.sole_writer = False                      # set by the backend's bulk_load
        self.signatures: dict[str, bytes | None] = {}  # listed article → signature (dedup.to_bytes)

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
        found: dict[str, list[str]] = {}
        hits: dict[str, dict] = {}
        for d in self._search(sorted(keys)):
            if d["id"] in hits:
                continue
            hits[d["id"]] = d
            for band in d["dedup_bands"]:
                if band in keys:
                    found.setdefault(band, []).append(d["id"])
        entries_of = self._entries(hits)
        for band, ids in found.items():
            entries = self.bands.setdefault(band, [])
            known = {e[1] for e in entries}
            entries += [entries_of[aid] for aid in ids if aid not in known]
            if len(entries) > dedup.BAND_CANDIDATES:
                entries.sort(key=lambda e: (e[0], e[1]))
                del entries[dedup.BAND_CANDIDATES:]

    def _search(self, keys: list[str]):
        """The searchable articles listed under any of `keys` (an article may come twice), their
        keyword fields from doc values only: loading a hit's stored source decompresses the block
        that holds its body, so signatures are read apart, for the few not known. One msearch of
        CHUNK keys a search, so that every search's hits fit one page: each page of a paged search
        looks up all its terms again, which cost ~17 µs a term on the node."""
        searches = []
        for start in range(0, len(keys), CHUNK):
            searches += [{"index": self.alias}, self._body(keys[start:start + CHUNK], PAGE)]
        for start in range(0, len(searches), 2 * SEARCHES):
            part = searches[start:start + 2 * SEARCHES]
            for body, reply in zip(part[1::2], self.client.msearch(searches=part)["responses"]):
                if "error" in reply:
                    raise ApiError(reply.get("status", 500), reply, reply["error"])
                hits = reply["hits"]["hits"]
                if len(hits) == PAGE:        # an index written before bands were bounded: page on
                    hits = list(self._paged(body["query"]["terms"]["dedup_bands"]))
                yield from (self._fields(hit) for hit in hits)

    def _body(self, keys: list[str], size: int, after=None) -> dict:
        body = {"query": {"terms": {"dedup_bands": keys}}, "size": size, "_source": False,
                "sort": [{"first_seen": "asc"}, {"id": "asc"}], "track_total_hits": False,
                "docvalue_fields": ["id", "cluster", "first_seen", "dedup_bands"]}
        return body | ({"search_after": after} if after else {})

    def _paged(self, keys: list[str]):
        """Every hit for `keys`, earliest first, up to as many as bounded bands could list."""
        after, left = None, dedup.BAND_CANDIDATES * len(keys)
        while left > 0:
            hits = self.client.search(index=self.alias, body=self._body(keys, min(PAGE, left), after))["hits"]["hits"]
            yield from hits
            if len(hits) < min(PAGE, left):
                return
            left -= len(hits)
            after = hits[-1]["sort"]

    @staticmethod
    def _fields(hit: dict) -> dict:
        got = hit.get("fields") or {}
        return {"id": got["id"][0], "cluster": (got.get("cluster") or got["id"])[0],
                "first_seen": (got.get("first_seen") or [""])[0], "dedup_bands": got.get("dedup_bands") or []}

    def _entries(self, hits: dict[str, dict]) -> dict[str, Entry]:
        """Entries for the articles found, with their signatures: from what this process listed
        or read before (a listed article's signature never changes), else one mget."""
        unknown = [aid for aid in hits if aid not in self.signatures]
        for start in range(0, len(unknown), PAGE):
            docs = self.client.mget(index=self.alias, ids=unknown[start:start + PAGE], source=["fingerprint"])["docs"]
            for doc in docs:
                fingerprint = (doc.get("_source") or {}).get("fingerprint")
                self._remember(doc["_id"], bytes.fromhex(fingerprint) if fingerprint else None)
        return {aid: (d["first_seen"], aid, d["cluster"], self.signatures.get(aid)) for aid, d in hits.items()}

    def _remember(self, aid: str, signature: bytes | None) -> None:
        self.signatures[aid] = signature
        if len(self.signatures) > SIGNATURE_LIMIT:
            del self.signatures[next(iter(self.signatures))]

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
        self.clusters._remember(a.id, entry[3])
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
