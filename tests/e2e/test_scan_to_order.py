"""From a shelf QR to a collected order, on a phone and at the counter, in real Chromium."""

import re

from playwright.sync_api import expect

from tests.support.browser import pick_products, screenshot


def add_to_cart(page, base, code, quantity, pack):
    page.goto(f"{base}/s/{code}")
    box = page.locator("form.add input[name=quantity]")
    start = int(box.input_value())
    for _ in range((quantity - start) // pack):
        page.locator("form.add button.step").last.click()  # the + stepper, one case at a time
    assert int(box.input_value()) == quantity
    page.locator("form.add button[type=submit]").click()
    expect(page.locator(".in-cart")).to_contain_text(f"购物车中已有 {quantity} 件")


def test_scan_to_collected_order(live_server, phone, desk):
    base = live_server.url
    (centre_code, centre_qty, centre_pack), (factory_code, factory_qty, factory_pack) = (
        pick_products(live_server.var))

    add_to_cart(phone, base, centre_code, centre_qty, centre_pack)
    screenshot(phone, "product-page-in-cart")
    add_to_cart(phone, base, factory_code, factory_qty, factory_pack)

    phone.goto(f"{base}/cart")
    expect(phone.locator(".cart-line")).to_have_count(2)
    phone.get_by_role("link", name="去结算").click()
    # Factory goods need the phone proved: a code texted to it, then the new account's details.
    phone.locator("section.sign-in-offer").get_by_role("link", name="手机号登录").click()
    phone.fill("input[name=phone]", "13912345678")
    phone.get_by_role("button", name="发送验证码").click()
    phone.fill("input[name=code]", live_server.texted_code("13912345678"))
    phone.get_by_role("button", name="登录").click()
    phone.get_by_role("link", name="填写我的资料").click()
    phone.fill("input[name=name]", "陈店长")
    phone.fill("input[name=company]", "陈记百货")
    phone.select_option("select[name=business_type]", "shop")
    phone.get_by_role("button", name="保存").click()
    phone.wait_for_url(re.compile(r".*/checkout$"))

    expect(phone.locator("section.group")).to_have_count(2)
    expect(phone.locator("section.group-centre")).to_have_count(1)
    expect(phone.locator("section.group-factory_shipment")).to_have_count(1)
    phone.fill("textarea[name=ship_address]", "浙江省杭州市西湖区文三路 100 号")
    screenshot(phone, "checkout-groups")
    phone.get_by_role("button", name="提交订单").click()
    phone.wait_for_url(re.compile(r".*/orders/\w+$"))
    number = phone.url.rsplit("/", 1)[1]
    expect(phone.locator(".order-status")).to_contain_text("待付款")
    expect(phone.locator("section.group")).to_have_count(2)
    phone.evaluate("window.__sameDocument = true")  # gone if the page reloads

    desk.goto(f"{base}/console/login")
    desk.fill("input[name=username]", "counter")
    desk.fill("input[name=password]", live_server.logins["counter"])
    desk.get_by_role("button", name="登录").click()
    desk.fill("input[name=number]", number)
    desk.get_by_role("button", name="查找").click()
    desk.select_option("select[name=method]", "cash")
    desk.get_by_role("button", name="确认收款").click()
    expect(desk.locator(".order-status")).to_contain_text("已付款")

    # Locators, not wait_for_function: the page's CSP refuses the eval that would need.
    phone.locator(".order-status", has_text="已付款").wait_for(timeout=10000)
    expect(phone.locator("section.group-factory_shipment")).to_contain_text("已转工厂")

    desk.get_by_role("button", name="已拣货").click()
    desk.get_by_role("button", name="已提货").click()
    phone.locator("section.group-pickup .group-status", has_text="已提货").wait_for(
        timeout=10000)
    assert phone.evaluate("window.__sameDocument") is True
    screenshot(phone, "order-page-collected")
