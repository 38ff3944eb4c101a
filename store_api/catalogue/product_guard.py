"""Every save of a product keeps the catalogue rules, however it was changed."""

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from store_api.catalogue.models import PriceTier, Product
from store_api.catalogue.rules import ladder_problems, pack_problems
from store_api.core.errors import CatalogueError, RowProblem


def product_problems(product: Product, member_levels: list[str]) -> list[RowProblem]:
    """Return what breaks the rules in a product and its price ladder."""
    ladder: dict[str, list[tuple[int, int]]] = {}
    for tier in sorted(product.price_tiers, key=lambda t: (t.member_level, t.min_quantity)):
        ladder.setdefault(tier.member_level, []).append((tier.min_quantity, tier.unit_price_fen))
    problems = pack_problems(product.moq, product.case_pack)
    problems += ladder_problems(ladder, moq=product.moq, supply_price_fen=product.supply_price_fen,
                                member_levels=member_levels)
    return [RowProblem("product", None, f"sku {product.sku}", p.field, p.message, **p.params)
            for p in problems]


def _check_before_flush(session: Session, _context, _instances) -> None:
    changed = {obj for obj in (*session.new, *session.dirty) if isinstance(obj, Product)}
    changed |= {tier.product for tier in (*session.new, *session.dirty)
                if isinstance(tier, PriceTier) and tier.product is not None}
    problems = []
    with session.no_autoflush:
        for product in changed:
            if product.status == "active":
                problems += product_problems(product, session.info["member_levels"])
    if problems:
        raise CatalogueError(problems)


def install(factory: sessionmaker, member_levels: list[str]) -> None:
    """Check products on every flush of sessions from this factory."""
    factory.configure(info={"member_levels": member_levels})
    event.listen(factory, "before_flush", _check_before_flush)
