"""Factories as the centre's staff keep them: details, webhook and its signing secret."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from store_api.catalogue.rows import Row, factory_from
from store_api.catalogue.rules import whole_number_text
from store_api.core import audit, webhooks
from store_api.core.db import Database
from store_api.core.errors import CatalogueError, DomainError
from store_api.core.models import utcnow
from store_api.factories.access import factory_by_code
from store_api.factories.models import Factory
from store_api.fulfilment import webhook_address
from store_api.stock.locations import factory_location

FIELDS = ("code", "name_zh", "name_en", "industrial_belt_zh", "industrial_belt_en",
          "contact_name", "contact_phone", "fulfilment_mode", "dispatch_promise_hours",
          "mixed_batch_min")
_COLUMNS = ("name_zh", "name_en", "industrial_belt_zh", "industrial_belt_en", "contact_name",
            "contact_phone", "fulfilment_mode", "dispatch_promise_hours", "mixed_batch_min_fen")


def _typed(cells: dict) -> dict:
    data = {name: (cells.get(name) or "").strip() for name in FIELDS}
    data["dispatch_promise_hours"] = whole_number_text(data["dispatch_promise_hours"])
    data["mixed_batch_min"] = data["mixed_batch_min"] or None
    return data


def save(db: Database, code: str | None, cells: dict, *, actor: audit.Actor) -> str:
    """Create a factory (code None) or change one, by the same rules as the catalogue load;
    return its code."""
    problems: list = []
    data = _typed(cells)
    if code is not None:
        data["code"] = code
    row = Row(str(_l("form")), 1, data, "code", problems)
    checked = factory_from(row)
    with db.unit_of_work() as session:
        if code is not None:
            existing = factory_by_code(session, code)
        else:
            existing = None
            if session.scalar(select(Factory.id).where(Factory.code == checked.code)):
                row.problem("code", _l("is taken by another factory"))
        if problems:
            raise CatalogueError(problems)
        if existing is None:
            session.add(checked)
            session.flush()
            factory_location(session, checked)
            audit.record(session, actor, "factory.create", "factory", checked.code,
                         after={name: getattr(checked, name) for name in _COLUMNS})
            return checked.code
        before = {name: getattr(existing, name) for name in _COLUMNS}
        for name in _COLUMNS:
            setattr(existing, name, getattr(checked, name))
        old, new = audit.changes(before, {name: getattr(existing, name) for name in _COLUMNS})
        if new:
            audit.record(session, actor, "factory.update", "factory", existing.code,
                         before=old, after=new)
        return existing.code


def _http_url(url) -> bool:
    """Whether a URL is http(s) with a host and, if it names one, a valid port."""
    if not isinstance(url, str) or len(url) > 500:
        return False
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - reading it checks it
    except ValueError:  # a broken [IPv6] host or a port out of range
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def set_webhook(db: Database, code: str, url, *, keep_old_hours: int, app_secret: str,
                allow_private: bool, actor: audit.Actor) -> str:
    """Point a factory's forwards at a webhook URL with a new signing secret, and return the
    secret, once; the old secret keeps signing for keep_old_hours while the factory switches.
    The URL must reach a public address unless allow_private."""
    if not _http_url(url):
        raise DomainError(_l("Give an http:// or https:// address."), field="url")
    if isinstance(keep_old_hours, bool) or not isinstance(keep_old_hours, int) or not (
            0 <= keep_old_hours <= 720):
        raise DomainError(_l("Keep the old secret for 0 to 720 hours."), field="keep_old_hours")
    webhook_address.check_saved(url, allow_private=allow_private)
    secret = webhooks.new_secret()
    with db.unit_of_work() as session:
        factory = factory_by_code(session, code)
        before = factory.webhook_url
        factory.webhook_url = url
        if factory.webhook_secret_encrypted and keep_old_hours:
            factory.webhook_previous_secret_encrypted = factory.webhook_secret_encrypted
            factory.webhook_previous_until = utcnow() + timedelta(hours=keep_old_hours)
        factory.webhook_secret_encrypted = webhooks.seal(secret, app_secret)
        audit.record(session, actor, "factory.webhook.set", "factory", factory.code,
                     before={"webhook_url": before},
                     after={"webhook_url": url, "secret": "rotated"})
    return secret


def clear_webhook(db: Database, code: str, *, actor: audit.Actor) -> None:
    """Stop sending a factory webhooks: its forwards wait in its portal instead."""
    with db.unit_of_work() as session:
        factory = factory_by_code(session, code)
        audit.record(session, actor, "factory.webhook.clear", "factory", factory.code,
                     before={"webhook_url": factory.webhook_url}, after={"webhook_url": None})
        factory.webhook_url = None
        factory.webhook_secret_encrypted = None
        factory.webhook_previous_secret_encrypted = None
        factory.webhook_previous_until = None
