"""Importing a product sheet: a dry run that plans every row and shows what would change,
then the same plan applied in one transaction."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select
from sqlalchemy.orm import Session, selectinload

from shelf_labels.codes import new_code
from store_api.catalogue.models import PriceTier, Product, ShelfSlot, Zone
from store_api.catalogue.rows import Row, product_from
from store_api.catalogue.sheets import PRODUCT_FIELDS, Sheet, row_fields
from store_api.core import audit
from store_api.core.db import Database
from store_api.core.errors import CatalogueError, RowProblem
from store_api.factories.models import Factory


@dataclass
class PlannedRow:
    """What applying the sheet would do with one row."""

    number: int
    sku: str
    action: str  # new | changed | unchanged
    changed: list[str] = field(default_factory=list)


@dataclass
class Plan:
    """The dry run's answer: every row's outcome, and every problem of every row."""

    source: str
    rows: list[PlannedRow]
    problems: list[RowProblem]

    def count(self, action: str) -> int:
        """How many rows would have this outcome."""
        return sum(1 for row in self.rows if row.action == action)


@dataclass
class _Work:
    row: PlannedRow
    product: Product  # the row as read, never added to a session
    existing: Product | None
    factory: Factory | None
    place: tuple | None
    before: dict | None  # the existing product as it was, for the audit log


def _ladder_of(product: Product) -> list:
    return sorted([tier.member_level, tier.min_quantity, tier.unit_price_fen]
                  for tier in product.price_tiers)


def _snapshot(product: Product, place) -> dict:
    values = {name: getattr(product, name) for name in PRODUCT_FIELDS}
    values["price_ladder"] = _ladder_of(product)
    values["slot"] = "-".join(str(part) for part in place[1:]) if place else None
    values["zone"] = place[0].code if place else None
    return values


def _place_of(slot: ShelfSlot | None) -> tuple | None:
    return (slot.zone, slot.aisle, slot.shelf, slot.position) if slot is not None else None


def _plan(session: Session, source: str, sheet: Sheet, *,
          member_levels: list[str], business_types: list[str]) -> tuple[Plan, list[_Work]]:
    """Read every row against the catalogue as it is; collect problems, never write."""
    problems: list[RowProblem] = []
    zones = {zone.code: zone for zone in session.scalars(select(Zone))}
    factories = {f.code: f for f in session.scalars(select(Factory))}
    existing = {p.sku: p for p in session.scalars(
        select(Product).options(selectinload(Product.price_tiers), selectinload(Product.slot)))}
    occupant = {_place_of(slot): slot.product_id for slot in session.scalars(
        select(ShelfSlot).where(ShelfSlot.product_id.is_not(None)))}
    work: list[_Work] = []
    first_row_of: dict = {}
    sku_row: dict[str, int] = {}
    for number, cells in sheet:
        row = Row(source, number, row_fields(cells, member_levels), "sku", problems)
        product, extra = product_from(row, factories=factories, zones=zones,
                                       member_levels=member_levels,
                                       business_types=business_types)
        status = cells.get("status") or "active"
        if status not in ("active", "archived"):
            row.problem("status", _l("must be one of %(choices)s"), choices="active, archived")
        product.status = status
        found = existing.get(product.sku)
        factory = extra["factory"]
        if found is not None and factory is not None and found.factory_id != factory.id:
            row.problem("factory", _l("a product cannot move to another factory; archive it "
                                      "and add a new SKU"))
        place = (extra["zone"], *extra["slot_place"]) if (
            extra["zone"] and extra["slot_place"]) else None
        if place is not None:
            key = (place[0].id, *place[1:])
            if key in first_row_of:
                row.problem("slot", _l("repeats row %(first)s"), first=first_row_of[key])
            first_row_of.setdefault(key, number)
        if product.sku in sku_row:
            row.problem("sku", _l("repeats row %(first)s"), first=sku_row[product.sku])
        sku_row.setdefault(product.sku, number)
        planned, before = PlannedRow(number, product.sku, "new"), None
        if found is not None:
            before, after = _snapshot(found, _place_of(found.slot)), _snapshot(product, place)
            planned.changed = [key for key in after if before[key] != after[key]]
            planned.action = "changed" if planned.changed else "unchanged"
        work.append(_Work(planned, product, found, factory, place, before))
    moving = {w.existing.id for w in work
              if w.existing is not None and w.place != _place_of(w.existing.slot)}
    for w in work:
        if w.place is None:
            continue
        holder = occupant.get(w.place)
        mine = w.existing.id if w.existing is not None else None
        if holder is not None and holder != mine and holder not in moving:
            problems.append(RowProblem(source, w.row.number, f"sku {w.product.sku}", "slot",
                                       _l("is already taken by another product")))
    return Plan(source, [w.row for w in work], problems), work


def dry_run(session: Session, source: str, sheet: Sheet, *, member_levels: list[str],
            business_types: list[str]) -> Plan:
    """Check a sheet's rows and say what applying them would do; nothing is written."""
    plan, _ = _plan(session, source, sheet, member_levels=member_levels,
                    business_types=business_types)
    return plan


def _slot_at(session: Session, place: tuple, free: dict) -> ShelfSlot:
    slot = free.pop(place, None)
    if slot is None:
        zone, aisle, shelf, position = place
        slot = ShelfSlot(code=new_code(secrets.randbits), zone=zone, aisle=aisle, shelf=shelf,
                         position=position)
        session.add(slot)
    slot.status = "active"
    return slot


def _set_ladder(product: Product, tiers: list[PriceTier]) -> None:
    # Update tiers in place by (level, quantity): deleting and re-adding the same key in one
    # flush would break the unique constraint, since inserts run before deletes.
    wanted = {(t.member_level, t.min_quantity): t.unit_price_fen for t in tiers}
    for tier in list(product.price_tiers):
        key = (tier.member_level, tier.min_quantity)
        if key in wanted:
            tier.unit_price_fen = wanted.pop(key)
        else:
            product.price_tiers.remove(tier)
    for (level, quantity), price in wanted.items():
        product.price_tiers.append(PriceTier(member_level=level, min_quantity=quantity,
                                             unit_price_fen=price))


_PRODUCT_COLUMNS = [column.key for column in Product.__table__.columns
                    if column.key not in ("id", "factory_id", "created_at", "updated_at")]


def _insert_new(session: Session, created: list[_Work], free: dict,
                actor: audit.Actor) -> None:
    """Write new products, their ladders and slots with bulk inserts. Their rows passed the
    same rules the product guard applies on a flush; thousands of ORM objects would cost
    seconds that a sheet of a whole catalogue cannot spare."""
    if not created:
        return
    session.execute(insert(Product), [
        {**{name: getattr(w.product, name) for name in _PRODUCT_COLUMNS},
         "factory_id": w.factory.id} for w in created])
    skus = [w.product.sku for w in created]
    ids = dict(session.execute(select(Product.sku, Product.id)
                               .where(Product.sku.in_(skus))).all())
    session.execute(insert(PriceTier), [
        {"product_id": ids[w.product.sku], "member_level": tier.member_level,
         "min_quantity": tier.min_quantity, "unit_price_fen": tier.unit_price_fen}
        for w in created for tier in w.product.price_tiers])
    new_slots = []
    for w in created:
        slot = free.pop(w.place, None)
        if slot is not None:
            slot.product_id, slot.status = ids[w.product.sku], "active"
        else:
            zone, aisle, shelf, position = w.place
            new_slots.append({"code": new_code(secrets.randbits), "zone_id": zone.id,
                              "aisle": aisle, "shelf": shelf, "position": position,
                              "product_id": ids[w.product.sku], "status": "active"})
    if new_slots:
        session.execute(insert(ShelfSlot), new_slots)
    audit.record_many(session, actor, "catalogue.import.create", "product", [
        (ids[w.product.sku], None, _snapshot(w.product, w.place)) for w in created])


def apply(db: Database, source: str, sheet: Sheet, *, member_levels: list[str],
          business_types: list[str], actor: audit.Actor) -> Plan:
    """Check the rows again and, only if none has a problem, write them all in one
    transaction; each created or changed product gets an audit entry."""
    with db.unit_of_work() as session:
        plan, work = _plan(session, source, sheet, member_levels=member_levels,
                           business_types=business_types)
        if plan.problems:
            raise CatalogueError(plan.problems)
        free = {_place_of(slot): slot for slot in session.scalars(
            select(ShelfSlot).where(ShelfSlot.product_id.is_(None)))}
        changed = [w for w in work if w.row.action == "changed"]
        moving = [w for w in changed if {"slot", "zone"} & set(w.row.changed)]
        for w in moving:
            # Empty the old places first: a slot holds one product, and another row of this
            # sheet may be moving into the place this one leaves.
            free[_place_of(w.existing.slot)] = w.existing.slot
            w.existing.slot.product = None
        session.flush()
        for w in changed:
            for name in PRODUCT_FIELDS:
                if getattr(w.existing, name) != getattr(w.product, name):
                    setattr(w.existing, name, getattr(w.product, name))
            _set_ladder(w.existing, w.product.price_tiers)
        for w in moving:
            w.existing.slot = _slot_at(session, w.place, free)
        session.flush()
        _insert_new(session, [w for w in work if w.row.action == "new"], free, actor)
        for w in changed:
            old, new = audit.changes(w.before, _snapshot(w.existing, w.place))
            audit.record(session, actor, "catalogue.import.update", "product", w.existing.id,
                         before=old, after=new)
    return plan
