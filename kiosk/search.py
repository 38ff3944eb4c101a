"""Finding products on the phone: the centre's home page, search in Chinese, English, pinyin
or by SKU, and the products of a zone or a category."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from store_api.catalogue.finding import find
from store_api.catalogue.lookup import categories, on_shelf
from store_api.catalogue.zones import all_zones, zone_by_code
from store_api.orders import buyer_session, shelf_view
from store_api.web.session import db_session

bp = Blueprint("search", __name__, template_folder="templates")


def _cards(products):
    level, base = buyer_session.level()
    return shelf_view.cards(db_session(), products, level=level, base_level=base)


@bp.get("/")
def home():
    """The centre on the phone: search, zones, categories, the device's lists and scans."""
    session = db_session()
    return render_template(
        "kiosk/home.html", zones=all_zones(session), categories=categories(session),
        lists=buyer_session.my_shortlists(session)[0],
        recent=_cards(shelf_view.recent_scans(session, buyer_session.scanner_id())),
        compared=buyer_session.compared())


@bp.get("/search")
def search_page():
    """Products matching what was typed, or those of a zone or a category."""
    text = request.args.get("q", "")[:50].strip()
    zone = zone_by_code(db_session(), request.args.get("zone", "")[:32] or None)
    category = request.args.get("category", "")[:40] or None
    if text:
        found = find(db_session(), text)
    elif zone or category:
        found = on_shelf(db_session(), zone=zone.code if zone else None, category=category)
    else:
        found = None
    return render_template("kiosk/search.html", text=text, zone=zone, category=category,
                           cards=None if found is None else _cards(found),
                           compared=buyer_session.compared())
