"""Two application hosts (two gunicorn instances on their own ports) sharing one PostgreSQL
and one Redis: no oversell between them, and a zone screen on one sees orders on the other."""

import threading
import time
import uuid

from sqlalchemy import select

from tests.support.live import EventListener, buyer_session, demo_centre, order
from tests.support.services import StoreServer

UNITS = 10


def _scarce_sku(env: dict) -> tuple[str, int]:
    """A demo product with exactly UNITS orders' worth in the centre and none at its factory."""
    from store_api import create_app
    from store_api.catalogue.models import Product
    from store_api.core.state import state
    from store_api.stock import inventory
    from store_api.stock.models import StockLocation

    db = state(create_app({"paths.var_dir": env["XUANPIN_PATHS_VAR_DIR"],
                           "database.url": env["XUANPIN_DATABASE_URL"]})).db
    with db.unit_of_work() as session:
        product = session.scalar(select(Product).order_by(Product.sku))
        for location in session.scalars(select(StockLocation)):
            wanted = UNITS * product.moq if location.kind == "centre" else 0
            inventory.count(session, product.id, location.id, wanted, actor="test")
        found = product.sku, product.moq
    db.dispose()
    return found


def test_two_hosts_never_oversell_and_share_their_events(tmp_path, postgres_server,
                                                         redis_server):
    url = postgres_server.create_database(f"hosts_{uuid.uuid4().hex[:8]}")
    env = demo_centre(tmp_path, XUANPIN_DATABASE_URL=url, XUANPIN_REDIS_URL=redis_server.url,
                      XUANPIN_WORKER_POLL_INTERVAL_S="0.2")
    sku, moq = _scarce_sku(env)
    hosts = [StoreServer(env), StoreServer(env)]
    try:
        screen = EventListener(f"{hosts[0].url}/display/bestseller/events")
        time.sleep(0.5)
        answers: list[int] = []

        def buy(n: int) -> None:
            host = hosts[n % 2].url
            answers.append(order(buyer_session(host, f"1370000{n:04d}"), host, sku,
                                 moq).status_code)

        buyers = [threading.Thread(target=buy, args=(n,)) for n in range(3 * UNITS)]
        for thread in buyers:
            thread.start()
        for thread in buyers:
            thread.join(60)
        assert sorted(answers) == [201] * UNITS + [409] * (2 * UNITS)

        placed = order(buyer_session(hosts[1].url, "13700009999"), hosts[1].url, sku, moq)
        assert placed.status_code == 409  # sold out on both hosts alike
        with_stock = _other_sku(env, sku)
        on_b = order(buyer_session(hosts[1].url, "13700008888"), hosts[1].url, *with_stock)
        number = on_b.json()["number"]
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not any(
                e.get("number") == number for e in screen.events):
            time.sleep(0.1)
        assert any(e.get("number") == number for e in screen.events), screen.events[-3:]
        screen.close()
    finally:
        for host in hosts:
            host.stop()


def _other_sku(env: dict, not_this: str) -> tuple[str, int]:
    from sqlalchemy import create_engine, text

    engine = create_engine(env["XUANPIN_DATABASE_URL"])
    with engine.connect() as connection:
        row = connection.execute(text(
            "SELECT p.sku, p.moq FROM products p JOIN stock_levels v ON v.product_id = p.id "
            "JOIN stock_locations l ON l.id = v.location_id WHERE l.kind = 'centre' AND "
            "p.sku <> :sku ORDER BY v.on_hand - v.reserved DESC LIMIT 1"), {"sku": not_this}
        ).one()
    engine.dispose()
    return row.sku, row.moq
