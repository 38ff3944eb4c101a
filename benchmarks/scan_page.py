"""Scan page throughput beside its floor: a Flask hello-world under the same gunicorn settings.

Both servers are `store_api.serving.StoreServer` (gthread, the configured workers and threads,
access log on); only the app differs. wrk drives each in turn from the same machine. The scan
page is measured twice: as a phone with no cart or buyer sees it (the first scan of a visit),
and as a known buyer with a cart sees it (priced for them, never cached).

    .venv/bin/python benchmarks/scan_page.py [--seconds 15] [--connections 50] [--workers 1]

Needs wrk (Debian package wrk). Prints a Markdown table row per server.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.services import free_port, wait_for_port  # noqa: E402


def serve(kind: str, port: int) -> None:
    """Run one server in this process: the store, or the hello-world floor."""
    from flask import Flask

    from store_api.core.settings import load_settings
    from store_api.serving import StoreServer

    class Floor(StoreServer):
        def load(self):
            app = Flask("floor")
            app.add_url_rule("/", view_func=lambda: "hello")
            return app

    settings = load_settings()
    (StoreServer if kind == "store" else Floor)(settings, "127.0.0.1", port).run()


def wrk(url: str, seconds: int, connections: int, cookie: str = "") -> dict[str, float]:
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", *headers, url],
        check=True, capture_output=True, text=True,
    ).stdout
    unit = {"us": 0.001, "ms": 1.0, "s": 1000.0}

    def latency(label: str) -> float:
        value, suffix = re.search(rf"{label}\s+([\d.]+)(us|ms|s)\b", out).groups()
        return float(value) * unit[suffix]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": latency("50%"),
        "p99": latency("99%"),
        "errors": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "none",
    }


def known_buyer(env: dict[str, str]) -> tuple[str, str]:
    """Return a slot code and the cookie of a buyer with that slot's product in the cart."""
    os.environ.update(env)
    import sqlite3

    from benchmarks.buyers import member_client
    from store_api import create_app

    var = Path(env["XUANPIN_PATHS_VAR_DIR"])
    code, sku, moq = sqlite3.connect(var / "xuanpin.db").execute(
        "SELECT s.code, p.sku, p.moq FROM shelf_slots s JOIN products p ON p.id = s.product_id "
        "ORDER BY s.id LIMIT 1").fetchone()
    client = member_client(create_app())
    client.post("/api/v1/cart/lines", json={"sku": sku, "quantity": moq})
    return code, f"session={client.get_cookie('session').value}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--serve", choices=["store", "floor"])
    parser.add_argument("--port", type=int)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port)
        return
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (apt-get install wrk)")

    var = Path(tempfile.mkdtemp(prefix="xuanpin-bench-"))
    env = {**os.environ, "XUANPIN_PATHS_VAR_DIR": str(var), "XUANPIN_LOG_LEVEL": "WARNING",
           # All load comes from one address, which the per-address limits would stop.
           "XUANPIN_LIMITS_ENABLED": "false",
           "XUANPIN_SERVER_WORKERS": str(args.workers), "XUANPIN_SERVER_THREADS": str(args.threads),
           "XUANPIN_WORKER_RUN_IN_SERVE": "false"}
    cli = [sys.executable, "-m", "store_api.cli"]
    subprocess.run([*cli, "init"], env=env, check=True, capture_output=True)
    subprocess.run([*cli, "demo"], env=env, check=True, capture_output=True)
    code, cookie = known_buyer(env)

    print("| server | workers × threads | connections | requests/s | p50 ms | p99 ms | non-2xx |")
    print("|---|---|---|---|---|---|---|")
    runs = (("hello-world floor", "floor", "/", ""),
            ("scan page, new phone", "store", f"/s/{code}", ""),
            ("scan page, buyer with a cart", "store", f"/s/{code}", cookie))
    for name, kind, path, with_cookie in runs:
        port = free_port()
        process = subprocess.Popen([sys.executable, __file__, "--serve", kind, "--port", str(port)],
                                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for_port(port)
            time.sleep(1)
            wrk(f"http://127.0.0.1:{port}{path}", 3, args.connections, with_cookie)  # warm up
            result = wrk(f"http://127.0.0.1:{port}{path}", args.seconds, args.connections,
                         with_cookie)
        finally:
            process.terminate()
            process.wait(20)
        print(f"| {name} | {args.workers} × {args.threads} | {args.connections} | "
              f"{result['rps']:.0f} | "
              f"{result['p50']:.1f} | {result['p99']:.1f} | {result['errors']} |")
    shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
