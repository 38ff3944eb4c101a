"""Sign-in for staff and factory users (Flask-Login), and the role checks views use."""

from __future__ import annotations

from functools import wraps

from flask import Flask, jsonify, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user
from sqlalchemy import select

from store_api.errors import DomainError
from store_api.models import User
from store_api.state import state

STAFF_ROLES = ("staff", "manager", "admin")
login_manager = LoginManager()


class SignedInUser:
    """The Flask-Login view of a user row, detached from any session."""

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def __init__(self, user: User):
        self.id, self.username, self.role = user.id, user.username, user.role
        self.display_name, self.factory_id = user.display_name, user.factory_id

    def get_id(self) -> str:
        return str(self.id)

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES


@login_manager.user_loader
def _load(user_id: str):
    with state().db.read_session() as session:
        user = session.get(User, int(user_id)) if user_id.isdigit() else None
        return SignedInUser(user) if user is not None and user.active else None


def authenticate(username, password) -> SignedInUser | None:
    """Return the user whose credentials these are, or None."""
    if not isinstance(username, str) or not isinstance(password, str) or len(password) > 200:
        return None
    with state().db.read_session() as session:
        user = session.scalar(select(User).where(User.username == username, User.active))
        if user is None or not user.check_password(password):
            return None
        return SignedInUser(user)


def staff_required(view):
    """Let only signed-in staff through: pages redirect to sign-in, the API answers 401/403."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        api = request.path.startswith("/api/")
        if not current_user.is_authenticated:
            if api:
                raise DomainError(_l("Sign in first."), code="unauthorised", status=401)
            return redirect(url_for("console.login", next=request.full_path))
        if not current_user.is_staff:
            if api:
                raise DomainError(_l("Staff only."), code="forbidden", status=403)
            return jsonify(error="forbidden"), 403
        return view(*args, **kwargs)

    return wrapper


def init_app(app: Flask) -> None:
    """Attach sign-in to the app."""
    login_manager.init_app(app)
    login_manager.login_view = "console.login"
    login_manager.login_message = None
