"""The request's database session."""

from flask import g
from sqlalchemy.orm import Session

from store_api.core.state import state


def db_session() -> Session:
    """Return this request's read session, opened on first use and closed when the request ends."""
    if "db_session" not in g:
        g.db_session = state().db.read_session()
    return g.db_session
