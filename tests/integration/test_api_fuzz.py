"""Schemathesis against /api/openapi.json: generated requests to every operation, as an
anonymous caller, a signed-in staff member and a factory with its token, on the demo centre.
No answer may be a 5xx, and every answer must match the schema (status, type, body, headers)."""

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from store_api import create_app
from store_api.core import migrate
from store_api.core.audit import Actor
from store_api.core.state import state
from store_api.demo.centre import load_demo
from store_api.factories import access as factory_access
from store_api.staff.models import User

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, response_headers_conformance]


def _demo_app():
    """The demo centre with a manager and a factory token; built at import, as the schema's
    operations become the test's cases when it is collected."""
    folder = Path(tempfile.mkdtemp(prefix="xuanpin-fuzz-"))
    app = create_app({"paths.var_dir": str(folder / "var"),
                      "database.url": f"sqlite:///{folder / 'fuzz.db'}",
                      "limits.enabled": False, "log.level": "WARNING"})
    app.config["TESTING"] = True
    migrate.upgrade(state(app).db.engine)
    found = state(app).settings
    with state(app).db.unit_of_work() as session:
        load_demo(session, media_dir=state(app).media_dir,
                  member_levels=found["catalogue.member_levels"],
                  business_types=found["catalogue.business_types"])
        user = User(username="fuzzer", display_name="fuzzer", role="manager")
        user.set_password("fuzz-pass-01")
        session.add(user)
    token = factory_access.new_token(state(app).db, "YK-BL", actor=Actor(None, "test"))
    client = app.test_client()
    client.post("/api/v1/session", json={"username": "fuzzer", "password": "fuzz-pass-01"})
    # What each caller adds to a generated request (a Cookie header would be dropped by the
    # WSGI client, so the session goes as a cookie).
    return app, {"staff": {"cookies": {"session": client.get_cookie("session").value}},
                 "factory": {"headers": {"Authorization": f"Bearer {token}"}}}


APP, CREDENTIALS = _demo_app()
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_5xx_and_every_answer_matches_the_schema(case):
    who = "factory" if case.operation.path.startswith("/api/v1/factory/") else "staff"
    callers = [{}, CREDENTIALS[who]]
    if (case.operation.path, case.operation.method.upper()) == ("/api/v1/session", "DELETE"):
        callers.pop()  # signing out ends every session of the user, the fuzzer's own too
    for credentials in callers:
        case.call_and_validate(checks=CHECKS, **credentials)


def test_the_fuzzing_callers_are_signed_in():
    """The calls above go through the same transport; without this, a caller whose
    credentials were dropped would be fuzzed as anonymous and nothing would say so."""
    cancel = schema["/api/v1/orders/{number}/cancel"]["POST"].Case(
        path_parameters={"number": "X0000000"}, media_type="application/json", body={})
    forwards = schema["/api/v1/factory/forwards"]["GET"].Case()
    assert cancel.call().status_code == 401 and forwards.call().status_code == 401
    assert cancel.call(**CREDENTIALS["staff"]).status_code == 404  # signed in: no such order
    assert forwards.call(**CREDENTIALS["factory"]).status_code == 200
