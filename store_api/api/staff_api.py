"""The staff side of the API: signing in, and the counter's actions on an order."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from store_api.api import Operations, schemas
from store_api.api.buyer_api import order_body
from store_api.auth import authenticate
from store_api.errors import DomainError
from store_api.services import buyers, forwarding, fulfilment, orders
from store_api.state import state

# This module's operations, added to the API by the bootstrap.
operation = Operations()


@operation("/session", "POST", summary="Sign in as staff (sets the session cookie)",
           tag="staff", body=schemas.SignInIn, response=schemas.SignedInOut,
           errors=((401, "Wrong username or password"),))
def sign_in(payload: schemas.SignInIn):
    user = authenticate(payload.username, payload.password)
    if user is None:
        raise DomainError(_l("Wrong username or password."), code="bad_credentials", status=401)
    login_user(user)
    return {"username": user.username, "role": user.role}


@operation("/session", "DELETE", summary="Sign out", tag="staff", response=schemas.OkOut)
def sign_out():
    logout_user()
    return {"ok": True}


@operation("/orders/<number>/payments", "POST", summary="Record payment at the counter",
           tag="staff", body=schemas.PaymentIn, response=schemas.OrderOut, auth="staff")
def pay(number: str, payload: schemas.PaymentIn):
    orders.pay(state().db, number[:64], method=payload.method, reference=payload.reference,
               user_id=current_user.id)
    return order_body(number[:64])


@operation("/orders/<number>/collect", "POST", summary="Hand over pick-up goods",
           tag="staff", body=schemas.CollectIn, response=schemas.OrderOut, auth="staff")
def collect(number: str, payload: schemas.CollectIn):
    orders.collect(state().db, number[:64], payload.group)
    return order_body(number[:64])


@operation("/orders/<number>/groups/<int:group>/picked", "POST",
           summary="Mark a pick-up group picked", tag="staff", response=schemas.OrderOut,
           auth="staff")
def picked(number: str, group: int):
    orders.mark_picked(state().db, number[:64], group)
    return order_body(number[:64])


@operation("/orders/<number>/cancel", "POST", summary="Cancel an order; its stock is released",
           tag="staff", response=schemas.OrderOut, auth="staff")
def cancel(number: str):
    orders.cancel(state().db, number[:64], actor=f"staff:{current_user.username}")
    return order_body(number[:64])


@operation("/buyers/<phone>/membership", "PUT", summary="Set a buyer's member level",
           tag="staff", body=schemas.MembershipIn, response=schemas.OkOut, auth="staff")
def set_membership(phone: str, payload: schemas.MembershipIn):
    buyers.set_membership(state().db, phone, member_level=payload.member_level,
                          on_account=payload.on_account,
                          member_levels=state().settings["catalogue.member_levels"])
    return {"ok": True}


@operation("/forwards/<int:forward>/replay", "POST",
           summary="Send a forward whose delivery gave up again", tag="staff",
           response=schemas.OkOut, auth="staff")
def replay_forward(forward: int):
    forwarding.replay(state().db, forward)
    return {"ok": True}


@operation("/forwards/<int:forward>/reroute", "POST",
           summary="Serve a rejected or undelivered forward from the centre's stock instead",
           tag="staff", response=schemas.OkOut, auth="staff")
def reroute_forward(forward: int):
    fulfilment.reroute(state().db, forward, actor=f"staff:{current_user.username}")
    return {"ok": True}


@operation("/forwards/<int:forward>/cancel", "POST",
           summary="Cancel a forward's group; its stock goes back on sale", tag="staff",
           response=schemas.OkOut, auth="staff")
def cancel_forward(forward: int):
    fulfilment.cancel_forward(state().db, forward, actor=f"staff:{current_user.username}")
    return {"ok": True}
