"""Buyers and their server-side carts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store_api.models.base import Base, UtcDateTime, created_at_column, utcnow


class Buyer(Base):
    __tablename__ = "buyers"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    company: Mapped[str] = mapped_column(String(200), default="")
    business_type: Mapped[str] = mapped_column(String(20))
    member_level: Mapped[str] = mapped_column(String(20))
    # Approved by staff to pay later, on account.
    on_account: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = created_at_column()


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
