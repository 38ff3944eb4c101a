"""The audit log: who changed what, when, with the fields before and after."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from store_api.core.models import AuditLogEntry


@dataclass(frozen=True)
class Actor:
    """The person a change is recorded against."""

    user_id: int | None
    name: str


def changes(before: dict, after: dict) -> tuple[dict, dict]:
    """Keep only the fields whose value differs, as (before, after)."""
    keys = [key for key in after if before.get(key) != after[key]]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


def record(session: Session, actor: Actor, action: str, entity: str, entity_id, *,
           before: dict | None = None, after: dict | None = None) -> AuditLogEntry:
    """Add one entry to the log, in the caller's transaction."""
    entry = AuditLogEntry(user_id=actor.user_id, actor=actor.name[:100], action=action[:40],
                          entity=entity[:40], entity_id=str(entity_id)[:40], before=before,
                          after=after)
    session.add(entry)
    return entry


def record_many(session: Session, actor: Actor, action: str, entity: str,
                items: list[tuple[object, dict | None, dict | None]]) -> None:
    """Add one entry per (entity id, before, after) with a single insert."""
    if items:
        session.execute(insert(AuditLogEntry), [
            {"user_id": actor.user_id, "actor": actor.name[:100], "action": action[:40],
             "entity": entity[:40], "entity_id": str(entity_id)[:40], "before": before,
             "after": after} for entity_id, before, after in items])


@dataclass(frozen=True)
class Filter:
    """What a reader of the log narrows it to; empty fields match everything."""

    actor: str = ""
    entity: str = ""
    action: str = ""
    since: datetime | None = None
    until: datetime | None = None


def entries(session: Session, where: Filter, *, limit: int = 200) -> list[AuditLogEntry]:
    """Return the newest entries matching the filter."""
    query = select(AuditLogEntry).order_by(AuditLogEntry.id.desc()).limit(limit)
    if where.actor:
        query = query.where(AuditLogEntry.actor == where.actor)
    if where.entity:
        query = query.where(AuditLogEntry.entity == where.entity)
    if where.action:
        query = query.where(AuditLogEntry.action.startswith(where.action, autoescape=True))
    if where.since:
        query = query.where(AuditLogEntry.created_at >= where.since)
    if where.until:
        query = query.where(AuditLogEntry.created_at < where.until)
    return list(session.scalars(query))
