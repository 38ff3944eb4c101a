"""Orders, their lines, and the fulfilment groups they split into by source."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store_api.models.base import Base, created_at_column


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (CheckConstraint("total_fen >= 0", name="total_non_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("buyers.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    total_fen: Mapped[int] = mapped_column(Integer)
    hold_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at_column()

    lines: Mapped[list[OrderLine]] = relationship(back_populates="order")
    groups: Mapped[list[FulfilmentGroup]] = relationship(back_populates="order")


class FulfilmentGroup(Base):
    """The part of an order that leaves from one source: pick-up, local delivery or a factory."""

    __tablename__ = "fulfilment_groups"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('pickup', 'local_delivery', 'factory_shipment')", name="kind"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    location_id: Mapped[int] = mapped_column(ForeignKey("stock_locations.id"))
    status: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(Text, default="")

    order: Mapped[Order] = relationship(back_populates="groups")


class OrderLine(Base):
    __tablename__ = "order_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price_fen > 0", name="unit_price_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("fulfilment_groups.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_fen: Mapped[int] = mapped_column(Integer)

    order: Mapped[Order] = relationship(back_populates="lines")
