"""The outbox worker: one lease at a time, retries with backoff, dead after the last attempt."""

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from store_api.bootstrap import JOBS
from store_api.catalogue.models import Zone
from store_api.core.models import OutboxMessage, utcnow
from store_api.core.state import state
from store_api.core.worker import WAKE, Worker, enqueue


@pytest.fixture
def delivered(monkeypatch):
    """Register a handler for topic "test.note" that records what it was handed."""
    seen: list[tuple[str, dict]] = []
    lock = threading.Lock()

    def handle(message, _state):
        if message.payload.get("fail"):
            raise RuntimeError("receiver said no")
        with lock:
            seen.append((message.message_id, message.payload))

    monkeypatch.setitem(JOBS.handlers, "test.note", handle)
    return seen


def messages(db):
    with db.read_session() as session:
        return {m.payload["n"]: m for m in session.scalars(select(OutboxMessage))}


def test_messages_are_carried_out_once_in_order(app, db, delivered):
    with db.unit_of_work() as session:
        for n in range(3):
            enqueue(session, "test.note", {"n": n})
    worker = Worker(state(app))
    assert worker.run_once() == 3
    assert worker.run_once() == 0
    assert [payload["n"] for _, payload in delivered] == [0, 1, 2]
    assert {m.status for m in messages(db).values()} == {"done"}


def test_a_failure_is_retried_later_then_dead(make_app, delivered):
    app = make_app(**{"worker.max_attempts": 2})
    db = state(app).db
    with db.unit_of_work() as session:
        enqueue(session, "test.note", {"n": 1, "fail": True})
        enqueue(session, "test.note", {"n": 2, "fail": True})
    worker = Worker(state(app))
    assert worker.run_once() == 2
    first = messages(db)
    assert first[1].status == "pending" and first[1].attempts == 1
    assert "receiver said no" in first[1].last_error
    assert worker.run_once() == 0  # not due before its backoff
    with db.unit_of_work() as session:
        session.execute(update(OutboxMessage).values(available_at=utcnow()))
    assert worker.run_once() == 2
    assert {m.status for m in messages(db).values()} == {"dead"}
    assert delivered == []


def test_a_crashed_workers_lease_expires_and_another_takes_over(app, db, delivered):
    with db.unit_of_work() as session:
        enqueue(session, "test.note", {"n": 1})
    crashed = Worker(state(app), name="crashed")
    leased = crashed.lease()  # and then never finishes
    assert len(leased) == 1
    other = Worker(state(app), name="other")
    assert other.run_once() == 0
    with db.unit_of_work() as session:
        session.execute(update(OutboxMessage).values(leased_until=utcnow() - timedelta(seconds=1)))
    assert other.run_once() == 1
    assert [m.status for m in messages(db).values()] == ["done"]
    assert [message_id for message_id, _ in delivered] == [leased[0].message_id]


def test_workers_racing_never_hand_a_message_out_twice(app, db, delivered):
    with db.unit_of_work() as session:
        for n in range(60):
            enqueue(session, "test.note", {"n": n})
    workers = [Worker(state(app), name=f"w{i}") for i in range(4)]
    start = threading.Barrier(len(workers))

    def drain(worker):
        start.wait()
        while worker.run_once():
            pass

    threads = [threading.Thread(target=drain, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(payload["n"] for _, payload in delivered) == list(range(60))
    assert {m.attempts for m in messages(db).values()} == {1}


def test_a_topic_no_handler_knows_waits_untouched(sqlite_app):
    db = state(sqlite_app).db
    with db.unit_of_work() as session:
        enqueue(session, "later.feature", {"n": 1})
    assert Worker(state(sqlite_app)).run_once() == 0
    [message] = messages(db).values()
    assert (message.status, message.attempts, message.lease_owner) == ("pending", 0, None)


def test_a_commit_that_writes_the_outbox_wakes_the_worker(sqlite_app):
    db = state(sqlite_app).db
    WAKE.clear()
    with db.unit_of_work() as session:
        session.add(Zone(code="x", name_zh="区", name_en="x", colour="#000000"))
    assert not WAKE.is_set()
    with db.unit_of_work() as session:
        enqueue(session, "later.feature", {"n": 1})
    assert WAKE.is_set()


def test_messages_whose_lease_ran_low_are_handed_back_untried(make_app, monkeypatch):
    app = make_app(**{"worker.lease_seconds": 3})
    db = state(app).db
    handled = []

    def slow(message, _state):
        handled.append(message.payload["n"])
        time.sleep(2.2)  # past two thirds of the 3 s lease

    monkeypatch.setitem(JOBS.handlers, "test.slow", slow)
    with db.unit_of_work() as session:
        for n in range(3):
            enqueue(session, "test.slow", {"n": n})
    assert Worker(state(app)).run_once() == 1
    rest = [m for m in messages(db).values() if m.payload["n"] != 0]
    assert {(m.status, m.attempts, m.lease_owner) for m in rest} == {("pending", 0, None)}
    assert handled == [0]


def test_a_topic_schedule_a_retry_after_and_giving_up(make_app, worker_clock, monkeypatch):
    from store_api.core.worker import GiveUp, RetryLater

    app = make_app()
    db = state(app).db
    outcomes = {"later": RetryLater("busy", after=120), "never": GiveUp("410 gone"),
                "flaky": RuntimeError("503")}

    def handle(message, _state):
        raise outcomes[message.payload["kind"]]

    monkeypatch.setitem(JOBS.handlers, "test.hook", handle)
    monkeypatch.setitem(JOBS.schedules, "test.hook", (5, 300))
    with db.unit_of_work() as session:
        for kind in outcomes:
            enqueue(session, "test.hook", {"kind": kind})
    worker_clock.now = utcnow()  # messages made now are due
    Worker(state(app)).run_once()
    found = by_kind(db)
    wait = {k: (m.available_at - worker_clock.now).total_seconds() for k, m in found.items()}
    assert found["never"].status == "dead" and "410 gone" in found["never"].last_error
    assert wait["later"] == 120  # Retry-After wins over the schedule
    assert wait["flaky"] == 5  # the schedule's first step (jitter held at nought)
    for step in (5, 300):  # two more failures spend the (5, 300) schedule
        worker_clock.now += timedelta(seconds=max(step, 120))
        Worker(state(app)).run_once()
    assert {kind: m.status for kind, m in by_kind(db).items()} == {
        "later": "dead", "never": "dead", "flaky": "dead"}


def by_kind(db):
    with db.read_session() as session:
        return {m.payload["kind"]: m for m in session.scalars(select(OutboxMessage))}
