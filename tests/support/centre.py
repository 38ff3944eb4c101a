"""The demo centre, loaded into a test's app, and its row counts."""

from __future__ import annotations

from sqlalchemy import func, select

from store_api.core.models import Base
from store_api.core.state import state
from store_api.demo.centre import load_demo


def load(app, folder=None):
    settings = state(app).settings
    with state(app).db.unit_of_work() as session:
        return load_demo(session, media_dir=state(app).media_dir, folder=folder,
                         member_levels=settings["catalogue.member_levels"],
                         business_types=settings["catalogue.business_types"])


def row_counts(app) -> dict[str, int]:
    with state(app).db.read_session() as session:
        return {name: session.scalar(select(func.count()).select_from(table))
                for name, table in Base.metadata.tables.items()}
