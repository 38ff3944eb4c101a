"""The store's clock: the one source of "now" for every domain, which the app holds and a test
can stop at an instant (a promise 49 hours on, a retry due) without patching module by module."""

from __future__ import annotations

from datetime import UTC, datetime


class Clock:
    """Tells the time in UTC; `now = instant` holds it there, `now = None` lets it run again."""

    def __init__(self) -> None:
        self._held: datetime | None = None

    @property
    def now(self) -> datetime:
        """The current instant, or the one the clock is held at."""
        return self._held if self._held is not None else datetime.now(UTC)

    @now.setter
    def now(self, instant: datetime | None) -> None:
        self._held = instant


# One clock per process: timestamps written by any thread (requests, the worker, the scan
# recorder) agree with what a test set.
CLOCK = Clock()
