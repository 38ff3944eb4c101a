"""On a phone in Chromium: a member's number typed without its code is only a guest's claim;
the code texted to it (the `log` sender, read from the server's log) makes the phone theirs."""

import re
import sqlite3

from playwright.sync_api import expect

from tests.support.browser import pick_products, screenshot

GOLD = "13900000001"  # the demo's gold member on account: 金建国, 金记日用百货批发


def unit_prices(var, code: str, quantity: int) -> dict[str, int]:
    """The unit price of a product at a quantity, per member level."""
    db = sqlite3.connect(var / "xuanpin.db")
    rows = db.execute("""
        SELECT t.member_level, t.unit_price_fen FROM price_tiers t
        JOIN shelf_slots s ON s.product_id = t.product_id
        WHERE s.code = ? AND t.min_quantity <= ? ORDER BY t.min_quantity""",
                      (code, quantity)).fetchall()
    db.close()
    return dict(rows)  # the highest tier reached wins, as it comes last


def yuan(fen: int) -> str:
    return f"{fen / 100:.2f}"


def test_a_typed_number_is_a_guest_and_the_code_makes_it_the_member(live_server, phone):
    base = live_server.url
    (code, quantity, _), _factory = pick_products(live_server.var)
    prices = unit_prices(live_server.var, code, quantity)
    assert prices["gold"] < prices["standard"]

    phone.goto(f"{base}/s/{code}")
    phone.locator("form.add button[type=submit]").click()
    expect(phone.locator(".in-cart")).to_be_visible()
    phone.goto(f"{base}/checkout")
    phone.fill("form.guest-form input[name=phone]", GOLD)
    phone.fill("form.guest-form input[name=name]", "路人甲")
    phone.select_option("form.guest-form select[name=business_type]", "restaurant")
    phone.get_by_role("button", name="以访客身份继续").click()

    # The page after the form, loaded: then what it does not say is read once.
    expect(phone.locator("main")).to_contain_text("路人甲")
    page = phone.locator("main").inner_text()
    assert "金建国" not in page and "金记" not in page
    assert phone.locator("input[value=local_delivery]").count() == 0  # pick-up only
    phone.goto(f"{base}/s/{code}")
    expect(phone.locator(".unit-price")).to_contain_text(yuan(prices["standard"]))
    assert "金建国" not in phone.locator("main").inner_text()
    phone.goto(f"{base}/me")
    assert "/signin" in phone.url  # 我的 needs the code

    phone.goto(f"{base}/checkout")
    phone.get_by_role("button", name="提交订单").click()
    phone.wait_for_url(re.compile(r".*/orders/\w+$"))
    guest_order = phone.url.rsplit("/", 1)[1]
    expect(phone.locator(".order-status")).to_contain_text("待付款")
    expect(phone.locator("section.group")).to_have_count(1)
    expect(phone.locator("section.group-pickup")).to_have_count(1)
    screenshot(phone, "guest-order")

    # The same phone proves the number with the code texted to it.
    phone.goto(f"{base}/s/{code}")
    phone.get_by_role("link", name="我的").click()
    phone.fill("input[name=phone]", GOLD)
    phone.get_by_role("button", name="发送验证码").click()
    code_box = phone.locator("input[name=code]")
    expect(code_box).to_be_visible()
    code_box.fill(live_server.texted_code(GOLD))
    screenshot(phone, "sign-in-code")
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_url(re.compile(r".*/me$"))
    expect(phone.locator("main")).to_contain_text("金牌会员")
    mine = phone.locator("main").inner_text()
    assert "金建国" in mine and "金记日用百货批发" in mine
    assert guest_order not in mine  # the guest's order stays the guest's
    screenshot(phone, "my-account")

    phone.goto(f"{base}/s/{code}")
    expect(phone.locator(".unit-price")).to_contain_text(yuan(prices["gold"]))
