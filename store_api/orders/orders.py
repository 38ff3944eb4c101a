"""What happens to an order after it is placed: payment, pick-up, collection, cancellation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from shelf_labels import codes
from store_api.buyers.models import Buyer
from store_api.catalogue.models import Product
from store_api.core import events
from store_api.core.db import Database
from store_api.core.errors import DomainError, NotFound
from store_api.core.models import utcnow
from store_api.core.names import ORDER_STATUS_NAMES
from store_api.core.state import AppState
from store_api.orders import allocations, credit, signals
from store_api.orders.models import PAYMENT_METHODS, FulfilmentGroup, Order, OrderLine, Payment
from store_api.printing import queue as printing

CENTRE_KINDS = ("pickup", "local_delivery")
# Group states whose goods have left: the order can no longer be cancelled.
GONE = ("collected", "shipped", "delivered")


def load_order(session: Session, number: str, *, lock: bool = False) -> Order | None:
    """Return an order with its groups, lines and products, or None; forged numbers never query.

    lock takes the order's row lock (PostgreSQL), so two counter actions on one order run one
    after the other; SQLite's write transactions are serial already.
    """
    number = codes.normalise(number)
    if not codes.is_valid(number):
        return None
    query = select(Order).where(Order.number == number)
    if lock:
        query = query.with_for_update()
    return session.scalar(
        query.options(
            selectinload(Order.groups).selectinload(FulfilmentGroup.lines)
            .selectinload(OrderLine.product).selectinload(Product.images),
            selectinload(Order.groups).selectinload(FulfilmentGroup.factory),
            # A forward with its shipments: fulfilment's model, reached through the mapper
            # because orders sit below fulfilment and do not import it.
            selectinload(Order.groups).selectinload(FulfilmentGroup.forward)
            .selectinload(FulfilmentGroup.forward.property.mapper.class_.shipments),
        )
    )


def buyer_orders(session: Session, buyer_id: int, limit: int = 50) -> list[Order]:
    """Return a buyer's latest orders, newest first, with their lines' products."""
    return list(session.scalars(
        select(Order).where(Order.buyer_id == buyer_id)
        .order_by(Order.created_at.desc(), Order.id.desc()).limit(limit)
        .options(selectinload(Order.lines).selectinload(OrderLine.product))))


def _order_for_update(session: Session, number: str) -> Order:
    order = load_order(session, number, lock=True)
    if order is None:
        raise NotFound(_l("There is no order with this number."), field="number")
    return order


def _bad_state(order: Order):
    return DomainError(_l("The order is %(state)s; that cannot be done now."),
                       code="invalid_state", status=409, state=ORDER_STATUS_NAMES[order.status])


def _move(session: Session, order: Order, before: tuple[str, ...], after: str, **values) -> None:
    """Change an order's status only from an expected one, so two changes cannot both win."""
    result = session.execute(
        update(Order).where(Order.id == order.id, Order.status.in_(before))
        .values(status=after, **values)
    )
    if result.rowcount != 1:
        raise _bad_state(order)
    session.refresh(order)


def _release(session: Session, order: Order, groups: list[FulfilmentGroup], actor: str) -> None:
    """Put back on sale what the groups hold reserved; they are cancelled."""
    allocations.release(session, groups, actor=actor, order_id=order.id, note=order.status)
    for group in groups:
        group.status = "cancelled"


def pay(db: Database, number: str, *, method, reference, user_id: int) -> None:
    """Record payment; factory groups go to forwarding and a receipt is queued for printing."""
    if method not in PAYMENT_METHODS:
        raise DomainError(_l("Choose a payment method."), code="invalid_payment_method",
                          field="method")
    if not isinstance(reference, str) or len(reference) > 100:
        raise DomainError(_l("At most %(limit)s characters."), code="too_long",
                          field="reference", limit=100)
    with db.unit_of_work() as session:
        order = _order_for_update(session, number)
        if method == "on_account":
            buyer = session.get(Buyer, order.buyer_id, with_for_update=True)
            if not buyer.on_account:
                raise DomainError(_l("This buyer is not approved to pay on account."),
                                  code="on_account_not_allowed", field="method", status=403)
            credit.check(session, buyer, order.total_fen, but=order.id)
            credit.charge(session, order, actor=f"user:{user_id}")
        _move(session, order, ("awaiting_payment",), "paid", paid_at=utcnow(), hold_until=None)
        session.add(Payment(order_id=order.id, method=method, reference=reference.strip(),
                            amount_fen=order.total_fen, user_id=user_id))
        for group in order.groups:
            if group.kind == "factory_shipment" and group.forward is None:
                signals.factory_group_payable.send(group, session=session)
        printing.queue(session, "receipt", "counter", receipt(order, method, reference.strip()))
        events.order_changed(session, order)


def receipt(order: Order, method: str, reference: str) -> dict:
    """Return the plain data a receipt prints, fixed at payment so a reprint shows the same."""
    return {
        "order": order.number,
        "placed_at": order.created_at.isoformat(),
        "method": method,
        "reference": reference,
        "total_fen": order.total_fen,
        "track_path": f"/orders/{order.number}",
        "lines": [
            {"sku": line.product.sku, "name": line.product.name_zh, "quantity": line.quantity,
             "unit_price_fen": line.unit_price_fen, "level": line.member_level,
             "tier": line.tier_quantity}
            for group in order.groups for line in group.lines
        ],
        "groups": [
            {"kind": group.kind, "status": group.status,
             "promise_hours": group.dispatch_promise_hours}
            for group in order.groups
        ],
    }


def _centre_group(order: Order, group_id) -> FulfilmentGroup:
    group = next((g for g in order.groups if g.id == group_id), None)
    if group is None or group.kind not in CENTRE_KINDS:
        raise NotFound(_l("There is no such pick-up group in this order."), field="group")
    return group


def mark_picked(db: Database, number: str, group_id: int) -> None:
    """Staff have taken a pick-up group's goods off the shelf."""
    with db.unit_of_work() as session:
        order = _order_for_update(session, number)
        group = _centre_group(order, group_id)
        if order.status != "paid" or group.status != "pending":
            raise _bad_state(order)
        group.status = "picked"
        events.order_changed(session, order)


def collect(db: Database, number: str, group_id: int | None = None) -> None:
    """The buyer takes a picked group (or every open centre group); the stock is sold."""
    with db.unit_of_work() as session:
        order = _order_for_update(session, number)
        if order.status != "paid":
            raise _bad_state(order)
        groups = ([_centre_group(order, group_id)] if group_id is not None else
                  [g for g in order.groups if g.kind in CENTRE_KINDS])
        groups = [g for g in groups if g.status in ("pending", "picked")]
        if not groups:
            raise _bad_state(order)
        for group in groups:
            allocations.sell(session, group, actor="counter")
            group.status = "collected"
        events.order_changed(session, order)
        close_if_done(session, order)


def cancel(db: Database, number: str, *, actor: str) -> None:
    """Cancel an order whose goods have not left; every held unit goes back on sale and each
    factory is told to stop."""
    with db.unit_of_work() as session:
        order = _order_for_update(session, number)
        if any(g.status in GONE for g in order.groups):
            raise _bad_state(order)
        if order.status == "paid" and any(p.method == "on_account" for p in order.payments):
            credit.reverse(session, order, actor=actor)
        _move(session, order, ("awaiting_payment", "paid"), "cancelled", closed_at=utcnow())
        _release(session, order, order.groups, actor)
        for group in order.groups:
            signals.group_cancelled.send(group, session=session, actor=actor)
        events.order_changed(session, order)


def close_if_done(session: Session, order: Order) -> None:
    """Complete a paid order once every group has reached the buyer or been cancelled."""
    statuses = {group.status for group in order.groups}
    if order.status == "paid" and statuses <= {"collected", "delivered", "cancelled"}:
        after = "cancelled" if statuses == {"cancelled"} else "completed"
        _move(session, order, ("paid",), after, closed_at=utcnow())
        events.order_changed(session, order)


def expire_overdue(app_state: AppState) -> int:
    """Cancel unpaid orders past their hold and release their stock; return how many."""
    db = app_state.db
    with db.read_session() as session:
        numbers = list(session.scalars(
            select(Order.number).where(Order.status == "awaiting_payment",
                                       Order.hold_until < utcnow()).limit(100)))
    expired = 0
    for number in numbers:
        with db.unit_of_work() as session:
            order = load_order(session, number, lock=True)
            try:
                _move(session, order, ("awaiting_payment",), "expired", closed_at=utcnow())
            except DomainError:
                continue  # paid or cancelled at the counter in the meantime
            _release(session, order, order.groups, "hold-expiry")
            events.order_changed(session, order)
            expired += 1
    return expired



def order_summary(order: Order, phone: str | None = None) -> dict:
    """Return what the buyer's page and the API show of an order."""
    return {
        "number": order.number,
        "status": order.status,
        "total_fen": order.total_fen,
        "hold_until": order.hold_until.isoformat() if order.hold_until else None,
        "groups": [
            {
                "id": group.id,
                "kind": group.kind,
                "status": group.status,
                "subtotal_fen": group.subtotal_fen,
                "factory": group.factory.code if group.factory else None,
                "dispatch_promise_hours": group.dispatch_promise_hours,
                "lines": [{"sku": line.product.sku, "name_zh": line.product.name_zh,
                           "name_en": line.product.name_en, "quantity": line.quantity,
                           "unit_price_fen": line.unit_price_fen} for line in group.lines],
                "forward": _forward_summary(group.forward),
            }
            for group in order.groups
        ],
    }


def _forward_summary(forward) -> dict | None:
    if forward is None:
        return None
    return {"state": forward.state, "reason": forward.reason,
            "shipments": [{"carrier": s.carrier, "tracking_number": s.tracking_number}
                          for s in forward.shipments]}
