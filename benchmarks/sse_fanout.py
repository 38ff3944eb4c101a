"""Event-stream fan-out: N clients hold a zone screen's stream open on `xuanpin streams`
(gunicorn, gevent worker, Redis); one update is published; how long until each client has it,
and how much memory each open stream costs. Beside it, the floor: a bare gevent WSGI app under
the same gunicorn settings that fans one Redis subscription out to the same clients; both with
1, 2 and 4 worker processes. And, for the choice of worker class, `xuanpin serve` (gthread)
under the same load.

    .venv/bin/python benchmarks/sse_fanout.py [--clients 1000] [--rounds 3] [--workers 1 2 4]
"""

from __future__ import annotations

import argparse
import json
import os
import selectors
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import redis  # noqa: E402

from tests.support.services import RedisServer, free_port, wait_for_port  # noqa: E402

PATH = "/display/bestseller/events"


def rss_kib(pid: int) -> int:
    """Resident memory of a process and its children (the gunicorn workers), in KiB."""
    total = 0
    for each in [pid, *children(pid)]:
        for line in Path(f"/proc/{each}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def children(pid: int) -> list[int]:
    found = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True,
                           text=True).stdout.split()
    return [int(p) for p in found]


class Clients:
    """N raw HTTP connections holding an event stream open, read from one selector."""

    def __init__(self, port: int, count: int):
        self.selector = selectors.DefaultSelector()
        self.buffers: dict[socket.socket, bytes] = {}
        request = (f"GET {PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                   "Accept: text/event-stream\r\n\r\n").encode()
        for _ in range(count):
            sock = socket.create_connection(("127.0.0.1", port))
            sock.sendall(request)
            sock.setblocking(False)
            self.selector.register(sock, selectors.EVENT_READ)
            self.buffers[sock] = b""

    def read_until(self, marker: bytes, timeout: float,
                   refused_too: bool = False) -> dict[socket.socket, float]:
        """Read every stream until each has shown `marker` once more (or, with refused_too,
        was refused with 503); return when each did."""
        seen: dict[socket.socket, float] = {}
        start = {sock: len(data) for sock, data in self.buffers.items()}
        deadline = time.perf_counter() + timeout
        while len(seen) < len(self.buffers) and time.perf_counter() < deadline:
            for key, _ in self.selector.select(timeout=0.05):
                sock = key.fileobj
                try:
                    chunk = sock.recv(65536)
                except BlockingIOError:
                    continue
                now = time.perf_counter()
                self.buffers[sock] += chunk
                fresh = self.buffers[sock][start[sock]:]
                if sock not in seen and (marker in fresh or (
                        refused_too and b" 503 " in self.buffers[sock][:20])):
                    seen[sock] = now
                if not chunk:
                    self.selector.unregister(sock)
        return seen

    def refused(self) -> int:
        return sum(1 for data in self.buffers.values() if b" 503 " in data[:20])

    def close(self) -> None:
        for sock in self.buffers:
            sock.close()


def measure(name: str, command: list[str], env: dict, port: int, redis_url: str, count: int,
            rounds: int, channel: str) -> dict:
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, timeout=60)
        time.sleep(1.0)
        before = rss_kib(server.pid)
        started = time.perf_counter()
        clients = Clients(port, count)
        answered = clients.read_until(b"retry:", timeout=60, refused_too=True)
        opened = {sock for sock in answered if b"retry:" in clients.buffers[sock]}
        connect_s = time.perf_counter() - started
        time.sleep(1.0)
        after = rss_kib(server.pid)
        publisher = redis.Redis.from_url(redis_url)
        latencies: list[float] = []
        served = 0
        for _ in range(rounds):
            sent = time.perf_counter()
            publisher.publish(channel, json.dumps({"number": "BENCH", "products": []}))
            arrived = clients.read_until(b"event: changed", timeout=10 if opened else 0)
            latencies = [1000 * (t - sent) for t in arrived.values()]
            served = len(arrived)
            time.sleep(0.5)
        clients.close()
        latencies.sort()
        return {
            "name": name, "clients": count, "opened": len(opened),
            "refused_503": clients.refused(), "served": served, "connect_s": connect_s,
            "median_ms": statistics.median(latencies) if latencies else None,
            "p99_ms": latencies[int(0.99 * (len(latencies) - 1))] if latencies else None,
            "kib_per_stream": (after - before) / max(1, len(opened)),
        }
    finally:
        server.send_signal(signal.SIGINT)  # gunicorn's quick shutdown: streams need not end
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(5)


def report(result: dict) -> None:
    """Print one row of the results table."""
    served = f"{result['served']:,} of {result['clients']:,}"
    if result["refused_503"]:
        served += f" ({result['refused_503']:,} told to poll with 503)"
    if not result["served"]:
        print(f"| {result['name']} | {served} | – | – | – | {result['connect_s']:.1f} s |")
        return
    print(f"| {result['name']} | {served} | {result['median_ms']:.1f} ms | "
          f"{result['p99_ms']:.1f} ms | {result['kib_per_stream']:.0f} KiB | "
          f"{result['connect_s']:.1f} s |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    args = parser.parse_args()
    redis_server = RedisServer()
    try:
        var = Path(tempfile.mkdtemp()) / "var"
        env = {**os.environ, "XUANPIN_PATHS_VAR_DIR": str(var),
               "XUANPIN_REDIS_URL": redis_server.url, "XUANPIN_LOG_LEVEL": "WARNING",
               "XUANPIN_LIMITS_ENABLED": "false"}
        python = [sys.executable, "-m", "store_api.cli"]
        for step in ("init", "demo"):
            subprocess.run([*python, step], env=env, check=True, capture_output=True)
        print("| server | clients served | median | p99 | memory per open stream | "
              "all opened in |")
        print("|---|---|---|---|---|---|")
        for workers in args.workers:
            port = free_port()
            report(measure(f"`xuanpin streams` (gevent, {workers} × 2,000 connections)",
                           [*python, "streams", "--port", str(port)],
                           {**env, "XUANPIN_STREAMS_WORKERS": str(workers)}, port,
                           redis_server.url, args.clients, args.rounds, "xuanpin:orders"))
            port = free_port()
            floor = [sys.executable, "-m", "gunicorn", "-k", "gevent", "-w", str(workers),
                     "--reuse-port", "--worker-connections", "2000", "-b",
                     f"127.0.0.1:{port}", "benchmarks.sse_floor:app"]
            report(measure(f"floor: bare gevent WSGI stream ({workers} × 2,000 connections)",
                           floor, {**env, "PYTHONPATH": str(ROOT)}, port, redis_server.url,
                           args.clients, args.rounds, "xuanpin:orders"))
        port = free_port()
        report(measure("`xuanpin serve` (gthread, 1 worker × 8 threads)",
                       [*python, "serve", "--port", str(port)],
                       {**env, "XUANPIN_WORKER_RUN_IN_SERVE": "false"}, port, redis_server.url,
                       args.clients, 1, "xuanpin:orders"))
    finally:
        redis_server.stop()


if __name__ == "__main__":
    main()
