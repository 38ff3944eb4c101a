"""The numbers that steer the selection: sales, scan-to-order conversion, slow movers,
bestseller velocity, and who the buyers are and what each kind buys.

A sale is an order line of a paid or completed order whose group was not cancelled, dated by
when the order was placed, in the centre's time zone. A line's zone is its product's zone now.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store_api.buyers.models import Buyer
from store_api.catalogue.models import Product, ShelfSlot, Zone
from store_api.core.models import ScanEvent, utcnow
from store_api.factories.models import Factory
from store_api.fulfilment import consignment
from store_api.fulfilment.consignment import Period, period
from store_api.orders.models import Cart, CartLine, FulfilmentGroup, Order, OrderLine

SOLD_ORDERS = ("paid", "completed")


def last_days(days: int, timezone: str) -> Period:
    """The last `days` days up to and including today, in the centre's time zone."""
    today = utcnow().astimezone(ZoneInfo(timezone)).date()
    return period(today - timedelta(days=days - 1), today, timezone)


def day_of(span: Period, moment: datetime) -> date:
    """The centre's calendar day of a stored instant (the period's days begin at its
    midnight)."""
    return moment.astimezone(span.start.tzinfo).date()


@dataclass(frozen=True)
class SaleLine:
    """One sold order line with what the reports group it by."""

    day: date
    product_id: int
    sku: str
    zone: str
    factory: str
    category: str
    business_type: str
    order_id: int
    units: int
    amount_fen: int


def sale_lines(session: Session, period: Period) -> list[SaleLine]:
    """Every sold line placed in the period."""
    rows = session.execute(
        select(Order.created_at, Order.id, OrderLine.product_id, OrderLine.quantity,
               OrderLine.unit_price_fen, Product.sku, Product.category, Factory.code,
               Zone.code, Buyer.business_type)
        .join(OrderLine, OrderLine.order_id == Order.id)
        .join(FulfilmentGroup, FulfilmentGroup.id == OrderLine.group_id)
        .join(Product, Product.id == OrderLine.product_id)
        .join(Factory, Factory.id == Product.factory_id)
        .join(Buyer, Buyer.id == Order.buyer_id)
        .outerjoin(ShelfSlot, ShelfSlot.product_id == Product.id)
        .outerjoin(Zone, Zone.id == ShelfSlot.zone_id)
        .where(Order.status.in_(SOLD_ORDERS), FulfilmentGroup.status != "cancelled",
               Order.created_at >= period.start, Order.created_at < period.end))
    return [SaleLine(day_of(period, r[0]), r[2], r[5], r[8] or "", r[7], r[6] or "", r[9], r[1],
                     r[3], r[3] * r[4]) for r in rows]


@dataclass(frozen=True)
class Total:
    """Units, money and orders under one key."""

    key: str
    units: int
    amount_fen: int
    orders: int


def _totals(lines: list[SaleLine], key) -> list[Total]:
    units, amount, orders = Counter(), Counter(), defaultdict(set)
    for line in lines:
        k = key(line)
        units[k] += line.units
        amount[k] += line.amount_fen
        orders[k].add(line.order_id)
    return sorted((Total(str(k), units[k], amount[k], len(orders[k])) for k in units),
                  key=lambda t: (-t.amount_fen, t.key))


def sales(session: Session, period: Period) -> dict[str, list[Total]]:
    """Sales in the period by zone, by factory, and by day (every day, sold or not)."""
    lines = sale_lines(session, period)
    by_day = {t.key: t for t in _totals(lines, lambda line: line.day.isoformat())}
    days = [period.first + timedelta(days=n)
            for n in range((period.last - period.first).days + 1)]
    return {
        "zone": _totals(lines, lambda line: line.zone),
        "factory": _totals(lines, lambda line: line.factory),
        "day": [by_day.get(d.isoformat(), Total(d.isoformat(), 0, 0, 0)) for d in days],
    }


@dataclass(frozen=True)
class Funnel:
    """From scans to orders for one slot (or zone)."""

    key: str
    label_zh: str
    label_en: str
    scans: int
    visitors: int  # phones that scanned
    carted: int
    ordered: int  # orders of the product, from any phone or the counter
    converted: int  # phones that scanned it and then ordered it

    @property
    def conversion_percent(self) -> float | None:
        """The share of scanning phones that ordered what they scanned, never over 100 %."""
        return round(100 * self.converted / self.visitors, 1) if self.visitors else None


def conversion(session: Session, period: Period) -> dict[str, list[Funnel]]:
    """Per slot and per zone: scans, distinct scanning visitors, carts that hold or held the
    product (open carts touched in the period, plus orders, since every order came from a
    cart), orders placed in the period, and the scanning phones that ordered what they
    scanned; with the "scanned but not ordered" leaders."""
    in_period = (ScanEvent.created_at >= period.start, ScanEvent.created_at < period.end)
    scans = {r[0]: (r[1], r[2]) for r in session.execute(
        select(ScanEvent.slot_id, func.count(), func.count(ScanEvent.session_id.distinct()))
        .where(*in_period).group_by(ScanEvent.slot_id))}
    zone_scans = {r[0]: (r[1], r[2]) for r in session.execute(
        select(ScanEvent.zone_id, func.count(), func.count(ScanEvent.session_id.distinct()))
        .where(*in_period).group_by(ScanEvent.zone_id))}
    open_carts = dict(session.execute(
        select(CartLine.product_id, func.count(CartLine.cart_id.distinct()))
        .join(Cart, Cart.id == CartLine.cart_id)
        .where(Cart.touched_at >= period.start, Cart.touched_at < period.end)
        .group_by(CartLine.product_id)).all())
    ordered = dict(session.execute(
        select(OrderLine.product_id, func.count(OrderLine.order_id.distinct()))
        .join(Order, Order.id == OrderLine.order_id)
        .where(Order.created_at >= period.start, Order.created_at < period.end)
        .group_by(OrderLine.product_id)).all())
    # Phones that scanned a slot and ordered its product in the period, from the same phone.
    converted = session.execute(
        select(ScanEvent.slot_id, ScanEvent.zone_id, ScanEvent.session_id)
        .join(Order, (Order.scanner_id == ScanEvent.session_id)
              & (Order.created_at >= ScanEvent.created_at))
        .join(OrderLine, (OrderLine.order_id == Order.id)
              & (OrderLine.product_id == ScanEvent.product_id))
        .where(*in_period, Order.created_at >= period.start, Order.created_at < period.end)
        .distinct()).all()
    slot_converted = Counter(slot for slot, _ in {(r[0], r[2]) for r in converted})
    zone_converted = Counter(zone for zone, _ in {(r[1], r[2]) for r in converted})
    slots = session.execute(
        select(ShelfSlot, Product, Zone).join(Zone, Zone.id == ShelfSlot.zone_id)
        .outerjoin(Product, Product.id == ShelfSlot.product_id)
        .order_by(Zone.id, ShelfSlot.aisle, ShelfSlot.shelf, ShelfSlot.position)).all()
    per_slot = []
    per_zone = {zone.id: zone for zone in session.scalars(select(Zone).order_by(Zone.id))}
    zone_carted, zone_ordered = Counter(), Counter()
    for slot, product, zone in slots:
        count, visitors = scans.get(slot.id, (0, 0))
        carted = ordered_n = 0
        if product is not None:
            ordered_n = ordered.get(product.id, 0)
            carted = open_carts.get(product.id, 0) + ordered_n
        zone_carted[zone.id] += carted
        zone_ordered[zone.id] += ordered_n
        if count or carted or product is not None:
            place = f"{slot.aisle}-{slot.shelf}-{slot.position}"
            place_zh, place_en = f"{zone.name_zh} {place}", f"{zone.name_en} {place}"
            per_slot.append(Funnel(
                product.sku if product else slot.code,
                f"{place_zh} {product.name_zh}" if product else place_zh,
                f"{place_en} {product.name_en}" if product else place_en,
                count, visitors, carted, ordered_n, slot_converted[slot.id]))
    zones = [Funnel(zone.code, zone.name_zh, zone.name_en, *zone_scans.get(zone_id, (0, 0)),
                    zone_carted[zone_id], zone_ordered[zone_id], zone_converted[zone_id])
             for zone_id, zone in per_zone.items()]
    per_slot.sort(key=lambda f: (-f.visitors, -f.scans, f.key))
    leaders = [f for f in per_slot if f.visitors and not f.converted][:10]
    return {"slot": per_slot, "zone": zones, "leaders": leaders}


@dataclass(frozen=True)
class SlowMover:
    """Centre stock with no sale for the set number of days: a candidate to return."""

    factory: str
    row: consignment.UnsoldRow


def slow_movers(session: Session, days: int, offer_percent: int) -> list[SlowMover]:
    """Every factory's unsold centre stock, most stock first."""
    rows = [SlowMover(factory.code, row)
            for factory in session.scalars(select(Factory).order_by(Factory.code))
            for row in consignment.unsold(session, factory.id, days, offer_percent)]
    return sorted(rows, key=lambda r: (-r.row.available, r.row.sku))


@dataclass(frozen=True)
class Velocity:
    """Units sold per day over the last week and the last 30 days."""

    sku: str
    name_zh: str
    name_en: str
    week_units: int
    month_units: int

    @property
    def week_rate(self) -> float:
        return round(self.week_units / 7, 2)

    @property
    def month_rate(self) -> float:
        return round(self.month_units / 30, 2)

    @property
    def rising(self) -> bool:
        """Selling faster this week than over the month."""
        return self.week_rate > self.month_rate


def velocity(session: Session, timezone: str, limit: int = 30) -> list[Velocity]:
    """The best sellers of the last 30 days, fastest this week first."""
    month = last_days(30, timezone)
    week_start = month.last - timedelta(days=6)
    week, total = Counter(), Counter()
    for line in sale_lines(session, month):
        total[line.product_id] += line.units
        if line.day >= week_start:
            week[line.product_id] += line.units
    products = {p.id: p for p in session.scalars(
        select(Product).where(Product.id.in_(list(total))))} if total else {}
    rows = [Velocity(products[pid].sku, products[pid].name_zh, products[pid].name_en,
                     week[pid], units) for pid, units in total.items()]
    return sorted(rows, key=lambda v: (-v.week_units, -v.month_units, v.sku))[:limit]


def buyers(session: Session) -> list[tuple[str, str, int]]:
    """How many buyers there are of each business type and member level."""
    return [tuple(row) for row in session.execute(
        select(Buyer.business_type, Buyer.member_level, func.count())
        .group_by(Buyer.business_type, Buyer.member_level)
        .order_by(Buyer.business_type, Buyer.member_level))]


def what_types_buy(session: Session, period: Period) -> dict[str, list[Total]]:
    """For each business type, the categories it bought in the period, largest first."""
    by_type: dict[str, list[SaleLine]] = defaultdict(list)
    for line in sale_lines(session, period):
        by_type[line.business_type].append(line)
    return {kind: _totals(lines, lambda line: line.category)
            for kind, lines in sorted(by_type.items())}
