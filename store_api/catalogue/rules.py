"""Rules every product must keep, on load and on save; each problem names its field."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l

MAX_PRICE_FEN = 100_000_000  # one million yuan: far above anything a centre sells by the unit
MAX_QUANTITY = 10_000_000


@dataclass(frozen=True)
class Problem:
    """One broken rule: the field it concerns and a translatable message."""

    field: str
    message: object
    params: dict

    def text(self) -> str:
        """Return the message with its parameters filled in."""
        return str(self.message) % self.params if self.params else str(self.message)


def parse_money(value) -> int:
    """Turn a price in yuan (number or text, at most two decimals) into fen; ValueError if bad."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(_l("must be a price in yuan, such as 12.50"))
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(_l("must be a price in yuan, such as 12.50")) from None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        raise ValueError(_l("must be a price in yuan with at most two decimals"))
    fen = int(amount * 100)
    if fen <= 0:
        raise ValueError(_l("must be greater than zero"))
    if fen > MAX_PRICE_FEN:
        raise ValueError(_l("is too large"))
    return fen


def format_money(fen: int | None) -> str:
    """Write fen as plain yuan with two decimals ("12.50"), the form parse_money reads back."""
    return "" if fen is None else f"{fen // 100}.{fen % 100:02d}"


def whole_number_text(text: str):
    """Typed digits as an int; anything else stays text, for parse_count to name."""
    return int(text) if text.isdigit() and len(text) <= 12 else text


def parse_count(value, *, minimum: int) -> int:
    """Turn a whole number of units into an int within range; ValueError if bad."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(_l("must be a whole number"))
    if value < minimum:
        raise ValueError(_l("must be at least %(minimum)s") % {"minimum": minimum})
    if value > MAX_QUANTITY:
        raise ValueError(_l("is too large"))
    return value


def ladder_problems(
    ladder: dict[str, list[tuple[int, int]]],
    *,
    moq: int,
    supply_price_fen: int,
    member_levels: list[str],
) -> list[Problem]:
    """Check a price ladder (level -> [(min_quantity, unit_price_fen), ...] in file order)."""
    problems: list[Problem] = []
    if member_levels[0] not in ladder:
        problems.append(
            Problem(
                "price_ladder",
                _l("needs tiers for the %(level)s level"),
                {"level": member_levels[0]},
            )
        )
    for level, tiers in ladder.items():
        field = f"price_ladder.{level}"
        if level not in member_levels:
            problems.append(
                Problem(field, _l("unknown member level; known: %(levels)s"),
                        {"levels": ", ".join(member_levels)})
            )
            continue
        if not tiers:
            problems.append(Problem(field, _l("needs at least one tier"), {}))
            continue
        if tiers[0][0] > moq:
            problems.append(
                Problem(
                    f"{field}[1].min_quantity",
                    _l("the first tier must start at or below the MOQ (%(moq)s)"),
                    {"moq": moq},
                )
            )
        for index, (quantity, price) in enumerate(tiers, start=1):
            if price < supply_price_fen:
                problems.append(
                    Problem(
                        f"{field}[{index}].unit_price",
                        _l("is below the supply price"),
                        {},
                    )
                )
            if index == 1:
                continue
            previous_quantity, previous_price = tiers[index - 2]
            if quantity <= previous_quantity:
                problems.append(
                    Problem(
                        f"{field}[{index}].min_quantity",
                        _l("tiers must be in rising order of quantity (%(quantity)s after "
                           "%(previous)s)"),
                        {"quantity": quantity, "previous": previous_quantity},
                    )
                )
            elif price > previous_price:
                problems.append(
                    Problem(
                        f"{field}[{index}].unit_price",
                        _l("a larger quantity must not cost more per unit"),
                        {},
                    )
                )
    return problems


def pack_problems(moq: int, case_pack: int) -> list[Problem]:
    """Check that the MOQ is a whole number of case packs."""
    if moq % case_pack:
        return [
            Problem(
                "moq",
                _l("must be a multiple of the case pack (%(case_pack)s)"),
                {"case_pack": case_pack},
            )
        ]
    return []


# Denser than lead, gold and tungsten: nothing packed in a box weighs more for its size, so a
# heavier figure is a typing slip (grams for kilograms, a digit too many).
MAX_DENSITY_G_PER_CM3 = 20


def _volume(size: tuple[float, float, float]) -> float:
    return size[0] * size[1] * size[2]


def size_problems(packed: tuple[float, float, float] | None,
                  unpacked: tuple[float, float, float] | None,
                  weight_g: int | None) -> list[Problem]:
    """Refuse sizes and weights no product can have: folded larger than unfolded, or heavier
    than any material for the box it comes in."""
    problems = []
    if packed and unpacked and _volume(packed) > _volume(unpacked):
        problems.append(Problem("packed_cm", _l("must not be larger than the unpacked size"),
                                {}))
    box = packed or unpacked
    if box and weight_g and weight_g > _volume(box) * MAX_DENSITY_G_PER_CM3:
        limit = int(_volume(box) * MAX_DENSITY_G_PER_CM3)
        problems.append(Problem("weight_g", _l("is more than anything of this size can weigh "
                                               "(%(limit)s g at most)"), {"limit": limit}))
    return problems
