"""The catalogue sheet as a spreadsheet sees it: names that look like formulas leave the export
as text and come back unchanged."""

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from store_api.catalogue import sheet_import, sheets
from store_api.catalogue.models import Product
from store_api.core import audit
from store_api.core.state import state

ACTOR = audit.Actor(None, "staff:test")
HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "-1+1", "@SUM(A1)"]
# Every text column of a product that a sheet carries, the factory's code among them.
TEXT_COLUMNS = ("sku", "factory", "name_zh", "name_en", "category", "description_zh",
                "description_en")


@pytest.fixture
def hostile_products(db, make_product):
    """A product for each hostile text, holding it in every text column."""
    with db.unit_of_work() as session:
        for text in HOSTILE:
            product, _, _ = make_product(session)
            product.factory.code = text
            for name in TEXT_COLUMNS[2:]:
                setattr(product, name, text)
            product.sku = text
    return HOSTILE


def _levels(app):
    settings = state(app).settings
    return settings["catalogue.member_levels"], settings["catalogue.business_types"]


def _export(db, levels, kind):
    with db.read_session() as session:
        return sheets.export(session, levels, kind)


def _sheet_cells(data: bytes, kind: str) -> list[dict]:
    """The export read back with the csv module or openpyxl; an XLSX cell holding a formula
    fails here."""
    if kind == "csv":
        return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    rows = list(load_workbook(io.BytesIO(data)).worksheets[0].iter_rows())
    assert not [cell.coordinate for row in rows for cell in row if cell.data_type == "f"]
    header = [cell.value for cell in rows[0]]
    return [{name: "" if cell.value is None else cell.value
             for name, cell in zip(header, row, strict=True)} for row in rows[1:]]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_export_writes_text_that_looks_like_a_formula_as_text(app, db, hostile_products,
                                                                   kind):
    levels, _ = _levels(app)
    rows = _sheet_cells(_export(db, levels, kind), kind)
    assert sorted(row[name] for row in rows for name in TEXT_COLUMNS) == sorted(
        "'" + text for text in HOSTILE for _ in TEXT_COLUMNS)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_export_imported_again_leaves_such_names_unchanged(app, db, make_product,
                                                              hostile_products, kind):
    levels, types = _levels(app)
    with db.unit_of_work() as session:
        for name in ("=1+1", "-折叠伞", "'=quoted before"):
            make_product(session, name_zh=name)
    data = _export(db, levels, kind)
    sheet = sheets.read_sheet(f"all.{kind}", data, levels)
    names = {cells["name_zh"] for _, cells in sheet}
    assert names == {*HOSTILE, "=1+1", "-折叠伞", "'=quoted before"}
    with db.read_session() as session:
        before = {p.sku: (p.factory.code, p.name_zh, p.name_en, p.category)
                  for p in session.scalars(select(Product))}
    plan = sheet_import.apply(db, f"all.{kind}", sheet, member_levels=levels,
                              business_types=types, actor=ACTOR)
    assert plan.problems == [] and plan.count("unchanged") == len(sheet) == 7
    with db.read_session() as session:
        assert {p.sku: (p.factory.code, p.name_zh, p.name_en, p.category)
                for p in session.scalars(select(Product))} == before

