"""Shelf labels in the staff console: choose, preview, download, and the stale list."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from flask import (
    Response,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import lazy_gettext as _l

from shelf_labels.pdf import pdf_to_png, render_pdf
from store_api.catalogue.zones import all_zones
from store_api.core.errors import DomainError
from store_api.core.state import state
from store_api.printing import labels
from store_api.printing.models import PrintJob
from store_api.staff.auth import staff_required
from store_api.web.form_actions import form_number
from store_api.web.routes import Routes
from store_api.web.session import db_session

routes = Routes()


def _settings():
    settings = state().settings
    return settings, settings.catalogue.member_levels[0]


@routes.get("/labels")
@staff_required
def labels_page(error: DomainError | None = None, status: int = 200):
    """Choose slots and a template; list the labels a change has made stale."""
    _, base_level = _settings()
    session = db_session()
    zones = all_zones(session)
    return render_template("console/labels.html", templates=labels.templates(), zones=zones,
                           stale=labels.stale_labels(session, base_level), error=error,
                           form=request.form), status


@routes.post("/labels")
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
                                 base_url=settings.server.public_base_url,
                                 base_level=base_level)
            flash(str(_l("%(n)s labels sent to the label printer.", n=len(slots))), "info")
            return redirect(url_for("console.prints"), 303)
        job = labels.queue_pdf(state().db, [slot.id for slot in slots],
                               template_name=form.get("template", ""),
                               skip=form_number(form.get("skip") or "0"),
                               copies=form_number(form.get("copies") or "1"))
    except DomainError as error:
        return labels_page(error=error, status=error.status)
    return redirect(url_for("console.label_job", job=job), 303)


def _label_job(job_id: int) -> PrintJob:
    job = db_session().get(PrintJob, job_id)
    if job is None or job.kind != "label-pdf":
        raise DomainError(_l("There is no such print job."), code="not_found", field="job",
                          status=404)
    return job


@routes.get("/labels/jobs/<int:job>")
@staff_required
def label_job(job: int):
    """Show a label batch's progress, and its PDF when it is ready."""
    return render_template("console/label_job.html", job=_label_job(job))


@routes.get("/labels/jobs/<int:job>.json")
@staff_required
def label_job_progress(job: int):
    """Report a label batch's progress for the page's bar."""
    found = _label_job(job)
    return jsonify(status=found.status, done=found.payload["done"],
                   total=found.payload["total"])


@routes.get("/labels/jobs/<int:job>.pdf")
@staff_required
def label_job_pdf(job: int):
    """Download a rendered label batch."""
    found = _label_job(job)
    path = labels.pdf_path(state().settings.var_dir, found.id)
    if found.status != "done" or not path.exists():
        raise DomainError(_l("The labels are not ready yet."), code="not_ready", status=409)
    return send_file(path, mimetype="application/pdf", as_attachment=True,
                     download_name=f"labels-{found.payload['template']}-{found.id}.pdf")


@routes.get("/labels/preview.png")
@staff_required
def preview():
    """Show one slot's label on the chosen template as a picture."""
    settings, base_level = _settings()
    template = labels.template_named(request.args.get("template", ""))
    slots = labels.select_slots(db_session(), codes=[request.args.get("slot", "")[:16]],
                                base_level=base_level)
    data = labels.label_data(slots[0], settings.server.public_base_url, base_level,
                             date.today())
    single = replace(template, page_width=template.label_width,
                     page_height=template.label_height, columns=1, rows=1, margin_left=0.0,
                     margin_top=0.0)
    pdf = render_pdf([data], single, font_path=Path(settings.labels.font_path))
    return Response(pdf_to_png(pdf, dpi=200)[0], mimetype="image/png")
