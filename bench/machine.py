"""The machine a figure came from, printed by every benchmark beside its figures."""
from __future__ import annotations

import platform
import time
from pathlib import Path


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def speed_probe() -> float:
    """Seconds a fixed single-threaded Python loop takes (lower is faster). Printed beside figures
    measured on a shared VM, whose speed moved by ~40% within one session: which runs, or which
    parts of one run, had the same machine."""
    started = time.perf_counter()
    total = 0
    for i in range(5_000_000):
        total += i * i
    return time.perf_counter() - started
