"""Rows that carry side effects out after the commit, and rows that record what happened."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from store_api.models.base import Base, UtcDateTime, created_at_column, utcnow


class OutboxMessage(Base):
    """A side effect written in the same transaction as its cause, carried out by the worker."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'done', 'dead')", name="status"),
        Index("ix_outbox_messages_due", "status", "available_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stays the same on every attempt, so a receiver can drop a repeat.
    message_id: Mapped[str] = mapped_column(String(40), unique=True)
    topic: Mapped[str] = mapped_column(String(60))
    payload: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    available_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    lease_owner: Mapped[str | None] = mapped_column(String(80))
    leased_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()
    processed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


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


class ScanEvent(Base):
    __tablename__ = "scan_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("shelf_slots.id"), index=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    session_id: Mapped[str] = mapped_column(String(64))
    buyer_id: Mapped[int | None] = mapped_column(ForeignKey("buyers.id"))
    created_at: Mapped[datetime] = created_at_column()


class PrintedLabel(Base):
    """What a printed shelf label showed, so a later change can mark it stale."""

    __tablename__ = "printed_labels"

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("shelf_slots.id"), index=True)
    template: Mapped[str] = mapped_column(String(40))
    # The label's facts: name, first tiers, MOQ, case pack, place and zone.
    shown: Mapped[dict] = mapped_column(JSON)
    printed_at: Mapped[datetime] = created_at_column()
