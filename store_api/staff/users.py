"""Sign-in accounts: staff, managers, admins, and factories' portal users."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from store_api.core import audit
from store_api.core.db import Database
from store_api.core.errors import DomainError, NotFound
from store_api.factories.access import factory_by_code
from store_api.staff.models import ROLES, User

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,59}$")
MIN_PASSWORD = 10


def _check_password(password) -> str:
    if not isinstance(password, str) or not MIN_PASSWORD <= len(password) <= 200:
        raise DomainError(_l("A password needs %(n)s to 200 characters."), field="password",
                          n=MIN_PASSWORD)
    return password


def create(db: Database, *, username, display_name, role, password,
           factory_code: str | None = None, actor: audit.Actor) -> int:
    """Add an account; a factory user belongs to exactly one factory. Return its id."""
    if not isinstance(username, str) or not USERNAME.match(username):
        raise DomainError(_l("A username is 2 to 60 lower-case letters, digits, dots, dashes "
                             "or underscores."), field="username")
    if role not in ROLES:
        raise DomainError(_l("Choose a role."), field="role")
    if (role == "factory") != bool(factory_code):
        raise DomainError(_l("A factory user needs its factory, and only a factory user has "
                             "one."), field="factory")
    _check_password(password)
    display_name = (display_name or username).strip()[:100] if isinstance(
        display_name, str) else username
    with db.unit_of_work() as session:
        if session.scalar(select(User.id).where(User.username == username)) is not None:
            raise DomainError(_l("The username %(name)s is taken."), field="username",
                              status=409, name=username)
        factory = factory_by_code(session, factory_code) if factory_code else None
        user = User(username=username, display_name=display_name, role=role, factory=factory)
        user.set_password(password)
        session.add(user)
        session.flush()
        audit.record(session, actor, "user.create", "user", user.username,
                     after={"role": role, "factory": factory_code})
        return user.id


def _user(session, user_id) -> User:
    user = session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None:
        raise NotFound(_l("There is no such user."), field="user")
    return user


def set_active(db: Database, user_id: int, active: bool, *, actor: audit.Actor) -> None:
    """Let an account sign in again, or stop it; a person cannot stop their own."""
    with db.unit_of_work() as session:
        user = _user(session, user_id)
        if user.id == actor.user_id and not active:
            raise DomainError(_l("You cannot stop your own account."), field="user")
        audit.record(session, actor, "user.activate" if active else "user.deactivate", "user",
                     user.username, before={"active": user.active}, after={"active": active})
        user.active = active


def reset_password(db: Database, user_id: int, password, *, actor: audit.Actor) -> None:
    """Give an account a new password."""
    _check_password(password)
    with db.unit_of_work() as session:
        user = _user(session, user_id)
        user.set_password(password)
        audit.record(session, actor, "user.password", "user", user.username)


def portal_users(session: Session, factory_id: int) -> list[User]:
    """Return a factory's portal accounts by username."""
    return list(session.scalars(select(User).where(User.factory_id == factory_id)
                                .order_by(User.username)))


def staff_accounts(session: Session) -> list[User]:
    """Return the centre's own accounts by role and username."""
    return list(session.scalars(select(User).where(User.role != "factory")
                                .order_by(User.role, User.username)))
