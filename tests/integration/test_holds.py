"""No hoarding, on SQLite and PostgreSQL over the API: what a guest device's unpaid orders may
hold is limited, a refused hold leaves the stock to the next buyer, and paid or on-account
orders hold nothing against the limits."""

import pytest
from sqlalchemy import func, select

from store_api.buyers.models import Buyer
from store_api.core.state import state
from store_api.orders import orders
from store_api.orders.models import Order
from store_api.stock import inventory
from store_api.stock.inventory import StockLine
from store_api.stock.models import StockLevel
from tests.support.buyers import sign_in
from tests.support.clients import staff_client


@pytest.fixture
def cup(app, make_product):
    """A cup: MOQ 1, 100 in the centre, 1.00 each."""
    with state(app).db.unit_of_work() as session:
        product, centre, _ = make_product(session, moq=1, case_pack=1, ladder=((1, 100),))
        inventory.receive(session, [StockLine(product.id, centre.id, 100)], actor="t")
        return {"sku": product.sku, "id": product.id, "centre": centre.id}


def guest(app, phone):
    client = app.test_client()
    assert client.post("/api/v1/buyer", json={"phone": phone, "name": "散客",
                                              "business_type": "shop"}).status_code == 200
    return client


def order(client, cup, quantity, key):
    return client.post("/api/v1/orders", headers={"Idempotency-Key": key},
                       json={"lines": [{"sku": cup["sku"], "quantity": quantity}]})


def reserved(app, cup) -> int:
    with state(app).db.read_session() as session:
        return session.scalar(select(StockLevel.reserved).where(
            StockLevel.product_id == cup["id"], StockLevel.location_id == cup["centre"]))


def test_a_guest_cannot_hold_a_products_whole_stock(app, cup):
    hoarder = guest(app, "13800000001")
    refused = order(hoarder, cup, 100, "hoard-all-0001")
    assert refused.status_code == 409
    error = refused.json["error"]
    assert (error["code"], error["field"]) == ("hold_product_limit", "lines[0].quantity")
    assert "20" in error["message"] and "登录" in error["message"]  # zh-CN first
    assert reserved(app, cup) == 0
    assert order(hoarder, cup, 20, "hoard-some-001").status_code == 201
    assert order(hoarder, cup, 1, "hoard-more-001").json["error"]["code"] == "hold_product_limit"
    # The stock is still there for the next buyer.
    assert order(guest(app, "13800000002"), cup, 20, "next-buyer-001").status_code == 201
    assert reserved(app, cup) == 40


def test_a_guest_has_two_unpaid_orders_at_once_and_paying_frees_one(app, cup):
    shopper = guest(app, "13800000003")
    first = order(shopper, cup, 1, "two-open-00001").json["number"]
    assert order(shopper, cup, 1, "two-open-00002").status_code == 201
    third = order(shopper, cup, 1, "two-open-00003")
    assert (third.status_code, third.json["error"]["code"]) == (409, "hold_orders_limit")
    staff, _ = staff_client(app, "counter")
    assert staff.post(f"/api/v1/orders/{first}/payments",
                      json={"method": "cash"}).status_code == 200
    assert order(shopper, cup, 1, "two-open-00003").status_code == 201


def test_saying_who_again_does_not_make_a_new_guest(app, cup):
    shopper = guest(app, "13800000004")
    order(shopper, cup, 1, "same-guest-001")
    order(shopper, cup, 1, "same-guest-002")
    shopper.post("/api/v1/buyer", json={"phone": "13800000005", "name": "换个名字",
                                        "business_type": "shop"})
    assert order(shopper, cup, 1, "same-guest-003").json["error"]["code"] == "hold_orders_limit"
    with state(app).db.read_session() as session:
        assert session.scalar(select(func.count()).select_from(Buyer)) == 1


def test_a_signed_in_member_holds_more_and_on_account_holds_nothing(app, cup):
    member = app.test_client()
    sign_in(member, app, "13900000009")
    assert order(member, cup, 60, "member-hold-01").status_code == 201
    assert order(member, cup, 1, "member-hold-02").json["error"]["code"] == "hold_product_limit"
    with state(app).db.unit_of_work() as session:
        account = session.scalar(select(Buyer).where(Buyer.phone == "13900000009"))
        account.on_account, account.credit_limit_fen = True, 10_000_000
    assert order(member, cup, 30, "member-acct-01").status_code == 201
    with state(app).db.read_session() as session:
        held = session.scalars(select(Order).where(Order.hold_until.is_(None))).all()
        assert [o.total_fen for o in held] == [3000]


def test_an_expired_hold_counts_no_more(app, cup):
    shopper = guest(app, "13800000006")
    order(shopper, cup, 20, "expiring-00001")
    with state(app).db.unit_of_work() as session:
        number = session.scalar(select(Order.number))
    orders.cancel(state(app).db, number, actor="test")
    assert order(shopper, cup, 20, "expiring-00002").status_code == 201
