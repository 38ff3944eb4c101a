"""A buyer signs a device in by proving their phone: ask for a code, type it back."""

from __future__ import annotations

from store_api.buyers import buyers, codes, devices
from store_api.buyers.models import Buyer
from store_api.core.db import Database
from store_api.core.setting_sections import Buyers


def request_code(db: Database, phone, *, address: str, rules: Buyers, key: bytes) -> str:
    """Send a one-time code to a phone number, within the resend limits; return the checked
    number. Whether the number has an account is not told: anyone may ask."""
    phone = buyers.normalise_phone(phone)
    with db.unit_of_work() as session:
        codes.issue(session, phone, address=(address or "")[:45], rules=rules, key=key)
    return phone


def _with_code(db: Database, phone, code, *, rules: Buyers, key: bytes, then):
    """Run `then(session, phone)` once the phone's code proves it; a wrong code counts against
    the code's tries (committed before it is refused)."""
    phone = buyers.normalise_phone(phone)
    with db.unit_of_work() as session:
        refused = codes.take(session, phone, code, rules=rules, key=key)
        if refused is None:
            return then(session, phone)
    raise refused


def prove(db: Database, phone, code, *, rules: Buyers, key: bytes, label: str, base_level: str,
          guest_id: int | None = None) -> tuple[int, str]:
    """Sign a device in to a phone's account with the code sent to it; return the account's id
    and the device's token."""

    def sign_in(session, proved: str) -> tuple[int, str]:
        guest = session.get(Buyer, guest_id) if guest_id else None
        account = buyers.account(session, proved, base_level=base_level,
                                 like=guest if guest is not None and guest.is_guest else None)
        return account.id, devices.start(session, account, label=label,
                                         days=rules.session_days)

    return _with_code(db, phone, code, rules=rules, key=key, then=sign_in)


def prove_at_counter(db: Database, phone, code, *, rules: Buyers, key: bytes,
                     base_level: str) -> int:
    """Identify a buyer at the counter by the code texted to their phone (which they read out
    to staff); return the account's id, opened now if the phone had none."""
    return _with_code(db, phone, code, rules=rules, key=key, then=lambda session, proved: (
        buyers.account(session, proved, base_level=base_level, like=None).id))
