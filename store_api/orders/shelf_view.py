"""What a shelf slot shows a buyer: the product, its ladder at their level, stock by source,
and what other buyers ordered with it; and a product's card in the phone's lists."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from store_api.buyers.models import Buyer
from store_api.catalogue.lookup import CrossBorderFacts, LadderRow, ladder_rows
from store_api.catalogue.models import Product, ShelfSlot
from store_api.catalogue.pricing import level_tiers, unit_price
from store_api.core.models import ScanEvent
from store_api.factories.models import Factory
from store_api.orders.models import Order, OrderLine
from store_api.stock.inventory import free_by_product
from store_api.stock.models import StockLevel, StockLocation

_CLOSED = ("cancelled", "expired")


@dataclass(frozen=True)
class StockSource:
    """Units available from one source, and how they reach the buyer."""

    kind: str  # "centre" or "factory"
    available: int
    dispatch_promise_hours: int | None


@dataclass(frozen=True)
class SlotView:
    slot: ShelfSlot
    product: Product
    levels: list[str]
    ladder: list[LadderRow]
    sources: list[StockSource]
    member_level: str
    tiers: list[tuple[int, int]]  # (minimum quantity, unit price) at the buyer's level
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
    tiers = level_tiers(product.price_tiers, level, member_levels[0])
    price = unit_price(tiers, quantity)

    def size(prefix: str):
        values = [getattr(product, f"{prefix}_{d}_cm") for d in ("length", "width", "height")]
        return tuple(values) if all(values) else None

    return SlotView(
        slot=slot, product=product, levels=levels, ladder=ladder,
        sources=stock_sources(session, product.id), member_level=level,
        tiers=[(t.min_quantity, t.unit_price_fen) for t in tiers], quantity=quantity,
        unit_price_fen=price, cross_border=CrossBorderFacts(size("packed"), size("unpacked")),
        also_ordered=also or [], quantity_in_cart=quantity_in_cart,
    )


@dataclass(frozen=True)
class Card:
    """A product as the phone's lists show it: the lowest price at the buyer's level, and the
    units free to order from every source."""

    product: Product
    from_fen: int | None
    free: int


def cards(session: Session, products: list[Product], *, level: str,
          base_level: str) -> list[Card]:
    """Return the cards of products (with their price tiers loaded), in the same order."""
    free = free_by_product(session, [p.id for p in products])
    return [Card(p, min((t.unit_price_fen for t in level_tiers(p.price_tiers, level,
                                                                 base_level)), default=None),
                 max(int(free.get(p.id, 0)), 0)) for p in products]


def recent_scans(session: Session, scanner_id: str | None, limit: int = 6) -> list[Product]:
    """Return the active products this phone scanned last, newest first, each once."""
    if not scanner_id:
        return []
    latest = (select(ScanEvent.product_id, func.max(ScanEvent.id).label("last"))
              .where(ScanEvent.session_id == scanner_id, ScanEvent.product_id.is_not(None))
              .group_by(ScanEvent.product_id).order_by(func.max(ScanEvent.id).desc())
              .limit(limit).subquery())
    return list(session.scalars(
        select(Product).join(latest, latest.c.product_id == Product.id)
        .join(ShelfSlot, ShelfSlot.product_id == Product.id)
        .where(Product.status == "active", ShelfSlot.status == "active")
        .order_by(latest.c.last.desc())
        .options(selectinload(Product.slot), selectinload(Product.images),
                 selectinload(Product.price_tiers))))
