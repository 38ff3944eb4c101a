"""The product page a shelf QR code opens."""

import logging

from flask import Blueprint, render_template, request

from store_api.services.catalogue import slot_view
from store_api.state import state
from store_api.web.formatting import member_level_names
from store_api.web.session import db_session

bp = Blueprint("scan", __name__, template_folder="templates")
log = logging.getLogger(__name__)


@bp.get("/s/<code>")
def product_page(code: str):
    """Show the slot's product: pictures, price ladder, stock by source."""
    settings = state().settings
    view = slot_view(db_session(), code[:64], settings["catalogue.member_levels"])
    if view is None:
        log.info("scan of unknown code %r from %s", code[:64], request.remote_addr)
        return render_template("kiosk/unknown_code.html"), 404
    return render_template("kiosk/product.html", view=view, level_names=member_level_names())
