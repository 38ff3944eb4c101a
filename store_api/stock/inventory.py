"""Stock changes: each one conditional UPDATE with its row count checked, plus a ledger row.

Nothing here commits; the caller's unit of work does, once. Several rows are touched in
(product_id, location_id) order so that two transactions never wait on each other in a circle.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, insert, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, joinedload

from store_api.catalogue.rules import MAX_QUANTITY
from store_api.core.errors import DomainError, InsufficientStock, StockConflict
from store_api.stock.models import StockLedgerEntry, StockLevel


@dataclass(frozen=True, order=True)
class StockLine:
    """A quantity of one product at one location."""

    product_id: int
    location_id: int
    quantity: int


def _check_quantity(quantity, *, allow_negative: bool = False) -> int:
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise DomainError(_l("Quantity must be a whole number."))
    if abs(quantity) > MAX_QUANTITY:
        raise DomainError(_l("Quantity is too large."))
    if quantity == 0 or (quantity < 0 and not allow_negative):
        raise DomainError(_l("Quantity must be greater than zero."))
    return quantity


def _ordered(lines: Iterable[StockLine]) -> list[StockLine]:
    lines = sorted(lines)
    for line in lines:
        _check_quantity(line.quantity)
    return lines


_INSERT_LEDGER = insert(StockLedgerEntry.__table__)


def _ledger(session, changes: list[tuple[StockLine, int, int]], reason, actor, order_id, note):
    """Write a ledger row for each (line, change in on hand, change in reserved), in one
    statement, after what the rows name (a new product, an order) is written."""
    session.flush()
    session.execute(_INSERT_LEDGER, [
        {"product_id": line.product_id, "location_id": line.location_id,
         "delta_on_hand": d_on_hand, "delta_reserved": d_reserved, "reason": reason,
         "actor": actor, "order_id": order_id, "note": note}
        for line, d_on_hand, d_reserved in changes])


@functools.cache
def _guarded_update(guard: str):
    # Built once per guard: reserving runs on every order.
    return text("UPDATE stock_levels SET on_hand = on_hand + :dh, reserved = reserved + :dr "
                f"WHERE product_id = :p AND location_id = :l AND ({guard})")


def _update(session: Session, line: StockLine, d_on_hand: int, d_reserved: int, guard: str,
            **values) -> bool:
    """Apply deltas to one level if the guard (a fixed text; values bound) holds; return whether
    a row changed."""
    result = session.execute(
        _guarded_update(guard),
        {"dh": d_on_hand, "dr": d_reserved, "p": line.product_id, "l": line.location_id,
         "q": line.quantity, **values},
    )
    return result.rowcount == 1


def ensure_level(session: Session, product_id: int, location_id: int) -> None:
    """Create an empty level row if there is none; safe when two transactions race."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(
        dialect.insert(StockLevel)
        .values(product_id=product_id, location_id=location_id, on_hand=0, reserved=0)
        .on_conflict_do_nothing()
    )


def _change(session, lines, d_on_hand_sign, d_reserved_sign, guard, reason, actor, order_id,
            note, *, create=False, on_refusal=None):
    lines = _ordered(lines)
    if not lines:
        return
    # The ledger rows go first so the level rows stay locked for as short a time as possible;
    # a refused change rolls them back with the rest of the transaction.
    _ledger(session, [(line, d_on_hand_sign * line.quantity, d_reserved_sign * line.quantity)
                      for line in lines], reason, actor, order_id, note)
    for line in lines:
        if create:
            ensure_level(session, line.product_id, line.location_id)
        if not _update(session, line, d_on_hand_sign * line.quantity,
                       d_reserved_sign * line.quantity, guard):
            raise (on_refusal or InsufficientStock)(line.product_id, line.location_id,
                                                    line.quantity)


def _reserved_short(product_id, location_id, quantity):
    return StockConflict(
        _l("Product %(product)s at location %(location)s has fewer than %(quantity)s reserved."),
        product=product_id, location=location_id, quantity=quantity,
    )


def receive(session: Session, lines: Iterable[StockLine], *, actor: str, note: str = "") -> None:
    """Goods arrive at a location: on_hand goes up."""
    _change(session, lines, 1, 0, "1 = 1", "receive", actor, None, note, create=True)


def reserve(session: Session, lines: Iterable[StockLine], *, actor: str,
            order_id: int | None = None) -> None:
    """Hold stock for an order; raise InsufficientStock if any line lacks it, changing nothing."""
    _change(session, lines, 0, 1, "on_hand - reserved >= :q", "reserve", actor, order_id, "")


def release(session: Session, lines: Iterable[StockLine], *, actor: str,
            order_id: int | None = None, note: str = "") -> None:
    """Give reserved stock back to sale (an order cancelled or expired)."""
    _change(session, lines, 0, -1, "reserved >= :q", "release", actor, order_id, note,
            on_refusal=_reserved_short)


def sell(session: Session, lines: Iterable[StockLine], *, actor: str,
         order_id: int | None = None, note: str = "") -> None:
    """Reserved goods leave with the buyer (or in a factory's parcel): on_hand and reserved go
    down."""
    _change(session, lines, -1, -1, "reserved >= :q", "sell", actor, order_id, note,
            on_refusal=_reserved_short)


def return_goods(session: Session, lines: Iterable[StockLine], *, actor: str,
                 order_id: int | None = None, note: str = "") -> None:
    """Sold goods come back from a buyer into a location."""
    _change(session, lines, 1, 0, "1 = 1", "return", actor, order_id, note, create=True)


def adjust(session: Session, line: StockLine, *, actor: str, note: str) -> None:
    """Correct on_hand by a signed amount with a reason; never below what is reserved."""
    _check_quantity(line.quantity, allow_negative=True)
    if not note.strip():
        raise DomainError(_l("An adjustment needs a reason."))
    if line.quantity > 0:
        ensure_level(session, line.product_id, line.location_id)
    if not _update(session, line, line.quantity, 0, "on_hand + :q >= reserved"):
        raise StockConflict(
            _l("Adjusting by %(quantity)s would leave less on hand than is reserved."),
            quantity=line.quantity,
        )
    _ledger(session, [(line, line.quantity, 0)], "adjust", actor, None, note)


def count(session: Session, product_id: int, location_id: int, counted: int, *,
          actor: str, note: str = "", reason: str = "count") -> int:
    """Record a physical count: on_hand becomes what was counted; return the variance."""
    if isinstance(counted, bool) or not isinstance(counted, int) or counted < 0:
        raise DomainError(_l("A count must be a whole number of at least 0."))
    if counted > MAX_QUANTITY:
        raise DomainError(_l("Quantity is too large."))
    ensure_level(session, product_id, location_id)
    level = session.execute(
        select(StockLevel.on_hand, StockLevel.reserved).where(
            StockLevel.product_id == product_id, StockLevel.location_id == location_id
        )
    ).one()
    if counted < level.reserved:
        raise StockConflict(
            _l("Counted %(counted)s, but %(reserved)s are reserved for orders."),
            counted=counted, reserved=level.reserved,
        )
    variance = counted - level.on_hand
    line = StockLine(product_id, location_id, variance)
    # The guard on the value read makes a count that raced another change fail, not overwrite it.
    if not _update(session, line, variance, 0, "on_hand = :was AND reserved <= :counted",
                   was=level.on_hand, counted=counted):
        raise StockConflict(_l("The stock changed while it was being counted; count again."))
    if variance:
        _ledger(session, [(line, variance, 0)], reason, actor, None, note)
    return variance


def transfer(session: Session, product_id: int, from_location: int, to_location: int,
             quantity: int, *, actor: str, note: str = "", reason: str = "transfer") -> None:
    """Move unreserved units between locations, both rows in key order."""
    _check_quantity(quantity)
    if from_location == to_location:
        raise DomainError(_l("A transfer needs two different locations."))
    ensure_level(session, product_id, to_location)
    moves = sorted([(from_location, -quantity), (to_location, quantity)])
    for location_id, delta in moves:
        line = StockLine(product_id, location_id, quantity)
        guard = "on_hand - reserved >= :q" if delta < 0 else "1 = 1"
        if not _update(session, line, delta, 0, guard):
            raise InsufficientStock(product_id, location_id, quantity)
        _ledger(session, [(line, delta, 0)], reason, actor, None, note)


@dataclass(frozen=True)
class Drift:
    """A level that does not match the sum of its ledger rows."""

    product_id: int
    location_id: int
    on_hand: int
    reserved: int
    ledger_on_hand: int
    ledger_reserved: int


def check_ledger(session: Session) -> list[Drift]:
    """Rebuild every level from the ledger and return the ones that disagree."""
    levels = {
        (row.product_id, row.location_id): (row.on_hand, row.reserved)
        for row in session.execute(
            select(StockLevel.product_id, StockLevel.location_id, StockLevel.on_hand,
                   StockLevel.reserved)
        )
    }
    rebuilt = {
        (row[0], row[1]): (int(row[2]), int(row[3]))
        for row in session.execute(
            text(
                "SELECT product_id, location_id, SUM(delta_on_hand), SUM(delta_reserved) "
                "FROM stock_ledger GROUP BY product_id, location_id"
            )
        )
    }
    drifts = []
    for key in sorted(levels.keys() | rebuilt.keys()):
        have, want = levels.get(key, (0, 0)), rebuilt.get(key, (0, 0))
        if have != want:
            drifts.append(Drift(*key, *have, *want))
    return drifts


def free_by_product(session: Session, product_ids: list[int]) -> dict[int, int]:
    """Return the units of each product free to reserve, over all its locations."""
    if not product_ids:
        return {}
    return dict(session.execute(
        select(StockLevel.product_id, func.sum(StockLevel.on_hand - StockLevel.reserved))
        .where(StockLevel.product_id.in_(product_ids)).group_by(StockLevel.product_id)).all())


def recent_entries(session: Session, reason: str, limit: int = 20) -> list[StockLedgerEntry]:
    """Return the latest ledger rows of one reason, newest first, with their products."""
    return list(session.scalars(
        select(StockLedgerEntry).where(StockLedgerEntry.reason == reason)
        .options(joinedload(StockLedgerEntry.product))
        .order_by(StockLedgerEntry.id.desc()).limit(limit)))
