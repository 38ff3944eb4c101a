"""What an order holds where: allocation rows per order line and stock location, moved from
state to state as goods are sold, released or returned. The stock levels change beside them,
through the inventory, in the same transaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import String, bindparam, delete, func, insert, literal, select, update
from sqlalchemy.orm import Session

from store_api.orders.models import Allocation, FulfilmentGroup, OrderLine
from store_api.stock import inventory
from store_api.stock.inventory import StockLine
from store_api.stock.models import StockLedgerEntry

_COLUMNS = ["order_line_id", "product_id", "location_id", "quantity", "state"]
# Checkout writes its lines without reading their ids back; this allocates them all, where
# their groups take them from, in one statement.
_RESERVE_ORDER = insert(Allocation.__table__).from_select(_COLUMNS, select(
    OrderLine.id, OrderLine.product_id, FulfilmentGroup.location_id, OrderLine.quantity,
    literal("reserved", String)).join(FulfilmentGroup, FulfilmentGroup.id == OrderLine.group_id)
    .where(OrderLine.order_id == bindparam("order_id")))


def reserve_order(session: Session, order_id: int) -> None:
    """Allocate every line of a new order, reserved at its group's location."""
    session.execute(_RESERVE_ORDER, {"order_id": order_id})


def reserved(session: Session, groups: Iterable[FulfilmentGroup]) -> list[Allocation]:
    """Return the reserved rows of the groups' lines, by line."""
    return list(session.scalars(
        select(Allocation).join(OrderLine, OrderLine.id == Allocation.order_line_id)
        .where(OrderLine.group_id.in_([group.id for group in groups]),
               Allocation.state == "reserved").order_by(Allocation.order_line_id)))


def _add(session: Session, key: tuple[int, int, int], quantity: int, state: str) -> None:
    """Add units to the (order line, product, location) row of a state, made if missing."""
    line_id, product_id, location_id = key
    grown = session.execute(update(Allocation).where(
        Allocation.order_line_id == line_id, Allocation.location_id == location_id,
        Allocation.state == state).values(quantity=Allocation.quantity + quantity))
    if grown.rowcount == 0:
        session.execute(insert(Allocation).values(
            order_line_id=line_id, product_id=product_id, location_id=location_id,
            quantity=quantity, state=state))


def _move(session: Session, row: Allocation, quantity: int, state: str) -> None:
    """Move units of a row to another state (all of them, or some: a partial shipment)."""
    if quantity == row.quantity:
        session.execute(delete(Allocation).where(Allocation.id == row.id))
    else:
        session.execute(update(Allocation).where(Allocation.id == row.id)
                        .values(quantity=Allocation.quantity - quantity))
    _add(session, (row.order_line_id, row.product_id, row.location_id), quantity, state)


def _settle(session: Session, rows: Iterable[Allocation], state: str,
            wanted: dict[int, int] | None = None) -> list[StockLine]:
    """Move the rows' units to a state (only `wanted` units per product, if given); return
    them by product and location, as the inventory takes them."""
    left = dict(wanted) if wanted is not None else None
    units: dict[tuple[int, int], int] = defaultdict(int)
    for row in rows:
        quantity = row.quantity if left is None else min(row.quantity, left.get(row.product_id, 0))
        if quantity:
            _move(session, row, quantity, state)
            units[(row.product_id, row.location_id)] += quantity
            if left is not None:
                left[row.product_id] -= quantity
    return [StockLine(product, location, quantity)
            for (product, location), quantity in units.items()]


def release(session: Session, groups: Iterable[FulfilmentGroup], *, actor: str,
            order_id: int, note: str = "") -> None:
    """Put back on sale what the groups hold reserved: their allocations and the stock."""
    units = _settle(session, reserved(session, groups), "released")
    if units:
        inventory.release(session, units, actor=actor, order_id=order_id, note=note)


def sell(session: Session, group: FulfilmentGroup, *, actor: str, note: str = "",
         parcel: dict[int, int] | None = None) -> None:
    """Sell what a group holds reserved (only a parcel's units per product, if given): its
    allocations and the stock."""
    units = _settle(session, reserved(session, [group]), "sold", parcel)
    if units:
        inventory.sell(session, units, actor=actor, order_id=group.order_id, note=note)


def reserve(session: Session, lines: Iterable[OrderLine], location_id: int, *, actor: str,
            order_id: int) -> None:
    """Reserve lines anew at a location (a group served from elsewhere): allocations and
    stock."""
    lines = list(lines)
    for line in lines:
        _add(session, (line.id, line.product_id, location_id), line.quantity, "reserved")
    inventory.reserve(session, [StockLine(line.product_id, location_id, line.quantity)
                                for line in lines], actor=actor, order_id=order_id)


def _reserved_by(session: Session, query) -> dict[tuple[int, int], int]:
    return {(product, location): units for product, location, units in session.execute(query)
            if units}


def disagreements(session: Session) -> list[tuple[int, int, int, int]]:
    """Return (product, location, units the ledger's order rows hold reserved, units the
    orders' reserved allocations add up to) wherever the two differ. With the ledger held
    against the levels (`check_ledger`), every reservation an order made is held to them."""
    by_ledger = _reserved_by(session, select(
        StockLedgerEntry.product_id, StockLedgerEntry.location_id,
        func.sum(StockLedgerEntry.delta_reserved))
        .where(StockLedgerEntry.order_id.is_not(None))
        .group_by(StockLedgerEntry.product_id, StockLedgerEntry.location_id))
    by_allocations = _reserved_by(session, select(
        Allocation.product_id, Allocation.location_id, func.sum(Allocation.quantity))
        .where(Allocation.state == "reserved")
        .group_by(Allocation.product_id, Allocation.location_id))
    return [(product, location, by_ledger.get((product, location), 0),
             by_allocations.get((product, location), 0))
            for product, location in sorted(by_ledger.keys() | by_allocations.keys())
            if by_ledger.get((product, location), 0) != by_allocations.get((product, location), 0)]
