"""The catalogue spreadsheet: export, template, dry run and all-or-nothing apply (CSV and
XLSX), the product form that shares its rules, and pictures."""

import csv
import io
import os

import pytest
from PIL import Image
from sqlalchemy import func, select

from store_api.catalogue import sheet_import, sheets
from store_api.catalogue.models import PriceTier, Product, ProductImage, ShelfSlot
from store_api.core import audit
from store_api.core.errors import CatalogueError
from store_api.core.models import AuditLogEntry
from store_api.core.state import state
from store_api.demo.centre import load_demo
from tests.support.clients import sign_in

ACTOR = audit.Actor(None, "staff:test")


def _load_demo(app) -> tuple[list[str], list[str]]:
    settings = state(app).settings
    with state(app).db.unit_of_work() as session:
        load_demo(session, media_dir=state(app).media_dir,
                  member_levels=settings["catalogue.member_levels"],
                  business_types=settings["catalogue.business_types"])
    return settings["catalogue.member_levels"], settings["catalogue.business_types"]


@pytest.fixture
def demo(app):
    return _load_demo(app)


def _rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def _csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _counts(db):
    with db.read_session() as session:
        return tuple(session.scalar(select(func.count()).select_from(table))
                     for table in (Product, PriceTier, ShelfSlot, AuditLogEntry))


def _export(db, levels, kind="csv"):
    with db.read_session() as session:
        return sheets.export(session, levels, kind)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_export_reads_back_as_unchanged(app, db, demo, kind):
    levels, types = demo
    data = _export(db, levels, kind)
    with db.read_session() as session:
        sheet = sheets.read_sheet(f"all.{kind}", data, levels)
        plan = sheet_import.dry_run(session, f"all.{kind}", sheet, member_levels=levels,
                                    business_types=types)
    assert plan.problems == []
    assert plan.count("unchanged") == len(sheet) == 63


def test_a_bad_row_is_named_by_the_dry_run_and_nothing_is_written(app, db, demo):
    levels, types = demo
    rows = _rows(_export(db, levels))
    rows[4]["moq"] = "7"  # not a whole number of case packs
    rows[9]["price_standard"] = "12:abc"
    rows.append(dict(rows[0], sku="NEW-001", slot="Z-1-1", zone="nowhere"))
    row_of = {row["sku"]: number for number, row in enumerate(rows, start=2)}
    rows[row_of["SY-SY-001"] - 2]["weight_g"] = "100000"  # a 100 kg umbrella
    box = rows[row_of["TZ-HY-001"] - 2]
    box["packed_cm"], box["unpacked_cm"] = box["unpacked_cm"], box["packed_cm"]
    before = _counts(db)
    sheet = sheets.read_sheet("bad.csv", _csv(rows), levels)
    with db.read_session() as session:
        plan = sheet_import.dry_run(session, "bad.csv", sheet, member_levels=levels,
                                    business_types=types)
    problems = {(p.row, p.field) for p in plan.problems}
    assert (6, "moq") in problems  # row 6 of the sheet: header, then rows[0] is row 2
    assert (11, "price_ladder.standard[1]") in problems or any(
        row == 11 and field.startswith("price_ladder.standard") for row, field in problems)
    assert (len(rows) + 1, "zone") in problems
    assert (row_of["SY-SY-001"], "weight_g") in problems
    assert (row_of["TZ-HY-001"], "packed_cm") in problems
    with pytest.raises(CatalogueError):
        sheet_import.apply(db, "bad.csv", sheet, member_levels=levels,
                           business_types=types, actor=ACTOR)
    assert _counts(db) == before


def test_applying_adds_and_changes_only_what_differs_and_audits_each(app, db, demo):
    levels, types = demo
    rows = _rows(_export(db, levels))
    first, second = rows[0], rows[1]
    first["price_standard"] = "12:30.00; 60:28.00; 240:26.00"
    first["name_en"] = "Renamed boards"
    second["zone"], second["slot"] = "streamer", "Q-9-1"  # a new place for an old product
    rows.append(dict(first, sku="NEW-001", slot="Q-9-2", zone="streamer", status="active"))
    sheet = sheets.read_sheet("edit.csv", _csv(rows), levels)
    plan = sheet_import.apply(db, "edit.csv", sheet, member_levels=levels,
                              business_types=types, actor=ACTOR)
    assert (plan.count("new"), plan.count("changed")) == (1, 2)
    changed = {row.sku: row.changed for row in plan.rows if row.action == "changed"}
    assert sorted(changed[first["sku"]]) == ["name_en", "price_ladder"]
    assert sorted(changed[second["sku"]]) == ["slot", "zone"]
    with db.read_session() as session:
        product = session.scalar(select(Product).where(Product.sku == first["sku"]))
        assert [(t.min_quantity, t.unit_price_fen) for t in product.price_tiers
                if t.member_level == "standard"] == [(12, 3000), (60, 2800), (240, 2600)]
        moved = session.scalar(select(Product).where(Product.sku == second["sku"]))
        assert (moved.slot.zone.code, moved.slot.aisle, moved.slot.shelf) == ("streamer", "Q", 9)
        entries = list(session.scalars(select(AuditLogEntry).order_by(AuditLogEntry.id)))
        assert [e.action for e in entries] == ["catalogue.import.create",
                                                "catalogue.import.update",
                                                "catalogue.import.update"]
        update = next(e for e in entries if e.entity_id == str(product.id))
        assert update.before["name_en"] != "Renamed boards"
        assert update.after["name_en"] == "Renamed boards"
        assert set(update.after) == {"name_en", "price_ladder"}
    # Applying the same sheet again changes nothing.
    again = sheet_import.apply(db, "edit.csv", sheet, member_levels=levels,
                               business_types=types, actor=ACTOR)
    assert again.count("unchanged") == len(rows)


def test_two_products_may_swap_places_in_one_sheet(app, db, demo):
    levels, types = demo
    rows = _rows(_export(db, levels))
    a, b = rows[0], rows[1]
    (a["zone"], a["slot"]), (b["zone"], b["slot"]) = (b["zone"], b["slot"]), (a["zone"],
                                                                            a["slot"])
    sheet = sheets.read_sheet("swap.csv", _csv(rows), levels)
    sheet_import.apply(db, "swap.csv", sheet, member_levels=levels, business_types=types,
                       actor=ACTOR)
    with db.read_session() as session:
        placed = {p.sku: f"{p.slot.aisle}-{p.slot.shelf}-{p.slot.position}" for p in
                  session.scalars(select(Product).where(Product.sku.in_([a["sku"], b["sku"]])))}
    assert placed == {a["sku"]: a["slot"], b["sku"]: b["slot"]}
    taken = _rows(_export(db, levels))
    taken[2]["zone"], taken[2]["slot"] = taken[3]["zone"], taken[3]["slot"]
    with db.read_session() as session:
        plan = sheet_import.dry_run(
            session, "t.csv", sheets.read_sheet("t.csv", _csv(taken), levels),
            member_levels=levels, business_types=types)
    assert {(p.row, p.field) for p in plan.problems} >= {(4, "slot")}


@pytest.mark.parametrize("name, data, message", [
    ("x.txt", b"sku\n", "Send a .csv or .xlsx file."),
    ("x.csv", b"", "The file is empty."),
    ("x.csv", b"sku,factory,colour\n", "unknown colour"),
    ("x.csv", b"\xff\xfe\x00bad", "neither UTF-8 nor GB18030"),
    ("x.xlsx", b"PK\x03\x04 not a workbook", "not a readable XLSX"),
])
def test_files_that_are_not_a_catalogue_sheet_are_refused(name, data, message):
    with pytest.raises(sheets.SheetError) as refused:
        sheets.read_sheet(name, data, ["standard"])
    assert message in str(refused.value)


def test_a_gb18030_csv_from_excel_reads(app, db, demo):
    levels, _ = demo
    text = _export(db, levels).decode("utf-8-sig")
    sheet = sheets.read_sheet("gbk.csv", text.encode("gb18030"), levels)
    assert sheet[0][1]["name_zh"] == _rows(_export(db, levels))[0]["name_zh"]


def test_the_import_pages_check_then_apply_and_refuse_forged_uploads(sqlite_app):
    app = sqlite_app
    settings = state(app).settings
    _load_demo(app)
    client = sign_in(app, "manager")
    token = client.csrf_token
    rows = _rows(client.get("/console/products/export.csv").data)
    rows[0]["name_zh"] = "改过的名字"
    rows[2]["supply_price"] = "-3"
    checked = client.post("/console/products/import", data={
        "csrf_token": token, "sheet": (io.BytesIO(_csv(rows)), "edit.csv")})
    page = checked.get_data(as_text=True)
    assert checked.status_code == 422 and 'data-row="4"' in page
    assert 'class="apply-form"' not in page
    rows[2]["supply_price"] = "3.00"
    checked = client.post("/console/products/import", data={
        "csrf_token": token, "sheet": (io.BytesIO(_csv(rows)), "edit.csv")})
    page = checked.get_data(as_text=True)
    assert checked.status_code == 200 and 'class="apply-form"' in page
    stored = page.split('name="stored" value="')[1].split('"')[0]
    for forged in ("../../secret_key", "0" * 64 + ".csv", stored.replace(".csv", ".xlsx")):
        answer = client.post("/console/products/import/apply", data={
            "csrf_token": token, "stored": forged, "name": "edit.csv"})
        assert answer.status_code == 404
    applied = client.post("/console/products/import/apply", data={
        "csrf_token": token, "stored": stored, "name": "edit.csv"})
    assert applied.status_code == 200 and "labels-for-changed" in applied.get_data(as_text=True)
    with state(app).db.read_session() as session:
        assert session.scalar(select(Product.name_zh).where(Product.sku == rows[0]["sku"])) == (
            "改过的名字")
    # Past server.max_request_bytes but within the import's own limit: read, and refused for
    # what it holds rather than for its size.
    wide = b"sku,colour\n" + b"x,red\n" * (settings["server.max_request_bytes"] // 3)
    answer = client.post("/console/products/import", data={
        "csrf_token": token, "sheet": (io.BytesIO(wide), "wide.csv")})
    assert answer.status_code == 422 and "colour" in answer.get_data(as_text=True)
    big = b"x" * (settings["console.import_max_bytes"] + 1)
    answer = client.post("/console/products/import", data={
        "csrf_token": token, "sheet": (io.BytesIO(big), "big.csv")})
    assert answer.status_code == 413
    for endpoint in ("template", "export"):
        sheet = client.get(f"/console/products/{endpoint}.xlsx")
        assert sheet.status_code == 200 and sheet.data[:2] == b"PK"


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def test_the_product_form_saves_through_the_same_rules_and_takes_pictures(sqlite_app):
    app = sqlite_app
    settings = state(app).settings
    _load_demo(app)
    with state(app).db.read_session() as session:
        sku = session.scalar(select(Product.sku).order_by(Product.sku))
    client = sign_in(app, "manager")
    form = client.get(f"/console/products/{sku}").get_data(as_text=True)
    cells = {name: form.split(f'name="{name}" value="')[1].split('"')[0]
             for name in ("factory", "name_zh", "name_en", "zone", "slot", "supply_price",
                          "moq", "case_pack", "price_standard")}
    bad = client.post(f"/console/products/{sku}", data=dict(
        cells, csrf_token=client.csrf_token, moq="5", supply_price="99999999999", status="active"))
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422 and 'data-field="moq"' in page
    assert 'data-field="supply_price"' in page
    good = client.post(f"/console/products/{sku}", data=dict(
        cells, csrf_token=client.csrf_token, name_en="New name", status="archived"))
    assert good.status_code == 303
    with state(app).db.read_session() as session:
        product = session.scalar(select(Product).where(Product.sku == sku))
        assert (product.name_en, product.status) == ("New name", "archived")

    fresh = dict(cells, csrf_token=client.csrf_token, name_en="Overwritten", status="active")
    taken = client.post("/console/products/new", data=dict(fresh, sku=sku))
    assert taken.status_code == 409 and 'data-field="sku"' in taken.get_data(as_text=True)
    created = client.post("/console/products/new", data=dict(fresh, sku="FORM-NEW-1",
                                                               slot="Z-8-8"))
    assert created.headers["Location"].endswith("/console/products/FORM-NEW-1")
    with state(app).db.read_session() as session:
        names = dict(session.execute(select(Product.sku, Product.name_en).where(
            Product.sku.in_([sku, "FORM-NEW-1"]))).all())
    assert names == {sku: "New name", "FORM-NEW-1": "Overwritten"}

    upload = client.post(f"/console/products/{sku}/pictures", data={
        "csrf_token": client.csrf_token, "picture": (io.BytesIO(_png(3000, 1500)), "a.png")})
    assert upload.status_code == 303
    with state(app).db.read_session() as session:
        image = session.scalar(select(ProductImage).where(ProductImage.product_id == product.id)
                               .order_by(ProductImage.id.desc()))
    stored = Image.open(state(app).media_dir / image.path)
    assert stored.format == "JPEG" and max(stored.size) == settings["console.picture_max_px"]
    noise = Image.frombytes("RGB", (1400, 1400), os.urandom(1400 * 1400 * 3))
    out = io.BytesIO()
    noise.save(out, "PNG")
    assert settings["server.max_request_bytes"] < len(out.getvalue()) < settings[
        "console.picture_max_bytes"]
    assert client.post(f"/console/products/{sku}/pictures", data={
        "csrf_token": client.csrf_token, "picture": (io.BytesIO(out.getvalue()), "big.png")
    }).status_code == 303
    too_big = b"\x89PNG" + b"0" * settings["console.picture_max_bytes"]
    assert client.post(f"/console/products/{sku}/pictures", data={
        "csrf_token": client.csrf_token, "picture": (io.BytesIO(too_big), "huge.png")
    }).status_code == 413
    for name, data in (("fake.png", b"<?php echo 1; ?>"), ("gif.png", _gif())):
        refused = client.post(f"/console/products/{sku}/pictures", follow_redirects=True, data={
            "csrf_token": client.csrf_token, "picture": (io.BytesIO(data), name)})
        assert "JPEG" in refused.get_data(as_text=True)
    with state(app).db.read_session() as session:
        assert session.scalar(select(func.count()).select_from(ProductImage).where(
            ProductImage.product_id == product.id)) == 3  # the demo's one and two new
    assert client.post("/console/products/NO-SUCH/pictures", data={
        "csrf_token": client.csrf_token, "picture": (io.BytesIO(_png(10, 10)), "a.png")
    }).status_code == 404


def _gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (4, 4)).save(out, "GIF")
    return out.getvalue()
