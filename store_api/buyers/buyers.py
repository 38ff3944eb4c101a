"""Buyers: who is ordering, their business type, and the member level staff give them."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from store_api.buyers.models import Buyer
from store_api.core.db import Database
from store_api.core.errors import DomainError, NotFound

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


def identify(db: Database, *, phone, name, company, business_type,
             business_types: list[str], base_level: str) -> int:
    """Return the id of a phone number's buyer, created with these details if new."""
    phone = normalise_phone(phone)
    name = _text(name, "name", required=True, limit=100)
    company = _text(company, "company", required=False, limit=200)
    _one_of(business_type, business_types, _l("Choose a business type."), "business_type")
    with db.unit_of_work() as session:
        buyer = _by_phone(session, phone)
        if buyer is None:
            buyer = Buyer(phone=phone, member_level=base_level, name=name, company=company,
                          business_type=business_type)
            session.add(buyer)
            session.flush()
        # A phone number is a claim, not a proof: an existing buyer's details stay as they are.
        return buyer.id


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
