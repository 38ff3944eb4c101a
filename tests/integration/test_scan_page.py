"""The first scan page: a demo slot's product in Chinese first, English on request."""

import re

import pytest
from sqlalchemy import event, select

from store_api.catalogue.models import Product, ShelfSlot
from store_api.core.state import state
from store_api.stock import inventory
from store_api.stock.inventory import StockLine


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
    from tests.support.centre import load

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
    assert (state(sqlite_app).settings.var_dir / "secret_key").exists()
    assert client.get("/media/../secret_key").status_code == 404  # one level above media/


def count_queries(app):
    """Return a list that grows by one for every statement the app's engine runs."""
    statements = []
    event.listen(state(app).db.engine, "before_cursor_execute",
                 lambda *args: statements.append(args[2]))
    return statements


def test_a_new_phone_gets_the_cached_page_without_touching_the_database(sqlite_app, shelf):
    client = sqlite_app.test_client(use_cookies=False)
    first = client.get(f"/s/{shelf}")
    statements = count_queries(sqlite_app)
    second = client.get(f"/s/{shelf}")
    assert second.get_data() == first.get_data()
    assert statements == []
    assert "device=" in second.headers["Set-Cookie"]  # each new phone still gets its own id
    assert state(sqlite_app).scans.flush() == 2


def test_a_buyer_with_a_cart_sees_live_stock_and_their_quantity(sqlite_app, shelf):
    client = sqlite_app.test_client()
    with state(sqlite_app).db.read_session() as session:
        product = session.scalar(select(Product))
    client.post("/api/v1/cart/lines", json={"sku": product.sku, "quantity": 10})
    assert "在店现货 9 件" in client.get(f"/s/{shelf}").get_data(as_text=True)
    with state(sqlite_app).db.unit_of_work() as session:
        inventory.receive(session, [StockLine(product.id, 1, 5)], actor="t")
    page = client.get(f"/s/{shelf}").get_data(as_text=True)
    assert "在店现货 14 件" in page
    assert "购物车中已有 10 件" in page
    assert '<tr class="reached"><td>≥ 10</td>' in page  # the tier the cart reaches


def test_with_the_cache_off_a_new_phone_sees_changes_at_once(make_app, make_product):
    app = make_app(**{"kiosk.page_cache_seconds": 0})
    with state(app).db.unit_of_work() as session:
        product, centre, _ = make_product(session)
        inventory.receive(session, [StockLine(product.id, centre.id, 3)], actor="t")
        code, product_id, centre_id = product.slot.code, product.id, centre.id
    client = app.test_client(use_cookies=False)
    assert "在店现货 3 件" in client.get(f"/s/{code}").get_data(as_text=True)
    with state(app).db.unit_of_work() as session:
        inventory.receive(session, [StockLine(product_id, centre_id, 4)], actor="t")
    assert "在店现货 7 件" in client.get(f"/s/{code}").get_data(as_text=True)
