"""Faults a centre meets on a busy day, each against real servers: Redis stopped and back,
PostgreSQL restarted under load, a worker killed with deliveries in flight."""

import os
import signal
import subprocess
import threading
import time
import uuid

import pytest
import requests

from tests.support.live import (
    CLI,
    NO_GUEST_HOLD_LIMITS,
    EventListener,
    buyer_session,
    demo_centre,
    order,
)
from tests.support.services import PostgresServer, RedisServer, StoreServer, WebhookReceiver


def stocked_sku(env: dict) -> tuple[str, int]:
    """A demo product given plenty of stock in the centre; its SKU and MOQ."""
    from sqlalchemy import select

    from store_api import create_app
    from store_api.catalogue.models import Product
    from store_api.core.state import state
    from store_api.stock import inventory
    from store_api.stock.locations import centre_location

    overrides = {"paths.var_dir": env["XUANPIN_PATHS_VAR_DIR"]}
    if "XUANPIN_DATABASE_URL" in env:
        overrides["database.url"] = env["XUANPIN_DATABASE_URL"]
    db = state(create_app(overrides)).db
    with db.unit_of_work() as session:
        product = session.scalar(select(Product).order_by(Product.sku))
        inventory.receive(session, [inventory.StockLine(
            product.id, centre_location(session).id, 1_000_000)], actor="test")
        found = product.sku, product.moq
    db.dispose()
    return found








def _until(check, timeout: float, step: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(step)
    return check()


def test_with_redis_stopped_orders_are_taken_screens_poll_and_all_recovers(tmp_path):
    redis = RedisServer()
    # Rate limits count in Redis: they must not block while it is gone.
    env = demo_centre(tmp_path, XUANPIN_REDIS_URL=redis.url, XUANPIN_WORKER_POLL_INTERVAL_S="0.2",
                      XUANPIN_LIMITS_ENABLED="true", **NO_GUEST_HOLD_LIMITS)
    sku, moq = stocked_sku(env)
    server = StoreServer(env)
    try:
        buyer = buyer_session(server.url, "13800001001")
        screen = EventListener(f"{server.url}/display/bestseller/events")
        placed = order(buyer, server.url, sku, moq)
        assert placed.status_code == 201, placed.text

        redis.stop()
        during = order(buyer, server.url, sku, moq)
        assert during.status_code == 201, during.text  # taken without Redis
        content = requests.get(f"{server.url}/display/bestseller/content.json", timeout=10)
        assert content.status_code == 200 and content.json()["items"]  # what screens poll
        assert requests.get(f"{server.url}/orders/{during.json()['number']}",
                            timeout=10).status_code == 200

        redis = RedisServer(port=redis.port)  # back, on the same address
        screen.close()
        screen = EventListener(f"{server.url}/display/bestseller/events")

        def fresh_event():
            number = order(buyer, server.url, sku, moq).json()["number"]
            return _until(lambda: any(e.get("number") == number for e in screen.events), 3)

        # Within seconds the server listens again and events reach the screens once more.
        assert _until(fresh_event, 40, step=0)
        screen.close()
    finally:
        server.stop()
        redis.stop()


@pytest.fixture
def own_postgres():
    """A PostgreSQL of this test's own, since the test restarts it."""
    server = PostgresServer()
    yield server
    server.stop()


def test_postgresql_restarted_under_load_fails_requests_cleanly_and_loses_nothing(
        tmp_path, own_postgres):
    url = own_postgres.create_database("faults")
    env = demo_centre(tmp_path, **NO_GUEST_HOLD_LIMITS, XUANPIN_DATABASE_URL=url,
                      XUANPIN_SERVER_WORKERS="2",
                      XUANPIN_SERVER_THREADS="4", XUANPIN_WORKER_RUN_IN_SERVE="false")
    sku, moq = stocked_sku(env)
    server = StoreServer(env)
    outcomes: list[tuple[str, int, dict]] = []
    buyers: dict[str, requests.Session] = {}  # which buyer asked with each key
    stop = threading.Event()
    try:

        def shopper(n: int) -> None:
            try:
                buyer = buyer_session(server.url, f"1390000{n:04d}")
            except AssertionError as error:  # counted below, not lost in the thread
                outcomes.append(("buyer", 500, {"error": str(error)}))
                return
            while not stop.is_set():
                key = uuid.uuid4().hex
                buyers[key] = buyer
                try:
                    answer = order(buyer, server.url, sku, moq, key)
                    outcomes.append((key, answer.status_code, answer.json()))
                except requests.RequestException as error:
                    outcomes.append((key, 0, {"error": str(error)}))
                time.sleep(0.02)

        shoppers = [threading.Thread(target=shopper, args=(n,)) for n in range(4)]
        for thread in shoppers:
            thread.start()
        time.sleep(2)
        own_postgres.restart()
        time.sleep(4)
        stop.set()
        for thread in shoppers:
            thread.join(30)

        statuses = [status for _, status, _ in outcomes]
        assert set(statuses) <= {201, 503}, sorted(set(statuses))
        refused = [body for _, status, body in outcomes if status == 503]
        assert refused, "no request met the restart"
        assert {body["error"]["code"] for body in refused} == {"unavailable"}
        assert statuses[-1] == 201  # later requests succeed again

        # A refused order, asked again by its buyer with its key, is placed now or answered
        # with the order placed before the answer was lost.
        retried = {key: order(buyers[key], server.url, sku, moq, key).status_code
                   for key, status, _ in outcomes if status == 503}
        assert set(retried.values()) == {201}
        asked = {key for key, status, _ in outcomes if status == 201} | set(retried)
    finally:
        server.stop()
    check = subprocess.run([*CLI, "check"], env={**os.environ, **env}, capture_output=True,
                           text=True)
    assert check.returncode == 0, check.stdout + check.stderr  # the ledger matches every level
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql")) as db:
        half = db.execute("SELECT count(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM "
                          "order_lines l WHERE l.order_id = o.id) OR NOT EXISTS (SELECT 1 "
                          "FROM stock_ledger s WHERE s.order_id = o.id)").fetchone()[0]
        keys = [row[0] for row in db.execute("SELECT idempotency_key FROM orders")]
    assert half == 0
    # Every order answered 201 is there exactly once, and there is no other: none lost, none
    # placed twice.
    assert sorted(keys) == sorted(asked)


def queued_forwards(tmp_path, make_product, receiver_url: str, secret: str,
                    count: int) -> tuple[dict, list[str]]:
    """A centre whose factory delivers to the receiver, with `count` paid factory orders
    queued and no worker running; return the environment and the order numbers."""
    from store_api import create_app
    from store_api.buyers.models import Buyer
    from store_api.core import webhooks
    from store_api.core.state import state
    from store_api.orders import orders
    from store_api.orders.checkout import Delivery, place_order
    from store_api.staff.models import User
    from store_api.stock import inventory

    # The receiver listens on 127.0.0.1, as a factory ERP on the centre's own network would.
    env = {"XUANPIN_PATHS_VAR_DIR": str(tmp_path / "var"), "XUANPIN_LOG_LEVEL": "WARNING",
           "XUANPIN_WORKER_POLL_INTERVAL_S": "0.2", "XUANPIN_WORKER_LEASE_SECONDS": "4",
           "XUANPIN_FULFILMENT_ALLOW_PRIVATE_WEBHOOKS": "true"}
    subprocess.run([*CLI, "init"], env={**os.environ, **env}, check=True, capture_output=True)
    app = create_app({"paths.var_dir": env["XUANPIN_PATHS_VAR_DIR"],
                      "fulfilment.allow_private_webhooks": True})
    db = state(app).db
    with db.unit_of_work() as session:
        product, _, home = make_product(session)
        product.factory.webhook_url = receiver_url
        product.factory.webhook_secret_encrypted = webhooks.seal(secret,
                                                                 app.config["SECRET_KEY"])
        inventory.receive(session, [inventory.StockLine(product.id, home.id, 100)], actor="t")
        buyer = Buyer(phone="13800002002", name="主播", business_type="streamer",
                      member_level="standard")
        staff = User(username="counter", display_name="收银", role="staff", password_hash="x")
        session.add_all([buyer, staff])
        session.flush()
        sku, buyer_id, staff_id = product.sku, buyer.id, staff.id
    ship = Delivery(recipient_name="主播", recipient_phone="13800002002",
                    ship_address="义乌市稠城街道 8 号")
    numbers = []
    for n in range(count):
        placed = place_order(db, buyer_id=buyer_id, requested=[(sku, 1)], delivery=ship,
                             idempotency_key=f"kill-test-{n:04d}", settings=state(app).settings)
        number = placed["number"]
        orders.pay(db, number, method="cash", reference="", user_id=staff_id)
        numbers.append(number)
    db.dispose()
    return env, numbers


def test_a_worker_killed_mid_delivery_loses_nothing_and_never_sends_under_two_ids(
        tmp_path, make_product):
    from store_api.core import webhooks

    secret = webhooks.new_secret()
    # The first two deliveries hang for 30 s: the worker is killed while they are open.
    receiver = WebhookReceiver(secret, slow_first=2, delay=30)
    env, numbers = queued_forwards(tmp_path, make_product, receiver.url, secret, count=8)
    first = subprocess.Popen([*CLI, "worker"], env={**os.environ, **env})
    try:
        assert _until(lambda: receiver.ids, 20), "the worker sent nothing"
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        second = subprocess.Popen([*CLI, "worker"], env={**os.environ, **env})
        try:
            delivered = _until(lambda: {b["data"]["order"] for b in receiver.bodies} >= set(
                numbers), 60)
            assert delivered, "some forwards never arrived"
        finally:
            second.terminate()
            second.wait(20)
    finally:
        if first.poll() is None:
            first.kill()
        receiver.stop()
    ids_of: dict[str, set[str]] = {}
    for webhook_id, body in zip(receiver.ids, receiver.bodies, strict=True):
        ids_of.setdefault(body["data"]["order"], set()).add(webhook_id)
    assert set(ids_of) == set(numbers)
    assert all(len(ids) == 1 for ids in ids_of.values()), ids_of
    assert len(receiver.ids) > len(numbers)  # what was in flight was sent again, same id
