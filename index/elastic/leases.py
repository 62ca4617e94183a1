"""Crawl leases in Elasticsearch: the cluster-wide form of crawler/locks.py's per-source flock.

A lease is a document NAME.leases/_doc/SOURCE {owner, acquired, expires}. Taking one is a
create-if-absent; a lease whose `expires` has passed (its crawler died without releasing it) is
taken over with a compare-and-set on its sequence number, so of two crawlers that both see it
expired only one wins. Renewing and releasing check the owner the same way. Gets are real-time,
so no refresh is needed between one crawler's release and another's take.

Expiry uses each crawler's own clock: keep the clocks of crawler machines within a fraction of
the lease time (NTP does; the default lease is 120 s, renewed every 30 s)."""
from __future__ import annotations

import time

from elasticsearch import ApiError, ConflictError, NotFoundError

from .client import Client
from .schema import mapping


class Leases:
    def __init__(self, client: Client, alias: str, run=lambda call, *a: call(*a), clock=time.time):
        self.client, self.index, self.clock = client, f"{alias}.leases", clock
        self.run = run                            # the backend's error mapping (IndexUnavailable, …)
        self._created = False

    def _ensure(self) -> None:
        if self._created:
            return
        spec = mapping("leases")
        try:
            self.client.indices.create(index=self.index, **spec)
        except ApiError as exc:
            if "resource_already_exists" not in str(exc):
                raise
        self._created = True

    def acquire(self, name: str, owner: str, ttl: float) -> bool:
        """Take the lease on `name` for `ttl` seconds: True when it is ours now."""
        return self.run(self._acquire, name, owner, ttl)

    def _acquire(self, name: str, owner: str, ttl: float) -> bool:
        self._ensure()
        now = self.clock()
        doc = {"owner": owner, "acquired": now, "expires": now + ttl}
        try:
            self.client.create(index=self.index, id=name, document=doc, refresh=False)
            return True
        except ConflictError:
            pass
        current = self._get(name)
        if current is None:                       # released meanwhile: try once more
            try:
                self.client.create(index=self.index, id=name, document=doc)
                return True
            except ConflictError:
                return False
        held, seq_no, term = current
        if held["owner"] != owner and held["expires"] > now:
            return False
        return self._swap(name, doc, seq_no, term)

    def renew(self, name: str, owner: str, ttl: float) -> bool:
        """Push our lease's expiry on; False when it is no longer ours (it expired and was taken)."""
        return self.run(self._renew, name, owner, ttl)

    def _renew(self, name: str, owner: str, ttl: float) -> bool:
        current = self._get(name)
        if current is None or current[0]["owner"] != owner:
            return False
        held, seq_no, term = current
        return self._swap(name, {**held, "expires": self.clock() + ttl}, seq_no, term)

    def release(self, name: str, owner: str) -> None:
        """Give the lease back, unless it has already passed to another crawler."""
        return self.run(self._release, name, owner)

    def _release(self, name: str, owner: str) -> None:
        current = self._get(name)
        if current is None or current[0]["owner"] != owner:
            return
        try:
            self.client.delete(index=self.index, id=name, if_seq_no=current[1], if_primary_term=current[2])
        except (ConflictError, NotFoundError):
            pass                                  # taken over after it expired: not ours to delete

    def holder(self, name: str) -> dict | None:
        """The lease on `name` as stored, or None."""
        return self.run(self._holder, name)

    def _holder(self, name: str) -> dict | None:
        current = self._get(name)
        return current[0] if current else None

    def _get(self, name: str):
        try:
            found = self.client.get(index=self.index, id=name)
        except NotFoundError:
            return None
        return found["_source"], found["_seq_no"], found["_primary_term"]

    def _swap(self, name: str, doc: dict, seq_no: int, term: int) -> bool:
        try:
            self.client.index(index=self.index, id=name, document=doc, if_seq_no=seq_no, if_primary_term=term)
            return True
        except ConflictError:
            return False

    def delete(self) -> None:
        self.client.indices.delete(index=self.index, ignore_unavailable=True)
        self._created = False
