"""Receiving, cycle counts and adjustments in the staff console."""

from __future__ import annotations

from datetime import timedelta

from flask import flash, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from store_api.catalogue.zones import all_zones
from store_api.core.errors import DomainError
from store_api.core.models import utcnow
from store_api.core.state import state
from store_api.staff.auth import manager_required, staff_required
from store_api.stock import desk as stock_desk
from store_api.stock import inventory
from store_api.web.form_actions import act, form_number
from store_api.web.routes import Routes
from store_api.web.session import db_session

routes = Routes()


def _at_desk(action, endpoint: str, done, **details):
    """Run a stock desk action on the form's code and quantity, as the signed-in person."""
    form = request.form
    return act(lambda: action(state().db, form.get("code", ""), form_number(form.get("quantity")),
                              actor=current_user.audit_actor, **details), endpoint, done=done)


@routes.get("/receiving")
@staff_required
def receiving():
    """Scan or type a code, enter how many arrived; the latest arrivals below."""
    return render_template("console/receiving.html",
                           recent=inventory.recent_entries(db_session(), "receive"))


@routes.post("/receiving")
@staff_required
def receive():
    """Book goods from a factory into the centre."""
    return _at_desk(stock_desk.receive, "console.receiving", lambda booked: _l(
        "Received %(quantity)s of %(sku)s; %(on_hand)s now in the centre.", **booked),
        reference=request.form.get("reference", ""))


@routes.get("/counts")
@staff_required
def counts(variances=None, status: int = 200):
    """A zone's count sheet (blind: what the books say shows only after counting), the
    variances just found, and recent counts and adjustments."""
    session = db_session()
    zone = request.values.get("zone", "")
    return render_template(
        "console/counts.html", zones=all_zones(session),
        zone=zone, slots=stock_desk.count_sheet(session, zone) if zone else [],
        variances=variances, reasons=stock_desk.ADJUST_REASONS,
        recent=stock_desk.recent_variances(session, utcnow() - timedelta(days=30))), status


@routes.post("/counts")
@staff_required
def record_counts():
    """Record the counted quantities of a sheet; empty fields were not counted."""
    counted = {key[6:]: form_number(value) for key, value in request.form.items()
               if key.startswith("count-") and value.strip()}
    try:
        variances = stock_desk.record_counts(state().db, counted,
                                             actor=current_user.audit_actor)
    except DomainError as error:
        flash(str(error), "error")
        return counts(status=error.status)
    return counts(variances=variances)


@routes.post("/adjustments")
@manager_required
def adjust():
    """Correct the centre's stock of one product, with a reason."""
    form = request.form
    return _at_desk(stock_desk.adjust, "console.counts", lambda adjusted: _l(
        "%(sku)s adjusted; %(on_hand)s now in the centre.", **adjusted),
        reason=form.get("reason", ""), note=form.get("note", ""))
