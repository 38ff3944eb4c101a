"""The first scan page: a demo slot's product in Chinese first, English on request."""

import re

import pytest
from sqlalchemy import select

from store_api.models import Product, ShelfSlot
from store_api.services import inventory
from store_api.services.inventory import StockLine
from store_api.state import state


@pytest.fixture
def shelf(sqlite_app, make_product):
    """A slot whose product has two tiers, 12 in the centre (3 reserved) and 40 at its factory."""
    with state(sqlite_app).db.unit_of_work() as session:
        product, centre, factory = make_product(session, name_zh="316不锈钢保温杯")
        inventory.receive(session, [StockLine(product.id, centre.id, 12),
                                    StockLine(product.id, factory.id, 40)], actor="t")
        inventory.reserve(session, [StockLine(product.id, centre.id, 3)], actor="t")
        return product.slot.code


def test_product_page_shows_name_prices_and_stock_by_source_in_chinese(sqlite_app, shelf):
    response = sqlite_app.test_client().get(f"/s/{shelf}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>316不锈钢保温杯</h1>" in page
    assert "￥10.00" in page and "￥9.00" in page
    assert "在店现货 9 件，可立即自提" in page
    assert "工厂发货 40 件，承诺 48 小时内发出" in page
    assert 'lang="zh-CN"' in page


def test_english_is_chosen_and_remembered(sqlite_app, shelf):
    client = sqlite_app.test_client()
    page = client.get(f"/s/{shelf}?lang=en").get_data(as_text=True)
    assert "In the centre: 9, take away now" in page
    page = client.get(f"/s/{shelf}").get_data(as_text=True)
    assert "From the factory: 40, ships within 48 hours" in page
    page = client.get(f"/s/{shelf}?lang=zh_CN").get_data(as_text=True)
    assert "批发价" in page


def test_browser_language_is_followed(sqlite_app, shelf):
    page = sqlite_app.test_client().get(
        f"/s/{shelf}", headers={"Accept-Language": "en-US,en;q=0.8"}).get_data(as_text=True)
    assert "Wholesale prices" in page


def test_lower_case_code_is_accepted(sqlite_app, shelf):
    assert sqlite_app.test_client().get(f"/s/{shelf.lower()}").status_code == 200


@pytest.mark.parametrize("make_code", [
    lambda code: code[:-1] + ("0" if code[-1] != "0" else "1"),  # forged check symbols
    lambda code: "X" * 300,
    lambda code: "%00%27;--",
    lambda code: "中文",
])
def test_unknown_or_malformed_codes_get_a_friendly_404(sqlite_app, shelf, make_code, caplog):
    caplog.set_level("INFO")
    response = sqlite_app.test_client().get(f"/s/{make_code(shelf)}")
    assert response.status_code == 404
    assert "没有找到这个货位码" in response.get_data(as_text=True)
    assert any("scan of unknown code" in r.message for r in caplog.records)


def test_a_retired_slot_or_archived_product_is_not_shown(sqlite_app, shelf):
    db = state(sqlite_app).db
    with db.unit_of_work() as session:
        session.scalar(select(Product)).status = "archived"
    assert sqlite_app.test_client().get(f"/s/{shelf}").status_code == 404
    with db.unit_of_work() as session:
        session.scalar(select(Product)).status = "active"
        session.scalar(select(ShelfSlot)).status = "retired"
    assert sqlite_app.test_client().get(f"/s/{shelf}").status_code == 404


def test_demo_slot_page_links_a_picture_that_is_served(sqlite_app):
    from tests.integration.test_demo_load import load

    load(sqlite_app)
    with state(sqlite_app).db.read_session() as session:
        slot = session.scalar(select(ShelfSlot).order_by(ShelfSlot.id))
        name = slot.product.name_zh
    client = sqlite_app.test_client()
    page = client.get(f"/s/{slot.code}").get_data(as_text=True)
    assert name in page
    picture = re.search(r'<img class="photo" src="([^"]+)"', page).group(1)
    response = client.get(picture)
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', page).group(1)
    assert client.get(stylesheet).status_code == 200
    assert client.get("/media/../var/secret_key").status_code == 404
