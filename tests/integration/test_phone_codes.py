"""The rules of one-time codes on SQLite and PostgreSQL: expiry, tries, resend limits per phone
and per address, one use, and no code kept in clear."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from store_api.buyers import sign_in
from store_api.buyers.models import BuyerDevice, PhoneCode
from store_api.core.errors import DomainError
from store_api.core.models import OutboxMessage, utcnow
from store_api.core.state import state
from tests.support.buyers import texted_code

PHONE = "13800138000"


@pytest.fixture
def ask(app):
    """Ask for a code for a phone from an address, as the sign-in page does."""
    settings, key = state(app).settings, app.config["SECRET_KEY"].encode()

    def ask(phone=PHONE, address="10.0.0.7"):
        return sign_in.request_code(state(app).db, phone, address=address,
                                    rules=settings.buyers, key=key)

    return ask


@pytest.fixture
def prove(app):
    settings, key = state(app).settings, app.config["SECRET_KEY"].encode()

    def prove(code, phone=PHONE):
        return sign_in.prove(state(app).db, phone, code, rules=settings.buyers, key=key,
                             label="test", base_level="standard")

    return prove


def refused(call, *args) -> str:
    with pytest.raises(DomainError) as caught:
        call(*args)
    return caught.value.code


def devices(app) -> int:
    with state(app).db.read_session() as session:
        return len(session.scalars(select(BuyerDevice)).all())


def later(app, **delta) -> None:
    state(app).clock.now = utcnow() + timedelta(**delta)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_the_right_code_signs_a_device_in_once(app, ask, prove):
    ask()
    code = texted_code(app, PHONE)
    buyer_id, token = prove(code)
    assert buyer_id and len(token) >= 40 and devices(app) == 1
    # Used once: the same code again signs nothing more in.
    assert refused(prove, code) == "code_expired"
    assert devices(app) == 1


def test_a_code_expires_after_its_minutes(app, ask, prove):
    ask()
    code = texted_code(app, PHONE)
    later(app, minutes=5, seconds=1)
    assert refused(prove, code) == "code_expired"
    assert devices(app) == 0


def test_five_wrong_tries_lock_the_code(app, ask, prove):
    ask()
    code = texted_code(app, PHONE)
    answers = [refused(prove, wrong(code)) for _ in range(5)]
    assert answers == ["wrong_code"] * 4 + ["code_locked"]
    # Locked: even the right code no longer works, and the tries were kept, not rolled back.
    assert refused(prove, code) == "code_locked"
    with state(app).db.read_session() as session:
        assert session.scalar(select(PhoneCode.tries)) == 5
    assert devices(app) == 0


def test_only_the_latest_code_counts(app, ask, prove):
    ask()
    first = texted_code(app, PHONE)
    later(app, seconds=61)
    ask()
    second = texted_code(app, PHONE)
    if first != second:
        assert refused(prove, first) == "wrong_code"
    assert prove(second)[0]


def test_resends_to_one_phone_are_limited(app, ask):
    ask()
    assert refused(ask) == "resend_too_soon"
    for _ in range(4):
        later(app, seconds=61)
        ask()
    later(app, seconds=61)
    assert refused(ask) == "too_many_codes"  # five in the hour
    later(app, hours=1)
    ask()


def test_codes_asked_from_one_address_are_limited(app, ask):
    limit = state(app).settings.buyers.codes_per_address_hour
    for n in range(limit):
        ask(phone=f"1390000{n:04d}")
    assert refused(ask, "13911112222") == "too_many_codes"
    ask(phone="13911112222", address="10.0.0.8")  # another address is not held back
    with state(app).db.read_session() as session:
        assert session.scalar(select(PhoneCode.id).where(PhoneCode.phone == "13911112222"))


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "abcdef", None, 123456])
def test_malformed_codes_are_refused_without_a_try(app, ask, prove, typed):
    ask()
    assert refused(prove, typed) == "invalid_code"
    with state(app).db.read_session() as session:
        assert session.scalar(select(PhoneCode.tries)) == 0


def test_no_code_is_kept_in_clear(app, ask):
    ask()
    code = texted_code(app, PHONE)
    with state(app).db.read_session() as session:
        row = session.scalar(select(PhoneCode))
        message = session.scalar(select(OutboxMessage).where(OutboxMessage.topic == "sms.code"))
        kept = " ".join([row.code_hash, str(message.payload)])
    assert code not in kept
    assert len(row.code_hash) == 64
