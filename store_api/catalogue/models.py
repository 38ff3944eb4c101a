"""Products, their price tiers and pictures, and where they sit on the floor: zones and shelf
slots."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store_api.core.models import Base, UtcDateTime, created_at_column, utcnow
from store_api.factories.models import Factory


class Product(Base):
    """A SKU a factory supplies: names, ladder, pack sizes, what the shelf and screens show."""

    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("moq > 0", name="moq_positive"),
        CheckConstraint("case_pack > 0", name="case_pack_positive"),
        CheckConstraint("moq % case_pack = 0", name="moq_multiple_of_case_pack"),
        CheckConstraint("supply_price_fen > 0", name="supply_price_positive"),
        CheckConstraint("status IN ('active', 'archived')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(40), unique=True)
    factory_id: Mapped[int] = mapped_column(ForeignKey("factories.id"), index=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    description_zh: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(40), default="")
    supply_price_fen: Mapped[int] = mapped_column(Integer)
    moq: Mapped[int] = mapped_column(Integer)
    case_pack: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="active")
    # Cross-border facts: sizes in cm, weight in grams.
    foldable: Mapped[bool] = mapped_column(Boolean, default=False)
    packed_length_cm: Mapped[float | None] = mapped_column(Float)
    packed_width_cm: Mapped[float | None] = mapped_column(Float)
    packed_height_cm: Mapped[float | None] = mapped_column(Float)
    unpacked_length_cm: Mapped[float | None] = mapped_column(Float)
    unpacked_width_cm: Mapped[float | None] = mapped_column(Float)
    unpacked_height_cm: Mapped[float | None] = mapped_column(Float)
    weight_g: Mapped[int | None] = mapped_column(Integer)
    # Streamer facts.
    sample_available: Mapped[bool] = mapped_column(Boolean, default=False)
    dropship_allowed: Mapped[bool] = mapped_column(Boolean, default=False)
    suggested_retail_fen: Mapped[int | None] = mapped_column(Integer)
    suits_business_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = mapped_column(
        UtcDateTime(), default=utcnow, onupdate=utcnow
    )

    factory: Mapped[Factory] = relationship(back_populates="products")
    price_tiers: Mapped[list[PriceTier]] = relationship(
        back_populates="product",
        cascade="all, delete-orphan",
        order_by="(PriceTier.member_level, PriceTier.min_quantity)",
    )
    images: Mapped[list[ProductImage]] = relationship(
        back_populates="product", cascade="all, delete-orphan", order_by="ProductImage.position"
    )
    slot: Mapped[ShelfSlot | None] = relationship(back_populates="product")


class PriceTier(Base):
    """One step of a price ladder: from min_quantity units, a member level pays unit_price_fen."""

    __tablename__ = "price_tiers"
    __table_args__ = (
        UniqueConstraint("product_id", "member_level", "min_quantity"),
        CheckConstraint("min_quantity > 0", name="min_quantity_positive"),
        CheckConstraint("unit_price_fen > 0", name="unit_price_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    member_level: Mapped[str] = mapped_column(String(20))
    min_quantity: Mapped[int] = mapped_column(Integer)
    unit_price_fen: Mapped[int] = mapped_column(Integer)

    product: Mapped[Product] = relationship(back_populates="price_tiers")


class ProductImage(Base):
    __tablename__ = "product_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Relative to <var_dir>/media.
    path: Mapped[str] = mapped_column(String(300))

    product: Mapped[Product] = relationship(back_populates="images")


class Zone(Base):
    __tablename__ = "zones"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_zh: Mapped[str] = mapped_column(String(50))
    name_en: Mapped[str] = mapped_column(String(50))
    colour: Mapped[str] = mapped_column(String(7))


class ShelfSlot(Base):
    """A place on a shelf; its QR code names the slot, not the product."""

    __tablename__ = "shelf_slots"
    __table_args__ = (
        UniqueConstraint("zone_id", "aisle", "shelf", "position"),
        CheckConstraint("status IN ('active', 'retired')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))
    aisle: Mapped[str] = mapped_column(String(8))
    shelf: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="active")

    zone: Mapped[Zone] = relationship()
    product: Mapped[Product | None] = relationship(back_populates="slot")
