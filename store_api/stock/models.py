"""Stock locations, stock levels and the append-only stock ledger."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store_api.catalogue.models import Product
from store_api.core.models import Base, created_at_column
from store_api.factories.models import Factory


class StockLocation(Base):
    """Where goods are: the centre's warehouse, or a factory that ships when forwarded an order."""

    __tablename__ = "stock_locations"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'centre' AND factory_id IS NULL) "
            "OR (kind = 'factory' AND factory_id IS NOT NULL)",
            name="kind_matches_factory",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    factory_id: Mapped[int | None] = mapped_column(ForeignKey("factories.id"), unique=True)

    factory: Mapped[Factory | None] = relationship()


class StockLevel(Base):
    """How many units of a product a location holds, and how many of them are reserved."""

    __tablename__ = "stock_levels"
    __table_args__ = (  # the database refuses an oversell even if code ever missed one
        CheckConstraint("on_hand >= 0", name="on_hand_non_negative"),
        CheckConstraint("reserved >= 0", name="reserved_non_negative"),
        CheckConstraint("reserved <= on_hand", name="reserved_within_on_hand"),
    )

    # (product_id, location_id) is the order in which several rows are touched.
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("stock_locations.id"), primary_key=True)
    on_hand: Mapped[int] = mapped_column(Integer, default=0)
    reserved: Mapped[int] = mapped_column(Integer, default=0)

    location: Mapped[StockLocation] = relationship()

    @property
    def available(self) -> int:
        """Units that can still be reserved."""
        return self.on_hand - self.reserved


class StockLedgerEntry(Base):
    """One change of a stock level; rows are only ever added (triggers refuse the rest)."""

    __tablename__ = "stock_ledger"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("stock_locations.id"))
    delta_on_hand: Mapped[int] = mapped_column(Integer)
    delta_reserved: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(100))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = created_at_column()

    product: Mapped[Product] = relationship()
