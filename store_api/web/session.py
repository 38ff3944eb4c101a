"""The request's database session: reads for safe methods, one unit of work for the rest."""

from flask import g, request
from sqlalchemy.orm import Session

from store_api.state import state


def db_session() -> Session:
    """Return this request's session, opened on first use and closed when the request ends."""
    if "db_session" not in g:
        db = state().db
        reading = request.method in ("GET", "HEAD")
        g.db_session = db.read_session() if reading else db.write_session()
    return g.db_session
