"""A phone number is a claim until its code proves it: over HTTP, a device that types a
member's number gets base prices and nothing of the member's; after the code, it is them."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from store_api.buyers.models import Buyer
from store_api.catalogue.models import PriceTier
from store_api.core.models import utcnow
from store_api.core.state import state
from store_api.orders.models import FulfilmentGroup, Order
from store_api.stock import inventory
from store_api.stock.inventory import StockLine
from tests.support.buyers import sign_in, texted_code

MEMBER = "13912345678"
SHIP = {"recipient_name": "张三", "recipient_phone": "13900000000", "ship_address": "杭州市西湖区"}


@pytest.fixture
def centre(app, make_product):
    """A cup (base 10.00, gold 9.00) with 50 in the centre and 100 at its factory, and a gold
    member on account with one order."""
    db = state(app).db
    with db.unit_of_work() as session:
        cup, centre, factory = make_product(session, moq=6, case_pack=6, ladder=((6, 1000),))
        cup.price_tiers.append(PriceTier(member_level="gold", min_quantity=6,
                                         unit_price_fen=900))
        inventory.receive(session, [StockLine(cup.id, centre.id, 50),
                                    StockLine(cup.id, factory.id, 100)], actor="t")
        member = Buyer(phone=MEMBER, contact_phone=MEMBER, name="金老板", company="金记批发",
                       business_type="shop", member_level="gold", on_account=True,
                       credit_limit_fen=5_000_000)
        session.add(member)
        session.flush()
        return {"sku": cup.sku, "code": cup.slot.code, "member": member.id}


def order(client, shop, key, quantity=6, **delivery):
    return client.post("/api/v1/orders", headers={"Idempotency-Key": key},
                       json={"lines": [{"sku": shop["sku"], "quantity": quantity}],
                             "delivery": delivery or {"centre": "pickup"}})


def test_typing_a_members_number_gives_nothing_of_theirs(app, centre):
    stranger = app.test_client()
    typed = stranger.post("/api/v1/buyer", json={"phone": MEMBER, "name": "路人",
                                                 "business_type": "restaurant"})
    assert typed.status_code == 200
    assert typed.json == {"phone": "139****5678", "name": "路人", "company": "",
                          "business_type": "restaurant", "member_level": "standard",
                          "verified": False}
    page = stranger.get(f"/s/{centre['code']}").get_data(as_text=True)
    slot = stranger.get(f"/api/v1/slots/{centre['code']}").json
    assert (slot["member_level"], slot["unit_price_fen"]) == ("standard", 1000)
    assert "金老板" not in page and "金记批发" not in page
    me = stranger.get("/me")
    assert me.status_code == 303 and "/signin" in me.headers["Location"]
    assert stranger.get("/api/v1/buyer/devices").status_code == 401

    # Factory goods and delivery need the phone proved; a pick-up order is an ordinary one.
    shipped = order(stranger, centre, "stranger-ship-01", 60, centre="pickup", **SHIP)
    delivered = order(stranger, centre, "stranger-deliv-1", centre="local_delivery",
                      address="义乌市稠城街道", latitude=29.33, longitude=120.1)
    for refused in (shipped, delivered):
        assert (refused.status_code, refused.json["error"]["code"]) == (403, "sign_in_required")
    placed = order(stranger, centre, "stranger-pick-01")
    assert placed.status_code == 201, placed.json
    assert placed.json["hold_until"] is not None  # unpaid, held only until the hold ends
    with state(app).db.read_session() as session:
        made = session.scalar(select(Order).where(Order.number == placed.json["number"]))
        buyer = session.get(Buyer, made.buyer_id)
        kinds = {g.kind for g in session.scalars(
            select(FulfilmentGroup).where(FulfilmentGroup.order_id == made.id))}
        assert (buyer.is_guest, buyer.member_level, buyer.contact_phone) == (
            True, "standard", MEMBER)
        assert (made.status, kinds, made.total_fen) == ("awaiting_payment", {"pickup"}, 6000)
        assert session.scalars(select(Order).where(
            Order.buyer_id == centre["member"])).all() == []


def test_the_code_makes_the_device_the_member(app, centre):
    phone = app.test_client()
    phone.post("/api/v1/buyer", json={"phone": MEMBER, "name": "路人", "business_type": "shop"})
    body = sign_in(phone, app, MEMBER)
    assert body == {"phone": "139****5678", "name": "金老板", "company": "金记批发",
                    "business_type": "shop", "member_level": "gold", "verified": True}
    slot = phone.get(f"/api/v1/slots/{centre['code']}").json
    assert (slot["member_level"], slot["unit_price_fen"]) == ("gold", 900)
    shipped = order(phone, centre, "member-ship-0001", 60, centre="pickup", **SHIP)
    assert shipped.status_code == 201, shipped.json
    assert {g["kind"] for g in shipped.json["groups"]} == {"pickup", "factory_shipment"}
    me = phone.get("/me").get_data(as_text=True)
    assert "金老板" in me and shipped.json["number"] in me
    devices = phone.get("/api/v1/buyer/devices").json["devices"]
    assert [d["current"] for d in devices] == [True]

    # Signed out, the device is a stranger again.
    assert phone.delete("/api/v1/buyer/session").status_code == 200
    assert phone.get(f"/api/v1/slots/{centre['code']}").json["unit_price_fen"] == 1000
    assert phone.get("/me").status_code == 303


def test_a_buyer_ends_another_device(app, centre):
    first, second = app.test_client(), app.test_client()
    sign_in(first, app, MEMBER)
    state(app).clock.now = utcnow() + timedelta(seconds=61)  # past the resend wait
    sign_in(second, app, MEMBER)
    listed = first.get("/api/v1/buyer/devices").json["devices"]
    assert len(listed) == 2
    other = next(d["id"] for d in listed if not d["current"])
    assert first.delete(f"/api/v1/buyer/devices/{other}").status_code == 200
    assert second.get("/api/v1/buyer").status_code == 404  # signed out: nobody
    assert first.get("/api/v1/buyer").json["verified"] is True
    # Another account's device is not found, and stays signed in.
    stranger = app.test_client()
    sign_in(stranger, app, "13700001111", name="王")
    theirs = stranger.get("/api/v1/buyer/devices").json["devices"][0]["id"]
    assert first.delete(f"/api/v1/buyer/devices/{theirs}").status_code == 404
    for forged in ("99999999999999999999", "0", "-1", "x"):
        assert first.post("/me/devices/end", data={"device": forged}).status_code == 404
    assert stranger.get("/api/v1/buyer").json["verified"] is True


def test_a_wrong_code_over_http_is_refused_and_signs_nothing_in(app, centre):
    client = app.test_client()
    assert client.post("/api/v1/buyer/code", json={"phone": MEMBER}).status_code == 202
    code = texted_code(app, MEMBER)
    answer = client.post("/api/v1/buyer/session",
                         json={"phone": MEMBER, "code": f"{(int(code) + 1) % 10**6:06d}"})
    assert (answer.status_code, answer.json["error"]["code"]) == (422, "wrong_code")
    assert client.get("/api/v1/buyer").status_code == 404
    again = client.post("/api/v1/buyer/code", json={"phone": MEMBER})
    assert (again.status_code, again.json["error"]["code"]) == (429, "resend_too_soon")
