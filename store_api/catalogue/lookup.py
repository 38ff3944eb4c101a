"""Finding products and slots, and laying a price ladder and a pack's size out for people."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from shelf_labels import codes
from store_api.catalogue.models import PriceTier, Product, ShelfSlot, Zone
from store_api.catalogue.pricing import unit_price
from store_api.core.errors import NotFound
from store_api.factories.models import Factory

# Couriers charge by volume over this divisor (cm³ per kg) when it exceeds the real weight.
VOLUMETRIC_DIVISOR = 6000


@dataclass(frozen=True)
class LadderRow:
    """From min_quantity units on, the unit price of each member level."""

    min_quantity: int
    prices: dict[str, int]


@dataclass(frozen=True)
class CrossBorderFacts:
    packed_cm: tuple[float, float, float] | None
    unpacked_cm: tuple[float, float, float] | None

    @staticmethod
    def _volumetric_kg(size) -> float | None:
        return round(size[0] * size[1] * size[2] / VOLUMETRIC_DIVISOR, 2) if size else None

    @property
    def packed_litres(self) -> float | None:
        size = self.packed_cm
        return round(size[0] * size[1] * size[2] / 1000, 1) if size else None

    @property
    def volumetric_kg(self) -> float | None:
        return self._volumetric_kg(self.packed_cm)

    @property
    def unfolded_volumetric_kg(self) -> float | None:
        return self._volumetric_kg(self.unpacked_cm)

    @property
    def saving_percent(self) -> int | None:
        """How much less volumetric weight the folded pack costs than the unfolded size, rounded
        down, so a pack that still weighs something never claims to save 100 %."""
        packed, unfolded = self.volumetric_kg, self.unfolded_volumetric_kg
        if packed is None or not unfolded or unfolded <= packed:
            return None
        return int((unfolded - packed) / unfolded * 100)


def ladder_rows(
    tiers: list[PriceTier], member_levels: list[str]
) -> tuple[list[str], list[LadderRow]]:
    """Lay a price ladder out as a table: a row per quantity break, a column per level."""
    by_level: dict[str, list[PriceTier]] = {}
    for tier in sorted(tiers, key=lambda t: t.min_quantity):
        by_level.setdefault(tier.member_level, []).append(tier)
    levels = [level for level in member_levels if level in by_level]
    rows = [
        LadderRow(quantity, {level: unit_price(by_level[level], quantity) for level in levels})
        for quantity in sorted({tier.min_quantity for tier in tiers})
    ]
    return levels, rows


def product_by_sku(session: Session, sku) -> Product:
    """The product of a SKU, or NotFound."""
    product = session.scalar(select(Product).where(Product.sku == sku)) if isinstance(
        sku, str) and sku else None
    if product is None:
        raise NotFound(_l("There is no such SKU."), field="sku")
    return product


def find_slot(session: Session, code: str) -> ShelfSlot | None:
    """Return the active slot of a code, or None; malformed codes never reach the database."""
    code = codes.normalise(code)
    if not codes.is_valid(code):
        return None
    return session.scalar(
        select(ShelfSlot)
        .where(ShelfSlot.code == code, ShelfSlot.status == "active")
        .options(
            joinedload(ShelfSlot.zone),
            joinedload(ShelfSlot.product).options(
                joinedload(Product.factory),
                selectinload(Product.price_tiers),
                selectinload(Product.images),
            ),
        )
    )


def on_shelf(session: Session, *, zone: str | None = None, category: str | None = None,
             limit: int = 200) -> list[Product]:
    """Return active products on an active slot, of a zone or a category, by SKU."""
    query = (select(Product).join(ShelfSlot, ShelfSlot.product_id == Product.id)
             .where(Product.status == "active", ShelfSlot.status == "active")
             .options(selectinload(Product.slot), selectinload(Product.images),
                      selectinload(Product.price_tiers))
             .order_by(Product.sku))
    if zone:
        query = query.join(Zone, Zone.id == ShelfSlot.zone_id).where(Zone.code == zone)
    if category:
        query = query.where(Product.category == category)
    return list(session.scalars(query.limit(limit)))


def on_shelf_by_sku(session: Session, skus: list[str]) -> list[Product]:
    """Return the active products on an active slot among SKUs, in the SKUs' order."""
    found = {p.sku: p for p in session.scalars(
        select(Product).join(ShelfSlot, ShelfSlot.product_id == Product.id)
        .where(Product.sku.in_(skus), Product.status == "active", ShelfSlot.status == "active")
        .options(selectinload(Product.slot)))}
    return [found[sku] for sku in skus if sku in found]


def categories(session: Session) -> list[str]:
    """Return the categories of active products, sorted."""
    return sorted(c for c in session.scalars(
        select(Product.category).where(Product.status == "active").distinct()) if c)


def product_list(session: Session, text: str, status: str, limit: int = 500) -> list[Product]:
    """Return products by SKU with their factory and slot, narrowed by a search over SKU, names
    and factory code, and by status ("active", "archived"; anything else is every status)."""
    query = select(Product).options(
        selectinload(Product.factory), selectinload(Product.slot).selectinload(ShelfSlot.zone)
    ).order_by(Product.sku).limit(limit)
    if status in ("active", "archived"):
        query = query.where(Product.status == status)
    if text:
        like = f"%{text}%"
        query = query.join(Factory).where(or_(
            Product.sku.ilike(like), Product.name_zh.ilike(like), Product.name_en.ilike(like),
            Factory.code.ilike(like)))
    return list(session.scalars(query))


def product_to_edit(session: Session, sku: str) -> Product | None:
    """Return a product with its ladder and pictures, or None."""
    return session.scalar(select(Product).where(Product.sku == sku).options(
        selectinload(Product.price_tiers), selectinload(Product.images)))


def sku_taken(session: Session, sku: str) -> bool:
    """Tell whether a product has this SKU."""
    return session.scalar(select(Product.id).where(Product.sku == sku)) is not None


def slot_codes(session: Session, skus: list[str]) -> list[str]:
    """Return the codes of the slots holding these products."""
    return list(session.scalars(select(ShelfSlot.code).join(Product).where(
        Product.sku.in_(skus)))) if skus else []
