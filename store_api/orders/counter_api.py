"""The staff side of the orders API: the counter's actions on an order."""

from __future__ import annotations

from flask_login import current_user

from store_api.api import Operations
from store_api.core.state import state
from store_api.orders import orders, schemas
from store_api.orders.buyer_api import order_body

# This module's operations, added to the API by the bootstrap.
operation = Operations()


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
