"""Print jobs moved onto the outbox: each job is keyed by the message that carries it out, and
what the console showed of it before (waiting, printed, failed; tries; last error) is what it
shows after, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select, text, update

from store_api.core import migrate
from store_api.core.models import OutboxMessage, utcnow
from store_api.core.state import state
from store_api.printing import queue as printing
from store_api.printing.models import PrintJob


def _shown(app) -> dict[int, tuple]:
    with state(app).db.read_session() as session:
        return {job.id: (job.kind, job.status, job.attempts, job.error)
                for job in session.scalars(select(PrintJob))}


def test_each_job_keeps_its_state_tries_and_error_through_the_migration(app):
    db = state(app).db
    with db.unit_of_work() as session:
        waiting = printing.queue(session, "receipt", "counter", {"order": "A"})
        printed = printing.queue(session, "receipt", "counter", {"order": "B"})
        failed = printing.queue(session, "label", "labels", {"labels": []})
        rendering = printing.queue(session, "label-pdf", "pdf", {"done": 3, "total": 9},
                                   render=True)
        session.flush()
        ids = {job.message_id: job for job in (waiting, printed, failed, rendering)}
        session.execute(update(OutboxMessage).where(
            OutboxMessage.message_id == waiting.message_id).values(
            attempts=2, last_error="ConnectionRefusedError: [Errno 111] Connection refused"))
        session.execute(update(OutboxMessage).where(
            OutboxMessage.message_id == printed.message_id).values(status="done", attempts=1))
        printed.printed_at = utcnow()
        session.execute(update(OutboxMessage).where(
            OutboxMessage.message_id == failed.message_id).values(
            status="dead", attempts=5, last_error="OSError: no paper"))
    before = _shown(app)
    assert {status for _, status, _, _ in before.values()} == {
        "queued", "done", "failed", "printing"}
    assert len(ids) == 4

    engine = db.engine
    migrate.downgrade(engine, "0007")
    with engine.begin() as connection:
        # Under the old shape: the console's view of each job, and one the outbox never held.
        old = {row[0]: tuple(row[1:]) for row in connection.execute(text(
            "SELECT id, kind, status, attempts, error FROM print_jobs"))}
        connection.execute(text(
            "INSERT INTO print_jobs (kind, printer, payload, status, attempts, error, created_at)"
            " VALUES ('receipt', 'counter', '{}', 'failed', 5, 'OSError: jammed', :now)"),
            {"now": utcnow()})
    assert old == before

    migrate.upgrade(engine)
    after = _shown(app)
    assert {job: after[job] for job in before} == before
    [(kind, status, attempts, error)] = [v for job, v in after.items() if job not in before]
    assert (kind, status, attempts, error) == ("receipt", "failed", 5, "OSError: jammed")
    with db.read_session() as session:
        keys = list(session.scalars(select(PrintJob.message_id)))
        assert len(set(keys)) == len(keys) == 5
        assert set(session.scalars(select(OutboxMessage.message_id).where(
            OutboxMessage.message_id.in_(keys)))) == set(keys)


def test_a_reprint_carries_the_same_message_out_again_from_its_first_try(app):
    db = state(app).db
    with db.unit_of_work() as session:
        job = printing.queue(session, "receipt", "counter", {"order": "C"})
        session.flush()
        session.execute(update(OutboxMessage).where(
            OutboxMessage.message_id == job.message_id).values(
            status="dead", attempts=5, last_error="OSError: no paper"))
        job_id, message_id = job.id, job.message_id
    printing.reprint(db, job_id)
    with db.read_session() as session:
        again = session.get(PrintJob, job_id)
        assert (again.status, again.attempts, again.error) == ("queued", 0, None)
        assert again.message_id == message_id
        assert session.scalar(select(OutboxMessage.status).where(
            OutboxMessage.message_id == message_id)) == "pending"
