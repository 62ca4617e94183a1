"""Per-source crawl locks, so a cron `crawl --due`, the scheduler and a manual crawl never crawl
the same source at the same time. flock locks die with their process, so a killed crawl leaves
no stale lock behind."""
from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path


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
