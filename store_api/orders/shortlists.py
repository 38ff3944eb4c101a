"""Shortlists (选品单): products starred while walking the floor, on named lists that a
device keeps, an account finds on every phone, and a link shares to view or to edit; shown at
live prices and stock, and turned into a cart in one step."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from store_api.catalogue.models import Product
from store_api.catalogue.pricing import price_for
from store_api.core.db import Database
from store_api.core.errors import DomainError, NotFound
from store_api.core.models import utcnow
from store_api.orders import carts
from store_api.orders.models import Shortlist, ShortlistItem
from store_api.stock import inventory

MAX_ITEMS = 200
MAX_LISTS = 20  # kept on one device


@dataclass(frozen=True)
class Access:
    """A list reached by a token, and whether the token may change it."""

    shortlist: Shortlist
    can_edit: bool


@dataclass(frozen=True)
class ItemView:
    """A product on a list as it stands now: its price at the MOQ for the viewer, its stock."""

    product: Product
    unit_price_fen: int | None
    available: int

    @property
    def on_sale(self) -> bool:
        """Whether it can still be ordered."""
        return self.product.status == "active"


def _name(name) -> str:
    text = name.strip() if isinstance(name, str) else ""
    if not text or len(text) > 60:
        raise DomainError(_l("Give the list a name of up to 60 characters."),
                          code="invalid_name", field="name")
    return text


def _new(session: Session, name, buyer_id: int | None) -> Shortlist:
    shortlist = Shortlist(name=_name(name), edit_token=secrets.token_urlsafe(16),
                          view_token=secrets.token_urlsafe(16), buyer_id=buyer_id)
    session.add(shortlist)
    session.flush()
    return shortlist


def create(db: Database, name, *, buyer_id: int | None) -> str:
    """Start a named list, under the account when the device is signed in; return its edit
    token."""
    with db.unit_of_work() as session:
        return _new(session, name, buyer_id).edit_token


def reach(session: Session, token) -> Access | None:
    """Return the list a token opens and what it may do there, or None."""
    if not isinstance(token, str) or not 10 <= len(token) <= 32:
        return None
    found = session.scalar(select(Shortlist).where(
        or_(Shortlist.edit_token == token, Shortlist.view_token == token)))
    return Access(found, found.edit_token == token) if found else None


def _editable(session: Session, token) -> Shortlist:
    access = reach(session, token)
    if access is None or not access.can_edit:
        raise NotFound(_l("There is no such list, or this link may only look at it."),
                       field="list")
    return access.shortlist


def star(db: Database, token, sku, *, new_name, buyer_id: int | None) -> str:
    """Put a product on a list (once; starring it again changes nothing), on a new list named
    `new_name` when there is no token; return the list's edit token."""
    try:
        with db.unit_of_work() as session:
            product = carts.find_product(session, sku)
            shortlist = (_editable(session, token) if token is not None
                         else _new(session, new_name, buyer_id))
            held = session.scalar(select(func.count()).where(
                ShortlistItem.shortlist_id == shortlist.id))
            exists = session.scalar(select(ShortlistItem.id).where(
                ShortlistItem.shortlist_id == shortlist.id,
                ShortlistItem.product_id == product.id))
            if exists is None:
                if held >= MAX_ITEMS:
                    raise DomainError(_l("A list holds at most %(n)s products."),
                                      code="list_full", field="sku", n=MAX_ITEMS)
                session.add(ShortlistItem(shortlist_id=shortlist.id, product_id=product.id))
                shortlist.updated_at = utcnow()
            return shortlist.edit_token
    except IntegrityError:
        # A colleague starred the same product at the same moment: it is on the list.
        return token


def unstar(db: Database, token, sku) -> None:
    """Take a product off a list."""
    with db.unit_of_work() as session:
        shortlist = _editable(session, token)
        product = carts.find_product(session, sku, archived_too=True)
        item = session.scalar(select(ShortlistItem).where(
            ShortlistItem.shortlist_id == shortlist.id, ShortlistItem.product_id == product.id))
        if item is not None:
            session.delete(item)
            shortlist.updated_at = utcnow()


def items(session: Session, shortlist: Shortlist, *, level: str,
          base_level: str) -> list[ItemView]:
    """Return a list's products at the viewer's price for their MOQ and their stock now."""
    found = list(session.scalars(
        select(Product).join(ShortlistItem, ShortlistItem.product_id == Product.id)
        .where(ShortlistItem.shortlist_id == shortlist.id).order_by(ShortlistItem.id)
        .options(selectinload(Product.price_tiers), selectinload(Product.slot),
                 selectinload(Product.factory))))
    stock = inventory.free_by_product(session, [p.id for p in found])
    return [ItemView(p, price_for(p.price_tiers, level, base_level, p.moq),
                     stock.get(p.id, 0)) for p in found]


def to_cart(db: Database, token, cart_token: str | None, *, idle_minutes: int) -> str | None:
    """Put every product of a list still on sale in the cart at its MOQ (more if the cart
    holds more already); return the cart's token. A product the cart cannot take (a full cart,
    terms no quantity keeps) is left out rather than stopping the rest."""
    with db.read_session() as session:
        access = reach(session, token)
        if access is None:
            raise NotFound(_l("There is no such list."), field="list")
        wanted = [(item.product.sku,
                   max(carts.fit(item.product.moq, item.product),
                       carts.quantity_in_cart(session, cart_token, item.product.id,
                                              idle_minutes)))
                  for item in session.scalars(
                      select(ShortlistItem).where(
                          ShortlistItem.shortlist_id == access.shortlist.id)
                      .options(selectinload(ShortlistItem.product)))
                  if item.product.status == "active"]
    for sku, quantity in wanted:
        try:
            cart_token = carts.change_line(db, cart_token, sku, quantity, add=False,
                                           idle_minutes=idle_minutes)
        except DomainError:
            continue
    return cart_token


def kept(session: Session, tokens: list[str], buyer_id: int | None) -> list[Shortlist]:
    """Return the lists a device keeps (by their edit tokens) and its account's, newest first."""
    wanted = [t for t in tokens if isinstance(t, str)][:MAX_LISTS]
    clauses = [Shortlist.edit_token.in_(wanted)] if wanted else []
    if buyer_id is not None:
        clauses.append(Shortlist.buyer_id == buyer_id)
    if not clauses:
        return []
    return list(session.scalars(select(Shortlist).where(or_(*clauses))
                                .options(selectinload(Shortlist.items))
                                .order_by(Shortlist.updated_at.desc(), Shortlist.id.desc())))


def starred_in(lists: list[Shortlist], product_id: int) -> list[str]:
    """Return the names of the lists that hold a product."""
    return [s.name for s in lists if any(i.product_id == product_id for i in s.items)]
