"""Shelf labels in the staff console: choose, preview, download, and the stale list."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from shelf_labels.pdf import pdf_to_png, render_pdf
from store_api.auth import staff_required
from store_api.errors import DomainError
from store_api.models import Zone
from store_api.services import labels
from store_api.state import state
from store_api.web.console import bp
from store_api.web.session import db_session


def _settings():
    settings = state().settings
    return settings, settings["catalogue.member_levels"][0]


@bp.get("/labels")
@staff_required
def labels_page(error: DomainError | None = None, status: int = 200):
    """Choose slots and a template; list the labels a change has made stale."""
    _, base_level = _settings()
    session = db_session()
    zones = list(session.scalars(select(Zone).order_by(Zone.id)))
    return render_template("console/labels.html", templates=labels.templates(), zones=zones,
                           stale=labels.stale_labels(session, base_level), error=error,
                           form=request.form), status


@bp.post("/labels")
@staff_required
def print_labels():
    """Render the chosen labels to a PDF download and record what each shows."""
    settings, base_level = _settings()
    form = request.form
    choice = form.get("selection", "")
    try:
        codes = form.get("codes", "").split() if choice == "codes" else None
        slots = labels.select_slots(
            db_session(), everything=choice == "all", zone=form.get("zone") if choice == "zone"
            else None, codes=codes, stale=choice == "stale", base_level=base_level)
        if form.get("send") == "thermal":
            labels.queue_thermal(state().db, [slot.id for slot in slots],
                                 base_url=settings["server.public_base_url"],
                                 base_level=base_level)
            flash(str(_l("%(n)s labels sent to the label printer.", n=len(slots))), "info")
            return redirect(url_for("console.prints"), 303)
        pdf = labels.print_labels(
            state().db, [slot.id for slot in slots], template_name=form.get("template", ""),
            base_url=settings["server.public_base_url"], base_level=base_level,
            font_path=Path(settings["labels.font_path"]), skip=_int(form.get("skip"), 0),
            copies=_int(form.get("copies"), 1))
    except DomainError as error:
        return labels_page(error=error, status=error.status)
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="labels-{form.get("template")}.pdf"'})


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        raise DomainError(_l("Must be a whole number."), code="invalid_input",
                          field="copies") from None


@bp.get("/labels/preview.png")
@staff_required
def preview():
    """Show one slot's label on the chosen template as a picture."""
    settings, base_level = _settings()
    template = labels.templates().get(request.args.get("template", ""))
    slots = labels.select_slots(db_session(), codes=[request.args.get("slot", "")[:16]],
                                base_level=base_level)
    if template is None:
        raise DomainError(_l("There is no label template %(name)s."), code="unknown_template",
                          field="template", name=request.args.get("template", "")[:40])
    data = labels.label_data(slots[0], settings["server.public_base_url"], base_level,
                             date.today())
    single = replace(template, page_width=template.label_width,
                     page_height=template.label_height, columns=1, rows=1, margin_left=0.0,
                     margin_top=0.0)
    pdf = render_pdf([data], single, font_path=Path(settings["labels.font_path"]))
    return Response(pdf_to_png(pdf, dpi=200)[0], mimetype="image/png")
