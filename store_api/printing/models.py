"""Print jobs and the labels printed for shelf slots."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store_api.core.models import Base, OutboxMessage, UtcDateTime, created_at_column


class PrintJob(Base):
    """What a printer job holds (its printer, what to print, a render's progress), keyed by the
    outbox message that carries it out: the message's lease, tries, errors and give-up are the
    job's, as for every other side effect."""

    __tablename__ = "print_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("outbox_messages.message_id"), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    printer: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = created_at_column()
    printed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    message: Mapped[OutboxMessage] = relationship(lazy="joined")

    @property
    def status(self) -> str:
        """queued, printing (a render under way), done, or failed (its tries are spent)."""
        if self.message.status == "dead":
            return "failed"
        if self.printed_at is not None:
            return "done"
        return "printing" if self.payload.get("done") else "queued"

    @property
    def attempts(self) -> int:
        """How often the worker has tried it."""
        return self.message.attempts

    @property
    def error(self) -> str | None:
        """Why the last try failed."""
        return self.message.last_error


class PrintedLabel(Base):
    """What a printed shelf label showed, so a later change can mark it stale."""

    __tablename__ = "printed_labels"

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("shelf_slots.id"), index=True)
    template: Mapped[str] = mapped_column(String(40))
    # The label's facts: name, first tiers, MOQ, case pack, place and zone.
    shown: Mapped[dict] = mapped_column(JSON)
    printed_at: Mapped[datetime] = created_at_column()
