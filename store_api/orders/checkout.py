"""Checkout: allocate each line to a source, then place the order in one transaction.

One unit of work writes the reservations, the order, its lines and fulfilment groups, the
ledger rows and the outbox rows. The same idempotency key always returns the same order.
"""

from __future__ import annotations

import hashlib
import json
import math
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, bindparam, delete, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shelf_labels.codes import new_code
from shelf_labels.money import yuan
from store_api.buyers.models import Buyer
from store_api.core import events
from store_api.core.db import Database
from store_api.core.errors import DomainError, InsufficientStock
from store_api.core.models import utcnow
from store_api.core.settings import Settings
from store_api.factories.models import Factory
from store_api.orders import allocations, credit, holds, signals
from store_api.orders.carts import (
    LineView,
    check_quantity,
    priced_lines,
    products_by_sku,
    shortfalls,
    unknown_sku,
    view,
)
from store_api.orders.models import Cart, CartLine, FulfilmentGroup, Order, OrderLine
from store_api.orders.orders import load_order, order_summary
from store_api.stock import inventory
from store_api.stock.locations import CENTRE_LOCATION, centre_location
from store_api.stock.models import StockLevel, StockLocation

MAX_ORDER_LINES = 100

# Checkout's statements are built once: building one cost more than running it. The buyer's
# row is locked: what their unpaid orders hold and what they owe on account is read and added
# to by one of their checkouts at a time.
_BUYER_AND_KEY = (
    select(Buyer, Order.number, Order.request_hash)
    .outerjoin(Order, Order.idempotency_key == bindparam("key"))
    .where(Buyer.id == bindparam("buyer")).with_for_update(of=Buyer))
_KEY = select(Order.number, Order.request_hash).where(Order.idempotency_key == bindparam("key"))
_SOURCES = (
    select(StockLocation.id, StockLocation.factory_id, StockLevel.product_id,
           StockLevel.on_hand - StockLevel.reserved)
    .outerjoin(StockLevel, and_(StockLevel.location_id == StockLocation.id,
                                StockLevel.product_id.in_(bindparam("products", expanding=True))))
    .where(or_(StockLocation.code == CENTRE_LOCATION,
               StockLocation.factory_id.in_(bindparam("factories", expanding=True)))))
_INSERT_ORDER = insert(Order.__table__).returning(Order.__table__.c.id)
_INSERT_GROUPS = insert(FulfilmentGroup.__table__).returning(
    FulfilmentGroup.__table__.c.id, sort_by_parameter_order=True)
_INSERT_LINES = insert(OrderLine.__table__)
# A race lost between reading stock and reserving it is tried again with fresh numbers.
ATTEMPTS = 3
_EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class Delivery:
    """How the buyer wants the goods: centre goods picked up or delivered, factory goods shipped."""

    centre: str = "pickup"  # or "local_delivery"
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    recipient_name: str = ""
    recipient_phone: str = ""
    ship_address: str = ""


@dataclass
class PlannedGroup:
    kind: str
    location_id: int
    factory: Factory | None
    lines: list[tuple[LineView, int]] = field(default_factory=list)

    @property
    def subtotal_fen(self) -> int:
        return sum(quantity * line.unit_price_fen for line, quantity in self.lines)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points, in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def _lines_from(session: Session, requested: list[tuple], buyer: Buyer, base_level: str):
    if not requested:
        raise DomainError(_l("The cart is empty."), code="cart_empty", field="lines")
    if len(requested) > MAX_ORDER_LINES:
        raise DomainError(_l("An order holds at most %(n)s products."), code="too_many_lines",
                          field="lines", n=MAX_ORDER_LINES)
    products = products_by_sku(session, [sku for sku, _ in requested])
    seen: set[str] = set()
    pairs = []
    for index, (sku, quantity) in enumerate(requested):
        product = products.get(sku) if isinstance(sku, str) else None
        if product is None:
            raise unknown_sku(f"lines[{index}].sku")
        if sku in seen:
            raise DomainError(_l("This product is in the order twice."), code="duplicate_line",
                              field=f"lines[{index}].sku")
        seen.add(sku)
        pairs.append((product, check_quantity(quantity, product, f"lines[{index}].quantity")))
    return priced_lines(pairs, buyer.member_level, base_level)


def plan(session: Session, lines: list[LineView], allocate_first: str) -> list[PlannedGroup]:
    """Split lines over the centre and each product's factory, in the configured order."""
    # The sources and what each holds of the lines' products, in one query.
    rows = session.execute(_SOURCES, {
        "products": [line.product.id for line in lines],
        "factories": list({line.product.factory_id for line in lines})})
    factory_locations, available = {}, {}
    for location_id, factory_id, product_id, free in rows:
        factory_locations[factory_id] = location_id
        if product_id is not None:
            available[(product_id, location_id)] = free
    centre = factory_locations.pop(None, None) or centre_location(session).id
    return split(lines, available, centre, factory_locations, allocate_first)


def split(lines: list[LineView], available: dict[tuple[int, int], int], centre: int,
          factory_locations: dict[int, int], allocate_first: str) -> list[PlannedGroup]:
    """Split lines over the centre and each product's factory by what each has free
    ((product, location) -> units), the centre first unless allocate_first is "factory";
    a line no source can fill is refused. Centre groups come first, then by location."""
    groups: dict[int, PlannedGroup] = {}
    for index, line in enumerate(lines):
        factory = line.product.factory
        sources = [(centre, None), (factory_locations.get(factory.id), factory)]
        if allocate_first == "factory":
            sources.reverse()
        wanted = line.quantity
        for location, source_factory in sources:
            if location is None or wanted == 0:
                continue
            take = min(wanted, max(available.get((line.product.id, location), 0), 0))
            if take:
                kind = "factory_shipment" if source_factory else "centre"
                group = groups.setdefault(location, PlannedGroup(kind, location, source_factory))
                group.lines.append((line, take))
                wanted -= take
        if wanted:
            raise InsufficientStock(line.product.id, centre, wanted,
                                    field=f"lines[{index}].quantity", sku=line.product.sku)
    return sorted(groups.values(), key=lambda g: (g.kind != "centre", g.location_id))


def _request_hash(buyer_id: int, requested: list[tuple], delivery: Delivery,
                  cart_token: str | None) -> str:
    # An order from a cart is identified by the cart: a retry finds it already emptied.
    what = ["cart", cart_token] if cart_token else ["lines", [list(pair) for pair in requested]]
    canonical = json.dumps([buyer_id, what, delivery.__dict__], sort_keys=True,
                           ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _check_delivery(
    groups: list[PlannedGroup], delivery: Delivery, settings: Settings
) -> float | None:
    """Refuse a delivery choice that the groups cannot use; return the delivery distance."""
    if delivery.centre not in ("pickup", "local_delivery"):
        raise DomainError(_l("Choose pick-up or local delivery."), code="invalid_choice",
                          field="delivery.centre")
    distance = None
    if delivery.centre == "local_delivery" and any(g.kind == "centre" for g in groups):
        if not delivery.address.strip():
            raise DomainError(_l("Enter the delivery address."), code="required",
                              field="delivery.address")
        latitude, longitude = delivery.latitude, delivery.longitude
        if (latitude is None or longitude is None or not math.isfinite(latitude)
                or not math.isfinite(longitude) or abs(latitude) > 90 or abs(longitude) > 180):
            raise DomainError(_l("Share your location so we can check the distance."),
                              code="location_required", field="delivery.latitude")
        distance = distance_km(settings.centre.latitude, settings.centre.longitude,
                               delivery.latitude, delivery.longitude)
        radius = settings.orders.local_delivery_radius_km
        if distance > radius:
            raise DomainError(
                _l("Local delivery reaches %(radius)s km; this address is %(distance)s km away."),
                code="outside_delivery_radius", field="delivery.address",
                radius=f"{radius:g}", distance=f"{distance:.1f}")
    if any(g.kind == "factory_shipment" for g in groups):
        for name in ("recipient_name", "recipient_phone", "ship_address"):
            if not getattr(delivery, name).strip():
                raise DomainError(_l("The factory needs a name, phone and address to ship to."),
                                  code="required", field=f"delivery.{name}")
    return distance


def check_buyer(buyer: Buyer, groups: list[PlannedGroup], delivery: Delivery) -> None:
    """Refuse what only a proved account may order: a guest takes centre goods away, unpaid
    only until the hold ends; delivery and factory shipments need the phone proved."""
    if buyer.is_guest and (delivery.centre != "pickup"
                           or any(g.kind == "factory_shipment" for g in groups)):
        raise DomainError(_l("Sign in with your phone to have goods delivered or shipped from "
                             "the factory; without it you can pick up what the centre holds."),
                          code="sign_in_required", field="buyer", status=403)
    if not buyer.is_guest and not (buyer.name and buyer.business_type):
        raise DomainError(_l("Tell us your name and business before your first order."),
                          code="details_required", field="name")


def _replay(session: Session, used, request_hash: str) -> dict | None:
    """Return the order a key placed (used holds its number and request hash), or None; refuse a
    key that placed a different order."""
    if used is None or used.number is None:
        return None
    if used.request_hash != request_hash:
        raise DomainError(_l("This idempotency key was used for a different order."),
                          code="idempotency_conflict", status=409)
    return order_summary(load_order(session, used.number))


def _group_row(planned: PlannedGroup, buyer: Buyer, delivery: Delivery,
               distance: float | None) -> dict:
    row = {"location_id": planned.location_id, "status": "pending",
           "subtotal_fen": planned.subtotal_fen, "dispatch_promise_hours": None,
           "factory_id": None, "address": "", "distance_km": None}
    if planned.kind == "centre":
        row.update(kind=delivery.centre, recipient_name=buyer.name,
                   recipient_phone=buyer.contact_phone or buyer.phone)
        if delivery.centre == "local_delivery":
            row.update(address=delivery.address.strip(), distance_km=distance)
    else:
        row.update(kind="factory_shipment", factory_id=planned.factory.id,
                   dispatch_promise_hours=planned.factory.dispatch_promise_hours,
                   recipient_name=delivery.recipient_name.strip(),
                   recipient_phone=delivery.recipient_phone.strip(),
                   address=delivery.ship_address.strip())
    return row


def _write(session: Session, buyer: Buyer, key: str, request_hash: str, lines: list[LineView],
           delivery: Delivery, settings: Settings, cart_token: str | None,
           scanner_id: str | None) -> dict:
    problems = shortfalls(lines)
    if problems:
        short = problems[0]
        raise DomainError(
            _l("%(factory)s needs at least %(minimum)s per order; add %(missing)s more."),
            code="mixed_batch_minimum", field="lines", factory=short.factory.name_zh,
            minimum=yuan(short.minimum_fen), missing=yuan(short.missing_fen))
    groups = plan(session, lines, settings.orders.allocate_first)
    check_buyer(buyer, groups, delivery)
    if buyer.on_account:
        credit.check(session, buyer, sum(line.total_fen for line in lines))
    else:
        holds.check(session, buyer, lines, settings.holds)
    distance = _check_delivery(groups, delivery, settings)
    # Checkout is the busiest write, so its rows go in as plain statements: the ORM's
    # bookkeeping for them cost more than the database did (benchmarks/checkout.py).
    order_row = {
        "number": new_code(secrets.randbits), "idempotency_key": key,
        "request_hash": request_hash, "buyer_id": buyer.id, "scanner_id": scanner_id,
        "status": "awaiting_payment",
        "total_fen": sum(line.total_fen for line in lines),
        # A member on account pays later by invoice: nothing expires, factories start at once.
        "hold_until": None if buyer.on_account else (
            utcnow() + timedelta(minutes=settings.orders.hold_minutes)),
    }
    # A second request with the same key stops here, before reserving.
    order_id = session.execute(_INSERT_ORDER, order_row).scalar()
    group_rows = [{**_group_row(planned, buyer, delivery, distance), "order_id": order_id}
                  for planned in groups]
    group_ids = session.scalars(_INSERT_GROUPS, group_rows).all()
    # The answer is made of what was written, in the shape order_summary reads.
    placed = SimpleNamespace(**order_row, groups=[])
    line_rows, reservations = [], []
    for planned, row, group_id in zip(groups, group_rows, group_ids, strict=True):
        group = SimpleNamespace(**row, id=group_id, factory=planned.factory, forward=None,
                                lines=[])
        placed.groups.append(group)
        for line, quantity in planned.lines:
            line_row = {"order_id": order_id, "group_id": group_id, "product_id": line.product.id,
                        "quantity": quantity, "unit_price_fen": line.unit_price_fen,
                        "member_level": line.tier.member_level,
                        "tier_quantity": line.tier.min_quantity}
            line_rows.append(line_row)
            group.lines.append(SimpleNamespace(**line_row, product=line.product))
            reservations.append(inventory.StockLine(line.product.id, planned.location_id,
                                                    quantity))
    session.execute(_INSERT_LINES, line_rows)
    allocations.reserve_order(session, order_id)
    if buyer.on_account and any(planned.factory for planned in groups):
        placed = load_order(session, order_row["number"])
        for group in placed.groups:
            if group.kind == "factory_shipment":
                signals.factory_group_payable.send(group, session=session)
    if cart_token:
        # Only what was ordered leaves the cart: a line added meanwhile in another tab stays.
        cart = select(Cart.id).where(Cart.token == cart_token).scalar_subquery()
        ordered = [line.product.id for line in lines]
        session.execute(delete(CartLine).where(CartLine.cart_id == cart,
                                               CartLine.product_id.in_(ordered)))
    events.order_changed(session, placed, [line.product for line in lines])
    # Stock rows are locked last, so concurrent orders for one product wait only for a commit.
    inventory.reserve(session, reservations, actor=f"buyer:{buyer.id}", order_id=order_id)
    return order_summary(placed)


def _buyer_required() -> DomainError:
    return DomainError(_l("Tell us who you are before ordering."), code="buyer_required",
                       field="buyer", status=401)


def place_order(db: Database, *, buyer_id: int | None, requested: list[tuple],
                delivery: Delivery, idempotency_key, settings: Settings,
                cart_token: str | None = None, scanner_id: str | None = None) -> dict:
    """Place an order for (sku, quantity) pairs; return it as order_summary shows it, the same
    order for a repeated key."""
    if not isinstance(idempotency_key, str) or not 8 <= len(idempotency_key) <= 64:
        raise DomainError(_l("Send an Idempotency-Key of 8 to 64 characters."),
                          code="idempotency_key_required", field="Idempotency-Key")
    if buyer_id is None:
        raise _buyer_required()
    request_hash = _request_hash(buyer_id, requested, delivery, cart_token)
    base_level = settings.catalogue.member_levels[0]
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with db.unit_of_work() as session:
                # The buyer and what the key already placed, in one query.
                found = session.execute(
                    _BUYER_AND_KEY, {"key": idempotency_key, "buyer": buyer_id}).first()
                placed = _replay(session, found, request_hash)
                if placed:
                    return placed
                if found is None:
                    raise _buyer_required()
                buyer = found.Buyer
                lines = _lines_from(session, requested, buyer, base_level)
                return _write(session, buyer, idempotency_key, request_hash, lines, delivery,
                              settings, cart_token, scanner_id)
        except IntegrityError:
            # Another request with the same key committed first; answer with its order.
            with db.read_session() as session:
                used = session.execute(_KEY, {"key": idempotency_key}).first()
                placed = _replay(session, used, request_hash)
            if placed:
                return placed
            raise
        except InsufficientStock:
            if attempt == ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def order_from_cart(db: Database, *, buyer_id: int | None, cart_token: str | None,
                    delivery: Delivery, idempotency_key, settings: Settings,
                    scanner_id: str | None = None) -> dict:
    """Place an order of what the device's cart holds (the page's checkout and the API's
    order without lines); an expired cart is refused."""
    base = settings.catalogue.member_levels[0]
    with db.read_session() as session:
        cart = view(session, cart_token, level=base, base_level=base,
                    idle_minutes=settings.carts.idle_minutes)
        if cart.expired:
            raise DomainError(_l("Your cart expired; add the products again."),
                              code="cart_expired", field="lines", status=410)
        requested = [(line.product.sku, line.quantity) for line in cart.lines]
    return place_order(db, buyer_id=buyer_id, requested=requested, delivery=delivery,
                       idempotency_key=idempotency_key, settings=settings,
                       cart_token=cart_token, scanner_id=scanner_id)
