"""The touch kiosk: browsing by zone, category and search, a cart handed to a phone once, and
starting over."""

import pytest
from sqlalchemy import select

from store_api.catalogue.models import Product, ShelfSlot, Zone
from store_api.core.state import state
from store_api.orders.models import Cart, CartLine
from tests.support.centre import load


@pytest.fixture
def demo(sqlite_app):
    load(sqlite_app)
    return sqlite_app


def _kiosk(app):
    client = app.test_client()
    assert client.get("/kiosk").status_code == 200
    return client


def _sku_in(app, zone_code):
    with state(app).db.read_session() as session:
        return session.scalar(select(Product.sku).join(Product.slot).join(Zone)
                              .where(Zone.code == zone_code).order_by(Product.id))


def _add(client, sku, quantity):
    answer = client.post("/cart/add", data={"sku": sku, "quantity": str(quantity)})
    assert answer.status_code == 303


def _lines(app):
    with state(app).db.read_session() as session:
        return {(cart, product, quantity) for cart, product, quantity in session.execute(
            select(Cart.token, Product.sku, CartLine.quantity).join(CartLine.cart)
            .join(Product, Product.id == CartLine.product_id))}


def test_browse_by_zone_category_and_search_in_both_languages(demo):
    app = demo
    kiosk = _kiosk(app)
    start = kiosk.get("/kiosk").get_data(as_text=True)
    assert "爆款区" in start and "跨境区" in start and "主播区" in start and "雨伞" in start
    zone = kiosk.get("/kiosk/browse?zone=streamer").get_data(as_text=True)
    with state(app).db.read_session() as session:
        streamer = set(session.scalars(select(Product.sku).join(Product.slot).join(Zone)
                                       .where(Zone.code == "streamer")))
        umbrellas = set(session.scalars(select(Product.sku).where(
            Product.category == "umbrellas")))
    shown = {part.split('"')[0] for part in zone.split('data-sku="')[1:]}
    assert shown == streamer
    by_category = kiosk.get("/kiosk/browse?category=umbrellas").get_data(as_text=True)
    assert {part.split('"')[0] for part in by_category.split('data-sku="')[1:]} == umbrellas
    for text in ("保温杯", "vacuum flask"):
        found = kiosk.get(f"/kiosk/browse?q={text}").get_data(as_text=True)
        assert 'data-sku="YK-BL-001"' in found, text
    nothing = kiosk.get("/kiosk/browse?q=%25%25nothing%25").get_data(as_text=True)
    assert "data-sku=" not in nothing


def test_a_kiosk_cart_goes_to_a_phone_once_and_joins_its_cart(demo):
    app = demo
    kiosk = _kiosk(app)
    sku, other = _sku_in(app, "bestseller"), _sku_in(app, "streamer")
    with state(app).db.read_session() as session:
        moq = {p.sku: p.moq for p in session.scalars(select(Product))}
    _add(kiosk, sku, moq[sku])
    page = kiosk.get("/kiosk/handoff").get_data(as_text=True)
    url = page.split('data-url="')[1].split('"')[0]
    assert url.startswith(state(app).settings["server.public_base_url"]) and "<svg" in page
    phone = app.test_client()
    _add(phone, other, moq[other])
    taken = phone.get(url.split("127.0.0.1:8000", 1)[1])
    assert taken.status_code == 303 and taken.headers["Location"] == "/cart"
    phone_cart = phone.get("/api/v1/cart").get_json()
    assert {(line["sku"], line["quantity"]) for line in phone_cart["lines"]} == {
        (sku, moq[sku]), (other, moq[other])}
    assert kiosk.get("/api/v1/cart").get_json()["lines"] == []
    second = app.test_client().get(url.split("127.0.0.1:8000", 1)[1])
    assert second.status_code == 410  # taken already
    assert app.test_client().get("/kiosk/take/forged-code").status_code == 404
    assert len({cart for cart, _, _ in _lines(app)}) == 1


def test_starting_over_forgets_the_kiosk_cart_and_a_cross_site_form_cannot(demo):
    app = demo
    kiosk = _kiosk(app)
    sku = _sku_in(app, "bestseller")
    _add(kiosk, sku, 120)
    kiosk.post("/compare", data={"sku": sku, "add": "1"})
    assert kiosk.get("/api/v1/cart").get_json()["lines"]
    assert f'data-sku="{sku}"' in kiosk.get("/compare").get_data(as_text=True)
    refused = kiosk.post("/kiosk/reset", headers={"Origin": "https://evil.example"})
    assert refused.status_code == 403 and kiosk.get("/api/v1/cart").get_json()["lines"]
    answer = kiosk.post("/kiosk/reset", data={"handed": "1"})
    assert answer.status_code == 303 and answer.headers["Location"].startswith("/kiosk")
    assert kiosk.get("/api/v1/cart").get_json()["lines"] == []
    assert f'data-sku="{sku}"' not in kiosk.get("/compare").get_data(as_text=True)
    assert "您的购物车已转到手机" in kiosk.get("/kiosk?handed=1").get_data(as_text=True)


def test_kiosk_pages_carry_the_kiosk_bar_and_are_never_served_to_phones(demo):
    app = demo
    with state(app).db.read_session() as session:
        code = session.scalar(select(ShelfSlot.code).where(ShelfSlot.product_id.is_not(None)))
    kiosk = _kiosk(app)
    assert 'id="kiosk-bar"' in kiosk.get(f"/s/{code}").get_data(as_text=True)
    # The same page for a phone right after: the shared page cache holds no kiosk page.
    assert 'id="kiosk-bar"' not in app.test_client().get(f"/s/{code}").get_data(as_text=True)
