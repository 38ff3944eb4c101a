"""Orders, their lines, the fulfilment groups they split into by source, and payments."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store_api.catalogue.models import Product
from store_api.core.models import Base, UtcDateTime, created_at_column, utcnow
from store_api.factories.models import Factory
from store_api.stock.models import StockLocation

if TYPE_CHECKING:
    from store_api.fulfilment.models import Forward

ORDER_STATUSES = ("awaiting_payment", "paid", "completed", "cancelled", "expired")
GROUP_STATUSES = ("pending", "picked", "collected", "forward_queued", "shipped", "delivered",
                  "cancelled")
PAYMENT_METHODS = ("cash", "card", "bank_transfer", "on_account")
ALLOCATION_STATES = ("reserved", "sold", "released", "returned")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint("total_fen >= 0", name="total_non_negative"),
        CheckConstraint(_one_of("status", ORDER_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    # What the request that made the order asked for; a key sent again with another ask is refused.
    request_hash: Mapped[str] = mapped_column(String(64))
    buyer_id: Mapped[int] = mapped_column(ForeignKey("buyers.id"), index=True)
    # The phone it was placed from (the scan page's cookie), to count scans that led to it.
    scanner_id: Mapped[str | None] = mapped_column(String(32), index=True)
    status: Mapped[str] = mapped_column(String(20))
    total_fen: Mapped[int] = mapped_column(Integer)
    hold_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    paid_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = created_at_column()

    lines: Mapped[list[OrderLine]] = relationship(back_populates="order", order_by="OrderLine.id")
    groups: Mapped[list[FulfilmentGroup]] = relationship(
        back_populates="order", order_by="FulfilmentGroup.id"
    )
    payments: Mapped[list[Payment]] = relationship(back_populates="order")


class FulfilmentGroup(Base):
    """The part of an order that leaves from one source: pick-up, local delivery or a factory."""

    __tablename__ = "fulfilment_groups"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('pickup', 'local_delivery', 'factory_shipment')", name="kind"
        ),
        CheckConstraint(_one_of("status", GROUP_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    location_id: Mapped[int] = mapped_column(ForeignKey("stock_locations.id"))
    factory_id: Mapped[int | None] = mapped_column(ForeignKey("factories.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    subtotal_fen: Mapped[int] = mapped_column(Integer, default=0)
    dispatch_promise_hours: Mapped[int | None] = mapped_column(Integer)
    # Where it goes: the buyer, or for a factory shipment possibly the buyer's own customer.
    recipient_name: Mapped[str] = mapped_column(String(100), default="")
    recipient_phone: Mapped[str] = mapped_column(String(20), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    distance_km: Mapped[float | None] = mapped_column(Float)

    order: Mapped[Order] = relationship(back_populates="groups")
    lines: Mapped[list[OrderLine]] = relationship(back_populates="group", order_by="OrderLine.id")
    location: Mapped[StockLocation] = relationship()
    factory: Mapped[Factory | None] = relationship()
    forward: Mapped[Forward | None] = relationship(back_populates="group")


class OrderLine(Base):
    __tablename__ = "order_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price_fen > 0", name="unit_price_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("fulfilment_groups.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_fen: Mapped[int] = mapped_column(Integer)
    # Where the price came from: the member level's ladder and the tier the quantity reached.
    member_level: Mapped[str] = mapped_column(String(20), default="")
    tier_quantity: Mapped[int] = mapped_column(Integer, default=1)

    order: Mapped[Order] = relationship(back_populates="lines")
    group: Mapped[FulfilmentGroup] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()

    @property
    def total_fen(self) -> int:
        """Quantity times unit price."""
        return self.quantity * self.unit_price_fen


class Payment(Base):
    """Money taken at the counter for an order."""

    __tablename__ = "payments"
    __table_args__ = (
        CheckConstraint(_one_of("method", PAYMENT_METHODS), name="method"),
        CheckConstraint("amount_fen > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), unique=True)
    method: Mapped[str] = mapped_column(String(20))
    reference: Mapped[str] = mapped_column(String(100), default="")
    amount_fen: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at_column()

    order: Mapped[Order] = relationship(back_populates="payments")


class Cart(Base):
    __tablename__ = "carts"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    buyer_id: Mapped[int | None] = mapped_column(ForeignKey("buyers.id"))
    created_at: Mapped[datetime] = created_at_column()
    touched_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    lines: Mapped[list[CartLine]] = relationship(
        back_populates="cart", cascade="all, delete-orphan"
    )


class CartLine(Base):
    __tablename__ = "cart_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    cart_id: Mapped[int] = mapped_column(
        ForeignKey("carts.id", ondelete="CASCADE"), primary_key=True
    )
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), primary_key=True)
    quantity: Mapped[int] = mapped_column(Integer)

    cart: Mapped[Cart] = relationship(back_populates="lines")


class Allocation(Base):
    """Units of an order line at a stock location, and what became of them: reserved for the
    order, sold to the buyer, released back on sale, or returned. The one record of what an
    order holds where; what orders reserved in the stock ledger is its reserved rows added up."""

    __tablename__ = "allocations"
    __table_args__ = (
        UniqueConstraint("order_line_id", "location_id", "state"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint(_one_of("state", ALLOCATION_STATES), name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    location_id: Mapped[int] = mapped_column(ForeignKey("stock_locations.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(10))


class Shortlist(Base):
    """A named list of products saved while walking the floor (选品单), shared by link: the
    edit token lets a colleague's phone add and remove, the view token only look."""

    __tablename__ = "shortlists"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    edit_token: Mapped[str] = mapped_column(String(32), unique=True)
    view_token: Mapped[str] = mapped_column(String(32), unique=True)
    # The account it was made under, so the account's other phones find it; None for a guest.
    buyer_id: Mapped[int | None] = mapped_column(ForeignKey("buyers.id"), index=True)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    items: Mapped[list[ShortlistItem]] = relationship(
        back_populates="shortlist", cascade="all, delete-orphan", order_by="ShortlistItem.id")


class ShortlistItem(Base):
    """A product on a shortlist."""

    __tablename__ = "shortlist_items"
    __table_args__ = (UniqueConstraint("shortlist_id", "product_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shortlist_id: Mapped[int] = mapped_column(ForeignKey("shortlists.id", ondelete="CASCADE"),
                                              index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    added_at: Mapped[datetime] = created_at_column()

    shortlist: Mapped[Shortlist] = relationship(back_populates="items")
    product: Mapped[Product] = relationship()
