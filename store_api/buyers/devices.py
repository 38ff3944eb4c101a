"""Devices signed in to a buyer's account: started by a proved code, remembered for
`buyers.session_days` after their last use, listed and ended by the buyer."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from store_api.buyers.models import Buyer, BuyerDevice
from store_api.core.db import Database
from store_api.core.errors import NotFound
from store_api.core.models import utcnow

# A device's last use is written at most this often: a scan page read stays a read.
SEEN_EVERY = timedelta(hours=1)


# What a device is called on 我的: the first of each list found in its User-Agent.
_SYSTEMS = (("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"),
            ("HarmonyOS", "HarmonyOS"), ("Windows", "Windows"), ("Mac OS X", "Mac"),
            ("Linux", "Linux"))
_BROWSERS = (("MicroMessenger", "微信"), ("AlipayClient", "支付宝"), ("DingTalk", "钉钉"),
             ("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"),
             ("Safari/", "Safari"))


def device_label(user_agent: str) -> str:
    """Name a device by its system and browser (\"iPhone · 微信\"), from its User-Agent."""
    found = [next((name for mark, name in names if mark in user_agent), None)
             for names in (_SYSTEMS, _BROWSERS)]
    return " · ".join(name for name in found if name) or user_agent[:40]


def token_hash(token: str) -> str:
    """Return what the table keeps of a device token."""
    return hashlib.sha256(token.encode()).hexdigest()


def start(session: Session, buyer: Buyer, *, label: str, days: int) -> str:
    """Sign a device in to the buyer's account; return the token its cookie keeps."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(BuyerDevice(buyer_id=buyer.id, token_hash=token_hash(token),
                            label=label[:120], last_seen_at=now,
                            expires_at=now + timedelta(days=days)))
    return token


def signed_in(session: Session, token) -> tuple[Buyer, BuyerDevice] | None:
    """Return the account and device a cookie's token signs in, or None when the device was
    ended, has expired, or never was."""
    if not isinstance(token, str) or not token:
        return None
    found = session.execute(
        select(Buyer, BuyerDevice).join(BuyerDevice, BuyerDevice.buyer_id == Buyer.id)
        .where(BuyerDevice.token_hash == token_hash(token), BuyerDevice.ended_at.is_(None))
    ).first()
    if found is None or found.BuyerDevice.expires_at <= utcnow():
        return None
    return found.Buyer, found.BuyerDevice


def keep_alive(db: Database, device: BuyerDevice, *, days: int) -> None:
    """Move a device's expiry to `days` after now, at most once per SEEN_EVERY."""
    now = utcnow()
    if now - device.last_seen_at < SEEN_EVERY:
        return
    with db.unit_of_work() as session:
        session.execute(update(BuyerDevice).where(BuyerDevice.id == device.id).values(
            last_seen_at=now, expires_at=now + timedelta(days=days)))


def active(session: Session, buyer_id: int) -> list[BuyerDevice]:
    """Return the account's signed-in devices, last used first."""
    return list(session.scalars(
        select(BuyerDevice).where(BuyerDevice.buyer_id == buyer_id,
                                  BuyerDevice.ended_at.is_(None),
                                  BuyerDevice.expires_at > utcnow())
        .order_by(BuyerDevice.last_seen_at.desc(), BuyerDevice.id.desc())))


def end(db: Database, buyer_id: int, device_id) -> None:
    """Sign one of the account's devices out; another account's device is not found."""
    with db.unit_of_work() as session:
        device = (session.get(BuyerDevice, device_id)
                  if isinstance(device_id, int) and 0 < device_id < 2**31 else None)
        if device is None or device.buyer_id != buyer_id:
            raise NotFound(_l("This device is not signed in to your account."), field="device")
        if device.ended_at is None:
            device.ended_at = utcnow()
