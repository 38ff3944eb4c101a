"""Saving a product by any path keeps the catalogue rules; a broken rule writes nothing."""

import pytest
from sqlalchemy import func, select

from store_api.catalogue.models import PriceTier, Product
from store_api.core.errors import CatalogueError


@pytest.fixture
def saved(db, make_product):
    with db.unit_of_work() as session:
        product, _, _ = make_product(session, moq=12, case_pack=6, ladder=((12, 1000), (60, 900)))
        return product.id


@pytest.mark.parametrize("breakage, field", [
    (lambda p: setattr(p.price_tiers[1], "unit_price_fen", 1100),
     "price_ladder.standard[2].unit_price"),
    (lambda p: p.price_tiers.append(PriceTier(member_level="standard", min_quantity=60,
                                              unit_price_fen=800)),
     "price_ladder.standard[3].min_quantity"),
    (lambda p: setattr(p, "moq", 10), "moq"),
    (lambda p: setattr(p, "supply_price_fen", 950), "price_ladder.standard[2].unit_price"),
    (lambda p: p.price_tiers.append(PriceTier(member_level="diamond", min_quantity=12,
                                              unit_price_fen=800)),
     "price_ladder.diamond"),
])
def test_a_save_that_breaks_a_rule_is_refused_and_names_the_field(db, saved, breakage, field):
    with pytest.raises(CatalogueError) as caught, db.unit_of_work() as session:
        breakage(session.get(Product, saved))
    problem_fields = [problem.field for problem in caught.value.problems]
    assert field in problem_fields
    with db.read_session() as session:
        product = session.get(Product, saved)
        assert (product.moq, product.supply_price_fen) == (12, 500)
        assert [(t.min_quantity, t.unit_price_fen) for t in product.price_tiers] == [
            (12, 1000), (60, 900)]
        assert session.scalar(select(func.count(PriceTier.id))) == 2


def test_a_good_change_is_saved(db, saved):
    with db.unit_of_work() as session:
        product = session.get(Product, saved)
        product.price_tiers[1].unit_price_fen = 850
        product.price_tiers.append(PriceTier(member_level="gold", min_quantity=12,
                                             unit_price_fen=950))
    with db.read_session() as session:
        assert len(session.get(Product, saved).price_tiers) == 3
