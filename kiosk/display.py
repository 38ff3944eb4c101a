"""Zone screens: a full-screen page per zone for a TV in kiosk mode, its content as JSON, and a
stream that says when the content changed."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)

from kiosk.qr import qr_svg
from kiosk.streams import event_stream
from shelf_labels.qr import slot_url
from store_api.catalogue.zones import zone_by_code
from store_api.core.errors import NotFound
from store_api.core.events import display_channel
from store_api.core.state import state
from store_api.displays import displays, screens
from store_api.web.session import db_session

bp = Blueprint("display", __name__, template_folder="templates")


def content(zone: str) -> dict:
    """Return a zone's content with each item's picture URL and QR, or abort with 404."""
    settings = state().settings
    terms = displays.Terms(settings.catalogue.member_levels[0],
                           settings.displays.window_days, settings.displays.products,
                           settings.displays.small_carton_litres, settings.centre.timezone)
    try:
        found = displays.zone_content(db_session(), zone[:32], terms)
    except NotFound:
        abort(404)
    base = settings.server.public_base_url
    for item in found["items"]:
        item["image_url"] = url_for("media.media", path=item["image"]) if item["image"] else None
        item["qr"] = qr_svg(slot_url(base, item["slot"]))
    return found


SCREEN_COOKIE = "xuanpin_screen"


def _this_screen():
    """The registered screen this browser is, if any (from its cookie)."""
    return screens.find(db_session(), request.cookies.get(SCREEN_COOKIE),
                        state().settings.displays)


@bp.get("/display")
def screen_start():
    """Where a screen starts: its zone once approved, else the code staff approve it by."""
    screen = _this_screen()
    if screen is None:
        return redirect(url_for("display.new_screen"))
    if screen.approved and screen.zone is not None:
        screens.heartbeat(state().db, screen.id)
        return redirect(url_for("display.display_page", zone=screen.zone.code))
    return render_template("kiosk/display_pairing.html", code=screen.code)


@bp.get("/display/new")
def new_screen():
    """Make this browser a new screen waiting for approval and show its code; an address may
    make only so many (limits.screen_registration), which is why this has a URL of its own."""
    if _this_screen() is not None:
        return redirect(url_for("display.screen_start"))
    token, code = screens.register(state().db, state().settings.displays)
    response = make_response(render_template("kiosk/display_pairing.html", code=code))
    response.set_cookie(SCREEN_COOKIE, token, max_age=10 * 365 * 24 * 3600, httponly=True,
                        samesite="Lax")
    return response


@bp.get("/display/pairing.json")
def pairing_status():
    """For a waiting screen: its code, and its zone's address once staff approved it."""
    screen = _this_screen()
    if screen is None:
        return jsonify(code=None, zone_url=url_for("display.screen_start"))
    screens.heartbeat(state().db, screen.id)
    approved = screen.approved and screen.zone is not None
    return jsonify(code=screen.code, zone_url=url_for(
        "display.display_page", zone=screen.zone.code) if approved else None)


@bp.get("/display/<zone>")
def display_page(zone: str):
    """The zone's screen: products in rotating pages with QR codes, a ticker and the time."""
    settings = state().settings
    return render_template("kiosk/display.html", content=content(zone),
                           per_page=settings.displays.per_page,
                           page_seconds=settings.displays.page_seconds)


@bp.get("/display/<zone>/content.json")
def display_content(zone: str):
    """The zone's content as JSON, for the screen to refresh without reloading."""
    found = content(zone)
    screen = _this_screen()
    if screen is not None:
        # A registered screen's refreshes are its heartbeat, and how it learns of a new zone.
        screens.heartbeat(state().db, screen.id)
        if screen.approved and screen.zone is not None and screen.zone.code != zone:
            found["moved_to"] = url_for("display.display_page", zone=screen.zone.code)
    response = jsonify(found)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/display/<zone>/events")
def display_events(zone: str):
    """A `changed` event whenever an order is placed or the zone's pins change."""
    if zone_by_code(db_session(), zone) is None:
        abort(404)
    return event_stream(["orders", display_channel(zone[:32])], "changed")
