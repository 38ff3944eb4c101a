"""Price ladders: what a member level pays per unit at a quantity."""

from __future__ import annotations

from collections.abc import Iterable

from store_api.catalogue.models import PriceTier


def level_tiers(tiers: Iterable[PriceTier], level: str, base_level: str) -> list[PriceTier]:
    """Return a level's tiers by quantity, or the base level's when it has none of its own."""
    own = sorted((t for t in tiers if t.member_level == level), key=lambda t: t.min_quantity)
    if own:
        return own
    return sorted((t for t in tiers if t.member_level == base_level), key=lambda t: t.min_quantity)


def unit_price(tiers: list[PriceTier], quantity: int) -> int | None:
    """Return the unit price of the highest tier a quantity reaches (tiers sorted), or None."""
    price = None
    for tier in tiers:
        if tier.min_quantity <= quantity:
            price = tier.unit_price_fen
    return price


def tier_for(tiers: Iterable[PriceTier], level: str, base_level: str,
             quantity: int) -> PriceTier | None:
    """Return the tier a member level's quantity reaches (its price and where it came from)."""
    reached = None
    for tier in level_tiers(tiers, level, base_level):
        if tier.min_quantity <= quantity:
            reached = tier
    return reached


def price_for(tiers: Iterable[PriceTier], level: str, base_level: str, quantity: int) -> int | None:
    """Return what a member level pays per unit for a quantity of a product."""
    tier = tier_for(tiers, level, base_level, quantity)
    return tier.unit_price_fen if tier else None
