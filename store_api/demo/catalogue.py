"""Loading a whole catalogue (factories, products, ladders, stock) from plain data in one
transaction: every row is checked first, and nothing is written if any row has a problem."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from shelf_labels.codes import new_code
from store_api.catalogue.models import Product, ShelfSlot, Zone
from store_api.catalogue.rows import Row, factory_from, product_from
from store_api.core.errors import CatalogueError, RowProblem
from store_api.factories.models import Factory
from store_api.stock import inventory
from store_api.stock.locations import centre_location, factory_location


@dataclass
class LoadResult:
    """What a load created; rows that already existed are counted as skipped."""

    factories: list[Factory] = field(default_factory=list)
    products: list[Product] = field(default_factory=list)
    skipped: int = 0


def _check_unique(rows: list[tuple[Row, str]], field_name: str) -> None:
    seen: dict[str, int] = {}
    for row, value in rows:
        if value and value in seen:
            row.problem(field_name, _l("repeats row %(first)s"), first=seen[value])
        seen.setdefault(value, row.number)


def load_catalogue(
    session: Session,
    *,
    factory_rows: list,
    product_rows: list,
    factory_source: str,
    product_source: str,
    member_levels: list[str],
    business_types: list[str],
    actor: str,
) -> LoadResult:
    """Check every row, then create the factories, products, slots and stock that are new."""
    problems: list[RowProblem] = []
    zones = {zone.code: zone for zone in session.scalars(select(Zone))}
    existing_factories = {f.code: f for f in session.scalars(select(Factory))}
    existing_skus = set(session.scalars(select(Product.sku)))
    taken_places = {
        (slot.zone_id, slot.aisle, slot.shelf, slot.position)
        for slot in session.scalars(select(ShelfSlot))
    }
    new_factories: list[tuple[Row, Factory]] = []
    for number, data in enumerate(factory_rows, start=1):
        row = Row(factory_source, number, data, "code", problems)
        new_factories.append((row, factory_from(row)))
    _check_unique([(row, f.code) for row, f in new_factories], "code")
    known = dict(existing_factories)
    known.update({f.code: existing_factories.get(f.code, f) for _, f in new_factories})

    new_products = []
    for number, data in enumerate(product_rows, start=1):
        row = Row(product_source, number, data, "sku", problems)
        product, extra = product_from(row, factories=known, zones=zones,
                                       member_levels=member_levels, business_types=business_types)
        new_products.append((row, product, extra))
    _check_unique([(row, p.sku) for row, p, _ in new_products], "sku")
    places = [
        (row, f"{extra['zone'].id}:{extra['slot_place']}")
        for row, product, extra in new_products
        if extra["zone"] and extra["slot_place"] and product.sku not in existing_skus
    ]
    _check_unique(places, "slot")
    for row, product, extra in new_products:
        if product.sku in existing_skus or not (extra["zone"] and extra["slot_place"]):
            continue
        if (extra["zone"].id, *extra["slot_place"]) in taken_places:
            row.problem("slot", _l("is already taken by another product"))
    if problems:
        raise CatalogueError(problems)

    result = LoadResult()
    centre = centre_location(session)
    for _row, factory in new_factories:
        if factory.code in existing_factories:
            result.skipped += 1
            continue
        session.add(factory)
        session.flush()
        factory_location(session, factory)
        result.factories.append(factory)
    for _row, product, extra in new_products:
        if product.sku in existing_skus:
            result.skipped += 1
            continue
        product.factory = extra["factory"]
        aisle, shelf, position = extra["slot_place"]
        product.slot = ShelfSlot(
            code=new_code(secrets.randbits), zone=extra["zone"], aisle=aisle, shelf=shelf,
            position=position,
        )
        session.add(product)
        session.flush()
        arrivals = []
        if extra["centre_stock"]:
            arrivals.append(inventory.StockLine(product.id, centre.id, extra["centre_stock"]))
        if extra["factory_stock"]:
            location = factory_location(session, product.factory)
            arrivals.append(inventory.StockLine(product.id, location.id, extra["factory_stock"]))
        # Shown on the receiving page as typed, like a delivery note staff write in Chinese.
        inventory.receive(session, arrivals, actor=actor, note="演示中心开业首批入库")
        result.products.append(product)
    return result
