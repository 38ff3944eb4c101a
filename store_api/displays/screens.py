"""Screens on the floor: a new one shows a short code until staff approve it and give it a zone;
each one's visits are its heartbeat, and a screen quiet for too long is flagged.

The screen keeps a random token in a cookie; only its SHA-256 is stored. The code it shows is
only for staff to recognise it: approving by code cannot be done from the screen itself.

Anyone on the network can open /display, so a screen waiting for approval is cheap to make and
must not pile up: only so many may wait at once, and one not approved within a day expires (no
longer found, listed or approved; the worker deletes it).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session, selectinload

from store_api.catalogue.models import Zone
from store_api.core.db import Database
from store_api.core.errors import DomainError, NotFound
from store_api.core.models import utcnow
from store_api.core.setting_sections import Displays
from store_api.core.state import AppState
from store_api.displays.models import Screen

# Letters and digits a person reads off a screen without mistaking one for another.
CODE_ALPHABET = "ACDEFHJKLMNPQRTUVWXY3479"
CODE_LENGTH = 6
# A screen's visits update its heartbeat at most this often, so refreshes cost few writes.
HEARTBEAT_EVERY = timedelta(seconds=15)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _waiting_since(rules: Displays) -> datetime:
    """The oldest creation time of a screen still waiting: older unapproved ones have expired."""
    return utcnow() - timedelta(hours=rules.pending_hours)


def _live(rules: Displays):
    """Approved screens, and those whose wait has not expired."""
    return or_(Screen.approved.is_(True), Screen.created_at >= _waiting_since(rules))


def register(db: Database, rules: Displays) -> tuple[str, str]:
    """Create a screen waiting for approval, unless displays.pending_screens already wait;
    return its cookie token and the code it shows."""
    token = secrets.token_urlsafe(32)
    with db.unit_of_work() as session:
        waiting = session.scalar(select(func.count()).select_from(Screen).where(
            Screen.approved.is_(False), _live(rules)))
        if waiting >= rules.pending_screens:
            raise DomainError(_l("%(count)s screens are waiting for approval already. Approve or "
                                 "forget them in the console under Zone screens, then reload "
                                 "this page."), code="too_many_screens", status=429,
                              count=waiting)
        while True:
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            if session.scalar(select(Screen.id).where(Screen.code == code)) is None:
                break
        session.add(Screen(code=code, token_hash=_digest(token), last_seen_at=utcnow()))
    return token, code


def find(session: Session, token, rules: Displays) -> Screen | None:
    """Return the screen a cookie token belongs to, or None (also when its wait expired)."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    return session.scalar(select(Screen).where(Screen.token_hash == _digest(token), _live(rules))
                          .options(selectinload(Screen.zone)))


def heartbeat(db: Database, screen_id: int) -> None:
    """Note that a screen is alive (at most every HEARTBEAT_EVERY)."""
    now = utcnow()
    with db.unit_of_work() as session:
        session.execute(update(Screen).where(
            Screen.id == screen_id,
            (Screen.last_seen_at.is_(None)) | (Screen.last_seen_at < now - HEARTBEAT_EVERY))
            .values(last_seen_at=now))


def approve(db: Database, code, zone_code, name="", *, rules: Displays) -> None:
    """Approve a screen by the code it shows and give it a zone (staff); also moves a screen.
    A code whose wait expired approves nothing."""
    if not isinstance(name, str) or len(name) > 60:
        raise DomainError(_l("At most %(limit)s characters."), code="too_long", field="name",
                          limit=60)
    with db.unit_of_work() as session:
        screen = session.scalar(select(Screen).where(
            Screen.code == str(code).strip().upper()[:CODE_LENGTH], _live(rules)))
        if screen is None:
            raise NotFound(_l("No screen shows this code."), field="code")
        zone = session.scalar(select(Zone).where(Zone.code == str(zone_code)[:32]))
        if zone is None:
            raise NotFound(_l("There is no such zone."), field="zone")
        screen.approved, screen.zone_id = True, zone.id
        if name.strip():
            screen.name = name.strip()


def remove(db: Database, screen_id: int) -> None:
    """Forget a screen; it shows a new code the next time it loads."""
    with db.unit_of_work() as session:
        screen = session.get(Screen, screen_id)
        if screen is None:
            raise NotFound(_l("No screen shows this code."), field="screen")
        session.delete(screen)


@dataclass(frozen=True)
class ScreenRow:
    """A screen as the console lists it."""

    id: int
    code: str
    name: str
    zone: Zone | None
    approved: bool
    last_seen_at: datetime | None
    silent: bool


def listing(session: Session, rules: Displays) -> list[ScreenRow]:
    """Every screen but expired waiting ones, waiting ones first, with whether it has gone
    silent."""
    cutoff = utcnow() - timedelta(seconds=rules.silent_after_s)
    rows = []
    for screen in session.scalars(select(Screen).where(_live(rules))
                                  .options(selectinload(Screen.zone))
                                  .order_by(Screen.approved, Screen.id)):
        silent = screen.last_seen_at is None or screen.last_seen_at < cutoff
        rows.append(ScreenRow(screen.id, screen.code, screen.name, screen.zone,
                              screen.approved, screen.last_seen_at, silent))
    return rows


def forget_expired(app_state: AppState) -> int:
    """Worker: delete screens whose wait for approval expired; return how many."""
    expired = (Screen.approved.is_(False),
               Screen.created_at < _waiting_since(app_state.settings.displays))
    # Looked for first on a read: this runs on every poll, and a write would lock SQLite.
    with app_state.db.read_session() as session:
        found = list(session.scalars(select(Screen.id).where(*expired).limit(500)))
    if not found:
        return 0
    with app_state.db.unit_of_work() as session:
        # Checked again: staff may have approved one meanwhile.
        return session.execute(delete(Screen).where(Screen.id.in_(found), *expired)).rowcount
