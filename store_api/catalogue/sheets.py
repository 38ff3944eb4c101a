"""The catalogue as a spreadsheet (CSV or XLSX): template, export, and an import that is
checked whole first (the dry run) and then applied all or nothing.

One row is one product, keyed by SKU: a new SKU creates the product on its shelf slot, a known
one updates what differs (fields, price ladder, slot, status). Stock never comes from a sheet;
goods arrive through receiving, so the ledger stays the one record of quantities.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
import zipfile
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select
from sqlalchemy.orm import Session, selectinload

from shelf_labels.codes import new_code
from store_api.catalogue.models import PriceTier, Product, ShelfSlot, Zone
from store_api.catalogue.rows import Row, product_from
from store_api.catalogue.rules import format_money, whole_number_text
from store_api.core import audit
from store_api.core.db import Database
from store_api.core.errors import CatalogueError, DomainError, RowProblem
from store_api.factories.models import Factory

MAX_ROWS = 20_000
BASE_COLUMNS = ["sku", "factory", "name_zh", "name_en", "category", "zone", "slot",
                "supply_price", "moq", "case_pack"]
TAIL_COLUMNS = ["suggested_retail", "description_zh", "description_en", "suits", "foldable",
                "packed_cm", "unpacked_cm", "weight_g", "sample_available", "dropship_allowed",
                "status"]
COUNT_COLUMNS = ("moq", "case_pack", "weight_g")
FLAG_COLUMNS = ("foldable", "sample_available", "dropship_allowed")
_TRUE = {"1", "y", "yes", "true", "是", "有"}
_FALSE = {"", "0", "n", "no", "false", "否", "无"}
# Product columns an import may change, compared field by field to find what differs.
_FIELDS = ("name_zh", "name_en", "description_zh", "description_en", "category",
           "supply_price_fen", "moq", "case_pack", "foldable", "packed_length_cm",
           "packed_width_cm", "packed_height_cm", "unpacked_length_cm", "unpacked_width_cm",
           "unpacked_height_cm", "weight_g", "sample_available", "dropship_allowed",
           "suggested_retail_fen", "suits_business_types", "status")


Sheet = list[tuple[int, dict]]


class SheetError(DomainError):
    """The file as a whole cannot be read as a catalogue sheet."""

    code = "sheet_invalid"


def columns(member_levels: list[str]) -> list[str]:
    """The sheet's columns, in order: one price-ladder column per member level."""
    return BASE_COLUMNS + [f"price_{level}" for level in member_levels] + TAIL_COLUMNS


# Reading a file -------------------------------------------------------------------------------

def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _decode(data: bytes) -> str:
    # Excel on a Chinese Windows saves CSV as GB18030 (GBK); everything else sends UTF-8.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SheetError(_l("The file is neither UTF-8 nor GB18030 text."))


def _raw_rows(filename: str, data: bytes):
    name = filename.lower()
    if name.endswith(".csv"):
        try:
            return list(csv.reader(io.StringIO(_decode(data), newline="")))
        except csv.Error:
            raise SheetError(_l("The file is not a readable CSV file.")) from None
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            rows = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
            book.close()
            return rows
        except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError):
            raise SheetError(_l("The file is not a readable XLSX workbook.")) from None
    raise SheetError(_l("Send a .csv or .xlsx file."), field="file")


def read_sheet(filename: str, data: bytes, member_levels: list[str]) -> Sheet:
    """Read a sheet's rows as (row number as a spreadsheet shows it, column -> text)."""
    rows = _raw_rows(filename, data)
    if not rows:
        raise SheetError(_l("The file is empty."))
    header = [_cell(value).lower() for value in rows[0]]
    known = columns(member_levels)
    unknown = [name for name in header if name and name not in known]
    missing = [name for name in BASE_COLUMNS + [f"price_{member_levels[0]}"]
               if name not in header]
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    if unknown or missing or repeated:
        raise SheetError(
            _l("The header row does not fit the template: unknown %(unknown)s; missing "
               "%(missing)s; repeated %(repeated)s."),
            unknown=", ".join(unknown) or "-", missing=", ".join(missing) or "-",
            repeated=", ".join(repeated) or "-")
    body = [(number, row) for number, row in enumerate(rows[1:], start=2)
            if any(_cell(value) for value in row)]
    if len(body) > MAX_ROWS:
        raise SheetError(_l("A sheet may hold at most %(limit)s products."), limit=MAX_ROWS)
    return [(number, {name: _cell(value) for name, value in zip(header, row, strict=False)
                      if name}) for number, row in body]


# From text cells to the fields the catalogue rules check --------------------------------------

def _flag(text: str):
    lowered = text.lower()
    return True if lowered in _TRUE else False if lowered in _FALSE else text


def _size(text: str):
    parts = re.split(r"\s*[x×*]\s*", text.lower())
    try:
        return [float(part) for part in parts]
    except ValueError:
        return text


def _ladder(text: str) -> list:
    """"10:12.50; 50:11" -> [[10, "12.50"], [50, "11"]]; a broken tier stays text for the
    rules to name."""
    tiers = []
    for part in filter(None, (piece.strip() for piece in re.split(r"[;；\n]", text))):
        quantity, sep, price = part.replace("：", ":").partition(":")
        tiers.append([whole_number_text(quantity.strip()), price.strip()] if sep else part)
    return tiers


def _fields(cells: dict, member_levels: list[str]) -> dict:
    """Turn a row's text cells into the shape the catalogue rules read."""
    data = {name: cells.get(name, "") for name in BASE_COLUMNS}
    for name in ("category", "description_zh", "description_en"):
        data[name] = cells.get(name) or None
    for name in COUNT_COLUMNS:
        data[name] = whole_number_text(cells.get(name, ""))
    if data["weight_g"] == "":
        data["weight_g"] = None
    for name in FLAG_COLUMNS:
        data[name] = _flag(cells.get(name, ""))
    for name in ("packed_cm", "unpacked_cm"):
        if cells.get(name):
            data[name] = _size(cells[name])
    if cells.get("suggested_retail"):
        data["suggested_retail"] = cells["suggested_retail"]
    data["suits"] = [s for s in re.split(r"[;,，、\s]+", cells.get("suits", "")) if s]
    data["price_ladder"] = {level: _ladder(cells[f"price_{level}"])
                            for level in member_levels if cells.get(f"price_{level}")}
    if not data["price_ladder"]:
        data["price_ladder"] = None
    return data


# Writing a sheet -----------------------------------------------------------------------------

def _dimensions(values) -> str:
    return "" if None in values else "x".join(f"{value:g}" for value in values)


def product_cells(product: Product, member_levels: list[str]) -> list[str]:
    """One product as a row of the sheet, in column order."""
    slot = product.slot
    ladder = {level: "; ".join(f"{t.min_quantity}:{format_money(t.unit_price_fen)}"
                               for t in product.price_tiers if t.member_level == level)
              for level in member_levels}
    values = {
        "sku": product.sku, "factory": product.factory.code, "name_zh": product.name_zh,
        "name_en": product.name_en, "category": product.category,
        "zone": slot.zone.code if slot else "",
        "slot": f"{slot.aisle}-{slot.shelf}-{slot.position}" if slot else "",
        "supply_price": format_money(product.supply_price_fen), "moq": str(product.moq),
        "case_pack": str(product.case_pack),
        "suggested_retail": format_money(product.suggested_retail_fen),
        "description_zh": product.description_zh, "description_en": product.description_en,
        "suits": ";".join(product.suits_business_types or []),
        "packed_cm": _dimensions((product.packed_length_cm, product.packed_width_cm,
                                  product.packed_height_cm)),
        "unpacked_cm": _dimensions((product.unpacked_length_cm, product.unpacked_width_cm,
                                    product.unpacked_height_cm)),
        "weight_g": "" if product.weight_g is None else str(product.weight_g),
        "status": product.status,
        **{name: "yes" if getattr(product, name) else "no" for name in FLAG_COLUMNS},
        **{f"price_{level}": text for level, text in ladder.items()},
    }
    return [values[name] for name in columns(member_levels)]


def write_sheet(rows: list[list[str]], member_levels: list[str], kind: str) -> bytes:
    """Write a header and rows as CSV (UTF-8 with a byte-order mark, which Excel needs to
    read Chinese) or XLSX."""
    header = columns(member_levels)
    if kind == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("products")
        for row in (header, *rows):
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def export(session: Session, member_levels: list[str], kind: str) -> bytes:
    """Every product, archived ones too, in the import's format."""
    products = session.scalars(select(Product).order_by(Product.sku).options(
        selectinload(Product.price_tiers), selectinload(Product.factory),
        selectinload(Product.slot).selectinload(ShelfSlot.zone)))
    return write_sheet([product_cells(p, member_levels) for p in products], member_levels,
                       kind)


def template(member_levels: list[str], kind: str) -> bytes:
    """The header and one example row showing each column's format."""
    example = {
        "sku": "EXAMPLE-001", "factory": "FACTORY-CODE", "name_zh": "示例产品",
        "name_en": "Example product", "category": "", "zone": "bestseller", "slot": "A-1-1",
        "supply_price": "8.00", "moq": "12", "case_pack": "6",
        f"price_{member_levels[0]}": "12:12.50; 60:11.00", "suggested_retail": "19.90",
        "suits": "shop;streamer", "foldable": "no", "packed_cm": "30x20x10",
        "weight_g": "450", "sample_available": "yes", "dropship_allowed": "no",
        "status": "active",
    }
    return write_sheet([[example.get(name, "") for name in columns(member_levels)]],
                       member_levels, kind)


# Planning: what each row would do --------------------------------------------------------------

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
    values = {name: getattr(product, name) for name in _FIELDS}
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
        row = Row(source, number, _fields(cells, member_levels), "sku", problems)
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
            for name in _FIELDS:
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
