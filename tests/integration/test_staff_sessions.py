"""Staff sign-in done right, on SQLite and PostgreSQL: signing out or a new password ends every
session of the user, the cookie is Secure over https, failed tries lock the account, and an
unknown username costs the same hashing as a known one."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from store_api.core.audit import Actor
from store_api.core.models import utcnow
from store_api.core.state import state
from store_api.staff import auth, models, users
from store_api.staff.models import User
from tests.support.clients import staff_client


def copy_of(app, client):
    """A second browser holding the same session cookie, as saved before."""
    other = app.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    return other


def signed_in(client) -> bool:
    return client.get("/console/counter").status_code == 200


def sign_in(app, username, password):
    return app.test_client().post("/api/v1/session",
                                  json={"username": username, "password": password})


def test_a_cookie_from_before_sign_out_is_refused(app):
    client, _ = staff_client(app, "counter")
    saved = copy_of(app, client)
    assert signed_in(saved)
    assert client.delete("/api/v1/session").status_code == 200
    page = saved.get("/console/counter")
    assert page.status_code == 302 and "/console/login" in page.headers["Location"]
    assert saved.post("/api/v1/orders/AAAAAAAAAA/cancel").status_code == 401
    # Signing in again gives a session that works; the saved one stays void.
    again = sign_in(app, "counter", "staff-pass-01")
    assert again.status_code == 200 and not signed_in(saved)


def test_a_password_reset_ends_every_session_of_the_user(app):
    client, _ = staff_client(app, "warehouse")
    assert signed_in(client)
    with state(app).db.read_session() as session:
        user_id = session.scalar(select(User.id).where(User.username == "warehouse"))
    users.reset_password(state(app).db, user_id, "a-new-pass-02", actor=Actor(None, "admin"))
    assert signed_in(copy_of(app, client)) is False
    assert sign_in(app, "warehouse", "staff-pass-01").status_code == 401
    assert sign_in(app, "warehouse", "a-new-pass-02").status_code == 200


@pytest.mark.parametrize("base, forwarded, hops, secure", [
    ("http://centre.lan", None, 0, False),
    ("https://centre.lan", None, 0, True),
    ("http://centre.lan", "https", 1, True),
    ("http://centre.lan", "https", 0, False),  # a forwarded header nobody trusts says nothing
])
def test_the_session_cookie_is_secure_over_https(make_app, base, forwarded, hops, secure):
    app = make_app(**{"server.proxy_hops": hops})
    with state(app).db.unit_of_work() as session:
        user = User(username="counter", display_name="c", role="staff")
        user.set_password("staff-pass-01")
        session.add(user)
    headers = {"X-Forwarded-Proto": forwarded} if forwarded else {}
    answer = app.test_client().post("/api/v1/session", base_url=base, headers=headers,
                                    json={"username": "counter", "password": "staff-pass-01"})
    assert answer.status_code == 200
    cookie = next(v for k, v in answer.headers.items() if k == "Set-Cookie" and "session=" in v)
    assert ("; Secure" in cookie) is secure
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_failed_tries_lock_the_account_for_a_while(app):
    staff_client(app, "counter")
    for _ in range(5):
        answer = sign_in(app, "counter", "wrong-pass-99")
        assert answer.status_code == 401
    message = answer.json["error"]["message"]
    assert "用户名或密码错误" in message and "5" in message and "15" in message
    # Locked: the right password is refused too, with the same answer as a wrong one.
    locked = sign_in(app, "counter", "staff-pass-01")
    assert (locked.status_code, locked.json["error"]["message"]) == (401, message)
    state(app).clock.now = utcnow() + timedelta(minutes=15, seconds=1)
    assert sign_in(app, "counter", "staff-pass-01").status_code == 200
    # A success clears the count: four more failures do not lock.
    for _ in range(4):
        sign_in(app, "counter", "wrong-pass-99")
    assert sign_in(app, "counter", "staff-pass-01").status_code == 200


def test_another_accounts_failures_do_not_lock_this_one(app):
    staff_client(app, "counter")
    staff_client(app, "warehouse")
    for _ in range(6):
        sign_in(app, "warehouse", "wrong-pass-99")
    assert sign_in(app, "counter", "staff-pass-01").status_code == 200
    assert sign_in(app, "warehouse", "staff-pass-01").status_code == 401


def test_unknown_and_known_usernames_take_the_same_path_through_the_hash(app, monkeypatch):
    staff_client(app, "counter")
    checked: list[str] = []
    real = models.check_password_hash

    def counted(stored, password):
        checked.append(stored.split("$", 1)[0])  # the method and its cost, such as scrypt:32768:8:1
        return real(stored, password)

    monkeypatch.setattr(models, "check_password_hash", counted)
    monkeypatch.setattr(auth, "check_password_hash", counted)
    assert sign_in(app, "nobody-here", "wrong-pass-99").status_code == 401
    assert sign_in(app, "counter", "wrong-pass-99").status_code == 401
    assert len(checked) == 2 and checked[0] == checked[1] and checked[0].startswith("scrypt")
