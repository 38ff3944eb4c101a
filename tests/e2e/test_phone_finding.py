"""The buyer's phone at 390 × 844 in Chromium: from the home page to a search for 水杯, to a
product, into the cart from the bottom bar without scrolling, and the cart's totals following
its steppers."""

import re

from playwright.sync_api import expect

from tests.support.browser import screenshot

HEIGHT = 844


def test_home_search_product_bottom_bar_and_a_live_cart(live_server, phone):
    phone.goto(live_server.url + "/")
    search = phone.get_by_role("searchbox")
    search.fill("水杯")
    search.press("Enter")
    cards = phone.locator("li.card")
    cards.first.wait_for()
    assert cards.count() >= 7
    first = cards.first.inner_text()
    assert "起" in first and "起订" in first
    screenshot(phone, "phone-search-cups")

    cards.first.locator("a.card-link").click()
    expect(phone).to_have_url(re.compile(r"/[sS]/"))
    bar = phone.locator("form.bottom-bar")
    add = bar.get_by_role("button", name="加入购物车")
    # On screen as the page opens: nothing scrolled, the button inside the viewport.
    box = add.bounding_box()
    assert phone.evaluate("window.scrollY") == 0
    assert box["y"] >= 0 and box["y"] + box["height"] <= HEIGHT, box
    total = bar.locator(".bar-total")
    before = total.inner_text()
    bar.get_by_role("button", name="增加").click()
    expect(total).not_to_have_text(before)
    expect(total).to_have_text(re.compile(r"^\d+ 件，共 ￥\d{1,3}(,\d{3})*\.\d\d$"))
    # Nothing in the bar is cut off or runs under the stepper beside it.
    cut = phone.evaluate("[...document.querySelectorAll('.bar-price, .bar-price *')].filter("
                         "n => n.scrollWidth > n.clientWidth + 1).map(n => n.className)")
    price = bar.locator(".bar-price").bounding_box()
    stepper = bar.locator(".stepper").bounding_box()
    assert cut == [] and price["x"] + price["width"] <= stepper["x"] + 0.5, (cut, price, stepper)
    screenshot(phone, "phone-scan-bottom-bar", full_page=False)
    add.click()
    expect(phone.locator(".in-cart")).to_be_visible()

    phone.goto(live_server.url + "/cart")
    group = phone.locator("section.ship-group").first
    subtotal = group.locator(".group-subtotal")
    grand = phone.locator("[data-live=total]")
    before, before_grand = subtotal.inner_text(), grand.inner_text()
    expect(group.locator("button.update")).to_be_hidden()
    group.get_by_role("button", name="增加").first.click()
    expect(subtotal).not_to_have_text(before)
    expect(grand).not_to_have_text(before_grand)
    screenshot(phone, "phone-cart-by-shipper")
