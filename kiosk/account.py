"""The buyer's sign-in by a code texted to their phone, and 我的: their details, orders and
signed-in devices."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, Response, redirect, render_template, request, url_for

from kiosk.qr import qr_svg
from store_api.buyers import buyers, devices, member_codes
from store_api.core.errors import DomainError
from store_api.core.state import state
from store_api.orders import buyer_session, levels, orders
from store_api.web.form_actions import form_number
from store_api.web.same_origin import local_target, require_same_origin
from store_api.web.session import db_session

bp = Blueprint("account", __name__, template_folder="templates")
bp.before_request(require_same_origin)


def _next() -> str:
    return local_target(request.values.get("next"), url_for("account.me"))


def _sign_in_page(*, phone: str = "", sent: bool = False, error: DomainError | None = None,
                  status: int = 200):
    return render_template("kiosk/sign_in.html", phone=phone, sent=sent, error=error,
                           next=_next(), resend_s=state().settings.buyers.resend_seconds), status


@bp.get("/signin")
def sign_in_page():
    """Ask for the phone number a code is texted to."""
    return _sign_in_page()


@bp.post("/signin/code")
def send_code():
    """Text a one-time code to the number, then ask for it."""
    phone = request.form.get("phone", "")[:20]
    try:
        phone = buyer_session.send_code(phone)
    except DomainError as error:
        return _sign_in_page(phone=phone, sent=error.code == "resend_too_soon", error=error,
                             status=error.status)
    return _sign_in_page(phone=phone, sent=True)


@bp.post("/signin")
def prove():
    """Sign this device in with the code, then go where the buyer was going."""
    phone = request.form.get("phone", "")[:20]
    try:
        buyer_session.prove_phone(phone, request.form.get("code", "")[:10])
    except DomainError as error:
        return _sign_in_page(phone=phone, sent=True, error=error, status=error.status)
    return redirect(_next(), 303)


@bp.post("/signout")
def sign_out():
    """Sign this device out."""
    buyer_session.sign_out(db_session())
    return redirect(url_for("account.sign_in_page"), 303)


def account_required(view):
    """Give the view the device's account; a guest or a stranger goes to sign in first."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        buyer = buyer_session.current_buyer(db_session())
        if buyer is None or buyer.is_guest:
            return redirect(url_for("account.sign_in_page", next=url_for("account.me")), 303)
        return view(buyer, *args, **kwargs)

    return wrapper


def _me_page(buyer, error: DomainError | None = None, status: int = 200):
    session, settings = db_session(), state().settings
    return render_template(
        "kiosk/me.html", buyer=buyer, phone=buyers.mask_phone(buyer.phone), error=error,
        progress=levels.progress(session, buyer.id, buyer.member_level,
                                 levels=settings.catalogue.member_levels,
                                 spend_yuan=settings.buyers.level_spend),
        orders=orders.buyer_orders(session, buyer.id), devices=devices.active(session, buyer.id),
        current=buyer_session.current_device(session).id, form=request.form, next=_next(),
        redraw_s=member_codes.REDRAW_SECONDS,
        business_types=settings.catalogue.business_types), status


@bp.get("/me")
@account_required
def me(buyer):
    """我的: the account's details, orders newest first, and signed-in devices."""
    return _me_page(buyer)


def _act(buyer, action, done: str):
    """Run an action on the account; show 我的 with its error, or go on to `done`."""
    try:
        action()
    except DomainError as error:
        return _me_page(buyer, error=error, status=error.status)
    return redirect(done, 303)


@bp.post("/me/details")
@account_required
def save_details(buyer):
    """Change the account's name, company and business type."""
    return _act(buyer, lambda: buyers.update_details(
        state().db, buyer.id, name=request.form.get("name"),
        company=request.form.get("company", ""), business_type=request.form.get("business_type"),
        business_types=state().settings.catalogue.business_types), _next())


@bp.post("/me/devices/end")
@account_required
def end_device(buyer):
    """Sign one of the account's other devices out."""
    return _act(buyer, lambda: devices.end(state().db, buyer.id,
                                           form_number(request.form.get("device"))),
                url_for("account.me"))


@bp.post("/me/orders/<number>/reorder")
@account_required
def reorder(buyer, number: str):
    """Put one of the buyer's past orders in the cart again at today's terms, and say what
    changed."""
    return render_template("kiosk/reorder.html", number=number,
                           lines=buyer_session.reorder(buyer, number))


@bp.get("/me/member-code.svg")
@account_required
def member_code(buyer):
    """The member QR for the counter, drawn anew on each request (the page redraws it)."""
    device = buyer_session.current_device(db_session())
    svg = qr_svg(member_codes.issue(state().app.config["SECRET_KEY"], device))
    return Response(svg, mimetype="image/svg+xml", headers={"Cache-Control": "no-store"})
