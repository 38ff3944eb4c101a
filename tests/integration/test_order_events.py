"""The order page's event stream: a snapshot, then each change, and a cap on open streams."""

import threading

import pytest

from store_api.buyers.models import Buyer
from store_api.core.state import state
from store_api.core.worker import Worker
from store_api.orders import orders
from store_api.orders.checkout import Delivery, place_order
from store_api.staff.models import User
from store_api.stock import inventory
from store_api.stock.inventory import StockLine


@pytest.fixture
def placed(make_app, make_product):
    app = make_app(**{"server.threads": 2})
    db = state(app).db
    with db.unit_of_work() as session:
        product, centre, _ = make_product(session)
        inventory.receive(session, [StockLine(product.id, centre.id, 5)], actor="t")
        buyer = Buyer(phone="13800000000", name="王", business_type="shop",
                      member_level="standard")
        session.add(buyer)
        session.flush()
        sku, buyer_id = product.sku, buyer.id
    number = place_order(db, buyer_id=buyer_id, requested=[(sku, 2)], delivery=Delivery(),
                         idempotency_key="events-key-01", settings=state(app).settings)["number"]
    return app, number


def test_the_stream_sends_a_snapshot_then_the_change(placed):
    app, number = placed
    Worker(state(app)).run_once()  # publish the placement before anyone listens
    response = app.test_client().get(f"/orders/{number}/events")
    assert response.mimetype == "text/event-stream"
    chunks = response.response
    first = next(chunks)
    assert '"status": "awaiting_payment"' in first.decode()

    with state(app).db.unit_of_work() as session:
        staff = User(username="s", display_name="s", role="staff", password_hash="x")
        session.add(staff)
        session.flush()
        staff_id = staff.id

    def pay_and_publish():
        orders.pay(state(app).db, number, method="cash", reference="", user_id=staff_id)
        Worker(state(app)).run_once()

    threading.Timer(0.3, pay_and_publish).start()
    change = next(chunk for chunk in chunks if b"event: order" in chunk)
    assert b'"status": "paid"' in change
    response.close()


def test_streams_beyond_half_the_threads_are_refused_so_the_page_polls(placed):
    app, number = placed
    client = app.test_client()
    held = client.get(f"/orders/{number}/events")
    next(held.response)  # the stream is open and holds its slot
    refused = client.get(f"/orders/{number}/events")
    assert refused.status_code == 503
    held.close()
    reopened = client.get(f"/orders/{number}/events")
    assert reopened.status_code == 200
    reopened.close()


def test_unknown_orders_have_no_stream(placed):
    app, _ = placed
    assert app.test_client().get("/orders/AAAAAAAAAA/events").status_code == 404
