"""Buyers in tests: the code the SMS would carry, and a client signed in by proving a phone."""

from __future__ import annotations

from sqlalchemy import select

from store_api.buyers import codes
from store_api.buyers.buyers import normalise_phone
from store_api.core.models import OutboxMessage
from store_api.core.state import state


def texted_code(app, phone: str) -> str:
    """Return the code of the latest text queued to a phone, as the SMS sender reads it."""
    with state(app).db.read_session() as session:
        messages = session.scalars(
            select(OutboxMessage.payload).where(OutboxMessage.topic == codes.TOPIC)
            .order_by(OutboxMessage.id.desc())).all()
    payload = next(p for p in messages if p["phone"] == normalise_phone(phone))
    return codes.unseal(app.config["SECRET_KEY"].encode(), payload["sealed"])


def sign_in(client, app, phone: str, *, name: str = "李四", company: str = "",
            business_type: str = "shop") -> dict:
    """Prove a phone over the API with the texted code; fill a new account's details."""
    sent = client.post("/api/v1/buyer/code", json={"phone": phone})
    assert sent.status_code == 202, sent.json
    answer = client.post("/api/v1/buyer/session",
                         json={"phone": phone, "code": texted_code(app, phone)})
    assert answer.status_code == 200, answer.json
    if not answer.json["name"]:
        answer = client.put("/api/v1/buyer", json={"name": name, "company": company,
                                                   "business_type": business_type})
        assert answer.status_code == 200, answer.json
    return answer.json
