"""Test clients signed in as staff of each role, and as a factory in its portal."""

from __future__ import annotations

import re

from store_api.core.state import state
from store_api.staff.models import User
from tests.support.consignment import PORTAL_PASSWORD


def staff_client(app, username: str = "staffer"):
    """Return a test client signed in as a new staff user, and a CSRF token for its forms."""
    from store_api.staff.models import User

    with state(app).db.unit_of_work() as session:
        user = User(username=username, display_name=username, role="staff")
        user.set_password("staff-pass-01")
        session.add(user)
    client = app.test_client()
    assert client.post("/api/v1/session", json={"username": username,
                                                "password": "staff-pass-01"}).status_code == 200
    page = client.get("/console/labels").get_data(as_text=True)
    return client, page.split('name="csrf_token" value="')[1].split('"')[0]


def sign_in(app, role: str, username: str | None = None, factory_id: int | None = None):
    """A test client signed in with a new user of this role, CSRF checks left on."""
    username = username or f"{role}-user"
    with state(app).db.unit_of_work() as session:
        user = User(username=username, display_name=username, role=role, factory_id=factory_id)
        user.set_password("a-good-pass-01")
        session.add(user)
    client = app.test_client()
    page = client.get("/console/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = client.post("/console/login", data={"username": username,
                                                 "password": "a-good-pass-01",
                                                 "csrf_token": token})
    assert answer.status_code == 303
    client.csrf_token = token
    return client


def portal_client(app, side):
    """Return a test client signed in to the portal as a side's user, and a CSRF token."""
    client = app.test_client()
    login = client.get("/console/login").get_data(as_text=True)
    signed_in = client.post("/console/login", data={
        "username": side.username, "password": PORTAL_PASSWORD, "csrf_token": _csrf(login)})
    assert signed_in.status_code == 303 and signed_in.headers["Location"].endswith("/portal/")
    return client, _csrf(client.get("/portal/").get_data(as_text=True))


def _csrf(page: str) -> str:
    return page.split('name="csrf_token" value="')[1].split('"')[0]
