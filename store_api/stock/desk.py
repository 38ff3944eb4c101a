"""The warehouse desk: goods received from factories, cycle counts and adjustments, each a
ledger row and an audit entry in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from store_api.catalogue.lookup import find_slot, product_by_sku
from store_api.catalogue.models import Product, ShelfSlot, Zone
from store_api.core import audit
from store_api.core.db import Database
from store_api.core.errors import DomainError
from store_api.stock import inventory
from store_api.stock.locations import centre_location
from store_api.stock.models import StockLedgerEntry, StockLevel

ADJUST_REASONS = ("damaged", "lost", "found", "sample", "other")


def find_product(session: Session, code: str) -> Product:
    """The product a typed or scanned code names: a slot code, a label's URL, or a SKU."""
    text = (code or "").strip()[:300]
    last = text.rstrip("/").rsplit("/", 1)[-1]
    slot = find_slot(session, last) if last else None
    if slot is not None and slot.product is not None:
        return slot.product
    product = session.scalar(select(Product).where(Product.sku == text)) if text else None
    if product is None:
        raise DomainError(_l("No product has the code %(text)s."), code="not_found",
                          field="code", status=404, text=text[:40])
    return product


def _centre_level(session: Session, product_id: int, location_id: int) -> int:
    level = session.get(StockLevel, (product_id, location_id))
    return level.on_hand if level is not None else 0


def receive(db: Database, code: str, quantity, *, reference: str, actor: audit.Actor) -> dict:
    """Goods from a product's factory arrive in the centre: its on hand goes up."""
    reference = (reference or "").strip()[:100]
    with db.unit_of_work() as session:
        product = find_product(session, code)
        centre = centre_location(session)
        before = _centre_level(session, product.id, centre.id)
        inventory.receive(session, [inventory.StockLine(product.id, centre.id, quantity)],
                          actor=actor.name,
                          note=f"{product.factory.code} {reference}".strip())
        after = before + quantity
        audit.record(session, actor, "stock.receive", "product", product.id,
                     before={"centre_on_hand": before},
                     after={"centre_on_hand": after, "reference": reference})
        return {"sku": product.sku, "quantity": quantity, "on_hand": after}


def adjust(db: Database, code: str, quantity, *, reason: str, note: str,
           actor: audit.Actor) -> dict:
    """Correct the centre's on hand by a signed amount for a named reason."""
    if reason not in ADJUST_REASONS:
        raise DomainError(_l("Choose a reason for the adjustment."), field="reason")
    with db.unit_of_work() as session:
        product = find_product(session, code)
        centre = centre_location(session)
        before = _centre_level(session, product.id, centre.id)
        inventory.adjust(session, inventory.StockLine(product.id, centre.id, quantity),
                         actor=actor.name, note=f"{reason}: {(note or '').strip()[:200]}")
        audit.record(session, actor, "stock.adjust", "product", product.id,
                     before={"centre_on_hand": before},
                     after={"centre_on_hand": before + quantity, "reason": reason})
        return {"sku": product.sku, "on_hand": before + quantity}


@dataclass(frozen=True)
class Variance:
    """One counted product: what the books said and what was found."""

    sku: str
    name_zh: str
    name_en: str
    expected: int
    counted: int

    @property
    def variance(self) -> int:
        return self.counted - self.expected


def count_sheet(session: Session, zone_code: str) -> list[ShelfSlot]:
    """The slots of a zone with their products, in walking order."""
    return list(session.scalars(
        select(ShelfSlot).join(Zone).where(Zone.code == zone_code, ShelfSlot.status == "active",
                                            ShelfSlot.product_id.is_not(None))
        .options(joinedload(ShelfSlot.product))
        .order_by(ShelfSlot.aisle, ShelfSlot.shelf, ShelfSlot.position)))


def record_counts(db: Database, counts: dict[str, object], *, actor: audit.Actor) -> list[Variance]:
    """Set the centre's on hand of each SKU to what was counted, all or none; return the
    variance of every line."""
    if not counts:
        raise DomainError(_l("Enter at least one count."), field="counts")
    lines = []
    with db.unit_of_work() as session:
        centre = centre_location(session)
        for sku, counted in sorted(counts.items()):
            product = product_by_sku(session, sku)
            expected = counted - inventory.count(session, product.id, centre.id, counted,
                                                 actor=actor.name, note="cycle count")
            lines.append(Variance(product.sku, product.name_zh, product.name_en, expected,
                                  counted))
            if counted != expected:
                audit.record(session, actor, "stock.count", "product", product.id,
                             before={"centre_on_hand": expected},
                             after={"centre_on_hand": counted})
    return lines


def recent_variances(session: Session, since: datetime) -> list[StockLedgerEntry]:
    """Count and adjustment rows of the ledger since a time, newest first."""
    return list(session.scalars(
        select(StockLedgerEntry).where(StockLedgerEntry.reason.in_(("count", "adjust")),
                                       StockLedgerEntry.created_at >= since)
        .options(joinedload(StockLedgerEntry.product))
        .order_by(StockLedgerEntry.id.desc()).limit(200)))
