"""The background worker: leases outbox messages and carries out their side effects.

Leasing is one conditional UPDATE, so any number of workers (threads, processes, hosts) can
share the table: a message is handed to one lease at a time, and a lease that a crashed worker
never finished expires, after which another worker takes the message over.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, or_, select, update
from sqlalchemy.orm import Session

from store_api.core.db import Database
from store_api.core.errors import NotFound
from store_api.core.models import OutboxMessage, utcnow
from store_api.core.state import AppState

log = logging.getLogger(__name__)

Handler = Callable[[OutboxMessage, AppState], None]
Periodic = Callable[[AppState], int]
# Set after a commit that wrote outbox rows, so a worker in this process starts at once.
WAKE = threading.Event()
# Seconds to wait before attempt n+1 after n failures; the last step repeats.
RETRY_STEPS = (5, 60, 300, 1800, 7200)
# The Standard Webhooks schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h.
WEBHOOK_STEPS = (5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400)
JITTER = 0.1


class RetryLater(Exception):
    """A handler's side effect failed for now; `after` (seconds) overrides the schedule."""

    def __init__(self, reason: str, after: float | None = None):
        super().__init__(reason)
        self.after = after


class GiveUp(Exception):
    """A handler's side effect can never succeed; the message is dead at once."""


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


@dataclass(frozen=True)
class Topic:
    """An outbox topic, the function that carries out its messages, and its retry schedule.

    `schedule` is the seconds before each retry, after which a message is dead; without one,
    failures retry on RETRY_STEPS until worker.max_attempts.
    """

    name: str
    handler: Handler
    schedule: tuple[int, ...] | None = None
    # The console page where staff act on its stuck messages, when a plain retry is not enough.
    page: str | None = None


@dataclass(frozen=True)
class Jobs:
    """What workers do: each topic's handler and schedule, and the jobs run on every poll
    (such as expiring unpaid orders; each returns how much it did)."""

    handlers: dict[str, Handler]
    schedules: dict[str, tuple[int, ...]]
    periodic: tuple[Periodic, ...]
    pages: dict[str, str]

    @classmethod
    def of(cls, topics: Iterable[Topic], periodic: Iterable[Periodic]) -> Jobs:
        """Gather topics and periodic jobs into one table."""
        topics = list(topics)
        return cls({t.name: t.handler for t in topics},
                   {t.name: t.schedule for t in topics if t.schedule is not None},
                   tuple(periodic), {t.name: t.page for t in topics if t.page is not None})

    def check(self, written: Iterable[str]) -> None:
        """Refuse to start when a topic that code writes has no handler: its messages would
        wait in the outbox for ever."""
        missing = sorted(set(written) - self.handlers.keys())
        if missing:
            raise RuntimeError(f"no handler for outbox topic {', '.join(missing)}: "
                               "list one in store_api/bootstrap.py")


_INSERT_MESSAGES = insert(OutboxMessage.__table__)


def enqueue(session: Session, topic: str, *payloads: dict) -> list[str]:
    """Write messages of a topic to the outbox in the caller's transaction, in one statement;
    they leave after the commit. Return their message ids."""
    rows = [{"message_id": f"msg_{uuid.uuid4().hex}", "topic": topic, "payload": payload}
            for payload in payloads]
    session.execute(_INSERT_MESSAGES, rows)
    session.info["outbox_written"] = True
    return [row["message_id"] for row in rows]


def retry(session: Session, message_id: str) -> None:
    """Staff retry: a waiting message is made due now; a done or dead one is carried out again
    from its first try, under the same id."""
    now = utcnow()
    session.execute(update(OutboxMessage).where(
        OutboxMessage.message_id == message_id, OutboxMessage.status == "pending")
        .values(available_at=now))
    session.execute(update(OutboxMessage).where(
        OutboxMessage.message_id == message_id, OutboxMessage.status != "pending")
        .values(status="pending", attempts=0, last_error=None, processed_at=None,
                available_at=now))
    session.info["outbox_written"] = True


def stuck(session: Session, limit: int = 200) -> list[OutboxMessage]:
    """Return the messages that need a person, newest first: given up, or waiting again after
    a failed try."""
    return list(session.scalars(select(OutboxMessage).where(or_(
        OutboxMessage.status == "dead",
        (OutboxMessage.status == "pending") & OutboxMessage.last_error.is_not(None),
    )).order_by(OutboxMessage.id.desc()).limit(limit)))


def retry_now(db: Database, message_id: str) -> None:
    """Staff retry of one message, by its id."""
    with db.unit_of_work() as session:
        if session.scalar(select(OutboxMessage.id).where(
                OutboxMessage.message_id == message_id)) is None:
            raise NotFound(_l("There is no such job."), field="message")
        retry(session, message_id)


def wake_after_commit(session: Session) -> None:
    """Session listener: wake this process's worker when a commit wrote outbox rows."""
    if session.info.pop("outbox_written", False):
        WAKE.set()


def retry_delay(attempts: int, error: Exception, schedule: tuple[int, ...] | None,
                max_attempts: int) -> float | None:
    """Seconds before a failed message's next try, or None when it is dead: it gave up, or
    its topic's schedule (else RETRY_STEPS up to max_attempts tries) is spent. A RetryLater's
    own wait wins; the schedule's step varies by JITTER so retries of a burst spread out."""
    spent = attempts > len(schedule) if schedule is not None else attempts >= max_attempts
    if isinstance(error, GiveUp) or spent:
        return None
    if isinstance(error, RetryLater) and error.after is not None:
        return error.after
    steps = schedule or RETRY_STEPS
    return steps[min(attempts - 1, len(steps) - 1)] * (1 + random.uniform(-JITTER, JITTER))


class Worker:
    """Leases due outbox messages and hands each to its topic's handler."""

    def __init__(self, app_state: AppState, name: str | None = None):
        self.state = app_state
        self.db = app_state.db
        self.jobs = app_state.jobs
        settings = app_state.settings
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.lease_seconds = settings.worker.lease_seconds
        self.batch_size = settings.worker.batch_size
        self.max_attempts = settings.worker.max_attempts
        self.poll_interval = settings.worker.poll_interval_s

    def lease(self) -> list[OutboxMessage]:
        """Take up to batch_size due messages that no live lease holds."""
        now = utcnow()
        until = now + timedelta(seconds=self.lease_seconds)
        free = or_(OutboxMessage.leased_until.is_(None), OutboxMessage.leased_until < now)
        with self.db.unit_of_work() as session:
            # Topics with no handler here wait for a worker that has one (a newer release).
            due = select(OutboxMessage.id).where(
                OutboxMessage.status == "pending", OutboxMessage.available_at <= now, free,
                OutboxMessage.topic.in_(list(self.jobs.handlers)),
            ).order_by(OutboxMessage.id).limit(self.batch_size)
            ids = list(session.scalars(due))
            leased = []
            for message_id in ids:
                # Conditional on the message still being free: another worker may have won it.
                result = session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id == message_id, OutboxMessage.status == "pending", free)
                    .values(lease_owner=self.name, leased_until=until,
                            attempts=OutboxMessage.attempts + 1)
                )
                if result.rowcount == 1:
                    leased.append(message_id)
            messages = list(session.scalars(
                select(OutboxMessage).where(OutboxMessage.id.in_(leased)).order_by(OutboxMessage.id)
            )) if leased else []
        return messages

    def _finish(self, message: OutboxMessage, error: Exception | None) -> None:
        """Record the outcome, but only while this worker still holds the lease."""
        values: dict = {"lease_owner": None, "leased_until": None}
        if error is None:
            values.update(status="done", processed_at=utcnow(), last_error=None)
        else:
            delay = retry_delay(message.attempts, error, self.jobs.schedules.get(message.topic),
                                self.max_attempts)
            if delay is None:
                values.update(status="dead", last_error=_describe(error), processed_at=utcnow())
            else:
                values.update(last_error=_describe(error),
                              available_at=utcnow() + timedelta(seconds=delay))
        with self.db.unit_of_work() as session:
            session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == message.id, OutboxMessage.lease_owner == self.name)
                .values(**values)
            )

    def _hand_back(self, messages: list[OutboxMessage]) -> None:
        """Release leases not yet worked on, without counting them as attempts."""
        with self.db.unit_of_work() as session:
            for message in messages:
                session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id == message.id,
                           OutboxMessage.lease_owner == self.name)
                    .values(lease_owner=None, leased_until=None,
                            attempts=OutboxMessage.attempts - 1)
                )

    def run_once(self) -> int:
        """Lease one batch and carry it out; return how many messages were handled."""
        messages = self.lease()
        # A handler may take a while (a printer's or a webhook's timeout); a message whose lease
        # is nearly over is handed back, so no other worker can take it while it is being sent.
        margin = timedelta(seconds=self.lease_seconds / 3)
        for index, message in enumerate(messages):
            if utcnow() > message.leased_until - margin:
                self._hand_back(messages[index:])
                return index
            try:
                self.jobs.handlers[message.topic](message, self.state)
            except Exception as exc:  # noqa: BLE001 - a failed side effect is retried, not fatal
                log.warning("outbox message %s (%s) failed: %s", message.message_id,
                            message.topic, exc)
                self._finish(message, exc)
            else:
                self._finish(message, None)
        return len(messages)

    def run_periodic(self) -> int:
        """Run every periodic job once; return how much they did."""
        return sum(job(self.state) for job in self.jobs.periodic)

    def run_forever(self, stop: threading.Event) -> None:
        """Poll until stop is set; a failing poll is logged and tried again."""
        log.info("worker %s started", self.name)
        while not stop.is_set():
            WAKE.clear()
            try:
                handled = self.run_once() + self.run_periodic()
            except Exception:  # noqa: BLE001 - the database may be away for a moment
                log.exception("worker poll failed")
                handled = 0
            if not handled:
                WAKE.wait(self.poll_interval)
        log.info("worker %s stopped", self.name)


def start_thread(app_state: AppState) -> tuple[threading.Thread, threading.Event]:
    """Run a worker in a daemon thread; set the returned event to stop it."""
    stop = threading.Event()
    thread = threading.Thread(
        target=Worker(app_state).run_forever, args=(stop,), name="xuanpin-worker", daemon=True
    )
    thread.start()
    return thread, stop
