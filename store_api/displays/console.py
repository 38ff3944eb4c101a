"""Zone screens in the staff console: the screens on the floor (approve, move, forget) and which
products each zone's screen puts first."""

from __future__ import annotations

from flask import render_template, request

from store_api.catalogue.zones import all_zones
from store_api.core.state import state
from store_api.displays import displays, screens
from store_api.staff.auth import staff_required
from store_api.web.form_actions import act
from store_api.web.routes import Routes
from store_api.web.session import db_session

routes = Routes()


@routes.get("/displays")
@staff_required
def displays_page():
    """Each zone with its pinned products, and a link to its screen."""
    zones = all_zones(db_session())
    return render_template("console/displays.html", zones=zones,
                           pins=displays.pins(db_session()),
                           screens=screens.listing(db_session(), state().settings.displays))


def _act(action) -> object:
    return act(action, "console.displays_page")


@routes.post("/displays/<zone>/pins")
@staff_required
def add_pin(zone: str):
    """Pin a product (by SKU) first on a zone's screen."""
    return _act(lambda: displays.pin(state().db, zone, request.form.get("sku", "")))


@routes.post("/displays/<zone>/pins/<sku>/remove")
@staff_required
def remove_pin(zone: str, sku: str):
    """Take a pin off."""
    return _act(lambda: displays.unpin(state().db, zone, sku))


@routes.post("/displays/<zone>/pins/<sku>/<any(up, down):direction>")
@staff_required
def move_pin(zone: str, sku: str, direction: str):
    """Move a pin one place earlier or later."""
    return _act(lambda: displays.move_pin(state().db, zone, sku,
                                                 -1 if direction == "up" else 1))


@routes.post("/screens/approve")
@staff_required
def approve_screen():
    """Approve a screen by the code it shows, or move one, to a zone."""
    return _act(lambda: screens.approve(state().db, request.form.get("code", ""),
                                               request.form.get("zone", ""),
                                               request.form.get("name", ""),
                                               rules=state().settings.displays))


@routes.post("/screens/<int:screen>/remove")
@staff_required
def remove_screen(screen: int):
    """Forget a screen."""
    return _act(lambda: screens.remove(state().db, screen))
