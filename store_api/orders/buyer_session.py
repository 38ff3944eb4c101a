"""The buyer's device: cart token and buyer id kept in the signed session cookie."""

from __future__ import annotations

from flask import session
from sqlalchemy.orm import Session

from store_api.buyers import buyers
from store_api.buyers.models import Buyer
from store_api.core.state import state
from store_api.orders import carts

CART, BUYER = "cart", "buyer"


def _kept(key: str, kind: type):
    value = session.get(key)
    return value if isinstance(value, kind) else None


def _keep(key: str, value) -> None:
    session.permanent = True
    session[key] = value


def cart_token() -> str | None:
    """Return this device's cart token, if it has a cart."""
    return _kept(CART, str)


def remember_cart(token: str) -> None:
    """Keep the cart's token on the device."""
    _keep(CART, token)


def buyer_id() -> int | None:
    """Return the buyer this device said it is, if any."""
    return _kept(BUYER, int)


def remember_buyer(value: int) -> None:
    """Keep who the buyer is on the device, and give them the cart."""
    _keep(BUYER, value)
    carts.attach_buyer(state().db, cart_token(), value)


def current_buyer(db_session: Session) -> Buyer | None:
    """Return this device's buyer row, or None."""
    return buyers.find(db_session, buyer_id())


def cart_view(db_session: Session, buyer: Buyer | None) -> carts.CartView:
    """Return this device's cart priced for its buyer."""
    settings = state().settings
    base = settings.catalogue.member_levels[0]
    return carts.view(db_session, cart_token(), level=buyer.member_level if buyer else base,
                      base_level=base, idle_minutes=settings.carts.idle_minutes)
