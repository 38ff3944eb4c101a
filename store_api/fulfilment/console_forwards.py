"""Console pages for forwards that need a person: rejected, given up, or late."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from store_api.core.models import utcnow
from store_api.core.state import state
from store_api.fulfilment import forwarding, fulfilment
from store_api.staff.auth import staff_required
from store_api.web.form_actions import act
from store_api.web.routes import Routes
from store_api.web.session import db_session

routes = Routes()


@routes.get("/forwards")
@staff_required
def forwards():
    """Forwards that need a person: rejected by their factory, whose delivery gave up, or
    not on their way by the dispatch promise."""
    now = utcnow()
    return render_template("console/forwards.html",
                           forwards=fulfilment.needing_staff(db_session()),
                           late=fulfilment.past_promise(db_session(), now), now=now,
                           dispatch_by=fulfilment.dispatch_by)


@routes.post("/forwards/<int:forward>/reroute")
@staff_required
def reroute_forward(forward: int):
    """Serve a forward from the centre's stock instead."""
    return act(lambda: fulfilment.reroute(
        state().db, forward, actor=f"staff:{current_user.username}"), "console.forwards")


@routes.post("/forwards/<int:forward>/cancel")
@staff_required
def cancel_forward(forward: int):
    """Cancel a forward's group and release its stock."""
    return act(lambda: fulfilment.cancel_forward(
        state().db, forward, actor=f"staff:{current_user.username}"), "console.forwards")


@routes.post("/forwards/<int:forward>/replay")
@staff_required
def replay_forward(forward: int):
    """Send a forward whose delivery gave up again, under its own id."""
    return act(lambda: forwarding.replay(state().db, forward), "console.forwards")
