"""Sign-in for staff and factory users (Flask-Login), and the role checks views use."""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from functools import wraps

from flask import Flask, flash, jsonify, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, logout_user
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from store_api.core.audit import Actor
from store_api.core.errors import DomainError
from store_api.core.models import utcnow
from store_api.core.state import state
from store_api.staff.models import User
from store_api.web.same_origin import here

# Each role may do everything the roles before it may.
STAFF_ROLES = ("staff", "manager", "admin")
login_manager = LoginManager()
log = logging.getLogger("xuanpin.auth")


class SignedInUser:
    """The Flask-Login view of a user row, detached from any session."""

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def __init__(self, user: User):
        self.id, self.username, self.role = user.id, user.username, user.role
        self.display_name, self.factory_id = user.display_name, user.factory_id
        self.epoch = user.session_epoch

    def get_id(self) -> str:
        # The epoch rides in the session: once the user's epoch moves on, the cookie is void.
        return f"{self.id}.{self.epoch}"

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    def may(self, role: str) -> bool:
        """Whether this user holds the given staff role or one above it."""
        return self.is_staff and STAFF_ROLES.index(self.role) >= STAFF_ROLES.index(role)

    @property
    def actor(self) -> str:
        """How the ledger and the audit log name this user."""
        return f"staff:{self.username}"

    @property
    def audit_actor(self) -> Actor:
        """This user as the audit log records them."""
        return Actor(self.id, self.actor)


@login_manager.user_loader
def _load(session_id: str):
    user_id, _, epoch = session_id.partition(".")
    if not (user_id.isdigit() and epoch.isdigit()):
        return None
    with state().db.read_session() as session:
        user = session.get(User, int(user_id))
        if user is None or not user.active or user.session_epoch != int(epoch):
            return None
        return SignedInUser(user)


# Checked when no account has the username, so that an unknown name costs the same scrypt
# work as a known one and the answer's timing does not tell which names exist.
_NOBODY = generate_password_hash("no account has this username", method="scrypt")


def authenticate(username, password) -> SignedInUser | None:
    """Return the user whose credentials these are, or None. Failed tries in a row lock the
    account for a while (console.lock_after, console.lock_minutes); while locked, even the
    right password is refused."""
    if not isinstance(username, str) or not isinstance(password, str) or len(password) > 200:
        return None
    settings = state().settings.console
    now = utcnow()
    with state().db.unit_of_work() as session:
        # Locked, so that failed tries sent at once are each counted.
        user = session.scalar(select(User).where(User.username == username, User.active)
                              .with_for_update())
        if user is None:
            check_password_hash(_NOBODY, password)
            return None
        right = user.check_password(password)
        if user.locked_until is not None and user.locked_until > now:
            return None
        if not right:
            user.failed_sign_ins += 1
            if user.failed_sign_ins >= settings.lock_after:
                user.failed_sign_ins = 0
                user.locked_until = now + timedelta(minutes=settings.lock_minutes)
                log.warning("account %s locked after %s failed sign-ins", user.username,
                            settings.lock_after)
            return None
        user.failed_sign_ins, user.locked_until = 0, None
        return SignedInUser(user)


def refused_message() -> str:
    """What a failed sign-in is told: the same whether the name, the password or a lock
    failed it, so that it tells nobody which names exist."""
    settings = state().settings.console
    return str(_l("Wrong username or password.")) + " " + str(_l(
        "After %(n)s failed tries in a row an account waits %(minutes)s minutes.",
        n=settings.lock_after, minutes=settings.lock_minutes))


def sign_out() -> None:
    """Sign the current user out here and in every other session of theirs."""
    if current_user.is_authenticated:
        with state().db.unit_of_work() as session:
            user = session.get(User, current_user.id)
            if user is not None:
                user.end_sessions()
    logout_user()


def wants_json() -> bool:
    """Whether the caller is an API client rather than a browser: an /api/ path, or an Accept
    header that names JSON and takes it at least as gladly as HTML (a browser's puts HTML
    first)."""
    if request.path.startswith("/api/"):
        return True
    accept = request.accept_mimetypes
    # A bare */* (curl, a link opened by another program) names nothing: it is sent to the
    # sign-in page like a browser, since a console page is what it asked for.
    named = any("json" in value for value, quality in accept if quality > 0)
    return named and accept.quality("application/json") >= accept.quality("text/html")


def _refuse(message, code: str, status: int):
    if wants_json():
        return jsonify(error={"code": code, "message": str(message), "field": None}), status
    raise DomainError(message, code=code, status=status)


def role_required(role: str):
    """Let through signed-in staff holding `role` or above: browsers without a sign-in go to
    the sign-in page, API clients get 401; a lesser role gets 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                if wants_json():
                    return _refuse(_l("Sign in first."), "unauthorised", 401)
                return redirect(url_for("console.login", next=here()))
            if not current_user.may(role):
                return _refuse(_l("Your role may not do this."), "forbidden", 403)
            return view(*args, **kwargs)

        wrapper.required_role = role
        return wrapper

    return decorator


staff_required = role_required("staff")
manager_required = role_required("manager")
admin_required = role_required("admin")


def _end_idle_sign_in() -> None:
    """Sign out a console or portal session left idle longer than console.idle_minutes."""
    if "_user_id" not in session:
        return
    now = int(time.time())
    last = session.get("seen_at")
    if isinstance(last, int) and now - last > state().settings.console.idle_minutes * 60:
        logout_user()
        session.pop("seen_at", None)
        if not wants_json():
            flash(_l("You were signed out after a time without use."), "info")
        return
    if not isinstance(last, int) or now - last >= 30:
        # Written at most every 30 s, so most requests leave the cookie as it is.
        session["seen_at"] = now


def init_app(app: Flask) -> None:
    """Attach sign-in to the app."""
    login_manager.init_app(app)
    login_manager.login_view = "console.login"
    login_manager.login_message = None
    app.before_request(_end_idle_sign_in)
