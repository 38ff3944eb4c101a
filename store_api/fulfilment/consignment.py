"""A factory's side of consignment: its stock at the centre and at home, what sold, what it is
owed for a period, what has not sold for a month, and taking that back.

Every figure is read from stock levels and the ledger, so it agrees with the counter's. A
factory's stock changes only through the ledger: its own counts ("factory_count"), parcels
("sell") and returns to it ("return_to_factory").
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store_api.catalogue.models import Product
from store_api.core.db import Database
from store_api.core.errors import DomainError, NotFound
from store_api.core.models import utcnow
from store_api.factories.models import Factory
from store_api.orders.models import Order
from store_api.stock import inventory
from store_api.stock.locations import centre_location, factory_location
from store_api.stock.models import StockLedgerEntry, StockLevel, StockLocation

SOLD = ("sell",)  # ledger reasons that count as a sale; a buyer's return ("return") counts back
MAX_PERIOD_DAYS = 366


@dataclass(frozen=True)
class Period:
    """A span of whole days in the centre's time zone, kept as UTC instants."""

    first: date
    last: date
    start: datetime
    end: datetime


def period(first, last, timezone: str) -> Period:
    """Return the period from day `first` to day `last` inclusive (ISO dates or dates)."""
    try:
        first = first if isinstance(first, date) else date.fromisoformat(first)
        last = last if isinstance(last, date) else date.fromisoformat(last)
    except (TypeError, ValueError):
        raise DomainError(_l("Give dates as YYYY-MM-DD."), code="invalid_date",
                          field="from") from None
    if last < first or (last - first).days >= MAX_PERIOD_DAYS:
        raise DomainError(_l("A period runs forwards and is at most a year long."),
                          code="invalid_period", field="to")
    zone = ZoneInfo(timezone)
    start = datetime.combine(first, datetime.min.time(), zone)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), zone)
    return Period(first, last, start, end)


def month(text, timezone: str) -> Period:
    """Return the calendar month given as YYYY-MM."""
    try:
        year, number = (int(part) for part in str(text).split("-"))
        first = date(year, number, 1)
    except (TypeError, ValueError):
        raise DomainError(_l("Give the month as YYYY-MM."), code="invalid_date",
                          field="month") from None
    following = date(year + number // 12, number % 12 + 1, 1)
    return period(first, following - timedelta(days=1), timezone)


def this_month(timezone: str) -> str:
    """Return the current month in the centre as YYYY-MM."""
    return utcnow().astimezone(ZoneInfo(timezone)).strftime("%Y-%m")


def _centre_id(session: Session) -> int:
    return session.scalar(select(StockLocation.id).where(StockLocation.kind == "centre")) or 0


def _home_id(session: Session, factory_id: int) -> int:
    """The factory's stock location, or 0 (no rows) when it has none yet; reads create nothing."""
    return session.scalar(select(StockLocation.id)
                          .where(StockLocation.factory_id == factory_id)) or 0


def _products(session: Session, factory_id: int) -> list[Product]:
    return list(session.scalars(select(Product).where(Product.factory_id == factory_id)
                                .order_by(Product.sku)))


def factory_product(session: Session, factory_id: int, sku) -> Product:
    """Return a factory's product by SKU; another factory's is not found."""
    product = None
    if isinstance(sku, str) and len(sku) <= 40:
        product = session.scalar(select(Product).where(Product.sku == sku,
                                                       Product.factory_id == factory_id))
    if product is None:
        raise NotFound(_l("There is no such SKU."), field="sku")
    return product


def _sold(session: Session, product_ids: list[int], since: datetime,
          until: datetime | None = None) -> dict[int, int]:
    """Units sold less units buyers brought back, per product, in [since, until)."""
    query = (select(StockLedgerEntry.product_id, func.sum(-StockLedgerEntry.delta_on_hand))
             .where(StockLedgerEntry.product_id.in_(product_ids),
                    StockLedgerEntry.reason.in_(SOLD + ("return",)),
                    StockLedgerEntry.created_at >= since)
             .group_by(StockLedgerEntry.product_id))
    if until is not None:
        query = query.where(StockLedgerEntry.created_at < until)
    return {product: int(units) for product, units in session.execute(query)}


def _versions(session: Session, product_ids: list[int], location_id: int) -> dict[int, int]:
    rows = session.execute(
        select(StockLedgerEntry.product_id, func.max(StockLedgerEntry.id))
        .where(StockLedgerEntry.product_id.in_(product_ids),
               StockLedgerEntry.location_id == location_id,
               StockLedgerEntry.delta_on_hand != 0)
        .group_by(StockLedgerEntry.product_id))
    return dict(rows.all())


def etag(version: int | None) -> str:
    """Return the entity tag of a factory-held level: the last ledger row that changed it."""
    return f'"{version or 0}"'


@dataclass(frozen=True)
class StockRow:
    """One SKU of a factory: where its units are and how fast they go."""

    sku: str
    name_zh: str
    name_en: str
    supply_price_fen: int
    centre_on_hand: int
    centre_reserved: int
    factory_on_hand: int
    factory_reserved: int
    factory_version: str
    sold_week: int
    sold_month: int
    sold_period: int | None

    @property
    def sell_through_percent(self) -> float | None:
        """Units sold in the last 30 days against those sold plus those still on hand."""
        base = self.sold_month + self.centre_on_hand + self.factory_on_hand
        return round(100 * self.sold_month / base, 1) if base else None


def stock(session: Session, factory_id: int, within: Period | None = None,
          sku: str | None = None) -> list[StockRow]:
    """Return every SKU of a factory (or one) with its centre and factory stock and sales."""
    products = ([factory_product(session, factory_id, sku)] if sku is not None
                else _products(session, factory_id))
    ids = [p.id for p in products]
    centre, home = _centre_id(session), _home_id(session, factory_id)
    levels = {(level.product_id, level.location_id): level for level in session.scalars(
        select(StockLevel).where(StockLevel.product_id.in_(ids),
                                 StockLevel.location_id.in_((centre, home))))}
    versions = _versions(session, ids, home)
    now = utcnow()
    week = _sold(session, ids, now - timedelta(days=7))
    thirty = _sold(session, ids, now - timedelta(days=30))
    in_period = _sold(session, ids, within.start, within.end) if within else {}
    rows = []
    for product in products:
        at_centre = levels.get((product.id, centre))
        at_home = levels.get((product.id, home))
        rows.append(StockRow(
            product.sku, product.name_zh, product.name_en, product.supply_price_fen,
            at_centre.on_hand if at_centre else 0, at_centre.reserved if at_centre else 0,
            at_home.on_hand if at_home else 0, at_home.reserved if at_home else 0,
            etag(versions.get(product.id)), week.get(product.id, 0),
            thirty.get(product.id, 0), in_period.get(product.id, 0) if within else None))
    return rows


def set_factory_stock(db: Database, factory_id: int, sku, on_hand, if_match, *,
                      actor: str) -> str:
    """Set what a factory holds of a SKU, only if it has not changed since the version the
    factory read (If-Match); return the new version."""
    if not isinstance(if_match, str) or not if_match.strip():
        raise DomainError(_l("Send If-Match with the version you read, so two updates cannot "
                             "overwrite each other."), code="precondition_required",
                          field="If-Match", status=428)
    with db.unit_of_work() as session:
        product = factory_product(session, factory_id, sku)
        home = factory_location(session, session.get(Factory, factory_id)).id
        inventory.ensure_level(session, product.id, home)
        session.execute(select(StockLevel).where(StockLevel.product_id == product.id,
                                                 StockLevel.location_id == home)
                        .with_for_update())
        current = etag(_versions(session, [product.id], home).get(product.id))
        if if_match.strip().removeprefix("W/") != current:
            raise _changed()
        inventory.count(session, product.id, home, on_hand, actor=actor, reason="factory_count",
                        note="factory stock update")
        session.flush()
        return etag(_versions(session, [product.id], home).get(product.id))


def _changed() -> DomainError:
    return DomainError(_l("The stock changed since you read it; read it again."),
                       code="precondition_failed", field="If-Match", status=412)


@dataclass(frozen=True)
class SaleRow:
    """One sale (or a buyer's return, negative) of a factory's SKU."""

    at: datetime
    sku: str
    name_zh: str
    quantity: int
    source: str
    order: str | None
    supply_price_fen: int  # owed to the factory per unit

    @property
    def amount_fen(self) -> int:
        """What the factory is owed for this row."""
        return self.quantity * self.supply_price_fen


def sales(session: Session, factory_id: int, within: Period) -> list[SaleRow]:
    """Return each sale and buyer's return of a factory's SKUs in a period, oldest first."""
    rows = session.execute(
        select(StockLedgerEntry.created_at, Product.sku, Product.name_zh,
               StockLedgerEntry.delta_on_hand, StockLocation.kind, Order.number,
               Product.supply_price_fen)
        .join(Product, Product.id == StockLedgerEntry.product_id)
        .join(StockLocation, StockLocation.id == StockLedgerEntry.location_id)
        .outerjoin(Order, Order.id == StockLedgerEntry.order_id)
        .where(Product.factory_id == factory_id,
               StockLedgerEntry.reason.in_(SOLD + ("return",)),
               StockLedgerEntry.created_at >= within.start,
               StockLedgerEntry.created_at < within.end)
        .order_by(StockLedgerEntry.id))
    return [SaleRow(at, sku, name, -delta, kind, number, price)
            for at, sku, name, delta, kind, number, price in rows]


@dataclass(frozen=True)
class StatementLine:
    """Net units of one SKU sold in a period, times its supply price."""

    sku: str
    name_zh: str
    units: int  # sold, less what buyers brought back
    supply_price_fen: int  # what the centre owes the factory for one

    @property
    def amount_fen(self) -> int:
        """Units times supply price."""
        return self.units * self.supply_price_fen


@dataclass(frozen=True)
class ReturnLine:
    """Units of one SKU handed back to the factory in a period, at the return offer's value."""

    sku: str
    name_zh: str
    units: int  # handed back
    offer_unit_fen: int  # the return offer's percent of the supply price

    @property
    def value_fen(self) -> int:
        """Units times the offer's unit value."""
        return self.units * self.offer_unit_fen


@dataclass(frozen=True)
class Statement:
    """What the centre owes a factory for a period, and what went back to it."""

    within: Period  # the days it covers
    factory_code: str
    factory_name: str
    lines: list[StatementLine]
    returns: list[ReturnLine]

    @property
    def total_fen(self) -> int:
        """The amount owed: every line's units times supply price."""
        return sum(line.amount_fen for line in self.lines)


def offer_unit_fen(product: Product, percent: int) -> int:
    """Return a unit's value under the return offer, rounded down to the fen."""
    return product.supply_price_fen * percent // 100


def statement(session: Session, factory_id: int, within: Period, offer_percent: int) -> Statement:
    """Return a factory's settlement statement for a period."""
    factory = session.get(Factory, factory_id)
    units: dict[str, int] = defaultdict(int)
    for row in sales(session, factory_id, within):
        units[row.sku] += row.quantity
    products = {p.sku: p for p in _products(session, factory_id)}
    lines = [StatementLine(sku, products[sku].name_zh, count, products[sku].supply_price_fen)
             for sku, count in sorted(units.items()) if count]
    returned = session.execute(
        select(Product.sku, func.sum(StockLedgerEntry.delta_on_hand))
        .join(Product, Product.id == StockLedgerEntry.product_id)
        .where(Product.factory_id == factory_id, StockLedgerEntry.delta_on_hand > 0,
               StockLedgerEntry.reason == "return_to_factory",
               StockLedgerEntry.created_at >= within.start,
               StockLedgerEntry.created_at < within.end)
        .group_by(Product.sku).order_by(Product.sku))
    returns = [ReturnLine(sku, products[sku].name_zh, int(count),
                          offer_unit_fen(products[sku], offer_percent))
               for sku, count in returned if count]
    return Statement(within, factory.code, factory.name_zh, lines, returns)


@dataclass(frozen=True)
class UnsoldRow:
    """A SKU whose centre stock has not sold for the set number of days."""

    sku: str
    name_zh: str
    name_en: str
    available: int
    last_sale: datetime | None
    offer_unit_fen: int  # what one unit is worth under the return offer

    @property
    def offer_value_fen(self) -> int:
        """What the units available are worth under the return offer."""
        return self.available * self.offer_unit_fen


def unsold(session: Session, factory_id: int, days: int, offer_percent: int) -> list[UnsoldRow]:
    """Return SKUs in the centre for longer than `days` with no sale in that time."""
    since = utcnow() - timedelta(days=days)
    centre = _centre_id(session)
    products = _products(session, factory_id)
    ids = [p.id for p in products]
    levels = {level.product_id: level for level in session.scalars(
        select(StockLevel).where(StockLevel.product_id.in_(ids),
                                 StockLevel.location_id == centre))}
    last_sale = dict(session.execute(
        select(StockLedgerEntry.product_id, func.max(StockLedgerEntry.created_at))
        .where(StockLedgerEntry.product_id.in_(ids), StockLedgerEntry.reason.in_(SOLD))
        .group_by(StockLedgerEntry.product_id)).all())
    arrived = dict(session.execute(
        select(StockLedgerEntry.product_id, func.min(StockLedgerEntry.created_at))
        .where(StockLedgerEntry.product_id.in_(ids), StockLedgerEntry.location_id == centre,
               StockLedgerEntry.delta_on_hand > 0)
        .group_by(StockLedgerEntry.product_id)).all())
    rows = []
    for product in products:
        level = levels.get(product.id)
        available = level.available if level else 0
        first_in, sold_at = arrived.get(product.id), last_sale.get(product.id)
        if available <= 0 or first_in is None or first_in > since:
            continue
        if sold_at is not None and sold_at > since:
            continue
        rows.append(UnsoldRow(product.sku, product.name_zh, product.name_en, available,
                              sold_at, offer_unit_fen(product, offer_percent)))
    return rows


def return_unsold(db: Database, factory_id: int, sku, quantity, *, days: int,
                  offer_percent: int, actor: str) -> None:
    """Take back units of an unsold SKU: they move from the centre to the factory's stock."""
    with db.unit_of_work() as session:
        product = factory_product(session, factory_id, sku)
        offered = {row.sku: row for row in unsold(session, factory_id, days, offer_percent)}
        if product.sku not in offered:
            raise DomainError(_l("Only stock unsold for %(days)s days can be taken back."),
                              code="not_offered", field="sku", days=days)
        if isinstance(quantity, bool) or not isinstance(quantity, int) or not (
                0 < quantity <= offered[product.sku].available):
            raise DomainError(_l("Take back between 1 and %(available)s units."),
                              code="invalid_quantity", field="quantity",
                              available=offered[product.sku].available)
        home = factory_location(session, session.get(Factory, factory_id)).id
        inventory.transfer(session, product.id, centre_location(session).id, home, quantity,
                           actor=actor, reason="return_to_factory",
                           note=f"return offer {offer_percent}%")
