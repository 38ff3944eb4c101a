"""No hoarding: what a buyer's unpaid orders may hold at once (open orders, value, a share of a
product's stock), tighter for a guest device than for a signed-in buyer. On-account orders
are bounded by credit instead."""

from __future__ import annotations

import math
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from shelf_labels.money import yuan
from store_api.buyers.models import Buyer
from store_api.core.errors import DomainError
from store_api.core.setting_sections import Holds
from store_api.orders.carts import LineView, fit
from store_api.orders.models import Order, OrderLine
from store_api.stock.models import StockLevel

_HELD = (
    select(Order.id, Order.total_fen, OrderLine.product_id, OrderLine.quantity)
    .join(OrderLine, OrderLine.order_id == Order.id)
    .where(Order.buyer_id == bindparam("buyer"), Order.status == "awaiting_payment",
           Order.hold_until.is_not(None)))
_STOCK = (
    select(StockLevel.product_id, func.sum(StockLevel.on_hand))
    .where(StockLevel.product_id.in_(bindparam("products", expanding=True)))
    .group_by(StockLevel.product_id))


@dataclass(frozen=True)
class Limits:
    """What one holder's unpaid orders may hold together."""

    orders: int
    value_fen: int
    product_percent: int
    guest: bool

    @classmethod
    def of(cls, holds: Holds, *, guest: bool) -> Limits:
        """The limits of a guest device or of a signed-in buyer."""
        if guest:
            return cls(holds.guest_orders, round(holds.guest_value * 100),
                       holds.guest_product_percent, True)
        return cls(holds.member_orders, round(holds.member_value * 100),
                   holds.member_product_percent, False)


@dataclass(frozen=True)
class Held:
    """What a holder's unpaid orders hold now: how many, their value, units per product."""

    orders: int
    value_fen: int
    units: dict[int, int]


def refusal(limits: Limits, held: Held, lines: list[tuple[str, int, int, int]], total_fen: int,
            stock: dict[int, int]) -> DomainError | None:
    """Return why a new unpaid order of (sku, product id, quantity, smallest order) lines worth
    total_fen may not hold its stock beside what is held already, given each product's units in
    stock; None when it may. The share of a product's stock never stops its smallest order."""
    hint = _l(" Sign in with your phone for more.") if limits.guest else ""
    if held.orders + 1 > limits.orders:
        return DomainError(_l("At most %(n)s unpaid orders can wait at once; pay for one "
                              "first.%(hint)s"), code="hold_orders_limit", field="lines",
                           status=409, n=limits.orders, hint=hint)
    if held.value_fen + total_fen > limits.value_fen:
        return DomainError(_l("Unpaid orders can hold at most %(limit)s at once; with this one "
                              "yours would hold %(total)s.%(hint)s"),
                           code="hold_value_limit", field="lines", status=409,
                           limit=yuan(limits.value_fen), total=yuan(held.value_fen + total_fen),
                           hint=hint)
    for index, (sku, product_id, quantity, smallest) in enumerate(lines):
        allowed = max(math.floor(stock.get(product_id, 0) * limits.product_percent / 100),
                      smallest)
        if held.units.get(product_id, 0) + quantity > allowed:
            return DomainError(_l("Unpaid orders can hold at most %(n)s of %(sku)s for you; "
                                  "order fewer or pay for what you hold.%(hint)s"),
                               code="hold_product_limit", field=f"lines[{index}].quantity",
                               status=409, n=allowed, sku=sku, hint=hint)
    return None


def check(session: Session, buyer: Buyer, lines: list[LineView], holds: Holds) -> None:
    """Refuse an unpaid order that would take the buyer's holds past their limits."""
    held_orders: dict[int, int] = {}
    units: dict[int, int] = {}
    for order_id, total, product_id, quantity in session.execute(_HELD, {"buyer": buyer.id}):
        held_orders[order_id] = total
        units[product_id] = units.get(product_id, 0) + quantity
    stock = dict(session.execute(_STOCK, {"products": [line.product.id for line in lines]}).all())
    problem = refusal(Limits.of(holds, guest=buyer.is_guest),
                      Held(len(held_orders), sum(held_orders.values()), units),
                      [(line.product.sku, line.product.id, line.quantity,
                        fit(line.product.moq, line.product)) for line in lines],
                      sum(line.total_fen for line in lines), stock)
    if problem is not None:
        raise problem
