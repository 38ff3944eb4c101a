"""Shortlists on the phone: star a product from its scan page, see the device's lists, open a
list shared by a colleague's link, and turn a list into the cart."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from kiosk.qr import qr_svg
from store_api.core.errors import DomainError
from store_api.core.state import state
from store_api.orders import buyer_session, shortlists
from store_api.web.same_origin import local_target, require_same_origin
from store_api.web.session import db_session

bp = Blueprint("lists", __name__, template_folder="templates")
bp.before_request(require_same_origin)


def _lists_page(error: DomainError | None = None, status: int = 200):
    lists, _account = buyer_session.my_shortlists(db_session())
    return render_template("kiosk/lists.html", lists=lists, error=error), status


@bp.get("/lists")
def lists_page():
    """The device's shortlists (and its account's), with a form for a new one."""
    return _lists_page()


@bp.post("/lists")
def create():
    """Start a named shortlist on this device."""
    _lists, account = buyer_session.my_shortlists(db_session())
    try:
        token = shortlists.create(state().db, request.form.get("name"), buyer_id=account)
    except DomainError as error:
        return _lists_page(error, error.status)
    buyer_session.keep_list(token)
    return redirect(url_for("lists.list_page", token=token), 303)


@bp.post("/lists/star")
def star():
    """Put the product on the chosen list (the latest, or a new one), then go back."""
    lists, account = buyer_session.my_shortlists(db_session())
    token = request.form.get("list") or (lists[0].edit_token if lists else None)
    token = shortlists.star(state().db, token, request.form.get("sku"),
                            new_name=_("My shortlist"), buyer_id=account)
    buyer_session.keep_list(token)
    return redirect(local_target(request.form.get("next"), url_for("lists.lists_page")), 303)


def _reach(token: str) -> shortlists.Access:
    access = shortlists.reach(db_session(), token)
    if access is None:
        abort(404)
    return access


@bp.get("/l/<token>")
def list_page(token: str):
    """A list at live prices and stock; its links and QR codes for sharing, to editors."""
    access = _reach(token)
    shortlist = access.shortlist
    if access.can_edit:
        buyer_session.keep_list(shortlist.edit_token)  # a colleague's edit link joins them
    buyer = buyer_session.current_buyer(db_session())
    base = state().settings.catalogue.member_levels[0]
    base_url = state().settings.server.public_base_url.rstrip("/")
    links = {kind: base_url + url_for("lists.list_page", token=value)
             for kind, value in (("edit", shortlist.edit_token),
                                 ("view", shortlist.view_token))} if access.can_edit else {}
    return render_template(
        "kiosk/shortlist.html", shortlist=shortlist, token=token, can_edit=access.can_edit,
        items=shortlists.items(db_session(), shortlist,
                               level=buyer.member_level if buyer else base, base_level=base),
        links=links, qrs={kind: qr_svg(url) for kind, url in links.items()})


@bp.post("/l/<token>/remove")
def remove(token: str):
    """Take a product off the list."""
    shortlists.unstar(state().db, token, request.form.get("sku"))
    return redirect(url_for("lists.list_page", token=token), 303)


@bp.post("/l/<token>/cart")
def to_cart(token: str):
    """Put the whole list in this device's cart at each product's MOQ."""
    cart = shortlists.to_cart(state().db, token, buyer_session.cart_token(),
                              idle_minutes=state().settings.carts.idle_minutes)
    if cart:
        buyer_session.remember_cart(cart)
    return redirect(url_for("cart.cart_page"), 303)
