"""Shelf slots: places on the floor by zone, aisle, shelf and position, and which product
each holds. A slot's QR label names the slot, so moving a product keeps every label true
once its new slot's label is printed."""

from __future__ import annotations

import re
import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from shelf_labels.codes import new_code
from store_api.catalogue.lookup import find_slot, product_by_sku
from store_api.catalogue.models import ShelfSlot, Zone
from store_api.core import audit
from store_api.core.db import Database
from store_api.core.errors import DomainError, NotFound

AISLE = re.compile(r"^[A-Z0-9]{1,8}$")
MAX_PLACE = 999


def listing(session: Session, zone_code: str) -> list[ShelfSlot]:
    """A zone's slots in walking order, with their products."""
    return list(session.scalars(
        select(ShelfSlot).join(Zone).where(Zone.code == zone_code)
        .options(joinedload(ShelfSlot.product))
        .order_by(ShelfSlot.status, ShelfSlot.aisle, ShelfSlot.shelf, ShelfSlot.position)))


def _number(value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_PLACE:
        raise DomainError(_l("Give a whole number from 1 to %(n)s."), field=field, n=MAX_PLACE)
    return value


def add(db: Database, zone_code: str, aisle, shelf, position, *, actor: audit.Actor) -> str:
    """Add an empty slot; return its code, for its label."""
    aisle = aisle.strip().upper() if isinstance(aisle, str) else ""
    if not AISLE.match(aisle):
        raise DomainError(_l("An aisle is 1 to 8 letters or digits."), field="aisle")
    shelf, position = _number(shelf, "shelf"), _number(position, "position")
    with db.unit_of_work() as session:
        zone = session.scalar(select(Zone).where(Zone.code == zone_code))
        if zone is None:
            raise NotFound(_l("There is no such zone."), field="zone")
        taken = session.scalar(select(ShelfSlot.code).where(
            ShelfSlot.zone_id == zone.id, ShelfSlot.aisle == aisle, ShelfSlot.shelf == shelf,
            ShelfSlot.position == position))
        if taken is not None:
            raise DomainError(_l("That place already has slot %(slot)s."), field="position",
                              status=409, slot=taken)
        slot = ShelfSlot(code=new_code(secrets.randbits), zone=zone, aisle=aisle, shelf=shelf,
                         position=position)
        session.add(slot)
        audit.record(session, actor, "slot.create", "slot", slot.code,
                     after={"zone": zone.code, "place": f"{aisle}-{shelf}-{position}"})
        return slot.code


def _slot(session: Session, code) -> ShelfSlot:
    slot = find_slot(session, code) if isinstance(code, str) else None
    if slot is None:
        raise NotFound(_l("There is no such slot."), field="slot")
    return slot


def assign(db: Database, code: str, sku, *, actor: audit.Actor) -> None:
    """Put a product on a slot, taking it off the slot it was on; an empty SKU empties the
    slot. A slot already holding another product must be emptied first."""
    with db.unit_of_work() as session:
        slot = _slot(session, code)
        before = slot.product.sku if slot.product else None
        sku = (sku or "").strip() if isinstance(sku, str) else ""
        if not sku:
            slot.product = None
        else:
            product = product_by_sku(session, sku)
            if slot.product is not None and slot.product.id != product.id:
                raise DomainError(_l("Slot %(slot)s holds %(sku)s; empty it first."),
                                  field="slot", status=409, slot=slot.code,
                                  sku=slot.product.sku)
            if product.slot is not None and product.slot.id != slot.id:
                product.slot.product = None
                session.flush()
            slot.product = product
        audit.record(session, actor, "slot.assign", "slot", slot.code,
                     before={"sku": before}, after={"sku": sku or None})


def retire(db: Database, code: str, *, actor: audit.Actor) -> None:
    """Take an empty slot out of use; its label then opens nothing."""
    with db.unit_of_work() as session:
        slot = _slot(session, code)
        if slot.product is not None:
            raise DomainError(_l("Slot %(slot)s holds %(sku)s; empty it first."), field="slot",
                              status=409, slot=slot.code, sku=slot.product.sku)
        slot.status = "retired"
        audit.record(session, actor, "slot.retire", "slot", slot.code,
                     before={"status": "active"}, after={"status": "retired"})
