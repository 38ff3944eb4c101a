"""The product page a shelf QR code opens.

Most scans come from phones that have no cart and no buyer yet; they all see the same page for
a slot in a language, so that page is rendered once and served from memory for a few seconds.
A phone with a cart or a buyer gets a page priced for it.
"""

from __future__ import annotations

import logging
import secrets

from flask import Blueprint, make_response, render_template, request
from flask_babel import get_locale

from kiosk.touch import is_kiosk
from store_api.core.state import state
from store_api.orders import buyer_session, shortlists
from store_api.orders.buyer_api import buyers_slot_view
from store_api.web.formatting import member_level_names
from store_api.web.page_cache import app_cache
from store_api.web.session import db_session

bp = Blueprint("scan", __name__, template_folder="templates")
log = logging.getLogger(__name__)


def _render(code: str):
    """Render the page for this device; return (html, status, slot facts for the scan)."""
    view = buyers_slot_view(code)
    if view is None:
        return render_template("kiosk/unknown_code.html"), 404, None
    tokens = buyer_session.kept_lists()
    starred = shortlists.starred_in(shortlists.kept(db_session(), tokens, None),
                                    view.product.id) if tokens else []
    html = render_template("kiosk/product.html", view=view, level_names=member_level_names(),
                           starred=starred)
    return html, 200, (view.slot.id, view.slot.zone_id, view.product.id)


@bp.get("/s/<code>")
@bp.get("/S/<code>")  # labels hold the URL in upper case, QR's compact alphanumeric mode
def product_page(code: str):
    """Show the slot's product: pictures, prices for this buyer, stock by source."""
    code = code[:64]
    # A kiosk's page carries its own bar, so it is never served from the shared cache either.
    personal = (buyer_session.cart_token() or buyer_session.buyer_id() or is_kiosk()
                or buyer_session.kept_lists())
    key = (code, str(get_locale()))
    pages = app_cache("scan_pages", state().settings.kiosk.page_cache_seconds)
    page = None if personal else pages.get(key)
    if page is None:
        page = _render(code)
        if not personal:
            pages.put(key, page)
    html, status, scanned = page
    if scanned is None:
        log.info("scan of unknown code %r from %s", code, request.remote_addr)
    response = make_response(html, status)
    device = buyer_session.scanner_id()
    if not device:
        device = secrets.token_urlsafe(12)
        response.set_cookie(buyer_session.SCANNER_COOKIE, device, max_age=365 * 24 * 3600,
                            samesite="Lax", httponly=True)
    if scanned is not None:
        slot_id, zone_id, product_id = scanned
        state().scans.record(slot_id=slot_id, zone_id=zone_id, product_id=product_id,
                             session_id=device, buyer_id=buyer_session.buyer_id())
    return response
