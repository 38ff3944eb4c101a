"""No oversell and one order per key, through gunicorn with several workers, on both databases."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from click.testing import CliRunner
from sqlalchemy import func, select

from store_api.cli import main
from store_api.orders.models import Order
from store_api.stock import inventory
from store_api.stock.inventory import StockLine
from store_api.stock.models import StockLevel
from tests.support.services import StoreServer

BUYERS = 100
UNITS = 30
SHIP = {"recipient_name": "张三", "recipient_phone": "13900000000", "ship_address": "杭州市西湖区"}


@pytest.fixture
def server(app, database_url, tmp_path):
    server = StoreServer({"XUANPIN_DATABASE_URL": database_url,
                          "XUANPIN_PATHS_VAR_DIR": str(tmp_path / "var"),
                          "XUANPIN_SERVER_WORKERS": "3", "XUANPIN_SERVER_THREADS": "16",
                          "XUANPIN_LOG_LEVEL": "WARNING"})
    yield server
    server.stop()


@pytest.fixture
def scarce(db, make_product):
    """A product with 30 units in the centre and none at its factory."""
    with db.unit_of_work() as session:
        product, centre, _ = make_product(session)
        inventory.receive(session, [StockLine(product.id, centre.id, UNITS)], actor="t")
        return product.id, centre.id, product.sku


def buyer(server, n: int) -> requests.Session:
    client = requests.Session()
    # Not kept alive: gunicorn closes a connection idle for 2 s, and reusing one it is closing
    # at that moment is reset; the race below opens fresh connections instead.
    response = client.post(f"{server.url}/api/v1/buyer", timeout=30, json={
        "phone": f"139{n:08d}", "name": f"买家{n}", "business_type": "shop"},
        headers={"Connection": "close"})
    assert response.status_code == 200, response.text
    return client


def test_a_hundred_checkouts_race_for_thirty_units(server, db, scarce, database_url, tmp_path,
                                                    monkeypatch):
    product_id, centre_id, sku = scarce
    clients = [buyer(server, n) for n in range(BUYERS)]
    start = threading.Barrier(BUYERS)

    def checkout(n: int):
        start.wait()
        response = clients[n].post(
            f"{server.url}/api/v1/orders", timeout=60,
            json={"lines": [{"sku": sku, "quantity": 1}], "delivery": SHIP},
            headers={"Idempotency-Key": f"race-{n:04d}-key"})
        return response.status_code, response.json().get("error", {}).get("code")

    with ThreadPoolExecutor(BUYERS) as pool:
        outcomes = list(pool.map(checkout, range(BUYERS)))

    assert outcomes.count((201, None)) == UNITS
    assert outcomes.count((409, "insufficient_stock")) == BUYERS - UNITS
    with db.read_session() as session:
        level = session.get(StockLevel, (product_id, centre_id))
        assert (level.on_hand, level.reserved) == (UNITS, UNITS)
        assert session.scalar(select(func.count()).select_from(Order)) == UNITS
    monkeypatch.setenv("XUANPIN_DATABASE_URL", database_url)
    monkeypatch.setenv("XUANPIN_PATHS_VAR_DIR", str(tmp_path / "var"))
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0 and "agree" in result.output


def test_one_key_sent_twenty_times_at_once_makes_one_order(server, db, scarce):
    product_id, centre_id, sku = scarce
    client = buyer(server, 1)
    start = threading.Barrier(20)

    def checkout(_):
        start.wait()
        response = client.post(f"{server.url}/api/v1/orders", timeout=60,
                               json={"lines": [{"sku": sku, "quantity": 3}], "delivery": SHIP},
                               headers={"Idempotency-Key": "the-same-key-0001"})
        return response.status_code, response.json().get("number")

    with ThreadPoolExecutor(20) as pool:
        outcomes = list(pool.map(checkout, range(20)))
    assert {status for status, _ in outcomes} == {201}
    assert len({number for _, number in outcomes}) == 1
    with db.read_session() as session:
        assert session.scalar(select(func.count()).select_from(Order)) == 1
        assert session.get(StockLevel, (product_id, centre_id)).reserved == 3
