"""Prices by member level and quantity, and the cross-border arithmetic of the product page."""

import pytest

from store_api.catalogue.lookup import CrossBorderFacts
from store_api.catalogue.models import PriceTier
from store_api.catalogue.pricing import price_for

TIERS = [PriceTier(member_level="standard", min_quantity=12, unit_price_fen=1000),
         PriceTier(member_level="standard", min_quantity=60, unit_price_fen=900),
         PriceTier(member_level="gold", min_quantity=12, unit_price_fen=950),
         PriceTier(member_level="gold", min_quantity=120, unit_price_fen=800)]


@pytest.mark.parametrize("level, quantity, price", [
    ("standard", 12, 1000), ("standard", 59, 1000), ("standard", 60, 900),
    ("standard", 6, None), ("gold", 60, 950), ("gold", 120, 800),
    ("silver", 60, 900),  # a level with no tiers of its own pays the base ladder
])
def test_price_for_level_and_quantity(level, quantity, price):
    assert price_for(TIERS, level, "standard", quantity) == price


def test_folding_saving_against_the_unfolded_size():
    facts = CrossBorderFacts(packed_cm=(48, 35, 8), unpacked_cm=(48, 35, 28))
    assert facts.packed_litres == 13.4
    assert facts.volumetric_kg == 2.24
    assert facts.unfolded_volumetric_kg == 7.84
    assert facts.saving_percent == 71
    umbrella = CrossBorderFacts(packed_cm=(25, 6, 4), unpacked_cm=(100, 100, 45))
    assert umbrella.saving_percent == 99  # 99.87 %: not "100 %" while the pack weighs anything


def test_no_saving_without_an_unfolded_size():
    facts = CrossBorderFacts(packed_cm=(10, 10, 10), unpacked_cm=None)
    assert (facts.volumetric_kg, facts.saving_percent) == (0.17, None)
