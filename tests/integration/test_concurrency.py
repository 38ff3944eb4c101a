"""No oversell: many buyers reserving the last units at once, on SQLite and PostgreSQL."""

import threading

from click.testing import CliRunner
from sqlalchemy import func, select

from store_api.cli import main
from store_api.core.errors import InsufficientStock
from store_api.stock import inventory
from store_api.stock.inventory import StockLine
from store_api.stock.models import StockLedgerEntry, StockLevel

THREADS = 40
ON_HAND = 25


def test_forty_threads_reserving_one_of_twenty_five(app, db, make_product, database_url,
                                                     monkeypatch, tmp_path):
    with db.unit_of_work() as session:
        product, centre, _ = make_product(session)
        inventory.receive(session, [StockLine(product.id, centre.id, ON_HAND)], actor="test")
    line = StockLine(product.id, centre.id, 1)

    start = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def buyer(n: int) -> None:
        start.wait()
        try:
            with db.unit_of_work() as session:
                inventory.reserve(session, [line], actor=f"buyer-{n}")
            outcome = "reserved"
        except InsufficientStock:
            outcome = "insufficient"
        except Exception as exc:  # any other failure is a bug worth seeing by name
            outcome = f"error: {type(exc).__name__}: {exc}"
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=buyer, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["insufficient"] * 15 + ["reserved"] * 25
    with db.read_session() as session:
        stock = session.get(StockLevel, (product.id, centre.id))
        assert (stock.on_hand, stock.reserved) == (ON_HAND, ON_HAND)
        reservations = session.scalar(
            select(func.count()).where(StockLedgerEntry.reason == "reserve"))
        assert reservations == 25

    monkeypatch.setenv("XUANPIN_DATABASE_URL", database_url)
    monkeypatch.setenv("XUANPIN_PATHS_VAR_DIR", str(tmp_path / "var"))
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    assert "agree" in result.output
