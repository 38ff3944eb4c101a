"""Price ladders: what a member level pays per unit at a quantity."""

from __future__ import annotations

from collections.abc import Iterable

from store_api.models import PriceTier


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


def price_for(tiers: Iterable[PriceTier], level: str, base_level: str, quantity: int) -> int | None:
    """Return what a member level pays per unit for a quantity of a product."""
    return unit_price(level_tiers(tiers, level, base_level), quantity)
