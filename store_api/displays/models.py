"""What the zone screens show: products staff pin first, and the screens themselves."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store_api.catalogue.models import Product, Zone
from store_api.core.models import Base, UtcDateTime, created_at_column


class ZonePin(Base):
    """A product staff put first on a zone's screen, at a position."""

    __tablename__ = "zone_pins"
    __table_args__ = (UniqueConstraint("zone_id", "product_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)

    zone: Mapped[Zone] = relationship()
    product: Mapped[Product] = relationship()


class Screen(Base):
    """A display on the floor: it shows a short code until staff approve it and give it a zone."""

    __tablename__ = "screens"

    id: Mapped[int] = mapped_column(primary_key=True)
    # What the screen shows staff to approve it; its cookie holds the secret token.
    code: Mapped[str] = mapped_column(String(8), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(60), default="")
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zones.id"))
    approved: Mapped[bool] = mapped_column(Boolean, default=False)
    last_seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = created_at_column()

    zone: Mapped[Zone | None] = relationship()
