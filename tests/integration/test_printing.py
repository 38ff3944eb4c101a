"""The print queue: receipts reach a network printer; a printer that is down holds up nothing."""

import pytest
from sqlalchemy import select, update

from store_api.buyers.models import Buyer
from store_api.core.models import OutboxMessage, utcnow
from store_api.core.state import state
from store_api.core.worker import Worker, enqueue
from store_api.orders import orders
from store_api.orders.checkout import Delivery, place_order
from store_api.printing.models import PrintJob
from store_api.printing.queue import printer_states, reprint
from store_api.staff.models import User
from store_api.stock import inventory
from store_api.stock.inventory import StockLine
from tests.support.clients import staff_client
from tests.support.services import ListeningPrinter, free_port


@pytest.fixture
def printer_port():
    """The ESC/POS port, 9100, when this machine has it free; another free port otherwise."""
    import socket

    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", 9100))
        except OSError:
            return free_port()
    return 9100


@pytest.fixture
def make_shop(make_app, make_product):
    """Return a function making an app (settings overridden) with a stocked cup, a buyer, staff."""

    def make(**overrides):
        app = make_app(**overrides)
        with state(app).db.unit_of_work() as session:
            product, centre, _ = make_product(session, name_zh="316不锈钢保温杯")
            inventory.receive(session, [StockLine(product.id, centre.id, 50)], actor="t")
            buyer = Buyer(phone="13800000000", name="王", business_type="shop",
                          member_level="standard")
            staff = User(username="s", display_name="s", role="staff", password_hash="x")
            session.add_all([buyer, staff])
            session.flush()
            return app, {"sku": product.sku, "buyer": buyer.id, "staff": staff.id}

    return make


@pytest.fixture
def shop(make_shop, printer_port):
    return make_shop(**{"printing.receipt_printer": f"tcp://127.0.0.1:{printer_port}",
                        "printing.timeout_s": 1.0})


def paid_order(app, ids, key="print-key-0001") -> str:
    db = state(app).db
    placed = place_order(db, buyer_id=ids["buyer"], requested=[(ids["sku"], 12)],
                         delivery=Delivery(), idempotency_key=key, settings=state(app).settings)
    number = placed["number"]
    orders.pay(db, number, method="card", reference="POS-77", user_id=ids["staff"])
    return number


def drain(app):
    """Run the worker until nothing is due, making every retry due at once."""
    db = state(app).db
    with db.unit_of_work() as session:
        session.execute(update(OutboxMessage).where(OutboxMessage.status == "pending")
                        .values(available_at=utcnow()))
    while Worker(state(app)).run_once():
        pass


def printed_while_listening(app, port) -> list[bytes]:
    """Drain the worker while a printer listens on the port; return what each job sent it."""
    printer = ListeningPrinter(port)
    try:
        drain(app)
    finally:
        printer.stop()
    return printer.received


def job(app) -> PrintJob:
    with state(app).db.read_session() as session:
        return session.scalar(select(PrintJob))


def test_a_paid_order_prints_its_receipt_on_the_network_printer(shop, printer_port):
    app, ids = shop
    number = paid_order(app, ids)
    [data] = printed_while_listening(app, printer_port)
    assert b"\x1c\x26" in data  # Chinese mode
    for text in ("316不锈钢保温杯", "合计", "￥108.00", "刷卡", "POS-77", number, "普通 ≥10"):
        assert text.encode("gb18030") in data, text
    assert f"/orders/{number}".encode() in data and b"\x1d(k" in data  # a native QR command
    assert data.endswith(b"\x1dV\x00")  # and a cut
    assert job(app).status == "done"


def test_with_the_printer_down_payment_never_touches_it_and_the_job_waits_then_prints(
    shop, printer_port
):
    app, ids = shop
    # A printer that takes connections but never answers would hang a payment that printed
    # itself; payment only writes the job, so nothing connects to it at all.
    silent = ListeningPrinter(printer_port)
    try:
        paid_order(app, ids)
    finally:
        silent.stop()
    assert silent.connections == 0
    drain(app)
    waiting = job(app)
    assert waiting.status == "queued" and "Connection refused" in (waiting.error or "")
    assert len(printed_while_listening(app, printer_port)) == 1
    assert job(app).status == "done"


def test_after_its_last_try_a_job_shows_failed_and_reprints_without_a_second_order(
    shop, printer_port
):
    app, ids = shop
    app_state = state(app)
    paid_order(app, ids)
    for _ in range(app_state.settings["worker.max_attempts"]):
        drain(app)
    assert job(app).status == "failed"
    with app_state.db.read_session() as session:
        assert printer_states(session)[0]["status"] == "failed"
    reprint(app_state.db, job(app).id)
    assert len(printed_while_listening(app, printer_port)) == 1
    assert job(app).status == "done"
    with app_state.db.read_session() as session:
        from store_api.orders.models import Order, Payment

        assert len(session.scalars(select(Order)).all()) == 1
        assert len(session.scalars(select(Payment)).all()) == 1


def test_stuck_work_shows_every_kind_and_a_retry_prints_the_job(shop, printer_port):
    app, ids = shop
    app_state = state(app)
    paid_order(app, ids)
    for _ in range(app_state.settings["worker.max_attempts"]):
        drain(app)
    with app_state.db.unit_of_work() as session:  # a forward whose delivery gave up as well
        [forward] = enqueue(session, "forward.deliver", {"group": 0})
        session.execute(update(OutboxMessage).where(OutboxMessage.message_id == forward)
                        .values(status="dead", attempts=9, last_error="HTTP 500"))
    client, token = staff_client(app)
    page = client.get("/console/work").get_data(as_text=True)
    assert "打印任务" in page and "转给工厂的订单" in page and page.count("<td>已放弃</td>") == 2
    assert "Connection refused" in page and "HTTP 500" in page
    # A forward is settled on the forwards page; a print is tried again from here.
    assert f"/console/work/{forward}/retry" not in page and 'href="/console/forwards"' in page
    response = client.post(f"/console/work/{job(app).message_id}/retry",
                           data={"csrf_token": token})
    assert response.status_code == 303
    assert len(printed_while_listening(app, printer_port)) == 1
    assert job(app).status == "done"
    assert "打印任务" not in client.get("/console/work").get_data(as_text=True)
    assert client.post("/console/work/msg_nothing/retry",
                       data={"csrf_token": token}).status_code == 404


def test_without_a_printer_set_receipts_go_to_files_under_var(make_shop):
    app, ids = make_shop()
    number = paid_order(app, ids, key="file-key-01")
    drain(app)
    [printed] = (state(app).settings.var_dir / "prints").iterdir()
    assert number.encode() in printed.read_bytes()


def test_the_console_shows_printer_state_and_reprints(shop, printer_port):
    app, ids = shop
    paid_order(app, ids)
    drain(app)
    client, token = staff_client(app)
    page = client.get("/console/counter").get_data(as_text=True)
    assert "小票打印机 · 等待中" in page  # the receipt waits for the printer
    assert "Connection refused" in client.get("/console/prints").get_data(as_text=True)
    response = client.post(f"/console/prints/{job(app).id}/reprint", data={"csrf_token": token})
    assert response.status_code == 303
    assert len(printed_while_listening(app, printer_port)) == 1  # made due, not doubled
    assert "小票打印机 · 已打印" in client.get("/console/counter").get_data(as_text=True)


def test_labels_sent_from_the_console_reach_the_label_printer(make_app, printer_port):
    from tests.support.centre import load

    app = make_app(**{"printing.label_printer": f"tcp://127.0.0.1:{printer_port}"})
    load(app)
    client, token = staff_client(app)
    response = client.post("/console/labels", data={
        "csrf_token": token, "selection": "zone", "zone": "streamer", "template": "a4-3x8",
        "send": "thermal"})
    assert response.status_code == 303
    [data] = printed_while_listening(app, printer_port)
    assert data.count(b"\x1dV\x00") == 17  # one cut after each of the zone's labels
    assert "保温杯".encode("gb18030") in data


def test_a_receipt_printer_without_chinese_gets_the_text_as_a_picture(make_shop, printer_port):
    app, ids = make_shop(**{"printing.receipt_printer": f"tcp://127.0.0.1:{printer_port}",
                            "printing.receipt_raster_text": True})
    number = paid_order(app, ids, key="raster-key-01")
    [data] = printed_while_listening(app, printer_port)
    assert b"\x1dv0" in data and "保温杯".encode("gb18030") not in data
    assert f"/orders/{number}".encode() in data
