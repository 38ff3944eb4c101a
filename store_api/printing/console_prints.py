"""Console pages for print jobs: recent jobs, each printer's state, and reprints."""

from __future__ import annotations

from flask import render_template

from store_api.core.state import state
from store_api.printing import queue as printing
from store_api.staff.auth import staff_required
from store_api.web.form_actions import act
from store_api.web.routes import Routes
from store_api.web.session import db_session

routes = Routes()


@routes.get("/prints")
@staff_required
def prints():
    """List recent print jobs and each printer's state."""
    return render_template("console/prints.html", jobs=printing.recent_jobs(db_session()),
                           printers=printing.printer_states(db_session()))


@routes.post("/prints/<int:job>/reprint")
@staff_required
def reprint(job: int):
    """Print a job again; no order or payment is repeated."""
    return act(lambda: printing.reprint(state().db, job), "console.prints")
