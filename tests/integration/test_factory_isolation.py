"""Factory A's token and portal login, walked over every factory route against factory B's
forwards, SKUs and statements: each answers 404, and nothing of B shows in any list."""

import subprocess

from sqlalchemy import func, select

from store_api.core.state import state
from store_api.fulfilment import fulfilment
from store_api.fulfilment.models import Forward
from store_api.stock.models import StockLedgerEntry
from tests.support.clients import portal_client

BODIES = {
    "reject": {"reason": "other", "note": "x"},
    "shipments": {"carrier": "顺丰", "tracking_number": "SF1"},
    "stock": {"on_hand": 1},
}
FORM = {"reason": "other", "carrier": "顺丰", "tracking_number": "SF1", "on_hand": "1",
        "quantity": "1", "version": '"0"'}


def _fill(rule: str, b) -> str:
    return (rule.replace("<forward>", b.forwards[0]).replace("<sku>", b.sku)
            .replace("<code>", b.code))


def _text(response) -> str:
    if response.data.startswith(b"%PDF"):
        return subprocess.run(["pdftotext", "-", "-"], input=response.data,
                              capture_output=True, check=True).stdout.decode()
    return response.get_data(as_text=True)


def _b_marks(b) -> list[str]:
    return [b.sku, b.forwards[0], b.orders[0], "乙厂收纳盒", b.code + "."]


def _sell_a_parcel_each(app, consignment) -> None:
    """Give both factories a shipped forward, so sales and statements have rows to leak."""
    for side in (consignment.a, consignment.b):
        forward = consignment.order(side)
        fulfilment.add_shipment(state(app).db, side.factory_id, forward, "顺丰",
                                f"SF-{side.code}", actor="t")


def _b_state(app, b) -> tuple:
    with state(app).db.read_session() as session:
        return (session.scalar(select(Forward.state).where(Forward.message_id == b.forwards[0])),
                session.scalar(select(func.count()).select_from(StockLedgerEntry).where(
                    StockLedgerEntry.product_id == b.product_id)))


def test_factory_a_token_finds_nothing_of_factory_b(app, consignment):
    a, b = consignment.a, consignment.b
    _sell_a_parcel_each(app, consignment)
    before = _b_state(app, b)
    client = app.test_client()
    walked = set()
    for op in app.extensions["xuanpin.operations"]:
        if op.auth != "factory":
            continue
        url = "/api/v1" + _fill(op.rule, b)
        headers = {**a.headers, "If-Match": '"0"'}
        body = next((v for k, v in BODIES.items() if op.rule.split("/")[-1].startswith(k)
                     or op.rule.split("/")[-2] == k), {})
        answer = client.open(url, method=op.method, json=body if op.method != "GET" else None,
                             headers=headers)
        if "<" in op.rule:
            assert answer.status_code == 404, (op.method, op.rule, answer.status_code)
        else:
            assert answer.status_code == 200, (op.method, op.rule)
            text = _text(answer)
            assert not any(mark in text for mark in _b_marks(b)), op.rule
            assert a.sku in text or a.forwards[0] in text, op.rule  # A's own rows do show
        walked.add(op.endpoint)
    assert len(walked) >= 12
    assert _b_state(app, b) == before


def test_factory_a_portal_login_finds_nothing_of_factory_b(app, consignment):
    a, b = consignment.a, consignment.b
    _sell_a_parcel_each(app, consignment)
    before = _b_state(app, b)
    client, token = portal_client(app, a)
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("portal.")]
    walked = set()
    for rule in rules:
        url = _fill(rule.rule, b)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if method == "GET":
                answer = client.get(url)
            else:
                answer = client.post(url, data={**FORM, "csrf_token": token})
            if "<" in rule.rule:
                assert answer.status_code == 404, (method, rule.rule, answer.status_code)
            else:
                assert answer.status_code == 200, (method, rule.rule)
                text = _text(answer)
                assert not any(mark in text for mark in _b_marks(b)), rule.rule
            walked.add((method, rule.endpoint))
    assert {endpoint for _, endpoint in walked} == {rule.endpoint for rule in rules}
    assert len(walked) >= 12
    # A's own pages do show A: the walk above would pass on empty pages otherwise.
    assert a.sku in client.get("/portal/").get_data(as_text=True)
    assert a.forwards[0] in client.get("/portal/forwards").get_data(as_text=True)
    assert a.sku in client.get("/portal/statement").get_data(as_text=True)
    assert _b_state(app, b) == before
