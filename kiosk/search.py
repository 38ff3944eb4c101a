"""Finding a product by name when its label cannot be scanned."""

from flask import Blueprint, render_template, request

from store_api.catalogue.lookup import search
from store_api.web.session import db_session

bp = Blueprint("search", __name__, template_folder="templates")


@bp.get("/search")
def search_page():
    """Search the catalogue by Chinese or English name, or SKU."""
    text = request.args.get("q", "")[:50]
    return render_template("kiosk/search.html", text=text,
                           results=search(db_session(), text) if text.strip() else None)
