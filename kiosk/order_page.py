"""The buyer's order page: a QR for the counter, each group's state, live updates."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, url_for

from kiosk.qr import qr_svg
from kiosk.streams import event_stream
from store_api.core.events import order_channel
from store_api.orders import orders
from store_api.web.session import db_session

bp = Blueprint("orders", __name__, template_folder="templates")


@bp.get("/orders/<number>")
def order_page(number: str):
    """Show the order: its number and QR, each group and its state."""
    order = orders.load_order(db_session(), number[:64])
    if order is None:
        abort(404)
    return render_template("kiosk/order.html", order=order, qr=qr_svg(order.number),
                           events_url=url_for("orders.order_events", number=order.number))


@bp.get("/orders/<number>/events")
def order_events(number: str):
    """Stream the order's changes as server-sent events until the stream's time is up."""
    order = orders.load_order(db_session(), number[:64])
    if order is None:
        abort(404)
    return event_stream([order_channel(order.number)], "order", orders.order_summary(order))
