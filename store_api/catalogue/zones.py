"""The zones of the floor, kept in step with config/zones.toml."""

import tomllib

from sqlalchemy import select
from sqlalchemy.orm import Session

from store_api.catalogue.models import Zone
from store_api.core.resources import config_dir


def sync_zones(session: Session) -> int:
    """Create zones named in config/zones.toml that the database lacks; return how many."""
    wanted = tomllib.loads((config_dir() / "zones.toml").read_text("utf-8"))["zones"]
    have = set(session.scalars(select(Zone.code)))
    created = 0
    for zone in wanted:
        if zone["code"] not in have:
            session.add(Zone(**zone))
            created += 1
    session.flush()
    return created


def all_zones(session: Session) -> list[Zone]:
    """Return every zone, in the order they were made."""
    return list(session.scalars(select(Zone).order_by(Zone.id)))


def zone_by_code(session: Session, code: str | None) -> Zone | None:
    """Return the zone with this code, or None."""
    return session.scalar(select(Zone).where(Zone.code == code[:32])) if code else None
