"""Standard Webhooks signing, and webhook secrets kept encrypted at rest.

A secret is `whsec_` and the base64 of 32 random bytes. A delivery carries `webhook-id` (stable
across retries, so a receiver can drop repeats), `webhook-timestamp`, and `webhook-signature`:
`v1,` and the base64 HMAC-SHA256 of `id.timestamp.body` under the secret's bytes. During a
rotation the old and the new secret both sign, their signatures separated by a space.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from cryptography.fernet import Fernet

PREFIX = "whsec_"


def new_secret() -> str:
    """Return a fresh webhook secret."""
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """Return the `v1,` signature of one delivery under one secret."""
    key = base64.b64decode(secret.removeprefix(PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def headers(signing_secrets: list[str], message_id: str, timestamp: int, body: bytes) -> dict:
    """Return the headers of a delivery signed by every current secret."""
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(signature(s, message_id, timestamp, body)
                                      for s in signing_secrets),
        "content-type": "application/json",
    }


def verify(signing_secrets: list[str], message_id: str, timestamp: str, body: bytes,
           signatures: str, now: float, tolerance_s: int = 300) -> bool:
    """Check a delivery we received: a fresh timestamp and a `v1,` signature by one of the
    secrets, compared in constant time."""
    if not timestamp.isdigit() or abs(now - int(timestamp)) > tolerance_s or not message_id:
        return False
    expected = [signature(s, message_id, int(timestamp), body) for s in signing_secrets]
    return any(hmac.compare_digest(given.encode(), want.encode())
               for given in signatures.split() for want in expected)


def _fernet(app_secret: str) -> Fernet:
    # A key of its own, derived from the app's secret, so a leaked database alone reveals nothing.
    digest = hashlib.sha256(b"xuanpin webhook secrets\0" + app_secret.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(secret: str, app_secret: str) -> str:
    """Encrypt a webhook secret for storage."""
    return _fernet(app_secret).encrypt(secret.encode()).decode()


def unseal(sealed: str, app_secret: str) -> str:
    """Decrypt a stored webhook secret."""
    return _fernet(app_secret).decrypt(sealed.encode()).decode()
