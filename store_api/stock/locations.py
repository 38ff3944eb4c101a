"""Stock locations: the centre's own, and one per factory, each made on first use."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from store_api.factories.models import Factory
from store_api.stock.models import StockLocation

CENTRE_LOCATION = "centre"


def centre_location(session: Session) -> StockLocation:
    """Return the centre's own stock location, creating it on first use."""
    location = session.scalar(select(StockLocation).where(StockLocation.code == CENTRE_LOCATION))
    if location is None:
        location = StockLocation(code=CENTRE_LOCATION, kind="centre")
        session.add(location)
        session.flush()
    return location


def factory_location(session: Session, factory: Factory) -> StockLocation:
    """Return a factory's stock location, creating it on first use."""
    location = session.scalar(select(StockLocation).where(StockLocation.factory_id == factory.id))
    if location is None:
        location = StockLocation(code=f"factory:{factory.code}", kind="factory", factory=factory)
        session.add(location)
        session.flush()
    return location
