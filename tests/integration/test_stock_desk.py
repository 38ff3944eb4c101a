"""Receiving, cycle counts and adjustments: through the ledger, audited, and refusing bad
input without writing anything."""

import pytest
from sqlalchemy import func, select

from store_api.core import audit
from store_api.core.errors import DomainError
from store_api.core.models import AuditLogEntry
from store_api.stock import desk as stock_desk
from store_api.stock import inventory
from store_api.stock.inventory import StockLine
from store_api.stock.models import StockLedgerEntry, StockLevel
from tests.support.clients import sign_in

ACTOR = audit.Actor(None, "staff:test")


@pytest.fixture
def shelf(db, make_product):
    with db.unit_of_work() as session:
        product, centre, _ = make_product(session)
        inventory.receive(session, [StockLine(product.id, centre.id, 10)], actor="t")
        return {"sku": product.sku, "slot": product.slot.code, "id": product.id,
                "centre": centre.id}


def _on_hand(db, shelf):
    with db.read_session() as session:
        return session.get(StockLevel, (shelf["id"], shelf["centre"])).on_hand


def _rows(db):
    with db.read_session() as session:
        return (session.scalar(select(func.count()).select_from(StockLedgerEntry)),
                session.scalar(select(func.count()).select_from(AuditLogEntry)))


def test_receiving_finds_the_product_by_slot_code_label_url_or_sku(app, db, shelf):
    for code in (shelf["slot"], f"http://centre.example/S/{shelf['slot']}", shelf["sku"]):
        stock_desk.receive(db, code, 5, reference="DN-7", actor=ACTOR)
    assert _on_hand(db, shelf) == 25
    with db.read_session() as session:
        notes = list(session.scalars(select(StockLedgerEntry.note)
                                     .where(StockLedgerEntry.reason == "receive")))
        assert notes[-1].endswith("DN-7")
        entry = session.scalar(select(AuditLogEntry).order_by(AuditLogEntry.id.desc()))
        assert (entry.before, entry.after["centre_on_hand"]) == ({"centre_on_hand": 20}, 25)
        assert inventory.check_ledger(session) == []


@pytest.mark.parametrize("code, quantity", [
    ("NO-SUCH", 5), ("", 5), ("x" * 5000, 5), (None, 5),
    ("{sku}", 0), ("{sku}", -5), ("{sku}", "5x"), ("{sku}", 10**12), ("{sku}", True),
])
def test_bad_receipts_are_refused_and_write_nothing(app, db, shelf, code, quantity):
    before = _rows(db)
    with pytest.raises(DomainError):
        stock_desk.receive(db, code.format(sku=shelf["sku"]) if code else code, quantity,
                           reference="", actor=ACTOR)
    assert _rows(db) == before and _on_hand(db, shelf) == 10


def test_a_count_sets_on_hand_reports_the_variance_and_respects_reservations(app, db, shelf):
    variances = stock_desk.record_counts(db, {shelf["sku"]: 7}, actor=ACTOR)
    assert [(v.expected, v.counted, v.variance) for v in variances] == [(10, 7, -3)]
    assert _on_hand(db, shelf) == 7
    with db.unit_of_work() as session:
        inventory.reserve(session, [StockLine(shelf["id"], shelf["centre"], 5)], actor="t")
    before = _rows(db)
    for counts in ({shelf["sku"]: 4}, {shelf["sku"]: -1}, {shelf["sku"]: "many"},
                   {"NO-SUCH": 3}, {}):
        with pytest.raises(DomainError):
            stock_desk.record_counts(db, counts, actor=ACTOR)
    assert _rows(db) == before and _on_hand(db, shelf) == 7


def test_an_adjustment_needs_a_known_reason_and_cannot_go_below_reserved(app, db, shelf):
    stock_desk.adjust(db, shelf["sku"], -2, reason="damaged", note="dropped", actor=ACTOR)
    assert _on_hand(db, shelf) == 8
    before = _rows(db)
    for reason, quantity in (("", -1), ("because", -1), ("lost", -9), ("lost", 0)):
        with pytest.raises(DomainError):
            stock_desk.adjust(db, shelf["sku"], quantity, reason=reason, note="", actor=ACTOR)
    assert _rows(db) == before


def test_the_desk_pages_book_through_forms_and_only_managers_adjust(sqlite_app, make_product):
    from store_api.core.state import state

    db = state(sqlite_app).db
    with db.unit_of_work() as session:
        product, _, _ = make_product(session)
        sku, code = product.sku, product.slot.code
    staff = sign_in(sqlite_app, "staff")
    done = staff.post("/console/receiving", follow_redirects=True, data={
        "csrf_token": staff.csrf_token, "code": code, "quantity": "12", "reference": "DN-1"})
    assert done.status_code == 200 and sku in done.get_data(as_text=True)
    refused = staff.post("/console/receiving", follow_redirects=True, data={
        "csrf_token": staff.csrf_token, "code": code, "quantity": "lots"})
    assert "error-message" in refused.get_data(as_text=True)
    counted = staff.post("/console/counts", data={
        "csrf_token": staff.csrf_token, "zone": "bestseller", f"count-{sku}": "11"})
    assert counted.status_code == 200 and 'class="off"' in counted.get_data(as_text=True)
    assert staff.post("/console/adjustments", data={
        "csrf_token": staff.csrf_token, "code": sku, "quantity": "1", "reason": "found"
    }).status_code == 403
    manager = sign_in(sqlite_app, "manager")
    assert manager.post("/console/adjustments", data={
        "csrf_token": manager.csrf_token, "code": sku, "quantity": "1", "reason": "found",
        "note": "behind the shelf"}).status_code == 303
    with db.read_session() as session:
        assert [e.action for e in session.scalars(select(AuditLogEntry).order_by(
            AuditLogEntry.id))] == ["stock.receive", "stock.count", "stock.adjust"]
        assert inventory.check_ledger(session) == []
    log = manager.get("/console/audit?action=stock.&actor=staff:staff-user")
    assert log.get_data(as_text=True).count("<tr data-action") == 2
    assert staff.get("/console/audit").status_code == 403
