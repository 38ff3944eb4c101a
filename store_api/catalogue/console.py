"""The catalogue in the staff console: the product list, one product's form and pictures,
and the spreadsheet import (dry run, then apply), export and template."""

from __future__ import annotations

import hashlib
import re
import time

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from store_api.catalogue import lookup, pictures, sheet_import, sheets
from store_api.catalogue.models import Product
from store_api.core.errors import CatalogueError, DomainError, RowProblem
from store_api.core.names import LEVEL_NAMES
from store_api.core.state import state
from store_api.staff.auth import manager_required, staff_required
from store_api.web.form_actions import act, problems_by_field
from store_api.web.routes import Routes
from store_api.web.session import db_session
from store_api.web.uploads import allows_upload

routes = Routes()

COLUMN_NAMES = {
    "sku": _l("SKU"), "factory": _l("Factory code"), "name_zh": _l("Name (Chinese)"),
    "name_en": _l("Name (English)"), "category": _l("Category"), "zone": _l("Zone"),
    "slot": _l("Slot (aisle-shelf-position)"), "supply_price": _l("Supply price (￥)"),
    "moq": _l("Minimum order (units)"), "case_pack": _l("Case pack (units)"),
    "suggested_retail": _l("Suggested retail price (￥)"),
    "description_zh": _l("Description (Chinese)"), "description_en": _l("Description (English)"),
    "suits": _l("Suits business types"), "foldable": _l("Foldable"),
    "packed_cm": _l("Packed size (cm, L x W x H)"),
    "unpacked_cm": _l("Unpacked size (cm, L x W x H)"), "weight_g": _l("Weight (g)"),
    "sample_available": _l("Sample available"), "dropship_allowed": _l("Dropshipping allowed"),
    "status": _l("Status"),
}
# How problems of the product form name where they were found.
FORM = _l("form")
_UPLOAD = re.compile(r"^[0-9a-f]{64}\.(csv|xlsx)$")
UPLOAD_KEPT_S = 24 * 3600


def _levels() -> tuple[list[str], list[str]]:
    settings = state().settings
    return settings.catalogue.member_levels, settings.catalogue.business_types


@routes.get("/products")
@staff_required
def products():
    """List products by SKU, narrowed by a search and a status."""
    text = request.args.get("q", "").strip()[:100]
    status = request.args.get("status", "active")
    return render_template("console/products.html",
                           products=lookup.product_list(db_session(), text, status),
                           q=text, status=status)


def _column_of(field: str, first_level: str) -> str:
    """The form column a rule's field belongs to ("price_ladder.gold[2].unit_price" is the
    gold ladder's)."""
    if field.startswith("price_ladder"):
        return f"price_{field.partition('.')[2].split('[')[0] or first_level}"
    return field.split("[")[0]


def _form_page(product: Product | None, cells: dict, problems=(), status: int = 200):
    levels, _ = _levels()
    names = dict(COLUMN_NAMES)
    names.update({f"price_{level}": _l("Price ladder, %(level)s (quantity:price; ...)",
                                       level=LEVEL_NAMES.get(level, level)) for level in levels})
    by_field = problems_by_field(problems, lambda field: _column_of(field, levels[0]))
    return render_template("console/product_form.html", product=product, cells=cells,
                           columns=sheets.columns(levels), names=names,
                           problems=by_field), status


def _load(sku: str) -> Product:
    product = lookup.product_to_edit(db_session(), sku)
    if product is None:
        abort(404)
    return product


@routes.get("/products/new")
@manager_required
def new_product():
    """An empty product form."""
    return _form_page(None, {"status": "active"})


@routes.get("/products/<sku>")
@manager_required
def edit_product(sku: str):
    """One product's form, filled in, with its pictures."""
    levels, _ = _levels()
    product = _load(sku)
    cells = dict(zip(sheets.columns(levels),
                     sheets.product_cells(product, levels), strict=True))
    return _form_page(product, cells)


@routes.post("/products/new", endpoint="create_product")
@routes.post("/products/<sku>")
@manager_required
def save_product(sku: str | None = None):
    """Save the form through the same rules as an import row, so both keep one set."""
    levels, business_types = _levels()
    product = _load(sku) if sku else None
    cells = {name: request.form.get(name, "").strip()[:4000]
             for name in sheets.columns(levels)}
    if product is not None:
        cells["sku"] = product.sku
    elif lookup.sku_taken(db_session(), cells["sku"]):
        # The new-product form never edits an existing product by accident.
        taken = RowProblem(FORM, 1, cells["sku"], "sku", _l("is already taken by another product"))
        return _form_page(None, cells, [taken], 409)
    try:
        sheet_import.apply(state().db, FORM, [(1, cells)], member_levels=levels,
                           business_types=business_types,
                           actor=current_user.audit_actor)
    except CatalogueError as error:
        return _form_page(product, cells, error.problems, 422)
    flash(str(_l("Saved %(sku)s.", sku=cells["sku"])), "info")
    return redirect(url_for("console.edit_product", sku=cells["sku"]), 303)


@routes.post("/products/<sku>/pictures")
@allows_upload("console.picture_max_bytes")
@manager_required
def add_picture(sku: str):
    """Add a picture to a product."""
    settings = state().settings
    upload = request.files.get("picture")
    return act(lambda: pictures.add(
        state().db, sku, upload.read() if upload else b"", media_dir=state().media_dir,
        max_px=settings.console.picture_max_px, actor=current_user.audit_actor),
        "console.edit_product", missing_is_404=True, sku=sku)


@routes.post("/products/<sku>/pictures/<int:image>/remove")
@manager_required
def remove_picture(sku: str, image: int):
    """Take a picture off a product."""
    return act(lambda: pictures.remove(state().db, sku, image, actor=current_user.audit_actor),
               "console.edit_product", missing_is_404=True, sku=sku)


# The spreadsheet --------------------------------------------------------------------------------

def _sheet_response(data: bytes, name: str, kind: str) -> Response:
    mimetype = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                if kind == "xlsx" else "text/csv; charset=utf-8")
    return Response(data, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}.{kind}"'})


@routes.get("/products/export.<any(csv, xlsx):kind>")
@manager_required
def export_products(kind: str):
    """Every product in the import's format."""
    levels, _ = _levels()
    return _sheet_response(sheets.export(db_session(), levels, kind), "products",
                           kind)


@routes.get("/products/template.<any(csv, xlsx):kind>")
@staff_required
def product_template(kind: str):
    """The import's columns with one example row."""
    levels, _ = _levels()
    return _sheet_response(sheets.template(levels, kind), "products-template", kind)


def _upload_dir():
    return state().settings.var_dir / "imports"


@routes.get("/products/import")
@manager_required
def import_page():
    """Choose a sheet to check."""
    return render_template("console/import.html", plan=None)


@routes.post("/products/import")
@allows_upload("console.import_max_bytes")
@manager_required
def check_import():
    """Keep the uploaded sheet and show its dry run: what each row would do, and every
    problem; nothing is written."""
    upload = request.files.get("sheet")
    name = (upload.filename or "")[-100:] if upload else ""
    data = upload.read() if upload else b""
    sheet = sheets.read_sheet(name, data, _levels()[0])  # refuses other files
    stored = f"{hashlib.sha256(data).hexdigest()}.{name.rsplit('.', 1)[-1].lower()}"
    folder = _upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():  # a checked sheet is applied within the day, or sent again
        if old.stat().st_mtime < time.time() - UPLOAD_KEPT_S:
            old.unlink(missing_ok=True)
    (folder / stored).write_bytes(data)
    return _show_plan(stored, name, sheet)


def _sheet(stored: str):
    if not _UPLOAD.match(stored) or not (_upload_dir() / stored).is_file():
        raise DomainError(_l("That upload is gone; send the file again."), code="not_found",
                          status=404)
    levels, _ = _levels()
    return sheets.read_sheet(stored, (_upload_dir() / stored).read_bytes(), levels)


def _show_plan(stored: str, name: str, sheet):
    levels, business_types = _levels()
    plan = sheet_import.dry_run(db_session(), name, sheet, member_levels=levels,
                                business_types=business_types)
    return render_template("console/import.html", plan=plan, stored=stored, name=name), (
        422 if plan.problems else 200)


@routes.post("/products/import/apply")
@manager_required
def apply_import():
    """Apply a checked sheet, all or nothing, and offer labels for what changed."""
    levels, business_types = _levels()
    stored, name = request.form.get("stored", ""), request.form.get("name", "")[-100:]
    sheet = _sheet(stored)
    try:
        plan = sheet_import.apply(state().db, name, sheet, member_levels=levels,
                                  business_types=business_types,
                                  actor=current_user.audit_actor)
    except CatalogueError:
        # The catalogue changed since the dry run; show the problems as they are now.
        return _show_plan(stored, name, sheet)
    skus = [row.sku for row in plan.rows if row.action != "unchanged"]
    slots = lookup.slot_codes(db_session(), skus)
    return render_template("console/import.html", plan=plan, applied=True,
                           slot_codes=" ".join(slots), name=name)
