"""The rules every product keeps, each broken rule naming its field."""

import pytest

from store_api.catalogue.rules import (
    ladder_problems,
    pack_problems,
    parse_count,
    parse_money,
    size_problems,
)

LEVELS = ["standard", "silver", "gold"]


def fields(ladder, moq=10, supply=500):
    return [p.field for p in ladder_problems(ladder, moq=moq, supply_price_fen=supply,
                                             member_levels=LEVELS)]


def test_a_good_ladder_passes():
    assert fields({"standard": [(10, 1000), (50, 900), (200, 900)],
                   "gold": [(10, 950), (50, 850)]}) == []


def test_a_larger_quantity_costing_more_is_refused():
    assert fields({"standard": [(10, 1000), (50, 1100)]}) == ["price_ladder.standard[2].unit_price"]


def test_tiers_out_of_order_are_refused():
    assert fields({"standard": [(50, 900), (10, 1000)]}) == [
        "price_ladder.standard[1].min_quantity", "price_ladder.standard[2].min_quantity"]
    assert fields({"standard": [(10, 1000), (10, 900)]}) == [
        "price_ladder.standard[2].min_quantity"]


def test_the_base_level_is_required_and_unknown_levels_refused():
    assert fields({"gold": [(10, 900)]}) == ["price_ladder"]
    assert fields({"standard": [(10, 900)], "platinum": [(10, 800)]}) == ["price_ladder.platinum"]
    assert fields({"standard": []}) == ["price_ladder.standard"]


def test_prices_below_supply_price_are_refused():
    assert fields({"standard": [(10, 1000), (50, 400)]}) == ["price_ladder.standard[2].unit_price"]


def test_moq_must_be_a_multiple_of_the_case_pack():
    assert [p.field for p in pack_problems(10, 12)] == ["moq"]
    assert pack_problems(24, 12) == []


def test_a_folded_pack_larger_than_the_product_unfolded_is_refused():
    assert [p.field for p in size_problems((48, 35, 28), (48, 35, 8), None)] == ["packed_cm"]
    assert size_problems((48, 35, 8), (48, 35, 28), 1350) == []


@pytest.mark.parametrize("packed, unpacked, grams", [
    ((30, 6, 6), (58, 7, 7), 100_000),  # a 100 kg umbrella: kilograms typed as grams
    (None, (9, 9, 11), 20_000),  # a 20 kg cup
])
def test_a_weight_nothing_of_that_size_can_have_is_refused(packed, unpacked, grams):
    assert [p.field for p in size_problems(packed, unpacked, grams)] == ["weight_g"]


def test_heavy_but_possible_products_pass():
    # A cast-iron kettlebell: 16 kg in a 20 cm cube is dense, and real.
    assert size_problems((20, 20, 20), None, 16_000) == []


def test_demo_products_are_sizes_as_they_ship_not_as_they_open():
    import tomllib

    from store_api.core.resources import config_dir

    products = tomllib.loads((config_dir() / "demo" / "products.toml").read_text("utf-8"))
    for product in products["products"]:
        packed, unpacked = product.get("packed_cm"), product.get("unpacked_cm")
        assert size_problems(packed, unpacked, product.get("weight_g")) == [], product["sku"]
        if unpacked and product.get("weight_g"):
            # Under 5 kg per cubic metre the unfolded box is nearly all air: a size measured
            # opened up (an umbrella's canopy), not the product as it would ship unfolded.
            litres = unpacked[0] * unpacked[1] * unpacked[2] / 1000
            assert product["weight_g"] / litres >= 5, product["sku"]


@pytest.mark.parametrize("value, fen", [(12.5, 1250), ("0.01", 1), (3, 300), ("26.80", 2680)])
def test_money_parses_to_fen(value, fen):
    assert parse_money(value) == fen


@pytest.mark.parametrize("value", [0, -1, "-0.5", 1.234, "abc", None, True, [1], "nan", "inf",
                                   10**12, "1e9"])
def test_bad_money_is_refused(value):
    with pytest.raises(ValueError):
        parse_money(value)


@pytest.mark.parametrize("value", [-1, 1.5, "3", None, True, 10**9])
def test_bad_counts_are_refused(value):
    with pytest.raises(ValueError):
        parse_count(value, minimum=0)


def test_money_written_as_plain_yuan_reads_back_the_same():
    from store_api.catalogue.rules import format_money

    for fen in (1, 5, 10, 99, 100, 1250, 2680, 100_000_000):
        assert parse_money(format_money(fen)) == fen
    assert (format_money(1250), format_money(7), format_money(None)) == ("12.50", "0.07", "")
