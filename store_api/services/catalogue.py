"""What a buyer sees of a product: read-only views built from the catalogue and stock."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from shelf_labels import codes
from store_api.models import Factory, PriceTier, Product, ShelfSlot, StockLevel, StockLocation


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
class SlotView:
    slot: ShelfSlot
    product: Product
    levels: list[str]
    ladder: list[LadderRow]
    sources: list[StockSource]


def unit_price(tiers: list[PriceTier], quantity: int) -> int | None:
    """Return the unit price of the highest tier reached by a quantity (tiers sorted)."""
    price = None
    for tier in tiers:
        if tier.min_quantity <= quantity:
            price = tier.unit_price_fen
    return price


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


def slot_view(session: Session, code: str, member_levels: list[str]) -> SlotView | None:
    """Return what the product page of a slot shows, or None if there is nothing to show."""
    slot = find_slot(session, code)
    if slot is None or slot.product is None or slot.product.status != "active":
        return None
    product = slot.product
    levels, ladder = ladder_rows(product.price_tiers, member_levels)
    rows = session.execute(
        select(StockLocation.kind, StockLevel.on_hand - StockLevel.reserved,
               Factory.dispatch_promise_hours)
        .join(StockLevel.location)
        .outerjoin(Factory, StockLocation.factory_id == Factory.id)
        .where(StockLevel.product_id == product.id)
        .order_by(StockLocation.kind)
    )
    sources = [StockSource(kind, int(available), promise) for kind, available, promise in rows]
    return SlotView(slot, product, levels, ladder, sources)
