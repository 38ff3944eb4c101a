"""Signed callbacks a factory sends: each delivery id is taken once per factory."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from store_api.core.db import Database
from store_api.fulfilment.models import InboundWebhook


def taken_before(session: Session, factory_id: int, webhook_id: str) -> bool:
    """Tell whether the factory's delivery with this id was taken already."""
    found = session.scalar(select(InboundWebhook.id).where(
        InboundWebhook.factory_id == factory_id, InboundWebhook.webhook_id == webhook_id))
    return found is not None


def remember(db: Database, factory_id: int, webhook_id: str) -> None:
    """Note a delivery as taken; the same one arriving twice at once is noted once (the action
    it carried is idempotent itself)."""
    try:
        with db.unit_of_work() as session:
            session.add(InboundWebhook(factory_id=factory_id, webhook_id=webhook_id))
    except IntegrityError:
        pass
