"""The cart, who the buyer is, and checkout, as pages for the phone."""

from __future__ import annotations

import uuid

from flask import Blueprint, redirect, render_template, request, url_for

from store_api.core.errors import DomainError
from store_api.core.state import state
from store_api.orders import buyer_session, carts
from store_api.orders.cart_groups import by_shipper
from store_api.orders.checkout import Delivery, check_buyer, order_from_cart, plan
from store_api.web.form_actions import form_number
from store_api.web.same_origin import local_target, require_same_origin
from store_api.web.session import db_session

bp = Blueprint("cart", __name__, template_folder="templates")
bp.before_request(require_same_origin)


def _change(*, add: bool):
    settings = state().settings
    token = carts.change_line(state().db, buyer_session.cart_token(), request.form.get("sku"),
                              form_number(request.form.get("quantity")), add=add,
                              idle_minutes=settings.carts.idle_minutes)
    buyer_session.remember_cart(token)


@bp.post("/cart/add")
def add():
    """Add a quantity of a product, then go back where the buyer was."""
    _change(add=True)
    return redirect(local_target(request.form.get("next"), url_for("cart.cart_page")), 303)


@bp.post("/cart/set")
def set_quantity():
    """Set a line's quantity from the cart page; 0 removes it."""
    _change(add=False)
    return redirect(url_for("cart.cart_page"), 303)


@bp.get("/cart")
def cart_page():
    """Show the cart with current prices and what is missing to check out."""
    buyer = buyer_session.current_buyer(db_session())
    cart = buyer_session.cart_view(db_session(), buyer)
    groups = by_shipper(db_session(), cart, state().settings.orders.allocate_first)
    return render_template("kiosk/cart.html", cart=cart, buyer=buyer, groups=groups,
                           grouped_factories={g.factory.id for g in groups if g.factory})


@bp.post("/buyer")
def identify():
    """Remember the guest details this device typed (no member prices: the phone is not
    proved)."""
    try:
        buyer_session.say_who(phone=request.form.get("phone"), name=request.form.get("name"),
                              company=request.form.get("company", ""),
                              business_type=request.form.get("business_type"))
    except DomainError as error:
        return checkout_page(error=error, status=422)
    return redirect(url_for("cart.checkout_page"), 303)


@bp.get("/checkout")
def checkout_page(error: DomainError | None = None, status: int = 200):
    """Show who is buying, how the goods come, and the groups the order will split into."""
    session = db_session()
    buyer = buyer_session.current_buyer(session)
    cart = buyer_session.cart_view(session, buyer)
    groups, problem = [], error
    if buyer is not None and cart.lines and problem is None:
        try:
            groups = plan(session, cart.lines, state().settings.orders.allocate_first)
            check_buyer(buyer, groups, Delivery())
        except DomainError as refused:
            problem = refused
    return render_template(
        "kiosk/checkout.html", buyer=buyer, cart=cart, groups=groups, error=problem,
        form=request.form, idempotency_key=request.form.get("idempotency_key") or uuid.uuid4().hex,
        business_types=state().settings.catalogue.business_types,
    ), status


def _float(name: str) -> float | None:
    try:
        return float(request.form.get(name, ""))
    except ValueError:
        return None


@bp.post("/checkout")
def checkout():
    """Place the order; a repeated submit with the same key lands on the same order."""
    form = request.form
    delivery = Delivery(
        centre=form.get("centre", "pickup"), address=form.get("address", "")[:300],
        latitude=_float("latitude"), longitude=_float("longitude"),
        recipient_name=form.get("recipient_name", "")[:100],
        recipient_phone=form.get("recipient_phone", "")[:20],
        ship_address=form.get("ship_address", "")[:300],
    )
    try:
        placed = order_from_cart(
            state().db, buyer_id=buyer_session.buyer_id(), cart_token=buyer_session.cart_token(),
            delivery=delivery, idempotency_key=form.get("idempotency_key"),
            settings=state().settings, scanner_id=buyer_session.scanner_id())
    except DomainError as error:
        return checkout_page(error=error, status=error.status)
    return redirect(url_for("orders.order_page", number=placed["number"]), 303)
