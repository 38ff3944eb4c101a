"""The buyer's own account over the API: proving the phone with a code, guest details,
the account's details and its signed-in devices."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from store_api.api import Operations
from store_api.api.schemas import OkOut
from store_api.buyers import buyers, devices
from store_api.buyers import schemas as buyer_schemas
from store_api.buyers.models import Buyer
from store_api.core.errors import DomainError, NotFound
from store_api.core.state import state
from store_api.orders import buyer_session, orders
from store_api.web.session import db_session

# This module's operations, added to the API by the bootstrap.
operation = Operations()
SIGN_IN_FIRST = ((401, "The device has not proved the account's phone (POST /buyer/session)"),)


def buyer_body(buyer: Buyer) -> dict:
    """Return what a device may see of its own buyer."""
    return {"phone": buyers.mask_phone(buyer.phone or buyer.contact_phone), "name": buyer.name,
            "company": buyer.company, "business_type": buyer.business_type,
            "member_level": buyer.member_level, "verified": not buyer.is_guest}


def _account() -> Buyer:
    buyer = buyer_session.current_buyer(db_session())
    if buyer is None or buyer.is_guest:
        raise DomainError(_l("Sign in with your phone first."), code="sign_in_required",
                          field="buyer", status=401)
    return buyer


@operation("/buyer/code", "POST", summary="Text a one-time code to a phone number",
           tag="buyer", body=buyer_schemas.CodeIn, response=buyer_schemas.CodeSentOut,
           status=202, errors=((429, "Too many codes for this number or from this address"),))
def buyer_send_code(payload: buyer_schemas.CodeIn):
    phone = buyer_session.send_code(payload.phone)
    return {"phone": buyers.mask_phone(phone),
            "resend_after_s": state().settings.buyers.resend_seconds}


@operation("/buyer/session", "POST",
           summary="Sign this device in to the phone's account with the code texted to it",
           tag="buyer", body=buyer_schemas.ProveIn, response=buyer_schemas.BuyerOut)
def buyer_sign_in(payload: buyer_schemas.ProveIn):
    buyer_session.prove_phone(payload.phone, payload.code)
    return buyer_body(_account())


@operation("/buyer/session", "DELETE", summary="Sign this device out", tag="buyer",
           response=OkOut)
def buyer_sign_out():
    buyer_session.sign_out(db_session())
    return {}


@operation("/buyer", "POST",
           summary="Say who is buying without proving a phone: a guest, at base prices",
           tag="buyer", body=buyer_schemas.BuyerIn, response=buyer_schemas.BuyerOut)
def identify(payload: buyer_schemas.BuyerIn):
    buyer_session.say_who(phone=payload.phone, name=payload.name, company=payload.company,
                          business_type=payload.business_type)
    return get_buyer()


@operation("/buyer", "GET", summary="Who this device's buyer is", tag="buyer",
           response=buyer_schemas.BuyerOut)
def get_buyer():
    buyer = buyer_session.current_buyer(db_session())
    if buyer is None:
        raise NotFound(_l("Tell us who you are before ordering."), field="buyer")
    return buyer_body(buyer)


@operation("/buyer", "PUT", summary="Change the account's name, company and business type",
           tag="buyer", body=buyer_schemas.DetailsIn, response=buyer_schemas.BuyerOut,
           errors=SIGN_IN_FIRST)
def set_buyer_details(payload: buyer_schemas.DetailsIn):
    buyers.update_details(state().db, _account().id, name=payload.name,
                          company=payload.company, business_type=payload.business_type,
                          business_types=state().settings.catalogue.business_types)
    return buyer_body(db_session().get(Buyer, _account().id, populate_existing=True))


@operation("/buyer/devices", "GET", summary="The devices signed in to this account",
           tag="buyer", response=buyer_schemas.DevicesOut, errors=SIGN_IN_FIRST)
def buyer_devices():
    current = buyer_session.current_device(db_session())
    return {"devices": [
        {"id": d.id, "label": d.label, "created_at": d.created_at,
         "last_seen_at": d.last_seen_at, "current": d.id == current.id}
        for d in devices.active(db_session(), _account().id)]}


@operation("/buyer/devices/<int:device>", "DELETE",
           summary="Sign one of the account's devices out", tag="buyer", response=OkOut,
           errors=SIGN_IN_FIRST)
def end_buyer_device(device: int):
    devices.end(state().db, _account().id, device)
    return {}


@operation("/buyer/orders", "GET", summary="The account's orders, newest first", tag="buyer",
           response=buyer_schemas.MyOrdersOut, errors=SIGN_IN_FIRST)
def buyer_orders():
    return {"orders": [
        {"number": o.number, "status": o.status, "total_fen": o.total_fen,
         "created_at": o.created_at} for o in orders.buyer_orders(db_session(), _account().id)]}


@operation("/buyer/orders/<number>/reorder", "POST",
           summary="Put one of the account's orders in the cart again at today's terms",
           tag="buyer", response=buyer_schemas.ReorderOut, errors=SIGN_IN_FIRST)
def reorder_order(number: str):
    lines = buyer_session.reorder(_account(), number)
    return {"lines": [
        {"sku": line.product.sku, "quantity": line.quantity if line.added else 0,
         "unit_price_fen": line.price_fen, "before_quantity": line.before_quantity,
         "before_unit_price_fen": line.before_price_fen, "changes": line.changes}
        for line in lines]}
