"""The JSON API for the buyer's flow and the counter, through the Flask test client."""

import json
from datetime import timedelta

import pytest
from openapi_spec_validator import validate
from sqlalchemy import func, select, update

from store_api.catalogue.models import PriceTier
from store_api.core.models import ScanEvent, utcnow
from store_api.core.state import state
from store_api.orders.models import Cart, CartLine, Order
from store_api.stock import inventory
from store_api.stock.inventory import StockLine
from store_api.stock.models import StockLedgerEntry
from tests.support.buyers import sign_in
from tests.support.clients import sign_in as sign_in_staff
from tests.support.clients import staff_client

SHIP = {"recipient_name": "张三", "recipient_phone": "13900000000", "ship_address": "杭州市西湖区"}


@pytest.fixture
def shop(sqlite_app, make_product):
    """A cup: MOQ 12, case 6; 20 in the centre, 100 at the factory."""
    db = state(sqlite_app).db
    with db.unit_of_work() as session:
        cup, centre, factory = make_product(session, moq=12, case_pack=6,
                                            ladder=((12, 1000), (60, 900)))
        cup.price_tiers.append(PriceTier(member_level="gold", min_quantity=12,
                                         unit_price_fen=950))
        inventory.receive(session, [StockLine(cup.id, centre.id, 20),
                                    StockLine(cup.id, factory.id, 100)], actor="t")
        return {"sku": cup.sku, "code": cup.slot.code}


@pytest.fixture
def buyer(sqlite_app, shop):
    client = sqlite_app.test_client()
    body = sign_in(client, sqlite_app, "138 0013 8000", name="李四", company="李记百货")
    assert (body["phone"], body["verified"]) == ("138****8000", True)
    return client


@pytest.fixture
def staff(sqlite_app, shop):
    return staff_client(sqlite_app, "counter")[0]


def written(app) -> dict:
    with state(app).db.read_session() as session:
        return {model.__name__: session.scalar(select(func.count()).select_from(model))
                for model in (Order, CartLine, StockLedgerEntry)}


def order(client, key="key-order-0001", **body):
    body.setdefault("delivery", SHIP)
    return client.post("/api/v1/orders", json=body, headers={"Idempotency-Key": key})


def test_slot_is_priced_for_the_cart_and_the_buyer_level(sqlite_app, shop, buyer, staff):
    body = buyer.get(f"/api/v1/slots/{shop['code']}").json
    assert (body["quantity"], body["unit_price_fen"], body["member_level"]) == (12, 1000,
                                                                               "standard")
    assert {s["source"]: s["available"] for s in body["stock"]} == {"centre": 20,
                                                                    "factory": 100}
    buyer.post("/api/v1/cart/lines", json={"sku": shop["sku"], "quantity": 60})
    assert buyer.get(f"/api/v1/slots/{shop['code']}").json["unit_price_fen"] == 900

    terms = {"member_level": "gold", "on_account": True, "credit_limit": "50000"}
    refused = staff.put("/api/v1/buyers/13800138000/membership", json=terms)
    assert refused.status_code == 403  # a manager's to give
    response = sign_in_staff(sqlite_app, "manager").put("/api/v1/buyers/13800138000/membership",
                                                        json=terms)
    assert response.status_code == 200
    body = buyer.get(f"/api/v1/slots/{shop['code']}").json
    assert (body["member_level"], body["unit_price_fen"]) == ("gold", 950)


def test_cart_moves_in_case_packs_above_the_moq(sqlite_app, shop, buyer):
    response = buyer.post("/api/v1/cart/lines",
                          json={"sku": shop["sku"], "quantity": 12, "unit_price_fen": 1})
    assert response.status_code == 200
    assert response.json["lines"][0]["unit_price_fen"] == 1000  # a sent price is ignored
    assert buyer.post("/api/v1/cart/lines",
                      json={"sku": shop["sku"], "quantity": 6}).json["total_fen"] == 18_000
    assert buyer.put(f"/api/v1/cart/lines/{shop['sku']}",
                     json={"quantity": 60}).json["total_fen"] == 54_000
    assert buyer.delete(f"/api/v1/cart/lines/{shop['sku']}").json["lines"] == []


@pytest.mark.parametrize("body, status, code, field", [
    ({"sku": "X", "quantity": 12}, 422, "unknown_sku", "sku"),
    ({"quantity": 12}, 422, "invalid_input", "sku"),
    ({"sku": "S", "quantity": 0}, 422, "invalid_quantity", "quantity"),
    ({"sku": "S", "quantity": -6}, 422, "invalid_quantity", "quantity"),
    ({"sku": "S", "quantity": 10**12}, 422, "invalid_quantity", "quantity"),
    ({"sku": "S", "quantity": "abc"}, 422, "invalid_input", "quantity"),
    ({"sku": "S", "quantity": 1.5}, 422, "invalid_input", "quantity"),
    ({"sku": "S", "quantity": 6}, 422, "below_moq", "quantity"),
    ({"sku": "S", "quantity": 14}, 422, "not_case_multiple", "quantity"),
    ([1, 2], 422, "invalid_input", "body"),
])
def test_bad_cart_lines_are_refused_and_write_nothing(sqlite_app, shop, buyer, body, status,
                                                      code, field):
    if isinstance(body, dict) and body.get("sku") == "S":
        body["sku"] = shop["sku"]
    before = written(sqlite_app)
    response = buyer.post("/api/v1/cart/lines", json=body)
    assert response.status_code == status
    assert (response.json["error"]["code"], response.json["error"]["field"]) == (code, field)
    assert response.json["error"]["message"]
    assert written(sqlite_app) == before


def test_errors_are_translated(sqlite_app, shop, buyer):
    response = buyer.post("/api/v1/cart/lines", json={"sku": shop["sku"], "quantity": 6},
                          headers={"Accept-Language": "zh-CN"})
    assert response.json["error"]["message"] == "起订量为 12 件。"
    response = buyer.post("/api/v1/cart/lines?lang=en", json={"sku": shop["sku"], "quantity": 6})
    assert response.json["error"]["message"] == "The minimum order is 12."


def test_the_body_must_be_json_and_not_too_large(sqlite_app, shop, buyer):
    before = written(sqlite_app)
    response = buyer.post("/api/v1/cart/lines", data="sku=x&quantity=12",
                          content_type="application/x-www-form-urlencoded")
    assert (response.status_code, response.json["error"]["code"]) == (415,
                                                                      "unsupported_media_type")
    response = buyer.post("/api/v1/cart/lines", data="{not json", content_type="application/json")
    assert (response.status_code, response.json["error"]["code"]) == (400, "invalid_json")
    huge = json.dumps({"sku": shop["sku"], "quantity": 12, "pad": "x" * (1024 * 1024)})
    response = buyer.post("/api/v1/cart/lines", data=huge, content_type="application/json")
    assert (response.status_code, response.json["error"]["code"]) == (413, "too_large")
    assert written(sqlite_app) == before


def test_checkout_from_the_cart_splits_groups_and_empties_the_cart(sqlite_app, shop, buyer):
    buyer.post("/api/v1/cart/lines", json={"sku": shop["sku"], "quantity": 30})
    response = order(buyer)
    assert response.status_code == 201, response.json
    groups = {g["kind"]: sum(line["quantity"] for line in g["lines"])
              for g in response.json["groups"]}
    assert groups == {"pickup": 20, "factory_shipment": 10}
    assert buyer.get("/api/v1/cart").json["lines"] == []
    again = order(buyer)  # a retried request: the cart is empty now, the answer the same
    assert again.json["number"] == response.json["number"]
    assert buyer.get(f"/api/v1/orders/{response.json['number']}").json["status"] == (
        "awaiting_payment")


@pytest.mark.parametrize("body, headers, status, code, field", [
    ({"lines": [{"sku": "S", "quantity": 0}]}, None, 422, "invalid_quantity", "lines[0].quantity"),
    ({"lines": [{"sku": "S", "quantity": -12}]}, None, 422, "invalid_quantity",
     "lines[0].quantity"),
    ({"lines": [{"sku": "S", "quantity": 10**12}]}, None, 422, "invalid_quantity",
     "lines[0].quantity"),
    ({"lines": [{"sku": "S", "quantity": "abc"}]}, None, 422, "invalid_input",
     "lines[0].quantity"),
    ({"lines": [{"sku": "S", "quantity": 1.5}]}, None, 422, "invalid_input", "lines[0].quantity"),
    ({"lines": [{"sku": "NOPE", "quantity": 12}]}, None, 422, "unknown_sku", "lines[0].sku"),
    ({"lines": [{"sku": "S", "quantity": 6}]}, None, 422, "below_moq", "lines[0].quantity"),
    ({"lines": [{"sku": "S", "quantity": 15}]}, None, 422, "not_case_multiple",
     "lines[0].quantity"),
    ({"lines": [{"sku": "S", "quantity": 126}]}, None, 409, "insufficient_stock",
     "lines[0].quantity"),
    ({"lines": []}, None, 422, "cart_empty", "lines"),
    ({"lines": [{"sku": "S", "quantity": 12}]}, {"Idempotency-Key": ""}, 422,
     "idempotency_key_required", "Idempotency-Key"),
    ({"lines": [{"sku": "S", "quantity": 12}], "delivery": {"centre": "drone"}}, None, 422,
     "invalid_input", "delivery.centre"),
    ({"lines": [{"sku": "S", "quantity": 12}],
      "delivery": {"centre": "local_delivery", "address": "上海", "latitude": 31.2,
                   "longitude": 121.5}}, None, 422, "outside_delivery_radius",
     "delivery.address"),
    ({"lines": [{"sku": "S", "quantity": 30}], "delivery": {}}, None, 422, "required",
     "delivery.recipient_name"),
])
def test_bad_orders_are_refused_and_write_nothing(sqlite_app, shop, buyer, body, headers,
                                                  status, code, field):
    for line in body.get("lines", []):
        line["sku"] = shop["sku"] if line["sku"] == "S" else line["sku"]
    body.setdefault("delivery", SHIP)
    before = written(sqlite_app)
    response = buyer.post("/api/v1/orders", json=body,
                          headers=headers or {"Idempotency-Key": "key-bad-00001"})
    assert response.status_code == status, response.json
    assert (response.json["error"]["code"], response.json["error"]["field"]) == (code, field)
    assert written(sqlite_app) == before


def test_prices_sent_with_an_order_are_ignored(sqlite_app, shop, buyer):
    response = order(buyer, lines=[{"sku": shop["sku"], "quantity": 12, "unit_price_fen": 1,
                                    "price": 0.01}], total_fen=12)
    assert response.status_code == 201
    assert response.json["total_fen"] == 12 * 1000


def test_an_expired_cart_cannot_be_checked_out(sqlite_app, shop, buyer):
    buyer.post("/api/v1/cart/lines", json={"sku": shop["sku"], "quantity": 12})
    with state(sqlite_app).db.unit_of_work() as session:
        session.execute(update(Cart).values(touched_at=utcnow() - timedelta(days=1)))
    before = written(sqlite_app)
    response = order(buyer)
    assert (response.status_code, response.json["error"]["code"]) == (410, "cart_expired")
    assert buyer.get("/api/v1/cart").json["expired"] is True
    assert written(sqlite_app) == before


def test_ordering_needs_a_known_buyer(sqlite_app, shop):
    client = sqlite_app.test_client()
    response = order(client, lines=[{"sku": shop["sku"], "quantity": 12}])
    assert (response.status_code, response.json["error"]["code"]) == (401, "buyer_required")


@pytest.mark.parametrize("body, field", [
    ({"phone": "12345", "name": "王", "business_type": "shop"}, "phone"),
    ({"phone": "13800138000", "name": "", "business_type": "shop"}, "name"),
    ({"phone": "13800138000", "name": "王", "business_type": "pirate"}, "business_type"),
    ({"phone": 13800138000, "name": "王", "business_type": "shop"}, "phone"),
])
def test_bad_buyer_details_are_refused(sqlite_app, shop, body, field):
    response = sqlite_app.test_client().post("/api/v1/buyer", json=body)
    assert response.status_code == 422
    assert response.json["error"]["field"] == field


def test_forged_codes_are_refused_before_any_lookup(sqlite_app, shop, buyer):
    forged = shop["code"][:-1] + ("0" if shop["code"][-1] != "0" else "1")
    response = buyer.get(f"/api/v1/slots/{forged}")
    assert (response.status_code, response.json["error"]["code"]) == (404, "not_found")
    assert buyer.get("/api/v1/orders/AAAAAAAAAA").status_code == 404


def test_counter_actions_need_staff_and_move_the_order(sqlite_app, shop, buyer, staff):
    number = order(buyer, lines=[{"sku": shop["sku"], "quantity": 24}]).json["number"]
    assert buyer.post(f"/api/v1/orders/{number}/payments",
                      json={"method": "cash"}).status_code == 401
    response = staff.post(f"/api/v1/orders/{number}/payments", json={"method": "wechat"})
    assert (response.status_code, response.json["error"]["field"]) == (422, "method")
    body = staff.post(f"/api/v1/orders/{number}/payments",
                      json={"method": "card", "reference": "POS-1"}).json
    assert body["status"] == "paid"
    pickup = next(g for g in body["groups"] if g["kind"] == "pickup")
    assert staff.post(f"/api/v1/orders/{number}/groups/{pickup['id']}/picked",
                      json={}).json["groups"][0]["status"] == "picked"
    body = staff.post(f"/api/v1/orders/{number}/collect", json={"group": pickup["id"]}).json
    assert {g["kind"]: g["status"] for g in body["groups"]} == {
        "pickup": "collected", "factory_shipment": "forward_queued"}
    response = staff.post(f"/api/v1/orders/{number}/cancel", json={})
    assert (response.status_code, response.json["error"]["code"]) == (409, "invalid_state")


def test_cancel_at_the_counter_puts_stock_back(sqlite_app, shop, buyer, staff):
    number = order(buyer, lines=[{"sku": shop["sku"], "quantity": 24}]).json["number"]
    assert staff.post(f"/api/v1/orders/{number}/cancel", json={}).json["status"] == "cancelled"
    stock = {s["source"]: s["available"]
             for s in buyer.get(f"/api/v1/slots/{shop['code']}").json["stock"]}
    assert stock == {"centre": 20, "factory": 100}


def test_sign_in_refuses_wrong_passwords(sqlite_app, staff):
    response = sqlite_app.test_client().post("/api/v1/session",
                                             json={"username": "counter", "password": "nope"})
    assert (response.status_code, response.json["error"]["code"]) == (401, "bad_credentials")


def test_scans_are_recorded_without_waiting(sqlite_app, shop, buyer):
    assert buyer.get(f"/s/{shop['code']}").status_code == 200
    assert state(sqlite_app).scans.flush() == 1
    with state(sqlite_app).db.read_session() as session:
        scan = session.scalar(select(ScanEvent))
        assert scan.buyer_id is not None and scan.session_id


def test_openapi_document_is_valid_and_lists_every_operation(sqlite_app):
    document = sqlite_app.test_client().get("/api/openapi.json").json
    validate(document)
    listed = {(path, method.upper()) for path, ops in document["paths"].items() for method in ops}
    assert len(listed) == len(sqlite_app.extensions["xuanpin.operations"]) >= 14
    assert ("/api/v1/orders", "POST") in listed
    parameters = document["paths"]["/api/v1/orders"]["post"]["parameters"]
    assert parameters[0]["name"] == "Idempotency-Key"
    stock = document["paths"]["/api/v1/factory/stock/{sku}"]["put"]
    assert stock["security"] == [{"factoryToken": []}]
    assert [p["name"] for p in stock["parameters"]] == ["sku", "If-Match"]
    assert {"412", "428", "401"} <= set(stock["responses"])
    settlement = document["paths"]["/api/v1/factory/settlement"]["get"]
    assert [p["name"] for p in settlement["parameters"]] == ["from", "to"]
    assert document["components"]["securitySchemes"]["factoryToken"]["scheme"] == "bearer"
