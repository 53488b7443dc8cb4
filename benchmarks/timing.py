"""Shared by the benchmark scripts: the best of a few timed runs."""

from __future__ import annotations

import time


def best(action, repeat: int, warm_up: bool = False) -> float:
    """Seconds of the fastest of REPEAT calls; with WARM_UP one untimed call first (imports, caches)."""
    if warm_up:
        action()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)
