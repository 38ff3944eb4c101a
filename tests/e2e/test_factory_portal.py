"""A demo factory in the portal, in real Chromium: sees its stock, accepts a forward, ships it
with a tracking number; the buyer's order page shows the number."""

import sqlite3
import uuid

import requests

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
    assert "工厂已收到" in phone.locator("section.group-factory_shipment").inner_text()

    desk.goto(f"{base}/console/login")
    desk.fill("input[name=username]", login)
    desk.fill("input[name=password]", live_server.logins[login])
    desk.get_by_role("button", name="登录").click()
    desk.wait_for_url(f"{base}/portal/")
    assert desk.locator("table.portal-stock tbody tr").count() > 0
    screenshot(desk, "portal-stock")

    desk.get_by_role("link", name="转单").click()
    forward = desk.locator("section.forward", has_text=number)
    assert "剩余发货时间" in forward.locator(".countdown").inner_text()
    forward.get_by_role("button", name="接单").click()
    forward = desk.locator("section.forward", has_text=number)
    assert "工厂已接单" in forward.locator(".forward-state").inner_text()
    forward.get_by_label("快递公司").fill("顺丰速运")
    forward.get_by_label("运单号").fill("SF1234567890")
    forward.get_by_role("button", name="发货").click()
    forward = desk.locator("section.forward", has_text=number)
    assert "SF1234567890" in forward.locator(".tracking").inner_text()
    screenshot(desk, "portal-forward-shipped")

    # The buyer's page, open all along, shows the parcel without a touch.
    tracking = phone.locator("section.group-factory_shipment .tracking", has_text="SF1234567890")
    tracking.wait_for(timeout=10000)
    assert tracking.inner_text() == "SF1234567890"
    assert "顺丰速运" in phone.locator("section.group-factory_shipment").inner_text()
    screenshot(phone, "order-page-tracking")
