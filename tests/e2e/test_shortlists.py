"""Two phones of one shop in Chromium fill one shortlist: one stars products and shares the
list's edit link, the other opens it, adds and removes; then the list goes into a cart."""

import re

from playwright.sync_api import expect

from tests.support.browser import phone_context, pick_products, screenshot


def star(page, base, code):
    page.goto(f"{base}/s/{code}")
    page.get_by_role("button", name="加入选品单").click()
    page.locator("p.starred").wait_for()


def test_two_phones_fill_one_shortlist_and_it_becomes_a_cart(live_server, browser):
    base = live_server.url
    (centre, _, _), (factory, _, _) = pick_products(live_server.var)
    first, second = phone_context(browser), phone_context(browser)
    try:
        owner, colleague = first.new_page(), second.new_page()
        star(owner, base, centre)
        expect(owner.locator("p.starred")).to_contain_text("我的选品单")
        owner.get_by_role("link", name="我的选品单").click()
        owner.locator("li.shortlist-entry a").first.click()
        owner.wait_for_url(re.compile(r".*/l/[\w-]+$"))
        expect(owner.locator("li.shortlist-item")).to_have_count(1)
        edit_link = owner.locator(".share-edit input").input_value()
        screenshot(owner, "shortlist-shared")

        # The colleague's phone opens the edit link (as from its QR), adds and removes.
        colleague.goto(edit_link.replace(edit_link.split("/l/")[0], base))
        expect(colleague.locator("li.shortlist-item")).to_have_count(1)
        star(colleague, base, factory)
        colleague.goto(edit_link.replace(edit_link.split("/l/")[0], base))
        expect(colleague.locator("li.shortlist-item")).to_have_count(2)
        colleague.locator("li.shortlist-item").first.get_by_role("button", name="删除").click()
        colleague.locator("li.shortlist-item").nth(1).wait_for(state="detached")

        owner.reload()
        expect(owner.locator("li.shortlist-item")).to_have_count(1)
        factory_sku = owner.locator("li.shortlist-item").get_attribute("data-sku")
        owner.get_by_role("button", name="整单加入购物车").click()
        owner.wait_for_url(re.compile(r".*/cart$"))
        expect(owner.locator(f".cart-line[data-sku='{factory_sku}']")).to_have_count(1)
        screenshot(owner, "shortlist-to-cart")
    finally:
        first.close()
        second.close()
