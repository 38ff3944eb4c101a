"""The buyer's order page: a QR for the counter, each group's state, live updates."""

from __future__ import annotations

import json
import threading
import time

import qrcode
import qrcode.image.svg
from flask import Blueprint, Response, abort, current_app, render_template, url_for

from store_api.lifecycle import STOPPING
from store_api.services import orders
from store_api.services.events import order_channel
from store_api.state import state
from store_api.web.session import db_session

bp = Blueprint("orders", __name__, template_folder="templates")
# A stream ends after this long and the browser reconnects, so no thread is held for ever.
STREAM_SECONDS = 55
HEARTBEAT_SECONDS = 15


def order_qr_svg(number: str) -> str:
    """Return an SVG QR code of the order's number for the counter's scanner."""
    image = qrcode.make(number, image_factory=qrcode.image.svg.SvgPathImage, box_size=10,
                        border=2)
    return image.to_string(encoding="unicode")


@bp.get("/orders/<number>")
def order_page(number: str):
    """Show the order: its number and QR, each group and its state."""
    order = orders.load_order(db_session(), number[:64])
    if order is None:
        abort(404)
    return render_template("kiosk/order.html", order=order, qr=order_qr_svg(order.number),
                           events_url=url_for("orders.order_events", number=order.number))


def _stream_slots() -> threading.BoundedSemaphore:
    """Each open stream holds a thread; at most half a worker's threads may be held so."""
    slots = current_app.extensions.get("xuanpin.stream_slots")
    if slots is None:
        slots = threading.BoundedSemaphore(max(1, state().settings["server.threads"] // 2))
        current_app.extensions["xuanpin.stream_slots"] = slots
    return slots


@bp.get("/orders/<number>/events")
def order_events(number: str):
    """Stream the order's changes as server-sent events until the stream's time is up."""
    order = orders.load_order(db_session(), number[:64])
    if order is None:
        abort(404)
    slots = _stream_slots()
    if not slots.acquire(blocking=False):
        # The page falls back to polling when its stream is refused.
        return Response("busy", status=503, headers={"Retry-After": "30"})
    broker, channel = state().broker, order_channel(order.number)
    first = json.dumps(orders.order_summary(order), ensure_ascii=False)

    def stream():
        try:
            yield f"retry: 3000\nevent: order\ndata: {first}\n\n"
            now = time.monotonic()
            deadline, heartbeat = now + STREAM_SECONDS, now + HEARTBEAT_SECONDS
            with broker.subscribe([channel]) as subscription:
                while not STOPPING.is_set() and (now := time.monotonic()) < deadline:
                    message = subscription.get(timeout=1.0)
                    if message is not None:
                        data = json.dumps(message, ensure_ascii=False)
                        yield f"event: order\ndata: {data}\n\n"
                    elif now >= heartbeat:
                        heartbeat = now + HEARTBEAT_SECONDS
                        yield ": ping\n\n"
        finally:
            slots.release()

    return Response(stream(), mimetype="text/event-stream",
                    headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
