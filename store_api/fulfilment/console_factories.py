"""Factories and sign-in accounts in the staff console, for admins: details, API tokens
(shown once), webhook and secret rotation, portal users, staff accounts."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from store_api.catalogue.rules import format_money
from store_api.core.errors import CatalogueError, DomainError
from store_api.core.state import state
from store_api.factories import access as factory_access
from store_api.fulfilment import factories
from store_api.staff import users
from store_api.staff.auth import admin_required
from store_api.web.form_actions import act, form_number, problems_by_field
from store_api.web.routes import Routes
from store_api.web.session import db_session

routes = Routes()


@routes.get("/factories")
@admin_required
def factories_page():
    """Every factory, and the form for a new one."""
    return render_template("console/factories.html",
                           factories=factory_access.all_factories(db_session()), cells={},
                           problems={})


# What an admin can switch off for a factory: the endpoint, its address, and the service
# that does it (a revoked token stops working; without a webhook, forwards wait in the portal).
SWITCH_OFF = (
    ("revoke_token", "/factories/<code>/token/revoke", factory_access.revoke_token),
    ("clear_webhook", "/factories/<code>/webhook/clear", factories.clear_webhook),
)


def _switch_off(service):
    @admin_required
    def view(code: str):
        return act(lambda: service(state().db, code, actor=current_user.audit_actor),
                   "console.factory_page", code=code)

    return view


for _endpoint, _rule, _service in SWITCH_OFF:
    routes.post(_rule, endpoint=_endpoint)(_switch_off(_service))


def _cells() -> dict:
    return {name: request.form.get(name, "")[:200] for name in factories.FIELDS}


@routes.post("/factories")
@admin_required
def create_factory():
    """Add a factory."""
    cells = _cells()
    try:
        code = factories.save(state().db, None, cells, actor=current_user.audit_actor)
    except CatalogueError as error:
        listed = factory_access.all_factories(db_session())
        return render_template("console/factories.html", factories=listed, cells=cells,
                               problems=problems_by_field(error.problems)), 422
    return redirect(url_for("console.factory_page", code=code), 303)


def _factory_page(code: str, *, cells=None, problems=None, shown=None, webhook_problems=None,
                  status=200):
    factory = factory_access.find_factory(db_session(), code)
    if factory is None:
        abort(404)
    portal_users = users.portal_users(db_session(), factory.id)
    if cells is None:
        cells = {name: getattr(factory, name, "") for name in factories.FIELDS}
        cells["mixed_batch_min"] = format_money(factory.mixed_batch_min_fen)
    # A refused address stays in its field, beside what is wrong with it.
    webhook_url = (request.form.get("url", "") if webhook_problems
                   else factory.webhook_url or "")
    return render_template("console/factory.html", factory=factory, cells=cells,
                           problems=problems or {}, users=list(portal_users), shown=shown,
                           webhook_url=webhook_url, webhook_problems=webhook_problems or {},
                           hours=request.form.get("keep_old_hours", "24")), status


@routes.get("/factories/<code>")
@admin_required
def factory_page(code: str):
    """One factory: its details, API token, webhook and portal users."""
    return _factory_page(code)


@routes.post("/factories/<code>")
@admin_required
def save_factory(code: str):
    """Change a factory's details."""
    cells = _cells()
    try:
        factories.save(state().db, code, cells, actor=current_user.audit_actor)
    except CatalogueError as error:
        return _factory_page(code, cells=cells, problems=problems_by_field(error.problems),
                             status=422)
    flash(str(_l("Saved %(sku)s.", sku=code)), "info")
    return redirect(url_for("console.factory_page", code=code), 303)


# The webhook form's fields, whose refusals are marked beside them rather than flashed.
WEBHOOK_FIELDS = ("url", "keep_old_hours")


def _show_once(code: str, action, label) -> object:
    """Run an action that makes a secret and show the secret on this answer alone; it is
    never stored where it could be shown again."""
    try:
        secret = action()
    except DomainError as error:
        if error.field in WEBHOOK_FIELDS:
            return _factory_page(code, webhook_problems={error.field: str(error)}, status=422)
        flash(str(error), "error")
        return redirect(url_for("console.factory_page", code=code), 303)
    response = _factory_page(code, shown=(label, secret))
    return response[0], response[1], {"Cache-Control": "no-store"}


@routes.post("/factories/<code>/token")
@admin_required
def issue_token(code: str):
    """Give the factory a new API token (the old one stops working) and show it once."""
    return _show_once(code, lambda: factory_access.new_token(
        state().db, code, actor=current_user.audit_actor), _l("API token"))


@routes.post("/factories/<code>/webhook")
@admin_required
def set_webhook(code: str):
    """Set the webhook address with a new signing secret, shown once."""
    return _show_once(code, lambda: factories.set_webhook(
        state().db, code, request.form.get("url", "").strip(),
        keep_old_hours=form_number(request.form.get("keep_old_hours", "24")),
        app_secret=current_app.config["SECRET_KEY"],
        allow_private=state().settings.fulfilment.allow_private_webhooks,
        actor=current_user.audit_actor), _l("Webhook signing secret"))


@routes.post("/factories/<code>/users")
@admin_required
def add_portal_user(code: str):
    """Give the factory a portal sign-in."""
    form = request.form
    return act(lambda: users.create(
        state().db, username=form.get("username", "").strip(),
        display_name=form.get("display_name", ""), role="factory",
        password=form.get("password", ""), factory_code=code, actor=current_user.audit_actor),
        "console.factory_page", code=code)


@routes.get("/users")
@admin_required
def users_page():
    """Staff accounts and their roles."""
    return render_template("console/users.html", users=users.staff_accounts(db_session()))


@routes.post("/users")
@admin_required
def add_user():
    """Add a staff, manager or admin account."""
    form = request.form
    role = form.get("role", "")
    return act(lambda: users.create(
        state().db, username=form.get("username", "").strip(),
        display_name=form.get("display_name", ""),
        role=role if role != "factory" else "", password=form.get("password", ""),
        actor=current_user.audit_actor), "console.users_page")


@routes.post("/users/<int:user>/active")
@admin_required
def set_user_active(user: int):
    """Stop an account signing in, or let it again."""
    active, factory = request.form.get("active") == "yes", request.form.get("factory", "")
    action = lambda: users.set_active(state().db, user, active,  # noqa: E731
                                      actor=current_user.audit_actor)
    if factory:  # a portal user, stopped from its factory's page
        return act(action, "console.factory_page", code=factory[:32])
    return act(action, "console.users_page")


@routes.post("/users/<int:user>/password")
@admin_required
def reset_password(user: int):
    """Give an account a new password."""
    return act(lambda: users.reset_password(state().db, user, request.form.get("password", ""),
                                            actor=current_user.audit_actor),
               "console.users_page")
