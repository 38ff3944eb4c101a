"""The buyer's side of the API: slots, the cart, orders."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import lazy_gettext as _l

from store_api.api import Operations
from store_api.catalogue.lookup import find_slot
from store_api.core.errors import NotFound
from store_api.core.state import state
from store_api.orders import buyer_session, carts, orders, schemas
from store_api.orders.checkout import Delivery, order_from_cart, place_order
from store_api.orders.shelf_view import SlotView, also_ordered, slot_view
from store_api.web.page_cache import app_cache
from store_api.web.session import db_session

# This module's operations, added to the API by the bootstrap.
operation = Operations()


def slot_body(view: SlotView) -> dict:
    """Return the API's description of a slot's product for a buyer."""
    product, factory, facts = view.product, view.product.factory, view.cross_border
    return {
        "code": view.slot.code,
        "zone": {k: getattr(view.slot.zone, k) for k in ("code", "name_zh", "name_en", "colour")},
        "sku": product.sku, "name_zh": product.name_zh, "name_en": product.name_en,
        "factory": {k: getattr(factory, k) for k in (
            "code", "name_zh", "name_en", "industrial_belt_zh", "industrial_belt_en")},
        "images": [url_for("media.media", path=image.path) for image in product.images],
        "moq": product.moq, "case_pack": product.case_pack,
        "member_level": view.member_level,
        "ladder": [{"min_quantity": row.min_quantity, "prices": row.prices} for row in view.ladder],
        "quantity": view.quantity, "unit_price_fen": view.unit_price_fen,
        "stock": [{"source": s.kind, "available": s.available,
                   "dispatch_promise_hours": s.dispatch_promise_hours} for s in view.sources],
        "cross_border": {
            "foldable": product.foldable, "packed_cm": facts.packed_cm,
            "unpacked_cm": facts.unpacked_cm, "packed_litres": facts.packed_litres,
            "volumetric_weight_kg": facts.volumetric_kg,
            "unfolded_volumetric_weight_kg": facts.unfolded_volumetric_kg,
            "weight_g": product.weight_g,
        },
        "streamer": {
            "sample_available": product.sample_available,
            "dropship_allowed": product.dropship_allowed,
            "suggested_retail_fen": product.suggested_retail_fen,
            "margin_percent": view.margin_percent,
        },
    }


# The catalogue side of a slot changes rarely; it is kept this long, per process.
CATALOGUE_SECONDS = 5.0
ALSO_ORDERED_SECONDS = 60.0


def buyers_slot_view(code: str) -> SlotView | None:
    """Return the slot view priced for this device's buyer at what its cart holds."""
    session = db_session()
    settings = state().settings
    slots = app_cache("slots", CATALOGUE_SECONDS)
    slot = slots.get(code)
    if slot is None:
        slot = find_slot(session, code) or False
        slots.put(code, slot)
    if not slot or slot.product is None:
        return None
    buyer = buyer_session.current_buyer(session)
    business_type = buyer.business_type if buyer else None
    also_cache = app_cache("also_ordered", ALSO_ORDERED_SECONDS)
    also = also_cache.get((slot.product.id, business_type))
    if also is None:
        also = also_ordered(session, slot.product.id, business_type)
        also_cache.put((slot.product.id, business_type), also)
    in_cart = carts.quantity_in_cart(session, buyer_session.cart_token(), slot.product.id,
                                     settings.carts.idle_minutes)
    return slot_view(session, slot, member_levels=settings.catalogue.member_levels,
                     member_level=buyer.member_level if buyer else None, also=also,
                     quantity_in_cart=in_cart)


@operation("/slots/<code>", "GET", summary="A shelf slot's product, priced for this buyer",
           tag="buyer", response=schemas.SlotOut)
def get_slot(code: str):
    view = buyers_slot_view(code)
    if view is None:
        raise NotFound(_l("We could not find this shelf code."), field="code")
    return slot_body(view)


def cart_body() -> dict:
    """Return this device's cart as the API shows it."""
    session = db_session()
    cart = buyer_session.cart_view(session, buyer_session.current_buyer(session))
    return {
        "lines": [{"sku": line.product.sku, "name_zh": line.product.name_zh,
                   "name_en": line.product.name_en, "quantity": line.quantity,
                   "moq": line.product.moq, "case_pack": line.product.case_pack,
                   "unit_price_fen": line.unit_price_fen, "total_fen": line.total_fen}
                  for line in cart.lines],
        "total_fen": cart.total_fen,
        "shortfalls": [{"factory": s.factory.code, "minimum_fen": s.minimum_fen,
                        "missing_fen": s.missing_fen} for s in cart.shortfalls],
        "expired": cart.expired,
    }


def _change(sku, quantity, *, add: bool) -> dict:
    token = carts.change_line(state().db, buyer_session.cart_token(), sku, quantity, add=add,
                              idle_minutes=state().settings.carts.idle_minutes)
    buyer_session.remember_cart(token)
    return cart_body()


@operation("/cart", "GET", summary="This device's cart", tag="buyer", response=schemas.CartOut)
def get_cart():
    return cart_body()


@operation("/cart/lines", "POST", summary="Add a quantity of a product to the cart", tag="buyer",
           body=schemas.LineIn, response=schemas.CartOut)
def add_cart_line(payload: schemas.LineIn):
    return _change(payload.sku, payload.quantity, add=True)


@operation("/cart/lines/<sku>", "PUT", summary="Set a cart line's quantity; 0 removes it",
           tag="buyer", body=schemas.QuantityIn, response=schemas.CartOut)
def set_cart_line(sku: str, payload: schemas.QuantityIn):
    return _change(sku, payload.quantity, add=False)


@operation("/cart/lines/<sku>", "DELETE", summary="Remove a product from the cart", tag="buyer",
           response=schemas.CartOut)
def remove_cart_line(sku: str):
    return _change(sku, 0, add=False)


def delivery_from(payload: schemas.DeliveryIn) -> Delivery:
    """Turn the request's delivery choice into the checkout's."""
    return Delivery(**payload.model_dump())


@operation("/orders", "POST", summary="Place an order from the given lines or the cart",
           tag="buyer", body=schemas.OrderIn, response=schemas.OrderOut, status=201,
           headers=("Idempotency-Key",),
           errors=((401, "The device has not said who the buyer is (POST /buyer or "
                         "POST /buyer/session)"),
                   (403, "A guest device asked for delivery or factory goods")))
def create_order(payload: schemas.OrderIn):
    placing = dict(buyer_id=buyer_session.buyer_id(), delivery=delivery_from(payload.delivery),
                   idempotency_key=request.headers.get("Idempotency-Key"),
                   settings=state().settings, scanner_id=buyer_session.scanner_id())
    if payload.lines is None:
        return order_from_cart(state().db, cart_token=buyer_session.cart_token(), **placing)
    return place_order(state().db, requested=[(line.sku, line.quantity) for line in payload.lines],
                       **placing)


def order_body(number: str) -> dict:
    """Return an order as the API shows it."""
    with state().db.read_session() as session:
        order = orders.load_order(session, number)
        if order is None:
            raise NotFound(_l("There is no order with this number."), field="number")
        return orders.order_summary(order)


@operation("/orders/<number>", "GET", summary="An order and the state of each group",
           tag="buyer", response=schemas.OrderOut)
def get_order(number: str):
    return order_body(number[:64])
