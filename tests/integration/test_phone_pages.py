"""The buyer's phone pages on the demo centre: the home page, search that understands Chinese
and pinyin, cards that say price, MOQ and stock, products side by side, and the cart by
shipper."""

import re

import pytest
from sqlalchemy import select

from store_api.catalogue.models import Product
from store_api.core.state import state
from tests.support.centre import load

DRINKWARE = {"YK-BL-001", "YK-BL-002", "YK-BL-003", "YK-BL-004", "YK-BL-005", "YK-BL-006",
             "YK-BL-007"}


@pytest.fixture
def demo(sqlite_app):
    load(sqlite_app)
    return sqlite_app


def skus(page: str) -> list[str]:
    return re.findall(r'<li class="card" data-sku="([^"]+)"', page)


def product(app, sku) -> Product:
    with state(app).db.read_session() as session:
        found = session.scalar(select(Product).where(Product.sku == sku))
        return found.slot.code, found.name_zh


def test_the_home_page_offers_search_zones_categories_lists_and_recent_scans(demo):
    phone = demo.test_client()
    page = phone.get("/").get_data(as_text=True)
    assert 'role="search"' in page and 'action="/search"' in page
    for zone in ("bestseller", "cross-border", "streamer"):
        assert f'href="/search?zone={zone}"' in page
    assert 'href="/search?category=drinkware"' in page
    assert "最近扫过" not in page

    code, name = product(demo, "YK-BL-001")
    phone.get(f"/s/{code}")
    state(demo).scans.flush()
    phone.post("/lists/star", data={"sku": "YK-BL-001", "next": "/"},
               headers={"Origin": "http://localhost"})
    phone.post("/compare", data={"sku": "YK-BL-001", "add": "1"},
               headers={"Origin": "http://localhost"})
    page = phone.get("/").get_data(as_text=True)
    assert "最近扫过" in page and skus(page) == ["YK-BL-001"]
    assert 'aria-pressed="true"' in page  # the card knows it is being compared
    assert 'class="shortlist-entry"' in page


def test_searching_for_cups_in_chinese_finds_the_cups(demo):
    page = demo.test_client().get("/search?q=水杯").get_data(as_text=True)
    found = skus(page)
    # Every cup and bottle, though none is named 水杯: the trade's word for the category.
    assert set(found) >= DRINKWARE and len(found) == len(DRINKWARE), found
    card = page.split('data-sku="YK-BL-001"')[1].split("</li>")[0]
    assert "起" in card and "起订" in card and ("可订" in card or "缺货" in card)
    assert "<img" in card


@pytest.mark.parametrize("typed, expected", [
    ("保温杯", "YK-BL-001"),      # a word of the name
    ("bwb", "YK-BL-001"),         # pinyin initials of 保温杯
    ("baowen", "YK-BL-001"),      # pinyin spelling
    ("不锈钢水杯", "YK-BL-001"),  # a longer word holding the category's word
    ("雨伞", "SY-SY-001"),        # the category's word
    ("vacuum flask", "YK-BL-001"),
    ("yk-bl-001", "YK-BL-001"),
])
def test_search_understands_words_pinyin_english_and_skus(demo, typed, expected):
    found = skus(demo.test_client().get("/search", query_string={"q": typed}).get_data(
        as_text=True))
    assert expected in found, (typed, found)


def test_the_best_match_comes_first_and_nonsense_finds_nothing(demo):
    client = demo.test_client()
    assert skus(client.get("/search?q=保温杯").get_data(as_text=True))[0] in {"YK-BL-001",
                                                                          "YK-BL-002"}
    for typed in ("%%_", "zzzzqqq", "x" * 50, "<script>"):
        page = client.get("/search", query_string={"q": typed}).get_data(as_text=True)
        assert skus(page) == [] and "没有与" in page and "<script>" not in page


def test_a_zone_and_a_category_list_their_products(demo):
    client = demo.test_client()
    assert set(skus(client.get("/search?category=drinkware").get_data(as_text=True))) == (
        DRINKWARE)
    streamer = skus(client.get("/search?zone=streamer").get_data(as_text=True))
    assert streamer and "YK-BL-001" not in skus(
        client.get("/search?zone=cross-border").get_data(as_text=True))


def test_up_to_four_products_side_by_side(demo):
    phone = demo.test_client()
    origin = {"Origin": "http://localhost"}
    chosen = ["YK-BL-001", "YK-BL-002", "SY-SY-001", "TZ-HY-001", "TZ-HY-002"]
    for sku in chosen:
        assert phone.post("/compare", data={"sku": sku, "add": "1"},
                          headers=origin).status_code == 303
    page = phone.get("/compare").get_data(as_text=True)
    shown = re.findall(r'<th scope="col" data-sku="([^"]+)"', page)
    assert shown == chosen[1:]  # the oldest gave way to the fifth
    for row in ("row-price", "row-ladder", "row-terms", "row-stock", "row-size"):
        assert f'class="{row}"' in page
    phone.post("/compare", data={"sku": "NOT-A-SKU", "add": "1"}, headers=origin)
    phone.post("/compare", data={"sku": "SY-SY-001", "add": "0"}, headers=origin)
    page = phone.get("/compare").get_data(as_text=True)
    assert re.findall(r'<th scope="col" data-sku="([^"]+)"', page) == [
        "YK-BL-002", "TZ-HY-001", "TZ-HY-002"]
    assert phone.post("/compare", data={"sku": "YK-BL-001", "add": "1"},
                      headers={"Origin": "http://evil.example"}).status_code == 403


def test_the_cart_groups_lines_by_who_ships_them_with_each_factorys_minimum(demo):
    phone = demo.test_client()
    origin = {"Origin": "http://localhost"}
    with state(demo).db.read_session() as session:
        from store_api.stock.models import StockLevel, StockLocation

        rows = session.execute(
            select(Product.sku, Product.moq, StockLocation.kind,
                   StockLevel.on_hand - StockLevel.reserved)
            .join(StockLevel, StockLevel.product_id == Product.id)
            .join(StockLocation, StockLocation.id == StockLevel.location_id)).all()
    centre = {sku: (moq, free) for sku, moq, kind, free in rows if kind == "centre"}
    in_centre = next(sku for sku, (moq, free) in sorted(centre.items()) if free >= moq)
    factory_only = next(sku for sku, moq, kind, free in sorted(rows)
                        if kind == "factory" and free >= moq and centre.get(sku, (0, 0))[1] == 0)
    moq = {sku: m for sku, m, _, _ in rows}
    for sku in (in_centre, factory_only):
        phone.post("/cart/add", data={"sku": sku, "quantity": moq[sku]}, headers=origin)
    page = phone.get("/cart").get_data(as_text=True)
    groups = re.findall(r'<section class="ship-group" data-group="([^"]+)">', page)
    assert groups[0] == "centre" and groups[1].startswith("factory-") and len(groups) == 2
    centre_part, factory_part = page.split('data-group="')[1:3]
    assert f'data-sku="{in_centre}"' in centre_part and f'data-sku="{factory_only}"' in (
        factory_part)
    assert "本店现货" in centre_part and "起批" in factory_part
