"""A demo factory in the portal, in real Chromium: sees its stock, accepts a forward, ships it
with a tracking number; the buyer's order page shows the number."""

import sqlite3
import uuid

import requests
from playwright.sync_api import expect

from tests.support.browser import pick_products, screenshot
from tests.support.live import signed_in_session


def paid_factory_order(server) -> tuple[str, str]:
    """Order a factory-held product over the API and pay it at the counter; return the order
    number and the factory's portal login."""
    _, (code, quantity, _) = pick_products(server.var)
    db = sqlite3.connect(server.var / "xuanpin.db")
    sku, factory = db.execute(
        "SELECT p.sku, f.code FROM shelf_slots s JOIN products p ON p.id = s.product_id "
        "JOIN factories f ON f.id = p.factory_id WHERE s.code = ?", (code,)).fetchone()
    buyer = signed_in_session(server, "13700001111", name="林主播", business_type="streamer")
    placed = buyer.post(f"{server.url}/api/v1/orders", timeout=30,
                        headers={"Idempotency-Key": uuid.uuid4().hex}, json={
                            "lines": [{"sku": sku, "quantity": quantity}],
                            "delivery": {"recipient_name": "林主播", "recipient_phone":
                                         "13700001111", "ship_address": "义乌市稠城街道 8 号"}})
    assert placed.status_code == 201, placed.text
    number = placed.json()["number"]
    staff = requests.Session()
    assert staff.post(f"{server.url}/api/v1/session", timeout=30, json={
        "username": "counter", "password": server.logins["counter"]}).ok
    assert staff.post(f"{server.url}/api/v1/orders/{number}/payments", timeout=30,
                      json={"method": "cash"}).ok
    return number, factory.lower()


def test_a_demo_factory_accepts_and_ships_and_the_buyer_sees_tracking(live_server, desk, phone):
    base = live_server.url
    number, login = paid_factory_order(live_server)
    phone.goto(f"{base}/orders/{number}")
    expect(phone.locator("section.group-factory_shipment")).to_contain_text("工厂已收到")

    desk.goto(f"{base}/console/login")
    desk.fill("input[name=username]", login)
    desk.fill("input[name=password]", live_server.logins[login])
    desk.get_by_role("button", name="登录").click()
    desk.wait_for_url(f"{base}/portal/")
    desk.locator("table.portal-stock tbody tr").first.wait_for()
    screenshot(desk, "portal-stock")

    desk.get_by_role("link", name="转单").click()
    forward = desk.locator("section.forward", has_text=number)
    # The server writes the deadline; the page's script then counts down to it, in the
    # page's words: hours and minutes in Chinese too.
    countdown = forward.locator(".countdown")
    expect(countdown).to_contain_text("剩余发货时间")
    expect(countdown).to_contain_text("小时")
    expect(countdown).not_to_contain_text("min")
    forward.get_by_role("button", name="接单").click()
    expect(forward.locator(".forward-state")).to_contain_text("工厂已接单")
    forward.get_by_label("快递公司").fill("顺丰速运")
    forward.get_by_label("运单号").fill("SF1234567890")
    forward.get_by_role("button", name="发货").click()
    expect(forward.locator(".tracking")).to_contain_text("SF1234567890")
    screenshot(desk, "portal-forward-shipped")

    # The buyer's page, open all along, shows the parcel without a touch.
    tracking = phone.locator("section.group-factory_shipment .tracking", has_text="SF1234567890")
    expect(tracking).to_have_text("SF1234567890", timeout=10000)
    expect(phone.locator("section.group-factory_shipment")).to_contain_text("顺丰速运")
    screenshot(phone, "order-page-tracking")
