"""print jobs on the outbox: a job is keyed by its message, whose tries and errors are its own

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 06:20:00
"""

import json
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_TOPIC_OF_KIND = {"label-pdf": "labels.render"}
_MESSAGE_STATUS = {"queued": "pending", "printing": "pending", "done": "done", "failed": "dead"}
_JOB_STATUS = {"pending": "queued", "done": "done", "dead": "failed"}


def _payload(value) -> dict:
    return json.loads(value) if isinstance(value, str) else (value or {})


def upgrade() -> None:
    connection = op.get_bind()
    # Each job's newest message is the one that carries it out now (a reprint wrote another).
    newest: dict[int, str] = {}
    for message_id, payload in connection.execute(sa.text(
            "SELECT message_id, payload FROM outbox_messages"
            " WHERE topic IN ('print.job', 'labels.render') ORDER BY id")):
        job = _payload(payload).get("job")
        if isinstance(job, int):
            newest[job] = message_id
    messages = sa.table(
        "outbox_messages", sa.column("message_id", sa.String), sa.column("topic", sa.String),
        sa.column("payload", sa.JSON), sa.column("status", sa.String),
        sa.column("attempts", sa.Integer), sa.column("available_at", sa.DateTime(timezone=True)),
        sa.column("last_error", sa.Text), sa.column("created_at", sa.DateTime(timezone=True)))
    made, now = [], datetime.now(UTC)
    for job, kind, status, attempts, error in connection.execute(sa.text(
            "SELECT id, kind, status, attempts, error FROM print_jobs ORDER BY id")):
        if job not in newest:  # a job the outbox never held: it gets its message now
            newest[job] = f"msg_{uuid.uuid4().hex}"
            made.append({"message_id": newest[job], "topic": _TOPIC_OF_KIND.get(kind, "print.job"),
                         "payload": {"job": job}, "status": _MESSAGE_STATUS[status],
                         "attempts": attempts, "available_at": now, "last_error": error,
                         "created_at": now})
    if made:
        op.bulk_insert(messages, made)
    with op.batch_alter_table("print_jobs") as batch:
        batch.add_column(sa.Column("message_id", sa.String(length=40), nullable=True))
    for job, message_id in newest.items():
        connection.execute(sa.text("UPDATE print_jobs SET message_id = :m WHERE id = :j"),
                           {"m": message_id, "j": job})
    with op.batch_alter_table("print_jobs") as batch:
        batch.alter_column("message_id", existing_type=sa.String(length=40), nullable=False)
        batch.create_unique_constraint(op.f("uq_print_jobs_message_id"), ["message_id"])
        batch.create_foreign_key(op.f("fk_print_jobs_message_id_outbox_messages"),
                                 "outbox_messages", ["message_id"], ["message_id"])
        batch.drop_constraint(op.f("ck_print_jobs_status"), type_="check")
        batch.drop_column("status")
        batch.drop_column("attempts")
        batch.drop_column("error")


def downgrade() -> None:
    with op.batch_alter_table("print_jobs") as batch:
        batch.add_column(sa.Column("status", sa.String(length=10), nullable=True))
        batch.add_column(sa.Column("attempts", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("error", sa.Text(), nullable=True))
    connection = op.get_bind()
    messages = sa.table("outbox_messages", sa.column("message_id", sa.String),
                        sa.column("payload", sa.JSON))
    for job, printed_at, status, attempts, error, payload, message_id in connection.execute(
            sa.text("SELECT j.id, j.printed_at, m.status, m.attempts, m.last_error, j.payload,"
                    " m.message_id FROM print_jobs j"
                    " JOIN outbox_messages m ON m.message_id = j.message_id")):
        # The old shape found a job from its message's payload.
        connection.execute(messages.update().where(messages.c.message_id == message_id)
                           .values(payload={"job": job}))
        state = _JOB_STATUS[status]
        if state == "queued" and printed_at is not None:
            state = "done"
        elif state == "queued" and _payload(payload).get("done"):
            state = "printing"
        connection.execute(sa.text(
            "UPDATE print_jobs SET status = :s, attempts = :a, error = :e WHERE id = :j"),
            {"s": state, "a": attempts, "e": error, "j": job})
    with op.batch_alter_table("print_jobs") as batch:
        batch.alter_column("status", existing_type=sa.String(length=10), nullable=False)
        batch.alter_column("attempts", existing_type=sa.Integer(), nullable=False)
        batch.create_check_constraint(op.f("ck_print_jobs_status"),
                                      "status IN ('queued', 'printing', 'done', 'failed')")
        batch.drop_constraint(op.f("fk_print_jobs_message_id_outbox_messages"),
                              type_="foreignkey")
        batch.drop_constraint(op.f("uq_print_jobs_message_id"), type_="unique")
        batch.drop_column("message_id")
