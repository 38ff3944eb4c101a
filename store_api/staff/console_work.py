"""Stuck work of every kind, in one console page: outbox messages that gave up, or wait again
after a failed try, with a retry or a link to the page where staff settle them."""

from __future__ import annotations

from flask import render_template

from store_api.core import worker
from store_api.core.state import state
from store_api.staff.auth import staff_required
from store_api.web.form_actions import act
from store_api.web.routes import Routes
from store_api.web.session import db_session

routes = Routes()


@routes.get("/work")
@staff_required
def stuck_work():
    """What the worker could not finish: prints, label sheets, forwards, notices, updates."""
    return render_template("console/work.html", messages=worker.stuck(db_session()),
                           pages=state().jobs.pages)


@routes.post("/work/<message_id>/retry")
@staff_required
def retry_work(message_id: str):
    """Carry one message out again, now, under its own id."""
    return act(lambda: worker.retry_now(state().db, message_id[:40]), "console.stuck_work",
               missing_is_404=True)
