"""`policywatch crawl` as bench/crawl_rate.py runs it: the crawl in this process, then a note of
the CPU time of this process (Scrapy's reactor, IPC to the workers, the index writer) and of its
children (the worker processes, reaped by the pool's shutdown), and optionally a profile.

    python bench/crawl_child.py NOTE.json PROFILE|- crawl ARGS...

The profile counts CPU time (time.process_time), not wall-clock time: on a shared machine a
wall-clock profile mostly shows the other processes' load (epoll waits, descheduled writes)."""
from __future__ import annotations

import cProfile
import json
import resource
import runpy
import sys
import time
from pathlib import Path

# This checkout's policywatch, and not bench/ itself first on the path: bench/incremental.py
# would stand in for Twisted's `incremental` package.
sys.path[0] = str(Path(__file__).resolve().parent.parent)


def main() -> None:
    note, profile_path = sys.argv[1], sys.argv[2]
    sys.argv = [sys.argv[0], *sys.argv[3:]]
    profile = cProfile.Profile(time.process_time) if profile_path != "-" else None
    try:
        if profile is not None:
            profile.enable()
        runpy.run_module("policywatch.cli", run_name="__main__", alter_sys=True)
    finally:
        if profile is not None:
            profile.disable()
            profile.dump_stats(profile_path)
        own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        with open(note, "w") as f:
            json.dump({"crawler": own.ru_utime + own.ru_stime, "workers": kids.ru_utime + kids.ru_stime}, f)


if __name__ == "__main__":
    main()
