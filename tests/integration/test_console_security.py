"""Every console route against every kind of caller: anonymous browsers go to sign-in, API
clients get 401, forms without their CSRF token are refused, and each role reaches exactly
what it may."""


import pytest

from store_api.core.state import state
from store_api.staff.auth import STAFF_ROLES
from store_api.staff.models import User
from tests.support.clients import sign_in

# Routes for managers and admins, and for admins alone; everything else in the console is open
# to all staff. Listed here so that a route losing its guard fails this test.
MANAGER_ONLY = {
    "console.new_product", "console.edit_product",
    "console.create_product", "console.save_product", "console.add_picture",
    "console.remove_picture", "console.export_products", "console.import_page",
    "console.check_import", "console.apply_import", "console.adjust", "console.reports",
    "console.report", "console.report_csv", "console.audit_log", "console.add_slot",
    "console.assign_slot", "console.retire_slot", "console.save_terms", "api.set_membership",
}
ADMIN_ONLY = {
    "console.factories_page", "console.create_factory", "console.factory_page",
    "console.save_factory", "console.issue_token", "console.revoke_token",
    "console.set_webhook", "console.clear_webhook", "console.add_portal_user",
    "console.users_page", "console.add_user", "console.set_user_active",
    "console.reset_password",
}
# Signing in and out is for everyone (signing out still needs the form's CSRF token).
OPEN = {"console.login", "console.logout"}
SAMPLE = {"number": "X0000000", "group": 1, "job": 1, "forward": 1, "sku": "NO-SUCH-SKU",
          "image": 1, "kind": "csv", "name": "sales", "screen": 1, "zone": "bestseller",
          "direction": "up", "code": "NO-SUCH", "user": 1, "message_id": "msg_nothing",
          "buyer_id": 1}




def console_routes(app):
    """(endpoint, method, url) of every console route, with sample values in its URL."""
    adapter = app.url_map.bind("localhost")
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("console.") or rule.endpoint in OPEN:
            continue
        url = adapter.build(rule.endpoint, {arg: SAMPLE[arg] for arg in rule.arguments})
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((rule.endpoint, method, url))
    return routes


@pytest.fixture
def routes(sqlite_app):
    found = console_routes(sqlite_app)
    assert len(found) > 40
    return found


def test_every_route_sends_an_anonymous_browser_to_sign_in(sqlite_app, routes):
    client = sqlite_app.test_client()
    sqlite_app.config["WTF_CSRF_ENABLED"] = False  # so a POST reaches the sign-in check
    # A browser's Accept, and curl's */*, which names no JSON: both asked for a page.
    for accept in ("text/html,*/*;q=0.8", "*/*"):
        for endpoint, method, url in routes:
            answer = client.open(url, method=method, headers={"Accept": accept})
            assert answer.status_code == 302, (endpoint, method, accept, answer.status_code)
            location = answer.headers["Location"]
            assert location.startswith("/console/login?next="), endpoint
            assert not location.endswith(("?", "%3F")), (endpoint, location)


def test_sign_in_comes_back_to_the_page_asked_for(sqlite_app):
    client = sqlite_app.test_client()
    for url, location in (
            ("/console/", "/console/login?next=/console/"),
            ("/console/counter?number=X1", "/console/login?next=/console/counter?number%3DX1"),
            ("/portal/", "/console/login?next=/portal/")):
        answer = client.get(url, headers={"Accept": "*/*"})
        assert answer.status_code == 302 and answer.headers["Location"] == location, (
            url, answer.status_code, answer.headers.get("Location"))


def test_every_route_answers_an_api_client_with_401(sqlite_app, routes):
    client = sqlite_app.test_client()
    sqlite_app.config["WTF_CSRF_ENABLED"] = False
    for endpoint, method, url in routes:
        for accept in ("application/json", "application/json, text/plain, */*"):
            answer = client.open(url, method=method, headers={"Accept": accept})
            assert answer.status_code == 401, (endpoint, method, accept)
            assert answer.get_json()["error"]["code"] == "unauthorised"


def test_a_form_without_its_csrf_token_is_refused_everywhere(sqlite_app, routes):
    client = sign_in(sqlite_app, "admin")
    posts = [(endpoint, url) for endpoint, method, url in routes if method == "POST"]
    assert len(posts) > 20
    for endpoint, url in posts:
        answer = client.post(url, data={"quantity": "1", "code": "x"})
        assert answer.status_code == 400, endpoint
    refused = client.post("/console/logout")
    assert refused.status_code == 400
    assert client.get("/console/counter").status_code == 200  # still signed in


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_each_role_reaches_exactly_what_it_may(sqlite_app, routes, role):
    sqlite_app.config["WTF_CSRF_ENABLED"] = False
    client = sign_in(sqlite_app, role)
    for endpoint, method, url in routes:
        answer = client.open(url, method=method, headers={"Accept": "text/html"})
        forbidden = (role == "staff" and endpoint in MANAGER_ONLY) or (
            role != "admin" and endpoint in ADMIN_ONLY)
        assert (answer.status_code == 403) == forbidden, (role, endpoint, method,
                                                           answer.status_code)
        assert answer.status_code != 401, (role, endpoint)
        assert "/console/login" not in answer.headers.get("Location", ""), (role, endpoint)


def test_the_guards_on_the_views_match_the_list(sqlite_app):
    def declared(role):
        return {endpoint for endpoint, view in sqlite_app.view_functions.items()
                if getattr(view, "required_role", None) == role}

    assert declared("manager") == MANAGER_ONLY
    assert declared("admin") == ADMIN_ONLY


def test_a_factory_user_is_kept_out_of_the_console(sqlite_app, routes, make_product):
    with state(sqlite_app).db.unit_of_work() as session:
        factory_id = make_product(session)[0].factory_id
    client = sign_in(sqlite_app, "factory", factory_id=factory_id)
    sqlite_app.config["WTF_CSRF_ENABLED"] = False
    for endpoint, method, url in routes:
        answer = client.open(url, method=method, headers={"Accept": "text/html"})
        assert answer.status_code == 403, endpoint


def test_an_idle_sign_in_ends(make_app, monkeypatch):
    import store_api.staff.auth as auth

    app = make_app(**{"console.idle_minutes": 5})
    client = sign_in(app, "staff")
    assert client.get("/console/counter").status_code == 200
    real = auth.time.time
    monkeypatch.setattr(auth.time, "time", lambda: real() + 6 * 60)
    answer = client.get("/console/counter", headers={"Accept": "text/html"})
    assert answer.status_code == 302 and "/console/login" in answer.headers["Location"]
    monkeypatch.setattr(auth.time, "time", lambda: real() + 12 * 60)
    assert client.get("/console/counter").status_code == 302  # still signed out


def test_failed_sign_ins_are_limited_per_address_and_good_ones_are_not_counted(make_app):
    app = make_app(**{"console.login_limit": "3 per minute", "limits.enabled": True})
    app.config["WTF_CSRF_ENABLED"] = False
    with state(app).db.unit_of_work() as session:
        user = User(username="amy", display_name="Amy", role="staff")
        user.set_password("right-pass-01")
        session.add(user)
    client = app.test_client()
    for _ in range(5):  # good sign-ins do not use the allowance
        assert client.post("/console/login", data={"username": "amy",
                                                   "password": "right-pass-01"}).status_code == 303
    for _ in range(3):
        assert client.post("/console/login", data={"username": "amy",
                                                   "password": "wrong"}).status_code == 401
    blocked = client.post("/console/login", data={"username": "amy", "password": "right-pass-01"})
    assert blocked.status_code == 429
    api = [client.post("/api/v1/session", json={"username": "amy", "password": "wrong"})
           for _ in range(4)]
    assert [answer.status_code for answer in api] == [401, 401, 401, 429]
    assert api[-1].get_json()["error"]["code"] == "too_many_requests"


def test_checkouts_and_slot_lookups_are_limited_per_address(make_app):
    app = make_app(**{"limits.enabled": True, "limits.checkout": "2 per minute",
                      "limits.slot_lookup": "3 per minute"})
    client = app.test_client()
    lookups = [client.get("/api/v1/slots/NOSUCHCODE").status_code for _ in range(4)]
    assert lookups == [404, 404, 404, 429]
    assert client.get("/s/NOSUCHCODE").status_code == 404  # each route keeps its own count
    orders = [client.post("/api/v1/orders", json={}, headers={"Idempotency-Key": "k" * 10})
              for _ in range(3)]
    assert [o.status_code for o in orders][-1] == 429
    assert orders[-1].get_json()["error"]["code"] == "too_many_requests"
    other = app.test_client()
    answer = other.get("/api/v1/slots/NOSUCHCODE", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert answer.status_code == 404  # another address has its own allowance
