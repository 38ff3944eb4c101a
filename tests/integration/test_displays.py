"""Zone screens' content equals what the raw rows say: bestsellers by units (ties by scans) with
the rising mark, cross-border and streamer picks with their facts, pins first, a ticker with no
buyer in it; pins are managed in the console, and a screen's stream says when to refresh."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from store_api.buyers.models import Buyer
from store_api.catalogue.models import Product, Zone
from store_api.core.models import ScanEvent, utcnow
from store_api.core.state import state
from store_api.core.worker import Worker
from store_api.displays import displays
from store_api.orders import orders
from store_api.orders.checkout import Delivery, place_order
from store_api.orders.models import Order
from store_api.staff.models import User
from store_api.stock import inventory
from store_api.stock.inventory import StockLine
from tests.support.clients import staff_client


def terms(app, products=12):
    settings = state(app).settings
    return displays.Terms("standard", 7, products, 12.0, settings["centre.timezone"])


def content(app, zone, products=12):
    with state(app).db.read_session() as session:
        return displays.zone_content(session, zone, terms(app, products))


def _world(app, make_product, count=4):
    """Products with centre stock, a buyer; returns (skus, product ids, buyer id)."""
    db = state(app).db
    with db.unit_of_work() as session:
        made = [make_product(session, name_zh=f"展示商品{i}") for i in range(count)]
        for product, centre, _ in made:
            inventory.receive(session, [StockLine(product.id, centre.id, 500)], actor="t")
        buyer = Buyer(phone="13500001234", name="吴老板", business_type="shop",
                      member_level="standard")
        session.add(buyer)
        session.flush()
        return [p.sku for p, _, _ in made], [p.id for p, _, _ in made], buyer.id


def _cashier(app) -> int:
    with state(app).db.unit_of_work() as session:
        found = session.scalar(select(User).where(User.username == "cashier"))
        if found is None:
            found = User(username="cashier", display_name="收银", role="staff")
            found.set_password("cashier-pass-01")
            session.add(found)
            session.flush()
        return found.id


def _order(app, buyer_id, sku, quantity, key, days_ago=0, paid=True, more=()):
    """Place an order (more lines after the first), paid in cash at the counter unless not."""
    db = state(app).db
    number = place_order(db, buyer_id=buyer_id, requested=[(sku, quantity), *more],
                         delivery=Delivery(), idempotency_key=key,
                         settings=state(app).settings)["number"]
    if paid:
        orders.pay(db, number, method="cash", reference="", user_id=_cashier(app))
    if days_ago:
        then = utcnow() - timedelta(days=days_ago)
        with db.unit_of_work() as session:
            session.execute(update(Order).where(Order.number == number).values(
                created_at=then, paid_at=then if paid else None))
    return number


def test_bestsellers_rank_by_units_then_scans_and_mark_the_rising(app, make_product):
    skus, ids, buyer = _world(app, make_product)
    _order(app, buyer, skus[0], 30, "bs-key-0001", days_ago=6)  # older half only: falling
    _order(app, buyer, skus[1], 20, "bs-key-0002")             # newer half: rising
    _order(app, buyer, skus[2], 20, "bs-key-0003", days_ago=1)
    _order(app, buyer, skus[3], 50, "bs-key-0004", days_ago=9)  # outside the window
    with state(app).db.unit_of_work() as session:
        zone = session.scalar(select(Zone).where(Zone.code == "bestseller"))
        slot_of = {p.id: p.slot.id for p in session.scalars(select(Product))}
        session.add_all([ScanEvent(slot_id=slot_of[ids[2]], zone_id=zone.id, product_id=ids[2],
                                   session_id="s") for _ in range(3)])
    shown = content(app, "bestseller", products=3)
    assert [(i["sku"], i["facts"]) for i in shown["items"]] == [
        (skus[0], {"units": 30, "rising": False}),
        (skus[2], {"units": 20, "rising": True}),   # ties with skus[1], more scans
        (skus[1], {"units": 20, "rising": True}),
    ]
    assert [entry["units"] for entry in shown["ticker"]] == [20, 20, 30]
    assert all(set(entry) == {"at", "units", "name_zh", "name_en", "products"}
               for entry in shown["ticker"])
    assert "吴老板" not in str(shown) and "13500001234" not in str(shown)


def test_screens_count_paid_orders_and_never_add_units_of_different_products(app,
                                                                            make_product):
    skus, ids, buyer = _world(app, make_product)
    _order(app, buyer, skus[0], 40, "unpaid-key-01", paid=False)
    _order(app, buyer, skus[1], 5, "two-lines-01", more=[(skus[2], 7)])
    shown = content(app, "bestseller", products=2)
    assert [(i["sku"], i["facts"]["units"]) for i in shown["items"] if i["facts"]] == [
        (skus[2], 7), (skus[1], 5)]  # the unpaid 40 count for nothing
    assert [(e["name_zh"], e["units"], e["products"]) for e in shown["ticker"]] == [
        ("展示商品1", 5, 2)]  # 5 of the first product, "and 1 more": never 12 units

    _order(app, buyer, skus[3], 3, "unpaid-key-02", paid=False)
    number = _order(app, buyer, skus[0], 2, "paid-later-1", paid=False)
    orders.pay(state(app).db, number, method="cash", reference="", user_id=_cashier(app))
    shown = content(app, "bestseller", products=4)
    assert [(e["name_zh"], e["units"]) for e in shown["ticker"]] == [
        ("展示商品0", 2), ("展示商品1", 5)]
    assert skus[3] not in [i["sku"] for i in shown["items"] if i["facts"]]


def test_a_zone_screen_shows_its_own_shelves_and_says_where_a_pin_from_elsewhere_is(
        app, make_product):
    with state(app).db.unit_of_work() as session:
        buyer = Buyer(phone="13500001235", name="钱老板", business_type="shop",
                      member_level="standard")
        session.add(buyer)
        made = {}
        for zone in ("bestseller", "cross-border", "streamer"):
            product, centre, _ = make_product(session, zone=zone, name_zh=f"{zone} 商品")
            product.foldable = product.sample_available = True
            inventory.receive(session, [StockLine(product.id, centre.id, 100)], actor="t")
            made[zone] = product.sku
        session.flush()
        buyer_id = buyer.id
    for number, sku in enumerate(made.values()):
        _order(app, buyer_id, sku, 10 + number, f"zone-key-0{number}")
    for zone, sku in made.items():
        shown = content(app, zone)
        assert [i["sku"] for i in shown["items"]] == [sku], zone
        assert [e["name_zh"] for e in shown["ticker"]] == [f"{zone} 商品"], zone
        assert shown["items"][0]["shelved_in"] is None

    client, token = staff_client(app)
    client.post("/console/displays/bestseller/pins",
                data={"csrf_token": token, "sku": made["cross-border"]})
    shown = content(app, "bestseller")["items"]
    assert [(i["sku"], i["pinned"]) for i in shown] == [(made["cross-border"], True),
                                                         (made["bestseller"], False)]
    assert shown[0]["shelved_in"]["name_zh"] == "跨境区"
    page = client.get("/display/bestseller").get_data(as_text=True)
    assert "货架在 {zone}" in page


def test_pins_come_first_in_their_order_and_are_managed_in_the_console(app, make_product):
    skus, _, buyer = _world(app, make_product)
    _order(app, buyer, skus[0], 30, "pin-key-001")
    client, token = staff_client(app)
    for sku in (skus[3], skus[2]):
        assert client.post("/console/displays/bestseller/pins",
                           data={"csrf_token": token, "sku": sku}).status_code == 303
    again = client.post("/console/displays/bestseller/pins",
                        data={"csrf_token": token, "sku": skus[3]}, follow_redirects=True)
    assert 'class="error-message"' in again.get_data(as_text=True)
    unknown = client.post("/console/displays/bestseller/pins",
                          data={"csrf_token": token, "sku": "NOPE"}, follow_redirects=True)
    assert 'class="error-message"' in unknown.get_data(as_text=True)
    assert client.post("/console/displays/bestseller/pins", data={"sku": skus[1]}).status_code \
        == 400
    assert [i["sku"] for i in content(app, "bestseller", 3)["items"]] == [skus[3], skus[2],
                                                                          skus[0]]
    client.post(f"/console/displays/bestseller/pins/{skus[2]}/up", data={"csrf_token": token})
    shown = content(app, "bestseller", 3)["items"]
    assert [(i["sku"], i["pinned"]) for i in shown] == [(skus[2], True), (skus[3], True),
                                                         (skus[0], False)]
    client.post(f"/console/displays/bestseller/pins/{skus[2]}/remove",
                data={"csrf_token": token})
    assert [i["sku"] for i in content(app, "bestseller", 2)["items"]] == [skus[3], skus[0]]
    page = client.get("/console/displays").get_data(as_text=True)
    assert f'data-sku="{skus[3]}"' in page and f'data-sku="{skus[2]}"' not in page
    assert app.test_client().get("/console/displays").status_code == 302


def test_cross_border_and_streamer_screens_show_their_facts(app, make_product):
    with state(app).db.unit_of_work() as session:
        folding, _, _ = make_product(session, name_zh="折叠伞", zone="cross-border")
        folding.foldable = True
        folding.packed_length_cm, folding.packed_width_cm, folding.packed_height_cm = 25, 6, 4
        folding.unpacked_length_cm, folding.unpacked_width_cm, folding.unpacked_height_cm = (
            58, 7, 7)
        bulky, _, _ = make_product(session, name_zh="大号收纳箱", zone="cross-border")
        bulky.packed_length_cm, bulky.packed_width_cm, bulky.packed_height_cm = 60, 40, 40
        sample, _, _ = make_product(session, name_zh="主播样品杯", ladder=((1, 1000),),
                                    zone="streamer")
        sample.sample_available, sample.suggested_retail_fen = True, 2500
        zone = session.scalar(select(Zone).where(Zone.code == "streamer"))
        session.add_all([ScanEvent(slot_id=sample.slot.id, zone_id=zone.id,
                                   product_id=sample.id, session_id="s") for _ in range(2)])
        session.add(ScanEvent(slot_id=sample.slot.id, zone_id=zone.id, product_id=sample.id,
                              session_id="s", created_at=utcnow() - timedelta(days=2)))
        skus = folding.sku, bulky.sku, sample.sku
    cross = {i["sku"]: i["facts"] for i in content(app, "cross-border")["items"]}
    assert cross == {skus[0]: {"foldable": True, "packed_litres": 0.6, "volumetric_kg": 0.1,
                               "unfolded_volumetric_kg": 0.47, "saving_percent": 78}}
    streamer = content(app, "streamer")["items"]
    assert [(i["sku"], i["facts"]) for i in streamer] == [(skus[2], {
        "sample_available": True, "dropship_allowed": False, "suggested_retail_fen": 2500,
        "suggested_retail": "￥25.00", "margin_percent": 60.0, "scans_today": 2})]


def test_a_screen_page_its_content_and_its_stream(app, make_product):
    skus, _, buyer = _world(app, make_product, count=1)
    client = app.test_client()
    assert client.get("/display/nowhere").status_code == 404
    assert client.get("/display/nowhere/events").status_code == 404
    page = client.get("/display/bestseller").get_data(as_text=True)
    assert "爆款区" in page and 'id="display-data"' in page
    data = client.get("/display/bestseller/content.json").get_json()
    assert data["items"] and data["items"][0]["qr"].startswith("<svg")
    stream = client.get("/display/bestseller/events", buffered=False)
    chunks = stream.response
    assert next(chunks).startswith(b"retry:")
    _order(app, buyer, skus[0], 5, "stream-key-01")
    Worker(state(app)).run_once()  # publishes the order to the broker
    assert next(chunks).startswith(b"event: changed")
    stream.close()


def test_a_new_screen_shows_a_code_until_staff_approve_it_with_a_zone(app, monkeypatch):
    from store_api.displays import screens

    tv = app.test_client()
    assert tv.get("/display").headers["Location"] == "/display/new"
    first = tv.get("/display/new")
    assert first.status_code == 200 and "xuanpin_screen" in first.headers["Set-Cookie"]
    code = first.get_data(as_text=True).split('id="pairing-code">')[1].split("<")[0]
    assert len(code) == 6 and set(code) <= set(screens.CODE_ALPHABET)
    assert tv.get("/display").get_data(as_text=True).count(code) == 1  # same screen, same code
    assert tv.get("/display/new").headers["Location"] == "/display"  # and no second screen
    assert tv.get("/display/pairing.json").get_json() == {"code": code, "zone_url": None}

    staff, token = staff_client(app)
    listed = staff.get("/console/displays").get_data(as_text=True)
    assert f'data-screen="{code}"' in listed and 'class="silent"' not in listed
    wrong = staff.post("/console/screens/approve", data={"csrf_token": token, "code": "ZZZZZZ",
                                                         "zone": "streamer"},
                       follow_redirects=True)
    assert 'class="error-message"' in wrong.get_data(as_text=True)
    assert staff.post("/console/screens/approve", data={"code": code, "zone": "streamer"}
                      ).status_code == 400  # no CSRF token
    staff.post("/console/screens/approve", data={"csrf_token": token, "code": code.lower(),
                                                 "zone": "streamer", "name": "入口大屏"})
    assert tv.get("/display/pairing.json").get_json()["zone_url"] == "/display/streamer"
    assert tv.get("/display").headers["Location"] == "/display/streamer"

    # Moved by staff, the screen learns it from its next refresh.
    staff.post("/console/screens/approve", data={"csrf_token": token, "code": code,
                                                 "zone": "cross-border"})
    assert tv.get("/display/streamer/content.json").get_json()["moved_to"] == \
        "/display/cross-border"
    assert "moved_to" not in app.test_client().get("/display/streamer/content.json").get_json()

    # Quiet for longer than displays.silent_after_s, it is flagged.
    later = utcnow() + timedelta(seconds=state(app).settings["displays.silent_after_s"] + 1)
    state(app).clock.now = later
    assert 'class="silent"' in staff.get("/console/displays").get_data(as_text=True)
    tv.get("/display/cross-border/content.json")  # a heartbeat
    assert 'class="silent"' not in staff.get("/console/displays").get_data(as_text=True)


def test_a_forged_or_forgotten_screen_cookie_starts_over(app):
    tv = app.test_client()
    tv.set_cookie("xuanpin_screen", "x" * 40)
    fresh = tv.get("/display", follow_redirects=True)
    assert fresh.status_code == 200 and "xuanpin_screen=" in fresh.headers["Set-Cookie"]
    staff, token = staff_client(app)
    code = fresh.get_data(as_text=True).split('id="pairing-code">')[1].split("<")[0]
    with state(app).db.read_session() as session:
        from store_api.displays.models import Screen

        screen_id = session.scalar(select(Screen.id).where(Screen.code == code))
    staff.post(f"/console/screens/{screen_id}/remove", data={"csrf_token": token})
    again = tv.get("/display", follow_redirects=True).get_data(as_text=True)
    assert code not in again and 'id="pairing-code"' in again


def _screen_count(app) -> int:
    from sqlalchemy import func

    from store_api.displays.models import Screen

    with state(app).db.read_session() as session:
        return session.scalar(select(func.count()).select_from(Screen))


def _new_screen(app, address="127.0.0.1"):
    """Open /display in a fresh browser at an address; return the answer."""
    browser = app.test_client()
    browser.environ_base["REMOTE_ADDR"] = address  # for the redirect to /display/new too
    return browser.get("/display", follow_redirects=True)


def test_new_screens_from_one_address_are_limited_and_the_one_too_many_makes_no_row(make_app):
    app = make_app(**{"limits.enabled": True, "limits.screen_registration": "3 per hour"})
    screen = app.test_client()
    made = [screen.get("/display", follow_redirects=True)] + [_new_screen(app) for _ in range(2)]
    assert [answer.status_code for answer in made] == [200, 200, 200]
    assert _screen_count(app) == 3
    refused = _new_screen(app)
    assert refused.status_code == 429
    assert "从这个地址打开的新屏幕太多" in refused.get_data(as_text=True)
    assert "xuanpin_screen" not in refused.headers.get("Set-Cookie", "")
    assert _screen_count(app) == 3
    # A screen already made keeps its page, and another address has its own allowance.
    assert 'id="pairing-code"' in screen.get("/display").get_data(as_text=True)
    assert _new_screen(app, "10.0.0.9").status_code == 200 and _screen_count(app) == 4


def test_only_so_many_screens_wait_at_once(app_with_two_waiting):
    app = app_with_two_waiting
    refused = _new_screen(app)
    assert refused.status_code == 429 and _screen_count(app) == 2
    assert "2 个屏幕正在等待审核" in refused.get_data(as_text=True)
    staff, token = staff_client(app)
    with state(app).db.read_session() as session:
        from store_api.displays.models import Screen

        code = session.scalar(select(Screen.code).order_by(Screen.id).limit(1))
    staff.post("/console/screens/approve", data={"csrf_token": token, "code": code,
                                                 "zone": "bestseller"})
    assert _new_screen(app).status_code == 200 and _screen_count(app) == 3


@pytest.fixture
def app_with_two_waiting(make_app):
    """An app where two screens may wait at once, and two do."""
    app = make_app(**{"displays.pending_screens": 2})
    assert [_new_screen(app).status_code for _ in range(2)] == [200, 200]
    return app


def test_a_screen_waiting_longer_than_its_day_expires(app):
    tv = app.test_client()
    page = tv.get("/display", follow_redirects=True).get_data(as_text=True)
    code = page.split('id="pairing-code">')[1].split("<")[0]
    staff, token = staff_client(app)
    hours = state(app).settings.displays.pending_hours
    assert hours == 24
    state(app).clock.now = utcnow() + timedelta(hours=hours, seconds=-60)
    assert f'data-screen="{code}"' in staff.get("/console/displays").get_data(as_text=True)

    state(app).clock.now = utcnow() + timedelta(seconds=120)  # a day and a minute on
    assert f'data-screen="{code}"' not in staff.get("/console/displays").get_data(as_text=True)
    refused = staff.post("/console/screens/approve", follow_redirects=True, data={
        "csrf_token": token, "code": code, "zone": "streamer"})
    assert "没有屏幕显示这个代码" in refused.get_data(as_text=True)
    assert tv.get("/display/pairing.json").get_json()["code"] is None  # it starts over
    assert Worker(state(app)).run_periodic() == 1  # and the worker deletes the old row
    assert _screen_count(app) == 0
    again = tv.get("/display", follow_redirects=True).get_data(as_text=True)
    assert code not in again and 'id="pairing-code"' in again and _screen_count(app) == 1
