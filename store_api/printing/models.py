"""Print jobs and the labels printed for shelf slots."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from store_api.core.models import Base, UtcDateTime, created_at_column


class PrintJob(Base):
    __tablename__ = "print_jobs"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'printing', 'done', 'failed')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    printer: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()
    printed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class PrintedLabel(Base):
    """What a printed shelf label showed, so a later change can mark it stale."""

    __tablename__ = "printed_labels"

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("shelf_slots.id"), index=True)
    template: Mapped[str] = mapped_column(String(40))
    # The label's facts: name, first tiers, MOQ, case pack, place and zone.
    shown: Mapped[dict] = mapped_column(JSON)
    printed_at: Mapped[datetime] = created_at_column()
