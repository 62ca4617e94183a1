"""Band listings: what each near-duplicate band (index/dedup.py: MinHash LSH) lists, as far as
one writer knows — the memory both backends' write paths place new articles with, so SQLite and
Elasticsearch find the same candidates and cluster alike (index/planner.py decides).

A band lists its first dedup.BAND_CANDIDATES articles: an article is listed under those of its
bands not yet full. So a full band's listing is final and is never read from the store again;
while the writer is the collection's only one (a bulk load) no band it knows changes but by its
own listings, so none is; other bands are read again before use, to see other writers' listings.
And if the store listed nothing when such a load began (a copy into a new collection), every
listing is this writer's own: no band is read at all, until one is forgotten (else each chunk
of 1,000 articles looks up its ~16,000 bands, and on a fresh collection finds nothing).
At 100,000 articles, reading every band of a 2,000-article batch again cost a third of a SQLite
write (~50,000 candidate signatures a batch). At most LIMIT bands are kept, the most recently
used: the bench's 100,000 articles list ~500,000 distinct bands, and keeping only 200,000 had
Elasticsearch read ~5,000 listings a batch again by its end (~75 µs each on the node: 1,075
articles/s over the last tenth against 2,100 keeping them all)."""
from __future__ import annotations

from contextlib import contextmanager
from itertools import islice
from typing import Iterable

from . import dedup, planner

Entry = tuple          # (first_seen, id, cluster, signature as dedup.to_bytes, or None)
LIMIT = 1_000_000      # bands kept (~200 MB at most)


class Listings:
    def __init__(self):
        # band → its entries, earliest listed first; insertion order is recency of use
        self.bands: dict[str, list[Entry]] = {}
        self.sole_writer = False          # set for a bulk load by the backend (sole())
        self.complete = False             # every listing the store holds is here (sole())

    @contextmanager
    def sole(self, store_lists_nothing: bool):
        """For a bulk load: this writer is the store's only one, and with `store_lists_nothing`
        (no band lists any article yet) everything the store will list is what it lists here."""
        self.sole_writer, self.complete = True, store_lists_nothing
        try:
            yield
        finally:
            self.sole_writer = self.complete = False

    def unknown(self, keys: Iterable[str]) -> set[str]:
        """The bands among `keys` whose listing is to be read from the store before use."""
        if self.complete:          # (uses go unrecorded: recency then only orders what forget() drops)
            return set()
        return {key for key in keys if not self._settled(key)}

    def _settled(self, band: str) -> bool:
        entries = self.bands.get(band)
        if entries is None:
            return False
        self.bands[band] = self.bands.pop(band)          # recently used: kept longest
        return self.sole_writer or len(entries) >= dedup.BAND_CANDIDATES

    def learn(self, found: dict[str, list[Entry]]) -> None:
        """What the store lists under some bands, added to what this writer knows (which may hold
        listings the store does not show yet). A band listed before they were bounded may hold
        more than BAND_CANDIDATES: its first by (first_seen, id) are kept."""
        for band, stored in found.items():
            entries = self.bands.setdefault(band, [])
            known = {e[1] for e in entries}
            entries += [e for e in stored if e[1] not in known]
            if len(entries) > dedup.BAND_CANDIDATES:
                entries.sort(key=lambda e: (e[0], e[1]))
                del entries[dedup.BAND_CANDIDATES:]

    def place(self, article_id: str, sig, keys: list[str], first_seen: str) -> tuple[str, Entry | None, list[str]]:
        """A new article's story cluster, its entry, and the bands it is to be listed under (those
        not yet full). Not listed yet: list() it once it is written."""
        if sig is None:
            return article_id, None, []
        listings = [self.bands.get(key, ()) for key in keys]
        # An entry listed under several of these bands is compared once for each: cheaper than
        # making the ~100 candidates unique first (that dict cost more than the comparisons).
        cluster = planner.cluster_of(article_id, sig, [entry for entries in listings for entry in entries])
        entry = (first_seen, article_id, cluster, dedup.to_bytes(sig))
        return cluster, entry, [key for key, entries in zip(keys, listings) if len(entries) < dedup.BAND_CANDIDATES]

    def list(self, entry: Entry, bands: list[str]) -> None:
        """An article just written, listed under `bands` (place() chose them)."""
        for band in bands:
            self.bands.setdefault(band, []).append(entry)

    def forget(self, open_bands: bool = True) -> None:
        """Keep the LIMIT most recently used bands; and, with `open_bands`, drop those not yet full
        (unless this is the only writer): they are read again when next needed."""
        before = len(self.bands)
        if open_bands and not self.sole_writer:
            self.bands = {band: entries for band, entries in self.bands.items()
                          if len(entries) >= dedup.BAND_CANDIDATES}
        # the least recently used first; deleted in place (copying the items took seconds at
        # 250,000 bands: a tuple each, and the garbage collector visiting them)
        for band in list(islice(self.bands, max(0, len(self.bands) - LIMIT))):
            del self.bands[band]
        if len(self.bands) < before:
            self.complete = False         # a forgotten band is read from the store when next used

    def clear(self) -> None:
        """Forget every band (what this writer listed was not stored after all)."""
        self.bands = {}
        self.complete = False

    def crowded(self) -> bool:
        """More bands known than are kept: forget() would drop some."""
        return len(self.bands) > LIMIT

    def trim(self) -> None:
        """Bound the memory: past LIMIT bands by a quarter, forget the least recently used."""
        if len(self.bands) > LIMIT * 5 // 4:        # a quarter over: the cost of forgetting shared out
            self.forget(open_bands=False)
