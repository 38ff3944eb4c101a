"""Forwards reach a real receiver, signed; survive a worker killed mid-delivery and an outage."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from store_api.buyers.models import Buyer
from store_api.core import webhooks
from store_api.core.errors import DomainError
from store_api.core.models import OutboxMessage, utcnow
from store_api.core.state import state
from store_api.core.worker import WEBHOOK_STEPS, Worker
from store_api.factories.models import Factory
from store_api.fulfilment.models import DeliveryAttempt, Forward
from store_api.orders import orders
from store_api.orders.checkout import Delivery, place_order
from store_api.staff.models import User
from store_api.stock import inventory
from store_api.stock.inventory import StockLine
from tests.support.services import TlsListener, WebhookReceiver

SHIP = Delivery(recipient_name="张三", recipient_phone="13900000000", ship_address="杭州市西湖区")
# The receiver listens on 127.0.0.1, as a factory ERP on the centre's own network would.
ALLOW_PRIVATE = {"fulfilment.allow_private_webhooks": True}


@pytest.fixture
def app_settings():
    return ALLOW_PRIVATE


@pytest.fixture
def factory_order(app, db, make_product):
    """Return a function that pays for a factory-only order after giving the factory a URL."""
    secret = webhooks.new_secret()

    def make(url: str) -> str:
        with db.unit_of_work() as session:
            product, _, factory_location = make_product(session, name_zh="大容量吸管保温杯")
            inventory.receive(session, [StockLine(product.id, factory_location.id, 100)],
                              actor="t")
            factory = session.get(Factory, product.factory_id)
            factory.webhook_url = url
            factory.webhook_secret_encrypted = webhooks.seal(secret, app.config["SECRET_KEY"])
            buyer = Buyer(phone=f"138{product.id:08d}", name="王", business_type="shop",
                          member_level="standard")
            staff = User(username=f"s{product.id}", display_name="s", role="staff",
                         password_hash="x")
            session.add_all([buyer, staff])
            session.flush()
            sku, buyer_id, staff_id = product.sku, buyer.id, staff.id
        placed = place_order(db, buyer_id=buyer_id, requested=[(sku, 24)], delivery=SHIP,
                             idempotency_key=f"fwd-{sku}-key", settings=state(app).settings)
        number = placed["number"]
        orders.pay(db, number, method="cash", reference="", user_id=staff_id)
        return number

    make.secret = secret
    return make


def forward(db) -> Forward:
    with db.read_session() as session:
        return session.scalar(select(Forward))


def attempts(db) -> list[DeliveryAttempt]:
    with db.read_session() as session:
        return list(session.scalars(select(DeliveryAttempt).order_by(DeliveryAttempt.id)))


def test_a_forward_reaches_the_factory_signed_and_ends_submitted(app, db, factory_order):
    receiver = WebhookReceiver(factory_order.secret)
    try:
        number = factory_order(receiver.url)
        while Worker(state(app)).run_once():
            pass
    finally:
        receiver.stop()
    sent = forward(db)
    assert receiver.ids == [sent.message_id] and receiver.rejected == 0
    data = receiver.bodies[0]["data"]
    assert data["order"] == number and data["lines"][0]["quantity"] == 24
    assert data["ship_to"]["address"] == "杭州市西湖区"
    assert sent.state == "submitted"
    assert [(a.status_code, a.error) for a in attempts(db)] == [(200, None)]


def test_an_outage_is_retried_on_the_schedule_until_delivered(app, db, factory_order,
                                                               worker_clock):
    receiver = WebhookReceiver(factory_order.secret, fail_first=3, fail_status=503)
    try:
        factory_order(receiver.url)
        worker_clock.now = utcnow()
        delays = []
        for _ in range(4):
            Worker(state(app)).run_once()
            with db.read_session() as session:
                message = session.scalar(select(OutboxMessage).where(
                    OutboxMessage.topic == "forward.deliver"))
            if message.status == "pending":
                # The delay the worker chose; then the clock moves to the retry.
                delays.append((message.available_at - worker_clock.now).total_seconds())
                worker_clock.now = message.available_at
    finally:
        receiver.stop()
    assert [a.status_code for a in attempts(db)] == [503, 503, 503, 200]
    assert delays == list(WEBHOOK_STEPS[:3])  # 5 s, 5 min, 30 min
    assert len(set(receiver.ids)) == 1 and len(receiver.ids) == 4
    assert forward(db).state == "submitted"


@pytest.mark.parametrize("status, state_after, message_status", [
    (410, "queued", "dead"), (400, "sending", "dead"), (429, "sending", "pending")])
def test_answers_that_are_final_or_retryable(app, db, factory_order, status, state_after,
                                             message_status):
    receiver = WebhookReceiver(factory_order.secret, fail_first=1, fail_status=status)
    try:
        factory_order(receiver.url)
        Worker(state(app)).run_once()
    finally:
        receiver.stop()
    assert forward(db).state == state_after
    with db.read_session() as session:
        assert session.scalar(select(OutboxMessage.status).where(
            OutboxMessage.topic == "forward.deliver")) == message_status
        url = session.scalar(select(Factory.webhook_url).where(Factory.webhook_url.is_not(None)))
    assert (url is None) == (status == 410)  # 410 turns the endpoint off


def test_a_worker_killed_mid_delivery_leaves_it_sent_again_under_the_same_id(
    app, db, factory_order, database_url, tmp_path
):
    receiver = WebhookReceiver(factory_order.secret, slow_first=1, delay=5.0)
    env = {**os.environ, "XUANPIN_DATABASE_URL": database_url,
           "XUANPIN_PATHS_VAR_DIR": str(tmp_path / "var"), "XUANPIN_WORKER_LEASE_SECONDS": "3",
           "XUANPIN_WORKER_POLL_INTERVAL_S": "0.2", "XUANPIN_LOG_LEVEL": "WARNING",
           "XUANPIN_FULFILMENT_ALLOW_PRIVATE_WEBHOOKS": "true"}
    # The worker signs with the app's secret key; both processes must share it.
    env["XUANPIN_SERVER_SECRET_KEY"] = app.config["SECRET_KEY"]
    try:
        factory_order(receiver.url)
        worker = subprocess.Popen([sys.executable, "-m", "store_api.cli", "worker"], env=env)
        deadline = time.monotonic() + 30
        while not receiver.ids and time.monotonic() < deadline:
            time.sleep(0.05)
        assert receiver.ids, "the first delivery never arrived"
        worker.send_signal(signal.SIGKILL)  # received by the factory, answer not yet recorded
        worker.wait(10)
        assert attempts(db) == [] and forward(db).state == "sending"
        again = subprocess.Popen([sys.executable, "-m", "store_api.cli", "worker"], env=env)
        try:
            deadline = time.monotonic() + 30
            while forward(db).state != "submitted" and time.monotonic() < deadline:
                time.sleep(0.1)
        finally:
            again.terminate()
            again.wait(10)
    finally:
        receiver.stop()
    sent = forward(db)
    assert sent.state == "submitted"
    assert receiver.ids == [sent.message_id, sent.message_id]  # the same id, never another


def test_during_a_rotation_both_secrets_sign(app, db, factory_order):
    receiver = WebhookReceiver(factory_order.secret)  # the factory still knows the old secret
    try:
        factory_order(receiver.url)
        new = webhooks.new_secret()
        with db.unit_of_work() as session:
            factory = session.scalar(select(Factory).where(Factory.webhook_url.is_not(None)))
            factory.webhook_previous_secret_encrypted = factory.webhook_secret_encrypted
            factory.webhook_previous_until = utcnow() + timedelta(hours=1)
            factory.webhook_secret_encrypted = webhooks.seal(new, app.config["SECRET_KEY"])
        Worker(state(app)).run_once()
    finally:
        receiver.stop()
    assert receiver.rejected == 0 and len(receiver.ids) == 1
    assert forward(db).state == "submitted"


def test_staff_replay_a_dead_forward_under_its_own_id(app, db, factory_order):
    from store_api.fulfilment.forwarding import replay

    receiver = WebhookReceiver(factory_order.secret, fail_first=1, fail_status=400)
    try:
        factory_order(receiver.url)
        Worker(state(app)).run_once()  # 400: dead at once
        replay(db, forward(db).id)
        with pytest.raises(DomainError, match="gave up"):
            replay(db, forward(db).id)  # pending again, no longer dead: refused
        Worker(state(app)).run_once()
    finally:
        receiver.stop()
    sent = forward(db)
    assert sent.state == "submitted" and receiver.ids == [sent.message_id] * 2


def test_a_forward_whose_delivery_gave_up_waits_on_the_staff_board_until_sent_again(
        app, db, factory_order):
    from tests.support.clients import staff_client

    receiver = WebhookReceiver(factory_order.secret, fail_first=1, fail_status=400)
    try:
        number = factory_order(receiver.url)
        Worker(state(app)).run_once()
        staff, token = staff_client(app)
        board = staff.get("/console/forwards").get_data(as_text=True)
        assert number in board and "推送失败" in board
        sent = forward(db)
        staff.post(f"/console/forwards/{sent.id}/replay", data={"csrf_token": token})
        assert number not in staff.get("/console/forwards").get_data(as_text=True)
        Worker(state(app)).run_once()
    finally:
        receiver.stop()
    assert receiver.ids == [sent.message_id, sent.message_id]  # the same id, sent again
    assert forward(db).state == "submitted"


def test_cancelling_a_delivered_forward_tells_the_factory_under_a_new_id(app, db,
                                                                       factory_order):
    receiver = WebhookReceiver(factory_order.secret)
    try:
        number = factory_order(receiver.url)
        Worker(state(app)).run_once()
        orders.cancel(db, number, actor="staff:t")
        while Worker(state(app)).run_once():
            pass
    finally:
        receiver.stop()
    sent = forward(db)
    assert sent.state == "cancel_requested"
    assert [body["type"] for body in receiver.bodies] == ["forward.created",
                                                          "forward.cancel_requested"]
    assert receiver.bodies[1]["data"] == {"forward": sent.message_id, "order": number,
                                          "reason": "order_cancelled"}
    assert receiver.ids[0] == sent.message_id and receiver.ids[1] != sent.message_id
    assert [a.status_code for a in attempts(db)] == [200, 200]


def test_a_webhook_saved_while_private_addresses_were_allowed_is_not_sent_once_they_are_not(
        app, db, factory_order, database_url, tmp_path):
    from store_api import create_app
    from tests.support.clients import staff_client

    receiver = WebhookReceiver(factory_order.secret)
    # A name, resolved as it is sent: localhost answers 127.0.0.1.
    url = receiver.url.replace("127.0.0.1", "localhost")
    strict = create_app({"paths.var_dir": str(tmp_path / "var"), "database.url": database_url,
                         "fulfilment.allow_private_webhooks": False})
    try:
        number = factory_order(url)
        Worker(state(strict)).run_once()
        refused = attempts(db)
        with db.read_session() as session:
            message = session.scalar(select(OutboxMessage).where(
                OutboxMessage.topic == "forward.deliver"))
            gave_up = (message.status, message.last_error)
        staff, token = staff_client(strict)
        board = staff.get("/console/forwards").get_data(as_text=True)
        # Sent again where the centre allows its own network, it arrives at the checked address.
        staff.post(f"/console/forwards/{forward(db).id}/replay", data={"csrf_token": token})
        Worker(state(app)).run_once()
    finally:
        receiver.stop()
        state(strict).db.dispose()
    assert [(a.status_code, a.error) for a in refused] == [(None, (
        "refused: localhost resolves to 127.0.0.1, a loopback address, and "
        "fulfilment.allow_private_webhooks is off"))]
    assert gave_up[0] == "dead" and "127.0.0.1, a loopback address" in gave_up[1]
    assert number in board and "推送失败" in board  # on the staff board, not retried blindly
    sent = forward(db)
    assert receiver.ids == [sent.message_id] and sent.state == "submitted"
    assert receiver.hosts == [url.split("/")[2]]  # the URL's host, sent to 127.0.0.1
    assert [a.status_code for a in attempts(db)] == [None, 200]


def test_an_https_webhook_goes_to_the_checked_address_under_its_host_name(app, db,
                                                                          factory_order):
    listener = TlsListener()
    try:
        factory_order(listener.url.replace("127.0.0.1", "localhost") + "/hooks")
        Worker(state(app)).run_once()
    finally:
        listener.stop()
    assert listener.names == ["localhost"]  # TLS asks for the URL's host at the address
    [attempt] = attempts(db)
    # ... and checks the certificate it is shown, which nobody vouches for here.
    assert attempt.status_code is None and "CERTIFICATE_VERIFY_FAILED" in attempt.error
