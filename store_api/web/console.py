"""The staff console: sign-in and the counter."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from shelf_labels import codes
from store_api import printing
from store_api.auth import authenticate, staff_required
from store_api.models import PrintJob
from store_api.models.base import utcnow
from store_api.services import forwarding, fulfilment, orders
from store_api.state import state
from store_api.web.form_actions import act
from store_api.web.routes import Routes
from store_api.web.same_origin import local_target
from store_api.web.session import db_session

routes = Routes()


@routes.route("/login", methods=["GET", "POST"])
def login():
    """Sign staff in."""
    error = None
    if request.method == "POST":
        user = authenticate(request.form.get("username"), request.form.get("password"))
        if user is not None:
            login_user(user)
            home = url_for("console.counter" if user.is_staff else "portal.stock")
            target = local_target(request.args.get("next"), home)
            return redirect(target, 303)
        error = _l("Wrong username or password.")
    return render_template("console/login.html", error=error), 401 if error else 200


@routes.post("/logout")
def logout():
    """Sign out."""
    logout_user()
    return redirect(url_for("console.login"), 303)


@routes.get("/")
@staff_required
def home():
    """The console starts at the counter."""
    return redirect(url_for("console.counter"))


@routes.get("/counter")
@staff_required
def counter():
    """Find an order by its code (scanned or typed) and show what can be done with it."""
    number = codes.normalise(request.args.get("number", ""))[:64]
    order = orders.load_order(db_session(), number) if number else None
    not_found = bool(number) and order is None
    return render_template("console/counter.html", order=order, number=number,
                           not_found=not_found,
                           printers=printing.printer_states(db_session())), (
        404 if not_found else 200)


def _act(number: str, action) -> object:
    return act(action, "console.counter", number=number)


@routes.post("/counter/<number>/pay")
@staff_required
def pay(number: str):
    """Take payment for an order."""
    return _act(number, lambda: orders.pay(
        state().db, number, method=request.form.get("method"),
        reference=request.form.get("reference", ""), user_id=current_user.id))


@routes.post("/counter/<number>/groups/<int:group>/picked")
@staff_required
def picked(number: str, group: int):
    """Mark a pick-up group's goods taken off the shelf."""
    return _act(number, lambda: orders.mark_picked(state().db, number, group))


@routes.post("/counter/<number>/groups/<int:group>/collect")
@staff_required
def collect(number: str, group: int):
    """Hand a pick-up group's goods to the buyer."""
    return _act(number, lambda: orders.collect(state().db, number, group))


@routes.post("/counter/<number>/cancel")
@staff_required
def cancel(number: str):
    """Cancel an order and release its stock."""
    return _act(number, lambda: orders.cancel(state().db, number,
                                              actor=f"staff:{current_user.username}"))


@routes.get("/prints")
@staff_required
def prints():
    """List recent print jobs and each printer's state."""
    jobs = db_session().scalars(select(PrintJob).order_by(PrintJob.id.desc()).limit(100))
    return render_template("console/prints.html", jobs=list(jobs),
                           printers=printing.printer_states(db_session()))


@routes.post("/prints/<int:job>/reprint")
@staff_required
def reprint(job: int):
    """Print a job again; no order or payment is repeated."""
    return act(lambda: printing.reprint(state().db, job), "console.prints")


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
