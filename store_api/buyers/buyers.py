"""Buyers: accounts known by a proved phone, guests known by what they typed, their business
type, and the member level staff give them."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from store_api.buyers.models import Buyer
from store_api.core.db import Database
from store_api.core.errors import DomainError, NotFound
from store_api.core.models import utcnow

# Mainland mobile numbers: 11 digits starting 13-19.
_PHONE = re.compile(r"1[3-9]\d{9}")


def normalise_phone(phone) -> str:
    """Return the 11-digit mobile number, or raise naming the phone field."""
    digits = re.sub(r"[\s-]", "", phone) if isinstance(phone, str) else ""
    if digits.startswith("+86"):
        digits = digits[3:]
    if not _PHONE.fullmatch(digits):
        raise DomainError(_l("Enter an 11-digit mobile number."), code="invalid_phone",
                          field="phone")
    return digits


def _text(value, field: str, *, required: bool, limit: int) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise DomainError(_l("This field is required."), code="required", field=field)
    if len(value) > limit:
        raise DomainError(_l("At most %(limit)s characters."), code="too_long", field=field,
                          limit=limit)
    return value.strip()


def _one_of(value, allowed: list[str], message, field: str) -> str:
    if value not in allowed:
        raise DomainError(message, code=f"invalid_{field}", field=field)
    return value


def _by_phone(session: Session, phone: str) -> Buyer | None:
    return session.scalar(select(Buyer).where(Buyer.phone == phone))


def _details(name, company, business_type, business_types: list[str]) -> dict:
    """Check what a buyer says of their business; return it cleaned."""
    name = _text(name, "name", required=True, limit=100)
    company = _text(company, "company", required=False, limit=200)
    _one_of(business_type, business_types, _l("Choose a business type."), "business_type")
    return {"name": name, "company": company, "business_type": business_type}


def identify(db: Database, *, phone, name, company, business_type,
             business_types: list[str], base_level: str) -> int:
    """Return the id of a phone number's account, created with these details if new; for staff,
    the demo and benchmarks, who know the buyer (a device proves the phone with a code)."""
    phone = normalise_phone(phone)
    details = _details(name, company, business_type, business_types)
    with db.unit_of_work() as session:
        buyer = _by_phone(session, phone)
        if buyer is None:
            buyer = Buyer(phone=phone, contact_phone=phone, member_level=base_level, **details)
            session.add(buyer)
            session.flush()
        return buyer.id


def guest(db: Database, *, phone, name, company, business_type, business_types: list[str],
          base_level: str, guest_id: int | None = None) -> int:
    """Record what a device that has not proved a phone says of itself (over what it said
    before, `guest_id`); return the guest's id. A guest is never an account, whatever number
    it types: it sees base prices and its own orders alone."""
    contact = normalise_phone(phone)
    details = _details(name, company, business_type, business_types)
    with db.unit_of_work() as session:
        buyer = session.get(Buyer, guest_id) if guest_id else None
        if buyer is None or not buyer.is_guest:
            buyer = Buyer(phone=None, member_level=base_level)
            session.add(buyer)
        buyer.contact_phone = contact
        for key, value in details.items():
            setattr(buyer, key, value)
        session.flush()
        return buyer.id


def account(session: Session, phone: str, *, base_level: str, like: Buyer | None) -> Buyer:
    """Return the account of a proved phone, opened now if it had none (with what the device
    said as a guest, if it did); mark it proved."""
    buyer = _by_phone(session, phone)
    if buyer is None:
        buyer = Buyer(phone=phone, contact_phone=phone, member_level=base_level,
                      name=like.name if like else "", company=like.company if like else "",
                      business_type=like.business_type if like else "")
        session.add(buyer)
    buyer.verified_at = buyer.verified_at or utcnow()
    session.flush()
    return buyer


def update_details(db: Database, buyer_id: int, *, name, company, business_type,
                   business_types: list[str]) -> None:
    """Change an account's name, company and business type (the buyer's own, in 我的)."""
    details = _details(name, company, business_type, business_types)
    with db.unit_of_work() as session:
        buyer = session.get(Buyer, buyer_id)
        if buyer is None or buyer.is_guest:
            raise NotFound(_l("Sign in with your phone first."), field="buyer")
        for key, value in details.items():
            setattr(buyer, key, value)


def set_membership(db: Database, phone, *, member_level: str, on_account: bool,
                   member_levels: list[str]) -> None:
    """Give a buyer a member level and say whether they may pay on account (staff only)."""
    phone = normalise_phone(phone)
    _one_of(member_level, member_levels, _l("Unknown member level."), "member_level")
    with db.unit_of_work() as session:
        buyer = _by_phone(session, phone)
        if buyer is None:
            raise NotFound(_l("No buyer has this phone number."), field="phone")
        buyer.member_level, buyer.on_account = member_level, bool(on_account)


def find(session: Session, buyer_id: int | None) -> Buyer | None:
    """Return a buyer by id, or None."""
    return session.get(Buyer, buyer_id) if buyer_id else None


def mask_phone(phone: str) -> str:
    """Show a phone number as 138****5678."""
    return f"{phone[:3]}****{phone[-4:]}"
