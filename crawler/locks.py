"""Per-source crawl locks, so a cron `crawl --due`, the scheduler and a manual crawl never crawl
the same source at the same time. flock locks die with their process, so a killed crawl leaves
no stale lock behind. They hold on one machine only: with an Elasticsearch index, crawlers on
several machines also take a lease per source in the index itself (`leased`)."""
from __future__ import annotations

import fcntl
import logging
import os
import socket
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path

from index.base import IndexError_

logger = logging.getLogger(__name__)


@contextmanager
def source_locks(directory: str | Path, names: list[str]):
    """Yield (locked names, busy names); the locks are held until the block ends."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    held, busy = [], []
    try:
        for name in names:
            fd = os.open(directory / f"{name}.lock", os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                busy.append(name)
                continue
            held.append((name, fd))
        yield [n for n, _ in held], busy
    finally:
        for _, fd in held:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


LEASE_SECONDS = 120.0     # a dead crawler's lease is taken over after this long
RENEW_SECONDS = 30.0      # a live crawler renews its leases this often


def lease_owner() -> str:
    """Who holds a lease: host, process and a nonce (pids repeat across machines and restarts)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@contextmanager
def leased(store, names: list[str], ttl: float = LEASE_SECONDS, renew_every: float = RENEW_SECONDS):
    """Yield (leased names, names leased by another crawler) from a cluster-wide lease store
    (index.base.LeaseStore), renewed in the background until the block ends, then released.
    With no store (an SQLite index) every name is ours: the flock above is the only lock there."""
    if store is None:
        yield list(names), []
        return
    owner = lease_owner()
    held = [name for name in names if store.acquire(name, owner, ttl)]
    busy = [name for name in names if name not in held]
    stop = threading.Event()

    def renew() -> None:
        while not stop.wait(renew_every):
            for name in held:
                try:
                    if not store.renew(name, owner, ttl):
                        logger.error("lost the crawl lease on %s (it expired and another crawler took it): "
                                     "that source may be crawled twice this time", name)
                except IndexError_ as exc:  # the node is briefly away: say so, retry next round
                    logger.warning("could not renew the crawl lease on %s: %s", name, exc)

    renewer = threading.Thread(target=renew, name="lease-renewal", daemon=True)
    renewer.start()
    try:
        yield held, busy
    finally:
        stop.set()
        renewer.join(timeout=5)
        for name in held:
            try:
                store.release(name, owner)
            except IndexError_ as exc:      # the lease then expires on its own
                logger.warning("could not release the crawl lease on %s (it expires in %.0f s): %s", name, ttl, exc)
