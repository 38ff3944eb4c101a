"""The catalogue as a spreadsheet (CSV or XLSX): its columns, template and export, and reading
an uploaded sheet into rows that `sheet_import` checks whole first (the dry run) and then
applies all or nothing.

One row is one product, keyed by SKU: a new SKU creates the product on its shelf slot, a known
one updates what differs (fields, price ladder, slot, status). Stock never comes from a sheet;
goods arrive through receiving, so the ledger stays the one record of quantities.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Generator, Iterator, Sequence
from xml.etree import ElementTree

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from store_api.catalogue.models import Product, ShelfSlot
from store_api.catalogue.rules import format_money, whole_number_text
from store_api.core.errors import DomainError
from store_api.core.sheet_cells import csv_bytes, restored, xlsx_bytes

MAX_ROWS = 20_000
HEADER_COLUMNS = 200  # wider than any template; a header cell further right is not read
WORKSHEET_ROWS = 1_048_576  # the last row a worksheet can have
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
PRODUCT_FIELDS = ("name_zh", "name_en", "description_zh", "description_en", "category",
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
    """A cell as text, without the quote an export put ahead of a formula-like name."""
    if isinstance(value, str):
        return restored(value.strip())
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


def _csv_rows(data: bytes) -> Generator[list, None, None]:
    rows = csv.reader(io.StringIO(_decode(data), newline=""))
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error:
            raise SheetError(_l("The file is not a readable CSV file.")) from None
        yield row


# What openpyxl raises for a file that is not a workbook, or one whose sheet is cut short or
# broken; rows are parsed as they are read, so these can come from any row.
_XLSX_ERRORS = (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError,
                ElementTree.ParseError)


# Where a worksheet's row starts, and a value that is not blank, as its XML writes them (any
# namespace prefix). Bounded repeats and searches between one row's start and the next keep
# the count linear in the file, whatever an uploaded file holds.
_ROW_START = re.compile(rb"<(?:[\w.-]{1,40}:)?row\b")
_VALUE = re.compile(rb"<(?:[\w.-]{1,40}:)?[vt](?:\s[^>]{0,200})?>\s{0,50}[^<\s]")
# Past this much XML the count gives way to openpyxl's own streaming, to bound memory.
SHEET_XML_BYTES = 64 * 1024 * 1024


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATION = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _filled_rows(data: bytes) -> int:
    """Count the rows of the workbook's first sheet that hold a value that is not blank, by
    scanning its XML; counting stops once past the limit. A value right of the header's
    columns counts too, so this is the most the sheet can hold.

    openpyxl parses the whole sheet once just to open it when the file has no dimension
    record, and parses a row in about a tenth of a millisecond; a pattern finds a row in a
    hundredth of that, so a sheet far over the limit is refused before it is parsed at all.
    A workbook laid out otherwise counts 0 here and is left to openpyxl, row by row.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            first = ElementTree.fromstring(archive.read("xl/workbook.xml")).find(
                f"{_MAIN}sheets/{_MAIN}sheet")
            relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
            target = next(r.get("Target", "") for r in relations
                          if r.get("Id") == first.get(_RELATION))
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            with archive.open(path) as source:
                xml = source.read(SHEET_XML_BYTES + 1)
    except (KeyError, AttributeError, StopIteration, zipfile.BadZipFile,
            ElementTree.ParseError, OSError):
        return 0
    if len(xml) > SHEET_XML_BYTES:
        return 0
    starts = [row.start() for row in _ROW_START.finditer(xml)]
    filled = 0
    for begin, end in zip(starts, [*starts[1:], len(xml)], strict=True):
        filled += _VALUE.search(xml, begin, end) is not None
        if filled > MAX_ROWS + 1:
            break
    return filled


def _xlsx_rows(data: bytes) -> Generator[tuple, None, None]:
    from openpyxl import load_workbook

    unreadable = _l("The file is not a readable XLSX workbook.")
    if _filled_rows(data) > MAX_ROWS + 1:  # the products and their header
        raise SheetError(_l("A sheet may hold at most %(limit)s products."), limit=MAX_ROWS)
    try:
        # Read-only, the sheet's rows are parsed as they are asked for, never all at once.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        # With both bounds given openpyxl never reads the whole sheet first to learn its size
        # (a workbook without a dimension record would be parsed twice); the header row says
        # how wide the products' rows need to be.
        header = next(sheet.iter_rows(max_row=1, max_col=HEADER_COLUMNS, values_only=True), ())
        width = max((n for n, value in enumerate(header, start=1) if value not in (None, "")),
                    default=1)
        rows = sheet.iter_rows(max_row=WORKSHEET_ROWS, max_col=width, values_only=True)
    except _XLSX_ERRORS:
        raise SheetError(unreadable) from None
    try:
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except _XLSX_ERRORS:
                raise SheetError(unreadable) from None
            yield row
    finally:
        book.close()


def sheet_rows(filename: str, data: bytes) -> Generator[Sequence, None, None]:
    """A CSV or XLSX file's rows of cells, read one at a time as they are asked for."""
    name = filename.lower()
    if name.endswith(".csv"):
        return _csv_rows(data)
    if name.endswith(".xlsx"):
        return _xlsx_rows(data)
    raise SheetError(_l("Send a .csv or .xlsx file."), field="file")


def rows_to_sheet(rows: Iterator[Sequence], member_levels: list[str]) -> Sheet:
    """Check the header row and take the products' rows, refusing a sheet as soon as it
    passes MAX_ROWS, before the rest of the file is read."""
    first = next(rows, None)
    if first is None:
        raise SheetError(_l("The file is empty."))
    header = [_cell(value).lower() for value in first]
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
    body = []
    for number, row in enumerate(rows, start=2):
        if not any(_cell(value) for value in row):
            continue
        if len(body) == MAX_ROWS:
            raise SheetError(_l("A sheet may hold at most %(limit)s products."), limit=MAX_ROWS)
        body.append((number, row))
    # Cells become text only once the sheet is known to fit, which keeps a refusal quick.
    return [(number, {name: _cell(value) for name, value in zip(header, row, strict=False)
                      if name}) for number, row in body]


def read_sheet(filename: str, data: bytes, member_levels: list[str]) -> Sheet:
    """Read a sheet's rows as (row number as a spreadsheet shows it, column -> text)."""
    rows = sheet_rows(filename, data)
    try:
        return rows_to_sheet(rows, member_levels)
    finally:
        rows.close()  # a refused sheet's workbook is closed now, not when collected


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


def row_fields(cells: dict, member_levels: list[str]) -> dict:
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
    """Write a header and rows as CSV or XLSX, every cell neutralised so that a name a
    spreadsheet would take for a formula stays text; `read_sheet` takes the quote off again."""
    table = [columns(member_levels), *rows]
    return xlsx_bytes("products", table) if kind == "xlsx" else csv_bytes(table)


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

