"""The catalogue sheet as a spreadsheet sees it: names that look like formulas leave the export
as text and come back unchanged, and a sheet past the row limit is refused as soon as the limit
is passed, before the rest of the file is read."""

import csv
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from store_api.catalogue import sheet_import, sheets
from store_api.catalogue.models import PriceTier, Product, ShelfSlot
from store_api.core import audit
from store_api.core.models import AuditLogEntry
from store_api.core.state import state
from store_api.demo.centre import load_demo
from tests.support.clients import sign_in

ACTOR = audit.Actor(None, "staff:test")
HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "-1+1", "@SUM(A1)"]
# Every text column of a product that a sheet carries, the factory's code among them.
TEXT_COLUMNS = ("sku", "factory", "name_zh", "name_en", "category", "description_zh",
                "description_en")
LEVELS = ["standard", "silver", "gold"]  # config/default.toml's member levels
BIG_ROWS = 30_000


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


# A sheet past the row limit -------------------------------------------------------------------

def _big_rows(count: int):
    yield sheets.columns(LEVELS)
    for n in range(1, count + 1):
        yield [f"BIG-{n:05d}", "F1", "大表商品", "Big sheet product", "", "bestseller",
               f"B-{n // 100 + 1}-{n % 100 + 1}", "8.00", "1", "1", "1:12.50"]


@pytest.fixture(scope="module")
def big_xlsx() -> bytes:
    """A workbook of 30,000 products, written a row at a time."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("products")
    for row in _big_rows(BIG_ROWS):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def big_csv() -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(_big_rows(BIG_ROWS))
    return out.getvalue().encode()


class Counted:
    """The rows of a sheet's file, counting how many the reader pulled."""

    def __init__(self, rows):
        self.rows, self.pulled = rows, 0

    def __iter__(self):
        return self

    def __next__(self):
        row = next(self.rows)
        self.pulled += 1
        return row


def test_a_csv_past_the_row_limit_is_refused_before_the_rest_is_read(big_csv):
    rows = Counted(sheets.sheet_rows("big.csv", big_csv))
    with pytest.raises(sheets.SheetError) as refused:
        sheets.rows_to_sheet(rows, LEVELS)
    assert "at most 20000 products" in str(refused.value)
    # The header and one product past the limit were read; the rest of the file never was.
    assert rows.pulled == 1 + sheets.MAX_ROWS + 1 < 1 + BIG_ROWS
    assert next(rows)[0] == f"BIG-{sheets.MAX_ROWS + 2:05d}"
    rows.rows.close()


def test_a_workbook_past_the_row_limit_is_refused_before_a_row_is_parsed(big_xlsx):
    rows = Counted(sheets.sheet_rows("big.xlsx", big_xlsx))
    with pytest.raises(sheets.SheetError, match="at most 20000 products"):
        sheets.rows_to_sheet(rows, LEVELS)
    assert rows.pulled == 0  # counted from the sheet's XML, not parsed cell by cell


def test_a_workbook_at_the_row_limit_with_empty_formatted_rows_reads():
    book = Workbook()
    sheet = book.active
    for number, row in enumerate(_big_rows(sheets.MAX_ROWS)):
        sheet.append(row)
        if number % 1000 == 0:
            sheet.append([None] * 3)
    for blank in range(sheet.max_row + 1, sheet.max_row + 2_000):
        sheet.cell(blank, 1).number_format = "0.00"  # styled, never filled: no product
    out = io.BytesIO()
    book.save(out)
    found = sheets.read_sheet("full.xlsx", out.getvalue(), LEVELS)
    assert len(found) == sheets.MAX_ROWS


def test_a_sheet_at_the_row_limit_reads_and_blank_rows_do_not_count():
    out = io.StringIO()
    writer = csv.writer(out)
    for number, row in enumerate(_big_rows(sheets.MAX_ROWS)):
        writer.writerow(row)
        if number % 1000 == 0:
            writer.writerows([[], [""] * 5])
    data = out.getvalue().encode()
    sheet = sheets.read_sheet("full.csv", data, LEVELS)
    assert len(sheet) == sheets.MAX_ROWS and sheet[-1][1]["sku"] == f"BIG-{sheets.MAX_ROWS:05d}"
    with pytest.raises(sheets.SheetError, match="at most 20000 products"):
        sheets.read_sheet("over.csv", data + b"BIG-X,F1,x,x,,bestseller,Z-1-1,8.00,1,1,1:9\r\n",
                          LEVELS)


def test_a_workbook_whose_sheet_is_cut_short_is_refused_as_unreadable(big_xlsx):
    whole = zipfile.ZipFile(io.BytesIO(big_xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as cut:
        for name in whole.namelist():
            data = whole.read(name)
            cut.writestr(name, data[:len(data) // 2] if name.startswith("xl/worksheets/")
                         else data)
    with pytest.raises(sheets.SheetError) as refused:
        sheets.read_sheet("cut.xlsx", out.getvalue(), LEVELS)
    assert "not a readable XLSX" in str(refused.value)


def _counts(db):
    with db.read_session() as session:
        return tuple(session.scalar(select(func.count()).select_from(table))
                     for table in (Product, PriceTier, ShelfSlot, AuditLogEntry))


def test_the_import_page_refuses_a_30000_row_workbook_and_changes_nothing(sqlite_app,
                                                                          big_xlsx):
    app = sqlite_app
    settings = state(app).settings
    with state(app).db.unit_of_work() as session:
        load_demo(session, media_dir=state(app).media_dir,
                  member_levels=settings["catalogue.member_levels"],
                  business_types=settings["catalogue.business_types"])
    assert settings["catalogue.member_levels"] == LEVELS
    client = sign_in(app, "manager")
    before = _counts(state(app).db)
    answer = client.post("/console/products/import", data={
        "csrf_token": client.csrf_token, "sheet": (io.BytesIO(big_xlsx), "big.xlsx")})
    assert answer.status_code == 422
    assert "一个表格最多 20000 个商品" in answer.get_data(as_text=True)
    assert _counts(state(app).db) == before
    uploads = settings.var_dir / "imports"
    assert not uploads.exists() or not any(uploads.iterdir())


def _workbook_of(sheet_xml: bytes) -> bytes:
    """A workbook whose first sheet is the given XML, laid out as Excel lays it out."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relations = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("xl/workbook.xml", f'<workbook xmlns="{main}" xmlns:r="{relations}">'
                      '<sheets><sheet name="p" sheetId="1" r:id="rId1"/></sheets></workbook>')
        book.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.'
                      'openxmlformats.org/package/2006/relationships"><Relationship '
                      'Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>')
        book.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return out.getvalue()


def test_the_quick_count_counts_rows_with_a_value_and_nothing_else():
    rows = (b'<row r="1"><c><v>x</v></c></row>'
            b'<row r="2"><c t="inlineStr"><is><t>a</t></is></c></row>'
            b'<x:row r="3"><x:c><x:v>7</x:v></x:c></x:row>'
            b'<row r="4"><c><v> </v></c></row>'  # blank text
            b'<row r="5"><c><f>IF(A1="","",1)</f><v></v></c></row>'  # an empty formula result
            b'<row r="6"><c s="1"/></row><row r="7"/>')  # styled, never filled
    assert sheets._filled_rows(_workbook_of(b"<sheetData>" + rows + b"</sheetData>")) == 3
    # Rows that never close, or tags that never end, are counted, not backtracked over.
    assert sheets._filled_rows(_workbook_of(b"<row>" * 200_000)) == 0
    assert sheets._filled_rows(_workbook_of(b"<row <v " * 100_000)) == 0
