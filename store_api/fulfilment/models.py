"""Forwards: the part of an order sent to a factory to ship, and every attempt to deliver it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store_api.core.models import Base, UtcDateTime, created_at_column, utcnow
from store_api.factories.models import Factory
from store_api.orders.models import FulfilmentGroup

FORWARD_STATES = ("queued", "sending", "submitted", "accepted", "rejected", "shipped",
                  "delivered", "cancel_requested", "cancelled")
# Not delivered to the factory yet (the worker's business), and held by the factory unshipped.
UNSENT = ("queued", "sending")
HELD = ("submitted", "accepted")
# Nothing has left the factory yet: the forward can still be rejected, shipped or stopped.
BEFORE_SHIPPING = UNSENT + HELD
# The factory still has something to do.
OPEN_STATES = BEFORE_SHIPPING + ("shipped", "cancel_requested")
# What a factory may give as the reason it cannot ship; "rerouted" is the centre's own.
REJECT_REASONS = ("out_of_stock", "bad_address", "other")


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

    group: Mapped[FulfilmentGroup] = relationship(back_populates="forward")
    factory: Mapped[Factory] = relationship()
    shipments: Mapped[list[Shipment]] = relationship(order_by="Shipment.id")
    events: Mapped[list[ForwardEvent]] = relationship(order_by="ForwardEvent.id")


class ForwardEvent(Base):
    """One change of a forward's state, kept for the buyer's page and the factory's history."""

    __tablename__ = "forward_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    forward_id: Mapped[int] = mapped_column(ForeignKey("forwards.id"), index=True)
    state: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = created_at_column()


class Shipment(Base):
    """A parcel a factory sent for a forward, with its carrier and tracking number."""

    __tablename__ = "shipments"
    __table_args__ = (UniqueConstraint("forward_id", "carrier", "tracking_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    forward_id: Mapped[int] = mapped_column(ForeignKey("forwards.id"), index=True)
    carrier: Mapped[str] = mapped_column(String(60))
    tracking_number: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = created_at_column()

    lines: Mapped[list[ShipmentLine]] = relationship(order_by="ShipmentLine.id")


class ShipmentLine(Base):
    """Units of one product in a shipment."""

    __tablename__ = "shipment_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int] = mapped_column(Integer)


class InboundWebhook(Base):
    """A signed callback a factory sent us; its id is kept so a replay is recognised."""

    __tablename__ = "inbound_webhooks"
    __table_args__ = (UniqueConstraint("factory_id", "webhook_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    factory_id: Mapped[int] = mapped_column(ForeignKey("factories.id"))
    webhook_id: Mapped[str] = mapped_column(String(100))
    received_at: Mapped[datetime] = created_at_column()


class DeliveryAttempt(Base):
    """One try at delivering a forward to a factory's webhook."""

    __tablename__ = "delivery_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    forward_id: Mapped[int] = mapped_column(ForeignKey("forwards.id"), index=True)
    attempted_at: Mapped[datetime] = created_at_column()
    status_code: Mapped[int | None] = mapped_column(Integer)
    duration_ms: Mapped[int] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
