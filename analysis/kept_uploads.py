"""A bounded, expiring, in-memory keeper of what a browser had loaded, so a reload does not lose it.

The dashboard keeps a session's upload (the file's bytes, or a saved round's reference) with the analyst's fixes
under a random token that the browser holds in a cookie; a new session of the same browser (a reload, a typed URL)
finds it again by that token. Respondent data is never written to disk here: the entries live in this process's
memory only, and are gone when it stops.

Bounded three ways: at most ``max_entries`` entries and ``max_bytes`` bytes (the least recently used go first),
and an entry not used for ``idle_seconds`` is dropped. An entry belongs to the user who stored it (their sign-in
identity, or "" without sign-in): a token presented by anyone else finds nothing, and leaves the entry alone.

Several replicas behind a load balancer each keep their own entries; with sticky sessions a browser returns to
the replica that holds its upload. When it does not (the replica restarted, the balancer moved it) the entry is
simply not found, and the dashboard says so: acceptable for a convenience that must never hold data on disk.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

MAX_ENTRIES_VARIABLE = "QUICKSCAN_KEPT_UPLOADS"
MAX_MB_VARIABLE = "QUICKSCAN_KEPT_UPLOADS_MB"
IDLE_HOURS_VARIABLE = "QUICKSCAN_KEPT_UPLOADS_HOURS"
DEFAULT_MAX_ENTRIES = 100
DEFAULT_MAX_MB = 256
DEFAULT_IDLE_HOURS = 8.0


class Found(StrEnum):
    """What a lookup found: the entry, nothing (never kept, expired, evicted, lost in a restart), or the entry of
    another user (to be ignored: not theirs to see, nor to be told about).

    Compare with ``==``: a development server reloads changed modules, while the store (one per process) lives on
    with the members of the module it was made with."""

    KEPT = "kept"
    MISSING = "missing"
    OTHER_USER = "other_user"


@dataclass(frozen=True)
class KeptLimits:
    max_entries: int = DEFAULT_MAX_ENTRIES
    max_bytes: int = DEFAULT_MAX_MB * 1024 * 1024
    idle_seconds: float = DEFAULT_IDLE_HOURS * 3600

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> KeptLimits:
        """The deployment's limits: QUICKSCAN_KEPT_UPLOADS (entries, default 100; 0 keeps nothing),
        QUICKSCAN_KEPT_UPLOADS_MB (default 256) and QUICKSCAN_KEPT_UPLOADS_HOURS (idle time, default 8).
        A value that is not a number, or is negative, counts as not given."""
        environ = os.environ if environ is None else environ

        def number(name: str, default: float) -> float:
            try:
                value = float(environ.get(name, default))
            except ValueError:
                return default
            return value if math.isfinite(value) and value >= 0 else default

        return cls(max_entries=int(number(MAX_ENTRIES_VARIABLE, DEFAULT_MAX_ENTRIES)),
                   max_bytes=int(number(MAX_MB_VARIABLE, DEFAULT_MAX_MB) * 1024 * 1024),
                   idle_seconds=number(IDLE_HOURS_VARIABLE, DEFAULT_IDLE_HOURS) * 3600)


@dataclass
class _Entry:
    owner: str
    value: Any
    size: int
    used: float


class KeptUploads:
    """Token -> (owner, value, size), least recently used first; safe to share between sessions' threads.

    ``clock`` gives seconds (monotonic by default); tests pass their own.
    """

    def __init__(self, limits: KeptLimits | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits or KeptLimits()
        self._clock = clock
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            self._expire(self._clock())
            return len(self._entries)

    @property
    def total_bytes(self) -> int:
        with self._lock:
            self._expire(self._clock())
            return self._bytes

    def tokens(self) -> list[str]:
        """The live tokens, least recently used first (for tests and a look from a debugger)."""
        with self._lock:
            self._expire(self._clock())
            return list(self._entries)

    def put(self, token: str, owner: str, value: Any, size: int) -> bool:
        """Keep VALUE (SIZE bytes) under TOKEN for OWNER, as the most recently used; older entries make room.

        False, and nothing kept under TOKEN, when the value alone is over the byte limit or keeping is off; an
        entry of another owner under the same token is never replaced (a token is random: this does not happen
        by chance)."""
        size = max(int(size), 0)
        with self._lock:
            now = self._clock()
            self._expire(now)
            current = self._entries.get(token)
            if current is not None and current.owner != owner:
                return False
            if current is not None:
                self._drop(token)
            if self.limits.max_entries < 1 or size > self.limits.max_bytes:
                return False
            self._entries[token] = _Entry(owner, value, size, now)
            self._bytes += size
            while len(self._entries) > self.limits.max_entries or self._bytes > self.limits.max_bytes:
                self._drop(next(iter(self._entries)))
            return True

    def get(self, token: str, owner: str) -> tuple[Found, Any]:
        """(KEPT, value) for the owner's own entry, which counts as a use; (MISSING, None); (OTHER_USER, None)."""
        with self._lock:
            now = self._clock()
            self._expire(now)
            entry = self._entries.get(token)
            if entry is None:
                return Found.MISSING, None
            if entry.owner != owner:
                return Found.OTHER_USER, None
            entry.used = now
            self._entries.move_to_end(token)
            return Found.KEPT, entry.value

    def touch(self, token: str, owner: str) -> bool:
        """Count a use of the owner's entry (a session still looking at it); False when there is none."""
        return self.get(token, owner)[0] == Found.KEPT

    def forget(self, token: str, owner: str) -> bool:
        """Drop the owner's own entry; another user's stays. True when one was dropped."""
        with self._lock:
            self._expire(self._clock())
            entry = self._entries.get(token)
            if entry is None or entry.owner != owner:
                return False
            self._drop(token)
            return True

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def _drop(self, token: str) -> None:
        self._bytes -= self._entries.pop(token).size

    def _expire(self, now: float) -> None:
        """Drop the entries idle for longer than the limit. Least recently used come first, so the scan stops at
        the first one still fresh."""
        while self._entries:
            token, entry = next(iter(self._entries.items()))
            if now - entry.used <= self.limits.idle_seconds:
                return
            self._drop(token)
