"""Every stock change on SQLite and PostgreSQL: guarded updates, ledger rows, nothing partial."""

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from store_api.core.errors import DomainError, InsufficientStock, StockConflict
from store_api.stock import inventory
from store_api.stock.inventory import StockLine
from store_api.stock.models import StockLedgerEntry, StockLevel


def level(session, product, location):
    row = session.get(StockLevel, (product.id, location.id), populate_existing=True)
    return (row.on_hand, row.reserved) if row else None


def assert_as_stocked(db, product, centre):
    """The centre still holds 20, none reserved, and the ledger has only its two receipts."""
    with db.read_session() as session:
        assert level(session, product, centre) == (20, 0)
        assert session.scalar(select(func.count(StockLedgerEntry.id))) == 2


@pytest.fixture
def stocked(db, make_product):
    """A product with 20 in the centre and 50 at its factory."""
    with db.unit_of_work() as session:
        product, centre, factory = make_product(session)
        inventory.receive(session, [StockLine(product.id, centre.id, 20),
                                    StockLine(product.id, factory.id, 50)], actor="test")
    return product, centre, factory


def test_each_change_moves_the_level_and_writes_its_ledger_row(db, stocked):
    product, centre, factory = stocked
    with db.unit_of_work() as session:
        inventory.reserve(session, [StockLine(product.id, centre.id, 5)], actor="t", order_id=None)
        inventory.sell(session, [StockLine(product.id, centre.id, 3)], actor="t")
        inventory.release(session, [StockLine(product.id, centre.id, 2)], actor="t")
        inventory.return_goods(session, [StockLine(product.id, centre.id, 1)], actor="t")
        inventory.adjust(session, StockLine(product.id, centre.id, -4), actor="t", note="broken")
        variance = inventory.count(session, product.id, factory.id, 47, actor="t")
        inventory.transfer(session, product.id, factory.id, centre.id, 7, actor="t")
    assert variance == -3
    with db.read_session() as session:
        assert level(session, product, centre) == (20 - 3 + 1 - 4 + 7, 0)
        assert level(session, product, factory) == (40, 0)
        reasons = list(session.scalars(
            select(StockLedgerEntry.reason).order_by(StockLedgerEntry.id)))
        assert reasons == ["receive", "receive", "reserve", "sell", "release", "return", "adjust",
                           "count", "transfer", "transfer"]
        assert inventory.check_ledger(session) == []


def test_reserving_more_than_available_changes_nothing(db, stocked):
    product, centre, factory = stocked
    with pytest.raises(InsufficientStock), db.unit_of_work() as session:
        # The first line would fit; the second does not, so neither may stay.
        inventory.reserve(session, [StockLine(product.id, factory.id, 10),
                                    StockLine(product.id, centre.id, 21)], actor="t")
    with db.read_session() as session:
        assert level(session, product, centre) == (20, 0)
        assert level(session, product, factory) == (50, 0)
        assert session.scalar(select(func.count(StockLedgerEntry.id))) == 2


@pytest.mark.parametrize("change, error", [
    (lambda s, p, c: inventory.release(s, [StockLine(p.id, c.id, 1)], actor="t"), StockConflict),
    (lambda s, p, c: inventory.sell(s, [StockLine(p.id, c.id, 1)], actor="t"), StockConflict),
    (lambda s, p, c: inventory.adjust(s, StockLine(p.id, c.id, -21), actor="t", note="x"),
     StockConflict),
    (lambda s, p, c: inventory.adjust(s, StockLine(p.id, c.id, 5), actor="t", note=" "),
     DomainError),
    (lambda s, p, c: inventory.transfer(s, p.id, c.id, c.id, 1, actor="t"), DomainError),
    (lambda s, p, c: inventory.reserve(s, [StockLine(p.id, c.id, 0)], actor="t"), DomainError),
    (lambda s, p, c: inventory.reserve(s, [StockLine(p.id, c.id, -1)], actor="t"), DomainError),
    (lambda s, p, c: inventory.reserve(s, [StockLine(p.id, c.id, "3")], actor="t"), DomainError),
    (lambda s, p, c: inventory.receive(s, [StockLine(p.id, c.id, 10**12)], actor="t"),
     DomainError),
    (lambda s, p, c: inventory.count(s, p.id, c.id, -1, actor="t"), DomainError),
])
def test_refused_changes_leave_stock_and_ledger_alone(db, stocked, change, error):
    product, centre, _ = stocked
    with pytest.raises(error), db.unit_of_work() as session:
        change(session, product, centre)
    assert_as_stocked(db, product, centre)


def test_a_count_below_what_is_reserved_is_refused(db, stocked):
    product, centre, _ = stocked
    with db.unit_of_work() as session:
        inventory.reserve(session, [StockLine(product.id, centre.id, 8)], actor="t")
    with pytest.raises(StockConflict), db.unit_of_work() as session:
        inventory.count(session, product.id, centre.id, 7, actor="t")
    with db.read_session() as session:
        assert level(session, product, centre) == (20, 8)


def test_the_database_refuses_negative_stock_and_ledger_edits(db, stocked):
    product, centre, _ = stocked
    for statement in (
        "UPDATE stock_levels SET on_hand = -1",
        "UPDATE stock_levels SET reserved = on_hand + 1",
        "UPDATE stock_ledger SET delta_on_hand = 999",
        "DELETE FROM stock_ledger",
    ):
        with pytest.raises(DBAPIError), db.unit_of_work() as session:
            session.execute(text(statement))
    assert_as_stocked(db, product, centre)


def test_check_finds_a_level_changed_behind_the_ledger(db, stocked):
    product, centre, _ = stocked
    with db.unit_of_work() as session:
        session.execute(text("UPDATE stock_levels SET on_hand = on_hand + 3 "
                             "WHERE product_id = :p AND location_id = :l"),
                        {"p": product.id, "l": centre.id})
    with db.read_session() as session:
        drifts = inventory.check_ledger(session)
    assert [(d.product_id, d.location_id, d.on_hand, d.ledger_on_hand) for d in drifts] == [
        (product.id, centre.id, 23, 20)
    ]
