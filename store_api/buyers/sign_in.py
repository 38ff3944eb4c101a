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


def prove(db: Database, phone, code, *, rules: Buyers, key: bytes, label: str, base_level: str,
          guest_id: int | None = None) -> tuple[int, str]:
    """Sign a device in to a phone's account with the code sent to it; return the account's id
    and the device's token. A wrong code counts against the code's tries and is refused."""
    phone = buyers.normalise_phone(phone)
    with db.unit_of_work() as session:
        refused = codes.take(session, phone, code, rules=rules, key=key)
        if refused is None:
            guest = session.get(Buyer, guest_id) if guest_id else None
            account = buyers.account(session, phone, base_level=base_level,
                                     like=guest if guest is not None and guest.is_guest else None)
            token = devices.start(session, account, label=label, days=rules.session_days)
            return account.id, token
    # Committed above: the wrong try is counted before it is refused.
    raise refused
