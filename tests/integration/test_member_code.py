"""The counter finds a buyer by the member QR on their phone (signed, short-lived, void once
the phone signs out) or by a code texted to their phone; SQLite and PostgreSQL."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from store_api.buyers import member_codes
from store_api.buyers.models import Buyer, BuyerDevice
from store_api.core.models import utcnow
from store_api.core.state import state
from tests.support.buyers import sign_in, texted_code
from tests.support.clients import sign_in as staff_sign_in

PHONE = "13900000001"


@pytest.fixture
def phone(app):
    client = app.test_client()
    sign_in(client, app, PHONE, name="金老板", company="金记批发")
    return client


def shown_code(app) -> str:
    """The code the phone's member QR carries, as the page draws it."""
    with state(app).db.read_session() as session:
        device = session.scalar(select(BuyerDevice))
        return member_codes.issue(app.config["SECRET_KEY"], device)


def identify(counter, code):
    return counter.post("/console/buyers/identify",
                        data={"code": code, "csrf_token": counter.csrf_token})


def test_the_member_qr_opens_the_buyers_account_at_the_counter(app, phone):
    drawn = phone.get("/me/member-code.svg")
    assert drawn.mimetype == "image/svg+xml" and drawn.headers["Cache-Control"] == "no-store"
    assert "<svg" in drawn.get_data(as_text=True)
    counter = staff_sign_in(app, "staff", "counter")
    found = identify(counter, shown_code(app))
    assert found.status_code == 303 and "/console/buyers/" in found.headers["Location"]
    page = counter.get(found.headers["Location"]).get_data(as_text=True)
    assert "金老板" in page and "金记批发" in page


def test_an_old_forged_or_signed_out_member_code_finds_nobody(app, phone):
    counter = staff_sign_in(app, "staff", "counter")
    code = shown_code(app)
    for forged in (code[:-2] + "xx", "", "not-a-code", "a" * 300):
        answer = identify(counter, forged)
        assert answer.status_code == 303 and answer.headers["Location"].endswith("/counter")
    assert "会员码无效" in counter.get("/console/counter").get_data(as_text=True)
    state(app).clock.now = utcnow() + timedelta(seconds=member_codes.VALID_SECONDS + 1)
    assert identify(counter, code).headers["Location"].endswith("/counter")
    state(app).clock.now = None
    fresh = shown_code(app)
    phone.delete("/api/v1/buyer/session")  # the phone signs out: its codes die with it
    assert identify(counter, fresh).headers["Location"].endswith("/counter")


def test_a_guest_has_no_member_code(app):
    guest = app.test_client()
    guest.post("/api/v1/buyer", json={"phone": PHONE, "name": "路人", "business_type": "shop"})
    assert guest.get("/me/member-code.svg").status_code == 303


def test_the_counter_finds_a_buyer_by_a_code_texted_to_their_phone(app, phone):
    state(app).clock.now = utcnow() + timedelta(seconds=61)  # past the sign-in's resend wait
    counter = staff_sign_in(app, "staff", "counter")
    sent = identify(counter, PHONE)
    assert sent.status_code == 303 and "/console/buyers/identify" in sent.headers["Location"]
    wrong = counter.post("/console/buyers/identify/prove", data={
        "phone": PHONE, "code": "000000" if texted_code(app, PHONE) != "000000" else "111111",
        "csrf_token": counter.csrf_token})
    assert "/console/buyers/identify" in wrong.headers["Location"]
    right = counter.post("/console/buyers/identify/prove", data={
        "phone": PHONE, "code": texted_code(app, PHONE), "csrf_token": counter.csrf_token})
    with state(app).db.read_session() as session:
        buyer_id = session.scalar(select(Buyer.id).where(Buyer.phone == PHONE))
    assert right.headers["Location"].endswith(f"/console/buyers/{buyer_id}")
