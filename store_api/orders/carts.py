"""Carts held on the server: lines in case packs, MOQs, factory minimums, prices recomputed."""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload

from store_api.catalogue.models import PriceTier, Product
from store_api.catalogue.pricing import tier_for
from store_api.catalogue.rules import MAX_QUANTITY
from store_api.core.db import Database
from store_api.core.errors import DomainError
from store_api.core.models import utcnow
from store_api.factories.models import Factory
from store_api.orders.models import Cart, CartLine

MAX_LINES = 100


def _whole(quantity, field_name: str) -> int:
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise DomainError(_l("Quantity must be a whole number."), code="invalid_quantity",
                          field=field_name)
    if quantity <= 0:
        raise DomainError(_l("Quantity must be greater than zero."), code="invalid_quantity",
                          field=field_name)
    if quantity > MAX_QUANTITY:
        raise DomainError(_l("Quantity is too large."), code="invalid_quantity",
                          field=field_name)
    return quantity


def check_quantity(quantity, product: Product, field_name: str = "quantity") -> int:
    """Refuse a quantity that is not a whole number of case packs at or above the MOQ."""
    _whole(quantity, field_name)
    if quantity < product.moq:
        raise DomainError(_l("The minimum order is %(moq)s."), code="below_moq",
                          field=field_name, moq=product.moq)
    if quantity % product.case_pack:
        raise DomainError(_l("Order whole cases of %(pack)s."), code="not_case_multiple",
                          field=field_name, pack=product.case_pack)
    return quantity


# Built once: every cart change and checkout runs it.
_ANY_PRODUCTS = select(Product).where(Product.sku.in_(bindparam("skus", expanding=True))).options(
    joinedload(Product.price_tiers), joinedload(Product.factory))
_ACTIVE_PRODUCTS = _ANY_PRODUCTS.where(Product.status == "active")


def products_by_sku(session: Session, skus, *, archived_too: bool = False) -> dict[str, Product]:
    """Return the active products (or any, with archived_too) of the SKUs found, with their price
    ladders and factories, in one query however many there are."""
    wanted = list({sku for sku in skus if isinstance(sku, str) and 0 < len(sku) <= 40})
    if not wanted:
        return {}
    query = _ANY_PRODUCTS if archived_too else _ACTIVE_PRODUCTS
    return {product.sku: product for product in session.scalars(query, {"skus": wanted}).unique()}


def unknown_sku(field_name: str) -> DomainError:
    """The error for a SKU that names no product on sale."""
    return DomainError(_l("There is no such product."), code="unknown_sku", field=field_name)


def find_product(session: Session, sku, field_name: str = "sku", *,
                 archived_too: bool = False) -> Product:
    """Return the active product of a SKU (or any, with archived_too), or raise naming the field."""
    found = products_by_sku(session, [sku], archived_too=archived_too)
    if not found:
        raise unknown_sku(field_name)
    return next(iter(found.values()))


def fit(quantity: int, product: Product) -> int:
    """A quantity raised to today's MOQ and rounded up to a whole case pack."""
    wanted = max(quantity, product.moq)
    return math.ceil(wanted / product.case_pack) * product.case_pack


def _idle_too_long(touched_at: datetime, idle_minutes: int) -> bool:
    return touched_at + timedelta(minutes=idle_minutes) < utcnow()


def is_expired(cart: Cart, idle_minutes: int) -> bool:
    """Tell whether a cart has been left alone longer than the idle time."""
    return _idle_too_long(cart.touched_at, idle_minutes)


def _open_cart(session: Session, token: str | None, idle_minutes: int) -> Cart:
    """Return the token's cart, emptied if it expired, or a new cart."""
    cart = session.scalar(select(Cart).where(Cart.token == token)) if token else None
    if cart is None:
        cart = Cart(token=secrets.token_urlsafe(24))
        session.add(cart)
        session.flush()
    elif is_expired(cart, idle_minutes):
        session.execute(delete(CartLine).where(CartLine.cart_id == cart.id))
        session.expire(cart, ["lines"])
    cart.touched_at = utcnow()
    return cart


def change_line(db: Database, token: str | None, sku, quantity, *, add: bool,
                idle_minutes: int) -> str:
    """Add a quantity to a line (add=True) or set it (0 removes the line); return the cart token."""
    try:
        return _change_line(db, token, sku, quantity, add=add, idle_minutes=idle_minutes)
    except IntegrityError:
        # Two taps raced to create the same line; the second now finds it and adds to it.
        return _change_line(db, token, sku, quantity, add=add, idle_minutes=idle_minutes)


def _change_line(db: Database, token: str | None, sku, quantity, *, add: bool,
                 idle_minutes: int) -> str:
    removing = not add and quantity == 0 and type(quantity) is int
    with db.unit_of_work() as session:
        product = find_product(session, sku, archived_too=removing)
        cart = _open_cart(session, token, idle_minutes)
        line = session.get(CartLine, (cart.id, product.id))
        if removing:
            if line is not None:
                session.delete(line)
            return cart.token
        wanted = (line.quantity if line else 0) + _whole(quantity, "quantity") if add else quantity
        check_quantity(wanted, product)
        if line is not None:
            line.quantity = wanted
        elif len(cart.lines) >= MAX_LINES:
            raise DomainError(_l("A cart holds at most %(n)s products."), code="cart_full",
                              field="sku", n=MAX_LINES)
        else:
            session.add(CartLine(cart_id=cart.id, product_id=product.id, quantity=wanted))
        return cart.token


@dataclass
class LineView:
    product: Product
    quantity: int
    tier: PriceTier | None

    @property
    def unit_price_fen(self) -> int:
        """The tier's price; 0 when the catalogue changed and the quantity reaches no tier."""
        return self.tier.unit_price_fen if self.tier else 0

    @property
    def fits(self) -> bool:
        """Whether the quantity still keeps the product's MOQ, case pack and ladder."""
        product = self.product
        return (self.tier is not None and product.status == "active"
                and self.quantity >= product.moq and self.quantity % product.case_pack == 0)

    @property
    def total_fen(self) -> int:
        return self.quantity * self.unit_price_fen


@dataclass
class FactoryShortfall:
    """A factory's mixed-batch minimum that the cart's lines from it do not reach."""

    factory: Factory
    minimum_fen: int
    missing_fen: int


@dataclass
class CartView:
    token: str | None
    lines: list[LineView] = field(default_factory=list)
    shortfalls: list[FactoryShortfall] = field(default_factory=list)
    expired: bool = False

    @property
    def total_fen(self) -> int:
        return sum(line.total_fen for line in self.lines)



def priced_lines(products_and_quantities, level: str, base_level: str) -> list[LineView]:
    """Price each (product, quantity) for a member level at its own quantity."""
    return [
        LineView(product, quantity, tier_for(product.price_tiers, level, base_level, quantity))
        for product, quantity in products_and_quantities
    ]


def shortfalls(lines: list[LineView]) -> list[FactoryShortfall]:
    """Return the factories whose mixed-batch minimum the lines do not reach."""
    per_factory: dict[int, tuple[Factory, int]] = {}
    for line in lines:
        factory = line.product.factory
        total = per_factory.get(factory.id, (factory, 0))[1] + line.total_fen
        per_factory[factory.id] = (factory, total)
    return [
        FactoryShortfall(factory, factory.mixed_batch_min_fen, factory.mixed_batch_min_fen - total)
        for factory, total in per_factory.values()
        if total < factory.mixed_batch_min_fen
    ]


def view(session: Session, token: str | None, *, level: str, base_level: str,
         idle_minutes: int) -> CartView:
    """Return the cart with prices for the buyer's level, as of now."""
    cart = session.scalar(
        select(Cart).where(Cart.token == token).options(selectinload(Cart.lines))
    ) if token else None
    if cart is None:
        return CartView(token=None)
    if is_expired(cart, idle_minutes):
        return CartView(token=cart.token, expired=bool(cart.lines))
    products = {
        p.id: p for p in session.scalars(
            select(Product)
            .where(Product.id.in_([line.product_id for line in cart.lines]))
            .options(selectinload(Product.price_tiers), selectinload(Product.factory),
                     selectinload(Product.slot))
        )
    }
    lines = priced_lines(
        sorted(((products[line.product_id], line.quantity) for line in cart.lines),
               key=lambda pair: pair[0].sku),
        level, base_level,
    )
    return CartView(token=cart.token, lines=lines, shortfalls=shortfalls(lines))


def quantity_in_cart(session: Session, token: str | None, product_id: int,
                     idle_minutes: int) -> int:
    """Return how many of a product a live cart holds (0 for none or an expired cart)."""
    if not token:
        return 0
    row = session.execute(
        select(CartLine.quantity, Cart.touched_at).join(Cart)
        .where(Cart.token == token, CartLine.product_id == product_id)
    ).first()
    if row is None or _idle_too_long(row.touched_at, idle_minutes):
        return 0
    return row.quantity


def attach_buyer(db: Database, token: str | None, buyer_id: int) -> None:
    """Remember who a cart belongs to."""
    if not token:
        return
    with db.unit_of_work() as session:
        cart = session.scalar(select(Cart).where(Cart.token == token))
        if cart is not None:
            cart.buyer_id = buyer_id


def hand_over(db: Database, from_token, to_token: str | None, *, idle_minutes: int) -> str:
    """Move a cart's lines to another device's cart (adding to lines it has) and return that
    cart's token; the giving cart is left empty, so a second hand-over finds nothing."""
    with db.unit_of_work() as session:
        giving = session.scalar(select(Cart).where(Cart.token == from_token)) if isinstance(
            from_token, str) else None
        if giving is None or not giving.lines or is_expired(giving, idle_minutes):
            raise DomainError(_l("This cart was taken already, or has expired."),
                              code="cart_gone", status=410)
        if to_token == from_token:
            return to_token
        taking = _open_cart(session, to_token, idle_minutes)
        have = {line.product_id: line for line in taking.lines}
        for line in list(giving.lines):
            product = session.get(Product, line.product_id)
            if line.product_id in have:
                have[line.product_id].quantity += line.quantity
                check_quantity(have[line.product_id].quantity, product)
            else:
                session.add(CartLine(cart_id=taking.id, product_id=line.product_id,
                                     quantity=line.quantity))
        session.execute(delete(CartLine).where(CartLine.cart_id == giving.id))
        return taking.token
