"""Buyers in the staff console: find an account, see its orders, credit and devices, record
a payment against it, keep notes; managers set level, account approval and credit limit."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from store_api.buyers import buyers, devices, member_codes, sign_in
from store_api.buyers.models import Buyer
from store_api.catalogue.rules import format_money
from store_api.core.errors import DomainError
from store_api.core.state import state
from store_api.orders import credit, orders
from store_api.staff.auth import manager_required, staff_required
from store_api.web.form_actions import act
from store_api.web.routes import Routes
from store_api.web.session import db_session

routes = Routes()


def _terms_days() -> int:
    return state().settings.buyers.credit_terms_days


@routes.get("/buyers")
@staff_required
def buyers_page():
    """Accounts found by phone, name or company, or those with money overdue."""
    session = db_session()
    if request.args.get("overdue"):
        rows = credit.overdue(session, terms_days=_terms_days())
    else:
        rows = [(buyer, credit.account(session, buyer, terms_days=_terms_days()))
                for buyer in buyers.search(session, request.args.get("q", ""))]
    return render_template("console/buyers.html", rows=rows, q=request.args.get("q", ""),
                           overdue=bool(request.args.get("overdue")))


def _account(buyer_id: int) -> Buyer:
    buyer = db_session().get(Buyer, buyer_id)
    if buyer is None or buyer.is_guest:
        abort(404)
    return buyer


@routes.get("/buyers/<int:buyer_id>")
@staff_required
def buyer_page(buyer_id: int):
    """One account: details, terms, what it owes, its entries, orders and devices, notes."""
    session = db_session()
    buyer = _account(buyer_id)
    return render_template(
        "console/buyer.html", buyer=buyer,
        account=credit.account(session, buyer, terms_days=_terms_days()),
        entries=credit.entries(session, buyer.id), orders=orders.buyer_orders(session, buyer.id),
        devices=devices.active(session, buyer.id), methods=credit.PAYMENT_METHODS,
        levels=state().settings.catalogue.member_levels,
        credit_limit=format_money(buyer.credit_limit_fen))  # as the form reads it back


@routes.post("/buyers/<int:buyer_id>/terms")
@manager_required
def save_terms(buyer_id: int):
    """Set the account's member level, approval to pay on account and credit limit."""
    buyer, form = _account(buyer_id), request.form
    return act(lambda: buyers.set_membership(
        state().db, buyer.phone, member_level=form.get("member_level"),
        on_account=form.get("on_account") == "1",
        credit_limit_fen=buyers.amount_fen(form.get("credit_limit", ""), "credit_limit",
                                           zero=True),
        member_levels=state().settings.catalogue.member_levels,
        actor=current_user.audit_actor), "console.buyer_page", buyer_id=buyer_id,
        done=lambda _: _l("Saved."))


@routes.post("/buyers/<int:buyer_id>/payments")
@staff_required
def record_payment(buyer_id: int):
    """Record money the buyer paid against their account."""
    form = request.form
    return act(lambda: credit.record_payment(
        state().db, _account(buyer_id).id, form.get("amount", ""), method=form.get("method"),
        reference=form.get("reference", ""), actor=current_user.audit_actor,
        terms_days=_terms_days()), "console.buyer_page", buyer_id=buyer_id,
        done=lambda _: _l("Payment recorded."))


@routes.post("/buyers/<int:buyer_id>/notes")
@staff_required
def save_notes(buyer_id: int):
    """Keep staff's notes about the buyer."""
    return act(lambda: buyers.set_notes(state().db, _account(buyer_id).id,
                                        request.form.get("notes", ""),
                                        actor=current_user.audit_actor),
               "console.buyer_page", buyer_id=buyer_id, done=lambda _: _l("Saved."))


@routes.post("/buyers/identify")
@staff_required
def identify():
    """Find the buyer at the counter by the member code their phone shows (scanned), or by
    their phone number, to which a code is texted for them to read out."""
    typed = request.form.get("code", "").strip()[:200]
    if typed.isdigit() and len(typed) == 11:
        return act(lambda: sign_in.request_code(
            # Counted per staff member: the counter's PC asks for many buyers a day.
            state().db, typed, address=f"counter:{current_user.id}",
            rules=state().settings.buyers, key=_key()), "console.identify_page", phone=typed)
    buyer = member_codes.read(db_session(), current_app.config["SECRET_KEY"], typed)
    if buyer is None:
        flash(str(_l("This member code is not valid or has run out; ask the buyer to show it "
                     "again.")), "error")
        return redirect(url_for("console.counter"), 303)
    return redirect(url_for("console.buyer_page", buyer_id=buyer.id), 303)


@routes.get("/buyers/identify")
@staff_required
def identify_page():
    """The form for the code texted to the buyer's phone."""
    return render_template("console/identify.html", phone=request.args.get("phone", "")[:20])


@routes.post("/buyers/identify/prove")
@staff_required
def prove():
    """Take the code the buyer read out; show their account."""
    phone = request.form.get("phone", "")[:20]
    try:
        buyer_id = sign_in.prove_at_counter(
            state().db, phone, request.form.get("code", "")[:10],
            rules=state().settings.buyers, key=_key(),
            base_level=state().settings.catalogue.member_levels[0])
    except DomainError as error:
        flash(str(error), "error")
        return redirect(url_for("console.identify_page", phone=phone), 303)
    return redirect(url_for("console.buyer_page", buyer_id=buyer_id), 303)


def _key() -> bytes:
    return current_app.config["SECRET_KEY"].encode()
