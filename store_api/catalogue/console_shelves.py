"""Shelf slots in the staff console: a zone's slots, adding one, putting a product on it,
retiring it, and printing its label."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from store_api.catalogue import shelves
from store_api.catalogue.zones import all_zones
from store_api.core.state import state
from store_api.staff.auth import manager_required, staff_required
from store_api.web.form_actions import act, form_number
from store_api.web.routes import Routes
from store_api.web.session import db_session

routes = Routes()


@routes.get("/shelves")
@staff_required
def shelves_page():
    """A zone's slots in walking order, with what each holds."""
    session = db_session()
    zones = all_zones(session)
    zone = request.args.get("zone") or (zones[0].code if zones else "")
    return render_template("console/shelves.html", zones=zones, zone=zone,
                           slots=shelves.listing(session, zone))


def _back():
    return {"zone": request.form.get("zone", "")[:32]}


@routes.post("/shelves")
@manager_required
def add_slot():
    """Add an empty slot to a zone."""
    form = request.form
    return act(lambda: shelves.add(state().db, form.get("zone", ""), form.get("aisle", ""),
                                   form_number(form.get("shelf")),
                                   form_number(form.get("position")),
                                   actor=current_user.audit_actor),
               "console.shelves_page", **_back())


@routes.post("/shelves/<code>/product")
@manager_required
def assign_slot(code: str):
    """Put a product on a slot (moving it from its old one), or empty the slot."""
    return act(lambda: shelves.assign(state().db, code, request.form.get("sku", ""),
                                      actor=current_user.audit_actor),
               "console.shelves_page", **_back())


@routes.post("/shelves/<code>/retire")
@manager_required
def retire_slot(code: str):
    """Take an empty slot out of use."""
    return act(lambda: shelves.retire(state().db, code, actor=current_user.audit_actor),
               "console.shelves_page", **_back())
