"""What a buyer sees of a product: read-only views built from the catalogue and stock."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from shelf_labels import codes
from store_api.errors import NotFound
from store_api.models import (
    Buyer,
    Factory,
    Order,
    OrderLine,
    PriceTier,
    Product,
    ShelfSlot,
    StockLevel,
    StockLocation,
)
from store_api.services.pricing import level_tiers, unit_price

# Couriers charge by volume over this divisor (cm³ per kg) when it exceeds the real weight.
VOLUMETRIC_DIVISOR = 6000
_CLOSED = ("cancelled", "expired")


@dataclass(frozen=True)
class StockSource:
    """Units available from one source, and how they reach the buyer."""

    kind: str  # "centre" or "factory"
    available: int
    dispatch_promise_hours: int | None


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


@dataclass(frozen=True)
class SlotView:
    slot: ShelfSlot
    product: Product
    levels: list[str]
    ladder: list[LadderRow]
    sources: list[StockSource]
    member_level: str
    quantity: int
    unit_price_fen: int
    cross_border: CrossBorderFacts
    also_ordered: list[Product]
    quantity_in_cart: int

    @property
    def margin_percent(self) -> float | None:
        """The buyer's margin at the suggested retail price, at the priced quantity."""
        retail = self.product.suggested_retail_fen
        if not retail:
            return None
        return round((retail - self.unit_price_fen) / retail * 100, 1)


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


def stock_sources(session: Session, product_id: int) -> list[StockSource]:
    """Return what each source can still sell of a product, centre first."""
    rows = session.execute(
        select(StockLocation.kind, StockLevel.on_hand - StockLevel.reserved,
               Factory.dispatch_promise_hours)
        .join(StockLevel.location)
        .outerjoin(Factory, StockLocation.factory_id == Factory.id)
        .where(StockLevel.product_id == product_id)
        .order_by(StockLocation.kind)
    )
    return [StockSource(kind, int(available), promise) for kind, available, promise in rows]


def also_ordered(session: Session, product_id: int, business_type: str | None,
                 limit: int = 4) -> list[Product]:
    """Return what buyers (of a business type, when given) ordered together with a product."""
    with_it = (
        select(OrderLine.order_id).join(Order).join(Buyer)
        .where(OrderLine.product_id == product_id, Order.status.not_in(_CLOSED))
    )
    if business_type:
        with_it = with_it.where(Buyer.business_type == business_type)
    ranked = (
        select(OrderLine.product_id, func.count(func.distinct(OrderLine.order_id)).label("n"))
        .where(OrderLine.order_id.in_(with_it), OrderLine.product_id != product_id)
        .group_by(OrderLine.product_id)
        .order_by(func.count(func.distinct(OrderLine.order_id)).desc(), OrderLine.product_id)
        .limit(limit)
    )
    ids = [row.product_id for row in session.execute(ranked)]
    if not ids:
        return []
    products = {p.id: p for p in session.scalars(
        select(Product).where(Product.id.in_(ids), Product.status == "active")
        .options(selectinload(Product.slot)))}
    return [products[i] for i in ids if i in products]


def slot_view(session: Session, slot: ShelfSlot | None, *, member_levels: list[str],
              member_level: str | None = None, also: list[Product] | None = None,
              quantity_in_cart: int = 0) -> SlotView | None:
    """Return what the product page of a slot (from find_slot) shows a buyer, or None."""
    if slot is None or slot.product is None or slot.product.status != "active":
        return None
    product = slot.product
    level = member_level if member_level in member_levels else member_levels[0]
    levels, ladder = ladder_rows(product.price_tiers, member_levels)
    quantity = quantity_in_cart if quantity_in_cart > 0 else product.moq
    price = unit_price(level_tiers(product.price_tiers, level, member_levels[0]), quantity)

    def size(prefix: str):
        values = [getattr(product, f"{prefix}_{d}_cm") for d in ("length", "width", "height")]
        return tuple(values) if all(values) else None

    return SlotView(
        slot=slot, product=product, levels=levels, ladder=ladder,
        sources=stock_sources(session, product.id), member_level=level, quantity=quantity,
        unit_price_fen=price, cross_border=CrossBorderFacts(size("packed"), size("unpacked")),
        also_ordered=also or [], quantity_in_cart=quantity_in_cart,
    )



def search(session: Session, text: str, limit: int = 30) -> list[Product]:
    """Return active products whose Chinese or English name or SKU contains the text."""
    text = text.strip()[:50]
    if not text:
        return []
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return list(session.scalars(
        select(Product)
        .where(Product.status == "active",
               Product.name_zh.ilike(pattern, escape="\\") | Product.name_en.ilike(
                   pattern, escape="\\") | Product.sku.ilike(pattern, escape="\\"))
        .options(selectinload(Product.slot), selectinload(Product.images))
        .order_by(Product.sku).limit(limit)
    ))
