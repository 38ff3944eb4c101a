"""A bounded mixed load on PostgreSQL: buyers scanning and ordering 20 to 1, for five minutes,
at the highest rate this machine holds; then no error and no oversell.

    .venv/bin/python benchmarks/mixed_load.py [--seconds 300] [--connections 32] [--workers 2]

The demo centre on a throwaway PostgreSQL; every demo product gets 10 million units in the
centre. wrk runs closed-loop (each connection sends its next request when the last answer
came), so the rate it reaches is the most the server holds at that concurrency: of every 21
requests, 20 are scan pages of slots taken in turn and one is an order (its own
Idempotency-Key) for a product taken in turn. Afterwards `xuanpin check` compares every stock
level with its ledger, and the database is asked for any level below zero or with more
reserved than on hand.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.checkout import THREADS_LUA, wrk  # noqa: E402
from tests.support.services import PostgresServer, free_port, wait_for_port  # noqa: E402

LUA = THREADS_LUA + """
request = function()
  counter = counter + 1
  if counter % 21 == 0 then
    local line = lines[math.floor(counter / 21) % #lines + 1]
    wrk.headers["Idempotency-Key"] = prefix .. "-" .. counter .. "-mixed"
    return wrk.format("POST", "/api/v1/orders", nil, line)
  end
  wrk.headers["Idempotency-Key"] = nil
  return wrk.format("GET", "/s/" .. codes[counter % #codes + 1], nil, "")
end
"""


def prepare(env: dict) -> tuple[list[str], list[str], str]:
    """Stock every product up and sign a buyer in; return slot codes, order bodies, cookie."""
    os.environ.update(env)
    from sqlalchemy import select

    from benchmarks.buyers import member_client
    from store_api import create_app
    from store_api.catalogue.models import Product, ShelfSlot
    from store_api.core.state import state
    from store_api.stock import inventory
    from store_api.stock.locations import centre_location

    app = create_app()
    db = state(app).db
    with db.unit_of_work() as session:
        centre = centre_location(session).id
        products = list(session.scalars(select(Product).order_by(Product.sku)))
        inventory.receive(session, [inventory.StockLine(p.id, centre, 10_000_000)
                                    for p in products], actor="benchmark")
        codes = list(session.scalars(select(ShelfSlot.code).where(
            ShelfSlot.product_id.is_not(None)).order_by(ShelfSlot.code)))
        wanted = [(p.sku, p.moq) for p in products]
    client = member_client(app)
    # Each order is the smallest whole number of MOQs its factory's mixed-batch minimum takes
    # (found by ordering once), so every order of the run is one a buyer could place.
    bodies = []
    for n, (sku, moq) in enumerate(wanted):
        for times in range(1, 200):
            body = json.dumps({"lines": [{"sku": sku, "quantity": moq * times}]})
            answer = client.post("/api/v1/orders", data=body, content_type="application/json",
                                 headers={"Idempotency-Key": f"probe-{n:04d}-{times:04d}"})
            if answer.status_code == 201:
                bodies.append(body)
                break
    cookie = client.get_cookie("session").value
    db.dispose()
    return codes, bodies, cookie


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    postgres = PostgresServer()
    var = Path(tempfile.mkdtemp(prefix="xuanpin-mixed-"))
    url = postgres.create_database("mixed")
    env = {**os.environ, "XUANPIN_PATHS_VAR_DIR": str(var), "XUANPIN_LOG_LEVEL": "WARNING",
           "XUANPIN_DATABASE_URL": url, "XUANPIN_LIMITS_ENABLED": "false",
           "XUANPIN_WORKER_RUN_IN_SERVE": "false", "XUANPIN_DATABASE_POOL_SIZE": "8",
           "XUANPIN_SERVER_WORKERS": str(args.workers),
           "XUANPIN_SERVER_THREADS": str(args.threads)}
    cli = [sys.executable, "-m", "store_api.cli"]
    try:
        for step in ("init", "demo"):
            subprocess.run([*cli, step], env=env, check=True, capture_output=True)
        codes, bodies, cookie = prepare(env)
        import psycopg

        plain = url.replace("postgresql+psycopg", "postgresql")
        with psycopg.connect(plain) as db:
            before = db.execute("SELECT count(*) FROM orders").fetchone()[0]
        script = var / "mixed.lua"
        script.write_text(
            "codes = {" + ", ".join(f'"{c}"' for c in codes) + "}\n"
            "lines = {" + ", ".join(f"[[{b}]]" for b in bodies) + "}\n" + LUA)
        port = free_port()
        server = subprocess.Popen([*cli, "serve", "--port", str(port)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for_port(port)
            time.sleep(1)
            found = wrk(f"http://127.0.0.1:{port}", args.seconds, args.connections,
                        {"Cookie": f"session={cookie}", "Content-Type": "application/json"},
                        script)
        finally:
            server.terminate()
            server.wait(30)
        check = subprocess.run([*cli, "check"], env=env, capture_output=True, text=True)
        with psycopg.connect(plain) as db:
            bad = db.execute("SELECT count(*) FROM stock_levels WHERE on_hand < 0 OR "
                             "reserved < 0 OR reserved > on_hand").fetchone()[0]
            orders = db.execute("SELECT count(*) FROM orders").fetchone()[0] - before
        oversold = "none" if check.returncode == 0 and bad == 0 else (
            f"{bad} levels wrong, check exit {check.returncode}")
        print("| workers × threads | connections | time | requests/s | orders | p50 ms | "
              "p99 ms | non-2xx | oversell |")
        print("|---|---|---|---|---|---|---|---|---|")
        print(f"| {args.workers} × {args.threads} | {args.connections} | {args.seconds} s | "
              f"{found['rps']:.0f} | {orders} ({orders / args.seconds:.0f}/s) | "
              f"{found['p50']:.1f} | {found['p99']:.1f} | {found['errors']} | {oversold} |")
    finally:
        postgres.stop()


if __name__ == "__main__":
    main()
