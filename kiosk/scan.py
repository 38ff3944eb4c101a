"""The product page a shelf QR code opens."""

import logging
import secrets

from flask import Blueprint, render_template, request, session

from store_api.api.buyer_api import buyers_slot_view
from store_api.state import state
from store_api.web import buyer_session
from store_api.web.formatting import member_level_names
from store_api.web.session import db_session

bp = Blueprint("scan", __name__, template_folder="templates")
log = logging.getLogger(__name__)


def _device_id() -> str:
    """Return an id for this phone, so scans of one visit can be told apart from another's."""
    if "sid" not in session:
        session.permanent = True
        session["sid"] = secrets.token_urlsafe(12)
    return session["sid"]


@bp.get("/s/<code>")
def product_page(code: str):
    """Show the slot's product: pictures, prices for this buyer, stock by source."""
    view = buyers_slot_view(code)
    if view is None:
        log.info("scan of unknown code %r from %s", code[:64], request.remote_addr)
        return render_template("kiosk/unknown_code.html"), 404
    state().scans.record(slot_id=view.slot.id, zone_id=view.slot.zone_id,
                         product_id=view.product.id, session_id=_device_id(),
                         buyer_id=buyer_session.buyer_id())
    cart = buyer_session.cart_view(db_session(), buyer_session.current_buyer(db_session()))
    return render_template("kiosk/product.html", view=view, cart=cart,
                           level_names=member_level_names())
