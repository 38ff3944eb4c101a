"""Scan events, recorded without slowing the page: buffered, then written in batches."""

from __future__ import annotations

import logging
import threading
from collections import deque

from sqlalchemy import insert

from store_api.core.db import Database
from store_api.core.models import ScanEvent, utcnow

log = logging.getLogger(__name__)


class ScanRecorder:
    """Collects scans in memory and writes them every interval from a thread of its own.

    A process that dies loses at most one interval of scans; they are counts for reports,
    never stock or money, so the page need not wait for a write.
    """

    def __init__(self, db: Database, interval: float = 1.0, limit: int = 50_000):
        self.db = db
        self.interval = interval
        self._buffer: deque[dict] = deque(maxlen=limit)
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def record(self, *, slot_id: int, zone_id: int, product_id: int | None, session_id: str,
               buyer_id: int | None) -> None:
        """Note a scan; it reaches the database within an interval."""
        self._buffer.append({"slot_id": slot_id, "zone_id": zone_id, "product_id": product_id,
                             "session_id": session_id, "buyer_id": buyer_id,
                             "created_at": utcnow()})
        if self._thread is None:
            with self._lock:
                if self._thread is None:
                    self._thread = threading.Thread(target=self._run, name="xuanpin-scans",
                                                    daemon=True)
                    self._thread.start()

    def flush(self) -> int:
        """Write every buffered scan now; return how many."""
        batch = []
        while self._buffer:
            batch.append(self._buffer.popleft())
        if batch:
            with self.db.unit_of_work() as session:
                session.execute(insert(ScanEvent), batch)
        return len(batch)

    def _run(self) -> None:
        stop = threading.Event()
        while not stop.wait(self.interval):
            try:
                self.flush()
            except Exception:  # noqa: BLE001 - keep recording; the next flush tries again
                log.exception("writing scan events failed")
