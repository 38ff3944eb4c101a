"""The touch kiosk in real Chromium at 1920 x 1080: browse, build a cart, hand it to a phone in
a second browser, and start over by itself after a minute without a touch."""

import re

from playwright.sync_api import expect

from tests.support.browser import screenshot


def kiosk_page(browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN",
                                  has_touch=True)
    return context, context.new_page()


def add_first_product_of(page, base, zone):
    page.goto(f"{base}/kiosk")
    page.locator(f"a.kiosk-zone[href$='zone={zone}']").tap()
    page.wait_for_url(f"**/kiosk/browse?zone={zone}")
    product = page.locator(".kiosk-products a").first
    sku = product.get_attribute("data-sku")
    product.tap()
    page.wait_for_url(re.compile(r".*/[sS]/\w+$"))
    quantity = int(page.locator("form.add input[name=quantity]").input_value())
    page.locator("form.add button[type=submit]").tap()
    page.wait_for_selector(".in-cart")
    return sku, quantity


def test_a_cart_built_on_the_kiosk_moves_to_a_phone(live_server, browser, phone):
    base = live_server.url
    context, kiosk = kiosk_page(browser)
    try:
        kiosk.goto(f"{base}/kiosk")
        expect(kiosk.locator("a.kiosk-zone")).to_have_count(3)
        screenshot(kiosk, "kiosk-start")
        kiosk.fill(".kiosk-search input[name=q]", "保温杯")
        kiosk.locator(".kiosk-search button").tap()
        kiosk.wait_for_url("**/kiosk/browse?q=*")
        kiosk.locator(".kiosk-products a").first.wait_for()
        sku, quantity = add_first_product_of(kiosk, base, "streamer")
        kiosk.goto(f"{base}/cart")
        expect(kiosk.locator(".cart-line")).to_have_count(1)
        kiosk.get_by_role("link", name="带到手机").first.tap()
        kiosk.wait_for_url("**/kiosk/handoff")
        handoff = kiosk.locator("#handoff")
        expect(handoff.locator("svg")).to_have_count(1)
        screenshot(kiosk, "kiosk-handoff")
        url = handoff.get_attribute("data-url").replace("http://127.0.0.1:8000", base)

        phone.goto(url)
        phone.wait_for_url(f"{base}/cart")
        line = phone.locator(".cart-line")
        expect(line).to_have_count(1)
        expect(line.locator("input[name=quantity]")).to_have_value(str(quantity))
        # The kiosk sees its cart gone and starts over for the next buyer, by itself.
        kiosk.wait_for_url(f"{base}/kiosk?handed=1", timeout=10000)
        expect(kiosk.locator(".notice-message")).to_contain_text("已转到手机")
    finally:
        context.close()


def test_a_kiosk_left_alone_for_a_minute_starts_over(live_server, browser):
    base = live_server.url
    context, kiosk = kiosk_page(browser)
    try:
        kiosk.clock.install()
        add_first_product_of(kiosk, base, "bestseller")
        kiosk.goto(f"{base}/cart")
        expect(kiosk.locator(".cart-line")).to_have_count(1)
        kiosk.clock.fast_forward(59_000)
        assert kiosk.url == f"{base}/cart"  # not yet
        kiosk.clock.fast_forward(2_000)
        kiosk.wait_for_url(f"{base}/kiosk?handed=")
        kiosk.goto(f"{base}/cart")
        expect(kiosk.locator(".cart-line")).to_have_count(0)
    finally:
        context.close()
