"""What happens to a forward after it reaches its factory: accepted or rejected, shipped in one
or more parcels, delivered; or cancelled, or rerouted to the centre's stock by staff.

A forward only moves forward. A callback that repeats or comes after a later one is
acknowledged and changes nothing (`Outcome.applied` is False); one that comes too early, or a
parcel for a forward that is closed, is refused, because a parcel is a fact someone must see.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from store_api.catalogue.models import Product
from store_api.catalogue.rules import MAX_QUANTITY
from store_api.core.db import Database
from store_api.core.errors import DomainError, NotFound
from store_api.core.models import OutboxMessage
from store_api.core.names import FORWARD_STATE_NAMES
from store_api.fulfilment.forwarding import TOPIC, record, stop
from store_api.fulfilment.models import (
    BEFORE_SHIPPING,
    OPEN_STATES,
    REJECT_REASONS,
    UNSENT,
    Forward,
    Shipment,
    ShipmentLine,
)
from store_api.orders import allocations, orders
from store_api.orders.models import FulfilmentGroup, OrderLine
from store_api.stock.locations import centre_location

# How far along each state is; an event whose target is at or behind the current state is stale.
PROGRESS = {"queued": 0, "sending": 1, "submitted": 2, "accepted": 3, "shipped": 4,
            "delivered": 5}
MAX_SHIPMENT_LINES = 100


@dataclass(frozen=True)
class Outcome:
    """What a factory's callback did: the forward's state after it, and whether it changed."""

    forward: str
    state: str
    applied: bool


@dataclass(frozen=True)
class ParcelLine:
    """Units of one SKU a factory says are in a parcel."""

    sku: str
    quantity: int


def _load(session: Session, query) -> Forward | None:
    return session.scalar(query.options(
        selectinload(Forward.group).selectinload(FulfilmentGroup.lines),
        selectinload(Forward.shipments).selectinload(Shipment.lines),
    ).with_for_update())


def factory_forward(session: Session, factory_id: int, message_id) -> Forward:
    """Return a factory's forward by its public id; another factory's is not found."""
    forward = None
    if isinstance(message_id, str) and len(message_id) <= 40:
        forward = _load(session, select(Forward).where(Forward.message_id == message_id,
                                                       Forward.factory_id == factory_id))
    if forward is None:
        raise NotFound(_l("There is no such forward."), field="forward")
    return forward


def _staff_forward(session: Session, forward_id: int) -> Forward:
    forward = _load(session, select(Forward).where(Forward.id == forward_id))
    if forward is None:
        raise NotFound(_l("There is no such forward."), field="forward")
    return forward


def _closed(forward: Forward) -> DomainError:
    return DomainError(_l("The forward is %(state)s; that cannot be done now."),
                       code="invalid_state", status=409,
                       state=FORWARD_STATE_NAMES[forward.state])


def _is_stale(forward: Forward, target: str) -> bool:
    if forward.state == target:
        return True
    if forward.state in PROGRESS and target in PROGRESS:
        return PROGRESS[forward.state] > PROGRESS[target]
    # Rejected, cancel requested or cancelled: the forward went another way already.
    return forward.state in ("rejected", "cancel_requested", "cancelled", "delivered")


def _outcome(forward: Forward, applied: bool) -> Outcome:
    return Outcome(forward.message_id, forward.state, applied)


def accept(db: Database, factory_id: int, message_id, *, actor: str) -> Outcome:
    """The factory will ship this forward."""
    with db.unit_of_work() as session:
        forward = factory_forward(session, factory_id, message_id)
        if _is_stale(forward, "accepted"):
            return _outcome(forward, False)
        record(session, forward, "accepted", actor=actor)
        return _outcome(forward, True)


def reject(db: Database, factory_id: int, message_id, reason, note="", *,
           actor: str) -> Outcome:
    """The factory cannot ship this forward; staff reroute or cancel it."""
    if reason not in REJECT_REASONS:
        raise DomainError(_l("Choose a reason: out of stock, bad address or other."),
                          code="invalid_reason", field="reason")
    if not isinstance(note, str) or len(note) > 500:
        raise DomainError(_l("At most %(limit)s characters."), code="too_long", field="note",
                          limit=500)
    with db.unit_of_work() as session:
        forward = factory_forward(session, factory_id, message_id)
        if forward.state not in BEFORE_SHIPPING:
            return _outcome(forward, False)
        forward.reason = reason
        record(session, forward, "rejected", actor=actor, note=note.strip())
        return _outcome(forward, True)


def _remaining(session: Session, forward: Forward) -> dict[int, int]:
    """Units of each product ordered in the forward and not in any parcel yet: what its group
    still holds reserved."""
    left: dict[int, int] = defaultdict(int)
    for row in allocations.reserved(session, [forward.group]):
        left[row.product_id] += row.quantity
    return left


def _parcel(session: Session, forward: Forward, lines: list[ParcelLine] | None) -> dict[int, int]:
    left = _remaining(session, forward)
    if not lines:
        return {product: quantity for product, quantity in left.items() if quantity > 0}
    if len(lines) > MAX_SHIPMENT_LINES:
        raise DomainError(_l("Too many items."), code="invalid_input", field="lines")
    skus = {line.sku for line in lines if isinstance(line.sku, str)}
    products = {p.sku: p.id for p in session.scalars(
        select(Product).where(Product.sku.in_(skus), Product.id.in_(left.keys())))}
    parcel: dict[int, int] = defaultdict(int)
    for index, line in enumerate(lines):
        field = f"lines[{index}]"
        product_id = products.get(line.sku)
        if product_id is None:
            raise DomainError(_l("This SKU is not in the forward."), code="unknown_sku",
                              field=f"{field}.sku")
        quantity = line.quantity
        if isinstance(quantity, bool) or not isinstance(quantity, int) or not (
                0 < quantity <= MAX_QUANTITY):
            raise DomainError(_l("Quantity must be greater than zero."),
                              code="invalid_quantity", field=f"{field}.quantity")
        parcel[product_id] += quantity
        if parcel[product_id] > left[product_id]:
            raise DomainError(_l("More units than the forward has left to ship."),
                              code="over_shipped", field=f"{field}.quantity")
    return parcel


def _check_tracking(carrier, tracking_number) -> tuple[str, str]:
    for field, value in (("carrier", carrier), ("tracking_number", tracking_number)):
        if not isinstance(value, str) or not value.strip():
            raise DomainError(_l("This field is required."), code="required", field=field)
        if len(value.strip()) > 60:
            raise DomainError(_l("At most %(limit)s characters."), code="too_long", field=field,
                              limit=60)
    return carrier.strip(), tracking_number.strip()


def add_shipment(db: Database, factory_id: int, message_id, carrier, tracking_number,
                 lines: list[ParcelLine] | None = None, *, actor: str) -> Outcome:
    """A parcel left the factory: its units are sold from factory stock, the buyer sees the
    tracking number. Without lines the parcel holds everything not shipped yet."""
    carrier, tracking_number = _check_tracking(carrier, tracking_number)
    with db.unit_of_work() as session:
        forward = factory_forward(session, factory_id, message_id)
        if any((s.carrier, s.tracking_number) == (carrier, tracking_number)
               for s in forward.shipments):
            return _outcome(forward, False)
        if forward.state not in BEFORE_SHIPPING + ("shipped",):
            raise _closed(forward)
        parcel = _parcel(session, forward, lines)
        group = forward.group
        shipment = Shipment(forward_id=forward.id, carrier=carrier,
                            tracking_number=tracking_number)
        session.add(shipment)
        session.flush()
        for product_id, quantity in sorted(parcel.items()):
            session.add(ShipmentLine(shipment_id=shipment.id, product_id=product_id,
                                     quantity=quantity))
        allocations.sell(session, group, actor=actor, note=f"{carrier} {tracking_number}",
                         parcel=parcel)
        group.status = "shipped"
        record(session, forward, "shipped", actor=actor, note=f"{carrier} {tracking_number}")
        return _outcome(forward, True)


def mark_delivered(db: Database, factory_id: int, message_id, *, actor: str) -> Outcome:
    """Every parcel of the forward reached the buyer."""
    with db.unit_of_work() as session:
        forward = factory_forward(session, factory_id, message_id)
        if _is_stale(forward, "delivered") and forward.state != "cancel_requested":
            return _outcome(forward, False)
        if forward.state != "shipped" or any(q > 0 for q in _remaining(session, forward).values()):
            raise DomainError(_l("Ship every unit before reporting the forward delivered."),
                              code="invalid_state", status=409)
        forward.group.status = "delivered"
        record(session, forward, "delivered", actor=actor)
        orders.close_if_done(session, forward.group.order)
        return _outcome(forward, True)


def confirm_cancelled(db: Database, factory_id: int, message_id, *, actor: str) -> Outcome:
    """The factory confirms it stopped a forward the centre asked to cancel."""
    with db.unit_of_work() as session:
        forward = factory_forward(session, factory_id, message_id)
        if forward.state != "cancel_requested":
            if forward.state == "cancelled":
                return _outcome(forward, False)
            raise _closed(forward)
        record(session, forward, "cancelled", actor=actor)
        return _outcome(forward, True)


def reroute(db: Database, forward_id: int, *, actor: str) -> None:
    """Serve a forward's group from the centre's stock instead (staff): the centre's units are
    reserved, the factory's released, and the group goes out by local delivery."""
    with db.unit_of_work() as session:
        forward = _staff_forward(session, forward_id)
        stop(session, forward, actor=actor, reason="rerouted")
        group = forward.group
        centre = centre_location(session)
        allocations.release(session, [group], actor=actor, order_id=group.order_id,
                            note="rerouted")
        allocations.reserve(session, group.lines, centre.id, actor=actor,
                            order_id=group.order_id)
        group.kind, group.location_id, group.status = "local_delivery", centre.id, "pending"


def cancel_forward(db: Database, forward_id: int, *, actor: str) -> None:
    """Cancel one forward's group (staff): its stock goes back on sale; an order with nothing
    left is cancelled."""
    with db.unit_of_work() as session:
        forward = _staff_forward(session, forward_id)
        stop(session, forward, actor=actor, reason="cancelled")
        group = forward.group
        allocations.release(session, [group], actor=actor, order_id=group.order_id,
                            note="forward cancelled")
        group.status = "cancelled"
        orders.close_if_done(session, group.order)


def needing_staff(session: Session) -> list[Forward]:
    """Forwards a person must look at: rejected ones, and those whose delivery gave up."""
    dead = select(OutboxMessage.message_id).where(OutboxMessage.status == "dead",
                                                  OutboxMessage.topic == TOPIC)
    return list(session.scalars(
        select(Forward).where((Forward.state == "rejected")
                              | (Forward.state.in_(UNSENT)
                                 & Forward.message_id.in_(dead)))
        .options(selectinload(Forward.group).selectinload(FulfilmentGroup.order),
                 selectinload(Forward.factory))
        .order_by(Forward.id)))


def past_promise(session: Session, now) -> list[Forward]:
    """Forwards the factory holds that are not on their way by the dispatch promise, oldest
    first: the centre should call the factory, or serve the order another way."""
    waiting = session.scalars(
        select(Forward).where(Forward.state.in_(BEFORE_SHIPPING))
        .options(selectinload(Forward.group).selectinload(FulfilmentGroup.order),
                 selectinload(Forward.factory))
        .order_by(Forward.created_at))
    return [forward for forward in waiting if dispatch_by(forward) < now]


def dispatch_by(forward: Forward):
    """Return when the factory promised to have the forward's goods on their way."""
    return forward.created_at + timedelta(hours=forward.group.dispatch_promise_hours or 0)


def forward_view(forward: Forward) -> dict:
    """Return what a factory sees of one of its forwards."""
    group = forward.group
    shipped: dict[int, int] = defaultdict(int)
    for shipment in forward.shipments:
        for line in shipment.lines:
            shipped[line.product_id] += line.quantity
    skus = {line.product_id: line.product.sku for line in group.lines}
    return {
        "id": forward.message_id,
        "order": group.order.number,
        "state": forward.state,
        "reason": forward.reason,
        "created_at": forward.created_at,
        "dispatch_by": dispatch_by(forward),
        "ship_to": {"name": group.recipient_name, "phone": group.recipient_phone,
                    "address": group.address},
        "lines": [{"sku": line.product.sku, "name_zh": line.product.name_zh,
                   "name_en": line.product.name_en, "quantity": line.quantity,
                   "shipped": shipped.get(line.product_id, 0)} for line in group.lines],
        "shipments": [{"carrier": s.carrier, "tracking_number": s.tracking_number,
                       "created_at": s.created_at,
                       "lines": [{"sku": skus.get(line.product_id, ""),
                                  "quantity": line.quantity} for line in s.lines]}
                      for s in forward.shipments],
    }


def factory_forwards(session: Session, factory_id: int, *, states=None, since=None,
                     limit: int = 200) -> list[Forward]:
    """Return a factory's forwards, newest first, optionally in some states or changed since."""
    query = (select(Forward).where(Forward.factory_id == factory_id)
             .options(selectinload(Forward.group).selectinload(FulfilmentGroup.lines)
                      .selectinload(OrderLine.product),
                      selectinload(Forward.group).selectinload(FulfilmentGroup.order),
                      selectinload(Forward.shipments).selectinload(Shipment.lines))
             .order_by(Forward.id.desc()).limit(limit))
    if states:
        query = query.where(Forward.state.in_(states))
    if since is not None:
        query = query.where(Forward.updated_at >= since)
    return list(session.scalars(query))


def open_ids(session: Session, factory_id: int) -> list[str]:
    """Return the ids of every forward the factory still has to act on, for reconciliation."""
    return list(session.scalars(select(Forward.message_id)
                                .where(Forward.factory_id == factory_id,
                                       Forward.state.in_(OPEN_STATES))
                                .order_by(Forward.id)))
