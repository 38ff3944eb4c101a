"""The counter: find an order by its code, take payment, mark picked, hand over, cancel."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from shelf_labels import codes
from store_api.core.state import state
from store_api.orders import orders
from store_api.printing import queue as printing
from store_api.staff.auth import staff_required
from store_api.web.form_actions import act
from store_api.web.routes import Routes
from store_api.web.session import db_session

routes = Routes()


@routes.get("/counter")
@staff_required
def counter():
    """Find an order by its code (scanned or typed) and show what can be done with it."""
    number = codes.normalise(request.args.get("number", ""))[:64]
    order = orders.load_order(db_session(), number) if number else None
    not_found = bool(number) and order is None
    return render_template("console/counter.html", order=order, number=number,
                           not_found=not_found,
                           printers=printing.printer_states(db_session())), (
        404 if not_found else 200)


def _act(number: str, action) -> object:
    return act(action, "console.counter", number=number)


@routes.post("/counter/<number>/pay")
@staff_required
def pay(number: str):
    """Take payment for an order."""
    return _act(number, lambda: orders.pay(
        state().db, number, method=request.form.get("method"),
        reference=request.form.get("reference", ""), user_id=current_user.id))


@routes.post("/counter/<number>/groups/<int:group>/picked")
@staff_required
def picked(number: str, group: int):
    """Mark a pick-up group's goods taken off the shelf."""
    return _act(number, lambda: orders.mark_picked(state().db, number, group))


@routes.post("/counter/<number>/groups/<int:group>/collect")
@staff_required
def collect(number: str, group: int):
    """Hand a pick-up group's goods to the buyer."""
    return _act(number, lambda: orders.collect(state().db, number, group))


@routes.post("/counter/<number>/cancel")
@staff_required
def cancel(number: str):
    """Cancel an order and release its stock."""
    return _act(number, lambda: orders.cancel(state().db, number,
                                              actor=f"staff:{current_user.username}"))
