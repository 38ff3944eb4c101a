"""Forwarding speed: payment-to-delivery latency, and draining queued forwards, with a real
receiver (verifying every signature) on 127.0.0.1, beside a floor of the same signed POSTs sent
straight from one loop with no database.

    .venv/bin/python benchmarks/forwarding.py [--latency-orders 50] [--queued 1000] \
        [--workers 1 2 4] [--postgres]

SQLite (the embedded default) unless --postgres, which starts a throwaway PostgreSQL.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
import urllib3  # noqa: E402
from standardwebhooks.webhooks import Webhook  # noqa: E402

from benchmarks.buyers import member_client  # noqa: E402
from store_api.core import webhooks  # noqa: E402
from tests.support.services import PostgresServer, free_port, wait_for_port  # noqa: E402


class Receiver:
    """Verifies every delivery and notes when each webhook-id and order first arrived."""

    def __init__(self, secret: str):
        verifier, seen = Webhook(secret), {}
        self.seen, self.deliveries, self.orders, self.ids_of = seen, [], {}, {}
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                data = self.rfile.read(int(self.headers["Content-Length"]))
                body = verifier.verify(data, {k.lower(): v for k, v in self.headers.items()})
                now = time.time()
                outer.deliveries.append(self.headers["webhook-id"])
                seen.setdefault(self.headers["webhook-id"], now)
                order = body["data"]["order"]
                outer.orders.setdefault(order, (self.headers["webhook-id"], now))
                outer.ids_of.setdefault(order, set()).add(self.headers["webhook-id"])
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def setup(var: Path, url: str, secret: str):
    """A demo centre whose factories all deliver to the receiver; return the app."""
    os.environ["XUANPIN_PATHS_VAR_DIR"] = str(var)
    os.environ["XUANPIN_LOG_LEVEL"] = "WARNING"
    os.environ["XUANPIN_LIMITS_ENABLED"] = "false"  # all load comes from one address
    cli = [sys.executable, "-m", "store_api.cli"]
    subprocess.run([*cli, "init"], check=True, capture_output=True)
    subprocess.run([*cli, "demo"], check=True, capture_output=True)
    from sqlalchemy import update

    from store_api import create_app
    from store_api.core.state import state
    from store_api.factories.models import Factory
    from store_api.staff.models import User

    app = create_app()
    with state(app).db.unit_of_work() as session:
        session.execute(update(Factory).values(
            webhook_url=url, webhook_secret_encrypted=webhooks.seal(secret,
                                                                    app.config["SECRET_KEY"])))
        staff = User(username="bench", display_name="bench", role="staff")
        staff.set_password("bench-pass-01")
        session.add(staff)
    return app


def factory_only_sku(app) -> tuple[str, int]:
    from sqlalchemy import text

    from store_api.core.state import state

    with state(app).db.read_session() as session:
        row = session.execute(text(
            "SELECT p.sku, p.moq FROM products p JOIN stock_levels v ON v.product_id = p.id "
            "JOIN stock_locations l ON l.id = v.location_id JOIN factories f ON f.id = "
            "p.factory_id WHERE l.kind = 'factory' AND f.mixed_batch_min_fen <= 30000 "
            "AND NOT EXISTS (SELECT 1 FROM stock_levels c JOIN stock_locations cl ON "
            "cl.id = c.location_id WHERE c.product_id = p.id AND cl.kind = 'centre' "
            "AND c.on_hand > 0) ORDER BY v.on_hand DESC LIMIT 1")).one()
    return row.sku, row.moq


SHIP = {"recipient_name": "压测", "recipient_phone": "13900000000", "ship_address": "杭州"}


def latency(app, receiver: Receiver, orders: int) -> list[float]:
    """Pay orders one by one through gunicorn; return seconds from payment to delivery."""
    port = free_port()
    env = {**os.environ, "XUANPIN_WORKER_POLL_INTERVAL_S": "1.0"}
    server = subprocess.Popen([sys.executable, "-m", "store_api.cli", "serve", "--port",
                               str(port)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    wait_for_port(port)
    base = f"http://127.0.0.1:{port}"
    sku, moq = factory_only_sku(app)
    buyer, staff = requests.Session(), requests.Session()
    # Not on account: its factory goods are forwarded when paid, which is what is timed.
    buyer.cookies.set("session",
                      member_client(app, on_account=False).get_cookie("session").value)
    staff.post(f"{base}/api/v1/session", json={"username": "bench", "password": "bench-pass-01"})
    waits = []
    try:
        for n in range(orders):
            number = buyer.post(f"{base}/api/v1/orders",
                                headers={"Idempotency-Key": f"lat-{n:06d}"},
                                json={"lines": [{"sku": sku, "quantity": moq}],
                                      "delivery": SHIP}).json()["number"]
            paid = time.time()
            assert staff.post(f"{base}/api/v1/orders/{number}/payments",
                              json={"method": "cash"}).status_code == 200
            while number not in receiver.orders:
                time.sleep(0.002)
            waits.append(receiver.orders[number][1] - paid)
    finally:
        server.terminate()
        server.wait(20)
    return waits


def queue_forwards(app, count: int) -> None:
    """Place and pay `count` factory orders with no worker running."""
    from sqlalchemy import select

    from store_api.buyers import buyers
    from store_api.catalogue.models import Product
    from store_api.core.state import state
    from store_api.orders import orders
    from store_api.orders.checkout import Delivery, place_order
    from store_api.staff.models import User
    from store_api.stock import inventory
    from store_api.stock.models import StockLocation

    settings, db = state(app).settings, state(app).db
    sku, moq = factory_only_sku(app)
    with db.unit_of_work() as session:
        product = session.scalar(select(Product).where(Product.sku == sku))
        location = session.scalar(select(StockLocation).where(
            StockLocation.factory_id == product.factory_id))
        inventory.receive(session, [inventory.StockLine(product.id, location.id,
                                                        moq * count)], actor="benchmark")
    buyer = buyers.identify(db, phone="13700000000", name="压测", company="",
                            business_type="shop", business_types=["shop"],
                            base_level="standard")
    with db.read_session() as session:
        staff = session.scalar(select(User.id).where(User.username == "bench"))
    for n in range(count):
        number = place_order(db, buyer_id=buyer, requested=[(sku, moq)],
                             delivery=Delivery(**SHIP), idempotency_key=f"q-{time.time_ns()}-{n}",
                             settings=settings)["number"]
        orders.pay(db, number, method="cash", reference="", user_id=staff)


def drain(receiver: Receiver, count: int, workers: int) -> float:
    """Start worker processes and return seconds until `count` new forwards arrived."""
    start_seen = len(receiver.seen)
    env = {**os.environ, "XUANPIN_WORKER_POLL_INTERVAL_S": "0.2"}
    started = time.monotonic()
    procs = [subprocess.Popen([sys.executable, "-m", "store_api.cli", "worker"], env=env)
             for _ in range(workers)]
    try:
        while len(receiver.seen) - start_seen < count:
            time.sleep(0.01)
        return time.monotonic() - started
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(20)


def floor(receiver: Receiver, secret: str, count: int) -> float:
    """The same number of signed POSTs from one loop, no database: the receiver's own cost."""
    http = urllib3.PoolManager(retries=False)
    body = json.dumps({"type": "forward.created", "data": {"order": "FLOOR"}}).encode()
    started = time.monotonic()
    for n in range(count):
        headers = webhooks.headers([secret], f"floor_{n}", int(time.time()), body)
        http.request("POST", receiver.url, body=body, headers=headers)
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency-orders", type=int, default=50)
    parser.add_argument("--queued", type=int, default=1000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    postgres = PostgresServer() if args.postgres else None
    try:
        if postgres:
            os.environ["XUANPIN_DATABASE_URL"] = postgres.create_database("forwarding")
        run(args)
    finally:
        if postgres:
            postgres.stop()


def run(args) -> None:
    """Measure latency, then the drain at each worker count, beside the floor."""
    secret = webhooks.new_secret()
    receiver = Receiver(secret)
    app = setup(Path(tempfile.mkdtemp(prefix="xuanpin-fwd-")) / "var", receiver.url, secret)

    waits = latency(app, receiver, args.latency_orders)
    quantiles = statistics.quantiles(waits, n=20)
    print(f"payment to delivery ({args.latency_orders} orders, one at a time, xuanpin serve "
          f"with its worker thread): p50 {statistics.median(waits) * 1000:.0f} ms, "
          f"p95 {quantiles[18] * 1000:.0f} ms, max {max(waits) * 1000:.0f} ms")

    floor_seconds = floor(receiver, secret, args.queued)
    for workers in args.workers:
        queue_forwards(app, args.queued)
        before = len(receiver.deliveries)
        seconds = drain(receiver, args.queued, workers)
        time.sleep(1)  # let stragglers land before counting repeats
        new = receiver.deliveries[before:]
        print(f"{args.queued} queued forwards, {workers} worker(s): {seconds:.1f} s "
              f"({args.queued / seconds:.0f}/s); deliveries {len(new)}, distinct ids "
              f"{len(set(new))}; floor (signed POSTs, no database) {floor_seconds:.1f} s")
    doubled = sum(1 for order, ids in receiver.ids_of.items() if len(ids) > 1 and order != "FLOOR")
    print(f"orders delivered under more than one webhook-id: {doubled}")


if __name__ == "__main__":
    main()
