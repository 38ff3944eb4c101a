"""The factory portal: a factory's stock, forwards, pick list, statements and unsold stock.

Every page reads and changes the signed-in user's own factory alone; another factory's forward
or SKU is not found.
"""

from __future__ import annotations

from functools import wraps
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_datetime
from flask_login import current_user

from store_api.core.errors import DomainError
from store_api.core.models import utcnow
from store_api.core.state import state
from store_api.factories.models import Factory
from store_api.fulfilment import consignment, documents, fulfilment
from store_api.fulfilment.models import HELD, OPEN_STATES, REJECT_REASONS
from store_api.web.form_actions import act, form_number
from store_api.web.same_origin import here
from store_api.web.session import db_session

bp = Blueprint("portal", __name__, url_prefix="/portal")
ACTIVE_STATES = OPEN_STATES + ("rejected",)  # a rejection stays in view until staff act


def factory_required(view):
    """Let only a signed-in factory user through; others go to sign-in, staff get 403."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("console.login", next=here()))
        if current_user.role != "factory" or current_user.factory_id is None:
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def _factory_id() -> int:
    return current_user.factory_id


def _actor() -> str:
    return f"factory-user:{current_user.username}"


def _settings():
    return state().settings


def _month() -> consignment.Period:
    timezone = _settings().centre.timezone
    try:
        return consignment.month(request.args.get("month") or consignment.this_month(timezone),
                                 timezone)
    except DomainError:
        abort(404)


def _render(template: str, **context):
    factory = db_session().get(Factory, _factory_id())
    return render_template(f"portal/{template}", factory=factory, **context)


@bp.get("/")
@factory_required
def stock():
    """Stock by SKU: at the centre and at the factory, sales and sell-through."""
    rows = consignment.stock(db_session(), _factory_id())
    return _render("stock.html", rows=rows)


@bp.post("/stock/<sku>")
@factory_required
def set_stock(sku: str):
    """Set what the factory holds of a SKU, against the version the form was drawn with."""
    return _act(lambda: consignment.set_factory_stock(
        state().db, _factory_id(), sku[:64], form_number(request.form.get("on_hand")),
        request.form.get("version"), actor=_actor()), "portal.stock")


@bp.get("/forwards")
@factory_required
def forwards():
    """Open forwards with their age and the time left to the dispatch promise."""
    found = fulfilment.factory_forwards(db_session(), _factory_id(), states=ACTIVE_STATES)
    views = [fulfilment.forward_view(f) for f in found]
    return _render("forwards.html", forwards=views, now=utcnow(), reasons=REJECT_REASONS)


def _act(action, endpoint: str = "portal.forwards") -> Response:
    return act(action, endpoint, missing_is_404=True)


def _on_forward(action, forward: str, *args) -> Response:
    """Run a fulfilment action on one of this factory's forwards, as this factory's user."""
    return _act(lambda: action(state().db, _factory_id(), forward[:64], *args, actor=_actor()))


# A factory's actions on its forwards: the fulfilment step each runs, and the form fields it
# passes on in order. Each has its own address and endpoint (portal.accept, portal.ship, ...).
FORWARD_ACTIONS = {
    "accept": (fulfilment.accept, ()),
    "reject": (fulfilment.reject, ("reason", "note")),
    "ship": (fulfilment.add_shipment, ("carrier", "tracking_number")),
    "delivered": (fulfilment.mark_delivered, ()),
    "cancelled": (fulfilment.confirm_cancelled, ()),
}


def _forward_view(step, fields: tuple[str, ...]):
    @factory_required
    def view(forward: str):
        return _on_forward(step, forward, *(request.form.get(field, "") for field in fields))

    return view


for _action, (_step, _fields) in FORWARD_ACTIONS.items():
    bp.add_url_rule(f"/forwards/<forward>/{_action}", _action, _forward_view(_step, _fields),
                    methods=["POST"])


def _font() -> Path:
    return Path(_settings().labels.font_path)


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    return Response(data, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/picklist.pdf")
@factory_required
def pick_list():
    """A PDF of every accepted or new forward's goods, to pick and pack."""
    found = fulfilment.factory_forwards(db_session(), _factory_id(),
                                        states=HELD)
    views = [fulfilment.forward_view(f) for f in reversed(found)]
    for view in views:
        view["dispatch_by"] = format_datetime(view["dispatch_by"], "yyyy-MM-dd HH:mm")
    factory = db_session().get(Factory, _factory_id())
    pdf = documents.pick_list_pdf(factory.name_zh, views,
                                  format_datetime(utcnow(), "yyyy-MM-dd HH:mm"), _font())
    return _download(pdf, "application/pdf", f"picklist-{factory.code}.pdf")


def _statement() -> consignment.Statement:
    return consignment.statement(db_session(), _factory_id(), _month(),
                                 _settings().consignment.return_offer_percent)


@bp.get("/statement")
@factory_required
def statement():
    """The settlement statement of a month: units sold times supply price, and returns."""
    return _render("statement.html", statement=_statement(),
                   month=_month().first.strftime("%Y-%m"))


@bp.get("/statement.csv")
@factory_required
def statement_csv():
    """The month's statement as CSV."""
    found = _statement()
    return _download(documents.statement_csv(found), "text/csv; charset=utf-8",
                     f"statement-{found.factory_code}-{found.within.first:%Y-%m}.csv")


@bp.get("/statement.pdf")
@factory_required
def statement_pdf():
    """The month's statement as PDF."""
    found = _statement()
    return _download(documents.statement_pdf(found, _font()), "application/pdf",
                     f"statement-{found.factory_code}-{found.within.first:%Y-%m}.pdf")


@bp.get("/unsold")
@factory_required
def unsold():
    """SKUs unsold at the centre for the set number of days, with the return offer."""
    settings = _settings()
    rows = consignment.unsold(db_session(), _factory_id(), settings.consignment.unsold_days,
                              settings.consignment.return_offer_percent)
    return _render("unsold.html", rows=rows, days=settings.consignment.unsold_days,
                   percent=settings.consignment.return_offer_percent)


@bp.post("/unsold/<sku>/return")
@factory_required
def take_back(sku: str):
    """Take back units of an unsold SKU: they move from the centre to the factory."""
    settings = _settings()
    return _act(lambda: consignment.return_unsold(
        state().db, _factory_id(), sku[:64], form_number(request.form.get("quantity")),
        days=settings.consignment.unsold_days,
        offer_percent=settings.consignment.return_offer_percent, actor=_actor()),
        "portal.unsold")
