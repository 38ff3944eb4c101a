"""A factory: the consignor of products, with its fulfilment mode, dispatch promise and webhook."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store_api.core.models import Base, UtcDateTime, created_at_column

if TYPE_CHECKING:
    from store_api.catalogue.models import Product

FULFILMENT_MODES = ("ships_itself", "stocks_centre")


class Factory(Base):
    __tablename__ = "factories"
    __table_args__ = (
        CheckConstraint(
            "fulfilment_mode IN ('ships_itself', 'stocks_centre')", name="fulfilment_mode"
        ),
        CheckConstraint("dispatch_promise_hours > 0", name="dispatch_promise_positive"),
        CheckConstraint("mixed_batch_min_fen >= 0", name="mixed_batch_min_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    industrial_belt_zh: Mapped[str] = mapped_column(String(100))
    industrial_belt_en: Mapped[str] = mapped_column(String(100))
    contact_name: Mapped[str] = mapped_column(String(100))
    contact_phone: Mapped[str] = mapped_column(String(32))
    fulfilment_mode: Mapped[str] = mapped_column(String(20))
    dispatch_promise_hours: Mapped[int] = mapped_column(Integer)
    mixed_batch_min_fen: Mapped[int] = mapped_column(Integer, default=0)
    webhook_url: Mapped[str | None] = mapped_column(String(500))
    webhook_secret_encrypted: Mapped[str | None] = mapped_column(Text)
    # During a rotation the old secret signs too, until webhook_previous_until.
    webhook_previous_secret_encrypted: Mapped[str | None] = mapped_column(Text)
    webhook_previous_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    api_token_hash: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = created_at_column()

    products: Mapped[list[Product]] = relationship(back_populates="factory")
