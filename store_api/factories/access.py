"""API tokens of factories: shown once, kept only as a hash, each good for its factory alone;
and the guard of the API operations a factory calls with one.

A token is `xpf.<factory code>.<secret>`; the code finds the factory, and the SHA-256 of the
secret is compared with the stored one in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from functools import wraps

from flask import g, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from store_api.core import audit
from store_api.core.db import Database
from store_api.core.errors import DomainError, NotFound
from store_api.core.state import state
from store_api.factories.models import Factory

PREFIX = "xpf"
_NOTHING = hashlib.sha256(b"").hexdigest()


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def factory_by_code(session: Session, code) -> Factory:
    """The factory of a code, or NotFound."""
    factory = session.scalar(select(Factory).where(Factory.code == code)) if isinstance(
        code, str) else None
    if factory is None:
        raise NotFound(_l("There is no such factory."), field="code")
    return factory


def new_token(db: Database, code: str, *, actor: audit.Actor) -> str:
    """Give a factory a new API token (the old one stops working) and return it, once."""
    secret = secrets.token_urlsafe(32)
    with db.unit_of_work() as session:
        factory = factory_by_code(session, code)
        factory.api_token_hash = _digest(secret)
        audit.record(session, actor, "factory.token.issue", "factory", factory.code)
        return f"{PREFIX}.{factory.code}.{secret}"


def revoke_token(db: Database, code: str, *, actor: audit.Actor) -> None:
    """Stop a factory's API token from working."""
    with db.unit_of_work() as session:
        factory = factory_by_code(session, code)
        factory.api_token_hash = None
        audit.record(session, actor, "factory.token.revoke", "factory", factory.code)


def factory_for_token(session: Session, token) -> Factory | None:
    """Return the factory a bearer token belongs to, or None."""
    if not isinstance(token, str) or len(token) > 200 or token.count(".") < 2:
        return None
    prefix, rest = token.split(".", 1)
    code, secret = rest.rsplit(".", 1)
    factory = session.scalar(select(Factory).where(Factory.code == code)) if (
        prefix == PREFIX) else None
    stored = factory.api_token_hash if factory is not None and factory.api_token_hash else None
    # Compare even when there is nothing to match, so a wrong code answers as slowly as a wrong
    # secret.
    matches = hmac.compare_digest(_digest(secret), stored or _NOTHING)
    return factory if matches and stored else None


def factory_token_required(view):
    """Let through only a request with a factory's bearer token; the factory goes in g."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        with state().db.read_session() as session:
            factory = factory_for_token(session, token.strip()) if (
                scheme.lower() == "bearer") else None
            if factory is None:
                raise DomainError(_l("Send the factory's API token as a Bearer token."),
                                  code="unauthorised", status=401)
            g.factory = FactoryCaller(factory.id, factory.code)
        return view(*args, **kwargs)

    return wrapper


@dataclass(frozen=True)
class FactoryCaller:
    """The factory a request speaks for."""

    id: int
    code: str

    @property
    def actor(self) -> str:
        """How the ledger and histories name it."""
        return f"factory:{self.code}"


def all_factories(session: Session) -> list[Factory]:
    """Return every factory by code."""
    return list(session.scalars(select(Factory).order_by(Factory.code)))


def find_factory(session: Session, code: str) -> Factory | None:
    """Return the factory with this code, or None."""
    return session.scalar(select(Factory).where(Factory.code == code[:32]))
