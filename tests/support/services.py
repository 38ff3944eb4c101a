"""Real servers for the tests: PostgreSQL and Redis started on 127.0.0.1, or a skip with a reason.

With XUANPIN_REQUIRE_SERVICES=1 (as in CI) a missing server fails the test instead of skipping it.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest


def services_required() -> bool:
    """Tell whether a missing server must fail rather than skip."""
    return os.environ.get("XUANPIN_REQUIRE_SERVICES") == "1"


def unavailable(reason: str):
    """Skip with the reason, or fail when services are required."""
    if services_required():
        pytest.fail(f"required service missing: {reason}")
    pytest.skip(reason)


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 20.0) -> None:
    """Wait until something accepts connections on 127.0.0.1:port."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on port {port} after {timeout}s")


class RedisServer:
    """A throwaway redis-server without persistence."""

    def __init__(self, port: int | None = None):
        binary = shutil.which("redis-server")
        if binary is None:
            unavailable("redis-server is not installed (Debian package redis-server)")
        self.port = port or free_port()
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


class PostgresServer:
    """A throwaway PostgreSQL cluster in a temporary folder, run as the postgres user under root."""

    def __init__(self):
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            unavailable("PostgreSQL server is not installed (Debian package postgresql)")
        self.bin = Path(found[-1]).parent
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="xuanpin-pg-"))
        self.run_as: list[str] = []
        if os.geteuid() == 0:
            # PostgreSQL refuses to run as root; Debian's package made the postgres user.
            try:
                user = pwd.getpwnam("postgres")
            except KeyError:
                unavailable("running as root and there is no postgres user to run PostgreSQL")
            os.chown(self.dir, user.pw_uid, user.pw_gid)
            self.dir.chmod(0o700)
            self.run_as = ["runuser", "-u", "postgres", "--"]
        data = self.dir / "data"
        self._run("initdb", "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                  "--locale", "C.UTF-8")
        self._options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        self._run("pg_ctl", "-D", str(data), "-l", str(self.dir / "log"), "-w", "start", "-o",
                  self._options)
        self.data = data

    def restart(self) -> None:
        """Stop (ending every connection) and start again on the same port."""
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.dir / "log"), "-m", "fast",
                  "-w", "restart", "-o", self._options)

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run([*self.run_as, str(self.bin / tool), *args], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def create_database(self, name: str) -> str:
        """Create an empty database and return its SQLAlchemy URL."""
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres",
                             dbname="postgres", autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)


class StoreServer:
    """`xuanpin serve` (gunicorn) in a child process on a free port, with settings from env.

    Rate limits are off unless env turns them on: every request of a test comes from
    127.0.0.1, which a real centre's many phones do not.
    """

    def __init__(self, env: dict[str, str], port: int | None = None):
        import re
        import sys

        self.port = port or free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "store_api.cli", "serve", "--port", str(self.port)],
            env={**os.environ, "XUANPIN_LIMITS_ENABLED": "false", **env},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        printed = ""
        while "readyz" not in printed:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError(f"xuanpin serve stopped:\n{printed}")
            printed += line
        wait_for_port(self.port)
        self.url = f"http://127.0.0.1:{self.port}"
        found = re.search(r"http://\S+/s/\w+", printed)
        self.scan_url = found[0] if found else None
        # Keep reading the log so a full pipe never blocks the server; its lines are kept for
        # what a test reads from them (the `log` SMS sender's codes).
        self.lines: list[str] = []
        self._drain = threading.Thread(target=self._read, daemon=True)
        self._drain.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)

    def texted_code(self, phone: str, timeout: float = 30.0) -> str:
        """Wait for the `log` sender's line of a code to a phone; return the latest code."""
        import re
        import time

        deadline = time.monotonic() + timeout
        pattern = re.compile(rf"sms code for {phone}: (\d{{6}})")
        while time.monotonic() < deadline:
            found = [m[1] for line in list(self.lines) if (m := pattern.search(line))]
            if found:
                return found[-1]
            time.sleep(0.05)
        raise AssertionError(f"no code texted to {phone} within {timeout} s")

    def stop(self) -> None:
        # SIGINT is gunicorn's quick shutdown: open event streams need not run out first.
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


class ListeningPrinter:
    """A stand-in for a network receipt printer: accepts TCP connections and keeps the bytes."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.received: list[bytes] = []
        self.connections = 0
        self._server = socket.create_server(("127.0.0.1", self.port))
        self._server.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._server.accept()
            except TimeoutError:
                continue
            self.connections += 1
            chunks = []
            with connection:
                connection.settimeout(5)
                while data := connection.recv(65536):
                    chunks.append(data)
            self.received.append(b"".join(chunks))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._server.close()


class LocalHttpServer:
    """An HTTP server of a test on a free port of 127.0.0.1, answering in a thread."""

    def __init__(self, handler) -> None:
        from http.server import ThreadingHTTPServer

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def quiet_handler():
    """A request handler class that keeps the test's output free of access lines."""
    from http.server import BaseHTTPRequestHandler

    class Quiet(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

    return Quiet


class WebhookReceiver(LocalHttpServer):
    """A factory's webhook endpoint on 127.0.0.1 that verifies every delivery.

    Each verified delivery's webhook-id and Host header are recorded before answering. The first
    `fail_first` deliveries get `fail_status`; the first `slow_first` wait `delay` seconds before
    answering.
    """

    def __init__(self, secret: str, *, fail_first: int = 0, fail_status: int = 503,
                 slow_first: int = 0, delay: float = 0.0):
        from standardwebhooks.webhooks import Webhook

        receiver = self
        self.ids: list[str] = []
        self.bodies: list[dict] = []
        self.hosts: list[str] = []
        self.rejected = 0
        verifier = Webhook(secret)

        class Handler(quiet_handler()):
            def do_POST(self):  # noqa: N802 - the name http.server calls
                data = self.rfile.read(int(self.headers["Content-Length"]))
                try:
                    parsed = verifier.verify(data, {k.lower(): v for k, v in self.headers.items()})
                except Exception:  # noqa: BLE001 - any failure to verify is a refusal
                    receiver.rejected += 1
                    self.send_response(400)
                    self.end_headers()
                    return
                receiver.ids.append(self.headers["webhook-id"])
                receiver.bodies.append(parsed)
                receiver.hosts.append(self.headers["Host"])
                seen = len(receiver.ids)
                if seen <= slow_first:
                    time.sleep(delay)
                self.send_response(fail_status if seen <= fail_first else 200)
                self.end_headers()
                self.wfile.write(b"{}")

        super().__init__(Handler)
        self.url += "/hooks"


class TlsListener:
    """A TLS server on 127.0.0.1 with a self-signed certificate, which no client trusts: it
    records the host name each client asks for (SNI) and ends every connection."""

    def __init__(self) -> None:
        import ssl
        from datetime import UTC, datetime, timedelta

        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID

        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
        now = datetime.now(UTC)
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                .public_key(key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(now - timedelta(days=1))
                .not_valid_after(now + timedelta(days=1))
                .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]),
                               critical=False)
                .sign(key, hashes.SHA256()))
        folder = Path(tempfile.mkdtemp(prefix="xuanpin-tls-"))
        (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        (folder / "key.pem").write_bytes(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
        shutil.rmtree(folder)
        self.names: list[str | None] = []
        self.context.sni_callback = lambda _sock, asked, _context: self.names.append(asked)
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"https://127.0.0.1:{self.sock.getsockname()[1]}"
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        import ssl

        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return  # stopped
            try:
                self.context.wrap_socket(conn, server_side=True).close()
            except (ssl.SSLError, OSError):
                conn.close()  # the client refused the certificate

    def stop(self) -> None:
        self.sock.close()
        self._thread.join(5)


class SmsService(LocalHttpServer):
    """Alibaba Cloud SMS's SendSms on 127.0.0.1, for the SDK pointed at it by
    sms.aliyun_endpoint: records each request's headers and parameters; the first `fail_first`
    answer 503."""

    def __init__(self, *, fail_first: int = 0):
        import json
        from urllib.parse import parse_qs, urlsplit

        service = self
        self.requests: list[dict] = []
        self.fail_first = fail_first

        class Handler(quiet_handler()):
            def do_POST(self):  # noqa: N802 - the name http.server calls
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                query = parse_qs(urlsplit(self.path).query) | parse_qs(body)
                service.requests.append({
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "params": {k: v[0] for k, v in query.items()}})
                failing = len(service.requests) <= service.fail_first
                answer = json.dumps({"Code": "OK", "Message": "OK", "BizId": "900001",
                                     "RequestId": f"req-{len(service.requests)}"}).encode()
                self.send_response(503 if failing else 200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        super().__init__(Handler)
