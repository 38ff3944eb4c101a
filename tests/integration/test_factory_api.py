"""The factory API: a forward from submitted to delivered, rejection and staff rerouting,
factory stock under If-Match, sales and settlement, signed callbacks, and bad input."""

import json
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from standardwebhooks.webhooks import Webhook

from store_api.core import webhooks
from store_api.core.audit import Actor
from store_api.core.models import utcnow
from store_api.core.state import state
from store_api.factories.models import Factory
from store_api.fulfilment import consignment as consignment_service
from store_api.fulfilment.models import Forward, ForwardEvent
from store_api.orders.models import Order
from store_api.stock import inventory
from store_api.stock.models import StockLedgerEntry, StockLevel
from tests.support.clients import staff_client
from tests.support.consignment import receive_at_centre


def level(app, product_id, kind):
    from store_api.stock.models import StockLocation

    with state(app).db.read_session() as session:
        row = session.execute(
            select(StockLevel.on_hand, StockLevel.reserved)
            .join(StockLocation, StockLocation.id == StockLevel.location_id)
            .where(StockLevel.product_id == product_id, StockLocation.kind == kind)).first()
        return tuple(row) if row else (0, 0)


def order_api(client, number):
    return client.get(f"/api/v1/orders/{number}").get_json()


def test_a_forward_goes_from_submitted_to_delivered_and_repeats_change_nothing(app, consignment):
    a = consignment.a
    client = app.test_client()
    listed = client.get("/api/v1/factory/forwards?state=submitted", headers=a.headers).get_json()
    assert [f["id"] for f in listed["forwards"]] == a.forwards
    forward = listed["forwards"][0]
    assert forward["ship_to"]["address"] == "杭州市西湖区" and forward["lines"][0]["quantity"] == 12
    assert client.get("/api/v1/factory/forwards/open", headers=a.headers).get_json() == {
        "ids": a.forwards}

    url = f"/api/v1/factory/forwards/{a.forwards[0]}"
    assert client.post(f"{url}/accept", json={}, headers=a.headers).get_json()["applied"]
    again = client.post(f"{url}/accept", json={}, headers=a.headers)
    assert again.status_code == 200 and again.get_json() == {
        "forward": a.forwards[0], "state": "accepted", "applied": False}

    # Two parcels: 5 units named, then the rest; a repeated parcel is acknowledged and ignored.
    first = {"carrier": "顺丰", "tracking_number": "SF1001",
             "lines": [{"sku": a.sku, "quantity": 5}]}
    assert client.post(f"{url}/shipments", json=first, headers=a.headers).status_code == 201
    assert level(app, a.product_id, "factory") == (195, 7)
    repeat = client.post(f"{url}/shipments", json=first, headers=a.headers).get_json()
    assert repeat["applied"] is False and level(app, a.product_id, "factory") == (195, 7)
    too_early = client.post(f"{url}/delivered", json={}, headers=a.headers)
    assert too_early.status_code == 409  # 7 units have not left yet
    rest = {"carrier": "中通", "tracking_number": "ZT2002"}
    assert client.post(f"{url}/shipments", json=rest, headers=a.headers).status_code == 201
    assert level(app, a.product_id, "factory") == (188, 0)

    shown = order_api(client, a.orders[0])
    assert [s["tracking_number"] for s in shown["groups"][0]["forward"]["shipments"]] == [
        "SF1001", "ZT2002"]
    page = client.get(f"/orders/{a.orders[0]}").get_data(as_text=True)
    assert "SF1001" in page and "ZT2002" in page

    assert client.post(f"{url}/delivered", json={}, headers=a.headers).get_json()["applied"]
    stale = client.post(f"{url}/accept", json={}, headers=a.headers).get_json()
    assert stale == {"forward": a.forwards[0], "state": "delivered", "applied": False}
    assert order_api(client, a.orders[0])["status"] == "completed"
    assert client.get("/api/v1/factory/forwards/open", headers=a.headers).get_json() == {
        "ids": []}
    with state(app).db.read_session() as session:
        history = session.scalars(select(ForwardEvent.state).order_by(ForwardEvent.id))
        assert list(history) == ["submitted", "submitted", "accepted", "shipped", "shipped",
                                 "delivered"]
        assert not inventory.check_ledger(session)


def test_a_rejected_forward_is_rerouted_to_centre_stock_by_staff(app, consignment):
    a = consignment.a
    receive_at_centre(app, a, 50)
    client = app.test_client()
    url = f"/api/v1/factory/forwards/{a.forwards[0]}"
    bad = client.post(f"{url}/reject", json={"reason": "no idea"}, headers=a.headers)
    assert bad.status_code == 422 and bad.get_json()["error"]["field"] == "reason"
    rejected = client.post(f"{url}/reject", json={"reason": "out_of_stock", "note": "模具坏了"},
                           headers=a.headers).get_json()
    assert rejected["state"] == "rejected"
    assert order_api(client, a.orders[0])["groups"][0]["forward"]["reason"] == "out_of_stock"

    staff, _ = staff_client(app)
    with state(app).db.read_session() as session:
        forward_id = session.scalar(select(Forward.id).where(
            Forward.message_id == a.forwards[0]))
    assert app.test_client().post(f"/api/v1/forwards/{forward_id}/reroute",
                                  json={}).status_code == 401
    assert staff.post(f"/api/v1/forwards/{forward_id}/reroute", json={}).status_code == 200
    group = order_api(client, a.orders[0])["groups"][0]
    assert (group["kind"], group["status"], group["forward"]["state"],
            group["forward"]["reason"]) == ("local_delivery", "pending", "cancelled", "rerouted")
    assert level(app, a.product_id, "factory") == (200, 0)
    assert level(app, a.product_id, "centre") == (50, 12)
    # Shipping a rerouted forward is refused: the parcel would be a second delivery.
    late = client.post(f"{url}/shipments", json={"carrier": "顺丰", "tracking_number": "SF9"},
                       headers=a.headers)
    assert late.status_code == 409
    assert staff.post(f"/api/v1/forwards/{forward_id}/reroute", json={}).status_code == 409


def test_staff_cancel_a_forward_releases_its_stock_and_the_empty_order(app, consignment):
    a = consignment.a
    staff, _ = staff_client(app)
    with state(app).db.read_session() as session:
        forward_id = session.scalar(select(Forward.id).where(
            Forward.message_id == a.forwards[0]))
    assert staff.post(f"/api/v1/forwards/{forward_id}/cancel", json={}).status_code == 200
    assert level(app, a.product_id, "factory") == (200, 0)
    shown = order_api(app.test_client(), a.orders[0])
    assert shown["status"] == "cancelled"
    # The factory had it already: it is asked to confirm, and confirms once.
    assert shown["groups"][0]["forward"]["state"] == "cancel_requested"
    url = f"/api/v1/factory/forwards/{a.forwards[0]}/cancelled"
    client = app.test_client()
    assert client.post(url, json={}, headers=a.headers).get_json()["applied"] is True
    assert client.post(url, json={}, headers=a.headers).get_json()["applied"] is False


def test_factory_stock_is_set_only_against_the_version_read(app, consignment):
    a = consignment.a
    client = app.test_client()
    url = f"/api/v1/factory/stock/{a.sku}"
    read = client.get(url, headers=a.headers)
    version = read.headers["ETag"]
    assert read.get_json() == {"sku": a.sku, "factory_on_hand": 200, "factory_version": version}
    missing = client.put(url, json={"on_hand": 150}, headers=a.headers)
    assert missing.status_code == 428
    first = client.put(url, json={"on_hand": 150}, headers={**a.headers, "If-Match": version})
    assert first.status_code == 200 and first.get_json()["factory_on_hand"] == 150
    second = client.put(url, json={"on_hand": 170}, headers={**a.headers, "If-Match": version})
    assert second.status_code == 412  # the first update would have been overwritten
    for body, field in (({"on_hand": -1}, "on_hand"), ({"on_hand": "9"}, "on_hand"),
                        ({"on_hand": 10**12}, None), ({}, "on_hand")):
        fresh = client.get(url, headers=a.headers).headers["ETag"]
        bad = client.put(url, json=body, headers={**a.headers, "If-Match": fresh})
        assert bad.status_code == 422, body
        assert field is None or bad.get_json()["error"]["field"] == field
    below_reserved = client.put(url, json={"on_hand": 5}, headers={
        **a.headers, "If-Match": client.get(url, headers=a.headers).headers["ETag"]})
    assert below_reserved.status_code == 409  # 12 are reserved for the open forward
    assert level(app, a.product_id, "factory") == (150, 12)
    with state(app).db.read_session() as session:
        reasons = list(session.scalars(select(StockLedgerEntry.reason).where(
            StockLedgerEntry.product_id == a.product_id,
            StockLedgerEntry.reason == "factory_count")))
        assert reasons == ["factory_count"]


def test_stock_sales_and_settlement_agree_with_the_ledger(app, consignment, monkeypatch):
    a = consignment.a
    client = app.test_client()
    url = f"/api/v1/factory/forwards/{a.forwards[0]}"
    client.post(f"{url}/shipments", json={"carrier": "顺丰", "tracking_number": "SF1"},
                headers=a.headers)
    consignment.order(a, quantity=24)
    client.post(f"/api/v1/factory/forwards/{a.forwards[1]}/shipments",
                json={"carrier": "顺丰", "tracking_number": "SF2"}, headers=a.headers)
    stock = client.get("/api/v1/factory/stock", headers=a.headers).get_json()
    row = stock["rows"][0]
    assert (row["sku"], row["factory_on_hand"], row["sold_week"], row["sold_period"]) == (
        a.sku, 164, 36, 36)
    sales = client.get("/api/v1/factory/sales", headers=a.headers).get_json()["sales"]
    assert [(s["quantity"], s["order"], s["source"]) for s in sales] == [
        (12, a.orders[0], "factory"), (24, a.orders[1], "factory")]
    statement = client.get("/api/v1/factory/settlement", headers=a.headers).get_json()
    assert statement["lines"] == [{"sku": a.sku, "name_zh": "甲厂保温杯", "units": 36,
                                   "supply_price_fen": 500, "amount_fen": 18000}]
    assert statement["total_fen"] == 18000 and statement["returns"] == []
    empty = client.get("/api/v1/factory/settlement?from=2020-01-01&to=2020-01-31",
                       headers=a.headers).get_json()
    assert empty["lines"] == [] and empty["total_fen"] == 0
    for query in ("from=2026-13-01", "from=2026-11-30&to=2026-11-01", "from=2020-01-01"
                  "&to=2026-01-01", "from=x"):
        assert client.get(f"/api/v1/factory/sales?{query}",
                          headers=a.headers).status_code == 422, query


def test_stock_unsold_for_thirty_days_is_offered_back_and_shows_on_the_statement(
        app, consignment, monkeypatch):
    a = consignment.a
    receive_at_centre(app, a, 40)
    settings = state(app).settings
    days = settings["consignment.unsold_days"]
    percent = settings["consignment.return_offer_percent"]
    with state(app).db.read_session() as session:
        assert consignment_service.unsold(session, a.factory_id, days, percent) == []
    later = utcnow() + timedelta(days=31)
    state(app).clock.now = later
    with state(app).db.read_session() as session:
        offered = consignment_service.unsold(session, a.factory_id, days, percent)
    assert [(r.sku, r.available, r.offer_unit_fen) for r in offered] == [(a.sku, 40, 400)]
    with pytest.raises(Exception, match="between 1 and 40"):
        consignment_service.return_unsold(state(app).db, a.factory_id, a.sku, 41, days=days,
                                          offer_percent=percent, actor="factory:t")
    consignment_service.return_unsold(state(app).db, a.factory_id, a.sku, 30, days=days,
                                      offer_percent=percent, actor="factory:t")
    assert level(app, a.product_id, "centre") == (10, 0)
    assert level(app, a.product_id, "factory") == (230, 12)
    with state(app).db.read_session() as session:
        within = consignment_service.period(utcnow().date() - timedelta(days=1),
                                            utcnow().date() + timedelta(days=1),
                                            settings["centre.timezone"])
        statement = consignment_service.statement(session, a.factory_id, within, percent)
        assert [(r.sku, r.units, r.value_fen) for r in statement.returns] == [(a.sku, 30, 12000)]
        assert not inventory.check_ledger(session)


def _signed(secret, event, *, webhook_id="cb-1", timestamp=None):
    body = json.dumps(event).encode()
    timestamp = int(time.time()) if timestamp is None else timestamp
    headers = webhooks.headers([secret], webhook_id, timestamp, body)
    # The signature our verifier accepts must be one the reference library makes too.
    assert Webhook(secret).sign(webhook_id, _when(timestamp), body.decode()) == \
        headers["webhook-signature"]
    return body, headers


def _when(timestamp):
    from datetime import UTC, datetime

    return datetime.fromtimestamp(timestamp, tz=UTC)


def test_signed_callbacks_from_a_factory_move_its_forward_once(app, consignment):
    a = consignment.a
    secret = webhooks.new_secret()
    with state(app).db.unit_of_work() as session:
        factory = session.get(Factory, a.factory_id)
        factory.webhook_url = "http://127.0.0.1:9/hook"
        factory.webhook_secret_encrypted = webhooks.seal(secret, app.config["SECRET_KEY"])
    client = app.test_client()
    url = f"/api/v1/factory/webhooks/{a.code}"
    event = {"type": "forward.shipped", "data": {"forward": a.forwards[0], "carrier": "顺丰",
                                                 "tracking_number": "SF77"}}
    body, headers = _signed(secret, event)
    answer = client.post(url, data=body, headers=headers)
    assert answer.status_code == 200 and answer.get_json()["state"] == "shipped"
    replay = client.post(url, data=body, headers=headers)
    assert replay.get_json()["applied"] is False
    forged = dict(headers, **{"webhook-signature": "v1,AAAA"})
    assert client.post(url, data=body, headers=forged).status_code == 401
    old_body, old = _signed(secret, {**event, "type": "forward.delivered"}, webhook_id="cb-2",
                            timestamp=int(time.time()) - 3600)
    assert client.post(url, data=old_body, headers=old).status_code == 401
    b_body, b_headers = _signed(secret, {"type": "forward.accepted",
                                         "data": {"forward": consignment.b.forwards[0]}},
                                webhook_id="cb-3")
    assert client.post(url, data=b_body, headers=b_headers).status_code == 404
    assert order_api(client, a.orders[0])["groups"][0]["forward"]["shipments"] == [
        {"carrier": "顺丰", "tracking_number": "SF77"}]


@pytest.mark.parametrize("headers", [
    {}, {"Authorization": "Bearer nonsense"}, {"Authorization": "Basic eHBmOmFiYw=="},
    {"Authorization": "Bearer xpf.F1.wrong-secret"}])
def test_without_a_valid_token_every_factory_route_answers_401(sqlite_app, headers):
    client = sqlite_app.test_client()
    for path in ("/api/v1/factory/forwards", "/api/v1/factory/stock",
                 "/api/v1/factory/settlement", "/api/v1/factory/forwards/open"):
        answer = client.get(path, headers=headers)
        assert answer.status_code == 401 and answer.get_json()["error"]["code"] == "unauthorised"


def test_a_revoked_or_replaced_token_stops_working(app, consignment):
    from store_api.factories import access as factory_access

    a = consignment.a
    client = app.test_client()
    assert client.get("/api/v1/factory/stock", headers=a.headers).status_code == 200
    factory_access.new_token(state(app).db, a.code, actor=Actor(None, "test"))
    assert client.get("/api/v1/factory/stock", headers=a.headers).status_code == 401
    with state(app).db.read_session() as session:
        stored = session.scalar(select(Factory.api_token_hash).where(Factory.id == a.factory_id))
        assert a.token.rsplit(".", 1)[1] not in stored  # only a hash is kept


def test_bad_parcels_are_refused_and_change_nothing(app, consignment):
    a = consignment.a
    client = app.test_client()
    url = f"/api/v1/factory/forwards/{a.forwards[0]}/shipments"
    cases = [
        ({"carrier": "", "tracking_number": "X"}, "carrier"),
        ({"carrier": "顺丰", "tracking_number": "X" * 61}, "tracking_number"),
        ({"carrier": "顺丰", "tracking_number": "X", "lines": [{"sku": "NOPE", "quantity": 1}]},
         "lines[0].sku"),
        ({"carrier": "顺丰", "tracking_number": "X", "lines": [{"sku": a.sku, "quantity": 13}]},
         "lines[0].quantity"),
        ({"carrier": "顺丰", "tracking_number": "X", "lines": [{"sku": a.sku, "quantity": 0}]},
         "lines[0].quantity"),
        ({"carrier": "顺丰", "tracking_number": "X", "lines": [{"sku": a.sku,
                                                             "quantity": "1"}]},
         "lines[0].quantity"),
    ]
    for body, field in cases:
        answer = client.post(url, json=body, headers=a.headers)
        assert answer.status_code == 422 and answer.get_json()["error"]["field"] == field, body
    assert client.post(url, data="x" * 100, headers={**a.headers, "Content-Type":
                                                     "application/json"}).status_code == 400
    assert level(app, a.product_id, "factory") == (200, 12)
    with state(app).db.read_session() as session:
        assert session.scalar(select(func.count()).select_from(Order)) == 2
        assert session.scalar(select(Forward.state).where(
            Forward.message_id == a.forwards[0])) == "submitted"
