"""Reorder: the lines of a past order put in the cart again at today's prices, saying what
changed since (price, MOQ or case pack, stock, a product retired)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from store_api.catalogue.models import Product
from store_api.catalogue.pricing import price_for
from store_api.core.db import Database
from store_api.core.errors import DomainError, NotFound
from store_api.orders import carts
from store_api.orders.models import Order, OrderLine
from store_api.stock import inventory


@dataclass
class Again:
    """One product of the past order as it goes into the cart now, and what changed."""

    product: Product
    before_quantity: int
    before_price_fen: int
    quantity: int = 0
    price_fen: int | None = None
    available: int = 0
    changes: list[str] = field(default_factory=list)

    @property
    def added(self) -> bool:
        """Whether the line went into the cart."""
        return "retired" not in self.changes and "refused" not in self.changes


def plan(session: Session, number: str, buyer_id: int, *, level: str,
         base_level: str) -> list[Again]:
    """Return what reordering one of the buyer's orders puts in the cart; another buyer's
    order is not found."""
    order = session.scalar(select(Order).where(Order.number == number[:20],
                                               Order.buyer_id == buyer_id))
    if order is None:
        raise NotFound(_l("There is no order with this number."), field="number")
    before: dict[int, tuple[int, int]] = {}
    for product_id, quantity, price in session.execute(
            select(OrderLine.product_id, OrderLine.quantity, OrderLine.unit_price_fen)
            .where(OrderLine.order_id == order.id).order_by(OrderLine.id)):
        had = before.get(product_id, (0, price))[0]
        before[product_id] = (had + quantity, price)
    products = {p.id: p for p in session.scalars(
        select(Product).where(Product.id.in_(list(before)))
        .options(selectinload(Product.price_tiers)))}
    stock = inventory.free_by_product(session, list(before))
    planned = []
    for product_id, (quantity, price) in before.items():
        product = products[product_id]
        again = Again(product, quantity, price, available=stock.get(product_id, 0))
        if product.status != "active":
            again.changes.append("retired")
        else:
            again.quantity = carts.fit(quantity, product)
            again.price_fen = price_for(product.price_tiers, level, base_level, again.quantity)
            if again.quantity != quantity:
                again.changes.append("quantity")
            if again.price_fen != price:
                again.changes.append("price")
            if again.available < again.quantity:
                again.changes.append("stock")
        planned.append(again)
    return planned


def reorder(db: Database, number: str, buyer_id: int, cart_token: str | None, *, level: str,
            base_level: str, idle_minutes: int) -> tuple[str | None, list[Again]]:
    """Put a past order's products in the cart at today's terms; return the cart's token and
    what each line became."""
    with db.read_session() as session:
        planned = plan(session, number, buyer_id, level=level, base_level=base_level)
    token = cart_token
    for again in planned:
        if not again.added:
            continue
        try:
            token = carts.change_line(db, token, again.product.sku, again.quantity, add=False,
                                      idle_minutes=idle_minutes)
        except DomainError:
            again.changes.append("refused")  # a cart full or terms that no quantity keeps
    return token, planned
