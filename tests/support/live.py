"""Helpers of the tests that run the real server: a demo centre, buyers over HTTP, an event
stream read as it arrives."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import uuid

import requests

CLI = [sys.executable, "-m", "store_api.cli"]


def demo_centre(tmp_path, **env) -> dict:
    """Load the demo centre with these settings; return the environment that reaches it."""
    env = {"XUANPIN_PATHS_VAR_DIR": str(tmp_path / "var"), "XUANPIN_LOG_LEVEL": "WARNING",
           **env}
    for step in ("init", "demo"):
        subprocess.run([*CLI, step], env={**os.environ, **env}, check=True,
                       capture_output=True)
    return env


# Load and fault tests send many orders from a few guests; what one guest may hold unpaid is
# tested on its own (test_holds.py), so these lift it.
NO_GUEST_HOLD_LIMITS = {"XUANPIN_HOLDS_GUEST_ORDERS": "1000000",
                        "XUANPIN_HOLDS_GUEST_VALUE": "1000000000.0",
                        "XUANPIN_HOLDS_GUEST_PRODUCT_PERCENT": "100"}


def buyer_session(url: str, phone: str) -> requests.Session:
    session = requests.Session()
    answer = session.post(f"{url}/api/v1/buyer", timeout=10, headers={"Connection": "close"},
                          json={"phone": phone, "name": "测试", "business_type": "shop"})
    assert answer.ok, answer.text
    return session


def signed_in_session(server, phone: str, *, name: str, business_type: str = "shop"
                      ) -> requests.Session:
    """A buyer's HTTP session that proved its phone with the code the server's `log` sender
    wrote, with a new account's details filled in."""
    session = requests.Session()
    url = server.url
    assert session.post(f"{url}/api/v1/buyer/code", timeout=10, json={"phone": phone}).ok
    proved = session.post(f"{url}/api/v1/buyer/session", timeout=10,
                          json={"phone": phone, "code": server.texted_code(phone)})
    assert proved.ok, proved.text
    if not proved.json()["name"]:
        assert session.put(f"{url}/api/v1/buyer", timeout=10, json={
            "name": name, "business_type": business_type}).ok
    return session


def order(session: requests.Session, url: str, sku: str, quantity: int, key: str | None = None):
    return session.post(f"{url}/api/v1/orders", timeout=15,
                        headers={"Idempotency-Key": key or uuid.uuid4().hex},
                        json={"lines": [{"sku": sku, "quantity": quantity}]})


class EventListener:
    """Reads a zone screen's event stream in a thread and keeps every event's data."""

    def __init__(self, url: str):
        self.events: list[dict] = []
        self.response = requests.get(url, stream=True, timeout=(5, 120))
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            for line in self.response.iter_lines(decode_unicode=True):
                if line and line.startswith("data:"):
                    self.events.append(json.loads(line[5:]))
        except (requests.RequestException, AttributeError):
            pass  # closed by the test; urllib3 drops its file object on close

    def close(self) -> None:
        self.response.close()
