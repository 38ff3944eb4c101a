"""Checkout on PostgreSQL: orders per second and latency, beside its floor.

    .venv/bin/python benchmarks/checkout.py [--seconds 20] [--connections 16] [--workers 1 2 4]

A throwaway PostgreSQL (tests/support/services.py) holds the demo centre, with 10 million
units of one product in the centre. wrk posts `POST /api/v1/orders` as one known buyer, each
request with an Idempotency-Key of its own, so every request places a real order: stock
reserved with its guard, order, lines, allocations, ledger rows and outbox rows in one
transaction. The floor is the same
gunicorn (gthread, same workers and threads, access log on) running a Flask view that parses
the same JSON and inserts one row in one PostgreSQL transaction. Rate limits are off: every
request comes from one address. The outbox worker does not run, as on a web host.

Needs wrk (Debian package wrk) and the PostgreSQL server (Debian package postgresql).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.services import PostgresServer, free_port, wait_for_port  # noqa: E402

# Each wrk thread numbers its own requests; keys differ between threads and between runs.
THREADS_LUA = """
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
function init(args)
  counter = 0
  prefix = tostring(os.time()) .. "-" .. tostring(id)
end
"""
LUA = THREADS_LUA + """
request = function()
  counter = counter + 1
  wrk.headers["Idempotency-Key"] = prefix .. "-" .. counter .. "-bench"
  return wrk.format("POST", nil, nil, nil)
end
"""


def serve_floor(port: int) -> None:
    """The floor: one JSON body parsed and one row inserted per request, same gunicorn."""
    from flask import Flask, request
    from sqlalchemy import create_engine, text

    from store_api.core.settings import load_settings
    from store_api.serving import StoreServer

    settings = load_settings()

    class Floor(StoreServer):
        def load(self):
            engine = create_engine(settings.database_url, pool_size=settings[
                "database.pool_size"], pool_pre_ping=True)
            app = Flask("floor")

            @app.post("/api/v1/orders")
            def insert():
                body = request.get_json()
                with engine.begin() as connection:
                    connection.execute(text("INSERT INTO floor (key, body) VALUES (:k, :b)"),
                                       {"k": request.headers["Idempotency-Key"],
                                        "b": json.dumps(body)})
                return {"ok": True}, 201

            return app

    Floor(settings, "127.0.0.1", port).run()


def busy_seconds() -> float:
    """CPU time the whole machine has spent busy since boot (Linux /proc/stat)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle and waiting for I/O
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def wrk(url: str, seconds: int, connections: int, headers: dict, script: Path) -> dict:
    flags = [item for name, value in headers.items() for item in ("-H", f"{name}: {value}")]
    busy = busy_seconds()
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script),
         *flags, url], check=True, capture_output=True, text=True).stdout
    unit = {"us": 0.001, "ms": 1.0, "s": 1000.0}

    def latency(label: str) -> float:
        value, suffix = re.search(rf"{label}\s+([\d.]+)(us|ms|s)\b", out).groups()
        return float(value) * unit[suffix]

    busy = busy_seconds() - busy
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "cpu_ms": busy * 1000 / max(requests, 1),
            "p50": latency("50%"), "p99": latency("99%"),
            "errors": int(errors.group(1)) if errors else 0}


def prepare(env: dict) -> tuple[str, dict, str]:
    """Stock one product up and sign a buyer in; return its SKU, headers and body."""
    os.environ.update(env)
    from sqlalchemy import select, text

    from benchmarks.buyers import member_client
    from store_api import create_app
    from store_api.catalogue.models import Product
    from store_api.core.state import state
    from store_api.stock import inventory
    from store_api.stock.locations import centre_location

    app = create_app()
    db = state(app).db
    with db.unit_of_work() as session:
        product = session.scalar(select(Product).order_by(Product.sku))
        inventory.receive(session, [inventory.StockLine(
            product.id, centre_location(session).id, 10_000_000)], actor="benchmark")
        session.execute(text("CREATE TABLE IF NOT EXISTS floor (id bigserial PRIMARY KEY, "
                             "key text UNIQUE, body jsonb)"))
        sku, moq = product.sku, product.moq
    client = member_client(app)
    cookie = client.get_cookie("session").value
    db.dispose()
    body = json.dumps({"lines": [{"sku": sku, "quantity": moq}]})
    return sku, {"Cookie": f"session={cookie}", "Content-Type": "application/json"}, body


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--serve-floor", type=int)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    if args.serve_floor:
        serve_floor(args.serve_floor)
        return

    postgres = PostgresServer()
    var = Path(tempfile.mkdtemp(prefix="xuanpin-checkout-"))
    env = {**os.environ, "XUANPIN_PATHS_VAR_DIR": str(var), "XUANPIN_LOG_LEVEL": "WARNING",
           "XUANPIN_DATABASE_URL": postgres.create_database("bench"),
           "XUANPIN_LIMITS_ENABLED": "false", "XUANPIN_WORKER_RUN_IN_SERVE": "false",
           "XUANPIN_SERVER_THREADS": str(args.threads), "XUANPIN_DATABASE_POOL_SIZE": "8"}
    cli = [sys.executable, "-m", "store_api.cli"]
    try:
        for step in ("init", "demo"):
            subprocess.run([*cli, step], env=env, check=True, capture_output=True)
        _, headers, body = prepare(env)
        script = var / "orders.lua"
        script.write_text(LUA + f"wrk.method = 'POST'\nwrk.body = [[{body}]]\n")
        print("| server | workers × threads | connections | orders/s | p50 ms | p99 ms | "
              "non-2xx | machine CPU ms per order |")
        print("|---|---|---|---|---|---|---|---|")
        for workers in args.workers:
            run_env = {**env, "XUANPIN_SERVER_WORKERS": str(workers)}
            for name in ("floor: parse, insert one row", "checkout"):
                port = free_port()
                command = ([sys.executable, __file__, "--serve-floor", str(port)]
                           if name.startswith("floor") else
                           [*cli, "serve", "--port", str(port)])
                server = subprocess.Popen(command, env=run_env, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL)
                try:
                    wait_for_port(port)
                    time.sleep(1)
                    url = f"http://127.0.0.1:{port}/api/v1/orders"
                    wrk(url, 3, args.connections, headers, script)  # warm up
                    found = wrk(url, args.seconds, args.connections, headers, script)
                finally:
                    server.terminate()
                    server.wait(30)
                print(f"| {name} | {workers} × {args.threads} | {args.connections} | "
                      f"{found['rps']:.0f} | {found['p50']:.1f} | {found['p99']:.1f} | "
                      f"{found['errors']} | {found['cpu_ms']:.1f} |")
    finally:
        postgres.stop()


if __name__ == "__main__":
    main()
