"""Zone screens: a full-screen page per zone for a TV in kiosk mode, its content as JSON, and a
stream that says when the content changed."""

from __future__ import annotations

from functools import lru_cache

import qrcode
import qrcode.image.svg
from flask import Blueprint, abort, jsonify, render_template, url_for
from sqlalchemy import select

from kiosk.streams import event_stream
from shelf_labels.qr import slot_url
from store_api.errors import NotFound
from store_api.models import Zone
from store_api.services import displays
from store_api.services.events import display_channel
from store_api.state import state
from store_api.web.session import db_session

bp = Blueprint("display", __name__, template_folder="templates")


@lru_cache(maxsize=1024)
def qr_svg(payload: str) -> str:
    """Return an SVG QR code of a payload (cached: a slot's URL does not change)."""
    image = qrcode.make(payload, image_factory=qrcode.image.svg.SvgPathImage, box_size=10,
                        border=2)
    return image.to_string(encoding="unicode")


def content(zone: str) -> dict:
    """Return a zone's content with each item's picture URL and QR, or abort with 404."""
    settings = state().settings
    terms = displays.Terms(settings["catalogue.member_levels"][0],
                           settings["displays.window_days"], settings["displays.products"],
                           settings["displays.small_carton_litres"], settings["centre.timezone"])
    try:
        found = displays.zone_content(db_session(), zone[:32], terms)
    except NotFound:
        abort(404)
    base = settings["server.public_base_url"]
    for item in found["items"]:
        item["image_url"] = url_for("media.media", path=item["image"]) if item["image"] else None
        item["qr"] = qr_svg(slot_url(base, item["slot"]))
    return found


@bp.get("/display/<zone>")
def display_page(zone: str):
    """The zone's screen: products in rotating pages with QR codes, a ticker and the time."""
    settings = state().settings
    return render_template("kiosk/display.html", content=content(zone),
                           per_page=settings["displays.per_page"],
                           page_seconds=settings["displays.page_seconds"])


@bp.get("/display/<zone>/content.json")
def display_content(zone: str):
    """The zone's content as JSON, for the screen to refresh without reloading."""
    response = jsonify(content(zone))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/display/<zone>/events")
def display_events(zone: str):
    """A `changed` event whenever an order is placed or the zone's pins change."""
    if db_session().scalar(select(Zone.id).where(Zone.code == zone[:32])) is None:
        abort(404)
    return event_stream(["orders", display_channel(zone[:32])], "changed")
