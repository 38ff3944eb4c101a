"""Buyer pages beyond the happy path: facts on the product page, search, forms from elsewhere."""

import re

import pytest
from sqlalchemy import func, select

from store_api.core.state import state
from store_api.orders.models import CartLine
from tests.support.buyers import sign_in
from tests.support.centre import load


@pytest.fixture
def demo(sqlite_app):
    load(sqlite_app)
    return sqlite_app


def slot_of(app, sku):
    from store_api.catalogue.models import Product

    with state(app).db.read_session() as session:
        return session.scalar(select(Product).where(Product.sku == sku)).slot.code


def test_cross_border_facts_show_volumetric_weight_and_the_folding_saving(demo):
    page = demo.test_client().get(f"/s/{slot_of(demo, 'TZ-HY-001')}").get_data(as_text=True)
    # 48 × 35 × 8 cm folded is 13.4 L and 2.24 kg by volume; unfolded 48 × 35 × 28 is 7.84 kg.
    assert "包装尺寸：48 × 35 × 8 厘米，13.4 升" in page
    assert "体积重（÷6000）：2.24 kg" in page
    assert "可折叠：体积重比展开时（7.84 kg）少 71%" in page


def test_streamer_facts_show_samples_dropship_and_margin(demo):
    page = demo.test_client().get(f"/s/{slot_of(demo, 'YK-BL-001')}").get_data(as_text=True)
    assert "可提供样品" in page and "支持一件代发" in page
    # Suggested retail 72.90 against 28.00 at the MOQ: a margin of 61.6 %.
    assert "建议零售价 ￥72.90，您的毛利 61.6%" in page


def test_buyers_of_the_same_type_see_what_else_was_ordered(demo):
    client = demo.test_client()
    client.post("/api/v1/buyer", json={"phone": "13800000001", "name": "甲",
                                       "business_type": "restaurant"})
    client.post("/api/v1/orders", headers={"Idempotency-Key": "also-order-1"}, json={
        "lines": [{"sku": "AJ-ZP-001", "quantity": 12}, {"sku": "AJ-ZP-002", "quantity": 60}]})
    other = demo.test_client()
    other.post("/api/v1/buyer", json={"phone": "13800000002", "name": "乙",
                                      "business_type": "restaurant"})
    page = other.get(f"/s/{slot_of(demo, 'AJ-ZP-001')}").get_data(as_text=True)
    assert "同类买家还订了" in page and "竹筷子 十双装 无漆" in page
    shop = demo.test_client()
    shop.post("/api/v1/buyer", json={"phone": "13800000003", "name": "丙",
                                     "business_type": "shop"})
    assert "同类买家还订了" not in shop.get(f"/s/{slot_of(demo, 'AJ-ZP-001')}").get_data(
        as_text=True)


def test_search_finds_by_chinese_english_and_sku(demo):
    client = demo.test_client()
    assert "保温杯" in client.get("/search?q=保温杯").get_data(as_text=True)
    assert "316不锈钢保温杯" in client.get("/search?q=vacuum flask").get_data(as_text=True)
    assert "TZ-HY-001" in client.get("/search?q=tz-hy-001").get_data(as_text=True)
    assert "没有与" in client.get("/search?q=%25%25_").get_data(as_text=True)


def test_the_unknown_code_page_links_to_search(demo):
    page = demo.test_client().get("/s/ZZZZZZZZZZ").get_data(as_text=True)
    assert 'href="/search"' in page


def test_a_form_posted_from_another_site_is_refused_and_writes_nothing(demo):
    client = demo.test_client()
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
        response = client.post("/cart/add", data={"sku": "TZ-HY-001", "quantity": "12"},
                               headers=headers)
        assert response.status_code == 403
    same = client.post("/cart/add", data={"sku": "TZ-HY-001", "quantity": "12"},
                       headers={"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"})
    assert same.status_code == 303
    with state(demo).db.read_session() as session:
        assert session.scalar(select(func.count()).select_from(CartLine)) == 1


@pytest.mark.parametrize("quantity, message", [
    ("0", "数量必须大于零"), ("-12", "数量必须大于零"), ("abc", "数量必须是整数"),
    ("1.5", "数量必须是整数"), ("6", "起订量为 12 件"), ("18", "请按整箱订购"),
    ("1000000000000", "数量过大"),
])
def test_bad_quantities_from_the_page_get_a_clear_message(demo, quantity, message):
    response = demo.test_client().post("/cart/add", data={"sku": "TZ-HY-001",
                                                          "quantity": quantity})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with state(demo).db.read_session() as session:
        assert session.scalar(select(func.count()).select_from(CartLine)) == 0


def test_console_forms_need_their_token_and_staff_sign_in(demo):
    client = demo.test_client()
    response = client.get("/console/counter")
    assert response.status_code == 302 and "/console/login" in response.headers["Location"]
    response = client.post("/console/login", data={"username": "counter", "password": "x"})
    assert response.status_code == 400  # no CSRF token


def test_checkout_page_asks_who_is_buying_then_shows_groups(demo):
    client = demo.test_client()
    client.post("/cart/add", data={"sku": "TZ-HY-001", "quantity": "12"})
    page = client.get("/checkout").get_data(as_text=True)
    assert "您是会员吗？" in page and "或以访客身份下单" in page
    response = client.post("/buyer", data={"phone": "12345", "name": "王",
                                           "business_type": "shop"})
    assert response.status_code == 422
    assert "请输入 11 位手机号码" in response.get_data(as_text=True)
    client.post("/buyer", data={"phone": "13800000009", "name": "王", "business_type": "shop"})
    page = client.get("/checkout").get_data(as_text=True)
    assert "中心现货" in page and 'name="idempotency_key"' in page


@pytest.mark.parametrize("target", ["//evil.example", "/\\evil.example", "/\t/evil.example",
                                    "https://evil.example/"])
def test_sign_in_never_sends_staff_off_site(target):
    from store_api.web.same_origin import local_target

    assert local_target(target, "/console/counter") == "/console/counter"


def test_sign_in_returns_to_a_page_of_this_site():
    from store_api.web.same_origin import local_target

    assert local_target("/console/prints?x=1", "/") == "/console/prints?x=1"


@pytest.mark.parametrize("latitude", ["nan", "inf", "382.5"])
def test_a_made_up_location_cannot_pass_the_delivery_radius(demo, latitude):
    client = demo.test_client()
    client.post("/cart/add", data={"sku": "TZ-HY-001", "quantity": "12"})
    sign_in(client, demo, "13800000008", name="王")  # delivery needs the phone proved
    page = client.get("/checkout").get_data(as_text=True)
    key = page.split('name="idempotency_key" value="')[1].split('"')[0]
    response = client.post("/checkout", data={
        "idempotency_key": key, "centre": "local_delivery", "address": "义乌",
        "latitude": latitude, "longitude": "120.1"})
    assert response.status_code == 422
    assert "请共享位置" in response.get_data(as_text=True)


def test_a_cart_line_the_catalogue_outgrew_is_flagged_and_can_be_removed(demo):
    from sqlalchemy import update

    from store_api.catalogue.models import Product

    client = demo.test_client()
    client.post("/cart/add", data={"sku": "TZ-HY-001", "quantity": "12"})
    with state(demo).db.unit_of_work() as session:
        session.execute(update(Product).where(Product.sku == "TZ-HY-001")
                        .values(status="archived"))
    page = client.get("/cart").get_data(as_text=True)
    assert "请重新设置数量或删除" in page and "去结算" not in page
    assert client.post("/cart/set", data={"sku": "TZ-HY-001", "quantity": "0"}).status_code == 303
    with state(demo).db.read_session() as session:
        assert session.scalar(select(func.count()).select_from(CartLine)) == 0


def test_the_order_page_names_each_time_on_the_centres_clock(sqlite_app, make_product):
    from datetime import UTC, datetime, timedelta

    from store_api.core.clock import CLOCK
    from store_api.orders import orders
    from store_api.staff.models import User
    from store_api.stock import inventory

    with state(sqlite_app).db.unit_of_work() as session:
        product, centre, _ = make_product(session)
        inventory.receive(session, [inventory.StockLine(product.id, centre.id, 50)], actor="t")
        staff = User(username="clerk", display_name="收银", role="staff", password_hash="x")
        session.add(staff)
        session.flush()
        sku, staff_id = product.sku, staff.id
    # 17:30 on 1 March in UTC is half past one on 2 March in Shanghai.
    CLOCK.now = datetime(2026, 3, 1, 17, 30, tzinfo=UTC)
    phone = sqlite_app.test_client()
    phone.post("/api/v1/buyer", json={"phone": "13800000077", "name": "丁",
                                      "business_type": "shop"})
    number = phone.post("/api/v1/orders", headers={"Idempotency-Key": "clock-order-1"},
                        json={"lines": [{"sku": sku, "quantity": 2}]}).json["number"]
    held = phone.get(f"/orders/{number}").get_data(as_text=True)
    assert "下单时间" in held and "2026-03-02 01:30" in held
    assert "库存为您保留至 2026-03-02 02:00" in held
    CLOCK.now += timedelta(minutes=35)
    orders.pay(state(sqlite_app).db, number, method="cash", reference="", user_id=staff_id)
    CLOCK.now = datetime(2026, 3, 1, 23, 59, tzinfo=UTC)
    orders.collect(state(sqlite_app).db, number)
    page = phone.get(f"/orders/{number}").get_data(as_text=True)
    times = re.findall(r"<dt>([^<]+)</dt><dd><time datetime=\"[^\"]+\">([^<]+)</time>", page)
    assert times == [("下单时间", "2026-03-02 01:30"), ("付款时间", "2026-03-02 02:05"),
                     ("完成时间", "2026-03-02 07:59")]
    assert "2026-03-01" not in re.sub(r'datetime="[^"]+"', "", page)  # only in ISO for machines
    english = phone.get(f"/orders/{number}?lang=en").get_data(as_text=True)
    assert "Ordered at" in english and "2026-03-02 01:30" in english
