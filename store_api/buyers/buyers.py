"""Buyers: accounts known by a proved phone, guests known by what they typed, their business
type, and the member level staff give them."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from store_api.buyers.models import Buyer
from store_api.catalogue.rules import parse_money
from store_api.core import audit
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


def amount_fen(value, field: str, *, zero: bool = False) -> int:
    """Return a typed amount of yuan in fen (0 only where `zero`), or refuse it naming the
    field."""
    if zero and isinstance(value, str) and value.strip() in ("0", "0.0", "0.00"):
        return 0
    try:
        return parse_money(value)
    except ValueError as problem:
        raise DomainError(_l("Enter an amount in yuan, such as 1200 or 1200.50 (%(problem)s)."),
                          code="invalid_amount", field=field, problem=problem) from None


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
                   member_levels: list[str], actor: audit.Actor,
                   credit_limit_fen: int | None = None) -> None:
    """Give a buyer a member level, say whether they may pay on account and up to what credit
    limit (kept as it is when None); staff only, and audited."""
    phone = normalise_phone(phone)
    _one_of(member_level, member_levels, _l("Unknown member level."), "member_level")
    with db.unit_of_work() as session:
        buyer = _by_phone(session, phone)
        if buyer is None:
            raise NotFound(_l("No buyer has this phone number."), field="phone")
        before = _terms(buyer)
        buyer.member_level, buyer.on_account = member_level, bool(on_account)
        if credit_limit_fen is not None:
            buyer.credit_limit_fen = credit_limit_fen
        if _terms(buyer) != before:
            audit.record(session, actor, "buyer.terms", "buyer", buyer.id, before=before,
                         after=_terms(buyer))


def _terms(buyer: Buyer) -> dict:
    return {"member_level": buyer.member_level, "on_account": buyer.on_account,
            "credit_limit_fen": buyer.credit_limit_fen}


def set_notes(db: Database, buyer_id: int, notes, *, actor: audit.Actor) -> None:
    """Keep staff's notes about a buyer (never shown to the buyer)."""
    notes = _text(notes, "notes", required=False, limit=2000)
    with db.unit_of_work() as session:
        buyer = session.get(Buyer, buyer_id)
        if buyer is None:
            raise NotFound(_l("There is no such buyer."), field="buyer")
        buyer.notes = notes
        audit.record(session, actor, "buyer.notes", "buyer", buyer.id)


def search(session: Session, text: str = "", limit: int = 100) -> list[Buyer]:
    """Return accounts whose phone, name or company holds the text, newest first."""
    query = select(Buyer).where(Buyer.phone.is_not(None))
    text = (text or "").strip()[:100]
    if text:
        like = f"%{text.replace('%', '').replace('_', '')}%"
        query = query.where(or_(Buyer.phone.like(like), Buyer.name.like(like),
                                Buyer.company.like(like)))
    return list(session.scalars(query.order_by(Buyer.id.desc()).limit(limit)))


def find(session: Session, buyer_id: int | None) -> Buyer | None:
    """Return a buyer by id, or None."""
    return session.get(Buyer, buyer_id) if buyer_id else None


def mask_phone(phone: str) -> str:
    """Show a phone number as 138****5678."""
    return f"{phone[:3]}****{phone[-4:]}"
