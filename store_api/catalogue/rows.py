"""One row of factory or product data, read by the catalogue's rules: the shared reader of
the demo centre's files, the spreadsheet import and the factory form."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from store_api.catalogue.models import PriceTier, Product, Zone
from store_api.catalogue.rules import (
    ladder_problems,
    pack_problems,
    parse_count,
    parse_money,
    size_problems,
)
from store_api.core.errors import RowProblem
from store_api.factories.models import FULFILMENT_MODES, Factory

_TEXT_MAX = 200


class Row:
    """One row of a file, collecting its problems as fields are read."""

    def __init__(self, source: str, number: int, data: Any, key_field: str, problems: list):
        self.source, self.number, self.problems = source, number, problems
        self.data = data if isinstance(data, dict) else {}
        key = self.data.get(key_field)
        self.key = f"{key_field} {key}" if isinstance(key, str) and key else "?"
        if not isinstance(data, dict):
            self.problem("-", _l("must be a table of fields"))

    def problem(self, field_name: str, message, **params) -> None:
        self.problems.append(
            RowProblem(self.source, self.number, self.key, field_name, message, **params)
        )

    def text(self, name: str, *, required: bool = True, choices=None, limit=_TEXT_MAX) -> str:
        value = self.data.get(name)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.problem(name, _l("is required and must be text"))
            return ""
        if len(value) > limit:
            self.problem(name, _l("is longer than %(limit)s characters"), limit=limit)
        if choices is not None and value not in choices:
            self.problem(name, _l("must be one of %(choices)s"), choices=", ".join(choices))
        return value.strip()

    def count(self, name: str, *, minimum: int, default: int | None = None) -> int:
        value = self.data.get(name, default)
        try:
            return parse_count(value, minimum=minimum)
        except ValueError as exc:
            self.problem(name, exc.args[0])
            return max(minimum, 1)

    def money(self, name: str, *, required: bool = True) -> int | None:
        value = self.data.get(name)
        if value is None and not required:
            return None
        try:
            return parse_money(value)
        except ValueError as exc:
            self.problem(name, exc.args[0])
            return None

    def flag(self, name: str) -> bool:
        value = self.data.get(name, False)
        if not isinstance(value, bool):
            self.problem(name, _l("must be true or false"))
            return False
        return value

    def dimensions(self, name: str) -> tuple[float, float, float] | None:
        value = self.data.get(name)
        if value is None:
            return None
        if (
            not isinstance(value, list)
            or len(value) != 3
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
            or not all(0 < v <= 1000 for v in value)
        ):
            self.problem(name, _l("must be [length, width, height] in cm, each 0-1000"))
            return None
        return tuple(float(v) for v in value)

    def unknown_fields(self, known: set[str]) -> None:
        for name in self.data:
            if name not in known:
                self.problem(name, _l("is not a known field"))


_FACTORY_FIELDS = {
    "code", "name_zh", "name_en", "industrial_belt_zh", "industrial_belt_en", "contact_name",
    "contact_phone", "fulfilment_mode", "dispatch_promise_hours", "mixed_batch_min",
}


_PRODUCT_FIELDS = {
    "sku", "factory", "name_zh", "name_en", "description_zh", "description_en", "category",
    "zone", "slot", "supply_price", "moq", "case_pack", "centre_stock", "factory_stock",
    "foldable", "packed_cm", "unpacked_cm", "weight_g", "sample_available", "dropship_allowed",
    "suggested_retail", "suits", "price_ladder",
}


def factory_from(row: Row) -> Factory:
    """Read one factory row by the catalogue's rules; its problems go to the row."""
    row.unknown_fields(_FACTORY_FIELDS)
    return Factory(
        code=row.text("code", limit=32),
        name_zh=row.text("name_zh"),
        name_en=row.text("name_en"),
        industrial_belt_zh=row.text("industrial_belt_zh", limit=100),
        industrial_belt_en=row.text("industrial_belt_en", limit=100),
        contact_name=row.text("contact_name", limit=100),
        contact_phone=row.text("contact_phone", limit=32),
        fulfilment_mode=row.text("fulfilment_mode", choices=FULFILMENT_MODES),
        dispatch_promise_hours=row.count("dispatch_promise_hours", minimum=1),
        mixed_batch_min_fen=row.money("mixed_batch_min", required=False) or 0,
    )


def _ladder_from(row: Row) -> dict[str, list[tuple[int, int]]]:
    raw = row.data.get("price_ladder")
    if not isinstance(raw, dict) or not raw:
        row.problem("price_ladder", _l("is required: tiers per member level"))
        return {}
    ladder: dict[str, list[tuple[int, int]]] = {}
    for level, tiers in raw.items():
        if not isinstance(tiers, list):
            row.problem(f"price_ladder.{level}", _l("must be a list of [quantity, price] tiers"))
            continue
        parsed = []
        for index, tier in enumerate(tiers, start=1):
            name = f"price_ladder.{level}[{index}]"
            if not isinstance(tier, list) or len(tier) != 2:
                row.problem(name, _l("must be [minimum quantity, unit price]"))
                continue
            try:
                quantity = parse_count(tier[0], minimum=1)
            except ValueError as exc:
                row.problem(f"{name}.min_quantity", exc.args[0])
                continue
            try:
                price = parse_money(tier[1])
            except ValueError as exc:
                row.problem(f"{name}.unit_price", exc.args[0])
                continue
            parsed.append((quantity, price))
        ladder[level] = parsed
    return ladder


def product_from(row: Row, *, factories: dict[str, Factory], zones: dict[str, Zone],
                 member_levels: list[str], business_types: list[str]) -> tuple[Product, dict]:
    """Read one product row; return the product and the facts that are not columns."""
    row.unknown_fields(_PRODUCT_FIELDS)
    factory_code = row.text("factory", limit=32)
    factory = factories.get(factory_code)
    if factory_code and factory is None:
        row.problem("factory", _l("unknown factory %(code)s"), code=factory_code)
    zone_code = row.text("zone", choices=sorted(zones))
    slot_text = row.text("slot", limit=20)
    slot_place = None
    if slot_text:
        parts = slot_text.split("-")
        if len(parts) == 3 and parts[0].isalnum() and parts[1].isdigit() and parts[2].isdigit():
            slot_place = (parts[0].upper(), int(parts[1]), int(parts[2]))
        else:
            row.problem("slot", _l("must be aisle-shelf-position, such as A-1-3"))
    moq = row.count("moq", minimum=1)
    case_pack = row.count("case_pack", minimum=1)
    supply = row.money("supply_price")
    packed, unpacked = row.dimensions("packed_cm"), row.dimensions("unpacked_cm")
    suits = row.data.get("suits", [])
    if not isinstance(suits, list) or any(s not in business_types for s in suits):
        row.problem("suits", _l("must list business types from %(choices)s"),
                    choices=", ".join(business_types))
        suits = []
    weight = row.data.get("weight_g")
    if weight is not None:
        weight = row.count("weight_g", minimum=1)

    product = Product(
        sku=row.text("sku", limit=40),
        name_zh=row.text("name_zh"),
        name_en=row.text("name_en"),
        description_zh=row.text("description_zh", required=False, limit=4000),
        description_en=row.text("description_en", required=False, limit=4000),
        category=row.text("category", required=False, limit=40),
        supply_price_fen=supply or 0,
        moq=moq,
        case_pack=case_pack,
        foldable=row.flag("foldable"),
        weight_g=weight,
        sample_available=row.flag("sample_available"),
        dropship_allowed=row.flag("dropship_allowed"),
        suggested_retail_fen=row.money("suggested_retail", required=False),
        suits_business_types=suits,
    )
    if packed:
        product.packed_length_cm, product.packed_width_cm, product.packed_height_cm = packed
    if unpacked:
        product.unpacked_length_cm, product.unpacked_width_cm, product.unpacked_height_cm = (
            unpacked
        )

    for problem in [*pack_problems(moq, case_pack), *size_problems(packed, unpacked, weight)]:
        row.problem(problem.field, problem.message, **problem.params)
    ladder = _ladder_from(row)
    if supply:
        for problem in ladder_problems(ladder, moq=moq, supply_price_fen=supply,
                                       member_levels=member_levels):
            row.problem(problem.field, problem.message, **problem.params)
    product.price_tiers = [
        PriceTier(member_level=level, min_quantity=quantity, unit_price_fen=price)
        for level, tiers in ladder.items()
        for quantity, price in tiers
    ]
    extra = {
        "factory": factory,
        "zone": zones.get(zone_code),
        "slot_place": slot_place,
        "centre_stock": row.count("centre_stock", minimum=0, default=0),
        "factory_stock": row.count("factory_stock", minimum=0, default=0),
    }
    return product, extra
