"""Products side by side on the phone: up to four, kept on the device while the buyer walks
the floor."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for

from store_api.catalogue.lookup import on_shelf_by_sku
from store_api.orders import buyer_session
from store_api.orders.buyer_api import buyers_slot_view
from store_api.web.formatting import member_level_names
from store_api.web.same_origin import local_target, require_same_origin
from store_api.web.session import db_session

bp = Blueprint("compare", __name__, template_folder="templates")
bp.before_request(require_same_origin)


@bp.get("/compare")
def compare_page():
    """The compared products in columns: prices at this buyer's level, terms, stock, sizes."""
    found = on_shelf_by_sku(db_session(), buyer_session.compared())
    views = [view for view in (buyers_slot_view(p.slot.code) for p in found) if view]
    return render_template("kiosk/compare.html", views=views, level_names=member_level_names())


@bp.post("/compare")
def change():
    """Put a product beside the others, or take it away; then go back where the buyer was."""
    sku = request.form.get("sku", "")[:40]
    add = request.form.get("add") == "1"
    if not add or on_shelf_by_sku(db_session(), [sku]):
        buyer_session.compare(sku, add=add)
    return redirect(local_target(request.form.get("next"), url_for("compare.compare_page")), 303)
