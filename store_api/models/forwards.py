"""Forwards: the part of an order sent to a factory to ship, and every attempt to deliver it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store_api.models.base import Base, UtcDateTime, created_at_column, utcnow
from store_api.models.catalogue import Factory
from store_api.models.orders import FulfilmentGroup

FORWARD_STATES = ("queued", "sending", "submitted", "accepted", "rejected", "shipped",
                  "delivered", "cancel_requested", "cancelled")


class Forward(Base):
    __tablename__ = "forwards"
    __table_args__ = (
        CheckConstraint(f"state IN ({', '.join(repr(s) for s in FORWARD_STATES)})",
                        name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("fulfilment_groups.id"), unique=True)
    factory_id: Mapped[int] = mapped_column(ForeignKey("factories.id"), index=True)
    # The webhook-id of every delivery of this forward, the same on each retry.
    message_id: Mapped[str] = mapped_column(String(40), unique=True)
    state: Mapped[str] = mapped_column(String(20), default="queued")
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow,
                                                 onupdate=utcnow)

    group: Mapped[FulfilmentGroup] = relationship()
    factory: Mapped[Factory] = relationship()


class DeliveryAttempt(Base):
    """One try at delivering a forward to a factory's webhook."""

    __tablename__ = "delivery_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    forward_id: Mapped[int] = mapped_column(ForeignKey("forwards.id"), index=True)
    attempted_at: Mapped[datetime] = created_at_column()
    status_code: Mapped[int | None] = mapped_column(Integer)
    duration_ms: Mapped[int] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
