"""The touch kiosk: browse by zone and category, search, the product page as on the phone, a
cart built on the kiosk and handed to the buyer's phone by a QR code, and a reset when idle."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from itsdangerous import BadData, URLSafeTimedSerializer

from kiosk.qr import qr_svg
from store_api.catalogue.finding import find
from store_api.catalogue.lookup import categories, on_shelf
from store_api.catalogue.zones import all_zones, zone_by_code
from store_api.core.errors import DomainError
from store_api.core.state import state
from store_api.orders import buyer_session, carts
from store_api.web.same_origin import require_same_origin
from store_api.web.session import db_session

bp = Blueprint("touch", __name__, template_folder="templates")
bp.before_request(require_same_origin)
KIOSK = "kiosk"
# A hand-over code on the kiosk's screen works for this long.
HANDOFF_SECONDS = 600


def is_kiosk() -> bool:
    """Tell whether this browser is a kiosk (it opened /kiosk)."""
    return bool(session.get(KIOSK))


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(state().app.config["SECRET_KEY"], salt="kiosk-handoff")


@bp.get("/kiosk")
def start():
    """The start screen: zones, categories and a search box; this browser becomes a kiosk."""
    session[KIOSK] = True
    session.permanent = True
    return render_template("kiosk/touch_start.html", zones=all_zones(db_session()),
                           categories=categories(db_session()),
                           handed=request.args.get("handed") == "1")


@bp.get("/kiosk/browse")
def browse():
    """Products of a zone or a category, or those matching a search in Chinese or English."""
    text = request.args.get("q", "")[:50].strip()
    zone = request.args.get("zone", "")[:32] or None
    category = request.args.get("category", "")[:40] or None
    found = (find(db_session(), text, limit=60) if text
             else on_shelf(db_session(), zone=zone, category=category))
    found = [p for p in found if p.slot is not None and p.slot.status == "active"]
    heading = zone_by_code(db_session(), zone)
    return render_template("kiosk/touch_browse.html", products=found, text=text, zone=heading,
                           category=category)


@bp.get("/kiosk/handoff")
def handoff_code():
    """The QR codes that carry this kiosk's cart, and the shortlist starred on it, to a phone."""
    token, lists = buyer_session.cart_token(), buyer_session.kept_lists()
    if not token and not lists:
        return redirect(url_for("touch.start"))
    # The phone reaches the store at its public address, as it does from a shelf label.
    base = state().settings.server.public_base_url.rstrip("/")
    url = base + url_for("touch.take_cart", code=_signer().dumps(token)) if token else None
    # The list's edit link: the phone that opens it keeps the list and can go on with it.
    list_url = base + url_for("lists.list_page", token=lists[0]) if lists else None
    return render_template("kiosk/touch_handoff.html", url=url, qr=url and qr_svg(url),
                           list_url=list_url, list_qr=list_url and qr_svg(list_url),
                           cart=buyer_session.cart_view(db_session(), None))


@bp.get("/kiosk/take/<code>")
def take_cart(code: str):
    """On the phone: take the kiosk's cart into this phone's cart, then show it."""
    try:
        kiosk_token = _signer().loads(code[:300], max_age=HANDOFF_SECONDS)
    except BadData:
        abort(404)
    try:
        token = carts.hand_over(state().db, kiosk_token, buyer_session.cart_token(),
                                idle_minutes=state().settings.carts.idle_minutes)
    except DomainError as error:
        return render_template("error.html", message=str(error)), error.status
    buyer_session.remember_cart(token)
    return redirect(url_for("cart.cart_page"), 303)


@bp.post("/kiosk/reset")
def reset():
    """Start over for the next buyer: forget this kiosk's cart and buyer."""
    buyer_session.forget(db_session())
    return redirect(url_for("touch.start", handed=request.form.get("handed", "")), 303)
