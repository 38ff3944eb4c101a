"""One-time codes that prove a buyer holds a phone: six digits, sent by SMS through the outbox,
kept only as a keyed hash, valid a few minutes, locked after a few wrong tries, used once."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from cryptography.fernet import Fernet, InvalidToken
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store_api.buyers.models import PhoneCode
from store_api.core.errors import DomainError
from store_api.core.models import utcnow
from store_api.core.setting_sections import Buyers
from store_api.core.worker import enqueue

TOPIC = "sms.code"
DIGITS = 6
_CODE = re.compile(rf"\d{{{DIGITS}}}")


def digest(key: bytes, phone: str, code: str) -> str:
    """Return the keyed hash a code is kept as: without the app's key, a copy of the table
    does not give the code back by trying all million."""
    return hmac.new(key, f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def _fernet(key: bytes) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(b"sms-code\0" + key).digest()))


def seal(key: bytes, code: str) -> str:
    """Encrypt a code for the outbox row that carries it to the SMS sender."""
    return _fernet(key).encrypt(code.encode()).decode()


def unseal(key: bytes, sealed: str) -> str:
    """Return the code an outbox row carries; raise ValueError when it was not sealed here."""
    try:
        return _fernet(key).decrypt(sealed.encode()).decode()
    except InvalidToken:
        raise ValueError("the code was sealed with another key") from None


def _too_many(message, code: str, **values) -> DomainError:
    return DomainError(message, code=code, field="phone", status=429, **values)


def issue(session: Session, phone: str, *, address: str, rules: Buyers, key: bytes) -> str:
    """Make a code for a checked phone number and queue its SMS, within the resend limits per
    phone and per client address; return the code (for the sender alone)."""
    now = utcnow()
    hour_ago = now - timedelta(hours=1)
    last, sent = session.execute(
        select(func.max(PhoneCode.created_at), func.count())
        .where(PhoneCode.phone == phone, PhoneCode.created_at >= hour_ago)).one()
    if last is not None and now - last < timedelta(seconds=rules.resend_seconds):
        wait = rules.resend_seconds - int((now - last).total_seconds())
        raise _too_many(_l("A code was just sent; ask again in %(seconds)s seconds."),
                        "resend_too_soon", seconds=max(wait, 1))
    if sent >= rules.codes_per_phone_hour:
        raise _too_many(_l("This number has been sent too many codes; try again in an hour."),
                        "too_many_codes")
    from_address = session.scalar(select(func.count()).where(
        PhoneCode.address == address, PhoneCode.created_at >= hour_ago))
    if from_address >= rules.codes_per_address_hour:
        raise _too_many(_l("Too many codes were asked for from here; try again later."),
                        "too_many_codes")
    code = f"{secrets.randbelow(10 ** DIGITS):0{DIGITS}d}"
    session.add(PhoneCode(phone=phone, code_hash=digest(key, phone, code), address=address,
                          expires_at=now + timedelta(minutes=rules.code_minutes)))
    enqueue(session, TOPIC, {"phone": phone, "sealed": seal(key, code)})
    return code


def take(session: Session, phone: str, code, *, rules: Buyers, key: bytes) -> DomainError | None:
    """Use the phone's latest code if `code` matches it; return None when proved, else the
    error to show. A wrong try is counted in the caller's transaction, so the caller commits
    before raising what this returns."""
    typed = code.strip() if isinstance(code, str) else ""
    if not _CODE.fullmatch(typed):
        return DomainError(_l("Enter the 6-digit code from the text message."),
                           code="invalid_code", field="code")
    latest = session.scalar(select(PhoneCode).where(PhoneCode.phone == phone)
                            .order_by(PhoneCode.id.desc()).limit(1).with_for_update())
    if latest is None or latest.used_at is not None or latest.expires_at <= utcnow():
        return DomainError(_l("This code has expired or was used; ask for a new one."),
                           code="code_expired", field="code")
    if latest.tries >= rules.code_tries:
        return DomainError(_l("Too many wrong tries; ask for a new code."), code="code_locked",
                           field="code")
    if not hmac.compare_digest(latest.code_hash, digest(key, phone, typed)):
        latest.tries += 1
        left = rules.code_tries - latest.tries
        if left == 0:
            return DomainError(_l("Too many wrong tries; ask for a new code."),
                               code="code_locked", field="code")
        return DomainError(_l("That code is not right; %(left)s tries left."),
                           code="wrong_code", field="code", left=left)
    latest.used_at = utcnow()
    return None
