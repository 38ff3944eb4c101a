"""Allocations, the one record of what an order holds where: every change of an order moves
them, what orders reserved in the ledger is their sum, and the migration that added them
derives the same rows from the orders that existed before."""

from __future__ import annotations

from sqlalchemy import select, update

from store_api.core import migrate
from store_api.core.state import state
from store_api.fulfilment import fulfilment
from store_api.fulfilment.fulfilment import ParcelLine
from store_api.fulfilment.models import Forward
from store_api.orders import orders
from store_api.orders.allocations import disagreements
from store_api.orders.checkout import Delivery, place_order
from store_api.orders.models import Allocation, Order, OrderLine
from store_api.stock.locations import centre_location
from tests.support.consignment import receive_at_centre


def _held(app) -> dict[tuple[str, str, str], int]:
    """(order number, location kind, state) -> units, over every allocation."""
    with state(app).db.read_session() as session:
        rows = session.execute(
            select(Order.number, Allocation.location_id, Allocation.state, Allocation.quantity)
            .join(OrderLine, OrderLine.id == Allocation.order_line_id)
            .join(Order, Order.id == OrderLine.order_id))
        centre = centre_location(session).id
        held: dict[tuple[str, str, str], int] = {}
        for number, location, allocation_state, quantity in rows:
            key = (number, "centre" if location == centre else "factory", allocation_state)
            held[key] = held.get(key, 0) + quantity
        return held


def _rows(app) -> set[tuple]:
    with state(app).db.read_session() as session:
        return set(session.execute(select(
            Allocation.order_line_id, Allocation.product_id, Allocation.location_id,
            Allocation.quantity, Allocation.state)))


def _orders_in_every_state(app, consignment) -> dict[str, str]:
    """A forward shipped in part, a forward cancelled by staff, a pick-up collected, one
    awaiting payment and one cancelled unpaid; return their order numbers by name."""
    db, c = state(app).db, consignment
    settings = state(app).settings
    forward_a, (number_a, number_b) = c.a.forwards[0], (c.a.orders[0], c.b.orders[0])
    fulfilment.accept(db, c.a.factory_id, forward_a, actor="factory:a")
    fulfilment.add_shipment(db, c.a.factory_id, forward_a, "SF", "SF0001",
                            [ParcelLine(c.a.sku, 5)], actor="factory:a")
    with db.read_session() as session:
        forward_b = session.scalar(select(Forward.id).where(
            Forward.message_id == c.b.forwards[0]))
    fulfilment.cancel_forward(db, forward_b, actor="staff:t")
    receive_at_centre(app, c.a, 100)
    placed = {}
    for name in ("collected", "unpaid", "cancelled"):
        placed[name] = place_order(db, buyer_id=c.buyer_id, requested=[(c.a.sku, 12)],
                                   delivery=Delivery(), idempotency_key=f"allocate-{name}",
                                   settings=settings)["number"]
    orders.pay(db, placed["collected"], method="cash", reference="", user_id=c.staff_id)
    orders.collect(db, placed["collected"])
    orders.cancel(db, placed["cancelled"], actor="staff:t")
    return {"shipped in part": number_a, "forward cancelled": number_b, **placed}


def test_every_change_of_an_order_moves_its_allocations(app, consignment):
    numbers = _orders_in_every_state(app, consignment)
    held = _held(app)
    assert {key: units for key, units in held.items() if key[0] in numbers.values()} == {
        (numbers["shipped in part"], "factory", "sold"): 5,
        (numbers["shipped in part"], "factory", "reserved"): 7,
        (numbers["forward cancelled"], "factory", "released"): 12,
        (numbers["collected"], "centre", "sold"): 12,
        (numbers["unpaid"], "centre", "reserved"): 12,
        (numbers["cancelled"], "centre", "released"): 12,
    }
    with state(app).db.read_session() as session:
        assert disagreements(session) == []


def test_a_rerouted_forward_is_released_at_the_factory_and_reserved_at_the_centre(
        app, consignment):
    db, c = state(app).db, consignment
    receive_at_centre(app, c.a, 50)
    with db.read_session() as session:
        forward = session.scalar(select(Forward.id).where(Forward.message_id == c.a.forwards[0]))
    fulfilment.reroute(db, forward, actor="staff:t")
    held = _held(app)
    assert held[(c.a.orders[0], "factory", "released")] == 12
    assert held[(c.a.orders[0], "centre", "reserved")] == 12
    orders.collect(db, c.a.orders[0])
    assert _held(app)[(c.a.orders[0], "centre", "sold")] == 12
    with db.read_session() as session:
        assert disagreements(session) == []


def test_a_reservation_its_allocations_do_not_match_is_named(app, consignment):
    db, c = state(app).db, consignment
    with db.unit_of_work() as session:
        session.execute(update(Allocation).where(Allocation.state == "reserved")
                        .values(quantity=Allocation.quantity + 1))
    with db.read_session() as session:
        found = disagreements(session)
    assert {(product, reserved + 1) for product, _, reserved, _ in found} == {
        (product, allocated) for product, _, _, allocated in found}
    assert {product for product, *_ in found} == {c.a.product_id, c.b.product_id}


def test_the_migration_derives_the_same_allocations_from_the_orders_before_it(app, consignment):
    _orders_in_every_state(app, consignment)
    written = _rows(app)
    assert {row[4] for row in written} == {"reserved", "sold", "released"}
    engine = state(app).db.engine
    migrate.downgrade(engine, "0006")
    migrate.upgrade(engine)
    assert _rows(app) == written
