"""What each zone's screen shows: its products in the zone's terms, pins first, and a ticker of
recent orders that names products and counts, never buyers.

Bestsellers rank by units ordered in a window (ties by scans) and are marked rising when the
newer half of the window sold more than the older half. Cross-border shows foldable and
small-carton products with their packed volume, volumetric weight and the saving against the
unfolded size. Streamer picks are products with samples or one-piece dropship, with suggested
retail price, margin and today's scans.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from shelf_labels.money import yuan
from store_api.catalogue.lookup import CrossBorderFacts
from store_api.catalogue.models import Product, ShelfSlot, Zone
from store_api.catalogue.pricing import level_tiers
from store_api.core import events
from store_api.core.db import Database
from store_api.core.errors import DomainError, NotFound
from store_api.core.models import ScanEvent, utcnow
from store_api.core.worker import enqueue
from store_api.displays.models import ZonePin
from store_api.orders.models import Order, OrderLine

CLOSED = ("cancelled", "expired")
TICKER_LENGTH = 8


@dataclass(frozen=True)
class Terms:
    """The settings a screen's content depends on."""

    base_level: str
    window_days: int
    products: int
    small_carton_litres: float
    timezone: str


def _candidates(session: Session) -> list[Product]:
    return list(session.scalars(
        select(Product).join(ShelfSlot, ShelfSlot.product_id == Product.id)
        .where(Product.status == "active", ShelfSlot.status == "active")
        .options(selectinload(Product.price_tiers), selectinload(Product.images),
                 selectinload(Product.slot).selectinload(ShelfSlot.zone))
        .order_by(Product.id)))


# An order counts on a screen once it is paid: an unpaid one may yet expire unsold.
_PAID = (Order.paid_at.is_not(None), Order.status.not_in(CLOSED))


def _units(session: Session, since: datetime, until: datetime | None = None) -> dict[int, int]:
    query = (select(OrderLine.product_id, func.sum(OrderLine.quantity))
             .join(Order, Order.id == OrderLine.order_id)
             .where(*_PAID, Order.paid_at >= since)
             .group_by(OrderLine.product_id))
    if until is not None:
        query = query.where(Order.paid_at < until)
    return {product: int(units) for product, units in session.execute(query)}


def _scans(session: Session, since: datetime) -> dict[int, int]:
    return dict(session.execute(
        select(ScanEvent.product_id, func.count()).where(ScanEvent.created_at >= since,
                                                         ScanEvent.product_id.is_not(None))
        .group_by(ScanEvent.product_id)).all())


def _cross_border(product: Product) -> CrossBorderFacts:
    def size(prefix):
        values = tuple(getattr(product, f"{prefix}_{d}_cm") for d in ("length", "width",
                                                                       "height"))
        return values if all(values) else None

    return CrossBorderFacts(size("packed"), size("unpacked"))


def _from_price(product: Product, base_level: str) -> int | None:
    tiers = level_tiers(product.price_tiers, base_level, base_level)
    return min((t.unit_price_fen for t in tiers), default=None)


def _moq_price(product: Product, base_level: str) -> int | None:
    tiers = level_tiers(product.price_tiers, base_level, base_level)
    return tiers[0].unit_price_fen if tiers else None


def _bestsellers(session, products, terms, now):
    since = now - timedelta(days=terms.window_days)
    middle = now - timedelta(days=terms.window_days / 2)
    units, older = _units(session, since), _units(session, since, middle)
    scans = _scans(session, since)
    ranked = sorted((p for p in products if units.get(p.id)),
                    key=lambda p: (-units[p.id], -scans.get(p.id, 0), p.id))
    facts = {}
    for p in ranked:
        newer = units[p.id] - older.get(p.id, 0)
        facts[p.id] = {"units": units[p.id], "rising": newer > older.get(p.id, 0)}
    return ranked, facts


def _cross_border_picks(session, products, terms, now):
    facts, picked = {}, []
    for p in products:
        pack = _cross_border(p)
        small = pack.packed_litres is not None and pack.packed_litres <= terms.small_carton_litres
        if not (p.foldable or small):
            continue
        picked.append(p)
        facts[p.id] = {"foldable": p.foldable, "packed_litres": pack.packed_litres,
                       "volumetric_kg": pack.volumetric_kg,
                       "unfolded_volumetric_kg": pack.unfolded_volumetric_kg,
                       "saving_percent": pack.saving_percent}
    picked.sort(key=lambda p: (-(facts[p.id]["saving_percent"] or 0),
                               facts[p.id]["packed_litres"] or 0, p.id))
    return picked, facts


def _streamer_picks(session, products, terms, now):
    local = now.astimezone(ZoneInfo(terms.timezone))
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    today = _scans(session, midnight)
    picked = [p for p in products if p.sample_available or p.dropship_allowed]
    facts = {}
    for p in picked:
        price, retail = _moq_price(p, terms.base_level), p.suggested_retail_fen
        margin = round((retail - price) / retail * 100, 1) if retail and price else None
        facts[p.id] = {"sample_available": p.sample_available,
                       "dropship_allowed": p.dropship_allowed,
                       "suggested_retail_fen": retail, "suggested_retail": yuan(retail),
                       "margin_percent": margin,
                       "scans_today": today.get(p.id, 0)}
    picked.sort(key=lambda p: (-facts[p.id]["scans_today"], -(facts[p.id]["margin_percent"] or 0),
                               p.id))
    return picked, facts


RANKINGS = {"bestseller": _bestsellers, "cross-border": _cross_border_picks,
            "streamer": _streamer_picks}


def _ticker(session: Session, product_ids: set[int], since: datetime) -> list[dict]:
    """Recent paid orders of the shown products: when, the first product and its units, and
    how many other products; nothing of who. Units of different products are never added."""
    rows = session.execute(
        select(Order.id, Order.paid_at, OrderLine.quantity, Product.name_zh, Product.name_en)
        .join(OrderLine, OrderLine.order_id == Order.id)
        .join(Product, Product.id == OrderLine.product_id)
        .where(*_PAID, Order.paid_at >= since, OrderLine.product_id.in_(product_ids))
        .order_by(Order.paid_at.desc(), Order.id.desc(), OrderLine.id)
        .limit(TICKER_LENGTH * 4))
    ticker: dict[int, dict] = {}
    for order_id, at, quantity, name_zh, name_en in rows:
        entry = ticker.get(order_id)
        if entry is None:
            ticker[order_id] = {"at": at.isoformat(), "units": quantity, "name_zh": name_zh,
                                "name_en": name_en, "products": 1}
        else:
            entry["products"] += 1
    return list(ticker.values())[:TICKER_LENGTH]


def zone_content(session: Session, zone_code: str, terms: Terms) -> dict:
    """Return everything a zone's screen shows, as plain data."""
    zone = session.scalar(select(Zone).where(Zone.code == zone_code))
    if zone is None:
        raise NotFound(_l("There is no such zone."), field="zone")
    now = utcnow()
    products = _candidates(session)
    by_id = {p.id: p for p in products}
    # A screen ranks what its zone's shelves hold; only a pin brings a product from elsewhere.
    shelved_here = [p for p in products if p.slot.zone_id == zone.id]
    rank = RANKINGS.get(zone.code, _bestsellers)
    ranked, facts = rank(session, shelved_here, terms, now)
    pins = [pin.product_id for pin in session.scalars(
        select(ZonePin).where(ZonePin.zone_id == zone.id).order_by(ZonePin.position, ZonePin.id))
        if pin.product_id in by_id]
    chosen = pins + [p.id for p in ranked if p.id not in pins]
    chosen = chosen[:terms.products]
    if zone.code == "bestseller" and len(chosen) < terms.products:
        # A quiet week still fills the bestseller screen: the zone's own shelf comes next.
        chosen += [p.id for p in shelved_here if p.id not in chosen]
        chosen = chosen[:terms.products]
    items = []
    for product_id in chosen:
        product = by_id[product_id]
        elsewhere = product.slot.zone if product.slot.zone_id != zone.id else None
        from_fen = _from_price(product, terms.base_level)
        items.append({
            "sku": product.sku, "name_zh": product.name_zh, "name_en": product.name_en,
            "image": product.images[0].path if product.images else None,
            # Amounts go to the screen written as every page writes them.
            "slot": product.slot.code, "from_fen": from_fen, "from_price": yuan(from_fen),
            "moq": product.moq, "pinned": product_id in pins,
            "shelved_in": None if elsewhere is None else {
                "code": elsewhere.code, "name_zh": elsewhere.name_zh,
                "name_en": elsewhere.name_en},
            "facts": facts.get(product_id, {}),
        })
    return {
        "zone": {"code": zone.code, "name_zh": zone.name_zh, "name_en": zone.name_en,
                 "colour": zone.colour},
        "items": items,
        "ticker": _ticker(session, set(chosen), now - timedelta(days=terms.window_days)),
        "window_days": terms.window_days,
        "generated_at": now.isoformat(),
    }


def pins(session: Session) -> dict[str, list[ZonePin]]:
    """Return each zone's pins in order."""
    found: dict[str, list[ZonePin]] = defaultdict(list)
    for pin in session.scalars(select(ZonePin).options(selectinload(ZonePin.zone),
                                                       selectinload(ZonePin.product))
                               .order_by(ZonePin.position, ZonePin.id)):
        found[pin.zone.code].append(pin)
    return found


def _zone_and_product(session: Session, zone_code, sku) -> tuple[Zone, Product]:
    zone = session.scalar(select(Zone).where(Zone.code == str(zone_code)[:32]))
    if zone is None:
        raise NotFound(_l("There is no such zone."), field="zone")
    product = session.scalar(select(Product).where(Product.sku == str(sku).strip()[:40],
                                                   Product.status == "active"))
    if product is None:
        raise NotFound(_l("There is no such SKU."), field="sku")
    return zone, product


def _changed(session: Session, zone: Zone) -> None:
    enqueue(session, events.TOPIC, {"channel": events.display_channel(zone.code),
                                    "message": {"zone": zone.code}})


def pin(db: Database, zone_code, sku) -> None:
    """Put a product first on a zone's screen, after the pins it has."""
    with db.unit_of_work() as session:
        zone, product = _zone_and_product(session, zone_code, sku)
        pinned = list(session.scalars(select(ZonePin).where(ZonePin.zone_id == zone.id)))
        if any(p.product_id == product.id for p in pinned):
            raise DomainError(_l("This product is pinned already."), code="already_pinned",
                              field="sku", status=409)
        session.add(ZonePin(zone_id=zone.id, product_id=product.id,
                            position=max((p.position for p in pinned), default=0) + 1))
        _changed(session, zone)


def unpin(db: Database, zone_code, sku) -> None:
    """Take a product's pin off a zone's screen."""
    with db.unit_of_work() as session:
        zone, product = _zone_and_product(session, zone_code, sku)
        found = session.scalar(select(ZonePin).where(ZonePin.zone_id == zone.id,
                                                     ZonePin.product_id == product.id))
        if found is None:
            raise NotFound(_l("This product is not pinned."), field="sku")
        session.delete(found)
        _changed(session, zone)


def move_pin(db: Database, zone_code, sku, step: int) -> None:
    """Move a pin one place earlier (-1) or later (+1) on its zone's screen."""
    with db.unit_of_work() as session:
        zone, product = _zone_and_product(session, zone_code, sku)
        pinned = list(session.scalars(select(ZonePin).where(ZonePin.zone_id == zone.id)
                                      .order_by(ZonePin.position, ZonePin.id)))
        index = next((i for i, p in enumerate(pinned) if p.product_id == product.id), None)
        if index is None:
            raise NotFound(_l("This product is not pinned."), field="sku")
        other = index + (1 if step > 0 else -1)
        if 0 <= other < len(pinned):
            pinned[index], pinned[other] = pinned[other], pinned[index]
            for position, each in enumerate(pinned, start=1):
                each.position = position
            _changed(session, zone)
