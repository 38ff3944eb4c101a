"""Things kept in memory for a few seconds: rendered pages and catalogue entries."""

from __future__ import annotations

import time
from typing import Any

from flask import current_app


class PageCache:
    """A small time-limited cache; per process, so it needs no locking beyond the GIL."""

    def __init__(self, seconds: float, max_entries: int = 5000):
        self.seconds = seconds
        self.max_entries = max_entries
        self._entries: dict[Any, tuple[float, Any]] = {}

    def get(self, key) -> Any | None:
        """Return what was stored under key, if it is still fresh."""
        entry = self._entries.get(key)
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def put(self, key, value) -> None:
        """Store a value for the cache's time."""
        if self.seconds <= 0:
            return
        if len(self._entries) >= self.max_entries:
            self._entries.clear()  # cheaper than tracking age; refills within seconds
        self._entries[key] = (time.monotonic() + self.seconds, value)


def app_cache(name: str, seconds: float) -> PageCache:
    """Return the current app's cache of this name, made on first use."""
    key = f"xuanpin.cache.{name}"
    cache = current_app.extensions.get(key)
    if cache is None:
        cache = current_app.extensions[key] = PageCache(seconds)
    return cache
