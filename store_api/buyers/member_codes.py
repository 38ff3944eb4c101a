"""The member code a signed-in phone shows at the counter: a QR signed by the server, naming
the account and the device, good for a couple of minutes, redrawn on the phone before then."""

from __future__ import annotations

from itsdangerous import BadData, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from store_api.buyers.models import Buyer, BuyerDevice
from store_api.core.models import utcnow

# Seconds a shown code is taken at the counter; the phone redraws it every REDRAW seconds.
VALID_SECONDS = 120
REDRAW_SECONDS = 60
_SALT = "member-code"


class _StoreTime(TimestampSigner):
    """Signs and ages codes by the store's clock, which tests set."""

    def get_timestamp(self) -> int:
        return int(utcnow().timestamp())


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=_SALT, signer=_StoreTime)


def issue(secret: str, device: BuyerDevice) -> str:
    """Return a member code for a signed-in device."""
    return _serializer(secret).dumps([device.buyer_id, device.id])


def read(session: Session, secret: str, code) -> Buyer | None:
    """Return the account a member code names, or None when it is forged, too old, or its
    device was signed out since."""
    if not isinstance(code, str) or len(code) > 200:
        return None
    try:
        buyer_id, device_id = _serializer(secret).loads(code.strip(), max_age=VALID_SECONDS)
    except (BadData, TypeError, ValueError):
        return None
    device = session.get(BuyerDevice, device_id) if isinstance(device_id, int) else None
    if (device is None or device.buyer_id != buyer_id or device.ended_at is not None
            or device.expires_at <= utcnow()):
        return None
    return session.get(Buyer, buyer_id)
