"""Scan page throughput beside its floor: a Flask hello-world under the same gunicorn settings.

Both servers are `store_api.serving.StoreServer` (gthread, the configured workers and threads,
access log on); only the app differs. wrk drives each in turn from the same machine.

    .venv/bin/python benchmarks/scan_page.py [--seconds 15] [--connections 16] [--workers 1]

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

from tests.services import free_port, wait_for_port  # noqa: E402


def serve(kind: str, port: int) -> None:
    """Run one server in this process: the store, or the hello-world floor."""
    from flask import Flask

    from store_api.serving import StoreServer
    from store_api.settings import load_settings

    class Floor(StoreServer):
        def load(self):
            app = Flask("floor")
            app.add_url_rule("/", view_func=lambda: "hello")
            return app

    settings = load_settings()
    (StoreServer if kind == "store" else Floor)(settings, "127.0.0.1", port).run()


def wrk(url: str, seconds: int, connections: int) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--serve", choices=["store", "floor"])
    parser.add_argument("--port", type=int)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port)
        return
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (apt-get install wrk)")

    var = Path(tempfile.mkdtemp(prefix="xuanpin-bench-"))
    env = {**os.environ, "XUANPIN_PATHS_VAR_DIR": str(var), "XUANPIN_LOG_LEVEL": "WARNING",
           "XUANPIN_SERVER_WORKERS": str(args.workers), "XUANPIN_WORKER_RUN_IN_SERVE": "false"}
    cli = [sys.executable, "-m", "store_api.cli"]
    subprocess.run([*cli, "init"], env=env, check=True, capture_output=True)
    subprocess.run([*cli, "demo"], env=env, check=True, capture_output=True)
    import sqlite3

    code = sqlite3.connect(var / "xuanpin.db").execute(
        "SELECT code FROM shelf_slots ORDER BY id LIMIT 1").fetchone()[0]

    print("| server | workers | connections | requests/s | p50 ms | p99 ms | non-2xx |")
    print("|---|---|---|---|---|---|---|")
    for kind, path in (("floor", "/"), ("store", f"/s/{code}")):
        port = free_port()
        process = subprocess.Popen([sys.executable, __file__, "--serve", kind, "--port", str(port)],
                                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for_port(port)
            time.sleep(1)
            wrk(f"http://127.0.0.1:{port}{path}", 3, args.connections)  # warm up
            result = wrk(f"http://127.0.0.1:{port}{path}", args.seconds, args.connections)
        finally:
            process.terminate()
            process.wait(20)
        name = "hello-world floor" if kind == "floor" else "scan page /s/<code>"
        print(f"| {name} | {args.workers} | {args.connections} | {result['rps']:.0f} | "
              f"{result['p50']:.1f} | {result['p99']:.1f} | {result['errors']} |")
    shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
